"""Each community's own entries on top of the YAML base, their revisions, and the version that
tells the service a community's view must be rebuilt.

The rules (who may hide what, stale edits) live in `bot.moderation.overlay`; this is only the
SQL. Methods taking `db` run inside the caller's `transaction()`, so a rule check and its write
are one transaction.
"""

from __future__ import annotations

from typing import cast

import aiosqlite

from bot.store.database import Database, Row

# (entry id, kind, data as JSON or None); kind is entry | hidden | removed.
OverlayRow = tuple[str, str, str | None]


class OverlayQueries(Database):
    async def community_version(self, community: str) -> int:
        row = await self.fetchone(
            "SELECT version FROM community_version WHERE community = ?", (community,)
        )
        return int(row[0]) if row else 0

    async def overlay_rows(self, community: str, *, by_update: bool = False) -> list[OverlayRow]:
        """Every overlay row of the community, by id (or in the order they were last changed)."""
        order = "updated_at, entry_id" if by_update else "entry_id"
        rows = await self.fetchall(
            f"SELECT entry_id, kind, data FROM overlay_entries WHERE community = ? ORDER BY {order}",
            (community,),
        )
        return cast(list[OverlayRow], rows)

    async def overlay_row(self, community: str, entry_id: str,
                          db: aiosqlite.Connection | None = None) -> tuple[str, str | None, int] | None:
        """(kind, data, revision) of one entry's overlay row, or None when the community never
        touched it. Pass `db` to read inside a transaction."""
        sql = "SELECT kind, data, revision FROM overlay_entries WHERE community = ? AND entry_id = ?"
        if db is None:
            row = await self.fetchone(sql, (community, entry_id))
        else:
            async with db.execute(sql, (community, entry_id)) as cur:
                row = cast(Row | None, await cur.fetchone())
        return None if row is None else (row[0], row[1], int(row[2]))

    async def revision_rows(self, community: str, entry_id: str) -> list[Row]:
        """(entry id, revision, action, actor, at, before, after), newest first."""
        return await self.fetchall(
            "SELECT entry_id, revision, action, actor, at, before, after FROM revisions"
            " WHERE community = ? AND entry_id = ? ORDER BY revision DESC",
            (community, entry_id),
        )

    async def revision_content(self, db: aiosqlite.Connection, community: str, entry_id: str,
                               revision: int) -> tuple[str | None] | None:
        """`(after,)`: the content a revision left (None when it hid or removed the entry), or
        None if there is no such revision."""
        async with db.execute(
            "SELECT after FROM revisions WHERE community = ? AND entry_id = ? AND revision = ?",
            (community, entry_id, revision),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else (row[0],)

    async def revisions_since(self, db: aiosqlite.Connection, community: str, entry_id: str,
                              revision: int) -> list[Row]:
        """(revision, action, actor, at, before, after) of every revision after `revision`."""
        async with db.execute(
            "SELECT revision, action, actor, at, before, after FROM revisions WHERE community = ?"
            " AND entry_id = ? AND revision > ? ORDER BY revision",
            (community, entry_id, revision),
        ) as cur:
            return cast(list[Row], list(await cur.fetchall()))

    async def write_overlay(
        self, db: aiosqlite.Connection, community: str, entry_id: str, *, kind: str,
        data: str | None, revision: int, action: str, actor: str, now: float,
        before: str | None, after: str | None,
    ) -> None:
        """The entry's new overlay row, its revision, and a new community version."""
        await db.execute(
            "INSERT INTO overlay_entries (community, entry_id, kind, data, revision, updated_at,"
            " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (community, entry_id) DO UPDATE"
            " SET kind = excluded.kind, data = excluded.data, revision = excluded.revision,"
            " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (community, entry_id, kind, data, revision, now, actor),
        )
        await db.execute(
            "INSERT INTO revisions (community, entry_id, revision, action, actor, at, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (community, entry_id, revision, action, actor, now, before, after),
        )
        await db.execute(
            "INSERT INTO community_version (community, version) VALUES (?, 1)"
            " ON CONFLICT (community) DO UPDATE SET version = version + 1",
            (community,),
        )
