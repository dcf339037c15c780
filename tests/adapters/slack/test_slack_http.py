"""The real bolt app over HTTP on loopback: signed Slack requests in, Web API calls to the fake out."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from adapters.slack_app import parse_command
from bot.replies import (
    ButtonPress,
    Choice,
    Command,
    Context,
    Event,
    Form,
    FormField,
    FormSubmit,
    Reply,
)
from tests.fakes.slack_harness import SlackHarness, assert_clean, button_ids
from tests.fakes.slack_payloads import FORM, slash_command_body
from tests.fakes.slack_server import FakeSlack, view_problems

PHD_QUESTION = "do I need a PhD to work at DeepMind?"


async def entry_count(slack: SlackHarness) -> int:
    await slack.service.settle()  # questions are logged in the background
    row = await slack.service.store.fetchone("SELECT COUNT(*) FROM ask_log")
    return row[0] if row else 0


# -- slash command ---------------------------------------------------------------------------------


async def test_ask_is_acked_empty_then_answered_in_channel_with_block_kit(slack: SlackHarness) -> None:
    sent = await slack.command(f"ask {PHD_QUESTION}")
    assert (sent.status, sent.text) == (200, "")
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "C1"
    assert slack.fake.responses == []
    blocks = post.args["blocks"]
    assert blocks[0]["type"] == "header"
    assert "PhD" in blocks[0]["text"]["text"]
    assert blocks[1]["type"] == "section"
    assert any(b["type"] == "context" and "Sources:" in b["elements"][0]["text"] for b in blocks)
    feedback = [v for a, v in button_ids(blocks) if a == "feedback"]
    assert [v.rsplit(":", 1)[1] for v in feedback] == ["y", "n"]
    assert_clean(slack.fake)


async def test_channel_without_the_bot_is_answered_through_the_response_url(slack: SlackHarness) -> None:
    slack.fake.outside.add("C9")
    await slack.command(f"ask {PHD_QUESTION}", channel="C9")
    (refused,) = slack.fake.of("chat.postMessage")
    assert refused.args["channel"] == "C9"
    (post,) = slack.fake.responses
    assert post.args["response_type"] == "in_channel"
    assert post.args["blocks"][0]["type"] == "header"
    assert_clean(slack.fake)


async def test_bare_text_is_treated_as_a_question(slack: SlackHarness) -> None:
    await slack.command(PHD_QUESTION)
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["blocks"][0]["type"] == "header"
    assert await entry_count(slack) == 1


async def test_empty_and_mistyped_subcommands_get_ephemeral_help(slack: SlackHarness) -> None:
    await slack.command("")
    await slack.command("histroy")
    first, second = slack.fake.responses
    for post in (first, second):
        assert post.args["response_type"] == "ephemeral"
        assert "help" in post.args["blocks"][0]["text"]["text"].lower()
    assert "histroy" in json.dumps(second.args["blocks"])
    assert await entry_count(slack) == 0
    assert_clean(slack.fake)


def test_subcommands_map_to_core_names() -> None:
    ctx = Context("slack", "T1", "C1", "U1")
    cases = {
        "add": ("faq-add", ""), "edit phd-x": ("faq-edit", "phd-x"), "variant phd-x": ("faq-variant", "phd-x"),
        "hide phd-x": ("faq-hide", "phd-x"), "restore phd-x": ("faq-restore", "phd-x"),
        "remove phd-x": ("faq-remove", "phd-x"), "history phd-x": ("faq-history", "phd-x"),
        "revert phd-x 3": ("faq-revert", "phd-x 3"), "unanswered": ("unanswered", ""),
        "stats": ("stats", ""), "quiz ml-path": ("quiz", "ml-path"), "forget-me": ("forget-me", ""),
        "Topics": ("topics", ""), "faq phd": ("faq", "phd"), "residency": ("ask", "residency"),
        "what is a residency?": ("ask", "what is a residency?"), "": ("help", ""),
    }
    for text, (name, rest) in cases.items():
        cmd = parse_command(ctx, text)
        assert (cmd.name, cmd.text) == (name, rest), text


@pytest.mark.parametrize("text", ["help me choose between a PhD and a job",
                                  "stats or a CS master's for ML research?",
                                  "profile of a typical research engineer?",
                                  "topics people ask most in interviews?"])
def test_a_question_that_starts_with_a_command_word_is_a_question(text: str) -> None:
    """Only commands that take text take the rest of the line; the others must stand alone."""
    cmd = parse_command(Context("slack", "T1", "C1", "U1"), text)
    assert (cmd.name, cmd.text) == ("ask", text)


async def test_unknown_question_gets_a_friendly_line_and_a_topics_button(slack: SlackHarness) -> None:
    await slack.command("ask what's the best pizza topping in Naples?")
    (post,) = slack.fake.of("chat.postMessage")
    assert "I don't know that one" in post.args["blocks"][0]["text"]["text"]
    assert ("topics", "") in button_ids(post.args["blocks"])
    await slack.click("cb:0:topics", None)
    (topics,) = [r for r in slack.fake.responses if r.method == "response_url:click"]
    assert topics.args["response_type"] == "ephemeral"
    assert "Topics" in topics.args["blocks"][0]["text"]["text"]
    assert_clean(slack.fake)


async def test_topics_and_help_are_ephemeral(slack: SlackHarness) -> None:
    await slack.command("topics")
    await slack.command("help")
    assert [p.args["response_type"] for p in slack.fake.responses] == ["ephemeral", "ephemeral"]
    assert_clean(slack.fake)


# -- request verification -----------------------------------------------------------------------------


async def test_forged_signature_is_refused_with_no_side_effect(slack: SlackHarness) -> None:
    body = slash_command_body(f"ask {PHD_QUESTION}", slack.fake.response_url())
    sent = await slack.post(body, FORM, secret="not-the-signing-secret")
    assert sent.status == 401
    assert slack.fake.calls == [] and slack.fake.responses == []
    assert await entry_count(slack) == 0


async def test_six_minute_old_signature_is_refused_with_no_side_effect(slack: SlackHarness) -> None:
    body = slash_command_body(f"ask {PHD_QUESTION}", slack.fake.response_url())
    sent = await slack.post(body, FORM, timestamp=int(time.time()) - 360)
    assert sent.status == 401
    assert slack.fake.calls == [] and slack.fake.responses == []
    assert await entry_count(slack) == 0


async def test_tampered_body_is_refused(slack: SlackHarness) -> None:
    from tests.fakes.slack_payloads import sign

    body = slash_command_body("help", slack.fake.response_url())
    signed = sign(slack.secret, body, FORM)
    tampered = body.replace("help", "topics")
    async with slack.session.post(slack.endpoint, data=tampered, headers=signed.headers) as resp:
        assert resp.status == 401
    assert slack.fake.responses == []


# -- buttons, mentions, shortcut, home ------------------------------------------------------------


async def test_show_button_posts_the_entry_in_the_channel(slack: SlackHarness) -> None:
    entry = slack.service.kb.entries[0]
    sent = await slack.click("cb:0:show", entry.id, thread_ts="1700000000.000042")
    assert sent.status == 200
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "C1"
    assert post.args["thread_ts"] == "1700000000.000042"
    assert post.args["blocks"][0]["text"]["text"].startswith(entry.question[:100])
    assert_clean(slack.fake)


async def test_mention_is_answered_in_the_thread_without_the_mention(slack: SlackHarness) -> None:
    await slack.mention(f"<@UBOT> {PHD_QUESTION}", ts="1700000000.000777")
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "C1"
    assert post.args["thread_ts"] == "1700000000.000777"
    assert post.args["blocks"][0]["type"] == "header"
    await slack.service.settle()
    row = await slack.service.store.fetchone("SELECT user_id, status FROM ask_log")
    assert row == ("slack:U1", "answered")
    assert_clean(slack.fake)


async def test_mention_text_reaches_the_core_as_plain_text(make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok"))
    slack = await make_slack(core)
    await slack.mention("<@UBOT> is R&amp;D at <https://deepmind.google|DeepMind> worth it &lt;3")
    (event,) = core.events
    assert isinstance(event, Command)
    # A labelled link keeps its address the way the core reads links (markdown, as on Discord):
    # matching reads the label, and a moderator's link keeps where it points.
    assert (event.name, event.text) == (
        "ask", "is R&D at [DeepMind](https://deepmind.google) worth it <3")


async def test_mention_of_mass_mention_text_never_echoes_it(slack: SlackHarness) -> None:
    await slack.mention("<@UBOT> <!channel> <!here> what do research engineers do?")
    await slack.command("<!everyone> <!subteam^S1|devs> what do research engineers do?")
    assert slack.fake.posted()
    assert_clean(slack.fake)


async def test_message_shortcut_replies_in_thread_with_the_best_entry(slack: SlackHarness) -> None:
    await slack.shortcut(PHD_QUESTION)
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["thread_ts"] == "1700000000.000900"
    assert "PhD" in post.args["blocks"][0]["text"]["text"]
    assert_clean(slack.fake)


async def test_message_shortcut_on_off_topic_text_stays_private(slack: SlackHarness) -> None:
    await slack.shortcut("what's the best pizza topping in Naples?")
    assert slack.fake.of("chat.postMessage") == []
    (post,) = slack.fake.responses
    assert post.args["response_type"] == "ephemeral"
    assert_clean(slack.fake)


async def test_app_home_publishes_a_valid_view(slack: SlackHarness) -> None:
    await slack.home("U1")
    (call,) = slack.fake.of("views.publish")
    assert call.args["user_id"] == "U1"
    view = call.args["view"]
    assert view["type"] == "home"
    assert view_problems(view) == []
    assert "Moderator tools" not in json.dumps(view)
    assert ("quiz", "") in button_ids(view["blocks"])


async def test_home_button_runs_the_command_and_answers_in_a_dm(slack: SlackHarness) -> None:
    await slack.click("cmd:0:help", None, home=True, response_url=None)
    (opened,) = slack.fake.of("conversations.open")
    assert opened.args["users"] == "U1"
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["channel"] == "DU1"
    assert_clean(slack.fake)


# -- moderator facts and context ---------------------------------------------------------------------


@dataclass
class Scripted:
    """A stand-in core: records events and answers with scripted replies."""

    reply: Reply
    events: list[Event] = field(default_factory=list)

    async def handle(self, event: Event) -> Reply:
        self.events.append(event)
        return self.reply


async def test_moderator_facts_come_from_slack_and_settings(make_slack: Any, fake: FakeSlack) -> None:
    fake.groups["S1"] = ["UGROUP"]
    core = Scripted(Reply(kind="text", body="ok", ephemeral=True))
    slack = await make_slack(core, slack_moderator_groups=("S1",))
    for user in ("UADMIN", "UMOD", "UGROUP", "U1", "UADMIN"):
        await slack.command("stats", user=user)
    assert [e.ctx.is_moderator for e in core.events] == [True, True, True, False, True]
    # A second command from the same admin is answered from the cache.
    assert [c.args["user"] for c in fake.of("users.info")] == ["UADMIN", "UGROUP", "U1"]


async def test_private_replies_are_delivered_ephemerally(make_slack: Any, fake: FakeSlack) -> None:
    # Which replies are private is the core's decision (bot.commands); the adapter delivers it.
    core = Scripted(Reply(kind="list", title="Stats", body="42 questions", ephemeral=True))
    slack = await make_slack(core)
    for text in ("stats", "unanswered", "history phd-x", "help", "profile"):
        await slack.command(text, user="UADMIN")
    assert fake.of("chat.postMessage") == []
    assert [r.args["response_type"] for r in fake.responses] == ["ephemeral"] * 5


async def test_community_is_the_enterprise_when_present(make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok"))
    slack = await make_slack(core)
    await slack.command("topics")
    await slack.post(slash_command_body("topics", slack.fake.response_url(), enterprise="E9"), FORM)
    # The member's own DM with careerbot (the fake's conversations.open gives "D" + user).
    await slack.command("topics", channel="DU1", channel_name="directmessage")
    ctxs = [e.ctx for e in core.events]
    assert [c.community for c in ctxs] == ["T1", "E9", "T1"]
    assert [c.is_dm for c in ctxs] == [False, False, True]
    assert all(c.platform == "slack" and c.member_key == "slack:U1" for c in ctxs)


async def test_replace_updates_the_message_that_carried_the_button(make_slack: Any, fake: FakeSlack) -> None:
    core = Scripted(Reply(kind="quiz", title="[2/3] Next?", choices=[Choice("A", "quiz", "s:1:a")], replace=True))
    slack = await make_slack(core)
    fake.messages[("C1", "1700000000.000001")] = {"ts": "1700000000.000001"}
    await slack.click("cb:0:quiz", "s:0:a")
    assert core.events == [ButtonPress(core.events[0].ctx, "quiz", "s:0:a")]
    (update,) = fake.of("chat.update")
    assert (update.args["channel"], update.args["ts"]) == ("C1", "1700000000.000001")
    assert fake.of("chat.postMessage") == []
    assert_clean(fake)


async def test_replace_falls_back_to_the_response_url_when_update_is_refused(
    make_slack: Any, fake: FakeSlack
) -> None:
    core = Scripted(Reply(kind="text", body="updated", replace=True))
    slack = await make_slack(core)
    await slack.click("cb:0:x", "p", message_ts="1700000000.999999")  # not a message the bot posted
    (update,) = fake.of("chat.update")
    (post,) = fake.responses
    assert post.args["replace_original"] is True
    assert post.args["blocks"][0]["text"]["text"] == "updated"


async def test_replace_on_an_ephemeral_message_uses_the_response_url(make_slack: Any, fake: FakeSlack) -> None:
    core = Scripted(Reply(kind="text", body="updated", replace=True))
    slack = await make_slack(core)
    await slack.click("cb:0:x", "p", ephemeral=True)
    (post,) = fake.responses
    assert post.args["replace_original"] is True
    assert fake.of("chat.update") == []


async def test_ephemeral_reply_to_a_button_without_response_url_uses_post_ephemeral(
    make_slack: Any, fake: FakeSlack
) -> None:
    core = Scripted(Reply(kind="text", body="thanks", ephemeral=True))
    slack = await make_slack(core)
    await slack.click("cb:0:feedback", "x:y", response_url=None)
    (post,) = fake.of("chat.postEphemeral")
    assert (post.args["channel"], post.args["user"]) == ("C1", "U1")


async def test_to_dm_reply_opens_a_dm_and_tells_the_member(make_slack: Any, fake: FakeSlack) -> None:
    core = Scripted(Reply(kind="quiz", title="[1/3] Q?", to_dm=True))
    slack = await make_slack(core)
    await slack.command("quiz ml-path")
    (opened,) = fake.of("conversations.open")
    (post,) = fake.of("chat.postMessage")
    assert post.args["channel"] == "DU1"
    (note,) = fake.responses
    assert note.args["response_type"] == "ephemeral"
    assert_clean(fake)


async def test_form_reply_opens_a_modal_and_errors_show_inline(make_slack: Any, fake: FakeSlack) -> None:
    form = Form("faq-add", "Add an entry", (FormField("question", "Question"), FormField("answer", "Answer", multiline=True)), state="s1")
    core = Scripted(Reply(kind="form", form=form, ephemeral=True))
    slack = await make_slack(core)
    await slack.command("add")
    (opened,) = fake.of("views.open")
    view = opened.args["view"]
    assert view_problems(view) == []
    core.reply = Reply(kind="error", body="fix it", errors={"answer": "Too short."}, ephemeral=True)
    sent = await slack.submit(view, {"f:question": "Q?", "f:answer": "A"})
    assert sent.json() == {"response_action": "errors", "errors": {"f:answer": "Too short."}}
    submitted = core.events[-1]
    assert isinstance(submitted, FormSubmit)
    assert (submitted.form, submitted.state, submitted.values) == ("faq-add", "s1", {"question": "Q?", "answer": "A"})
    assert fake.posted() == []


async def test_successful_submission_closes_the_modal_and_posts_to_the_origin(make_slack: Any, fake: FakeSlack) -> None:
    form = Form("faq-add", "Add an entry", (FormField("question", "Question"),))
    core = Scripted(Reply(kind="form", form=form))
    slack = await make_slack(core)
    await slack.command("add", channel="C7")
    view = fake.of("views.open")[0].args["view"]
    core.reply = Reply(kind="text", body="Saved `new-entry`.", ephemeral=True)
    sent = await slack.submit(view, {"f:question": "Q?"})
    assert (sent.status, sent.text) == (200, "")
    (post,) = fake.of("chat.postEphemeral")
    assert (post.args["channel"], post.args["user"]) == ("C7", "U1")


async def test_follow_up_form_updates_the_modal(make_slack: Any, fake: FakeSlack) -> None:
    form = Form("faq-add", "Add an entry", (FormField("question", "Question"),))
    core = Scripted(Reply(kind="form", form=form))
    slack = await make_slack(core)
    await slack.command("add")
    view = fake.of("views.open")[0].args["view"]
    confirm = Form("faq-add-confirm", "Looks like a duplicate", (FormField("question", "Question", value="Q?"),))
    core.reply = Reply(kind="form", body="This is close to `phd-x`.", form=confirm)
    sent = await slack.submit(view, {"f:question": "Q?"})
    body = sent.json()
    assert body["response_action"] == "update"
    assert view_problems(body["view"]) == []
    assert "phd-x" in json.dumps(body["view"]["blocks"])

