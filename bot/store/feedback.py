"""Members' helpful / not-helpful votes, the counts moderators' `stats` reads, and moderators'
form drafts."""

from __future__ import annotations

import aiosqlite

from bot.store.database import Database, Row


class FeedbackQueries(Database):
    async def vote(self, community: str, entry_id: str, user_id: str, helpful: int,
                   now: float) -> int | None:
        """Record a member's vote on an entry; returns their previous vote (1, 0) or None."""
        async with self.transaction() as db:
            async with db.execute(
                "SELECT helpful FROM feedback WHERE community = ? AND entry_id = ? AND user_id = ?",
                (community, entry_id, user_id),
            ) as cur:
                before = await cur.fetchone()
            await db.execute(
                "INSERT INTO feedback (community, entry_id, user_id, helpful, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (community, entry_id, user_id) DO UPDATE SET helpful = excluded.helpful,"
                " at = excluded.at",
                (community, entry_id, user_id, helpful, now),
            )
        return None if before is None else int(before[0])

    async def votes_by_entry(self, community: str) -> list[tuple[str, int, int]]:
        """(entry id, helpful votes, not-helpful votes) per entry."""
        rows = await self.fetchall(
            "SELECT entry_id, SUM(helpful), SUM(1 - helpful) FROM feedback WHERE community = ?"
            " GROUP BY entry_id ORDER BY entry_id",
            (community,),
        )
        return [(entry_id, int(yes), int(no)) for entry_id, yes, no in rows]

    async def ask_counts(self, community: str, since: float) -> dict[str, int]:
        """Questions logged since `since`, per match status."""
        rows = await self.fetchall(
            "SELECT status, COUNT(*) FROM ask_log WHERE community = ? AND asked_at >= ?"
            " GROUP BY status",
            (community, since),
        )
        return {status: int(n) for status, n in rows}

    async def top_served(self, community: str, since: float, limit: int = 5) -> list[Row]:
        """(entry id, times answered or opened) for the most-served entries since `since`."""
        return await self.fetchall(
            "SELECT entry_id, COUNT(*) AS n FROM ask_log WHERE community = ? AND asked_at >= ?"
            " AND status IN ('answered', 'shown') AND entry_id IS NOT NULL GROUP BY entry_id"
            " ORDER BY n DESC, entry_id LIMIT ?",
            (community, since, limit),
        )

    async def quiz_event_counts(self, community: str, since: float) -> dict[str, int]:
        rows = await self.fetchall(
            "SELECT kind, COUNT(*) FROM quiz_events WHERE community = ? AND at >= ? GROUP BY kind",
            (community, since),
        )
        return {kind: int(n) for kind, n in rows}


class DraftQueries(Database):
    """What a moderator typed into a refused form, kept for a while so "Fix and resubmit" can
    reopen it."""

    async def save_draft(self, community: str, user_id: str, data: str, now: float,
                         keep_seconds: float) -> int:
        async with self.transaction() as db:
            await self._purge_drafts(db, now - keep_seconds)
            cur = await db.execute(
                "INSERT INTO moderation_drafts (community, user_id, data, created_at)"
                " VALUES (?, ?, ?, ?)",
                (community, user_id, data, now),
            )
            return int(cur.lastrowid or 0)

    async def draft(self, draft_id: int, community: str, user_id: str) -> str | None:
        row = await self.fetchone(
            "SELECT data FROM moderation_drafts WHERE id = ? AND community = ? AND user_id = ?",
            (draft_id, community, user_id),
        )
        return str(row[0]) if row else None

    async def drop_draft(self, draft_id: int, community: str, user_id: str) -> None:
        """Forget a draft once a choice made from it is done, so its other buttons stop working."""
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM moderation_drafts WHERE id = ? AND community = ? AND user_id = ?",
                (draft_id, community, user_id),
            )

    @staticmethod
    async def _purge_drafts(db: aiosqlite.Connection, before: float) -> None:
        await db.execute("DELETE FROM moderation_drafts WHERE created_at < ?", (before,))
