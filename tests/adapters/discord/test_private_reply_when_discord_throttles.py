"""A private reply (the safety reply above all) still reaches the member when Discord throttles
or refuses a call on the way: the 429 Discord documents for a long wait (a `Retry-After`
header and a JSON `retry_after`, no Cloudflare `Via` header), or a placeholder already gone."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from adapters.discord_bot import MENTION_DM_FAILED
from bot.replies import Command, Reply
from tests.adapters.discord.conftest import Bot
from tests.fakes.discord_server import BOT_ID, CHANNEL_ID, GUILD_ID, MEMBER, Call, FakeDiscord
from tests.wellbeing_quotes import CRISIS

DEFERRED, EPHEMERAL = 5, 64
APOLOGY = "Discord would not show that reply"
LONG_WAIT = 30  # seconds: longer than the bot waits out a 429 (RETRY_WAIT_MAX)


class ThrottlingDiscord(FakeDiscord):
    """Answers every request whose method and path match a rule in `throttle` with a 429 that
    asks for a long wait, or with the rule's own (status, body)."""

    def __init__(self) -> None:
        super().__init__()
        self.throttle: list[tuple[str, str, int, dict]] = []

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        for method, fragment, status, body in self.throttle:
            if request.method == method and fragment in path:
                await request.read()
                self.calls.append(Call(request.method, path, dict(request.query), None))
                headers = {"Retry-After": str(LONG_WAIT)} if status == 429 else {}
                return web.json_response(body, status=status, headers=headers)
        return await super()._rest(request)


TOO_MANY = (429, {"message": "You are being rate limited.", "retry_after": LONG_WAIT,
                  "global": False})
UNKNOWN_MESSAGE = (404, {"message": "Unknown Message", "code": 10008})


@pytest.fixture
async def fake() -> AsyncIterator[ThrottlingDiscord]:
    server = await ThrottlingDiscord().start()
    yield server
    await server.stop()


def throttling(bot: Bot) -> ThrottlingDiscord:
    assert isinstance(bot.fake, ThrottlingDiscord)
    return bot.fake


@pytest.mark.parametrize("refusal", [TOO_MANY, UNKNOWN_MESSAGE], ids=["429", "404"])
async def test_a_slow_crisis_reply_follows_privately_when_the_public_placeholder_stays(
        bot: Bot, refusal: tuple[int, dict]) -> None:
    """A slow /ask is deferred publicly; a private reply then removes the public placeholder
    and follows privately. When Discord would not delete the placeholder, the safety reply was
    dropped for "Sorry, Discord would not show that reply"."""
    fake = throttling(bot)
    release = asyncio.Event()
    ask = bot.service.commands["ask"]

    async def slow(cmd: Command) -> Reply:
        await release.wait()
        return await ask(cmd)

    bot.service.commands["ask"] = slow
    bot.client.response_budget = 0.01
    fake.throttle.append(("DELETE", "/messages/@original", *refusal))
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("ask", {"question": CRISIS[0]}))
    assert cb.type == DEFERRED and not cb.ephemeral
    release.set()
    follow = await fake.wait_for_call("POST", "/webhooks/", after=start, within=10)
    assert follow.json["flags"] & EPHEMERAL
    assert "988" in json.dumps(follow.json) and APOLOGY not in json.dumps(follow.json)


def _mention(content: str) -> dict:
    return {
        "id": "1490000000000009001", "channel_id": CHANNEL_ID, "guild_id": GUILD_ID,
        "author": MEMBER.payload(), "content": content, "type": 0,
        "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": False, "mentions": [{"id": BOT_ID, "username": "careerbot",
                                       "discriminator": "0", "avatar": None, "bot": True}],
    }


async def test_a_crisis_in_a_mention_leaves_a_pointer_when_discord_throttles_the_dm(
        bot: Bot) -> None:
    """Opening a DM is rate limited hard; a 429 there (not a 403) left a member in crisis who
    mentioned the bot with no answer at all, where closed DMs get a neutral pointer."""
    fake = throttling(bot)
    fake.throttle.append(("POST", "/users/@me/channels", *TOO_MANY))
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _mention(f"<@{BOT_ID}> i want to kill myself"))
    pointer = await fake.wait_for_call("POST", f"/channels/{CHANNEL_ID}/messages", after=start,
                                       within=5)
    shown = {k: v for k, v in pointer.json.items() if k != "nonce"}
    assert "/ask" in shown["content"] and shown["content"] != MENTION_DM_FAILED
    assert not shown.get("embeds") and "988" not in json.dumps(shown)
