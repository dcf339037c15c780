"""A question written to careerbot in its Messages tab (`message.im`) is answered there; other
message events (channels, bots, edits) are acknowledged and left alone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import JSON, event_callback

QUESTION = "what does a research engineer do?"


def direct_message(text: str, **extra: Any) -> dict[str, Any]:
    event = {"type": "message", "channel": "D0U1", "channel_type": "im", "user": "U1",
             "text": text, "ts": "1700000000.000601", "event_ts": "1700000000.000601"}
    event.update(extra)
    return event_callback(event)


async def test_a_question_in_the_messages_tab_is_answered_there(slack: SlackHarness) -> None:
    sent = await slack.post(json.dumps(direct_message(QUESTION)), JSON)
    assert sent.status == 200
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "D0U1"
    assert not post.args.get("thread_ts")  # a conversation, not a thread
    assert "engineer" in json.dumps(post.args["blocks"]).lower()


async def test_a_crisis_message_in_the_messages_tab_gets_a_reply_that_stays(
        slack: SlackHarness) -> None:
    await slack.post(json.dumps(direct_message("I want to kill myself")), JSON)
    assert not slack.fake.of("chat.postEphemeral")  # it would vanish when Slack reloads
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "D0U1"
    assert "988" in json.dumps(post.args)


@pytest.mark.parametrize("extra", [
    {"channel": "C1", "channel_type": "channel"},  # a channel message: mentions ask there
    {"bot_id": "B1", "bot_profile": {"id": "B1"}},  # careerbot's own quiz step, or another bot
    {"subtype": "message_changed", "message": {"text": QUESTION}},  # an edit
    {"subtype": "message_deleted"},
])
async def test_other_message_events_are_acknowledged_and_left_alone(
        slack: SlackHarness, extra: dict[str, Any]) -> None:
    sent = await slack.post(json.dumps(direct_message(QUESTION, **extra)), JSON)
    assert sent.status == 200
    assert slack.fake.posted() == []


async def test_answer_with_careerbot_on_a_bots_message_is_for_the_asker_only(
        slack: SlackHarness) -> None:
    from tests.fakes.slack_payloads import FORM, interactive_body, message_action

    payload = message_action(QUESTION, slack.fake.response_url("shortcut"))
    payload["message"]["bot_id"] = "B0CAREERBOT"
    await slack.post(interactive_body(payload), FORM)
    assert slack.fake.of("chat.postMessage") == []
    (post,) = slack.fake.responses
    assert post.args["response_type"] == "ephemeral"
