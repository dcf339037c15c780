"""Discord refusing what the bot sends, and the core failing: the member still gets the answer
or a private note, never silence or Discord's "This interaction failed"."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.discord_bot import STALE
from bot.replies import Event
from tests.adapters.discord.conftest import Bot
from tests.fakes.discord_limits import custom_ids
from tests.fakes.discord_server import (
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MEMBER,
    MODERATOR,
    Call,
    FakeDiscord,
)

CHANNEL_MESSAGE, DEFERRED_UPDATE = 4, 6
QUESTION = "what does a research engineer do?"
CHANNEL_POSTS = f"/channels/{CHANNEL_ID}/messages"
# Discord's answers, as its documentation and a live server give them.
MISSING_PERMISSIONS = (403, {"message": "Missing Permissions", "code": 50013})
MISSING_ACCESS = (403, {"message": "Missing Access", "code": 50001})
UNKNOWN_WEBHOOK = (404, {"message": "Unknown Webhook", "code": 10015})
DELETED_REFERENCE = (400, {"message": "Invalid Form Body", "code": 50035, "errors": {
    "message_reference": {"_errors": [{"code": "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                                       "message": "Unknown message"}]}}})


@dataclass
class Refusal:
    method: str
    path: str
    error: tuple[int, dict[str, Any]]
    replies_only: bool = False  # only requests that reply to a message (message_reference)


class RefusingDiscord(FakeDiscord):
    """Answers every request a rule in `refuse` matches with that rule's error, as a missing
    permission or a deleted message would. The request is still recorded in `calls`."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse: list[Refusal] = []

    def _route(self, method: str, p: list[str], body: Any, call: Call
               ) -> tuple[int, Any] | None:
        for rule in self.refuse:
            is_reply = isinstance(body, dict) and bool(body.get("message_reference"))
            if (rule.method == method and rule.path in call.path
                    and (is_reply or not rule.replies_only)):
                return rule.error
        return super()._route(method, p, body, call)


@pytest.fixture
async def fake() -> AsyncIterator[RefusingDiscord]:
    server = await RefusingDiscord().start()
    yield server
    await server.stop()


def refusing(bot: Bot) -> RefusingDiscord:
    assert isinstance(bot.fake, RefusingDiscord)
    return bot.fake


BOT_USER = {"id": BOT_ID, "username": "careerbot", "discriminator": "0", "avatar": None,
            "bot": True}
_message_ids = iter(range(1490000000000007001, 1490000000000008000))


def member_message(content: str, **fields: Any) -> dict[str, Any]:
    """A MESSAGE_CREATE payload from a member in the guild channel, mentioning the bot."""
    data: dict[str, Any] = {
        "id": str(next(_message_ids)), "channel_id": CHANNEL_ID, "guild_id": GUILD_ID,
        "author": MEMBER.payload(), "content": content, "type": 0,
        "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": False, "mentions": [BOT_USER],
    }
    data.update(fields)
    return data



def shown(call: Call) -> str:
    """What a sent message shows, lower-cased (the nonce is random digits, so it is left out)."""
    return json.dumps({k: v for k, v in (call.json or {}).items() if k != "nonce"}).lower()


def own_log(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "adapters.discord_bot"]


# -- a mention's answer that Discord refuses as a reply ---------------------------------------


@pytest.mark.parametrize("error", [MISSING_PERMISSIONS, DELETED_REFERENCE],
                         ids=["no-read-message-history", "message-deleted"])
async def test_a_refused_mention_reply_is_posted_in_the_channel_without_the_reply(
        bot: Bot, caplog: pytest.LogCaptureFixture, error: tuple[int, dict[str, Any]]) -> None:
    fake = refusing(bot)
    fake.refuse = [Refusal("POST", CHANNEL_POSTS, error, replies_only=True)]
    caplog.set_level(logging.INFO, logger="adapters.discord_bot")
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", member_message(f"<@{BOT_ID}> {QUESTION}"))
    refused = await fake.wait_for_call("POST", CHANNEL_POSTS, after=start, within=5)
    assert refused.json.get("message_reference")
    posted = await fake.wait_for_call("POST", CHANNEL_POSTS, after=fake.calls.index(refused) + 1,
                                      within=5)
    assert not posted.json.get("message_reference")
    assert "research engineer" in shown(posted)
    if error is MISSING_PERMISSIONS:  # an admin has to fix this one
        assert any(r.levelno == logging.WARNING and "50013" in r.getMessage()
                   for r in own_log(caplog))
    assert not any(QUESTION in r.getMessage() for r in caplog.records)


