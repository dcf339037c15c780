"""Text as moderators type it, made safe to store and show on any platform: mentions that
cannot ping, markdown that cannot restructure a message."""

from __future__ import annotations

import re

from bot.text import SLACK_LINK

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


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`; a
    single word is cut inside only when a boundary would leave less than half (so "Edit
    my-long-entry-id" keeps most of the id rather than becoming "Edit…"). Every renderer's
    titles, labels and button texts go through this one cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    if len(cut) < len(head) // 2:
        cut = head
    return cut.rstrip(" ,.;:") + "…"
