"""Core replies -> Slack Block Kit, within Slack's limits.

This module owns every Slack limit (section text, block counts, header, button and modal title
lengths, action and block ids, button values) and the conversion of the core's markdown subset
to Slack mrkdwn. Text is escaped (`&`, `<`, `>`) before it is formatted, so nothing a member or
moderator wrote can become `<!channel>`, `<!here>`, `<!everyone>` or `<!subteam^...>`: the only
`<...>` sequences in the output are the links this module builds itself.

Buttons carry the core's choice untouched: `action_id` is `cb:<index>:<action>` (the index keeps
action ids unique within a block, as Slack requires) and `value` is the choice's payload.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.markup import shorten
from bot.replies import Choice, Citation, Form, FormField, Reply

log = logging.getLogger(__name__)

SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 3000
CONTEXT_ELEMENTS_MAX = 10
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTIONS_ELEMENTS_MAX = 25
ID_MAX = 255
MODAL_TITLE_MAX = 24
MODAL_BUTTON_MAX = 24
INPUT_LABEL_MAX = 2000
INPUT_PLACEHOLDER_MAX = 150
INPUT_MAX_LENGTH = 3000
PRIVATE_METADATA_MAX = 3000
FALLBACK_TEXT_MAX = 500

BUTTON_PREFIX = "cb:"
COMMAND_PREFIX = "cmd:"
FORM_CALLBACK_ID = "careerbot_form"
FIELD_BLOCK_PREFIX = "f:"
FIELD_ACTION_ID = "value"

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+|mailto:[^\s)]+)\)")
_CODE = re.compile(r"`[^`\n]+`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_BULLET = re.compile(r"^(\s*)[-*] ", re.M)
# Slack reads `<!`, `<@` and `<#` in mrkdwn as mentions; plain_text is not parsed, but a word
# joiner keeps even that text inert if it is ever shown as mrkdwn (notification fallbacks).
_PLAIN_MENTION = re.compile(r"<(?=[!@#])")
_STYLES = {"primary": "primary", "success": "primary", "danger": "danger"}
# C0 and C1 control characters (tab and newline aside) and lone surrogates. Slack cannot show
# them, a surrogate cannot even be encoded for the Web API, and `\x00`/`\x01` are `to_mrkdwn`'s
# own markers: text from anyone loses them before it is formatted.
_UNSENDABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


# -- text ---------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """`text` without control characters or lone surrogates; line breaks become `\n`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _UNSENDABLE.search(text):
        return text
    return _UNSENDABLE.sub(lambda m: "\ufffd" if m.group(0) >= "\ud800" else " ", text)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn (after `clean`)."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """Convert the core's markdown subset to Slack mrkdwn, escaping everything first.

    Code spans and links are set aside behind `\x00N\x00` placeholders and bold is marked with
    `\x01` while the other rules run; `escape` has removed both characters from the input, so
    neither can be forged by what a member wrote.
    """
    out = escape(text)
    kept: list[str] = []

    def keep(s: str) -> str:
        kept.append(s)
        return f"\x00{len(kept) - 1}\x00"

    out = _CODE.sub(lambda m: keep(m.group(0)), out)
    out = _LINK.sub(lambda m: keep(_link(m.group(2), m.group(1))), out)
    out = _BULLET.sub(lambda m: f"{m.group(1)}• ", out)
    out = _BOLD.sub(lambda m: f"\x01{m.group(1)}\x01", out)
    out = _ITALIC.sub(lambda m: f"_{m.group(1)}_", out)
    out = out.replace("\x01", "*")
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], out)


def _link(url: str, label: str) -> str:
    # `url` and `label` are already escaped; `|` and `>` would end the link early.
    return f"<{url.replace('|', '%7C')}|{label.replace('|', '¦')}>"


def plain(text: str, limit: int) -> str:
    """Text for a plain_text object: markdown markers dropped, mentions inert, within `limit`."""
    flat = clean(text).replace("**", "").replace("`", "")
    flat = _PLAIN_MENTION.sub("<\u2060", flat)
    return shorten(" ".join(flat.split()), limit)


def split_text(text: str, limit: int = SECTION_TEXT_MAX) -> list[str]:
    """Split mrkdwn into chunks of at most `limit` chars at paragraph, line or word boundaries."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _best_cut(rest, limit)
        head = rest[:cut].rstrip()
        if head:
            chunks.append(head)
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def _best_cut(text: str, limit: int) -> int:
    window = text[: limit + 1]
    floor = limit // 2
    for sep in ("\n\n", "\n"):
        pos = window.rfind(sep, 0, limit)
        if pos >= floor and not _inside_link(text, pos):
            return pos
    for match in reversed(list(re.finditer(r"\s", window[:limit]))):
        if not _inside_link(text, match.start()):
            return match.start()
    # One word longer than the limit: a hard cut is the only way, but not inside an entity.
    cut = limit
    amp = text.rfind("&", max(0, cut - 5), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    return max(cut, 1)


def _inside_link(text: str, pos: int) -> bool:
    # After escaping, raw `<` and `>` only delimit links this module built.
    return text.rfind("<", 0, pos) > text.rfind(">", 0, pos)


# -- blocks -------------------------------------------------------------------------------------


def _text(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _plain_text(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(text, limit) or "…", "emoji": True}


def sections(mrkdwn: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": _text(chunk)} for chunk in split_text(mrkdwn)]


def button(choice: Choice, index: int, prefix: str = BUTTON_PREFIX) -> dict[str, Any] | None:
    action_id = f"{prefix}{index}:{choice.action}"
    if len(action_id) > ID_MAX or len(choice.payload) > BUTTON_VALUE_MAX:
        # The core keeps payloads short; a button that cannot round-trip is worse than none.
        log.warning("dropping a button whose action or payload is too long for Slack")
        return None
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": _plain_text(choice.label, BUTTON_TEXT_MAX),
    }
    if choice.payload:
        element["value"] = choice.payload
    style = _STYLES.get(choice.style)
    if style:
        element["style"] = style
    return element


def actions(choices: Iterable[Choice], prefix: str = BUTTON_PREFIX) -> list[dict[str, Any]]:
    buttons = [b for i, c in enumerate(choices) if (b := button(c, i, prefix)) is not None]
    return [
        {"type": "actions", "elements": buttons[i : i + ACTIONS_ELEMENTS_MAX]}
        for i in range(0, len(buttons), ACTIONS_ELEMENTS_MAX)
    ]


def parse_action_id(action_id: str) -> str | None:
    """The core action a button's action_id names, or None when it is not one of ours."""
    for prefix in (BUTTON_PREFIX, COMMAND_PREFIX):
        if action_id.startswith(prefix):
            _, _, action = action_id[len(prefix) :].partition(":")
            return action or None
    return None


def _citation(c: Citation) -> str:
    title = escape(c.title)
    if c.url and re.match(r"https?://\S+$", c.url):
        title = _link(escape(c.url), title)
    return f"{title} ({escape(c.where)})" if c.where else title


def context_blocks(parts: list[str]) -> list[dict[str, Any]]:
    """Context lines, each within the element limit, grouped ten to a block."""
    elements = [_text(chunk) for part in parts for chunk in split_text(part, CONTEXT_TEXT_MAX)]
    return [
        {"type": "context", "elements": elements[i : i + CONTEXT_ELEMENTS_MAX]}
        for i in range(0, len(elements), CONTEXT_ELEMENTS_MAX)
    ]


def reply_blocks(reply: Reply, max_blocks: int = MESSAGE_BLOCKS_MAX) -> list[dict[str, Any]]:
    """The blocks for one reply, never more than `max_blocks`."""
    head: list[dict[str, Any]] = []
    if reply.title:
        head.append({"type": "header", "text": _plain_text(reply.title, HEADER_TEXT_MAX)})
    body: list[dict[str, Any]] = []
    if reply.body:
        text = to_mrkdwn(reply.body)
        body += sections(f":warning: {text}" if reply.kind == "error" else text)
    for name, value in reply.fields:
        body += sections(f"*{escape(name)}*\n{to_mrkdwn(value)}")
    if reply.errors:
        body += sections(
            "\n".join(f"• *{escape(k)}*: {to_mrkdwn(v)}" for k, v in reply.errors.items())
        )
    tail: list[dict[str, Any]] = []
    notes = []
    if reply.citations:
        notes.append("Sources: " + "; ".join(_citation(c) for c in reply.citations))
    if reply.footer:
        notes.append(to_mrkdwn(reply.footer))
    tail += context_blocks(notes)
    tail += actions(reply.choices)
    return _fit(head, body, tail, max_blocks)


def _fit(head: list, body: list, tail: list, max_blocks: int) -> list[dict[str, Any]]:
    room = max_blocks - len(head) - len(tail)
    if len(body) <= room:
        return head + body + tail
    # Too long for one message: keep the start of the body and everything actionable.
    keep = max(room - 1, 0)
    note = {"type": "context", "elements": [_text("_(shortened: too long for one Slack message)_")]}
    blocks = head + body[:keep] + [note] + tail
    return blocks[:max_blocks]


def fallback_text(reply: Reply) -> str:
    """The notification text Slack shows where blocks cannot be (push, screen readers). Links
    become their labels first: a cut inside `<url|label with spaces>` would show the raw
    markup."""
    text = " ".join(part for part in (reply.title, reply.body) if part) or reply.plain()
    flat = _MRKDWN_LINK.sub(lambda m: m.group(2) or m.group(1), to_mrkdwn(text))
    return shorten(" ".join(flat.split()), FALLBACK_TEXT_MAX) or "careerbot"


_MRKDWN_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def reply_as_text(reply: Reply) -> str:
    """The whole reply as one mrkdwn text (no buttons), within a section's length: what is sent
    when Slack refuses the blocks, so the member still gets the answer."""
    chunks = split_text(to_mrkdwn(reply.plain()), SECTION_TEXT_MAX - 1)
    if not chunks:
        return fallback_text(reply)
    return chunks[0] + ("…" if len(chunks) > 1 else "")


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]]
    whole_text: str = ""

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}

    def text_only(self) -> dict[str, Any]:
        # An empty list, not no blocks: chat.update keeps a message's old blocks otherwise.
        return {"text": self.whole_text or self.text, "blocks": []}


