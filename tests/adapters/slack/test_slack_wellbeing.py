"""Crisis and distress on Slack: the right reply, only ever to the member, from every entry point."""

from __future__ import annotations

import json

import pytest

from tests.fakes.slack_harness import SlackHarness, assert_clean
from tests.fakes.slack_payloads import FORM, interactive_body, message_action
from tests.wellbeing_quotes import CRISIS, DISTRESS, FIGURES, STRESS


def private_texts(slack: SlackHarness) -> list[str]:
    """Everything sent to the member alone: ephemeral posts and ephemeral response_url posts."""
    out = [json.dumps(c.args) for c in slack.fake.of("chat.postEphemeral")]
    out += [json.dumps(r.args) for r in slack.fake.responses
            if r.args.get("response_type") == "ephemeral"]
    return out


def public_posts(slack: SlackHarness) -> list[str]:
    out = [json.dumps(c.args) for c in slack.fake.of("chat.postMessage")]
    out += [json.dumps(r.args) for r in slack.fake.responses
            if r.args.get("response_type") == "in_channel"]
    return out


async def entries_logged(slack: SlackHarness) -> int:
    await slack.service.settle()  # questions are logged in the background
    row = await slack.service.store.fetchone("SELECT COUNT(*) FROM ask_log")
    return row[0] if row else 0


@pytest.mark.parametrize("message", CRISIS)
async def test_crisis_by_slash_command_is_answered_privately_with_crisis_lines(
        slack: SlackHarness, message: str) -> None:
    await slack.command(f"ask {message}")
    assert public_posts(slack) == []
    (text,) = private_texts(slack)
    assert "988" in text and "116 123" in text
    assert await entries_logged(slack) == 0
    assert_clean(slack.fake)


@pytest.mark.parametrize("message", DISTRESS)
async def test_distress_by_mention_gets_the_private_support_reply(
        slack: SlackHarness, message: str) -> None:
    await slack.mention(f"<@UBOT> {message}")
    assert public_posts(slack) == []
    (text,) = private_texts(slack)
    assert "counselling" in text and "988" in text
    assert "I don't know that one" not in text
    assert "research-life-what-research-feels-like" in text  # an offered entry's button
    assert await entries_logged(slack) == 0
    assert_clean(slack.fake)


@pytest.mark.parametrize("message", STRESS + FIGURES)
async def test_ordinary_messages_get_no_wellbeing_reply(slack: SlackHarness, message: str) -> None:
    await slack.command(f"ask {message}")
    everything = " ".join(public_posts(slack) + private_texts(slack))
    assert "988" not in everything and "counselling" not in everything


async def test_shortcut_on_someones_crisis_message_stays_private_and_suggests_reaching_out(
        slack: SlackHarness) -> None:
    for message in (CRISIS[6], DISTRESS[0]):
        await slack.shortcut(message)
    assert public_posts(slack) == []
    texts = private_texts(slack)
    assert len(texts) == 2
    assert all("reach out to them" in t for t in texts)
    assert_clean(slack.fake)


async def test_shortcut_on_your_own_crisis_message_speaks_to_you(slack: SlackHarness) -> None:
    """A member who uses the shortcut on their own message is the one the reply is for: it is
    not told to reach out to the message's author, themselves."""
    for message in (CRISIS[6], DISTRESS[0]):
        await slack.shortcut(message, user="U1", author="U1")
    assert public_posts(slack) == []
    texts = private_texts(slack)
    assert len(texts) == 2
    assert not any("reach out to them" in t for t in texts)
    assert "988" in texts[0]
    assert_clean(slack.fake)


async def test_shortcut_on_a_message_you_shared_from_someone_else_speaks_of_them(
        slack: SlackHarness) -> None:
    """A member's own message that only shares someone else's (no text of its own, the words in
    the attachment) carries the other person's words: the reply suggests reaching out to them."""
    payload = message_action("", slack.fake.response_url("shortcut"), user="U1", author="U1")
    payload["message"]["attachments"] = [{"text": CRISIS[6], "is_share": True}]
    await slack.post(interactive_body(payload), FORM)
    assert public_posts(slack) == []
    texts = private_texts(slack)
    assert len(texts) == 1 and "reach out to them" in texts[0]
    assert_clean(slack.fake)


async def test_a_moderator_sets_the_support_line_and_members_see_it(slack: SlackHarness) -> None:
    await slack.command("helpline Campus counselling, 24/7: +44 20 0000 0000", user="UMOD")
    await slack.command(f"ask {DISTRESS[1]}")
    assert any("Campus counselling" in t for t in private_texts(slack))
    assert public_posts(slack) == []


async def test_a_support_line_typed_as_a_slack_link_keeps_its_address(slack: SlackHarness) -> None:
    # Slack hands a link made in the composer over as <url|label>; the label alone would save
    # "our counselling service" with nowhere to go.
    await slack.command("helpline Call <https://uni.example/counselling|our counselling service>",
                        user="UMOD")
    await slack.command(f"ask {CRISIS[0]}")
    (text,) = [t for t in private_texts(slack) if "988" in t]
    assert "https://uni.example/counselling" in text and "our counselling service" in text
    assert public_posts(slack) == []
    assert_clean(slack.fake)
