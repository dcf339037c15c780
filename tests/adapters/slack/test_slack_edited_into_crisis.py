"""A member who edits a message into one that says they are not okay (a DM question changed in
the Messages tab, `message_changed`; or an edited `@careerbot` mention) gets the private
wellbeing reply; an edit that is still a career question is not answered again, and nothing
about any of it is posted publicly. Run against `rev3fake`, written from Slack's docs."""

from __future__ import annotations

import json
from typing import Any

from tests.adapters.slack.rev3fake import Driver

QUESTION = "what does a research engineer do?"
CRISIS = "I want to kill myself"


def dm_edit(new: str, old: str, **inner: Any) -> dict[str, Any]:
    return {"type": "message", "subtype": "message_changed", "hidden": True, "channel": "DU1",
            "channel_type": "im", "ts": "1700000001.000100",
            "message": {"type": "message", "user": "U1", "text": new, "ts": "1700000000.000700",
                        "edited": {"user": "U1", "ts": "1700000001.000100"}, **inner},
            "previous_message": {"type": "message", "user": "U1", "text": old,
                                 "ts": "1700000000.000700"}}


async def test_a_dm_question_edited_into_a_crisis_gets_the_crisis_reply_in_the_dm(
        rev3: Driver) -> None:
    await rev3.event(dm_edit(CRISIS, QUESTION))
    (post,) = rev3.fake.of("chat.postMessage")
    assert post.args["channel"] == "DU1"
    assert "988" in json.dumps(post.args)
    assert rev3.fake.public() == []


async def test_an_edited_mention_that_now_says_crisis_gets_a_private_reply_only(
        rev3: Driver) -> None:
    rev3.fake.members["C1"] = {"UB0T", "U1", "U2"}
    await rev3.event({"type": "app_mention", "user": "U1", "channel": "C1",
                      "ts": "1700000000.000200", "text": f"<@UB0T> {CRISIS}",
                      "edited": {"user": "U1", "ts": "1700000001.000200"}})
    (private,) = rev3.fake.private_to("U1")
    assert private.method == "chat.postEphemeral" and private.args["channel"] == "C1"
    assert "988" in json.dumps(private.args)
    assert rev3.fake.public() == []


async def test_an_edit_that_is_still_a_career_question_gets_no_second_answer(
        rev3: Driver) -> None:
    rev3.fake.members["C1"] = {"UB0T", "U1"}
    await rev3.event(dm_edit(QUESTION + " (typo fixed)", QUESTION))
    await rev3.event({"type": "app_mention", "user": "U1", "channel": "C1",
                      "ts": "1700000000.000200", "text": f"<@UB0T> {QUESTION}",
                      "edited": {"user": "U1", "ts": "1700000001.000200"}})
    assert [c for c in rev3.fake.calls if c.method.startswith("chat.")] == []


async def test_a_crisis_message_edited_again_is_not_answered_twice(rev3: Driver) -> None:
    await rev3.event(dm_edit(CRISIS + ", honestly", CRISIS))
    assert rev3.fake.of("chat.postMessage") == []


async def test_an_edit_of_careerbots_own_dm_message_is_left_alone(rev3: Driver) -> None:
    await rev3.event(dm_edit(CRISIS, QUESTION, user="UB0T", bot_id="BB0T"))
    assert rev3.fake.of("chat.postMessage") == []


async def test_an_edited_crisis_mention_is_not_answered_again_on_every_edit(rev3: Driver) -> None:
    # An app_mention carries no previous_message: careerbot remembers the message it answered.
    rev3.fake.members["C1"] = {"UB0T", "U1"}
    mention = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000000.000300",
               "text": f"<@UB0T> {CRISIS}"}
    await rev3.event(mention)
    await rev3.event({**mention, "text": f"<@UB0T> {CRISIS}.",
                      "edited": {"user": "U1", "ts": "1700000001.000300"}})
    await rev3.event({**mention, "text": f"<@UB0T> {CRISIS}. sorry",
                      "edited": {"user": "U1", "ts": "1700000002.000300"}})
    assert len(rev3.fake.private_to("U1")) == 1
    assert rev3.fake.public() == []


async def test_a_dm_edited_into_a_crisis_twice_is_answered_once(rev3: Driver) -> None:
    await rev3.event(dm_edit(CRISIS, QUESTION))
    await rev3.event(dm_edit(CRISIS + " tonight", QUESTION + " (edited back)"))
    assert len(rev3.fake.of("chat.postMessage")) == 1