def render_message(reply: Reply) -> Message:
    return Message(fallback_text(reply), reply_blocks(reply), reply_as_text(reply))


# -- modals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormOrigin:
    """Where the form was opened from, so the result can be posted back there."""

    channel: str = ""
    thread_ts: str = ""


def encode_metadata(form: Form, origin: FormOrigin) -> str:
    meta = {"form": form.id, "state": form.state, "channel": origin.channel, "thread": origin.thread_ts}
    return json.dumps(meta, separators=(",", ":"))


def decode_metadata(raw: str) -> tuple[str, str, FormOrigin]:
    try:
        meta = json.loads(raw or "{}")
    except json.JSONDecodeError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}

    def text(key: str) -> str:
        # Only strings: `str(None)` would make "None" a channel to post in.
        value = meta.get(key)
        return value if isinstance(value, str) else ""

    return text("form"), text("state"), FormOrigin(text("channel"), text("thread"))


def field_block_id(field_id: str) -> str:
    return f"{FIELD_BLOCK_PREFIX}{field_id}"[:ID_MAX]


def _input(field: FormField) -> dict[str, Any]:
    max_length = max(1, min(field.max_length, INPUT_MAX_LENGTH))
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": FIELD_ACTION_ID,
        "multiline": field.multiline,
        "max_length": max_length,
    }
    if field.value:
        element["initial_value"] = clean(field.value)[:max_length]
    if field.placeholder:
        element["placeholder"] = _plain_text(field.placeholder, INPUT_PLACEHOLDER_MAX)
    return {
        "type": "input",
        "block_id": field_block_id(field.id),
        "label": _plain_text(field.label, INPUT_LABEL_MAX),
        "optional": not field.required,
        "element": element,
    }


