"""Per-community settings set by moderators."""

from __future__ import annotations

from bot.store.database import Database

# The community's own support contact (a counselling service, a #support channel).
SUPPORT_LINE = "support_line"
# Settings of the bot itself rather than of one community live under this community id, which
# no platform produces.
BOT_WIDE = ""
RELOAD_REQUESTED = "kb_reload_requested"


class SettingsQueries(Database):
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

    async def request_reload(self, now: float) -> None:
        """Ask the running bot (in any process or container sharing this database) to reload
        its knowledge base; it polls for this (`bot.app.watch_reload`)."""
        await self.set_setting(BOT_WIDE, RELOAD_REQUESTED, repr(now), now)

    async def reload_requested(self) -> float:
        """When a reload was last requested (0.0 if never)."""
        value = await self.setting(BOT_WIDE, RELOAD_REQUESTED)
        try:
            return float(value) if value else 0.0
        except ValueError:
            return 0.0
