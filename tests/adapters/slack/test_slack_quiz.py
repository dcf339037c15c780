"""A profile quiz in a Slack DM, driven by button clicks: one message updated in place."""

from __future__ import annotations

from typing import Any

from bot.service import Service
from bot.store import Store
from tests.fakes.slack_harness import SlackHarness, assert_clean, button_ids, knowledge
from tests.fakes.slack_server import FakeSlack

DM = "DU1"


def dm_message(fake: FakeSlack) -> tuple[str, dict[str, Any]]:
    """The quiz message in the member's DM (the adapter posts one and then updates it)."""
    (post,) = [c for c in fake.of("chat.postMessage") if c.args["channel"] == DM]
    ts = next(ts for (ch, ts), m in fake.messages.items() if ch == DM and m["text"] == post.args["text"])
    return ts, fake.messages[(DM, ts)]


def quiz_buttons(message: dict[str, Any]) -> list[str]:
    return [value for action, value in button_ids(message["blocks"]) if action == "quiz"]


async def click_answer(slack: SlackHarness, ts: str, value: str) -> None:
    await slack.click("cb:0:quiz", value, channel=DM, message_ts=ts,
                      response_url=slack.fake.response_url("dm-click"))


async def test_full_quiz_runs_in_a_dm_updating_one_message(slack: SlackHarness) -> None:
    fake = slack.fake
    await slack.command("quiz ml-path", channel="C1")
    assert fake.of("conversations.open")[0].args["users"] == "U1"
    (note,) = fake.responses
    assert note.args["response_type"] == "ephemeral"  # "check your DMs" in the channel
    ts, message = dm_message(fake)
    titles = []
    for _ in range(30):
        buttons = quiz_buttons(message)
        if not buttons:
            break
        titles.append(message["blocks"][0]["text"]["text"])
        await click_answer(slack, ts, buttons[0])
        message = fake.messages[(DM, ts)]
    assert titles[0].startswith("[1/")
    assert len(titles) >= 3
    assert message["blocks"][0]["text"]["text"].startswith("Your result")
    assert len(fake.of("chat.postMessage")) == 1  # every step after the first was an update
    assert len(fake.of("chat.update")) == len(titles)
    row = await slack.service.store.fetchone("SELECT quiz_id, user_id FROM quiz_results")
    assert row == ("ml-path", "slack:U1")
    assert_clean(fake)


async def test_double_click_and_stale_button_change_nothing(slack: SlackHarness) -> None:
    fake = slack.fake
    await slack.command("quiz ml-path", channel=DM, channel_name="directmessage")
    ts, message = dm_message(fake)
    first = quiz_buttons(message)
    await click_answer(slack, ts, first[0])
    after_one = fake.messages[(DM, ts)]["blocks"]
    await click_answer(slack, ts, first[0])  # the same click again
    await click_answer(slack, ts, first[-1])  # another option of the answered question
    assert fake.messages[(DM, ts)]["blocks"] == after_one
    refusals = [r for r in fake.responses if r.method == "response_url:dm-click"]
    assert len(refusals) == 2
    assert all(r.args["response_type"] == "ephemeral" for r in refusals)
    row = await slack.service.store.fetchone("SELECT step FROM quiz_sessions")
    assert row == (1,)
    assert_clean(fake)


async def test_quiz_continues_after_the_bot_restarts(make_slack: Any, tmp_path: Any, fake: FakeSlack) -> None:
    store = await Store.open(tmp_path / "quiz.db")
    first = await make_slack(Service(knowledge(), store))
    await first.command("quiz ml-path", channel=DM, channel_name="directmessage")
    ts, message = dm_message(fake)
    await click_answer(first, ts, quiz_buttons(message)[0])
    await first.bridge.drain()
    await store.close()

    # A new process: new store connection, new service, new bolt app; the same Slack message.
    store = await Store.open(tmp_path / "quiz.db")
    try:
        second = await make_slack(Service(knowledge(), store))
        message = fake.messages[(DM, ts)]
        assert message["blocks"][0]["text"]["text"].startswith("[2/")
        await click_answer(second, ts, quiz_buttons(message)[0])
        assert fake.messages[(DM, ts)]["blocks"][0]["text"]["text"].startswith("[3/")
        assert_clean(fake)
    finally:
        await second.bridge.drain()
        await store.close()
