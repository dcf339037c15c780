"""A community's own entries on top of the YAML base: the rules for adding, editing, hiding,
removing, restoring and reverting, each written with a revision in one transaction."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite
from pydantic import ValidationError

from bot.kb.models import Entry, KnowledgeBase
from bot.store import Store

log = logging.getLogger(__name__)


# -- overlay state ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryState:
    """One entry as a community sees it right now."""

    entry_id: str
    revision: int
    kind: str  # base | entry | hidden | removed | absent
    entry: Entry | None  # visible content, None when hidden, removed or absent
    stash: Entry | None  # what restore brings back
    base: Entry | None

    @property
    def own(self) -> bool:
        return self.base is None


@dataclass(frozen=True)
class RevisionRow:
    entry_id: str
    revision: int
    action: str
    actor: str
    at: float
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangeRefused(Exception):
    """A change that cannot be made; the message is shown to the moderator as is."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class StaleEdit(ChangeRefused):
    pass


def _load_entry(data: str | None) -> Entry | None:
    if not data:
        return None
    try:
        return Entry.model_validate(json.loads(data))
    except (ValueError, ValidationError):
        # A row written under an older schema must not take the whole community down.
        log.warning("ignoring an overlay entry that no longer validates")
        return None


def _json(text: str | None) -> dict[str, Any] | None:
    """A revision's stored `before` or `after`, decoded (None when it recorded no content)."""
    return json.loads(text) if text else None


def _dump(entry: Entry | None) -> str | None:
    return None if entry is None else json.dumps(entry.to_dict(), ensure_ascii=False)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    if before is None or after is None:
        return []
    return [k for k in after if before.get(k) != after.get(k)]


def when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


