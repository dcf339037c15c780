"""Health and data: the serving bot's heartbeat, the database lock file, backup and restore.

A serving bot upserts one heartbeat row (per host and process) every `HEARTBEAT_SECONDS`, and
marks it stopped when it shuts down cleanly; `careerbot health` reads it. While the bot or the
console uses the database it holds a shared `flock` on `<database>.lock`; `careerbot restore`
needs it exclusively, so it cannot replace a database under a running process on this host
(the heartbeat covers processes on other hosts sharing the file).

Backups use SQLite's online backup API: one step copies a consistent snapshot while writers
carry on (WAL), and the copy is checked with `PRAGMA integrity_check` before it is kept.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.store.database import Database, StoreError
from bot.store.migrations import MIGRATIONS

HEARTBEAT_SECONDS = 30.0
# A heartbeat older than this means the bot that wrote it is hung or gone.
STALE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS


@dataclass(frozen=True)
class Heartbeat:
    host: str
    pid: int
    platforms: str
    started_at: float
    beat_at: float

    def age(self, now: float) -> float:
        return max(0.0, now - self.beat_at)

    def describe(self) -> str:
        return f"{self.platforms} (pid {self.pid} on {self.host})"

    def process_gone(self) -> bool:
        """True when the process that wrote this runs on this host and no longer exists."""
        if self.host != socket.gethostname():
            return False  # cannot tell from here
        if self.pid == os.getpid():
            return True  # this very process is not a serving bot
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def this_process() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


class HealthQueries(Database):
    async def beat(self, platforms: str, now: float, *, host: str | None = None,
                   pid: int | None = None) -> None:
        """Record that this process is serving `platforms`; the first beat sets `started_at`."""
        here, me = this_process()
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO heartbeats (host, pid, platforms, started_at, beat_at, stopped_at)"
                " VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (host, pid) DO UPDATE SET"
                " platforms = excluded.platforms, beat_at = excluded.beat_at, stopped_at = NULL,"
                " started_at = CASE WHEN heartbeats.stopped_at IS NULL"
                " THEN heartbeats.started_at ELSE excluded.started_at END",
                (host or here, pid or me, platforms, now, now),
            )

    async def stop_beating(self, now: float) -> None:
        here, me = this_process()
        async with self.transaction() as db:
            await db.execute("UPDATE heartbeats SET stopped_at = ? WHERE host = ? AND pid = ?",
                             (now, here, me))

    async def own_heartbeat(self) -> float | None:
        """When this process last wrote its heartbeat (None if never, or since it stopped)."""
        here, me = this_process()
        rows = await self.fetchall(
            "SELECT beat_at FROM heartbeats WHERE host = ? AND pid = ? AND stopped_at IS NULL",
            (here, me))
        return float(rows[0][0]) if rows else None

    async def serving(self) -> list[Heartbeat]:
        """Heartbeats of bots that have not stopped cleanly, newest first, minus those whose
        process is known to be gone (a crash or SIGKILL on this host)."""
        rows = await self.fetchall(
            "SELECT host, pid, platforms, started_at, beat_at FROM heartbeats"
            " WHERE stopped_at IS NULL ORDER BY beat_at DESC")
        beats = [Heartbeat(str(h), int(p), str(pl), float(s), float(b)) for h, p, pl, s, b in rows]
        return [b for b in beats if not b.process_gone()]


# -- the lock file ------------------------------------------------------------------------------


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def companion_files(db: Path) -> set[Path]:
    """The database and the files SQLite and careerbot keep beside it, resolved: replacing one
    of these under a running bot loses its writes (the -wal) or its lock."""
    db = db.resolve()
    return {db, lock_path(db), *(db.with_name(db.name + end) for end in ("-wal", "-shm", "-journal"))}


@contextlib.contextmanager
def database_lock(db: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold `<db>.lock`: shared while serving or chatting, exclusive while restoring.

    Raises `StoreError` at once, rather than waiting, when the other kind is held.
    """
    if str(db) == ":memory:":
        yield
        return
    path = lock_path(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot create the lock file {path}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            if exclusive:
                raise StoreError(f"a careerbot process is using {db} (run or console): stop it "
                                 "first") from exc
            raise StoreError(f"{db} is being restored: wait for `careerbot restore` to "
                             "finish") from exc
        yield
    finally:
        os.close(fd)  # closing releases the lock


# -- backup and restore -------------------------------------------------------------------------


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from exc


def check_database_file(path: Path) -> int:
    """Raise `StoreError` unless `path` is an intact careerbot database this version can use;
    returns its schema version."""
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    conn = _connect(path, "ro")
    try:
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            (version,) = conn.execute("PRAGMA user_version").fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: not a usable SQLite database ({exc})") from exc
    finally:
        conn.close()
    if result != ["ok"]:
        raise StoreError(f"{path}: integrity_check failed: {'; '.join(map(str, result))[:200]}")
    if not 1 <= int(version) <= len(MIGRATIONS):
        raise StoreError(f"{path}: not a careerbot database this version can use "
                         f"(schema version {version}, this careerbot knows 1-{len(MIGRATIONS)})")
    return int(version)


def _copy(source: sqlite3.Connection, target: Path) -> None:
    try:
        dest = sqlite3.connect(target)
    except sqlite3.Error as exc:  # the target's folder is not writable: name the target
        raise OSError(str(exc)) from exc
    try:
        source.backup(dest)  # pages=-1: the whole database in one consistent step
        # One self-contained file, no -wal beside it (the bot turns WAL back on when it opens).
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def backup_database(db: Path, target: Path) -> int:
    """Copy the live database to `target` (atomically replaced); returns its size in bytes."""
    if not db.is_file():
        raise StoreError(f"no database at {db}: nothing to back up")
    if target.resolve() in companion_files(db):
        raise StoreError(f"{target} is one of the database's own files: back up to another name")
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        source = _connect(db, "rw")
        try:
            _copy(source, partial)
        finally:
            source.close()
        check_database_file(partial)
        os.replace(partial, target)
    except OSError as exc:
        raise StoreError(f"cannot write the backup {target}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:
        raise StoreError(f"cannot back up {db}: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return target.stat().st_size


def _move_aside(db: Path, kept: Path) -> None:
    """Keep a database SQLite cannot read as it is, with its -wal and -shm (a leftover -wal
    must not be replayed into the restored file)."""
    try:
        for end in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(db.with_name(db.name + end), kept.with_name(kept.name + end))
    except OSError as exc:
        raise StoreError(f"cannot move the damaged database {db} aside: "
                         f"{exc.strerror or exc}") from exc


def restore_database(source: Path, db: Path, now: float | None = None) -> Path | None:
    """Replace `db` with the backup `source` after checking it; the database it replaces is
    kept beside it (returned). The caller holds the exclusive `database_lock`."""
    check_database_file(source)
    kept = None
    if db.is_file():
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now if now is not None else time.time()))
        kept = db.with_name(f"{db.name}.before-restore-{stamp}")
        try:
            check_database_file(db)
        except StoreError:
            _move_aside(db, kept)  # damaged: SQLite cannot copy it, nor write over it
        else:
            backup_database(db, kept)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        src = _connect(source, "ro")
        try:
            # Through SQLite rather than a file copy, so a leftover -wal cannot outlive the swap.
            _copy(src, db)
        finally:
            src.close()
    except OSError as exc:
        raise StoreError(f"cannot write the database {db}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:
        raise StoreError(f"cannot restore into {db}: {exc}") from exc
    check_database_file(db)
    return kept