async def test_a_mention_where_the_bot_may_not_post_is_answered_by_direct_message(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    fake = refusing(bot)
    fake.refuse = [Refusal("POST", CHANNEL_POSTS, MISSING_ACCESS)]
    caplog.set_level(logging.INFO, logger="adapters.discord_bot")
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", member_message(f"<@{BOT_ID}> {QUESTION}"))
    opened = await fake.wait_for_call("POST", "/users/@me/channels", after=start, within=5)
    dm = await fake.wait_for_call("POST", "/channels/", after=fake.calls.index(opened) + 1,
                                  within=5)
    assert dm.path != CHANNEL_POSTS
    assert "research engineer" in shown(dm)
    tried = [c for c in fake.calls[start:] if c.path == CHANNEL_POSTS]
    assert [bool(c.json.get("message_reference")) for c in tried] == [True, False]
    warnings = [r.getMessage() for r in own_log(caplog) if r.levelno == logging.WARNING]
    assert any("50001" in line for line in warnings), warnings
    assert not any(QUESTION in r.getMessage() for r in caplog.records)


# -- the core failing under a click or a form -------------------------------------------------


async def broken_core(event: Event) -> Any:
    raise RuntimeError("core bug")


async def slow_broken_core(event: Event) -> Any:
    await asyncio.sleep(0.3)
    raise RuntimeError("core bug")


async def command_apology(bot: Bot) -> str:
    """The private apology a slash command gets when the core fails."""
    cb = await bot.fake.interact(bot.fake.slash("ask", {"question": QUESTION}))
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    return str(cb.data["content"])


@pytest.mark.parametrize("slow", [False, True], ids=["at-once", "after-a-defer"])
async def test_a_click_gets_the_commands_apology_when_the_core_fails(
        bot: Bot, monkeypatch: pytest.MonkeyPatch, slow: bool) -> None:
    fake = bot.fake
    answer = await fake.interact(fake.slash("ask", {"question": QUESTION}))
    feedback = next(i for i in custom_ids(answer.data) if i.startswith("cb:feedback:"))
    monkeypatch.setattr(bot.service, "handle", broken_core)
    apology = await command_apology(bot)
    if slow:
        monkeypatch.setattr(bot.service, "handle", slow_broken_core)
        bot.client.response_budget = 0.05
    start = len(fake.calls)
    cb = await fake.interact(fake.click(feedback), within=5)
    if slow:  # the click was acknowledged before the core failed: the apology follows
        assert cb.type == DEFERRED_UPDATE
        followup = await fake.wait_for_call("POST", "/webhooks/", after=start, within=5)
        assert followup.json["content"] == apology and followup.json["flags"] & 64
    else:
        assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
        assert cb.data["content"] == apology


async def test_a_form_submission_gets_the_commands_apology_when_the_core_fails(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.service, "handle", broken_core)
    apology = await command_apology(bot)
    cb = await bot.fake.interact(bot.fake.submit("cbf:faq-add:", {"id": "x"}, user=MODERATOR),
                                 within=5)
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert cb.data["content"] == apology


async def test_a_form_that_is_not_ours_gets_the_out_of_date_note(bot: Bot) -> None:
    cb = await bot.fake.interact(bot.fake.submit("feedback_form", {"a": "b"}), within=5)
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert cb.data["content"] == STALE


# -- "Answer with careerbot" ------------------------------------------------------------------


async def test_a_posted_answer_is_not_followed_by_try_again_when_the_final_note_fails(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    """"Please try again" after the answer was posted led members to post it a second time."""
    fake = refusing(bot)
    fake.refuse = [Refusal("PATCH", "/messages/@original", UNKNOWN_WEBHOOK)]
    caplog.set_level(logging.INFO, logger="adapters.discord_bot")
    start = len(fake.calls)
    await fake.interact(fake.message_command("Answer with careerbot", QUESTION))
    await fake.wait_for_call("PATCH", "/webhooks/", after=start, within=5)
    await asyncio.sleep(0.5)
    assert len([c for c in fake.calls[start:] if c.path == CHANNEL_POSTS]) == 1
    assert not [c for c in fake.calls[start:] if c.method == "POST" and "/webhooks/" in c.path]
    assert any("10015" in r.getMessage() or "404" in r.getMessage() for r in own_log(caplog))


# -- other ways of asking ---------------------------------------------------------------------


async def test_a_reply_with_ping_to_the_bots_answer_asks_it(bot: Bot) -> None:
    fake = bot.fake
    ours = member_message("", author=BOT_USER, mentions=[])
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", member_message(
        QUESTION, type=19, referenced_message=ours,
        message_reference={"message_id": ours["id"], "channel_id": CHANNEL_ID,
                           "guild_id": GUILD_ID}))
    posted = await fake.wait_for_call("POST", CHANNEL_POSTS, after=start, within=5)
    assert "research engineer" in shown(posted)


OWN_ROLE, OTHER_ROLE = "1600000000000000055", "1600000000000000056"


def role(role_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"id": role_id, "name": name, "permissions": "0", "position": 1, "color": 0,
            "hoist": False, "managed": False, "mentionable": True, "flags": 0, **fields}


async def test_a_mention_of_the_bots_managed_role_asks_it(bot: Bot) -> None:
    fake = bot.fake
    # The guild as the gateway sends it to a bot with the guilds intent: roles included.
    await fake._dispatch("GUILD_CREATE", {
        "id": GUILD_ID, "name": "careers", "owner_id": MEMBER.id, "member_count": 2,
        "features": [], "emojis": [], "stickers": [], "members": [], "threads": [],
        "roles": [role(GUILD_ID, "@everyone", position=0),
                  role(OWN_ROLE, "careerbot", managed=True, tags={"bot_id": BOT_ID}),
                  role(OTHER_ROLE, "mentors")],
        "channels": [{"id": CHANNEL_ID, "type": 0, "name": "careers", "position": 0,
                      "permission_overwrites": []}],
    })
    for _ in range(50):
        if bot.client.get_guild(int(GUILD_ID)) is not None:
            break
        await asyncio.sleep(0.02)
    start = len(fake.calls)
    await fake._dispatch("MESSAGE_CREATE", member_message(
        f"<@&{OTHER_ROLE}> {QUESTION}", mentions=[], mention_roles=[OTHER_ROLE]))
    asking = member_message(f"<@&{OWN_ROLE}> {QUESTION}", mentions=[],
                            mention_roles=[OWN_ROLE])
    await fake._dispatch("MESSAGE_CREATE", asking)
    posted = await fake.wait_for_call("POST", CHANNEL_POSTS, after=start, within=5)
    assert str(posted.json["message_reference"]["message_id"]) == asking["id"]
    assert "research engineer" in shown(posted)
    await asyncio.sleep(0.3)
    # Only the bot's own role asks it; the mentors' role is left to the mentors.
    assert len([c for c in fake.calls[start:] if c.method == "POST"]) == 1
