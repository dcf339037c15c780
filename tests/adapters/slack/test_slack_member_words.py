"""A member's words that begin with a moderator's verb ("helpline", "history", "remove"...) are
what the member wrote, not a moderator command the member may not use.

On Slack, `/careerbot <text>` and a message in careerbot's Messages tab are read as a
subcommand when their first word names one, and moderators' commands go by their short verbs.
A member who writes "helpline please, I can't take it anymore" or "history of AI research
careers?" was refused with "Only moderators can change this community's FAQ", and a member in
crisis got no crisis lines at all (the README: a message whose words say the member is not okay
is never refused). On Discord the same DM is always a question.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.slack_harness import SlackHarness, assert_clean
from tests.fakes.slack_payloads import JSON, event_callback

REFUSED = "Only moderators can change"


def direct_message(text: str) -> dict[str, Any]:
    event = {"type": "message", "channel": "DU1", "channel_type": "im", "user": "U1",
             "text": text, "ts": "1700000000.000601", "event_ts": "1700000000.000601"}
    return event_callback(event)


def everything_sent(slack: SlackHarness) -> str:
    return " ".join(json.dumps(c.args) for c in slack.fake.posted())


@pytest.mark.parametrize("text", [
    "helpline please, I can't take it anymore, I'm done with everything",
    "helpline\nI just want to sleep and never wake up",
])
async def test_a_member_in_crisis_who_asks_for_a_helpline_in_the_dm_gets_the_crisis_lines(
        slack: SlackHarness, text: str) -> None:
    await slack.post(json.dumps(direct_message(text)), JSON)
    sent = everything_sent(slack)
    assert REFUSED not in sent
    assert "988" in sent and "116 123" in sent
    assert_clean(slack.fake)


async def test_a_member_in_crisis_who_asks_for_a_helpline_by_slash_command_gets_the_crisis_lines(
        slack: SlackHarness) -> None:
    await slack.command("helpline please, I feel like giving up on life")
    sent = everything_sent(slack)
    assert REFUSED not in sent
    assert "988" in sent
    assert not [c for c in slack.fake.of("chat.postMessage")]  # private, never in the channel
    assert_clean(slack.fake)


@pytest.mark.parametrize("text", [
    "history of research engineer roles at big labs?",
    "remove the PhD requirement: can I get a research scientist job without one?",
    "add a master's before a PhD, is that worth it?",
])
async def test_a_members_question_that_starts_with_a_moderators_verb_is_answered(
        slack: SlackHarness, text: str) -> None:
    await slack.command(text)
    await slack.post(json.dumps(direct_message(text)), JSON)
    sent = everything_sent(slack)
    assert REFUSED not in sent
    assert_clean(slack.fake)


async def test_a_moderator_still_runs_the_command_by_its_verb(slack: SlackHarness) -> None:
    await slack.command("history roles-research-engineer", user="UMOD")
    sent = everything_sent(slack)
    assert "roles-research-engineer" in sent
    assert "I don't have a good answer" not in sent
