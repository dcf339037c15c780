"""`/quiz` run in the bot's DM while the core is slow. The deferred placeholder was
made ephemeral (quiz is in EPHEMERAL_COMMANDS because in a server it goes to the DM), so the
quiz question, a normal message in the DM when the core is fast, landed in an ephemeral message:
it vanishes on a client reload, and the run's buttons with it."""

from __future__ import annotations

import asyncio

from bot.replies import Command, Reply
from tests.fakes.discord_server import User

DEFERRED = 5
OTHER = User("1500000000000000044", "other")


async def test_a_slow_quiz_in_a_dm_is_not_turned_into_an_ephemeral_message(bot):
    fake = bot.fake
    fast = await fake.interact(fake.slash("quiz", {"quiz": "ml-path"}, dm=True))
    assert not fast.ephemeral  # fast core: a normal message in the DM

    real = bot.service.commands["quiz"]
    release = asyncio.Event()

    async def slow(cmd: Command) -> Reply:
        await release.wait()
        return await real(cmd)

    bot.service.commands["quiz"] = slow
    bot.client.response_budget = 0.01
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("quiz", {"quiz": "ml-path"}, dm=True, user=OTHER))
    release.set()
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert edit.json.get("embeds") or edit.json.get("content")
    assert cb.type == DEFERRED
    assert not cb.ephemeral, "the quiz question in a DM landed in an ephemeral message"