class Curator:
    """The overlay and its revisions: everything here is scoped by community.

    Implements `bot.views.Overlay`, so the service's views see every change at once.
    """

    def __init__(self, store: Store, kb: KnowledgeBase):
        self.store = store
        self.kb = kb
        self.base = kb.by_id()

    # Overlay protocol

    async def version(self, community: str) -> int:
        return await self.store.community_version(community)

    async def entries(self, community: str, base: list[Entry]) -> list[Entry]:
        rows = await self.store.overlay_rows(community, by_update=True)
        overlay = {entry_id: (kind, data) for entry_id, kind, data in rows}
        out: list[Entry] = []
        for entry in base:
            kind, data = overlay.pop(entry.id, ("base", None))
            if kind == "base":
                out.append(entry)
            elif kind == "entry":
                out.append(_load_entry(data) or entry)
        for kind, data in overlay.values():
            own = _load_entry(data) if kind == "entry" else None
            if own is not None:
                out.append(own)
        return out

    # reading

    async def state(self, community: str, entry_id: str,
                    db: aiosqlite.Connection | None = None) -> EntryState:
        row = await self.store.overlay_row(community, entry_id, db)
        base = self.base.get(entry_id)
        if row is None:
            return EntryState(entry_id, 0, "base" if base else "absent", base, None, base)
        kind, data, revision = row
        content = _load_entry(data)
        if kind == "entry":
            return EntryState(entry_id, revision, kind, content or base, None, base)
        return EntryState(entry_id, revision, kind, None, content or base, base)

    async def history(self, community: str, entry_id: str) -> list[RevisionRow]:
        rows = await self.store.revision_rows(community, entry_id)
        return [
            RevisionRow(eid, rev, action, actor, at, _json(before), _json(after))
            for eid, rev, action, actor, at, before, after in rows
        ]

    async def overlay_rows(self, community: str) -> list[tuple[str, str, Entry | None]]:
        rows = await self.store.overlay_rows(community)
        return [(entry_id, kind, _load_entry(data)) for entry_id, kind, data in rows]

    def stash(self, rows: list[tuple[str, str, Entry | None]]) -> list[Entry]:
        """The hidden and removed entries among overlay rows, as they were when put away."""
        return [entry for entry_id, kind, content in rows if kind in ("hidden", "removed")
                and (entry := content or self.base.get(entry_id)) is not None]

    async def stashed(self, community: str, text: str = "") -> list[Entry]:
        """The community's hidden and removed entries whose id, alias or question holds `text`."""
        needle = text.strip().lower()
        return [e for e in self.stash(await self.overlay_rows(community))
                if needle in f"{e.id} {' '.join(e.aliases)} {e.question}".lower()]

    # writing

    async def _write(
        self,
        db: aiosqlite.Connection,
        community: str,
        current: EntryState,
        *,
        action: str,
        actor: str,
        now: float,
        kind: str,
        data: Entry | None,
    ) -> int:
        """Store the new state, its revision and a new community version; returns the revision."""
        revision = current.revision + 1
        after = data if kind == "entry" else None
        await self.store.write_overlay(
            db, community, current.entry_id, kind=kind, data=_dump(data), revision=revision,
            action=action, actor=actor, now=now, before=_dump(current.entry), after=_dump(after),
        )
        return revision

    async def add(self, community: str, entry: Entry, actor: str, now: float) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry.id, db)
            if current.kind in ("base", "entry"):
                raise ChangeRefused(f"`{entry.id}` already exists; edit it with `faq edit {entry.id}`.",
                                    {"id": "an entry with this id already exists"})
            if current.kind == "hidden":
                raise ChangeRefused(f"`{entry.id}` is a hidden entry; bring it back with "
                                    f"`faq restore {entry.id}`.", {"id": "this id is a hidden entry"})
            return await self._write(db, community, current, action="add", actor=actor, now=now,
                                     kind="entry", data=entry)

    async def edit(
        self, community: str, entry: Entry, actor: str, now: float, expected: int | None,
        action: str = "edit",
    ) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry.id, db)
            if current.entry is None:
                raise ChangeRefused(not_visible(current))
            if expected is not None and expected != current.revision:
                raise StaleEdit(await self._stale_message(db, community, current, expected))
            if current.entry == entry:
                raise ChangeRefused(f"No change: `{entry.id}` already reads like that.")
            return await self._write(db, community, current, action=action, actor=actor, now=now,
                                     kind="entry", data=entry)

    async def modify(
        self, community: str, entry_id: str, change: Callable[[Entry], Entry], action: str,
        actor: str, now: float,
    ) -> tuple[int, Entry]:
        """Read-modify-write of the current content, inside one transaction."""
        async with self.store.transaction() as db:
            current = await self.state(community, entry_id, db)
            if current.entry is None:
                raise ChangeRefused(not_visible(current))
            updated = change(current.entry)
            if updated == current.entry:
                raise ChangeRefused(f"No change: `{entry_id}` already has that.")
            rev = await self._write(db, community, current, action=action, actor=actor, now=now,
                                    kind="entry", data=updated)
            return rev, updated

    async def hide(self, community: str, entry_id: str, actor: str, now: float) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry_id, db)
            if current.kind == "absent":
                raise ChangeRefused(f"There is no entry `{entry_id}`.")
            if current.own:
                raise ChangeRefused(f"`{entry_id}` was added by this community; use `faq remove {entry_id}`.")
            if current.entry is None:
                raise ChangeRefused(f"`{entry_id}` is already hidden.")
            return await self._write(db, community, current, action="hide", actor=actor, now=now,
                                     kind="hidden", data=current.entry)

    async def remove(self, community: str, entry_id: str, actor: str, now: float) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry_id, db)
            if current.kind == "absent":
                raise ChangeRefused(f"There is no entry `{entry_id}`.")
            if not current.own:
                raise ChangeRefused(f"`{entry_id}` comes from the shared knowledge base; hide it with "
                                    f"`faq hide {entry_id}`.")
            if current.entry is None:
                raise ChangeRefused(f"`{entry_id}` is already removed.")
            return await self._write(db, community, current, action="remove", actor=actor, now=now,
                                     kind="removed", data=current.entry)

    async def _refuse_clash(self, community: str, content: Entry) -> None:
        """Refuse to bring back `content` when another visible entry took one of its aliases
        (or its id as an alias) while it was hidden, removed or different: both would claim
        the name, and neither could take a variant or an alias any more."""
        names: dict[str, str] = {}
        for other in await self.entries(community, list(self.kb.entries)):
            if other.id == content.id:
                continue
            names.setdefault(other.id, other.id)
            for alias in other.aliases:
                names.setdefault(alias, other.id)
        for name in (content.id, *content.aliases):
            owner = names.get(name)
            if owner is not None:
                raise ChangeRefused(
                    f"`{content.id}` cannot come back as it was: `{name}` is now "
                    f"{'the id' if name == owner else 'an alias'} of `{owner}`. Remove it there "
                    f"first (`faq edit {owner}`); nothing was changed.")

    async def restore(self, community: str, entry_id: str, actor: str, now: float) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry_id, db)
            if current.kind not in ("hidden", "removed") or current.stash is None:
                raise ChangeRefused(f"`{entry_id}` is not hidden or removed.")
            await self._refuse_clash(community, current.stash)
            return await self._write(db, community, current, action="restore", actor=actor, now=now,
                                     kind="entry", data=current.stash)

    async def revert(self, community: str, entry_id: str, target: int, actor: str, now: float) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry_id, db)
            if target == 0 and current.base is not None:
                content: Entry | None = current.base
            else:
                row = await self.store.revision_content(db, community, entry_id, target)
                if row is None:
                    raise ChangeRefused(f"`{entry_id}` has no revision {target}; see `faq history {entry_id}`.")
                content = _load_entry(row[0])
            if target == current.revision or (
                content == current.entry if content is not None else current.entry is None
            ):
                # A double click on "revert" must not record the same state twice.
                raise ChangeRefused(
                    f"`{entry_id}` already matches revision {target}; nothing was changed."
                )
            if content is None:
                # The target revision hid or removed the entry: revert does the same.
                kind = "removed" if current.own else "hidden"
                stash = current.entry or current.stash
                return await self._write(db, community, current, action=f"revert to r{target}",
                                         actor=actor, now=now, kind=kind, data=stash)
            await self._refuse_clash(community, content)
            return await self._write(db, community, current, action=f"revert to r{target}",
                                     actor=actor, now=now, kind="entry", data=content)

    async def apply_import(
        self, community: str, entries: list[Entry], hidden: list[str], actor: str, now: float
    ) -> dict[str, int]:
        """Apply an already validated import in one transaction: all or nothing."""
        counts = {"added": 0, "changed": 0, "unchanged": 0, "hidden": 0}
        async with self.store.transaction() as db:
            for entry in entries:
                current = await self.state(community, entry.id, db)
                if current.entry == entry:
                    counts["unchanged"] += 1
                    continue
                counts["added" if current.entry is None else "changed"] += 1
                await self._write(db, community, current, action="import", actor=actor, now=now,
                                  kind="entry", data=entry)
            for entry_id in hidden:
                current = await self.state(community, entry_id, db)
                if current.entry is None:
                    continue
                counts["hidden"] += 1
                await self._write(db, community, current, action="import", actor=actor, now=now,
                                  kind="hidden" if not current.own else "removed", data=current.entry)
        return counts

    async def _stale_message(
        self, db: aiosqlite.Connection, community: str, current: EntryState, expected: int
    ) -> str:
        rows = await self.store.revisions_since(db, community, current.entry_id, expected)
        lines = []
        for rev, action, actor, at, before, after in rows:
            fields = changed_fields(_json(before), _json(after))
            what = f" changed {', '.join(fields)}" if fields else ""
            lines.append(f"- r{rev}: {action} by {actor}, {when(at)}{what}")
        return (
            f"`{current.entry_id}` changed since you opened it (you started from revision {expected}, "
            f"it is now at revision {current.revision}):\n" + "\n".join(lines)
            + "\n\nNothing was saved, so nobody's change is lost. Your text is below: open the "
            "current version and apply it on top."
        )


def not_visible(state: EntryState) -> str:
    if state.kind == "hidden":
        return f"`{state.entry_id}` is hidden here; bring it back first with `faq restore {state.entry_id}`."
    if state.kind == "removed":
        return f"`{state.entry_id}` was removed; bring it back first with `faq restore {state.entry_id}`."
    return f"There is no entry `{state.entry_id}`."
