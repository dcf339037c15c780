"""A modal submission waits for the core before it is acknowledged (its errors go on the fields),
so nothing else may hold that acknowledgement past Slack's three seconds. A form opened in the
moderator's DM with careerbot and submitted to a bot that has not yet looked that DM up (after a
restart, or on another replica behind the load balancer) must not wait on `conversations.open`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.service import Service
from tests.adapters.slack.test_slack_moderation import NEW_ENTRY
from tests.fakes.slack_payloads import FORM, interactive_body, sign, view_submission
from tests.fakes.slack_server import FakeSlack

SLACK_DEADLINE = 3.0


class SlowSlack(FakeSlack):
    """Answers the methods in `slow` only after that many seconds (a busy or rate-limited Slack)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.slow: dict[str, float] = {}

    async def _api(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.slow.get(request.match_info["method"], 0))
        return await super()._api(request)


@pytest.fixture
async def fake() -> AsyncIterator[SlowSlack]:
    server = await SlowSlack(admins={"UADMIN"}).start()
    yield server
    await server.stop()


async def test_a_form_from_careerbots_dm_is_acknowledged_in_time_by_a_bot_that_has_not_seen_the_dm(
        make_slack: Any, service: Service, fake: SlowSlack) -> None:
    opened_by = await make_slack(service)
    await opened_by.command("add", user="UADMIN", channel="DUADMIN", channel_name="directmessage")
    (opened,) = fake.of("views.open")
    view = opened.args["view"]

    fresh = await make_slack(service)  # restarted, or another replica: it never opened that DM
    fake.slow["conversations.open"] = SLACK_DEADLINE + 1
    body = interactive_body(view_submission(view, NEW_ENTRY, user="UADMIN"))
    signed = sign(fresh.secret, body, FORM)
    started = time.monotonic()
    async with fresh.session.post(fresh.endpoint, data=body, headers=signed.headers) as resp:
        answer = (resp.status, await resp.text())
    acked_after = time.monotonic() - started
    await fresh.bridge.drain()
    assert answer == (200, "")  # the modal closes
    assert acked_after < SLACK_DEADLINE, f"acknowledged after {acked_after:.1f} s"
    (saved,) = fake.of("chat.postEphemeral")
    assert saved.args["user"] == "UADMIN"
    assert "quant-researcher-role" in str(saved.args["blocks"])
