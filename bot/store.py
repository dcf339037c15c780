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
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

DEFAULT_DB = Path("data/careerbot.db")

# Append only: each migration runs once, in order, and bumps PRAGMA user_version.
MIGRATIONS: list[str] = [
    # 1: the ask log, unanswered queue and serve counts
    """
    CREATE TABLE ask_log (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        status TEXT NOT NULL,
        entry_id TEXT,
        score REAL NOT NULL,
        asked_at REAL NOT NULL
    );
    CREATE INDEX ask_log_community_time ON ask_log (community, asked_at);
    CREATE INDEX ask_log_user ON ask_log (user_id);
    CREATE TABLE unanswered (
        community TEXT NOT NULL,
        norm TEXT NOT NULL,
        sample TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        first_asked REAL NOT NULL,
        last_asked REAL NOT NULL,
        dismissed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (community, norm)
    );
    CREATE TABLE unanswered_askers (
        community TEXT NOT NULL,
        norm TEXT NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (community, norm, user_id)
    );
    CREATE TABLE entry_served (
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        last_served REAL NOT NULL,
        PRIMARY KEY (community, entry_id)
    );
    """,
    # 2: quiz sessions and results
    """
    CREATE TABLE quiz_sessions (
        id TEXT PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        quiz_id TEXT NOT NULL,
        status TEXT NOT NULL,
        step INTEGER NOT NULL DEFAULT 0,
        question_id TEXT,
        answers TEXT NOT NULL DEFAULT '[]',
        started_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX quiz_one_active ON quiz_sessions (user_id, quiz_id)
        WHERE status = 'active';
    CREATE INDEX quiz_sessions_updated ON quiz_sessions (status, updated_at);
    CREATE TABLE quiz_results (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        quiz_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        result TEXT NOT NULL,
        finished_at REAL NOT NULL
    );
    CREATE INDEX quiz_results_user ON quiz_results (user_id, finished_at);
    CREATE TABLE quiz_events (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        quiz_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX quiz_events_community ON quiz_events (community, at);
    """,
    # 3: moderation: overlay entries, revisions, feedback
    """
    CREATE TABLE overlay_entries (
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT,
        revision INTEGER NOT NULL,
        updated_at REAL NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (community, entry_id)
    );
    CREATE TABLE revisions (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        at REAL NOT NULL,
        before TEXT,
        after TEXT,
        UNIQUE (community, entry_id, revision)
    );
    CREATE TABLE feedback (
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (community, entry_id, user_id)
    );
    CREATE TABLE community_version (
        community TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    );
    """,
    # 4: moderators' form drafts: an invalid, stale or near-duplicate submission is kept so a
    # button can reopen it pre-filled or confirm it (a button payload is too small to carry it)
    """
    CREATE TABLE moderation_drafts (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX moderation_drafts_created ON moderation_drafts (created_at);
    """,
    # 5: each asker's own wording of an unanswered question, so forgetting a member can replace
    # the sample moderators see with someone else's words instead of keeping theirs
    """
    ALTER TABLE unanswered_askers ADD COLUMN sample TEXT NOT NULL DEFAULT '';
    """,
    # 6: the community a member last used the bot in, so a direct message on a platform whose DMs
    # belong to no community (Discord) sees that community's answers and feeds its queue
    """
    CREATE TABLE member_home (
        user_id TEXT PRIMARY KEY,
        community TEXT NOT NULL,
        seen_at REAL NOT NULL
    );
    """,
    # 7: per-community settings moderators choose in chat (the community's own support line)
    """
    CREATE TABLE community_settings (
        community TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (community, key)
    );
    """,
]


class StoreError(Exception):
    """The database cannot be opened or written; the message says which path and why."""


@dataclass(frozen=True)
class UnansweredItem:
    norm: str
    sample: str
    count: int
    askers: int
    first_asked: float
    last_asked: float


class Store:
    def __init__(self, conn: aiosqlite.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Store:
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
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
        except sqlite3.Error as exc:
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
                for statement in _split_sql(script):
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

    async def fetchall(self, sql: str, params: tuple = ()) -> list[tuple]:
        async with self.conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: tuple = ()) -> tuple | None:
        async with self.conn.execute(sql, params) as cur:
            return await cur.fetchone()

    # -- asks -----------------------------------------------------------------------------------

    async def record_ask(
        self,
        *,
        community: str,
        user_id: str,
        status: str,
        entry_id: str | None,
        score: float,
        norm: str,
        sample: str,
        now: float,
    ) -> None:
        """Log one question (or, with status "shown", an entry opened from a button); an unknown
        question also lands in the community's unanswered queue."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO ask_log (community, user_id, status, entry_id, score, asked_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (community, user_id, status, entry_id, score, now),
            )
            if status in ("answered", "shown") and entry_id:
                await db.execute(
                    "INSERT INTO entry_served (community, entry_id, count, last_served)"
                    " VALUES (?, ?, 1, ?) ON CONFLICT (community, entry_id)"
                    " DO UPDATE SET count = count + 1, last_served = excluded.last_served",
                    (community, entry_id, now),
                )
            if status in ("unknown", "uncovered") and norm:
                await db.execute(
                    "INSERT INTO unanswered (community, norm, sample, count, first_asked, last_asked)"
                    " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (community, norm) DO UPDATE SET"
                    " count = count + 1, last_asked = excluded.last_asked,"
                    " sample = excluded.sample, dismissed = 0",
                    (community, norm, sample[:500], now, now),
                )
                await db.execute(
                    "INSERT INTO unanswered_askers (community, norm, user_id, sample)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (community, norm, user_id)"
                    " DO UPDATE SET sample = excluded.sample",
                    (community, norm, user_id, sample[:500]),
                )

    async def setting(self, community: str, key: str) -> str | None:
        row = await self.fetchone(
            "SELECT value FROM community_settings WHERE community = ? AND key = ?", (community, key)
        )
        return row[0] if row else None

    async def set_setting(self, community: str, key: str, value: str | None, now: float) -> None:
        """Set a community's setting, or clear it with `value=None`."""
        async with self.transaction() as db:
            if value is None:
                await db.execute(
                    "DELETE FROM community_settings WHERE community = ? AND key = ?", (community, key)
                )
            else:
                await db.execute(
                    "INSERT INTO community_settings (community, key, value, updated_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (community, key)"
                    " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    (community, key, value, now),
                )

    async def set_home(self, user_id: str, community: str, now: float) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO member_home (user_id, community, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET community = excluded.community,"
                " seen_at = excluded.seen_at",
                (user_id, community, now),
            )

    async def home(self, user_id: str) -> str | None:
        row = await self.fetchone("SELECT community FROM member_home WHERE user_id = ?", (user_id,))
        return str(row[0]) if row else None

    async def top_unanswered(self, community: str, limit: int = 10) -> list[UnansweredItem]:
        rows = await self.fetchall(
            "SELECT u.norm, u.sample, u.count,"
            " (SELECT COUNT(*) FROM unanswered_askers a"
            "   WHERE a.community = u.community AND a.norm = u.norm),"
            " u.first_asked, u.last_asked"
            " FROM unanswered u WHERE u.community = ? AND u.dismissed = 0"
            " ORDER BY u.count DESC, u.last_asked DESC LIMIT ?",
            (community, limit),
        )
        return [UnansweredItem(*row) for row in rows]

    async def served_counts(self, community: str) -> dict[str, int]:
        rows = await self.fetchall(
            "SELECT entry_id, count FROM entry_served WHERE community = ?", (community,)
        )
        return {entry_id: count for entry_id, count in rows}


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
