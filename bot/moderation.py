"""Moderation: per-community overlays on the YAML base, revisions, permissions, the unanswered
queue, feedback and stats.

A community (a Discord server, a Slack workspace, the console's `local`) sees the YAML entries
plus its own overlay rows from the store. One row per entry the community touched:

- kind `entry`: the community's version of the entry (its own entry, or an override of a base one);
- kind `hidden`: a base entry the community hid; `data` keeps what `restore` brings back;
- kind `removed`: the community's own entry, removed; `data` keeps its last content.

Every change writes the row, a revision (who, when, before, after) and bumps the community's
version in one transaction, so `Service.view` rebuilds that community's index on the next
question and no other community is touched. Permissions are decided here, from
`ctx.is_moderator`, on every command, button and form submission.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiosqlite
import yaml
from pydantic import ValidationError

from bot.knowledge import (
    MAX_ANSWER,
    MAX_ID,
    MAX_QUESTION,
    Entry,
    KnowledgeBase,
    Problem,
    check_entry_references,
    parse_entry,
)
from bot.replies import (
    ButtonPress,
    Choice,
    Command,
    Context,
    Form,
    FormField,
    FormSubmit,
    Reply,
    error,
)
from bot.service import SUPPORT_LINE, HelpLine, KnowledgeView, Service
from bot.store import Store
from bot.text import SLACK_LINK

log = logging.getLogger(__name__)

FORM_ADD = "faq-add"
FORM_EDIT = "faq-edit"
FORM_ATTACH = "unanswered-attach"

REFUSED = "Only moderators can change this community's FAQ. Nothing was changed."
DAY = 86400.0
DRAFT_TTL = 7 * DAY
UNANSWERED_SHOWN = 8  # three buttons each: stays under Discord's 25 buttons per message
REVIEW_MIN_VOTES = 3
REVIEW_MAX_RATIO = 0.5

HELP = [
    HelpLine("faq add [question]", "add an entry (opens a form)", True),
    HelpLine("faq edit <id>", "edit an entry; a base entry becomes this community's override", True),
    HelpLine("faq variant <id> <text>", "add another phrasing of an entry", True),
    HelpLine("faq alias <id> <alias>", "add a short name for an entry", True),
    HelpLine("faq hide <id> / faq restore <id>", "hide a base entry, or bring it back", True),
    HelpLine("faq remove <id>", "remove an entry this community added", True),
    HelpLine("faq history <id>", "list an entry's revisions", True),
    HelpLine("faq revert <id> <rev>", "restore an earlier revision (as a new revision)", True),
    HelpLine("unanswered", "the most-asked questions the bot could not answer", True),
    HelpLine("stats", "questions, answer rates, top entries, feedback and quizzes", True),
    HelpLine("faq helpline [text | clear]",
             "show or set this community's own support contact, shown under the wellbeing replies",
             True),
]
HELPLINE_MAX = 300


# -- text: what moderators type is stored neutralised -------------------------------------------

ZWSP = "\u200b"
_SLACK_URL = re.compile(r"<(https?://[^|>\s]+)>")
_SLACK_SPECIAL = re.compile(r"<!([^>|<]*)(?:\|([^>]*))?>")
_MENTION_OPENER = re.compile(r"<([!@#])")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")
_USER_MENTION = re.compile(r"<@!?([A-Za-z0-9]+)(?:\|([^>]*))?>")
# No word boundary: a client may still ping on "@everyone" glued to more letters.
_MASS_MENTION = re.compile(r"@(everyone|here|channel)", re.I)
_FENCE = re.compile(r"(?:```|~~~)(?:[A-Za-z0-9_+-]+(?=[ \t]*\n))?")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_SETEXT_OR_RULE = re.compile(r"^[ \t]*(?:={2,}|-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.S)
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)
_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)
_BLANKS = re.compile(r"\n{3,}")


def neutralise_mentions(text: str) -> str:
    """Keep who or what was mentioned readable, but make sure nothing can ping anyone."""
    text = SLACK_LINK.sub(r"[\2](\1)", text)
    text = _SLACK_URL.sub(r"\1", text)
    text = _SLACK_SPECIAL.sub(
        lambda m: "@" + ZWSP + ((m.group(2) or "").lstrip("@") or m.group(1).split("^")[0]), text
    )
    text = _ROLE_MENTION.sub("@" + ZWSP + "role", text)
    text = _USER_MENTION.sub(lambda m: "@" + ZWSP + (m.group(2) or m.group(1)), text)
    text = _MASS_MENTION.sub(lambda m: "@" + ZWSP + m.group(1), text)
    # Whatever is left of a `<!` or `<@` (nested or unclosed pieces) must not start a mention.
    return _MENTION_OPENER.sub(lambda m: "<" + ZWSP + m.group(1), text)


def neutralise_markdown(text: str) -> str:
    """Drop markdown the renderers cannot carry (they support **bold**, *italics*, bullets, links)."""
    text = _FENCE.sub("", text)
    text = _HTML.sub("", text)
    text = _HEADING.sub("", text)
    text = _TABLE_RULE.sub("", text)
    text = _TABLE_ROW.sub(lambda m: " - ".join(c.strip() for c in m.group(1).split("|")), text)
    text = _SETEXT_OR_RULE.sub("", text)
    if text.count("**") % 2:
        head, _, tail = text.rpartition("**")
        text = head + tail
    return _BLANKS.sub("\n\n", text).strip()


def clean_text(text: str) -> str:
    # Mentions again last: dropping an HTML tag can join `<@&` and `123>` into a fresh mention.
    return neutralise_mentions(neutralise_markdown(neutralise_mentions(text)))


# -- the one-line list formats used by forms and the console -----------------------------------

_ITEM_SPLIT = re.compile(r"\n")
_KEY_SPLIT = re.compile(r"[,\s|]+")


def split_items(text: str) -> list[str]:
    """Variants and sources: one per line. (The console's one-line prompts write a line break
    as ` | ` and turn it back into one before submitting; other platforms have real newlines.)"""
    return [item.strip() for item in _ITEM_SPLIT.split(text or "") if item.strip()]


def _is_number(text: str) -> bool:
    """A row or revision number from a button or command: digits, and small enough for SQLite."""
    return text.isdigit() and len(text) <= 15


def split_keys(text: str) -> list[str]:
    """Tags, aliases, related ids: separated by commas, spaces or ` | `."""
    return [item.strip().lower() for item in _KEY_SPLIT.split(text or "") if item.strip()]


def format_sources(entry: Entry) -> str:
    return "\n".join(f"{ref.source}: {ref.where}" for ref in entry.sources)


def parse_sources(text: str) -> tuple[list[dict[str, str]], str | None]:
    out = []
    for item in split_items(text):
        source, sep, where = item.partition(":")
        if not sep or not source.strip() or not where.strip():
            return out, (
                f"write each source as `source-id: where in the source` (got {item[:60]!r})"
            )
        out.append({"source": source.strip().lower(), "where": clean_text(where)})
    return out, None


DETAIL_KEYS = ("topic", "also_topics", "tags", "aliases", "related")


def format_details(entry: Entry) -> str:
    return "\n".join(
        [f"topic: {entry.topic}"]
        + [f"{key}: {', '.join(getattr(entry, key))}" for key in DETAIL_KEYS[1:]]
    )


def parse_details(text: str) -> tuple[dict[str, Any], str | None]:
    out: dict[str, Any] = {}
    for item in split_items(text):
        key, sep, value = item.partition(":")
        key = key.strip().lower()
        if not sep or key not in DETAIL_KEYS:
            return out, f"write lines like `topic: phd` or `tags: a, b` (keys: {', '.join(DETAIL_KEYS)})"
        out[key] = value.strip().lower() if key == "topic" else tuple(split_keys(value))
    return out, None


# -- forms ------------------------------------------------------------------------------------

def add_form(values: dict[str, str] | None = None, state: str = "") -> Form:
    v = values or {}
    return Form(
        id=FORM_ADD,
        title="Add an FAQ entry",
        state=state,
        fields=(
            FormField("id", "Id (lowercase-kebab-case)", v.get("id", ""), max_length=MAX_ID,
                      placeholder="phd-worth-it-at-30"),
            FormField("topic", "Topic", v.get("topic", ""), max_length=40, placeholder="phd, roles, skills, programs... (see `topics`)"),
            FormField("question", "Question", v.get("question", ""), max_length=MAX_QUESTION),
            FormField("answer", "Answer", v.get("answer", ""), multiline=True, max_length=MAX_ANSWER),
            FormField("sources", "Sources (source-id: where)", v.get("sources", ""), multiline=True,
                      max_length=2000, placeholder="reddit-phd-or-not: reply by a commenter"),
        ),
    )


def edit_values(entry: Entry) -> dict[str, str]:
    return {
        "question": entry.question,
        "answer": entry.answer,
        "variants": "\n".join(entry.variants),
        "sources": format_sources(entry),
        "details": format_details(entry),
    }


# The smallest text-input limit of any platform (Slack's 3,000). A longer variants list is left
# out of the edit form rather than cut: a renderer that truncated it would silently drop
# variants on save. Variants are then managed with `faq variant`.
MAX_FORM_FIELD = 3000


def edit_form(entry_id: str, revision: int, values: dict[str, str]) -> Form:
    variants = values.get("variants", "")
    fields = [
        FormField("question", "Question", values.get("question", ""), max_length=MAX_QUESTION),
        FormField("answer", "Answer", values.get("answer", ""), multiline=True, max_length=MAX_ANSWER),
    ]
    if len(variants) <= MAX_FORM_FIELD:
        fields.append(FormField("variants", "Other phrasings (one per line)", variants,
                                multiline=True, required=False, max_length=MAX_FORM_FIELD))
    fields += [
        FormField("sources", "Sources (source-id: where)", values.get("sources", ""),
                  multiline=True, max_length=2000),
        FormField("details", "Topic, also_topics, tags, aliases, related", values.get("details", ""),
                  multiline=True, max_length=1000, placeholder="topic: phd\ntags: a, b"),
    ]
    return Form(id=FORM_EDIT, title=f"Edit {entry_id}"[:45], state=f"{entry_id}@{revision}",
                fields=tuple(fields))


def attach_form(rowid: int, sample: str, guess: str) -> Form:
    return Form(
        id=FORM_ATTACH,
        title="Attach as a variant",
        state=str(rowid),
        fields=(
            FormField("entry", "Entry id", guess, max_length=MAX_ID),
            FormField("variant", "Phrasing to add", sample[:600], max_length=600),
        ),
        submit_label="Attach",
    )


def _form_field_for(loc: str, form_fields: Iterable[str], fallback: str) -> str:
    top = loc.split(".")[0]
    if top in form_fields:
        return top
    if top in DETAIL_KEYS and "details" in form_fields:
        return "details"
    return fallback


def problems_to_errors(problems: list[Problem], form_fields: tuple[str, ...]) -> dict[str, str]:
    """Field id -> one readable message, so adapters can show errors next to the field."""
    errors: dict[str, str] = {}
    for p in problems:
        target = _form_field_for(p.field, form_fields, form_fields[0])
        detail = p.field if p.field.split(".")[0] != target else p.field.partition(".")[2]
        message = f"{detail}: {p.reason}" if detail else p.reason
        errors[target] = f"{errors[target]}; {message}" if target in errors else message
    return errors


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


def _dump(entry: Entry | None) -> str | None:
    return None if entry is None else json.dumps(entry.to_dict(), ensure_ascii=False)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    if before is None or after is None:
        return []
    return [k for k in after if before.get(k) != after.get(k)]


def when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


Conn = Store | aiosqlite.Connection


async def _fetchone(conn: Conn, sql: str, params: tuple) -> tuple | None:
    if isinstance(conn, Store):
        return await conn.fetchone(sql, params)
    async with conn.execute(sql, params) as cur:
        return await cur.fetchone()


class Curator:
    """The overlay and its revisions: everything here is scoped by community.

    Implements `bot.service.Overlay`, so the service's views see every change at once.
    """

    def __init__(self, store: Store, kb: KnowledgeBase):
        self.store = store
        self.kb = kb
        self.base = {e.id: e for e in kb.entries}

    # Overlay protocol

    async def version(self, community: str) -> int:
        row = await self.store.fetchone(
            "SELECT version FROM community_version WHERE community = ?", (community,)
        )
        return int(row[0]) if row else 0

    async def entries(self, community: str, base: list[Entry]) -> list[Entry]:
        rows = await self.store.fetchall(
            "SELECT entry_id, kind, data FROM overlay_entries WHERE community = ?"
            " ORDER BY updated_at, entry_id",
            (community,),
        )
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

    async def state(self, community: str, entry_id: str, conn: Conn | None = None) -> EntryState:
        row = await _fetchone(
            conn or self.store,
            "SELECT kind, data, revision FROM overlay_entries WHERE community = ? AND entry_id = ?",
            (community, entry_id),
        )
        base = self.base.get(entry_id)
        if row is None:
            return EntryState(entry_id, 0, "base" if base else "absent", base, None, base)
        kind, data, revision = row
        content = _load_entry(data)
        if kind == "entry":
            return EntryState(entry_id, revision, kind, content or base, None, base)
        return EntryState(entry_id, revision, kind, None, content or base, base)

    async def history(self, community: str, entry_id: str) -> list[RevisionRow]:
        rows = await self.store.fetchall(
            "SELECT entry_id, revision, action, actor, at, before, after FROM revisions"
            " WHERE community = ? AND entry_id = ? ORDER BY revision DESC",
            (community, entry_id),
        )
        return [
            RevisionRow(eid, rev, action, actor, at,
                        json.loads(before) if before else None, json.loads(after) if after else None)
            for eid, rev, action, actor, at, before, after in rows
        ]

    async def overlay_rows(self, community: str) -> list[tuple[str, str, Entry | None]]:
        rows = await self.store.fetchall(
            "SELECT entry_id, kind, data FROM overlay_entries WHERE community = ? ORDER BY entry_id",
            (community,),
        )
        return [(entry_id, kind, _load_entry(data)) for entry_id, kind, data in rows]

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
        await db.execute(
            "INSERT INTO overlay_entries (community, entry_id, kind, data, revision, updated_at,"
            " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (community, entry_id) DO UPDATE"
            " SET kind = excluded.kind, data = excluded.data, revision = excluded.revision,"
            " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (community, current.entry_id, kind, _dump(data), revision, now, actor),
        )
        await db.execute(
            "INSERT INTO revisions (community, entry_id, revision, action, actor, at, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (community, current.entry_id, revision, action, actor, now, _dump(current.entry),
             _dump(after)),
        )
        await db.execute(
            "INSERT INTO community_version (community, version) VALUES (?, 1)"
            " ON CONFLICT (community) DO UPDATE SET version = version + 1",
            (community,),
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
                raise ChangeRefused(_not_visible(current))
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
                raise ChangeRefused(_not_visible(current))
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

    async def restore(self, community: str, entry_id: str, actor: str, now: float) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry_id, db)
            if current.kind not in ("hidden", "removed") or current.stash is None:
                raise ChangeRefused(f"`{entry_id}` is not hidden or removed.")
            return await self._write(db, community, current, action="restore", actor=actor, now=now,
                                     kind="entry", data=current.stash)

    async def revert(self, community: str, entry_id: str, target: int, actor: str, now: float) -> int:
        async with self.store.transaction() as db:
            current = await self.state(community, entry_id, db)
            if target == 0 and current.base is not None:
                content: Entry | None = current.base
            else:
                row = await _fetchone(
                    db, "SELECT after FROM revisions WHERE community = ? AND entry_id = ? AND revision = ?",
                    (community, entry_id, target),
                )
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
        async with db.execute(
            "SELECT revision, action, actor, at, before, after FROM revisions WHERE community = ?"
            " AND entry_id = ? AND revision > ? ORDER BY revision",
            (community, current.entry_id, expected),
        ) as cur:
            rows = await cur.fetchall()
        lines = []
        for rev, action, actor, at, before, after in rows:
            fields = changed_fields(json.loads(before) if before else None,
                                    json.loads(after) if after else None)
            what = f" changed {', '.join(fields)}" if fields else ""
            lines.append(f"- r{rev}: {action} by {actor}, {when(at)}{what}")
        return (
            f"`{current.entry_id}` changed since you opened it (you started from revision {expected}, "
            f"it is now at revision {current.revision}):\n" + "\n".join(lines)
            + "\n\nNothing was saved, so nobody's change is lost. Your text is below: open the "
            "current version and apply it on top."
        )


def _not_visible(state: EntryState) -> str:
    if state.kind == "hidden":
        return f"`{state.entry_id}` is hidden here; bring it back first with `faq restore {state.entry_id}`."
    if state.kind == "removed":
        return f"`{state.entry_id}` was removed; bring it back first with `faq restore {state.entry_id}`."
    return f"There is no entry `{state.entry_id}`."


# -- validation -------------------------------------------------------------------------------


def validate_entry(
    raw: dict[str, Any], kb: KnowledgeBase, view_entries: Iterable[Entry], file: str = "<input>"
) -> tuple[Entry | None, list[Problem]]:
    """The YAML schema, the reference checks and alias uniqueness within the community."""
    entry, problems = parse_entry(raw, file)
    if entry is None:
        return None, problems
    others = [e for e in view_entries if e.id != entry.id]
    known = {e.id for e in others} | {entry.id}
    problems = check_entry_references(entry, known, kb.sources, file)
    alias_owner = {a: e.id for e in others for a in e.aliases}
    for alias in entry.aliases:
        if alias in known and alias != entry.id:
            problems.append(Problem(file, entry.id, "aliases", f"{alias!r} is another entry's id"))
        elif alias in alias_owner:
            problems.append(Problem(file, entry.id, "aliases",
                                    f"{alias!r} is already an alias of {alias_owner[alias]}"))
    if entry.id in alias_owner:
        problems.append(Problem(file, entry.id, "id", f"{entry.id!r} is an alias of {alias_owner[entry.id]}"))
    return (entry if not problems else None), problems


def clean_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """Neutralise mentions and renderer-breaking markdown in every text a member will see."""
    out = dict(raw)
    for key in ("question", "answer"):
        if isinstance(out.get(key), str):
            out[key] = clean_text(out[key])
    if isinstance(out.get("variants"), list | tuple):
        out["variants"] = [clean_text(v) if isinstance(v, str) else v for v in out["variants"]]
    if isinstance(out.get("sources"), list | tuple):
        out["sources"] = [
            {**s, "where": clean_text(s["where"])} if isinstance(s, dict) and isinstance(s.get("where"), str)
            else s
            for s in out["sources"]
        ]
    return out


def raw_from_form(values: dict[str, str], base: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Form values (one-line list formats) -> a raw entry mapping, plus format errors by field."""
    raw = dict(base)
    errors: dict[str, str] = {}
    for key in ("id", "topic"):
        if key in values:
            raw[key] = values[key].strip().lower()
    if "question" in values:
        raw["question"] = values["question"].strip()
    if "answer" in values:
        raw["answer"] = values["answer"].strip()
    if "variants" in values:
        raw["variants"] = split_items(values["variants"])
    if "sources" in values:
        raw["sources"], problem = parse_sources(values["sources"])
        if problem:
            errors["sources"] = problem
    if "details" in values:
        details, problem = parse_details(values["details"])
        raw.update(details)
        if problem:
            errors["details"] = problem
    return clean_raw(raw), errors


