"""Validating what moderators submit (forms, variants, aliases) and whole import files, against
the community's entries as they will be after the change; and the community's export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.kb.loader import check_entry_references, parse_entry
from bot.kb.models import Entry, KnowledgeBase
from bot.kb.problems import Problem
from bot.markup import clean_text
from bot.moderation.forms import parse_details, parse_sources, split_items
from bot.moderation.overlay import Curator

# -- validation -------------------------------------------------------------------------------


def validate_entry(
    raw: dict[str, Any], kb: KnowledgeBase, view_entries: Iterable[Entry], file: str = "<input>",
    keep: Iterable[str] = (),
) -> tuple[Entry | None, list[Problem]]:
    """The YAML schema, the reference checks and alias uniqueness within the community.

    `related` may name an entry the community hid (a base entry, or an id in `keep`: those the
    entry already related to): the answer just leaves it out of its list, and hiding one entry
    must not stop its neighbours from taking a variant, an alias or an edit."""
    entry, problems = parse_entry(raw, file)
    if entry is None:
        return None, problems
    entries = [e for e in view_entries if e.id != entry.id] + [entry]
    known = {e.id for e in entries} | {e.id for e in kb.entries} | set(keep)
    problems = _checks(entry, kb, known, _alias_owners(entries), file)
    return (entry if not problems else None), problems


def _alias_owners(entries: Iterable[Entry]) -> dict[str, list[str]]:
    """Each alias and the ids of the entries that claim it, in order."""
    owners: dict[str, list[str]] = {}
    for e in entries:
        for alias in e.aliases:
            owners.setdefault(alias, []).append(e.id)
    return owners


def _other_owner(owners: dict[str, list[str]], alias: str, entry_id: str) -> str | None:
    for owner in reversed(owners.get(alias, ())):
        if owner != entry_id:
            return owner
    return None


def _checks(entry: Entry, kb: KnowledgeBase, known: set[str], owners: dict[str, list[str]],
            file: str) -> list[Problem]:
    """References and aliases of `entry` against the community's entries (`known` ids and
    `owners` of aliases, both including `entry`), built once per import rather than per entry."""
    problems = check_entry_references(entry, known, kb.sources, file)
    for alias in entry.aliases:
        other = _other_owner(owners, alias, entry.id)
        if alias in known and alias != entry.id:
            problems.append(Problem(file, entry.id, "aliases", f"{alias!r} is another entry's id"))
        elif other is not None:
            problems.append(Problem(file, entry.id, "aliases",
                                    f"{alias!r} is already an alias of {other}"))
    owner = _other_owner(owners, entry.id, entry.id)
    if owner is not None:
        problems.append(Problem(file, entry.id, "id", f"{entry.id!r} is an alias of {owner}"))
    return problems


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
    current = {e.id: e for e in view_entries}
    incoming = {e.id: e for e in parsed}
    after = [incoming.pop(e.id, e) for e in view_entries] + list(incoming.values())
    after_ids = {e.id for e in after}
    owners = _alias_owners(after)
    # A related base entry the community hid is still a known id (see `validate_entry`).
    known = {e.id for e in kb.entries} | after_ids
    for entry in parsed:
        # As in `validate_entry`: a link the entry already has may name an entry the community
        # removed since (its own export carries it), and answers leave that link out.
        keep = set(current[entry.id].related) if entry.id in current else set()
        problems.extend(_checks(entry, kb, known | keep, owners, file))
    for entry_id in hidden_raw:
        if entry_id not in known:
            problems.append(Problem(file, entry_id, "hidden", "unknown entry"))
    return parsed, list(hidden_raw), problems
