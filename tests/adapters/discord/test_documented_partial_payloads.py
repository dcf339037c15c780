"""Payloads Discord's documentation allows to be sparser than what Discord usually sends.

discord.py reads some fields of them without a default: a guild member's `roles` and `flags`,
a resolved (partial) message's `type` and `content`, the `description` of a synced command.
A member, message or sync answer without them made discord.py raise while parsing: the command
got no answer at all ("This interaction failed"), the message command logged a traceback, and
the bot did not start."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.config import Settings
from bot.kb.models import KnowledgeBase
from tests.adapters.discord.conftest import Bot, running_client
from tests.fakes.discord_server import CHANNEL_ID, FakeDiscord, snowflake

CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5


@pytest.mark.parametrize("missing", [("flags",), ("roles",), ("roles", "flags")],
                         ids=["no flags", "no roles", "neither"])
async def test_a_member_without_roles_or_flags_still_gets_an_answer(
        bot: Bot, missing: tuple[str, ...]) -> None:
    payload = bot.fake.slash("help")
    for key in missing:
        del payload["member"][key]
    cb = await bot.fake.interact(payload, within=5)
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral


async def test_a_member_without_roles_is_still_refused_moderator_commands(bot: Bot) -> None:
    payload = bot.fake.slash("faqadmin", subcommand="stats")
    payload["member"]["permissions"] = "0"
    del payload["member"]["roles"]
    cb = await bot.fake.interact(payload, within=5)
    assert cb.ephemeral and "Only moderators" in cb.data["content"]


async def test_answer_with_careerbot_on_a_partial_resolved_message(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    fake = bot.fake
    payload = fake.message_command("Answer with careerbot", "what does a research engineer do?")
    target = payload["data"]["target_id"]
    full = payload["data"]["resolved"]["messages"][target]
    # The documentation's resolved messages are partial: only some fields.
    payload["data"]["resolved"]["messages"][target] = {
        key: full[key] for key in ("id", "channel_id", "author", "content", "timestamp")}
    with caplog.at_level(logging.WARNING):
        cb = await fake.interact(payload, within=5)
    assert cb.type == DEFERRED_CHANNEL_MESSAGE and cb.ephemeral
    reply = await fake.wait_for_call("POST", f"/channels/{CHANNEL_ID}/messages", within=5)
    assert str(reply.json["message_reference"]["message_id"]) == target
    await fake.wait_for_call("PATCH", "/webhooks/", within=5)
    assert not [r for r in caplog.records if r.exc_info]


async def test_the_bot_starts_when_the_sync_answer_lacks_a_description(
        fake: FakeDiscord, settings: Settings, kb: KnowledgeBase) -> None:
    """A sync answer that echoes the commands as sent: the message command has no
    description (Discord itself adds an empty one)."""
    def echo(scope: str, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
        stored = [{**command, "id": snowflake(), "application_id": "1", "version": snowflake()}
                  for command in body]
        fake.commands[scope] = stored
        return stored

    fake._store_commands = echo  # type: ignore[method-assign]
    async with running_client(fake, settings, kb):
        cb = await fake.interact(fake.slash("help"), within=5)
        assert cb.type == CHANNEL_MESSAGE