# -- the service feature ----------------------------------------------------------------------

E = TypeVar("E", Command, ButtonPress, FormSubmit)


def moderator_only(handler: Callable[[E], Awaitable[Reply]]) -> Callable[[E], Awaitable[Reply]]:
    """The permission check every moderator command, button and form goes through."""

    async def checked(event: E) -> Reply:
        if not event.ctx.is_moderator:
            return error(REFUSED)
        return await handler(event)

    checked.__name__ = getattr(handler, "__name__", "checked")
    return checked


@dataclass
class Stats:
    window_days: int
    asked: int
    answered: int
    ambiguous: int
    unknown: int
    quiz_starts: int
    quiz_completions: int
    top_entries: list[tuple[str, int]] = field(default_factory=list)

    def rate(self, n: int) -> str:
        return f"{100 * n / self.asked:.0f}%" if self.asked else "-"


@dataclass(frozen=True)
class Helpfulness:
    entry_id: str
    yes: int
    no: int

    @property
    def ratio(self) -> float:
        total = self.yes + self.no
        return self.yes / total if total else 0.0


async def community_stats(store: Store, community: str, now: float, days: int) -> Stats:
    since = now - days * DAY
    rows = await store.fetchall(
        "SELECT status, COUNT(*) FROM ask_log WHERE community = ? AND asked_at >= ? GROUP BY status",
        (community, since),
    )
    by_status = dict(rows)
    top = await store.fetchall(
        "SELECT entry_id, COUNT(*) AS n FROM ask_log WHERE community = ? AND asked_at >= ?"
        " AND status IN ('answered', 'shown') AND entry_id IS NOT NULL GROUP BY entry_id"
        " ORDER BY n DESC, entry_id LIMIT 5",
        (community, since),
    )
    quiz = dict(await store.fetchall(
        "SELECT kind, COUNT(*) FROM quiz_events WHERE community = ? AND at >= ? GROUP BY kind",
        (community, since),
    ))
    return Stats(
        window_days=days,
        asked=sum(n for status, n in by_status.items() if status != "shown"),
        answered=by_status.get("answered", 0),
        ambiguous=by_status.get("ambiguous", 0),
        unknown=by_status.get("unknown", 0) + by_status.get("uncovered", 0),
        quiz_starts=quiz.get("start", 0),
        quiz_completions=quiz.get("complete", 0),
        top_entries=[(entry_id, n) for entry_id, n in top],
    )


