"""A response URL works for 30 minutes and five uses; after that Slack answers HTTP 404
`expired_url`. A reply sent there was lost without a word: it now goes through the Web API
(a private message in the channel, or the member's DM), with one log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from adapters.slack_app import ResponseUrlRefused, send
from adapters.slack_render import render_message
from bot.replies import Reply
from bot.service import Service
from tests.fakes.slack_harness import SlackHarness, assert_clean


@pytest.fixture
async def slack(make_slack: Any, service: Service) -> SlackHarness:
    return await make_slack(service)


async def test_a_private_reply_to_an_expired_response_url_comes_as_an_ephemeral_message(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    slack.fake.expired_response_urls.add("cmd-U1")
    with caplog.at_level(logging.WARNING):
        sent = await slack.command("help")
    assert sent.status == 200
    assert slack.fake.responses == []
    (private,) = slack.fake.of("chat.postEphemeral")
    assert private.args["user"] == "U1" and private.args["channel"] == "C1"
    assert "topics" in str(private.args.get("blocks") or private.args.get("text"))
    assert any("expired_url" in r.getMessage() for r in caplog.records)
    assert_clean(slack.fake)


async def test_a_working_response_url_is_still_used_first(slack: SlackHarness) -> None:
    await slack.command("help")
    assert len(slack.fake.responses) == 1 and slack.fake.of("chat.postEphemeral") == []


class _Answer:
    def __init__(self, status: int, body: str) -> None:
        self.status_code, self.body = status, body


@pytest.mark.parametrize(("status", "body"), [(404, "expired_url"), (404, "used_url"),
                                              (500, ""), (429, "rate_limited")])
async def test_send_raises_when_a_response_url_refuses_for_another_reason(
        status: int, body: str) -> None:
    async def post(**_: Any) -> _Answer:
        return _Answer(status, body)

    with pytest.raises(ResponseUrlRefused):
        await send(render_message(Reply(kind="text", body="hi")), post)


async def test_send_is_quiet_when_a_response_url_accepts() -> None:
    async def post(**_: Any) -> _Answer:
        return _Answer(200, "ok")

    await send(render_message(Reply(kind="text", body="hi")), post)
