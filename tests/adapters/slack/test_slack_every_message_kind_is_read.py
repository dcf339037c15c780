"""Messages whose words reach careerbot in a shape the other tests did not send: a `/me`
message (`me_message`) in careerbot's DM or mentioning it, an app's message built from section,
header and context blocks with an empty `text`, a forwarded message shared with only a mention
as comment, "Answer with careerbot" used inside careerbot's own DM, and a slash command or
mention holding nothing visible."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.replies import Reply
from tests.adapters.slack.test_slack_http import Scripted
from tests.adapters.slack.test_slack_payload_shapes import asked, direct_message
from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import (
    FORM,
    JSON,
    app_mention,
    interactive_body,
    message_action,
)

QUESTION = "is R&D a good path into ML research?"
ESCAPED = "is R&amp;D a good path into ML research?"  # as Slack sends it in mrkdwn
CRISIS = "I want to kill myself"


# -- /me ------------------------------------------------------------------------------------------


async def test_a_me_message_in_careerbots_dm_is_answered(make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok"))
    slack = await make_slack(core)
    await slack.post(direct_message(QUESTION, subtype="me_message"), JSON)
    assert asked(core) == [QUESTION]


async def test_a_crisis_me_message_in_careerbots_dm_gets_the_crisis_reply_there(
        slack: SlackHarness) -> None:
    await slack.post(direct_message(CRISIS, subtype="me_message"), JSON)
    assert not slack.fake.of("chat.postEphemeral")
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "DU1"
    assert "988" in json.dumps(post.args)


async def test_a_crisis_me_message_mentioning_careerbot_is_answered_privately(
        slack: SlackHarness) -> None:
    body = app_mention(f"<@UBOT> {CRISIS}")
    body["event"]["subtype"] = "me_message"
    await slack.post(json.dumps(body), JSON)
    assert not slack.fake.of("chat.postMessage")  # never in the channel
    (private,) = slack.fake.of("chat.postEphemeral")
    assert private.args["user"] == "U1" and "988" in json.dumps(private.args)


# -- an app's message built from layout blocks ------------------------------------------------------

LAYOUT_BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "Weekly question"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": ESCAPED}},
    {"type": "context", "elements": [
        {"type": "image", "image_url": "https://example.com/a.png", "alt_text": "logo"},
        {"type": "mrkdwn", "text": "asked in <#C2|careers>"}]},
]


async def test_answer_with_careerbot_reads_an_apps_section_blocks(make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok"))
    slack = await make_slack(core)
    payload = message_action("", slack.fake.response_url("shortcut"))
    payload["message"].update(bot_id="B9", subtype="bot_message", blocks=LAYOUT_BLOCKS)
    await slack.post(interactive_body(payload), FORM)
    (text,) = asked(core)
    assert QUESTION in text and "Weekly question" in text and "#careers" in text
    assert "&amp;" not in text


async def test_answer_with_careerbot_reads_blocks_inside_an_attachment(make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok"))
    slack = await make_slack(core)
    payload = message_action("", slack.fake.response_url("shortcut"))
    payload["message"].update(bot_id="B9", attachments=[{"color": "#36a64f", "blocks": [
        {"type": "section", "fields": [{"type": "plain_text", "text": QUESTION}]}]}])
    await slack.post(interactive_body(payload), FORM)
    assert asked(core) == [QUESTION]


async def test_a_crisis_in_an_apps_blocks_gets_the_private_support_reply(
        slack: SlackHarness) -> None:
    payload = message_action("", slack.fake.response_url("shortcut"))
    payload["message"].update(bot_id="B9", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": CRISIS}}])
    await slack.post(interactive_body(payload), FORM)
    assert not slack.fake.of("chat.postMessage")
    (private,) = slack.fake.responses
    assert private.args["response_type"] == "ephemeral"
    assert "no text" not in json.dumps(private.args)


# -- a forwarded message mentioning careerbot -------------------------------------------------------


async def test_a_message_forwarded_to_a_channel_with_only_a_mention_is_answered(
        make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok"))
    slack = await make_slack(core)
    body = app_mention("<@UBOT>")
    body["event"]["attachments"] = [{"is_share": True, "author_id": "U2", "text": ESCAPED,
                                     "fallback": f"[March 5th] bob: {ESCAPED}"}]
    await slack.post(json.dumps(body), JSON)
    assert asked(core) == [QUESTION]


# -- "Answer with careerbot" in careerbot's own DM ------------------------------------------------


async def test_answer_with_careerbot_in_careerbots_own_dm_gets_a_reply_that_stays(
        slack: SlackHarness) -> None:
    payload = message_action(CRISIS, slack.fake.response_url("shortcut"), channel="DU1")
    payload["channel"]["name"] = "directmessage"
    await slack.post(interactive_body(payload), FORM)
    assert slack.fake.responses == []  # an ephemeral reply vanishes when Slack reloads
    assert not slack.fake.of("chat.postEphemeral")
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "DU1" and "988" in json.dumps(post.args)


# -- nothing visible ----------------------------------------------------------------------------

INVISIBLE = ["\u200b", "\u2060", "\ufeff \u200b", "\u00a0\u200c"]


@pytest.mark.parametrize("text", INVISIBLE)
async def test_a_slash_command_with_nothing_visible_gets_private_help(
        slack: SlackHarness, text: str) -> None:
    await slack.command(text)
    assert slack.fake.of("chat.postMessage") == []  # nothing said in the channel
    (help_reply,) = slack.fake.responses
    assert help_reply.args["response_type"] == "ephemeral"
    assert "help" in json.dumps(help_reply.args["blocks"]).lower()


@pytest.mark.parametrize("text", INVISIBLE)
async def test_a_mention_with_nothing_visible_gets_private_help(
        slack: SlackHarness, text: str) -> None:
    await slack.mention(f"<@UBOT> {text}")
    assert slack.fake.of("chat.postMessage") == []
    (help_reply,) = slack.fake.of("chat.postEphemeral")
    assert "help" in json.dumps(help_reply.args["blocks"]).lower()
