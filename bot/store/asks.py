"""The ask log, the unanswered queue and each member's home community."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.store.database import Database

# The unanswered queue's bounds: new questions one member may have waiting in a community, and
# questions a community's queue holds (the least-asked, oldest go first). A flood of junk costs
# at most these rows, never the disk.
QUEUE_PER_ASKER = 20
QUEUE_PER_COMMUNITY = 1000
MAX_NORM = 500
# The ask log feeds `stats` (30 days by default); rows older than LOG_RETENTION_DAYS, in every
# community, are trimmed every TRIM_EVERY asks.
LOG_RETENTION_DAYS = 400
TRIM_EVERY = 500


# The columns of an `UnansweredItem`, from `unanswered u`.
_ITEM_COLUMNS = (
    "u.rowid, u.norm, u.sample, u.count,"
    " (SELECT COUNT(*) FROM unanswered_askers a WHERE a.community = u.community AND a.norm = u.norm),"
    " u.last_asked"
)


@dataclass(frozen=True)
class UnansweredItem:
    """One question in a community's unanswered queue (`rowid` is what its buttons carry)."""

    rowid: int
    norm: str
    sample: str
    count: int
    askers: int
    last_asked: float


class AskQueries(Database):
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
            if status in ("unknown", "uncovered") and norm:
                await self._queue(db, community, user_id, norm[:MAX_NORM], sample[:500], now)
            self._asks_logged += 1
            if (self._asks_logged - 1) % TRIM_EVERY == 0:  # the first ask after start, then every TRIM_EVERY
                # Every community's, not only this one's: a community that went quiet (a server
                # the bot left) must not keep its old rows for ever.
                await db.execute("DELETE FROM ask_log WHERE asked_at < ?",
                                 (now - LOG_RETENTION_DAYS * 86400.0,))

    _asks_logged = 0

    @staticmethod
    async def _queue(db: aiosqlite.Connection, community: str, user_id: str, norm: str,
                     sample: str, now: float) -> None:
        """Put an unanswered question in the community's queue, within its bounds: a member has
        at most QUEUE_PER_ASKER new questions waiting, and a full queue drops its least-asked,
        oldest questions first."""
        async with db.execute("SELECT 1 FROM unanswered WHERE community = ? AND norm = ?",
                              (community, norm)) as cur:
            known = await cur.fetchone() is not None
        if not known:
            async with db.execute(
                "SELECT COUNT(*) FROM unanswered_askers a JOIN unanswered u"
                " ON u.community = a.community AND u.norm = a.norm"
                " WHERE a.community = ? AND a.user_id = ? AND u.dismissed = 0",
                (community, user_id),
            ) as cur:
                row = await cur.fetchone()
            if row is not None and row[0] >= QUEUE_PER_ASKER:
                return
        await db.execute(
            "INSERT INTO unanswered (community, norm, sample, count, first_asked, last_asked)"
            " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (community, norm) DO UPDATE SET"
            " count = count + 1, last_asked = excluded.last_asked,"
            " sample = excluded.sample, dismissed = 0",
            (community, norm, sample, now, now),
        )
        await db.execute(
            "INSERT INTO unanswered_askers (community, norm, user_id, sample, asks)"
            " VALUES (?, ?, ?, ?, 1) ON CONFLICT (community, norm, user_id)"
            " DO UPDATE SET sample = excluded.sample, asks = asks + 1",
            (community, norm, user_id, sample),
        )
        if known:
            return
        async with db.execute("SELECT COUNT(*) FROM unanswered WHERE community = ?",
                              (community,)) as cur:
            row = await cur.fetchone()
        over = (row[0] if row else 0) - QUEUE_PER_COMMUNITY
        if over > 0:
            victims = await db.execute_fetchall(
                "SELECT norm FROM unanswered WHERE community = ?"
                " ORDER BY dismissed DESC, count ASC, last_asked ASC LIMIT ?",
                (community, over),
            )
            for (victim,) in victims:
                await db.execute("DELETE FROM unanswered WHERE community = ? AND norm = ?",
                                 (community, victim))
                await db.execute("DELETE FROM unanswered_askers WHERE community = ? AND norm = ?",
                                 (community, victim))

    async def dismiss_unanswered(self, community: str, rowid: int) -> bool:
        """Take one question off the community's queue; False if it was not there."""
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE unanswered SET dismissed = 1 WHERE rowid = ? AND community = ? AND dismissed = 0",
                (rowid, community),
            )
            return bool(cur.rowcount)

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
            f"SELECT {_ITEM_COLUMNS} FROM unanswered u WHERE u.community = ? AND u.dismissed = 0"
            " ORDER BY u.count DESC, u.last_asked DESC LIMIT ?",
            (community, limit),
        )
        return [UnansweredItem(*row) for row in rows]

    async def unanswered_item(self, community: str, rowid: int) -> UnansweredItem | None:
        rows = await self.fetchall(
            f"SELECT {_ITEM_COLUMNS} FROM unanswered u"
            " WHERE u.rowid = ? AND u.community = ? AND u.dismissed = 0",
            (rowid, community),
        )
        return UnansweredItem(*rows[0]) if rows else None
