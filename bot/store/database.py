"""Async SQLite persistence: one file, versioned migrations, WAL.

Every piece of state the bot keeps lives here so that a restart loses nothing: quiz sessions and
results, moderators' overlay entries and their revisions, feedback votes, the ask log behind the
stats, and the unanswered-questions queue.

One aiosqlite connection is shared by the process. Its calls run one at a time on a worker
thread, but a multi-statement transaction must not interleave with another task's statements,
so writes go through `transaction()`, which holds an asyncio lock for its duration.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Self, cast

import aiosqlite

from bot.store.migrations import MIGRATIONS, split_sql

# A result row, and the parameters of a statement.
Row = tuple[Any, ...]
Params = tuple[Any, ...] | list[Any]


class StoreError(Exception):
    """The database cannot be opened or written; the message says which path and why."""


class Database:
    """The connection: opening (with the one-line errors), migrating, and serialised writes."""

    def __init__(self, conn: aiosqlite.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Self:
        path = Path(path)
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database folder {path.parent}: {exc.strerror}") from exc
            if path.exists() and not os.access(path, os.W_OK):
                raise StoreError(f"the database {path} is not writable")
            if not os.access(path.parent, os.W_OK):
                raise StoreError(f"the database folder {path.parent} is not writable")
        try:
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
        except sqlite3.Error as exc:
            # Close it: an open connection's thread would keep the process from exiting.
            await conn.close()
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        store = cls(conn, path)
        try:
            await store.migrate()
        except sqlite3.Error as exc:
            await conn.close()
            raise StoreError(f"cannot prepare the database {path}: {exc}") from exc
        return store

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
            await self.conn.execute("BEGIN IMMEDIATE")
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
