"""Answer with careerbot under a message no member wrote is for the asker only. Discord's
documentation tells a webhook's message by its `webhook_id` (its author is the webhook, whose
`bot` flag is optional), and careerbot's own answer by its author id: both are answered
privately, like another bot's message, whether or not the author carries `bot: true`."""

from __future__ import annotations

import pytest

from tests.adapters.discord.conftest import Bot
from tests.fakes.discord_server import BOT_ID, User


@pytest.mark.parametrize("kind", ["webhook", "careerbot itself"])
async def test_a_message_not_written_by_a_member_is_answered_privately(
        bot: Bot, kind: str) -> None:
    fake = bot.fake
    author = User("1700000000000000001", "Feed") if kind == "webhook" else User(BOT_ID, "careerbot")
    payload = fake.message_command("Answer with careerbot", "what does a research engineer do?",
                                   author=author)
    message = payload["data"]["resolved"]["messages"][payload["data"]["target_id"]]
    del message["author"]["bot"]
    if kind == "webhook":
        message["webhook_id"] = author.id
    start = len(fake.calls)
    cb = await fake.interact(payload, within=5)
    assert cb.ephemeral
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start, within=5)
    assert edit.json.get("embeds")
    assert not [c for c in fake.calls[start:] if c.method == "POST" and "/channels/" in c.path]
