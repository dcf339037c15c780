"""Async SQLite persistence: one file, versioned migrations, WAL.

Every piece of state the bot keeps lives here so that a restart loses nothing: quiz sessions and
results, moderators' overlay entries and their revisions, feedback votes, the ask log behind the
stats, and the unanswered-questions queue.

One aiosqlite connection is shared by the process. Its calls run one at a time on a worker
thread, but a multi-statement transaction must not interleave with another task's statements,
so writes go through `transaction()`, which holds an asyncio lock for its duration.

The database fails loudly and early. `open` runs `PRAGMA quick_check` and refuses a damaged file
in one line (continuing to write into a damaged b-tree can spread the damage, and repair is the
admin's call), closing the connection on every failure path so the process can exit. Before each
write transaction the file's device and inode are compared with those seen at open: a database
deleted or replaced under a running bot would silently swallow every later write, so writes are
refused instead (logged once) while reads, and so answers, carry on. Lock waits are short: a
write waits at most `LOCK_WAIT_MS` for another process's lock, and while the lock stays held
later writes fail at once with "locked by another process" rather than queueing behind each
other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Self, cast

import aiosqlite

from bot.store.migrations import MIGRATIONS, split_sql

# A result row, and the parameters of a statement.
Row = tuple[Any, ...]
Params = tuple[Any, ...] | list[Any]

log = logging.getLogger(__name__)

# How long one write waits for another process's lock (SQLite's busy_timeout). Short: a writer
# behind `backup` or `kb import` gets through, a member is never kept waiting for seconds.
LOCK_WAIT_MS = 250
# After a write waited in vain, later writes try once without waiting, until one succeeds; every
# this many seconds one write waits the full `LOCK_WAIT_MS` again.
LOCKED_PROBE_SECONDS = 2.0

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


class StoreError(Exception):
    """The database cannot be opened or written; the message says which path and why."""


class StoreUnavailable(StoreError, sqlite3.OperationalError):
    """A write refused without touching the database. Also a `sqlite3.Error`, so best-effort
    writers (the ask log) treat it like any other failed write and answer anyway."""


class DatabaseGone(StoreUnavailable):
    """The database file was deleted or replaced since it was opened."""


class DatabaseLocked(StoreUnavailable):
    """Another process holds the database's write lock."""


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _first_problem(rows: list[Any]) -> str:
    """quick_check's output as one short line."""
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    lines = [line for line in lines if line and not line.startswith("***")]
    if not lines:
        return "unknown damage"
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    return lines[0][:160] + more


class Database:
    """The connection: opening (with the one-line errors), migrating, and serialised writes."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, lock_wait_ms: int = LOCK_WAIT_MS):
        self.conn = conn
        self.path = path
        self.lock_wait_ms = lock_wait_ms
        self._lock = asyncio.Lock()
        # (st_dev, st_ino) of the file at open; None for ":memory:" or when it cannot be told.
        self._identity: tuple[int, int] | None = None
        self._gone = False
        self._locked_at: float | None = None  # monotonic time of the last full wait in vain

    @classmethod
    async def open(cls, path: Path | str, *, lock_wait_ms: int = LOCK_WAIT_MS) -> Self:
        path = Path(path)
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database folder {path.parent}: {exc.strerror}") from exc
            if path.is_dir():
                raise StoreError(f"the database {path} is a folder, not a file")
            if path.exists() and not os.access(path, os.W_OK):
                raise StoreError(f"the database {path} is not writable")
            if not os.access(path.parent, os.W_OK):
                raise StoreError(f"the database folder {path.parent} is not writable")
        conn = aiosqlite.connect(str(path), isolation_level=None)
        try:
            await conn
        except sqlite3.Error as exc:
            # aiosqlite stops its worker thread without waiting: let it finish while the loop
            # still runs, or it reports "Event loop is closed" after the one-line error.
            await asyncio.to_thread(conn._thread.join, 5.0)
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        # From here on every way out but success closes the connection: its thread would
        # otherwise keep the process alive after the one-line error.
        try:
            store = cls(conn, path, lock_wait_ms)
            await store._prepare()
        except BaseException:
            await conn.close()
            raise
        return store

    async def _prepare(self) -> None:
        conn, path = self.conn, self.path
        try:
            await conn.execute(f"PRAGMA busy_timeout={int(self.lock_wait_ms)}")
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        try:
            rows = list(await conn.execute_fetchall("PRAGMA quick_check"))
            problem = None if [row[0] for row in rows] == ["ok"] else _first_problem(rows)
        except sqlite3.OperationalError as exc:  # locked, out of memory: not damage
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:  # so damaged the check itself stops
            problem = str(exc).splitlines()[0][:160]
        if problem is not None:
            raise StoreError(f"the database {path} is damaged (quick_check: {problem}):"
                             " move it aside and restore a backup with `careerbot restore`")
        try:
            await self.migrate()
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise StoreError(f"cannot prepare the database {path}: {exc}") from exc
        self._identity = self._stat()

    def _stat(self) -> tuple[int, int] | None:
        if str(self.path) == ":memory:":
            return None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_dev, st.st_ino

    def _check_file(self) -> None:
        """Refuse the write if the file at `path` is no longer the one this connection has open.

        One stat per write transaction (microseconds); SQLite would otherwise keep writing into
        an unlinked inode, acknowledging data that no restart can find."""
        if self._identity is None:
            return
        if not self._gone:
            try:
                st = os.stat(self.path)
                now = (st.st_dev, st.st_ino)
            except FileNotFoundError:
                now = None
            except OSError:
                return  # cannot tell (a permission change); let SQLite decide
            if now == self._identity:
                return
            self._gone = True
            log.error("the database %s was deleted or replaced while running: refusing writes "
                      "from now on (they would be lost); restart to use the file now at that path",
                      self.path)
        raise DatabaseGone(f"the database {self.path} was deleted or replaced while running; "
                           "writes are refused until restart")

    async def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting at most `lock_wait_ms` for another process's lock, and not
        at all while that lock is known to be held."""
        now = time.monotonic()
        fail_fast = self._locked_at is not None and now - self._locked_at < LOCKED_PROBE_SECONDS
        if fail_fast:
            await self.conn.execute("PRAGMA busy_timeout=0")
        try:
            await self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            if not fail_fast:
                if self._locked_at is None:
                    log.warning("the database %s is locked by another process: writes fail until "
                                "it lets go", self.path)
                self._locked_at = now
            raise DatabaseLocked(f"the database {self.path} is locked by another process; "
                                 "try again in a moment") from exc
        finally:
            if fail_fast:
                await self.conn.execute(f"PRAGMA busy_timeout={int(self.lock_wait_ms)}")
        if self._locked_at is not None:
            self._locked_at = None
            log.warning("the database %s is writable again", self.path)

    async def close(self) -> None:
        await self.conn.close()

    async def schema_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> None:
        current = await self.schema_version()
        for version, script in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            async with self.transaction() as db:
                for statement in split_sql(script):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {version}")

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, serialised with every other write in this process."""
        async with self._lock:
            self._check_file()
            await self._begin()
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self.conn.execute(sql, params) as cur:
            return cast(list[Row], list(await cur.fetchall()))

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self.conn.execute(sql, params) as cur:
            return cast(Row | None, await cur.fetchone())
