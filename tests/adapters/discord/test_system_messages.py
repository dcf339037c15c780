"""A system message is not a member asking. Pinning a message in the bot's DM makes Discord post
a CHANNEL_PINNED_MESSAGE (type 6) system message there, authored by the member, with empty
content; the bot read it as an empty question and sent its help text into the DM."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.adapters.discord.conftest import Bot
from tests.fakes.discord_server import MEMBER

DM_CHANNEL = "1310000000000000777"
CHANNEL_PINNED_MESSAGE = 6


def _dm_system_message(kind: int, **fields: Any) -> dict[str, Any]:
    return {"id": "1490000000000009101", "channel_id": DM_CHANNEL, "author": MEMBER.payload(),
            "content": "", "type": kind, "timestamp": "2024-01-01T00:00:00+00:00",
            "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": False,
            "mentions": [], "flags": 0, **fields}


async def test_pinning_a_message_in_the_bots_dm_is_not_answered(bot: Bot) -> None:
    fake = bot.fake
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _dm_system_message(
        CHANNEL_PINNED_MESSAGE,
        message_reference={"channel_id": DM_CHANNEL, "message_id": "1490000000000000123"}))
    await asyncio.sleep(1.0)
    posted = [c for c in fake.calls[start:] if c.method == "POST"]
    assert posted == []
