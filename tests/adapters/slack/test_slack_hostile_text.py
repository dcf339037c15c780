"""Member text with NUL and other control characters, or lone surrogates, never crashes or
spoofs the Slack renderer, and reaches the core clean (red-team M6 and the Slack part of L3)."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack_app import from_slack_text
from adapters.slack_render import render_home, render_message, to_mrkdwn
from bot.replies import Choice, Citation, Command, Context, Reply
from tests.fakes.slack_harness import SlackHarness, assert_clean
from tests.fakes.slack_server import block_problems, view_problems

# Any code point, surrogates and control characters included, with the renderer's own markup
# characters over-represented so that markers, code spans and links collide with them.
ANY_CHAR = st.characters(codec=None, categories=None)
HOSTILE = st.text(
    alphabet=st.one_of(ANY_CHAR, st.sampled_from(list("\x00\x01\x02\x7f\x85\r`*_[]()<>&-|\n 0123456789"))),
    max_size=200,
)
UNSENDABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def test_nul_placeholder_in_member_text_does_not_crash_the_renderer() -> None:
    # The red-team reproduction: an IndexError from `\x005\x00`.
    message = render_message(Reply(kind="error", body="x \x005\x00"))
    assert "x" in message.blocks[0]["text"]["text"]


def test_nul_placeholder_cannot_pull_in_another_kept_span() -> None:
    out = to_mrkdwn("see `code` and [a link](https://example.org) then \x000\x00 \x001\x00")
    assert out.count("`code`") == 1
    assert out.count("<https://example.org|a link>") == 1


def test_control_character_cannot_spoof_bold() -> None:
    out = to_mrkdwn("\x01not bold\x01 and **bold**")
    assert out.count("*") == 2
    assert "*bold*" in out
    assert "\x01" not in out


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_any_text_renders_without_control_characters_or_extra_markup(text: str) -> None:
    out = to_mrkdwn(text)
    assert not UNSENDABLE.search(out)
    out.encode("utf-8")  # a lone surrogate would fail here, and in Slack's form encoding
    # Formatting only ever removes or converts the member's own markers, never adds one.
    assert out.count("*") <= text.count("*")
    assert out.count("`") <= text.count("`")
    # The only `<` in the output are links built from the member's own `[label](url)`.
    assert out.count("<") <= text.count("](")


@settings(max_examples=150, deadline=None)
@given(HOSTILE, HOSTILE)
def test_any_text_in_every_reply_part_gives_valid_blocks(title: str, body: str) -> None:
    reply = Reply(
        kind="answer", title=title, body=body, fields=[(title, body)], footer=body,
        citations=[Citation("s", title, body)], choices=[Choice(title or "x", "show", "p")],
        errors={"f": body},
    )
    message = render_message(reply)
    blob = json.dumps(message.blocks, ensure_ascii=False) + message.text
    assert not UNSENDABLE.search(blob)
    blob.encode("utf-8")
    assert block_problems(message.blocks) == []
    home = render_home(reply, [reply], [reply], [Choice("Help", "help", "")])
    assert view_problems(home) == []


def test_slack_text_reaches_the_core_without_controls_or_surrogates() -> None:
    text = from_slack_text("do I need a\x00 PhD\ud800 to work\x01 at DeepMind?\r\nthanks")
    assert not UNSENDABLE.search(text)
    assert "PhD" in text and "DeepMind?" in text
    text.encode("utf-8")


async def test_moderator_sees_a_queued_question_that_holds_nul_placeholders(slack: SlackHarness) -> None:
    # Queued straight through the core (as another platform or an older version could have
    # stored it), so the renderer meets the raw text even though Slack input is now cleaned.
    ctx = Context(platform="slack", community="T1", channel="C1", user="U1", user_name="u1")
    await slack.service.handle(Command(ctx, "ask", "zzqx \x005\x00 blorf \x000\x00 \x01quux\x01"))
    await slack.command("unanswered", user="UADMIN")
    (listing,) = slack.fake.responses
    assert "zzqx" in json.dumps(listing.args["blocks"])
    await slack.home("UADMIN")
    (home,) = slack.fake.of("views.publish")
    assert view_problems(home.args["view"]) == []
    assert "zzqx" in json.dumps(home.args["view"])
    assert_clean(slack.fake)


async def test_member_question_with_control_characters_is_answered(slack: SlackHarness) -> None:
    await slack.command("ask do I need a PhD\x00 to work at\x01 DeepMind? \x005\x00")
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["blocks"][0]["type"] == "header"
    assert "PhD" in post.args["blocks"][0]["text"]["text"]
    assert_clean(slack.fake)


async def test_mention_with_a_lone_surrogate_is_answered_not_apologised_for(slack: SlackHarness) -> None:
    # JSON may carry `\ud800`, which Python decodes to a lone surrogate (red-team L3).
    await slack.mention("<@UBOT> do I need a PhD to work at DeepMind? \ud800")
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["blocks"][0]["type"] == "header"
    assert "PhD" in post.args["blocks"][0]["text"]["text"]
    assert_clean(slack.fake)


async def test_echoed_unknown_faq_with_nul_placeholders_still_replies(slack: SlackHarness) -> None:
    # The backticks close the core's code span around the echo, so the NULs sit outside it.
    # One word: three or more after `faq` would be answered as a question, not echoed.
    await slack.command("faq a`\x009`b")
    (reply,) = slack.fake.responses
    assert reply.args["response_type"] == "ephemeral"
    assert_clean(slack.fake)
