"""Core replies -> Discord messages, buttons and modals, within Discord's limits.

Everything here is presentation: a `Reply` becomes one or more `OutMessage`s (content, embeds,
buttons), a `Form` becomes a `Modal`. Long text is split on paragraph, line or word boundaries,
never mid-word; what cannot fit in one message goes to the next. Buttons carry the core action
and payload in their custom id (`cb:<action>:<payload>`), so a click reaches the core even after
the bot restarted; the core decides whether the click still means anything.
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.markup import shorten
from bot.replies import Choice, Form, Reply

log = logging.getLogger(__name__)

# Discord's documented limits.
CONTENT_MAX = 2000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FIELDS_MAX = 25
EMBED_FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
BUTTONS_PER_ROW = 5
ROWS_MAX = 5
MODAL_TITLE_MAX = 45
MODAL_INPUTS_MAX = 5
INPUT_LABEL_MAX = 45
INPUT_VALUE_MAX = 4000
INPUT_PLACEHOLDER_MAX = 100
CHOICE_NAME_MAX = 100
CHOICES_MAX = 25

EMBED_COLOUR = discord.Colour(0x3B82F6)
ERROR_COLOUR = discord.Colour(0xDC2626)

NO_MENTIONS = discord.AllowedMentions(everyone=False, users=False, roles=False,
                                      replied_user=False)

BUTTON_PREFIX = "cb"
FORM_PREFIX = "cbf"
BUTTON_TEMPLATE = r"cb:(?P<action>[^:]+):(?P<payload>.*)"
FORM_TEMPLATE = re.compile(r"cbf:(?P<form>[^:]+):(?P<state>.*)", re.S)
OVERFLOW = "~"  # action/form marker: the real values are held in memory under a short key

STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}
EMBED_KINDS = {"answer", "list", "help", "quiz"}


class Overflow:
    """Values too long for a 100-char custom id, kept in memory under a short key.

    Core payloads are documented as short, so this is a safety net: such a button works until the
    process restarts (then the core is told nothing and the member sees "try again"). Keys start
    with a prefix drawn per process, so a key from before a restart never names the values a new
    process holds under the same counter (another member's button or form).
    """

    def __init__(self, capacity: int = 5000):
        self._items: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._keys = itertools.count(1)
        self._capacity = capacity
        self._prefix = secrets.token_hex(4)

    def put(self, first: str, second: str) -> str:
        key = f"{self._prefix}.{next(self._keys):x}"
        self._items[key] = (first, second)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> tuple[str, str] | None:
        return self._items.get(key)


@dataclass
class OutMessage:
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    ephemeral: bool = False

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for send_message / followup.send / channel.send."""
        out: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content:
            out["content"] = self.content
        if self.embeds:
            out["embeds"] = self.embeds
        if self.view is not None:
            out["view"] = self.view
        return out

    def edit_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for edits: missing parts are cleared rather than left behind."""
        return {"content": self.content, "embeds": self.embeds, "view": self.view,
                "allowed_mentions": NO_MENTIONS}


# -- text splitting ---------------------------------------------------------------------------


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` chars, cut at a paragraph, line or word boundary.

    Only a single word or markdown link longer than `limit` (a very long URL) is ever cut
    inside itself.
    """
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    while len(text) > limit:
        # The strongest break in the second half of the window; a weaker one anywhere before
        # cutting a word. (A paragraph break near the start would leave a tiny piece.) Never
        # inside a markdown link, whose label may hold spaces: "[the video summary](https://…)".
        links = list(itertools.takewhile(lambda span: span[0] < limit,
                                         (m.span() for m in _MD_LINK.finditer(text))))
        cuts = [_last_break(text, sep, limit + (sep == " "), links) for sep in ("\n\n", "\n", " ")]
        cut = next((c for c in cuts if c >= limit // 2), max(cuts))
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


_MD_LINK = re.compile(r"\[[^\[\]\n]*\]\([^()\s]*\)")


def _last_break(text: str, sep: str, end: int, links: list[tuple[int, int]]) -> int:
    """Where `sep` last stands before `end` outside every link span, or -1."""
    at = text.rfind(sep, 0, end)
    while at > 0 and any(start < at < stop for start, stop in links):
        at = text.rfind(sep, 0, at)
    return at


# -- buttons ----------------------------------------------------------------------------------


class CoreButton(discord.ui.DynamicItem[discord.ui.Button], template=BUTTON_TEMPLATE):
    """Any core choice. Registered once at start-up, so clicks route after a restart too."""

    def __init__(self, action: str, payload: str, *, label: str = "…",
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary,
                 custom_id: str | None = None) -> None:
        self.action = action
        self.payload = payload
        super().__init__(discord.ui.Button(
            label=label, style=style,
            custom_id=custom_id or f"{BUTTON_PREFIX}:{action}:{payload}",
        ))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> CoreButton:
        return cls(match["action"], match["payload"], custom_id=match.group(0))

    async def callback(self, interaction: discord.Interaction) -> None:
        # The client owns the core; it is the one place that turns clicks into events.
        await interaction.client.on_core_button(  # type: ignore[attr-defined]
            interaction, self.action, self.payload)


def button_custom_id(choice: Choice, overflow: Overflow) -> str:
    custom_id = f"{BUTTON_PREFIX}:{choice.action}:{choice.payload}"
    if len(custom_id) <= CUSTOM_ID_MAX and ":" not in choice.action:
        return custom_id
    return f"{BUTTON_PREFIX}:{OVERFLOW}:{overflow.put(choice.action, choice.payload)}"


def build_view(choices: list[Choice], overflow: Overflow) -> discord.ui.View | None:
    if not choices:
        return None
    view = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for choice in choices:
        custom_id = button_custom_id(choice, overflow)
        if custom_id in seen:  # Discord refuses duplicate custom ids within one message
            continue
        if len(seen) >= BUTTONS_PER_ROW * ROWS_MAX:
            break
        seen.add(custom_id)
        view.add_item(CoreButton(
            choice.action, choice.payload, custom_id=custom_id,
            label=shorten(choice.label, BUTTON_LABEL_MAX) or "…",
            style=STYLES.get(choice.style, discord.ButtonStyle.secondary),
        ))
    return view


# -- replies ----------------------------------------------------------------------------------


def error_lines(reply: Reply, labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    return "\n".join(
        f"- **{labels.get(field_id, field_id)}**: {message}"
        for field_id, message in reply.errors.items()
    )


def sources_text(reply: Reply) -> str:
    if not reply.citations:
        return ""
    parts = [f"{c.title} ({c.where})" if c.where else c.title for c in reply.citations]
    return "Sources: " + "; ".join(parts)


def render(reply: Reply, overflow: Overflow, labels: dict[str, str] | None = None
           ) -> list[OutMessage]:
    """One reply as the messages that carry it; buttons go on the last one."""
    body = reply.body.strip()
    if reply.errors:
        body = "\n\n".join(p for p in (body, error_lines(reply, labels)) if p)
    if reply.title or reply.citations or reply.fields or reply.kind in EMBED_KINDS:
        messages = _embed_messages(reply, body)
    else:
        messages = _content_messages(reply, body)
    if not messages:
        messages = [OutMessage(content="(nothing to show)")]
    # Errors are only ever for the person who caused them.
    private = reply.ephemeral or reply.kind == "error" or bool(reply.errors)
    for message in messages:
        message.ephemeral = private
    messages[-1].view = build_view(reply.choices, overflow)
    return messages


def _content_messages(reply: Reply, body: str) -> list[OutMessage]:
    text = "\n\n".join(p for p in (body, reply.footer.strip()) if p)
    return [OutMessage(content=piece) for piece in split_text(text, CONTENT_MAX)]


def _embed_size(embed: discord.Embed) -> int:
    size = len(embed.title or "") + len(embed.description or "")
    size += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    size += len(embed.footer.text or "") if embed.footer else 0
    return size


def _embed_messages(reply: Reply, body: str) -> list[OutMessage]:
    colour = ERROR_COLOUR if reply.kind == "error" else EMBED_COLOUR
    chunks = split_text(body, EMBED_DESCRIPTION_MAX) or [""]
    embeds = [discord.Embed(description=chunk or None, colour=colour) for chunk in chunks]
    if reply.title:
        embeds[0].title = shorten(reply.title, EMBED_TITLE_MAX)
    for name, value in reply.fields:
        for i, piece in enumerate(split_text(value, EMBED_FIELD_VALUE_MAX)):
            label = shorten(name if i == 0 else f"{name} (continued)", EMBED_FIELD_NAME_MAX)
            if len(embeds[-1].fields) >= EMBED_FIELDS_MAX or (
                _embed_size(embeds[-1]) + len(label) + len(piece) > EMBED_TOTAL_MAX // 2
            ):
                embeds.append(discord.Embed(colour=colour))
            embeds[-1].add_field(name=label, value=piece, inline=False)
    footer = " · ".join(p for p in (reply.footer.strip(), sources_text(reply)) if p)
    if footer:
        footer = shorten(footer, EMBED_FOOTER_MAX)
        # A full description, a long title and a long footer are each within their limits but
        # can pass the 6,000 characters one embed (and one message) may hold together: then the
        # footer goes on an embed of its own, which `_pack` may send as the next message.
        if _embed_size(embeds[-1]) + len(footer) > EMBED_TOTAL_MAX:
            embeds.append(discord.Embed(colour=colour))
        embeds[-1].set_footer(text=footer)
    return _pack(embeds)


def _pack(embeds: list[discord.Embed]) -> list[OutMessage]:
    """Group embeds into messages of at most 10 embeds and 6,000 characters."""
    messages: list[OutMessage] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        embed_size = _embed_size(embed)
        if current and (size + embed_size > EMBED_TOTAL_MAX or len(current) >= EMBEDS_PER_MESSAGE):
            messages.append(OutMessage(embeds=current))
            current, size = [], 0
        current.append(embed)
        size += embed_size
    if current:
        messages.append(OutMessage(embeds=current))
    return messages


def without_embeds(messages: list[OutMessage]) -> list[OutMessage]:
    """The same messages as plain text, for a channel where the bot lacks Embed Links: Discord
    drops a bot's embeds there without an error, and an answer (all embeds, its source in the
    footer) reached the channel as its buttons alone. Buttons stay on the last message."""
    parts: list[str] = []
    for message in messages:
        parts.append(message.content or "")
        for embed in message.embeds:
            parts += [f"**{embed.title}**" if embed.title else "", embed.description or ""]
            parts += [f"**{f.name}**\n{f.value}" for f in embed.fields]
            parts.append(embed.footer.text or "")
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    out = [OutMessage(content=piece) for piece in split_text(text, CONTENT_MAX)] or [
        OutMessage(content="(nothing to show)")]
    for message in out:
        message.ephemeral = messages[0].ephemeral
    out[-1].view = messages[-1].view
    return out


# -- forms ------------------------------------------------------------------------------------


class FormModal(discord.ui.Modal):
    """A core form. Submissions are handled by the client from the raw interaction (see
    `CareerBot.on_interaction`), so a form opened before a restart can still be submitted."""

    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def form_custom_id(form: Form, overflow: Overflow) -> str:
    custom_id = f"{FORM_PREFIX}:{form.id}:{form.state}"
    if len(custom_id) <= CUSTOM_ID_MAX and ":" not in form.id:
        return custom_id
    return f"{FORM_PREFIX}:{OVERFLOW}:{overflow.put(form.id, form.state)}"


def build_modal(form: Form, overflow: Overflow, values: dict[str, str] | None = None
                ) -> FormModal:
    """The modal for `form`; `values` (a rejected submission) override the pre-filled ones."""
    modal = FormModal(title=shorten(form.title, MODAL_TITLE_MAX) or "careerbot",
                      custom_id=form_custom_id(form, overflow), timeout=15 * 60)
    if len(form.fields) > MODAL_INPUTS_MAX:
        log.warning("form %s has %d fields; a Discord modal shows the first %d",
                    form.id, len(form.fields), MODAL_INPUTS_MAX)
    for form_field in form.fields[:MODAL_INPUTS_MAX]:
        value = (values or {}).get(form_field.id, form_field.value)
        max_length = max(1, min(form_field.max_length, INPUT_VALUE_MAX))
        modal.add_item(discord.ui.TextInput(
            label=shorten(form_field.label, INPUT_LABEL_MAX) or form_field.id[:INPUT_LABEL_MAX],
            custom_id=form_field.id[:CUSTOM_ID_MAX],
            style=discord.TextStyle.paragraph if form_field.multiline else discord.TextStyle.short,
            default=value[:max_length] or None,
            required=form_field.required,
            max_length=max_length,
            placeholder=shorten(form_field.placeholder, INPUT_PLACEHOLDER_MAX) or None,
        ))
    return modal


def parse_form_custom_id(custom_id: str, overflow: Overflow) -> tuple[str, str] | None:
    """(form id, state) from a modal's custom id, or None if it is not ours or has expired."""
    match = FORM_TEMPLATE.fullmatch(custom_id)
    if match is None:
        return None
    if match["form"] == OVERFLOW:
        return overflow.get(match["state"])
    return match["form"], match["state"]


def submitted_values(components: list[dict[str, Any]]) -> dict[str, str]:
    """Text input values from a modal submission: rows (type 1) or labels (type 18)."""
    values: dict[str, str] = {}
    for component in components:
        if component.get("type") == 1:
            values.update(submitted_values(component.get("components", [])))
        elif component.get("type") == 18 and "component" in component:
            values.update(submitted_values([component["component"]]))
        elif "custom_id" in component and "value" in component:
            values[component["custom_id"]] = component["value"] or ""
    return values