async def helpfulness(store: Store, community: str) -> list[Helpfulness]:
    rows = await store.fetchall(
        "SELECT entry_id, SUM(helpful), SUM(1 - helpful) FROM feedback WHERE community = ?"
        " GROUP BY entry_id ORDER BY entry_id",
        (community,),
    )
    return [Helpfulness(entry_id, int(yes), int(no)) for entry_id, yes, no in rows]


def needs_review(votes: list[Helpfulness]) -> list[Helpfulness]:
    poor = [h for h in votes if h.yes + h.no >= REVIEW_MIN_VOTES and h.ratio < REVIEW_MAX_RATIO]
    return sorted(poor, key=lambda h: (h.ratio, -(h.yes + h.no), h.entry_id))


@dataclass(frozen=True)
class QueueItem:
    rowid: int
    norm: str
    sample: str
    count: int
    askers: int
    last_asked: float


class Moderation:
    def __init__(self, service: Service):
        self.service = service
        self.store = service.store
        self.kb = service.kb
        self.curator = Curator(service.store, service.kb)

    @property
    def now(self) -> float:
        return self.service.clock()

    def register(self) -> None:
        s = self.service
        s.overlay = self.curator
        commands: dict[str, Callable[[Command], Awaitable[Reply]]] = {
            "faq-add": self.cmd_add, "faq-edit": self.cmd_edit, "faq-variant": self.cmd_variant,
            "faq-alias": self.cmd_alias, "faq-hide": self.cmd_hide, "faq-restore": self.cmd_restore,
            "faq-remove": self.cmd_remove, "faq-history": self.cmd_history,
            "faq-revert": self.cmd_revert, "unanswered": self.cmd_unanswered, "stats": self.cmd_stats,
            "faq-helpline": self.cmd_helpline,
        }
        s.commands.update({name: moderator_only(h) for name, h in commands.items()})
        buttons: dict[str, Callable[[ButtonPress], Awaitable[Reply]]] = {
            "mod-edit": self.btn_edit, "mod-reopen": self.btn_reopen,
            "mod-dup-save": self.btn_dup_save, "mod-dup-variant": self.btn_dup_variant,
            "mod-revert": self.btn_revert, "unanswered-new": self.btn_unanswered_new,
            "unanswered-attach": self.btn_unanswered_attach,
            "unanswered-dismiss": self.btn_unanswered_dismiss,
        }
        s.buttons.update({name: moderator_only(h) for name, h in buttons.items()})
        # Voting is for everyone.
        s.buttons["feedback"] = self.btn_feedback
        forms: dict[str, Callable[[FormSubmit], Awaitable[Reply]]] = {
            FORM_ADD: self.form_add, FORM_EDIT: self.form_edit, FORM_ATTACH: self.form_attach,
        }
        s.forms.update({name: moderator_only(h) for name, h in forms.items()})
        s.help_lines.extend(h for h in HELP if h not in s.help_lines)

    # -- helpers ----------------------------------------------------------------------------

    async def _view(self, ctx: Context) -> KnowledgeView:
        return await self.service.view(ctx.community)

    async def _resolve(self, ctx: Context, key: str) -> str:
        """An id or alias -> an entry id (hidden and removed ids resolve to themselves)."""
        key = key.strip().lower()
        view = await self._view(ctx)
        return view.aliases.get(key, key)

    def _actor(self, ctx: Context) -> str:
        name = f" ({ctx.user_name})" if ctx.user_name and ctx.user_name != ctx.user else ""
        return f"{ctx.member_key}{name}"[:120]

    async def _save_draft(self, ctx: Context, data: dict[str, Any]) -> int:
        async with self.store.transaction() as db:
            await db.execute("DELETE FROM moderation_drafts WHERE created_at < ?", (self.now - DRAFT_TTL,))
            cur = await db.execute(
                "INSERT INTO moderation_drafts (community, user_id, data, created_at) VALUES (?, ?, ?, ?)",
                (ctx.community, ctx.member_key, json.dumps(data), self.now),
            )
            return int(cur.lastrowid or 0)

    async def _draft(self, ctx: Context, payload: str) -> dict[str, Any] | None:
        if not _is_number(payload):
            return None
        row = await self.store.fetchone(
            "SELECT data FROM moderation_drafts WHERE id = ? AND community = ? AND user_id = ?",
            (int(payload), ctx.community, ctx.member_key),
        )
        return json.loads(row[0]) if row else None

    async def _invalid(
        self, sub: FormSubmit, message: str, errors: dict[str, str], extra: list[Choice] | None = None
    ) -> Reply:
        """Refuse a submission, keeping what was typed so the moderator can fix and resubmit."""
        draft = await self._save_draft(sub.ctx, {"form": sub.form, "values": sub.values, "state": sub.state})
        choices = [Choice("Fix and resubmit", "mod-reopen", str(draft), "primary"), *(extra or [])]
        return Reply(kind="error", body=message, errors=errors, choices=choices, ephemeral=True)

    def _saved(self, entry: Entry, rev: int, what: str) -> Reply:
        return Reply(
            kind="text",
            body=f"{what} `{entry.id}` (revision {rev}). Members see it now.",
            fields=[("Question", entry.question)],
            choices=[Choice("Show", "show", entry.id), Choice("Edit", "mod-edit", entry.id)],
            entry_id=entry.id,
            ephemeral=True,
        )

    async def _duplicate_of(self, ctx: Context, entry: Entry) -> Entry | None:
        """The community's entry this new one most looks like, if the matcher would answer with it."""
        view = await self._view(ctx)
        result = view.matcher.match(entry.question)
        if result.entry is not None and result.entry.id != entry.id:
            return result.entry
        if result.status == "ambiguous" and result.suggestions:
            return view.by_id.get(result.suggestions[0].id)
        return None

    # -- add / edit -------------------------------------------------------------------------

    async def cmd_add(self, cmd: Command) -> Reply:
        return Reply(kind="form", form=add_form({"question": clean_text(cmd.text)[:MAX_QUESTION]}),
                     ephemeral=True)

    async def form_add(self, sub: FormSubmit) -> Reply:
        return await self._submit_add(sub, force=False)

    async def _submit_add(self, sub: FormSubmit, force: bool) -> Reply:
        ctx = sub.ctx
        raw, errors = raw_from_form(sub.values, {})
        view = await self._view(ctx)
        entry, problems = validate_entry(raw, self.kb, view.entries)
        errors = {**problems_to_errors(problems, tuple(f.id for f in add_form().fields)), **errors}
        if errors or entry is None:
            return await self._invalid(sub, "The entry was not saved: please fix the fields below.", errors)
        if not force:
            dup = await self._duplicate_of(ctx, entry)
            if dup is not None:
                draft = await self._save_draft(
                    ctx, {"form": sub.form, "values": sub.values, "state": sub.state, "dup": dup.id})
                return Reply(
                    kind="text",
                    body=(f"This looks like entry `{dup.id}`: *{dup.question}*. "
                          "Add your question as a variant of it instead?"),
                    choices=[
                        Choice(f"Add as variant of {dup.id}"[:75], "mod-dup-variant", str(draft), "primary"),
                        Choice("Save as a new entry anyway", "mod-dup-save", str(draft)),
                        Choice("Show it", "show", dup.id),
                    ],
                    ephemeral=True,
                )
        try:
            rev = await self.curator.add(ctx.community, entry, self._actor(ctx), self.now)
        except ChangeRefused as exc:
            return await self._invalid(sub, str(exc), exc.errors)
        await self._resolve_queue_item(ctx, sub.state)
        return self._saved(entry, rev, "Added")

    async def _resolve_queue_item(self, ctx: Context, state: str) -> None:
        if state.startswith("u:") and _is_number(state[2:]):
            await self._dismiss(ctx, int(state[2:]))

    async def btn_dup_save(self, press: ButtonPress) -> Reply:
        draft = await self._draft(press.ctx, press.payload)
        if draft is None or draft.get("form") != FORM_ADD:
            return error("That draft has expired. Please add the entry again.")
        sub = FormSubmit(press.ctx, FORM_ADD, draft["values"], draft.get("state", ""))
        return await self._submit_add(sub, force=True)

    async def btn_dup_variant(self, press: ButtonPress) -> Reply:
        draft = await self._draft(press.ctx, press.payload)
        if draft is None or not draft.get("dup"):
            return error("That draft has expired. Please add the entry again.")
        reply = await self._add_variant(press.ctx, draft["dup"], draft["values"].get("question", ""))
        if reply.kind != "error":
            await self._resolve_queue_item(press.ctx, draft.get("state", ""))
        return reply

    async def cmd_edit(self, cmd: Command) -> Reply:
        if not cmd.text.strip():
            return error("Which entry? For example: `faq edit phd-needed-for-research-labs`.")
        return await self._open_edit(cmd.ctx, cmd.text.split()[0])

    async def btn_edit(self, press: ButtonPress) -> Reply:
        return await self._open_edit(press.ctx, press.payload)

    async def _open_edit(self, ctx: Context, key: str) -> Reply:
        entry_id = await self._resolve(ctx, key)
        state = await self.curator.state(ctx.community, entry_id)
        if state.entry is None:
            return error(_not_visible(state))
        return Reply(kind="form", form=edit_form(entry_id, state.revision, edit_values(state.entry)),
                     ephemeral=True)

    async def form_edit(self, sub: FormSubmit) -> Reply:
        ctx = sub.ctx
        entry_id, _, rev = sub.state.rpartition("@")
        if not entry_id or not _is_number(rev):
            return error("That form has expired. Please open the entry again.")
        state = await self.curator.state(ctx.community, entry_id)
        if state.entry is None:
            return error(_not_visible(state))
        raw, errors = raw_from_form(sub.values, state.entry.to_dict())
        raw["id"] = entry_id
        view = await self._view(ctx)
        entry, problems = validate_entry(raw, self.kb, view.entries)
        errors = {**problems_to_errors(problems, tuple(f.id for f in edit_form("", 0, {}).fields)), **errors}
        if errors or entry is None:
            return await self._invalid(sub, "The entry was not saved: please fix the fields below.", errors)
        try:
            new_rev = await self.curator.edit(ctx.community, entry, self._actor(ctx), self.now, int(rev))
        except StaleEdit as exc:
            # Reopening the stale form would overwrite the other change, so the moderator gets
            # their text back here and a fresh form on the current version.
            return Reply(
                kind="error", body=str(exc), ephemeral=True,
                fields=[(k.capitalize(), v) for k, v in sub.values.items() if v.strip()],
                choices=[Choice("Open the current version", "mod-edit", entry_id, "primary")],
            )
        except ChangeRefused as exc:
            return error(str(exc))
        return self._saved(entry, new_rev, "Saved")

    async def btn_reopen(self, press: ButtonPress) -> Reply:
        draft = await self._draft(press.ctx, press.payload)
        if draft is None:
            return error("That draft has expired. Please open the form again.")
        values, state = draft["values"], draft.get("state", "")
        if draft["form"] == FORM_ADD:
            return Reply(kind="form", form=add_form(values, state), ephemeral=True)
        if draft["form"] == FORM_EDIT:
            entry_id, _, rev = state.rpartition("@")
            return Reply(kind="form", form=edit_form(entry_id, int(rev or 0), values), ephemeral=True)
        if draft["form"] == FORM_ATTACH:
            form = attach_form(int(state or 0), values.get("variant", ""), values.get("entry", ""))
            return Reply(kind="form", form=form, ephemeral=True)
        return error("That draft has expired. Please open the form again.")

    # -- variants and aliases ---------------------------------------------------------------

    async def cmd_variant(self, cmd: Command) -> Reply:
        key, _, text = cmd.text.strip().partition(" ")
        if not key or not text.strip():
            return error("Usage: `faq variant <id> <another way to ask the question>`.")
        return await self._add_variant(cmd.ctx, await self._resolve(cmd.ctx, key), text)

    async def _add_variant(self, ctx: Context, entry_id: str, text: str) -> Reply:
        variant = clean_text(" ".join(text.split()))
        view = await self._view(ctx)

        def change(entry: Entry) -> Entry:
            if variant.lower() in {v.lower() for v in (entry.question, *entry.variants)}:
                return entry
            return self._checked(entry, {"variants": [*entry.variants, variant]}, view)

        return await self._modify(ctx, entry_id, change, "variant", "Added a variant to")

    async def cmd_alias(self, cmd: Command) -> Reply:
        key, _, alias = cmd.text.strip().partition(" ")
        if not key or not alias.strip():
            return error("Usage: `faq alias <id> <short-name>`.")
        entry_id = await self._resolve(cmd.ctx, key)
        view = await self._view(cmd.ctx)
        alias = alias.strip().lower()

        def change(entry: Entry) -> Entry:
            if alias in entry.aliases:
                return entry
            return self._checked(entry, {"aliases": [*entry.aliases, alias]}, view)

        return await self._modify(cmd.ctx, entry_id, change, "alias", "Added an alias to")

    def _checked(self, entry: Entry, update: dict[str, Any], view: KnowledgeView) -> Entry:
        new, problems = validate_entry({**entry.to_dict(), **update}, self.kb, view.entries)
        if new is None:
            raise ChangeRefused("Not saved: " + "; ".join(f"{p.field}: {p.reason}" for p in problems))
        return new

    async def _modify(
        self, ctx: Context, entry_id: str, change: Callable[[Entry], Entry], action: str, what: str
    ) -> Reply:
        try:
            rev, entry = await self.curator.modify(ctx.community, entry_id, change, action,
                                                   self._actor(ctx), self.now)
        except ChangeRefused as exc:
            return error(str(exc))
        return self._saved(entry, rev, what)

    # -- hide / restore / remove / history / revert -----------------------------------------

    async def _simple(self, cmd: Command, op: Callable[..., Awaitable[int]], done: str, usage: str) -> Reply:
        if not cmd.text.strip():
            return error(f"Usage: `{usage}`.")
        entry_id = await self._resolve(cmd.ctx, cmd.text.split()[0])
        try:
            rev = await op(cmd.ctx.community, entry_id, self._actor(cmd.ctx), self.now)
        except ChangeRefused as exc:
            return error(str(exc))
        return Reply(kind="text", body=f"{done} `{entry_id}` (revision {rev}).", ephemeral=True,
                     choices=[Choice("History", "mod-revert", f"{entry_id}@")])

    async def cmd_hide(self, cmd: Command) -> Reply:
        return await self._simple(cmd, self.curator.hide, "Hid", "faq hide <id>")

    async def cmd_restore(self, cmd: Command) -> Reply:
        return await self._simple(cmd, self.curator.restore, "Restored", "faq restore <id>")

    async def cmd_remove(self, cmd: Command) -> Reply:
        return await self._simple(cmd, self.curator.remove, "Removed", "faq remove <id>")

    async def cmd_history(self, cmd: Command) -> Reply:
        if not cmd.text.strip():
            return error("Usage: `faq history <id>`.")
        return await self._history(cmd.ctx, await self._resolve(cmd.ctx, cmd.text.split()[0]))

    async def _history(self, ctx: Context, entry_id: str) -> Reply:
        state = await self.curator.state(ctx.community, entry_id)
        if state.kind == "absent":
            return error(f"There is no entry `{entry_id}`.")
        revisions = await self.curator.history(ctx.community, entry_id)
        lines = []
        for r in revisions[:20]:
            fields = changed_fields(r.before, r.after)
            what = f": {', '.join(fields)}" if fields else ""
            lines.append(f"- **r{r.revision}** {r.action} by {r.actor}, {when(r.at)}{what}")
        if state.base is not None:
            lines.append("- **r0** the shared knowledge base version")
        status = {"hidden": " (hidden)", "removed": " (removed)"}.get(state.kind, "")
        choices = [
            Choice(f"Revert to r{r.revision}", "mod-revert", f"{entry_id}@{r.revision}")
            for r in revisions[1:5]
        ]
        if state.base is not None and revisions:
            choices.append(Choice("Revert to r0", "mod-revert", f"{entry_id}@0"))
        return Reply(
            kind="list",
            title=f"History of {entry_id}{status}: revision {state.revision}",
            body="\n".join(lines) or "No changes yet: this is the shared knowledge base version.",
            choices=choices[:5],
            ephemeral=True,
        )

    async def cmd_revert(self, cmd: Command) -> Reply:
        parts = cmd.text.split()
        if len(parts) != 2 or not _is_number(parts[1].lstrip("r")):
            return error("Usage: `faq revert <id> <revision>`, for example `faq revert my-entry 2`.")
        entry_id = await self._resolve(cmd.ctx, parts[0])
        return await self._revert(cmd.ctx, entry_id, int(parts[1].lstrip("r")))

    async def btn_revert(self, press: ButtonPress) -> Reply:
        entry_id, _, rev = press.payload.rpartition("@")
        if not rev:
            return await self._history(press.ctx, entry_id)
        if not _is_number(rev):
            return error("That button no longer does anything.")
        return await self._revert(press.ctx, entry_id, int(rev))

    async def _revert(self, ctx: Context, entry_id: str, target: int) -> Reply:
        try:
            rev = await self.curator.revert(ctx.community, entry_id, target, self._actor(ctx), self.now)
        except ChangeRefused as exc:
            return error(str(exc))
        return Reply(kind="text", ephemeral=True,
                     body=f"Reverted `{entry_id}` to revision {target}, saved as revision {rev}.")

    # -- unanswered queue -------------------------------------------------------------------

    async def queue(self, community: str, limit: int = UNANSWERED_SHOWN) -> list[QueueItem]:
        rows = await self.store.fetchall(
            "SELECT u.rowid, u.norm, u.sample, u.count,"
            " (SELECT COUNT(*) FROM unanswered_askers a WHERE a.community = u.community"
            "  AND a.norm = u.norm), u.last_asked"
            " FROM unanswered u WHERE u.community = ? AND u.dismissed = 0"
            " ORDER BY u.count DESC, u.last_asked DESC LIMIT ?",
            (community, limit),
        )
        return [QueueItem(*row) for row in rows]

    async def _queue_item(self, ctx: Context, payload: str) -> QueueItem | None:
        if not _is_number(payload):
            return None
        row = await self.store.fetchone(
            "SELECT rowid, norm, sample, count, 0, last_asked FROM unanswered"
            " WHERE rowid = ? AND community = ?",
            (int(payload), ctx.community),
        )
        return QueueItem(*row) if row else None

    async def _dismiss(self, ctx: Context, rowid: int) -> bool:
        async with self.store.transaction() as db:
            cur = await db.execute(
                "UPDATE unanswered SET dismissed = 1 WHERE rowid = ? AND community = ? AND dismissed = 0",
                (rowid, ctx.community),
            )
            return bool(cur.rowcount)

    async def cmd_unanswered(self, cmd: Command) -> Reply:
        items = await self.queue(cmd.ctx.community)
        if not items:
            return Reply(kind="list", title="Unanswered questions", ephemeral=True,
                         body="Nothing waiting: every recent question found an answer.")
        lines, choices = [], []
        for i, item in enumerate(items, 1):
            people = f", {item.askers} people" if item.askers > 1 else ""
            lines.append(f"{i}. *{clean_text(item.sample)[:200]}*: asked {item.count}x{people}, "
                         f"last {when(item.last_asked)}")
            choices += [
                Choice(f"{i}: new entry", "unanswered-new", str(item.rowid), "primary"),
                Choice(f"{i}: attach to entry", "unanswered-attach", str(item.rowid)),
                Choice(f"{i}: dismiss", "unanswered-dismiss", str(item.rowid), "danger"),
            ]
        return Reply(kind="list", title="Most-asked unanswered questions", body="\n".join(lines),
                     choices=choices, ephemeral=True)

    async def btn_unanswered_new(self, press: ButtonPress) -> Reply:
        item = await self._queue_item(press.ctx, press.payload)
        if item is None:
            return error("That question is no longer in the queue.")
        question = clean_text(" ".join(item.sample.split()))[:MAX_QUESTION]
        return Reply(kind="form", form=add_form({"question": question}, f"u:{item.rowid}"), ephemeral=True)

    async def btn_unanswered_attach(self, press: ButtonPress) -> Reply:
        item = await self._queue_item(press.ctx, press.payload)
        if item is None:
            return error("That question is no longer in the queue.")
        view = await self._view(press.ctx)
        found = view.matcher.search(item.sample, limit=1)
        guess = found[0][0].id if found else ""
        return Reply(kind="form", form=attach_form(item.rowid, clean_text(item.sample), guess),
                     ephemeral=True)

    async def form_attach(self, sub: FormSubmit) -> Reply:
        item = await self._queue_item(sub.ctx, sub.state)
        if item is None:
            return error("That question is no longer in the queue.")
        key = sub.values.get("entry", "").strip()
        text = sub.values.get("variant", "").strip()
        errors = {}
        if not key:
            errors["entry"] = "which entry should this phrasing point to?"
        if not text:
            errors["variant"] = "the phrasing to add is empty"
        if errors:
            return await self._invalid(sub, "Not attached: please fix the fields below.", errors)
        entry_id = await self._resolve(sub.ctx, key)
        reply = await self._add_variant(sub.ctx, entry_id, text)
        if reply.kind == "error":
            return await self._invalid(sub, reply.body, {"entry": reply.body})
        await self._dismiss(sub.ctx, item.rowid)
        return reply

    async def btn_unanswered_dismiss(self, press: ButtonPress) -> Reply:
        if not _is_number(press.payload) or not await self._dismiss(press.ctx, int(press.payload)):
            return error("That question is no longer in the queue.")
        return Reply(kind="text", body="Dismissed: it leaves the queue until someone asks it again.",
                     replace=True, ephemeral=True)

    # -- feedback and stats -----------------------------------------------------------------

    async def btn_feedback(self, press: ButtonPress) -> Reply:
        entry_id, _, vote = press.payload.rpartition(":")
        if vote not in ("y", "n") or not entry_id:
            return error("That button no longer does anything.")
        view = await self._view(press.ctx)
        if entry_id not in view.by_id:
            return error("That entry is no longer available.")
        helpful = 1 if vote == "y" else 0
        async with self.store.transaction() as db:
            async with db.execute(
                "SELECT helpful FROM feedback WHERE community = ? AND entry_id = ? AND user_id = ?",
                (press.ctx.community, entry_id, press.ctx.member_key),
            ) as cur:
                before = await cur.fetchone()
            await db.execute(
                "INSERT INTO feedback (community, entry_id, user_id, helpful, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (community, entry_id, user_id) DO UPDATE SET helpful = excluded.helpful,"
                " at = excluded.at",
                (press.ctx.community, entry_id, press.ctx.member_key, helpful, self.now),
            )
        word = "helpful" if helpful else "not helpful"
        if before is None:
            body = f"Thanks! Noted as {word}."
        elif before[0] == helpful:
            body = f"You already marked this as {word}."
        else:
            body = f"Changed your vote to {word}."
        return Reply(kind="text", body=body, ephemeral=True)

    async def cmd_helpline(self, cmd: Command) -> Reply:
        """The community's own support contact (a counselling service, a #support channel),
        shown under the fixed safety and support texts, never instead of them."""
        community, text = cmd.ctx.community, cmd.text.strip()
        if not text:
            line = await self.store.setting(community, SUPPORT_LINE)
            body = (f"This community's support line: {line}" if line else
                    "This community has no support line of its own yet. Set one with "
                    "`faq helpline <text>`, for example a university counselling service or a "
                    "support channel.")
            return Reply(kind="text", body=body, ephemeral=True)
        if text.lower() in ("clear", "remove", "none", "-"):
            await self.store.set_setting(community, SUPPORT_LINE, None, self.now)
            return Reply(kind="text", body="The support line was removed. The fixed crisis "
                         "lines are still shown.", ephemeral=True)
        line = " ".join(clean_text(text).split())
        if len(line) > HELPLINE_MAX:
            return error(f"A support line can be at most {HELPLINE_MAX} characters (this one has "
                         f"{len(line)}). Nothing was changed.")
        await self.store.set_setting(community, SUPPORT_LINE, line, self.now)
        return Reply(kind="text", body=f"Saved. Members who reach out will see, under the crisis "
                     f"and support lines:\n\n**In this community:** {line}", ephemeral=True)

    async def cmd_stats(self, cmd: Command) -> Reply:
        community = cmd.ctx.community
        view = await self._view(cmd.ctx)
        fields = []
        windows = [await community_stats(self.store, community, self.now, days) for days in (7, 30)]
        for s in windows:
            days = s.window_days
            fields.append((f"Last {days} days", (
                f"{s.asked} questions: {s.rate(s.answered)} answered, {s.rate(s.ambiguous)} ambiguous,"
                f" {s.rate(s.unknown)} unknown. Quizzes: {s.quiz_starts} started,"
                f" {s.quiz_completions} completed."
            )))
        top = windows[-1].top_entries
        if top:
            fields.append(("Top entries (30 days, answers and opens)",
                           "\n".join(f"- `{e}`: {n}" for e, n in top)))
        votes = await helpfulness(self.store, community)
        if votes:
            ranked = sorted(votes, key=lambda h: -(h.yes + h.no))[:10]
            fields.append(("Helpfulness", "\n".join(
                f"- `{h.entry_id}`: {h.yes} yes / {h.no} no ({100 * h.ratio:.0f}%)" for h in ranked)))
        review = [h for h in needs_review(votes) if h.entry_id in view.by_id]
        fields.append(("Needs review", "\n".join(
            f"- `{h.entry_id}`: {100 * h.ratio:.0f}% helpful of {h.yes + h.no} votes" for h in review
        ) or f"Nothing: no entry with {REVIEW_MIN_VOTES}+ votes is below {100 * REVIEW_MAX_RATIO:.0f}% helpful."))
        return Reply(
            kind="list", title=f"Stats for {community}", fields=fields, ephemeral=True,
            choices=[Choice(f"Edit {h.entry_id}"[:75], "mod-edit", h.entry_id) for h in review[:5]],
        )


