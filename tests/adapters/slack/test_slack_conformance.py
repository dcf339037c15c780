"""Payloads a Slack workspace sends that are not a member asking (an edited mention, a canvas
mention, another app's mention, `app_rate_limited`), and the Web API's documented 429."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import JSON, app_mention
from tests.fakes.slack_server import Call, FakeSlack

QUESTION = "what does a research engineer do?"


class LimitingSlack(FakeSlack):
    """Answers the next call of each method in `limit_next` with 429 and `Retry-After: 0` (the
    wait is Slack's to name; zero keeps the test fast), and fails `users.info` `fail_users`
    times with an error of Slack's own."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.limit_next: list[str] = []
        self.fail_users = 0

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method in self.limit_next:
            self.limit_next.remove(method)
            await self._record(Call(method + " (429)", {}, ""), self.calls)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": "0"})
        if method == "users.info" and self.fail_users:
            self.fail_users -= 1
            await self._record(Call(method + " (failed)", {}, ""), self.calls)
            return web.json_response({"ok": False, "error": "internal_error"})
        return await super()._api(request)


@pytest.fixture
async def fake() -> AsyncIterator[LimitingSlack]:
    server = await LimitingSlack(admins={"UADMIN"}).start()
    yield server
    await server.stop()


async def test_an_edited_mention_is_not_answered_again(slack: SlackHarness) -> None:
    await slack.mention(f"<@UBOT> {QUESTION}", ts="1700000000.000301")
    edited = app_mention(f"<@UBOT> {QUESTION} (typo fixed)", ts="1700000000.000301")
    edited["event"]["edited"] = {"user": "U1", "ts": "1700000000.000399"}
    edited["event_id"] = "Ev0EDITED"
    sent = await slack.post(json.dumps(edited), JSON)
    assert sent.status == 200
    assert len(slack.fake.of("chat.postMessage")) == 1


@pytest.mark.parametrize("extra", [
    {"subtype": "document_mention", "document_mention": {"file_id": "F1"}},  # a canvas
    {"bot_id": "B2", "app_id": "A2", "bot_profile": {"id": "B2", "name": "otherbot"}},
    {"subtype": "bot_message", "bot_id": "B3", "user": None},  # a webhook: no user at all
])
async def test_a_mention_that_is_not_a_member_asking_is_acknowledged_and_left_alone(
        slack: SlackHarness, extra: dict[str, Any]) -> None:
    body = app_mention(f"<@UBOT> {QUESTION}", ts="1700000000.000302")
    body["event"].update(extra)
    if body["event"].get("user") is None:
        del body["event"]["user"]
    sent = await slack.post(json.dumps(body), JSON)
    assert sent.status == 200
    assert slack.fake.posted() == []


async def test_a_mention_in_a_thread_sent_to_the_channel_too_is_answered(
        slack: SlackHarness) -> None:
    body = app_mention(f"<@UBOT> {QUESTION}", ts="1700000000.000303",
                       thread_ts="1700000000.000300")
    body["event"]["subtype"] = "thread_broadcast"
    await slack.post(json.dumps(body), JSON)
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["thread_ts"] == "1700000000.000300"


async def test_app_rate_limited_gets_a_200_and_one_log_line(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    sent = await slack.post(json.dumps({"token": "x", "type": "app_rate_limited", "team_id": "T1",
                                        "minute_rate_limited": 1518467820, "api_app_id": "A1"}),
                            JSON)
    assert sent.status == 200
    assert [r for r in caplog.records if "rate limited" in r.getMessage()]


async def test_an_answer_slack_refuses_with_429_is_posted_after_the_wait(
        slack: SlackHarness) -> None:
    fake = slack.fake
    assert isinstance(fake, LimitingSlack)
    fake.limit_next.append("chat.postMessage")
    await slack.mention(f"<@UBOT> {QUESTION}", ts="1700000000.000304")
    assert fake.of("chat.postMessage (429)")
    (post,) = fake.of("chat.postMessage")
    assert post.args["thread_ts"] == "1700000000.000304"


async def test_a_failed_moderator_check_is_not_remembered(slack: SlackHarness) -> None:
    fake = slack.fake
    assert isinstance(fake, LimitingSlack)
    fake.fail_users = 1
    await slack.command("stats", user="UADMIN")
    first = fake.responses[-1].args
    await slack.command("stats", user="UADMIN")
    second = fake.responses[-1].args
    assert "moderator" in json.dumps(first).lower()  # refused while Slack would not say
    assert len(fake.of("users.info")) == 1  # asked again, not answered from a cached refusal
    assert "moderator" not in json.dumps(second).lower()


async def test_a_slow_moderator_check_gives_up_in_time_and_is_not_remembered() -> None:
    from adapters.slack_app import ModeratorFacts

    class SlowSlack:
        calls = 0

        async def users_info(self, user: str) -> dict[str, Any]:
            SlowSlack.calls += 1
            if SlowSlack.calls == 1:
                await asyncio.sleep(5)
            return {"user": {"id": user, "is_admin": True}}

    facts = ModeratorFacts(timeout=0.05)
    client: Any = SlowSlack()
    async with asyncio.timeout(1):
        assert await facts.is_moderator(client, "T1", "UADMIN") is False
    assert await facts.is_moderator(client, "T1", "UADMIN") is True
    assert SlowSlack.calls == 2
