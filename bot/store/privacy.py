"""`forget-me`: every row about one member, in every table, deleted in one transaction.

Forgotten means forgotten on disk too: deleted rows are overwritten (`secure_delete`, set here
explicitly rather than relying on how SQLite was built), and the write-ahead log, which still
holds copies of every recent page, is checkpointed and truncated right after. A moderator's
changes to the community's entries stay (they are the community's knowledge), but the history
no longer says who made them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.database import Database, Params


@dataclass(frozen=True)
class Forgotten:
    """What `forget-me` deleted, per kind of record."""

    sessions: int
    results: int
    quiz_events: int
    asks: int
    unanswered_askers: int
    unanswered_items: int
    feedback: int
    drafts: int
    revisions: int


# What a forgotten moderator's changes are attributed to from then on.
FORGOTTEN_AUTHOR = "a former moderator"


class PrivacyQueries(Database):
    async def forget_member(self, user_id: str) -> Forgotten:
        """Delete every row about one member; unanswered items only they asked go too."""
        await self.conn.execute("PRAGMA secure_delete = ON")
        async with self.transaction() as db:

            async def delete(sql: str, params: Params) -> int:
                cursor = await db.execute(sql, params)
                return cursor.rowcount

            sessions = await delete("DELETE FROM quiz_sessions WHERE user_id = ?", (user_id,))
            results = await delete("DELETE FROM quiz_results WHERE user_id = ?", (user_id,))
            events = await delete("DELETE FROM quiz_events WHERE user_id = ?", (user_id,))
            asks = await delete("DELETE FROM ask_log WHERE user_id = ?", (user_id,))
            asked = await db.execute_fetchall(
                "SELECT community, norm, asks FROM unanswered_askers WHERE user_id = ?",
                (user_id,),
            )
            askers = await delete("DELETE FROM unanswered_askers WHERE user_id = ?", (user_id,))
            items = 0
            for community, norm, times in asked:
                items += await delete(
                    "DELETE FROM unanswered WHERE community = ? AND norm = ? AND NOT EXISTS"
                    " (SELECT 1 FROM unanswered_askers a WHERE a.community = ? AND a.norm = ?)",
                    (community, norm, community, norm),
                )
                # Others asked it too: show one of their wordings, never the forgotten member's,
                # and count only their asks.
                await db.execute(
                    "UPDATE unanswered SET sample = COALESCE((SELECT a.sample FROM unanswered_askers a"
                    " WHERE a.community = ? AND a.norm = ? AND a.sample != '' ORDER BY a.rowid DESC"
                    " LIMIT 1), norm), count = MAX(1, count - ?) WHERE community = ? AND norm = ?",
                    (community, norm, times, community, norm),
                )
            feedback = await delete("DELETE FROM feedback WHERE user_id = ?", (user_id,))
            drafts = await delete("DELETE FROM moderation_drafts WHERE user_id = ?", (user_id,))
            await delete("DELETE FROM member_home WHERE user_id = ?", (user_id,))
            # Moderators are recorded as "<member key>" or "<member key> (<display name>)".
            authored = (user_id, f"{_like_escape(user_id)} (%")
            revisions = await delete(
                "UPDATE revisions SET actor = ? WHERE actor = ? OR actor LIKE ? ESCAPE '\\'",
                (FORGOTTEN_AUTHOR, *authored),
            )
            await db.execute(
                "UPDATE overlay_entries SET updated_by = ? WHERE updated_by = ?"
                " OR updated_by LIKE ? ESCAPE '\\'",
                (FORGOTTEN_AUTHOR, *authored),
            )
        # The log still holds the deleted pages until a checkpoint overwrites the database and
        # truncates it; TRUNCATE waits for nothing but this connection's own readers.
        await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return Forgotten(sessions, results, events, asks, askers, items, feedback, drafts,
                         revisions)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
