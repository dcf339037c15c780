"""The `careerbot` command line.

Every command prints a clear one-line error (exit 2), never a traceback, for a broken knowledge
base, an unusable database path, or an unknown entry or topic. `ask` and `console` import
neither discord.py nor slack-bolt, so they start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot.config import Settings
from bot.features import installed
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.matching import MatchResult
from bot.store import Store, StoreError

EXIT_USAGE = 2

Subcommand = Callable[[argparse.Namespace, Settings], Awaitable[int]]


class CliError(Exception):
    """A failure the user can fix; printed as one line."""


def load_kb(settings: Settings) -> KnowledgeBase:
    sources = settings.sources_dir
    if sources is None:
        default = settings.knowledge_dir.resolve().parent.parent / "shared" / "sources"
        sources = default if default.is_dir() else None
    return load_knowledge(settings.knowledge_dir, sources)


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


async def open_service(settings: Settings):
    """Load the knowledge base and open the store; the caller closes `service.store`."""
    from bot.service import Service

    kb = load_kb(settings)
    store = await Store.open(settings.db_path)
    return Service(kb, store, settings=settings)


def result_json(result: MatchResult) -> dict[str, Any]:
    entry = result.entry
    return {
        "status": result.status,
        "score": round(result.score, 4),
        "entry": None
        if entry is None
        else {
            "id": entry.id,
            "topic": entry.topic,
            "also_topics": list(entry.also_topics),
            "question": entry.question,
            "answer": entry.answer,
            "sources": [ref.model_dump() for ref in entry.sources],
        },
        "suggestions": [
            {"id": s.id, "topic": s.topic, "question": s.question} for s in result.suggestions
        ],
    }


def _batch_lines(path: str) -> Iterator[str]:
    stream: TextIO = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        for line in stream:
            yield line.rstrip("\n")
    finally:
        if stream is not sys.stdin:
            stream.close()


async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch and not args.json:
        raise CliError("--batch needs --json (one JSON object per line out)")
    if not args.batch and not args.question:
        raise CliError("give a question, for example: careerbot ask \"do I need a PhD?\"")
    if args.batch and args.batch != "-" and not Path(args.batch).is_file():
        raise CliError(f"batch file not found: {args.batch}")
    service = await open_service(settings)
    try:
        if args.batch:
            for line in _batch_lines(args.batch):
                result = await service.match(args.community, line)
                print(json.dumps(result_json(result), ensure_ascii=False), flush=False)
            sys.stdout.flush()
            return 0
        question = " ".join(args.question)
        result = await service.match(args.community, question)
        if args.json:
            print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        else:
            print(service.render_result(result).plain())
            if result.suggestions and result.status != "answered":
                for s in result.suggestions:
                    print(f"  - {s.question} (faq {s.id})")
        return 0
    finally:
        await service.store.close()


async def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_kb(settings)
    counts = kb.topic_counts()
    quizzes = f", {len(kb.quizzes)} quizzes" if kb.quizzes else ""
    print(
        f"knowledge base OK: {len(kb.entries)} entries in {sum(1 for c in counts.values() if c)}"
        f" topics, {len(kb.sources)} sources{quizzes}"
    )
    return 0


async def cmd_kb_export(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "community", None):
        from bot import moderation

        return await moderation.cli_export(args, settings)
    kb = load_kb(settings)
    entries = [e.to_dict() for e in kb.entries]
    if args.json:
        print(json.dumps({"entries": entries}, ensure_ascii=False, indent=2))
    else:
        print(yaml.safe_dump({"entries": entries}, sort_keys=False, allow_unicode=True, width=100))
    return 0


async def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.__main__ import run_console

    return await run_console(settings, user=args.user, moderator=args.moderator)


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.__main__ import run_all

    return await run_all(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careerbot",
        description="A community bot that answers machine-learning career questions.",
    )
    parser.add_argument("--db", help="database file (default: $CAREERBOT_DB or data/careerbot.db)")
    parser.add_argument("--knowledge", help="knowledge directory (default: ./knowledge)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer one question (or a batch) and exit")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin)")
    ask.add_argument("--community", default="local", help="answer with this community's view")
    ask.set_defaults(func=cmd_ask)

    kb = sub.add_parser("kb", help="check or export the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND")
    check = kb_sub.add_parser("check", help="validate every knowledge file")
    check.set_defaults(func=cmd_kb_check)
    export = kb_sub.add_parser("export", help="print every entry (YAML, or --json)")
    export.add_argument("--json", action="store_true", help='print {"entries": [...]}')
    export.add_argument("--community", help="export this community's own entries and overrides")
    export.set_defaults(func=cmd_kb_export)
    kb.set_defaults(func=None, parser=kb)

    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument("--user", default="you", help="who the console speaks as")
    console.add_argument("--moderator", action="store_true", help="speak as a moderator")
    console.set_defaults(func=cmd_console)

    run = sub.add_parser("run", help="start every configured platform (the console if none)")
    run.set_defaults(func=cmd_run)

    for extend in _EXTENSIONS:
        extend(sub)
    return parser


# Features add their own subcommands here (quiz authoring, moderation import, Discord sync).
_EXTENSIONS: list[Callable[[Any], None]] = []


def _load_extensions() -> None:

    # main() may run more than once in a process (tests); each run builds a fresh parser.
    _EXTENSIONS.clear()
    for module in installed(("bot.quiz_cli", "bot.moderation_cli", "bot.discord_cli")):
        _EXTENSIONS.append(module.add_subcommands)


def main(argv: list[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    func = getattr(args, "func", None)
    if func is None:
        (getattr(args, "parser", None) or parser).print_help()
        return EXIT_USAGE
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"careerbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.db:
        settings = replace(settings, db_path=Path(args.db))
    if args.knowledge:
        settings = replace(settings, knowledge_dir=Path(args.knowledge))
    try:
        return asyncio.run(func(args, settings))
    except KnowledgeError as exc:
        print(f"careerbot: invalid knowledge base ({len(exc.problems)} problems):", file=sys.stderr)
        print(format_problems(exc.problems), file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, CliError) as exc:
        print(f"careerbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0

