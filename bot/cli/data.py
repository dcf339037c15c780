"""`careerbot health`, `careerbot backup FILE` and `careerbot restore FILE`.

`health` exits 0 when a serving bot's heartbeat is fresh, or, with no bot serving, when the
database opens and the knowledge base and the model files check out (their sha256 only: the
model is not loaded, so a probe every 30 s stays cheap). Otherwise it prints one line and exits
1, the code Docker's HEALTHCHECK reads as unhealthy (it reserves 2).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from pathlib import Path

from bot.app import load_kb
from bot.cli.common import CliError
from bot.config import Settings
from bot.embeddings import EmbeddingModelError, ModelFiles
from bot.kb.problems import KnowledgeError
from bot.store import Store, StoreError
from bot.store.health import (
    STALE_AFTER_SECONDS,
    Heartbeat,
    backup_database,
    check_database_file,
    database_lock,
    restore_database,
)

UNHEALTHY = 1


def _unhealthy(message: str) -> int:
    print(f"careerbot: unhealthy: {message}", file=sys.stderr)
    return UNHEALTHY


def seconds(text: str) -> float:
    """A positive, finite number of seconds (`nan` would make every heartbeat stale)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text!r}")
    return value


async def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    now = time.time()
    if str(settings.db_path) != ":memory:" and not settings.db_path.is_file():
        # A check must not create what it checks: a mistyped CAREERBOT_DB is not a healthy bot.
        return _unhealthy(f"no database at {settings.db_path} (check CAREERBOT_DB or --db)")
    try:
        store = await Store.open(settings.db_path)
        try:
            serving = await store.serving()
        finally:
            await store.close()
    except StoreError as exc:
        return _unhealthy(str(exc))
    if serving:
        fresh = [b for b in serving if b.age(now) <= args.stale_after]
        if fresh:
            beat = fresh[0]
            print(f"careerbot: healthy: serving {beat.describe()}, heartbeat "
                  f"{beat.age(now):.0f} s ago")
            return 0
        beat = serving[0]
        return _unhealthy(f"the bot serving {beat.describe()} last wrote its heartbeat "
                          f"{beat.age(now):.0f} s ago (hung, or stopped without saying so)")
    try:
        kb = load_kb(settings)
        ModelFiles.from_env().verify()
    except KnowledgeError as exc:
        first = exc.problems[0] if exc.problems else "unknown problem"
        return _unhealthy(f"knowledge base: {len(exc.problems)} problems, first: {first}")
    except EmbeddingModelError as exc:
        return _unhealthy(f"model: {exc}")
    print(f"careerbot: healthy: no bot serving; database, knowledge base ({len(kb.entries)} "
          "entries) and model files check out")
    return 0


async def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    target = Path(args.file)
    if target.resolve() == settings.db_path.resolve():
        raise CliError("the backup file must not be the database itself")
    size = await asyncio.to_thread(backup_database, settings.db_path, target)
    print(f"backed up {settings.db_path} to {target} ({size:,} bytes, integrity_check ok)")
    return 0


async def heartbeats_of(db: Path) -> list[Heartbeat]:
    """The heartbeats in the database to be replaced; none when it is damaged (no bot can
    serve from it, and restoring is then the way out)."""
    try:
        store = await Store.open(db)
    except StoreError:
        try:
            await asyncio.to_thread(check_database_file, db)
        except StoreError:
            return []  # damaged: restore keeps it aside as it is
        raise  # intact, so the reason is another one (locked, unwritable): refuse
    try:
        return await store.serving()
    finally:
        await store.close()


async def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    source = Path(args.file)
    db = settings.db_path
    if source.resolve() == db.resolve():
        raise CliError("the backup file is the database itself")
    with database_lock(db, exclusive=True):
        if db.is_file():
            # A bot on another host (a second container sharing the volume) holds no lock here.
            serving = await heartbeats_of(db)
            now = time.time()
            fresh = [b for b in serving if b.age(now) <= STALE_AFTER_SECONDS]
            if fresh:
                raise CliError(f"a bot is serving {db}: {fresh[0].describe()} wrote its heartbeat "
                               f"{fresh[0].age(now):.0f} s ago; stop it first")
        kept = await asyncio.to_thread(restore_database, source, db)
    print(f"restored {db} from {source} (integrity_check ok)"
          + (f"; the database it replaced is kept as {kept}" if kept else ""))
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    health = sub.add_parser(
        "health", help="exit 0 if the bot's heartbeat is fresh (or, with no bot, if the database, "
                       "knowledge base and model files check out); 1 with one line otherwise")
    health.add_argument("--stale-after", type=seconds, default=STALE_AFTER_SECONDS,
                        metavar="SECONDS", help="a heartbeat older than this is unhealthy")
    health.set_defaults(func=cmd_health)

    backup = sub.add_parser("backup", help="copy the live database to FILE (safe while the bot runs)")
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore", help="replace the database with the backup FILE (refused while a bot uses it)")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=cmd_restore)
