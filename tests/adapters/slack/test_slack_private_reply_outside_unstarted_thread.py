"""A private reply (chat.postEphemeral) to a message that has no thread yet is shown in the channel.

Slack's chat.postEphemeral documentation: "Ephemeral messages in threads are only shown if there
is already an active thread." A top-level `@careerbot` mention (or a shortcut on a top-level
message) has no thread until someone replies, so an ephemeral reply sent with the mention's own
`ts` as `thread_ts` is never shown: the crisis reply, the support reply and the help text would be
lost. Public answers still start the thread under the mention.
"""

from __future__ import annotations

import json

from tests.fakes.slack_harness import SlackHarness, assert_clean
from tests.fakes.slack_payloads import FORM, interactive_body, message_action
from tests.wellbeing_quotes import CRISIS, DISTRESS

MENTION_TS = "1700000000.000500"
THREAD_TS = "1700000000.000100"


async def test_crisis_reply_to_a_top_level_mention_is_not_sent_into_a_thread_that_does_not_exist(
        slack: SlackHarness) -> None:
    await slack.mention(f"<@UBOT> {CRISIS[0]}", ts=MENTION_TS)
    (call,) = slack.fake.of("chat.postEphemeral")
    assert "988" in json.dumps(call.args)
    assert not call.args.get("thread_ts")
    assert slack.fake.of("chat.postMessage") == []
    assert_clean(slack.fake)


async def test_support_and_help_replies_to_top_level_mentions_are_shown_in_the_channel(
        slack: SlackHarness) -> None:
    await slack.mention(f"<@UBOT> {DISTRESS[0]}", ts=MENTION_TS)
    await slack.mention("<@UBOT>", ts="1700000000.000600")
    calls = slack.fake.of("chat.postEphemeral")
    assert len(calls) == 2
    assert all(not c.args.get("thread_ts") for c in calls)


async def test_private_reply_to_a_mention_inside_a_thread_stays_in_that_thread(
        slack: SlackHarness) -> None:
    await slack.mention(f"<@UBOT> {CRISIS[0]}", ts=MENTION_TS, thread_ts=THREAD_TS)
    (call,) = slack.fake.of("chat.postEphemeral")
    assert call.args.get("thread_ts") == THREAD_TS


async def test_public_answer_to_a_top_level_mention_still_starts_its_thread(
        slack: SlackHarness) -> None:
    await slack.mention("<@UBOT> do I need a PhD to work at DeepMind?", ts=MENTION_TS)
    (call,) = slack.fake.of("chat.postMessage")
    assert call.args.get("thread_ts") == MENTION_TS


async def test_shortcut_private_reply_without_response_url_is_shown_outside_an_unstarted_thread(
        slack: SlackHarness) -> None:
    # The response URL refuses (expired), so the private reply goes through chat.postEphemeral.
    slack.fake.expired_response_urls.add("shortcut")
    await slack.shortcut(CRISIS[0])
    (call,) = slack.fake.of("chat.postEphemeral")
    assert not call.args.get("thread_ts")


async def test_shortcut_private_reply_on_a_threaded_message_stays_in_its_thread(
        slack: SlackHarness) -> None:
    slack.fake.expired_response_urls.add("shortcut")
    payload = message_action(CRISIS[0], slack.fake.response_url("shortcut"))
    payload["message"]["thread_ts"] = THREAD_TS
    await slack.post(interactive_body(payload), FORM)
    (call,) = slack.fake.of("chat.postEphemeral")
    assert call.args.get("thread_ts") == THREAD_TS
