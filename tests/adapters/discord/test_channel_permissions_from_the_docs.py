"""A server admin sets careerbot up with imperfect permissions (rev4fake enforces them as
Discord's Permissions and Create Message pages say): what the member still sees."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.adapters.discord.rev4fake import (
    ANA,
    ANNOUNCE,
    EMBED_LINKS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    SLOW,
    TEXT,
    THREAD,
    Rev4Fake,
)
from tests.adapters.discord.rev4fake_fixtures import until

QUESTION = "do I need a phd to be a research scientist?"
CRISIS = "I want to kill myself, nothing works"


def deny(channel: str, bits: int) -> dict[str, dict[str, int]]:
    return {channel: {"allow": 0, "deny": bits}}


def words(message: dict[str, Any]) -> str:
    """Everything a member reads in a message: its content and its embeds' text."""
    out = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        out += [embed.get("title") or "", embed.get("description") or "",
                (embed.get("footer") or {}).get("text") or ""]
        out += [f"{f.get('name')} {f.get('value')}" for f in embed.get("fields") or []]
    return "\n".join(out)


async def test_mention_answer_without_embed_links_shows_the_answer_and_its_source(rev4) -> None:
    fake = Rev4Fake(overwrites=deny(TEXT, EMBED_LINKS))
    async with rev4(fake):
        await fake.dispatch("MESSAGE_CREATE", fake.mention(QUESTION))
        shown = await until(lambda: fake.shown(TEXT))
        await asyncio.sleep(0.3)
    text = "\n".join(words(m) for m in fake.shown(TEXT))
    assert "PhD" in text and "Sources:" in text, fake.shown(TEXT)
    assert shown[0]["components"], "the Helpful / Not helpful buttons stay"


async def test_answer_with_careerbot_without_embed_links_posts_the_answer_and_its_source(
        rev4) -> None:
    fake = Rev4Fake(overwrites=deny(TEXT, EMBED_LINKS))
    async with rev4(fake):
        target = fake.mention("")
        target.update(content=QUESTION, mentions=[],
                      author={**ANA, "id": "1850000000000000002", "username": "ben"})
        await fake.dispatch("INTERACTION_CREATE", fake.answer_with_careerbot(target))
        await until(lambda: any("Answered:" in (c.body or {}).get("content", "")
                                for c in fake.calls if c.method == "PATCH"))
    text = "\n".join(words(m) for m in fake.shown(TEXT))
    assert "PhD" in text and "Sources:" in text, fake.shown(TEXT)


async def test_member_with_closed_dms_is_told_to_use_ask_where_replies_need_read_history(
        rev4) -> None:
    """The crisis reply cannot reach a member whose DMs are closed; the note that says so
    (and repeats none of their words) must not be lost because a reply needs Read Message
    History."""
    fake = Rev4Fake(closed_dms=True, overwrites=deny(TEXT, READ_MESSAGE_HISTORY))
    async with rev4(fake):
        await fake.dispatch("MESSAGE_CREATE", fake.mention(CRISIS))
        shown = await until(lambda: fake.shown(TEXT))
    assert len(shown) == 1 and "/ask" in shown[0]["content"], shown
    assert "kill" not in words(shown[0]) and not shown[0]["embeds"]


SETUPS: dict[str, tuple[dict[str, Any], str]] = {
    "no Embed Links": ({"overwrites": deny(TEXT, EMBED_LINKS)}, TEXT),
    "no Read Message History": ({"overwrites": deny(TEXT, READ_MESSAGE_HISTORY)}, TEXT),
    "no Send Messages": ({"overwrites": deny(TEXT, SEND_MESSAGES)}, TEXT),
    "no Send Messages in Threads": ({"overwrites": deny(TEXT, SEND_MESSAGES_IN_THREADS)},
                                    THREAD),
    "locked thread": ({"thread_locked": True, "thread_archived": True}, THREAD),
    "archived thread": ({"thread_archived": True}, THREAD),
    "announcement channel": ({}, ANNOUNCE),
    "slowmode channel": ({}, SLOW),
    "bot removed from the server": ({"removed": True}, TEXT),
}


@pytest.mark.parametrize("setup", list(SETUPS))
async def test_crisis_mention_reaches_the_member_privately_and_nothing_public(rev4,
                                                                              setup: str) -> None:
    options, channel = SETUPS[setup]
    fake = Rev4Fake(**options)
    async with rev4(fake):
        await fake.dispatch("MESSAGE_CREATE", fake.mention(CRISIS, channel))
        private = await until(lambda: fake.shown(fake._dm))
        await asyncio.sleep(0.3)
    assert private and "sorry" in words(private[0]).lower()
    assert not [c for c in fake.calls if c.method == "POST" and f"/channels/{channel}/" in c.path]


@pytest.mark.parametrize("setup", [s for s in SETUPS if s != "bot removed from the server"])
async def test_mention_answer_reaches_the_member_with_its_source(rev4, setup: str) -> None:
    options, channel = SETUPS[setup]
    fake = Rev4Fake(**options)
    async with rev4(fake):
        await fake.dispatch("MESSAGE_CREATE", fake.mention(QUESTION, channel))
        await until(lambda: fake.shown(channel) or fake.shown(fake._dm))
        await asyncio.sleep(0.3)
    text = "\n".join(words(m) for m in fake.shown(channel) + fake.shown(fake._dm))
    assert "PhD" in text and "Sources:" in text, setup


async def test_long_answer_without_embed_links_is_shown_whole_in_plain_text(rev4) -> None:
    """The first of several messages carries no buttons: with its embeds dropped Discord
    refuses it as empty (400 50006), and the answer was lost."""
    from bot.replies import Citation, Reply

    paragraphs = [f"Paragraph {i}: " + "research careers take many paths. " * 40
                  for i in range(7)]
    fake = Rev4Fake(overwrites=deny(TEXT, EMBED_LINKS))
    async with rev4(fake) as bot:
        async def handle(event: Any) -> Reply:
            return Reply(kind="answer", title="A long answer", body="\n\n".join(paragraphs),
                         citations=[Citation("video", "The video summary", "Q&A")])
        bot.service.handle = handle  # type: ignore[method-assign]
        await fake.dispatch("MESSAGE_CREATE", fake.mention(QUESTION))
        await until(lambda: "Sources:" in "".join(words(m) for m in fake.shown(TEXT)))
    text = "\n".join(words(m) for m in fake.shown(TEXT))
    assert all(f"Paragraph {i}:" in text for i in range(7)) and "Sources:" in text