def render_modal(form: Form, reply: Reply, origin: FormOrigin) -> dict[str, Any]:
    """A modal for the core's form; the reply's body (a warning, a hint) goes above the fields."""
    metadata = encode_metadata(form, origin)
    if len(metadata) > PRIVATE_METADATA_MAX:
        raise ValueError("form state is too large for a Slack modal")
    notes: list[dict[str, Any]] = []
    if reply.body:
        notes += sections(to_mrkdwn(reply.body))
    if reply.errors:
        notes += sections("\n".join(f"• {to_mrkdwn(v)}" for v in reply.errors.values()))
    inputs = [_input(f) for f in form.fields]
    blocks = (notes[: max(VIEW_BLOCKS_MAX - len(inputs), 0)] + inputs)[:VIEW_BLOCKS_MAX]
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK_ID,
        "title": _plain_text(form.title, MODAL_TITLE_MAX),
        "submit": _plain_text(form.submit_label or "Save", MODAL_BUTTON_MAX),
        "close": _plain_text("Cancel", MODAL_BUTTON_MAX),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def render_notice(text: str) -> dict[str, Any]:
    """A modal with one message and a Close button, for a member who acted where there is no
    response URL to answer through (App Home)."""
    return {
        "type": "modal",
        "title": _plain_text("careerbot", MODAL_TITLE_MAX),
        "close": _plain_text("Close", MODAL_BUTTON_MAX),
        "blocks": sections(to_mrkdwn(text))[:VIEW_BLOCKS_MAX],
    }


