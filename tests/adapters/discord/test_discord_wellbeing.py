"""Crisis and distress on Discord: the right reply, only ever to the member, from every entry point."""

from __future__ import annotations

import json

import pytest

from tests.fakes.discord_limits import assert_message_within_limits, assert_no_mass_mentions
from tests.fakes.discord_server import MODERATOR, User
from tests.wellbeing_quotes import CRISIS, DISTRESS, FIGURES, STRESS

CHANNEL_MESSAGE, DEFERRED = 4, 5
# The author of the message a member asks careerbot to answer: someone else.
WRITER = User("1500000000000000077", "writer")


def text_of(data: dict) -> str:
    return json.dumps(data)


@pytest.mark.parametrize("message", CRISIS)
async def test_crisis_by_slash_command_gets_the_private_safety_reply(bot, message):
    cb = await bot.fake.interact(bot.fake.slash("ask", {"question": message}))
    assert cb.ephemeral
    body = text_of(cb.data)
    assert "988" in body and "116 123" in body
    assert "Helpful" not in body  # no FAQ answer, no feedback buttons
    assert_message_within_limits(cb.data)


@pytest.mark.parametrize("message", DISTRESS)
async def test_distress_by_slash_command_gets_the_private_support_reply(bot, message):
    cb = await bot.fake.interact(bot.fake.slash("ask", {"question": message}))
    assert cb.ephemeral
    body = text_of(cb.data)
    assert "counselling" in body and "988" in body
    assert "don't know that one" not in body
    assert "cb:show:research-life-what-research-feels-like" in body
    assert_message_within_limits(cb.data)


@pytest.mark.parametrize("message", STRESS + FIGURES)
async def test_ordinary_messages_get_no_wellbeing_reply(bot, message):
    cb = await bot.fake.interact(bot.fake.slash("ask", {"question": message}))
    body = text_of(cb.data)
    assert "988" not in body and "counselling" not in body


@pytest.mark.parametrize("message", [CRISIS[5], DISTRESS[3]])
async def test_context_menu_on_someones_crisis_message_posts_nothing_publicly(bot, message):
    fake = bot.fake
    start = len(fake.calls)
    cb = await fake.interact(fake.message_command("Answer with careerbot", message,
                                                  author=WRITER))
    assert cb.type == DEFERRED and cb.ephemeral
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    body = text_of(edit.json)
    assert "reach out to them" in body and "988" in body
    assert not [c for c in fake.calls[start:] if c.path.startswith("/channels/")]


async def test_a_moderator_sets_the_support_line_and_members_see_it(bot):
    fake = bot.fake
    saved = await fake.interact(fake.slash(
        "faqadmin", {"text": "Talk to the mods in #support @everyone"}, subcommand="helpline",
        user=MODERATOR))
    assert saved.ephemeral and "#support" in text_of(saved.data)
    cb = await fake.interact(fake.slash("ask", {"question": CRISIS[0]}))
    assert cb.ephemeral and "#support" in text_of(cb.data)
    assert_no_mass_mentions(cb.data)


async def test_an_entry_opened_from_the_private_support_reply_stays_private(bot):
    """Each response's own flag decides its visibility on Discord: a "Show" button on the
    private support reply must not post the entry to the channel."""
    fake = bot.fake
    cb = await fake.interact(fake.slash("ask", {"question": DISTRESS[0]}))
    assert cb.ephemeral
    show = "cb:show:research-life-what-research-feels-like"
    clicked = fake.message_with_custom_id(show)
    assert clicked is not None and clicked["flags"] & 64
    opened = await fake.interact(fake.click(show, message=clicked))
    assert opened.ephemeral
    assert "research" in text_of(opened.data).lower()
