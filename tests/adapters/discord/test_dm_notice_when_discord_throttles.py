"""A quiz started in a server goes to the member's DM, and the private "Opening a direct
message..." note is then replaced by the link (or by why the DM could not be sent). Discord may
answer that edit with the 429 its documentation describes; the edit was the one call not waited
out, so the member got "Sorry, ... Please try again." although the quiz was in their DM (or
instead of being told to open their DMs)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.discord_bot import DM_FAILED, DM_SENT
from tests.adapters.discord.conftest import Bot
from tests.adapters.discord.test_discord_conformance import LimitingDiscord


@pytest.fixture
async def fake() -> AsyncIterator[LimitingDiscord]:
    server = await LimitingDiscord().start()
    yield server
    await server.stop()


@pytest.mark.parametrize("dms_open, note", [(True, DM_SENT.split("{")[0]), (False, DM_FAILED)],
                         ids=["dm sent", "dms closed"])
async def test_the_note_about_the_direct_message_is_shown_after_a_429(
        bot: Bot, dms_open: bool, note: str) -> None:
    fake = bot.fake
    assert isinstance(fake, LimitingDiscord)
    fake.refuse_dms = not dms_open
    fake.limit_next.append(("PATCH", "/messages/@original"))
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("quiz", {"quiz": "ml-path"}))
    assert cb.ephemeral
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert fake.limited, "the fake did not throttle the edit"
    assert edit.json["content"].startswith(note)
    assert not any("would not show" in str(c.json) for c in fake.calls[start:])