def form_values(state_values: dict[str, Any]) -> dict[str, str]:
    """Field id -> submitted text, from a view_submission's `view.state.values`."""
    values: dict[str, str] = {}
    for block_id, elements in (state_values or {}).items():
        if not block_id.startswith(FIELD_BLOCK_PREFIX) or not isinstance(elements, dict):
            continue
        element = elements.get(FIELD_ACTION_ID) or {}
        values[block_id[len(FIELD_BLOCK_PREFIX) :]] = clean(element.get("value") or "")
    return values


def blocks_text(blocks: Any) -> str:
    """What a message's `rich_text` blocks say, for a message whose `text` is empty (one an app
    posted with blocks alone). Rich text holds the characters as typed, not Slack-escaped;
    mentions of people and channels are left out (their ids mean nothing to the core)."""
    lines = []
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "rich_text":
            lines.append(_rich_text(block.get("elements")))
    return clean("\n".join(line.strip() for line in lines if line.strip()))


def _rich_text(elements: Any) -> str:
    parts: list[str] = []
    for element in elements if isinstance(elements, list) else []:
        if not isinstance(element, dict):
            continue
        if isinstance(element.get("elements"), list):  # a section, list item, quote or code
            parts.append(_rich_text(element["elements"]) + "\n")
        elif element.get("type") == "link":
            parts.append(link_text(str(element.get("url") or ""), str(element.get("text") or "")))
        elif element.get("type") == "text":
            parts.append(str(element.get("text") or ""))
        elif element.get("type") == "emoji":
            parts.append(f":{element.get('name') or ''}:")
    return "".join(parts)


def link_text(url: str, label: str | None) -> str:
    """A Slack link as the core reads links: `[label](url)` when the label hides the address
    ("<https://uni.example/help|our counselling line>"), so a moderator's helpline link keeps
    where it points; the bare address when the label only repeats it. Matching and the wellbeing
    check read the label of a `[label](url)` link, never the address."""
    label = (label or "").strip()
    bare = re.sub(r"^(?:https?://|mailto:)", "", url).rstrip("/")
    if not label or label.rstrip("/") in (url, bare) or not re.match(r"(?:https?://|mailto:)", url):
        return label or url
    if "]" in label or ")" in url or "\n" in label:
        return f"{label} ({url})"
    return f"[{label}]({url})"


def field_errors(form_fields: Iterable[str], errors: dict[str, str]) -> dict[str, str]:
    """Inline errors keyed by block id; an error for an unknown field goes on the first field."""
    known = list(form_fields)
    out: dict[str, str] = {}
    for field_id, message in errors.items():
        target = field_id if field_id in known else (known[0] if known else field_id)
        block_id = field_block_id(target)
        text = plain(message, 2000)
        out[block_id] = f"{out[block_id]} {text}" if block_id in out else text
    return out


# -- App Home -----------------------------------------------------------------------------------


def render_home(
    intro: Reply, member: list[Reply], moderator: list[Reply], start: list[Choice]
) -> dict[str, Any]:
    """The App Home tab: an introduction, buttons that start commands, then the core's replies."""
    blocks: list[dict[str, Any]] = reply_blocks(intro, 10)
    blocks += actions(start, COMMAND_PREFIX)
    for reply in member:
        blocks += [{"type": "divider"}] + reply_blocks(reply, 20)
    if moderator:
        blocks += [{"type": "divider"}, {"type": "header", "text": _plain_text("Moderator tools", HEADER_TEXT_MAX)}]
        for reply in moderator:
            blocks += reply_blocks(reply, 20)
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS_MAX]}