def register(service: Service) -> None:
    Moderation(service).register()


# -- export and import ------------------------------------------------------------------------


async def export_community(curator: Curator, community: str) -> dict[str, Any]:
    """The community's own entries and overrides in the knowledge/faq format, plus hidden ids."""
    entries, hidden = [], []
    for entry_id, kind, content in await curator.overlay_rows(community):
        base = curator.base.get(entry_id)
        if kind == "entry" and content is not None and content != base:
            entries.append(content.to_dict())
        elif kind == "hidden":
            hidden.append(entry_id)
    out: dict[str, Any] = {"entries": entries}
    if hidden:
        out["hidden"] = hidden
    return out


def parse_import(
    data: Any, kb: KnowledgeBase, view_entries: list[Entry], file: str
) -> tuple[list[Entry], list[str], list[Problem]]:
    """Validate a whole import file before anything is written."""
    items = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], [], [Problem(file, "", "entries", "must be a list of entries")]
    hidden_raw = data.get("hidden", []) if isinstance(data, dict) else []
    problems: list[Problem] = []
    if not isinstance(hidden_raw, list) or not all(isinstance(h, str) for h in hidden_raw):
        problems.append(Problem(file, "", "hidden", "must be a list of entry ids"))
        hidden_raw = []
    parsed: list[Entry] = []
    seen: set[str] = set()
    for raw in items:
        entry, entry_problems = parse_entry(clean_raw(raw) if isinstance(raw, dict) else raw, file)
        problems.extend(entry_problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(Problem(file, entry.id, "id", "duplicate id in this file"))
            continue
        seen.add(entry.id)
        parsed.append(entry)
    # References are checked against the community as it will be after the import.
    incoming = {e.id: e for e in parsed}
    after = [incoming.pop(e.id, e) for e in view_entries] + list(incoming.values())
    for entry in parsed:
        _, entry_problems = validate_entry(entry.to_dict(), kb, after, file)
        problems.extend(entry_problems)
    known = {e.id for e in kb.entries} | {e.id for e in after}
    for entry_id in hidden_raw:
        if entry_id not in known:
            problems.append(Problem(file, entry_id, "hidden", "unknown entry"))
    return parsed, list(hidden_raw), problems


async def cli_export(args: Any, settings: Any) -> int:
    from bot.cli import load_kb

    kb = load_kb(settings)
    store = await Store.open(settings.db_path)
    try:
        data = await export_community(Curator(store, kb), args.community)
    finally:
        await store.close()
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"# entries of community {args.community}: its own and its overrides of the base")
        print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), end="")
    return 0
