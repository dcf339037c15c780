"""The ask log, the unanswered queue and each member's home community."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import Database


@dataclass(frozen=True)
class UnansweredItem:
    """One question in a community's unanswered queue (`rowid` is what its buttons carry)."""

    rowid: int
    norm: str
    sample: str
    count: int
    askers: int
    first_asked: float
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
            "SELECT u.rowid, u.norm, u.sample, u.count,"
            " (SELECT COUNT(*) FROM unanswered_askers a"
            "   WHERE a.community = u.community AND a.norm = u.norm),"
            " u.first_asked, u.last_asked"
            " FROM unanswered u WHERE u.community = ? AND u.dismissed = 0"
            " ORDER BY u.count DESC, u.last_asked DESC LIMIT ?",
            (community, limit),
        )
        return [UnansweredItem(*row) for row in rows]

    async def unanswered_item(self, community: str, rowid: int) -> UnansweredItem | None:
        rows = await self.fetchall(
            "SELECT u.rowid, u.norm, u.sample, u.count,"
            " (SELECT COUNT(*) FROM unanswered_askers a"
            "   WHERE a.community = u.community AND a.norm = u.norm),"
            " u.first_asked, u.last_asked"
            " FROM unanswered u WHERE u.rowid = ? AND u.community = ?",
            (rowid, community),
        )
        return UnansweredItem(*rows[0]) if rows else None
