"""`careerbot kb import --community ID FILE`: a reviewed YAML file into one community's overlay.

The whole file is validated first (schema, references, aliases, duplicates); only then is it
applied, in one transaction, each change recorded as a revision by `cli`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings

IMPORT_ACTOR = "cli:import"


def _kb_subparsers(sub: Any) -> Any:
    """The `kb` command's own subparsers, so `import` sits next to `check` and `export`."""
    kb = sub.choices.get("kb")
    if kb is None:
        return sub
    for action in kb._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return sub


def add_subcommands(sub: Any) -> None:
    kb_sub = _kb_subparsers(sub)
    imp = kb_sub.add_parser(
        "import", help="validate a YAML file of entries and apply it to a community (all or nothing)"
    )
    imp.add_argument("--community", required=True, help="the community whose overlay to change")
    imp.add_argument("file", help="a file in the knowledge/faq format (`entries:` list)")
    imp.set_defaults(func=cmd_kb_import)


async def cmd_kb_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import CliError, format_problems, load_kb
    from bot.moderation import Curator, parse_import
    from bot.store import Store

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"import file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CliError(f"cannot read {path}: {exc}".splitlines()[0]) from exc
    kb = load_kb(settings)
    store = await Store.open(settings.db_path)
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
