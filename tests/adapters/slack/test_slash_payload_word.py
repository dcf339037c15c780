"""A slash command whose form body contains the word "payload" (in the member's text, or in a
channel or user name) is an ordinary `/careerbot` command. slack_bolt's `parse_body` treats any
form body containing that substring as an interactivity payload, finds no `payload` field, and
yields `{}`; the endpoint's shape check then refuses the signed command with HTTP 400, and the
member sees Slack's "failed with the error" note instead of an answer."""

from __future__ import annotations

import pytest

from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import FORM, slash_command_body


async def test_a_slash_command_mentioning_payload_is_answered(slack: SlackHarness) -> None:
    sent = await slack.command("ask what does a payload engineer do at a space company?")
    assert sent.status == 200
    assert len(slack.fake.of("chat.postMessage")) == 1


@pytest.mark.parametrize("channel_name", ["payload-team", "ml-payloads"])
async def test_a_slash_command_from_a_channel_named_payload_is_answered(
        slack: SlackHarness, channel_name: str) -> None:
    body = slash_command_body("ask what does a research engineer do?",
                              slack.fake.response_url("cmd"), channel_name=channel_name)
    sent = await slack.post(body, FORM)
    assert sent.status == 200
    assert len(slack.fake.of("chat.postMessage")) == 1
