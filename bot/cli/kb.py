"""`careerbot kb check | export | import | reload`: validate the knowledge base, print it, apply a
reviewed file to one community's entries, and have a running bot serve the edited files.

`import` validates the whole file first (schema, references, aliases, duplicates); only then is it
applied, in one transaction, each change recorded as a revision by `cli:import`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bot.app import load_kb
from bot.cli.common import CliError, format_problems
from bot.config import Settings
from bot.kb.coverage import coverage_problems
from bot.kb.problems import KnowledgeError, YamlRefused, load_yaml_file
from bot.moderation.overlay import Curator
from bot.moderation.validate import export_community, parse_import
from bot.store import Store

IMPORT_ACTOR = "cli:import"


class PlainDumper(yaml.SafeDumper):
    """Writes a value that appears twice out twice: `kb import` and the loader refuse aliases,
    so an export must never contain one."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=100)


async def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_kb(settings)
    # The coverage map is checked here, not at start-up: it documents the base, the bot never reads it.
    if problems := coverage_problems(kb):
        raise KnowledgeError(problems)
    counts = kb.topic_counts()
    quizzes = f", {len(kb.quizzes)} quizzes" if kb.quizzes else ""
    print(
        f"knowledge base OK: {len(kb.entries)} entries in {sum(1 for c in counts.values() if c)}"
        f" topics, {len(kb.sources)} sources{quizzes}"
    )
    return 0


def community_id(text: str) -> str:
    """`--community`: an empty id would silently mean "the shared base" (export) or a community
    nobody is in (import)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a community, not be empty")
    return text


async def cmd_kb_export(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "community", None) is not None:
        return await export_own(args, settings)
    kb = load_kb(settings)
    entries = [e.to_dict() for e in kb.entries]
    if args.json:
        print(json.dumps({"entries": entries}, ensure_ascii=False, indent=2))
    else:
        print(dump_yaml({"entries": entries}))
    return 0


async def export_own(args: argparse.Namespace, settings: Settings) -> int:
    """`kb export --community ID`: the community's own entries and its overrides of the base."""
    kb = load_kb(settings)
    store = await Store.open(settings.db_path)
    try:
        data = await export_community(Curator(store, kb), args.community)
    finally:
        await store.close()
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"# entries of community {args.community}: its own and its overrides of the base")
        print(dump_yaml(data), end="")
    return 0


# `kb import` runs beside a serving bot, whose writes take milliseconds: waiting a few seconds for
# them is fine at a terminal, and nobody queues behind it.
IMPORT_LOCK_WAIT_MS = 5000


async def cmd_kb_import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    try:
        data = load_yaml_file(path)
    except FileNotFoundError as exc:
        raise CliError(f"import file not found: {path}") from exc
    except YamlRefused as exc:
        raise CliError(f"import refused: {path} {exc}; nothing was changed") from exc
    kb = load_kb(settings)
    store = await Store.open(settings.db_path, lock_wait_ms=IMPORT_LOCK_WAIT_MS)
    try:
        curator = Curator(store, kb)
        current = await curator.entries(args.community, list(kb.entries))
        entries, hidden, problems = parse_import(data, kb, current, str(path))
        if problems:
            print(format_problems(problems), file=sys.stderr)
            raise CliError(f"import refused: {len(problems)} problems in {path}; nothing was changed")
        counts = await curator.apply_import(args.community, entries, hidden, IMPORT_ACTOR, time.time())
    finally:
        await store.close()
    print(
        f"imported {path} into {args.community}: {counts['added']} added, {counts['changed']} changed,"
        f" {counts['unchanged']} unchanged, {counts['hidden']} hidden"
    )
    return 0


async def cmd_kb_reload(args: argparse.Namespace, settings: Settings) -> int:
    """Validate first: a broken edit never reaches the running bot, which polls the database
    for the request (so this works from another container) and keeps serving meanwhile."""
    kb = load_kb(settings)
    store = await Store.open(settings.db_path)
    try:
        await store.request_reload(time.time())
    finally:
        await store.close()
    print(f"knowledge base OK ({len(kb.entries)} entries); a running bot reloads it within a few"
          " seconds")
    return 0


def add_parser(sub: Any) -> None:
    kb = sub.add_parser("kb", help="check, export, import or reload the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND")
    check = kb_sub.add_parser("check", help="validate every knowledge file")
    check.set_defaults(func=cmd_kb_check)
    export = kb_sub.add_parser("export", help="print every entry (YAML, or --json)")
    export.add_argument("--json", action="store_true", help='print {"entries": [...]}')
    export.add_argument("--community", type=community_id, help="export this community's own entries and overrides")
    export.set_defaults(func=cmd_kb_export)
    imp = kb_sub.add_parser(
        "import", help="validate a YAML file of entries and apply it to a community (all or nothing)"
    )
    imp.add_argument("--community", required=True, type=community_id, help="the community whose overlay to change")
    imp.add_argument("file", help="a file in the knowledge/faq format (`entries:` list)")
    imp.set_defaults(func=cmd_kb_import)
    reload = kb_sub.add_parser(
        "reload", help="check the knowledge files, then have the running bot serve them"
    )
    reload.set_defaults(func=cmd_kb_reload)
    kb.set_defaults(func=None, parser=kb)
