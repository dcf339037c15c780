"""Payload shapes and deadlines real Discord has that the other tests' fakes never produce:
autocomplete's hard 3-second deadline (it cannot be deferred, and only a choice list answers
it: a slow or failing core, or a command from before an update), and a message forwarded to
the bot in a DM (empty `content`, the words in `message_snapshots`)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.replies import Command, Reply
from tests.adapters.discord.conftest import Bot
from tests.fakes.discord_server import MEMBER

AUTOCOMPLETE_RESULT = 8
QUESTION = "what does a research engineer do?"
DM_CHANNEL = "1310000000000000777"


async def test_a_slow_autocomplete_is_answered_before_discords_deadline(bot: Bot) -> None:
    """Discord drops an autocomplete answer that comes after 3 seconds (there is no defer for
    autocomplete): a slow core once meant the member saw "Loading options failed"."""
    fake = bot.fake
    release = asyncio.Event()

    async def slow_suggest(*args: Any, **kwargs: Any) -> list[Any]:
        await release.wait()
        return []

    bot.service.suggest = slow_suggest  # type: ignore[method-assign]
    try:
        payload = fake.autocomplete("ask", "question", "phd")
        cb = await fake.interact(payload, within=6)
    finally:
        release.set()
    assert cb.type == AUTOCOMPLETE_RESULT and cb.data["choices"] == []
    assert cb.at - fake.sent_at[payload["id"]] < 3.0


async def test_an_autocomplete_whose_core_fails_gets_an_empty_list(bot: Bot) -> None:
    """discord.py only logs an autocomplete callback's exception and answers nothing."""
    fake = bot.fake

    async def broken(*args: Any, **kwargs: Any) -> list[Any]:
        raise RuntimeError("index unavailable")

    def broken_titles() -> dict[str, str]:
        raise RuntimeError("quizzes unavailable")

    bot.service.suggest = broken  # type: ignore[method-assign]
    bot.service.quiz_titles = broken_titles  # type: ignore[method-assign]
    for name, option in (("ask", "question"), ("faq", "entry"), ("quiz", "quiz")):
        cb = await fake.interact(fake.autocomplete(name, option, "phd"), within=5)
        assert cb.type == AUTOCOMPLETE_RESULT and cb.data["choices"] == []
    # The bot keeps serving.
    answered = await fake.interact(fake.slash("ask", {"question": QUESTION}), within=5)
    assert answered.type == 4


def _dm_message(content: str, **fields: Any) -> dict[str, Any]:
    return {"id": "1490000000000009001", "channel_id": DM_CHANNEL, "author": MEMBER.payload(),
            "content": content, "type": 0, "timestamp": "2024-01-01T00:00:00+00:00",
            "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": False,
            "mentions": [], **fields}


async def test_a_question_forwarded_to_the_bot_in_a_dm_is_answered(bot: Bot) -> None:
    """A forward has empty `content`; Discord carries the forwarded words in
    `message_snapshots`. The bot answered such a DM with its help text."""
    fake = bot.fake
    seen: list[str] = []
    ask = bot.service.commands["ask"]

    async def recording(cmd: Command) -> Reply:
        seen.append(cmd.text)
        return await ask(cmd)

    bot.service.commands["ask"] = recording
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _dm_message(
        "", message_reference={"type": 1, "channel_id": "1300000000000000009",
                               "guild_id": "1200000000000000009",
                               "message_id": "1390000000000000001"},
        message_snapshots=[{"message": {
            "type": 0, "content": QUESTION, "embeds": [], "attachments": [],
            "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "flags": 0,
            "mentions": [], "mention_roles": [], "components": []}}]))
    posted = await fake.wait_for_call("POST", f"/channels/{DM_CHANNEL}/messages", after=start,
                                      within=5)
    assert seen == [QUESTION]
    assert "research engineer" in json.dumps(posted.json["embeds"]).lower()


async def test_autocomplete_for_a_command_from_before_an_update_gets_an_empty_list(
        bot: Bot) -> None:
    """A member whose client still holds an old definition types into its option: Discord wants
    an autocomplete result (type 8) within 3 seconds; the out-of-date note is a message, which
    an autocomplete cannot take, so nothing was answered."""
    fake = bot.fake
    for payload in (fake.autocomplete("oldcommand", "entry", "phd"),
                    fake.autocomplete("faqadmin", "entry", "phd", subcommand="oldverb")):
        cb = await fake.interact(payload, within=5)
        assert cb.type == AUTOCOMPLETE_RESULT and cb.data["choices"] == []

