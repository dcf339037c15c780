"""The `careerbot` command line.

Every command prints a clear one-line error (exit 2), never a traceback, for a broken knowledge
base, an unusable database path, or an unknown entry or topic. `ask` and `console` import
neither discord.py nor slack-bolt, so they start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot import app
from bot.app import StartupError
from bot.cli import ask, bake, data, discord, kb, quiz
from bot.cli.common import EXIT_USAGE, CliError, format_problems
from bot.config import Settings
from bot.embeddings import EmbeddingModelError
from bot.kb.problems import KnowledgeError
from bot.store import StoreError

__all__ = ["CliError", "build_parser", "main"]

OWN_LOGGERS = ("bot", "adapters")


async def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    return await app.run_console(settings, user=args.user, moderator=args.moderator)


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    return await app.run_all(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careerbot",
        description="A community bot that answers machine-learning career questions.",
    )
    parser.add_argument("--db", help="database file (default: $CAREERBOT_DB or data/careerbot.db)")
    parser.add_argument("--knowledge", help="knowledge directory (default: $CAREERBOT_KNOWLEDGE_DIR or the project's knowledge/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask.add_parser(sub)
    kb.add_parser(sub)

    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument("--user", default="you", help="who the console speaks as")
    console.add_argument("--moderator", action="store_true", help="speak as a moderator")
    console.set_defaults(func=cmd_console)

    run = sub.add_parser("run", help="start every configured platform (the console if none)")
    run.set_defaults(func=cmd_run)

    quiz.add_parser(sub)
    discord.add_parser(sub)
    data.add_parser(sub)
    bake.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # careerbot's own lines (the sign of life of each platform) show by default; third-party
    # libraries stay at WARNING unless -v.
    for own in OWN_LOGGERS:
        logging.getLogger(own).setLevel(logging.INFO)
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
        settings = settings.model_copy(update={"db_path": Path(args.db)})
    if args.knowledge:
        settings = settings.model_copy(update={"knowledge_dir": Path(args.knowledge)})
    try:
        return int(asyncio.run(func(args, settings)))
    except KnowledgeError as exc:
        print(f"careerbot: invalid knowledge base ({len(exc.problems)} problems):", file=sys.stderr)
        print(format_problems(exc.problems), file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, StartupError, EmbeddingModelError) as exc:
        print(f"careerbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
