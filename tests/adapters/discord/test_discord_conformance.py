"""Shapes a Discord server may send that our other fakes never do: interactions without fields
Discord documented only lately, events discord.py cannot read, 429s as the API documentation
describes them (no Cloudflare `Via` header), and commands or buttons from before an update."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from adapters.discord_bot import DM_SENT, STALE
from bot.config import Settings
from bot.kb.models import KnowledgeBase
from tests.adapters.discord.conftest import Bot, running_client
from tests.fakes.discord_server import FakeDiscord

CHANNEL_MESSAGE = 4


class LimitingDiscord(FakeDiscord):
    """Answers the next request matching each of `limit_next` (method, path fragment) with the
    429 Discord documents: a `Retry-After` header and a JSON body with `retry_after`."""

    def __init__(self) -> None:
        super().__init__()
        self.limit_next: list[tuple[str, str]] = []
        self.limited: list[str] = []
        self.fail_sync = False

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        if self.fail_sync and request.method == "PUT" and path.endswith("/commands"):
            # What Discord says when the app may not create commands there.
            return web.json_response({"message": "Missing Access", "code": 50001}, status=403)
        for item in list(self.limit_next):
            method, fragment = item
            if request.method == method and fragment in path:
                self.limit_next.remove(item)
                self.limited.append(f"{request.method} {path}")
                return web.Response(
                    status=429, content_type="application/json",
                    headers={"Retry-After": "0.2", "X-RateLimit-Scope": "user"},
                    text=json.dumps({"message": "You are being rate limited.",
                                     "retry_after": 0.2, "global": False}))
        return await super()._rest(request)


@pytest.fixture
async def fake() -> AsyncIterator[LimitingDiscord]:
    server = await LimitingDiscord().start()
    yield server
    await server.stop()


async def test_an_interaction_without_the_newer_fields_is_answered_and_the_bot_keeps_serving(
        bot: Bot) -> None:
    payload = bot.fake.slash("help")
    payload.pop("attachment_size_limit", None)
    payload.pop("version", None)
    cb = await bot.fake.interact(payload, within=5)
    assert cb.type == CHANNEL_MESSAGE
    again = await bot.fake.interact(bot.fake.slash("help"), within=5)
    assert again.type == CHANNEL_MESSAGE
    assert not bot.task.done()


@pytest.mark.parametrize("channel", [
    {"type": 0, "name": "careers"},  # a text channel discord.py was never sent
    {"type": 11, "name": "my question", "parent_id": "1300000000000000001"},  # a thread
    {"type": 12, "name": "private"},
    {"type": 2, "name": "voice chat"},  # the text chat of a voice channel
    {"type": 13, "name": "stage"},
], ids=["text", "thread", "private-thread", "voice", "stage"])
async def test_a_command_from_a_documented_partial_channel_is_answered(
        bot: Bot, channel: dict[str, Any]) -> None:
    """Discord documents the interaction's channel, and its users, as partial objects; a channel
    not in discord.py's cache is built from them, and each missing field once made the command
    fail silently."""
    payload = bot.fake.slash("ask", {"question": "what does a research engineer do?"})
    channel_id = "1360000000000000" + str(channel["type"]).zfill(3)
    payload["channel"] = {"id": channel_id, **channel}
    payload["channel_id"] = channel_id
    payload["member"]["user"].pop("discriminator", None)
    cb = await bot.fake.interact(payload, within=5)
    assert cb.type == CHANNEL_MESSAGE
    assert "research engineer" in json.dumps(cb.data).lower()


async def test_an_event_discord_py_cannot_read_is_skipped_with_one_line(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    broken = bot.fake.slash("help")
    del broken["application_id"]
    caplog.set_level(logging.WARNING, logger="adapters.discord_bot")
    await bot.fake.send_interaction(broken)
    await asyncio.sleep(0.3)
    lines = [r.getMessage() for r in caplog.records if r.name == "adapters.discord_bot"]
    assert any("skipped a INTERACTION_CREATE event" in line for line in lines), lines
    assert not any(broken["token"] in line for line in lines)
    cb = await bot.fake.interact(bot.fake.slash("help"), within=5)
    assert cb.type == CHANNEL_MESSAGE
    assert not bot.task.done()


async def test_a_documented_429_on_the_direct_message_is_waited_out_and_delivered(
        bot: Bot) -> None:
    fake = bot.fake
    assert isinstance(fake, LimitingDiscord)
    fake.limit_next.append(("POST", "/channels/"))
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("quiz", {"quiz": "ml-path"}))
    assert cb.ephemeral
    done = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert fake.limited and fake.limited[0].startswith("POST /channels/")
    assert done.json["content"].startswith(DM_SENT.split("{")[0])


async def test_a_documented_429_on_a_deferred_answer_is_waited_out(bot: Bot) -> None:
    fake = bot.fake
    assert isinstance(fake, LimitingDiscord)
    bot.client.response_budget = 0.0  # every reply is deferred, then edited in
    fake.limit_next.append(("PATCH", "/webhooks/"))
    start = len(fake.calls)
    await fake.interact(fake.slash("ask", {"question": "what does a research engineer do?"}))
    # The refused edit never reaches `calls`; the one recorded is the retry that landed.
    landed = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert fake.limited and fake.limited[0].startswith("PATCH /webhooks/")
    assert landed.json.get("embeds") or landed.json.get("content")
    assert not any("would not show" in str(c.json) for c in fake.calls[start:])


async def test_a_429_on_the_start_up_sync_is_waited_out(fake: LimitingDiscord,
                                                        settings: Settings,
                                                        kb: KnowledgeBase) -> None:
    fake.limit_next.append(("PUT", "/commands"))
    async with running_client(fake, settings, kb) as client:
        assert fake.limited and client.synced is not None and client.synced[0] > 0


async def test_a_failed_start_up_sync_does_not_stop_the_bot(fake: LimitingDiscord,
                                                            settings: Settings,
                                                            kb: KnowledgeBase) -> None:
    fake.fail_sync = True
    async with running_client(fake, settings, kb) as client:
        assert client.synced is None
        cb = await fake.interact(fake.slash("help"), within=5)
        assert cb.type == CHANNEL_MESSAGE


async def test_a_command_from_before_an_update_gets_a_private_note(bot: Bot) -> None:
    cb = await bot.fake.interact(bot.fake.slash("oldcommand"), within=5)
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert cb.data["content"] == STALE


@pytest.mark.parametrize(("option_type", "value"), [(4, 42), (5, True), (10, 1.5)])
async def test_an_option_of_another_type_gets_the_out_of_date_note(bot: Bot, option_type: int,
                                                                   value: Any) -> None:
    # /ask registers `question` as text (type 3); a client with an older definition could send
    # a number or a boolean there.
    payload = bot.fake.slash("ask", {"question": "x"})
    payload["data"]["options"][0] = {"name": "question", "type": option_type, "value": value}
    cb = await bot.fake.interact(payload, within=5)
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert cb.data["content"] == STALE
    answered = await bot.fake.interact(
        bot.fake.slash("ask", {"question": "what does a research engineer do?"}), within=5)
    assert answered.type == CHANNEL_MESSAGE and answered.data.get("embeds")


async def test_a_button_from_before_an_update_gets_a_private_note(bot: Bot) -> None:
    message: dict[str, Any] = {"id": "1490000000000000001", "channel_id": "1300000000000000001",
                               "components": []}
    bot.fake.messages[message["id"]] = message
    cb = await bot.fake.interact(bot.fake.click("feedback_yes", message=message), within=5)
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert cb.data["content"] == STALE



async def test_answer_with_careerbot_on_a_bots_message_is_for_the_asker_only(bot: Bot) -> None:
    from tests.fakes.discord_server import User

    fake = bot.fake
    payload = fake.message_command("Answer with careerbot", "what does a research engineer do?",
                                   author=User("1100000000000000001", "careerbot"))
    payload["data"]["resolved"]["messages"][payload["data"]["target_id"]]["author"]["bot"] = True
    start = len(fake.calls)
    cb = await fake.interact(payload)
    assert cb.ephemeral
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert edit.json.get("embeds") or edit.json.get("content")
    assert not [c for c in fake.calls[start:] if c.method == "POST" and "/channels/" in c.path]


async def test_a_documented_429_on_a_quiz_step_is_waited_out(bot: Bot) -> None:
    """The quiz step is edited in place as the first response to the click; a 429 there lost
    the step while the core had already recorded the answer."""
    from tests.adapters.discord.test_discord_adapter import custom_ids, start_quiz_in_guild

    fake = bot.fake
    assert isinstance(fake, LimitingDiscord)
    step = await start_quiz_in_guild(fake)
    first = [i for i in custom_ids(step) if i.startswith("cb:quiz:")][0]
    fake.limit_next.append(("POST", "/callback"))
    cb = await fake.interact(fake.click(first, dm=True), within=5)
    assert fake.limited and cb.type == 7  # UPDATE_MESSAGE, after the wait
    assert cb.data["embeds"][0]["title"].startswith("[2/")


async def test_our_button_is_answered_when_the_clicked_message_does_not_list_it(
        bot: Bot) -> None:
    """discord.py routes a click to a button only if the interaction's message carries that
    button; a message sent trimmed (or not at all) got no answer."""
    fake = bot.fake
    cb = await fake.interact(fake.slash("ask", {"question": "what does a research engineer do?"}))
    feedback = next(row_item["custom_id"] for row in cb.data["components"]
                    for row_item in row["components"]
                    if row_item.get("custom_id", "").startswith("cb:feedback:"))
    message = dict(fake.message_with_custom_id(feedback) or {})
    message["components"] = []
    clicked = await fake.interact(fake.click(feedback, message=message), within=5)
    assert clicked.type in (4, 6, 7)


async def test_answer_with_careerbot_on_a_forwarded_message_answers_the_forwarded_words(
        bot: Bot) -> None:
    """A forwarded message has empty content; Discord carries its words in message_snapshots."""
    fake = bot.fake
    payload = fake.message_command("Answer with careerbot", "")
    (target,) = payload["data"]["resolved"]["messages"].values()
    target["message_reference"] = {"type": 1, "channel_id": target["channel_id"],
                                   "message_id": "1390000000000000001"}
    target["message_snapshots"] = [{"message": {
        "type": 0, "content": "what does a research engineer do?", "embeds": [],
        "attachments": [], "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None,
        "flags": 0, "mentions": [], "mention_roles": [], "components": []}}]
    start = len(fake.calls)
    await fake.interact(payload, within=5)
    posted = await fake.wait_for_call("POST", "/channels/", after=start)
    assert "research engineer" in json.dumps(posted.json).lower()
    done = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert done.json["content"].startswith("Answered: https://discord.com/channels/")


def _message(content: str, *, guild: bool = True, author: dict[str, Any] | None = None,
             mentions_bot: bool = True) -> dict[str, Any]:
    from tests.fakes.discord_server import BOT_ID, CHANNEL_ID, GUILD_ID, MEMBER

    data: dict[str, Any] = {
        "id": "1490000000000005001", "channel_id": CHANNEL_ID if guild else "1310000000000000777",
        "author": author or MEMBER.payload(), "content": content,
        "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": False, "type": 0,
        "mentions": [{"id": BOT_ID, "username": "careerbot", "discriminator": "0",
                      "avatar": None, "bot": True}] if mentions_bot else [],
    }
    if guild:
        data["guild_id"] = GUILD_ID
    return data


async def test_a_mention_is_answered_with_a_reply_to_the_members_message(bot: Bot) -> None:
    from tests.fakes.discord_server import BOT_ID

    fake = bot.fake
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _message(f"<@{BOT_ID}> what does a research engineer do?"))
    posted = await fake.wait_for_call("POST", "/channels/", after=start, within=5)
    assert str(posted.json["message_reference"]["message_id"]) == "1490000000000005001"
    assert "research engineer" in json.dumps(posted.json).lower()


async def test_a_crisis_in_a_mention_goes_to_the_members_dm_and_nothing_to_the_channel(
        bot: Bot) -> None:
    from tests.fakes.discord_server import BOT_ID, CHANNEL_ID

    fake = bot.fake
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _message(f"<@{BOT_ID}> i want to kill myself"))
    await fake.wait_for_call("POST", "/users/@me/channels", after=start, within=5)
    sent = await fake.wait_for_call("POST", "/channels/", after=start, within=5)
    assert sent.path != f"/channels/{CHANNEL_ID}/messages"
    assert "988" in json.dumps(sent.json)
    await asyncio.sleep(0.2)
    assert not [c for c in fake.calls[start:] if c.path == f"/channels/{CHANNEL_ID}/messages"]


async def test_messages_that_do_not_ask_careerbot_are_left_alone(bot: Bot) -> None:
    from tests.fakes.discord_server import BOT_ID

    fake = bot.fake
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _message("what does a research engineer do?",
                                                    mentions_bot=False))
    other_bot = {"id": "1500000000000000999", "username": "otherbot", "discriminator": "0",
                 "avatar": None, "bot": True}
    await fake._dispatch("MESSAGE_CREATE", _message(f"<@{BOT_ID}> hi", author=other_bot))
    await asyncio.sleep(0.5)
    assert not [c for c in fake.calls[start:] if c.method == "POST"]


async def test_a_private_reply_to_a_mention_with_dms_closed_leaves_only_a_neutral_pointer(
        bot: Bot) -> None:
    from adapters.discord_bot import MENTION_DM_FAILED
    from tests.fakes.discord_server import BOT_ID, CHANNEL_ID

    fake = bot.fake
    fake.refuse_dms = True
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", _message(f"<@{BOT_ID}> i want to kill myself"))
    pointer = await fake.wait_for_call("POST", f"/channels/{CHANNEL_ID}/messages", after=start,
                                       within=5)
    assert pointer.json["content"] == MENTION_DM_FAILED
    # Nothing of the safety reply in the channel: no embed, no helpline. (The nonce is random
    # digits, so it is left out of the search.)
    shown = {k: v for k, v in pointer.json.items() if k != "nonce"}
    assert not shown.get("embeds") and "988" not in json.dumps(shown)
