"""Discord's documentation marks a user's `avatar` as nullable, and a user without a legacy tag
may come without `discriminator`: a message whose author (or mentioned users) lack them is still
a member asking. discord.py reads both keys without a default, drops the author it could not
read, and `on_message` failed on `message.author`: the mention got no answer at all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.adapters.discord.conftest import Bot
from tests.fakes.discord_server import BOT_ID, CHANNEL_ID, GUILD_ID, MEMBER

QUESTION = "what does a research engineer do?"


def _partial_user(user_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"id": user_id, "username": name, "global_name": None, **fields}


def _mention(content: str, **fields: Any) -> dict[str, Any]:
    return {"id": "1490000000000009301", "channel_id": CHANNEL_ID, "guild_id": GUILD_ID,
            "author": _partial_user(MEMBER.id, "member"), "content": content, "type": 0,
            "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": False, "flags": 0,
            "mentions": [_partial_user(BOT_ID, "careerbot", bot=True)], **fields}


@pytest.mark.parametrize("content", [f"<@{BOT_ID}> {QUESTION}", QUESTION],
                         ids=["typed mention", "reply with ping"])
async def test_a_mention_from_users_without_avatar_or_discriminator_is_answered(
        bot: Bot, content: str) -> None:
    fake = bot.fake
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _mention(content))
    posted = await fake.wait_for_call("POST", f"/channels/{CHANNEL_ID}/messages", after=start,
                                      within=5)
    assert "research engineer" in json.dumps(posted.json).lower()
