"""`/careerbot` typed in careerbot's own DM is answered like a message typed there: a private
reply is posted as a message that stays, not an ephemeral one that Slack drops on reload.

The Messages tab already does this (`own_dm`), because a crisis reply that vanishes when the
member switches workspaces or restarts Slack is lost exactly when it matters; the same words
sent with the slash command in the same DM still went out as an ephemeral response.
Slack's chat.postEphemeral reference: "By nature, ephemeral messages do not persist across
reloads, desktop and mobile apps, or sessions."
"""

from __future__ import annotations

import json

from tests.fakes.slack_harness import SlackHarness, assert_clean

OWN_DM = "DU1"  # the fake's conversations.open gives "D" + user


async def test_a_crisis_slash_command_in_careerbots_dm_gets_a_reply_that_stays(
        slack: SlackHarness) -> None:
    await slack.command("I can't take it anymore, I'm done with everything",
                        channel=OWN_DM, channel_name="directmessage")
    assert not slack.fake.of("chat.postEphemeral")
    assert not [r for r in slack.fake.responses if r.args.get("response_type") == "ephemeral"]
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == OWN_DM
    assert "988" in json.dumps(post.args)
    assert_clean(slack.fake)


async def test_a_private_slash_command_in_a_dm_between_people_stays_ephemeral(
        slack: SlackHarness) -> None:
    slack.fake.outside.add("D0U1U2")
    await slack.command("I can't take it anymore, I'm done with everything",
                        channel="D0U1U2", channel_name="directmessage")
    assert not slack.fake.of("chat.postMessage")
    (said,) = [r for r in slack.fake.responses]
    assert said.args["response_type"] == "ephemeral"
