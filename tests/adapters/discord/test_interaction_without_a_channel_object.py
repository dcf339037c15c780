"""Discord's interaction carries the channel twice: `channel_id` and the partial `channel`
object; both are optional in its documentation. discord.py takes the id only from `channel`, so
an interaction with `channel_id` alone reached the core with no channel at all, and the
per-channel rate limit lumped every such command of a server (and every member's DM with the
bot) into one bucket."""

from __future__ import annotations

from typing import Any

import pytest

from bot.replies import Event
from tests.adapters.discord.conftest import Bot


@pytest.mark.parametrize("dm", [False, True], ids=["server channel", "direct message"])
async def test_the_core_is_told_the_channel_of_an_interaction_with_only_channel_id(
        bot: Bot, monkeypatch: pytest.MonkeyPatch, dm: bool) -> None:
    seen: list[Event] = []
    handle = bot.service.handle

    async def recording(event: Event) -> Any:
        seen.append(event)
        return await handle(event)

    monkeypatch.setattr(bot.service, "handle", recording)
    payload = bot.fake.slash("help", dm=dm)
    del payload["channel"]
    await bot.fake.interact(payload, within=5)
    assert seen and seen[0].ctx.channel == payload["channel_id"]
