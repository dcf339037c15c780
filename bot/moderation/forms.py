"""The moderators' forms (add, edit, attach a question) and the one-line list formats their
fields use, shared with the console."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from bot.kb.models import MAX_ANSWER, MAX_ID, MAX_QUESTION, Entry
from bot.kb.problems import Problem
from bot.markup import clean_text
from bot.replies import (
    Form,
    FormField,
)

FORM_ADD = "faq-add"
FORM_EDIT = "faq-edit"
FORM_ATTACH = "unanswered-attach"


# -- the one-line list formats used by forms and the console -----------------------------------

_ITEM_SPLIT = re.compile(r"\n")
_KEY_SPLIT = re.compile(r"[,\s|]+")


def split_items(text: str) -> list[str]:
    """Variants and sources: one per line. (The console's one-line prompts write a line break
    as ` | ` and turn it back into one before submitting; other platforms have real newlines.)"""
    return [item.strip() for item in _ITEM_SPLIT.split(text or "") if item.strip()]


def is_number(text: str) -> bool:
    """A row or revision number from a button or command: digits, and small enough for SQLite."""
    return text.isdigit() and len(text) <= 15


def norm_tag(norm: str) -> str:
    """A short fingerprint of a queued question, carried with its rowid by the queue's buttons."""
    return hashlib.blake2s(norm.encode("utf-8", "replace"), digest_size=4).hexdigest()


def item_token(rowid: int, norm: str) -> str:
    """What the queue's buttons and forms carry to name one queued question."""
    return f"{rowid}.{norm_tag(norm)}"


def split_keys(text: str) -> list[str]:
    """Tags, aliases, related ids: separated by commas, spaces or ` | `."""
    return [item.strip().lower() for item in _KEY_SPLIT.split(text or "") if item.strip()]


def format_sources(entry: Entry) -> str:
    return "\n".join(f"{ref.source}: {ref.where}" for ref in entry.sources)


def parse_sources(text: str) -> tuple[list[dict[str, str]], str | None]:
    out: list[dict[str, str]] = []
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
    """The edit form pre-filled with `values`. A list field (variants, sources, details) whose
    text does not fit its limit is left out rather than cut, and so is one `values` has no text
    for (a form reopened from a submission whose form had left it out): a cut or empty field
    would drop its items on save, while a field left out keeps the entry's current value."""
    fields = [
        FormField("question", "Question", values.get("question", ""), max_length=MAX_QUESTION),
        FormField("answer", "Answer", values.get("answer", ""), multiline=True, max_length=MAX_ANSWER),
    ]
    lists = (
        FormField("variants", "Other phrasings (one per line)", values.get("variants", ""),
                  multiline=True, required=False, max_length=MAX_FORM_FIELD),
        FormField("sources", "Sources (source-id: where)", values.get("sources", ""),
                  multiline=True, max_length=2000),
        FormField("details", "Topic, also_topics, tags, aliases, related", values.get("details", ""),
                  multiline=True, max_length=1000, placeholder="topic: phd\ntags: a, b"),
    )
    fields += [f for f in lists if f.id in values and len(f.value) <= f.max_length]
    return Form(id=FORM_EDIT, title=f"Edit {entry_id}"[:45], state=f"{entry_id}@{revision}",
                fields=tuple(fields))


# Every field the edit form can have, for naming the field a problem belongs to.
EDIT_FIELDS = tuple(
    f.id for f in edit_form("", 0, dict.fromkeys(("variants", "sources", "details"), "")).fields
)


def attach_form(item: str, sample: str, guess: str) -> Form:
    """`item` names the queued question (see `item_token`)."""
    return Form(
        id=FORM_ATTACH,
        title="Attach as a variant",
        state=item,
        fields=(
            FormField("entry", "Entry id", guess, max_length=MAX_ID),
            FormField("variant", "Phrasing to add", sample[:600], max_length=600),
        ),
        submit_label="Attach",
    )


def field_labels(form_id: str) -> dict[str, str]:
    """Each field's label by id for one of these forms (every field the form can have), or {}."""
    forms = {FORM_ADD: add_form(), FORM_ATTACH: attach_form("", "", ""),
             FORM_EDIT: edit_form("", 0, dict.fromkeys(("variants", "sources", "details"), ""))}
    form = forms.get(form_id)
    return {f.id: f.label for f in form.fields} if form is not None else {}


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
