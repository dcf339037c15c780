"""What is private stays with the member: a quiz started in a DM between two people, a click on a
message only the member saw, a mention in careerbot's own DM, a DM or form Slack refuses to
open, and commands typed in careerbot's Messages tab."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.service import Service
from tests.fakes.slack_harness import SlackHarness, assert_clean, button_ids
from tests.fakes.slack_payloads import JSON, event_callback
from tests.fakes.slack_server import FakeSlack
from tests.wellbeing_quotes import DISTRESS

OWN_DM = "DU1"  # the fake's conversations.open gives "D" + user
HUMAN_DM = "D0U1U2"  # a DM between U1 and U2, which careerbot is not part of
TS = "1700000000.000777"


def in_channel_posts(fake: FakeSlack) -> list[Any]:
    return [r for r in fake.responses if r.args.get("response_type") == "in_channel"]


def refuse(fake: FakeSlack, method: str, error: str) -> None:
    setattr(fake, "_m_" + method.replace(".", "_"), lambda args: {"ok": False, "error": error})


def dm_event(text: str | None, **extra: Any) -> str:
    event = {"type": "message", "channel_type": "im", "user": "U1", "ts": TS, "event_ts": TS,
             "channel": OWN_DM, "text": text, "team": "T1"}
    event.update(extra)
    return json.dumps(event_callback(event))


# -- 1. a quiz started in a DM between two people -----------------------------------------------


async def test_a_quiz_started_in_a_dm_between_people_goes_to_the_members_own_dm(
        slack: SlackHarness) -> None:
    fake = slack.fake
    fake.outside.add(HUMAN_DM)
    await slack.command("quiz ml-path", channel=HUMAN_DM, channel_name="directmessage")
    assert [c.args["channel"] for c in fake.of("chat.postMessage")] == [OWN_DM]
    assert fake.of("chat.postMessage")[0].args["text"].startswith("[1/")
    assert in_channel_posts(fake) == []
    (note,) = fake.responses  # where the member typed, only they see where the quiz went
    assert note.args["response_type"] == "ephemeral"
    assert "direct message" in note.args["text"]
    assert_clean(fake)


async def test_starting_a_quiz_from_its_list_in_a_dm_between_people_stays_private(
        slack: SlackHarness) -> None:
    fake = slack.fake
    fake.outside.add(HUMAN_DM)
    await slack.command("quiz", channel=HUMAN_DM, channel_name="directmessage")
    (listing,) = fake.responses
    assert listing.args["response_type"] == "ephemeral"
    (index, value), = [(i, v) for i, (a, v) in enumerate(button_ids(listing.args["blocks"]))
                       if v == "ml-path"]
    fake.responses.clear()
    await slack.click(f"cb:{index}:quiz-start", value, channel=HUMAN_DM, ephemeral=True)
    assert [c.args["channel"] for c in fake.of("chat.postMessage")] == [OWN_DM]
    assert in_channel_posts(fake) == []
    assert all(r.args["response_type"] == "ephemeral" for r in fake.responses)


async def test_only_careerbots_own_dm_counts_as_a_dm_for_the_core(
        slack: SlackHarness, service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    handle = service.handle

    async def spy(event: Any) -> Any:
        seen.append(event.ctx.is_dm)
        return await handle(event)

    monkeypatch.setattr(service, "handle", spy)
    await slack.command("topics", channel=HUMAN_DM, channel_name="directmessage")
    await slack.command("topics", channel=OWN_DM, channel_name="directmessage")
    assert seen == [False, True]
    assert len(slack.fake.of("conversations.open")) == 1  # the member's DM is looked up once


# -- 2. a click on an ephemeral message ---------------------------------------------------------


async def test_a_button_on_a_private_support_reply_answers_privately(slack: SlackHarness) -> None:
    fake = slack.fake
    await slack.mention(f"<@UBOT> {DISTRESS[0]}", ts="1700000000.000500")
    (support,) = fake.of("chat.postEphemeral")
    index, value = next((i, v) for i, (a, v) in enumerate(button_ids(support.args["blocks"]))
                        if a == "show")
    fake.calls.clear()
    await slack.click(f"cb:{index}:show", value, ephemeral=True, message_ts="1700000000.000999")
    assert fake.of("chat.postMessage") == []
    (shown,) = fake.responses
    assert shown.args["response_type"] == "ephemeral"
    assert shown.args["replace_original"] is False  # the support lines stay in view
    assert_clean(fake)


# -- 3. a mention in careerbot's own DM ---------------------------------------------------------


async def test_a_mention_in_careerbots_dm_is_answered_once(slack: SlackHarness) -> None:
    text = "<@UBOT> what does a research engineer do?"
    mention = {"type": "app_mention", "user": "U1", "ts": TS, "event_ts": TS, "channel": OWN_DM,
               "text": text, "team": "T1"}
    assert (await slack.post(dm_event(text), JSON)).status == 200
    assert (await slack.post(json.dumps(event_callback(mention)), JSON)).status == 200
    (answer,) = slack.fake.of("chat.postMessage")
    assert answer.args["channel"] == OWN_DM
    assert "engineer" in answer.args["text"].lower()


# -- 4. Slack refuses to open a DM or a form ----------------------------------------------------


@pytest.mark.parametrize("where", ["channel", "human-dm"])
async def test_a_dm_slack_refuses_to_open_is_explained_privately(
        slack: SlackHarness, where: str) -> None:
    fake = slack.fake
    fake.outside.add(HUMAN_DM)
    refuse(fake, "conversations.open", "missing_scope")
    if where == "channel":
        await slack.command("quiz ml-path")
    else:
        await slack.command("quiz ml-path", channel=HUMAN_DM, channel_name="directmessage")
    assert fake.of("chat.postMessage") == []
    (said,) = fake.responses
    assert said.args["response_type"] == "ephemeral"
    assert "couldn't send you a direct message" in said.args["text"]
    assert "missing_scope" in said.args["text"]
    # A missing permission does not come back by trying again: an admin must reinstall.
    assert "workspace admin" in said.args["text"] and "try again" not in said.args["text"]


@pytest.mark.parametrize(("error", "says"), [
    ("expired_trigger_id", "run the command again"),
    ("channel_not_found", "couldn't open the form (Slack said `channel_not_found`)"),
])
async def test_a_form_slack_refuses_to_open_is_explained_privately(
        slack: SlackHarness, error: str, says: str) -> None:
    fake = slack.fake
    refuse(fake, "views.open", error)
    await slack.command("add", user="UMOD")
    assert len(fake.of("views.open")) == 1
    (said,) = fake.responses
    assert said.args["response_type"] == "ephemeral"
    assert says in said.args["text"]
    assert fake.of("chat.postMessage") == []


# -- 5. commands typed in careerbot's Messages tab, and mentions without text or user -----------


@pytest.mark.parametrize(("text", "starts"), [
    ("help", "careerbot help"),
    ("quiz ml-path", "[1/"),
    ("<@UBOT> quiz ml-path", "[1/"),
    ("profile", "You have no quiz results yet"),
    ("forget-me", "Forgotten"),
])
async def test_a_command_typed_in_careerbots_dm_runs(
        slack: SlackHarness, text: str, starts: str) -> None:
    await slack.post(dm_event(text), JSON)
    (reply,) = slack.fake.of("chat.postMessage")
    assert reply.args["channel"] == OWN_DM
    assert reply.args["text"].startswith(starts)
    assert slack.fake.responses == [] and slack.fake.of("chat.postEphemeral") == []


async def test_a_question_that_starts_with_a_command_word_is_asked(slack: SlackHarness) -> None:
    await slack.post(dm_event("help me understand what a research engineer does"), JSON)
    (reply,) = slack.fake.of("chat.postMessage")
    assert "engineer" in reply.args["text"].lower()
    assert not reply.args["text"].startswith("careerbot help")


@pytest.mark.parametrize("missing", ["text", "user"])
async def test_a_mention_with_null_text_or_user_is_acknowledged_and_ignored(
        slack: SlackHarness, missing: str) -> None:
    mention = {"type": "app_mention", "user": "U1", "ts": TS, "channel": "C1",
               "text": "<@UBOT> what does a research engineer do?", missing: None}
    sent = await slack.post(json.dumps(event_callback(mention)), JSON)
    assert (sent.status, sent.text) == (200, "")
    assert slack.fake.posted() == []
