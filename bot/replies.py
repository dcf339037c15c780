"""The platform-neutral events adapters send in and the replies they render.

Adapters translate a slash command, a button press or a form submission into one of the events
below, call `Service.handle`, and render the `Reply` it returns. Replies use a small markdown
subset (**bold**, *italics*, "- " bullets, [links](url)); renderers convert it and own every
platform limit (lengths, block counts, button text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Platform = Literal["console", "discord", "slack"]
Style = Literal["primary", "secondary", "success", "danger"]
ReplyKind = Literal[
    "answer", "ambiguous", "unknown", "safety", "support", "text", "help", "error", "quiz", "form",
    "list",
]


NO_COMMUNITY = ""


@dataclass(frozen=True)
class Context:
    """Who is asking, where, and what the platform says about them.

    `community` is the server or workspace. An adapter that cannot tell which community a direct
    message belongs to (a Discord DM is outside every server) passes `NO_COMMUNITY`; the core then
    uses the last community the member used the bot in (see `Service.resolve`).
    """

    platform: Platform
    community: str
    channel: str
    user: str
    user_name: str = ""
    is_dm: bool = False
    is_moderator: bool = False

    @property
    def member_key(self) -> str:
        """A user id that cannot collide across platforms."""
        return f"{self.platform}:{self.user}"


@dataclass(frozen=True)
class Command:
    """A slash command or a console line: `name` plus its free-text argument."""

    ctx: Context
    name: str
    text: str = ""
    # False when the platform ran it for the member: a button that starts a command, or a tab
    # being shown (Slack's App Home). Only what a member typed counts against their rate limit.
    typed: bool = True


@dataclass(frozen=True)
class ButtonPress:
    """A button click. `action` names the handler; `payload` is short and opaque (<= 80 chars)."""

    ctx: Context
    action: str
    payload: str


@dataclass(frozen=True)
class FormSubmit:
    """A modal submission: the form's id, its opaque state and the field values."""

    ctx: Context
    form: str
    values: dict[str, str]
    state: str = ""


Event = Command | ButtonPress | FormSubmit


@dataclass(frozen=True)
class Choice:
    """A button. Pressing it sends ButtonPress(action, payload) back to the core."""

    label: str
    action: str
    payload: str
    style: Style = "secondary"


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    value: str = ""
    multiline: bool = False
    required: bool = True
    max_length: int = 1000
    placeholder: str = ""


@dataclass(frozen=True)
class Form:
    """A modal. Submitting it sends FormSubmit(id, values, state) back to the core."""

    id: str
    title: str
    fields: tuple[FormField, ...]
    state: str = ""
    submit_label: str = "Save"


@dataclass(frozen=True)
class Citation:
    source_id: str
    title: str
    where: str
    url: str | None = None


@dataclass
class Reply:
    kind: ReplyKind
    body: str = ""
    title: str | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    form: Form | None = None
    ephemeral: bool = False
    # Replace the message that carried the pressed button instead of posting a new one.
    replace: bool = False
    # Field-level validation errors for a submitted form: field id -> message.
    errors: dict[str, str] = field(default_factory=dict)
    # Text a member wrote that is echoed back: renderers must neutralise mass mentions in it.
    footer: str = ""
    entry_id: str | None = None
    # When set, the adapter should deliver this reply in a direct message to the user.
    to_dm: bool = False

    def plain(self) -> str:
        """A plain-text rendering: the console's, and a fallback for notifications."""
        parts: list[str] = []
        if self.title:
            parts.append(f"**{self.title}**")
        if self.body:
            parts.append(self.body)
        for name, value in self.fields:
            sep = "\n" if "\n" in value or value.startswith("- ") else " "
            parts.append(f"**{name}:**{sep}{value}")
        if self.citations:
            parts.append("Sources:\n" + "\n".join(f"- {_cite(c)}" for c in self.citations))
        if self.footer:
            parts.append(self.footer)
        return "\n\n".join(parts)


def _cite(c: Citation) -> str:
    return f"{c.title} ({c.where})" if c.where else c.title


def error(message: str) -> Reply:
    return Reply(kind="error", body=message, ephemeral=True)
