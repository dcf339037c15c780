"""Payload shapes and Web API answers that real Slack sends and the other tests did not: a
forwarded message (empty `text`, the original in `attachments`) or an app's blocks-only message,
a button whose `value` is null, a modal's `private_metadata` with null fields, and Slack refusing
a reply's blocks (`invalid_blocks`). Also guards for shapes checked and found handled: Slack's
`&amp;`/`&lt;`/`&gt;` escapes and an Enterprise Grid org-wide install."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.replies import ButtonPress, Command, Reply
from tests.adapters.slack.test_slack_http import Scripted
from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import (
    FORM,
    JSON,
    block_actions,
    event_callback,
    interactive_body,
    message_action,
    slash_command_body,
    view_submission,
)
from tests.fakes.slack_server import FakeSlack
from tests.wellbeing_quotes import DISTRESS

QUESTION = "is R&D a good path into ML research?"
ESCAPED = "is R&amp;D a good path into ML research?"  # as Slack sends it in `text`


class BlockRefusingSlack(FakeSlack):
    """With `refuse_blocks`, every message that carries blocks is refused as Slack refuses blocks
    it will not show: `invalid_blocks` from the Web API, HTTP 400 from a response URL."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.refuse_blocks = False
        self.refusal = "invalid_blocks"

    def _check_message(self, args: dict[str, Any]) -> str | None:
        problem = super()._check_message(args)  # a channel the bot is not in, first
        if not problem and self.refuse_blocks and args.get("blocks") not in (None, "", "[]", []):
            return self.refusal
        return problem

    async def _response_url(self, request: web.Request) -> web.Response:
        payload = await request.json()
        if self.refuse_blocks and payload.get("blocks"):
            return web.Response(status=400, text=self.refusal)
        return await super()._response_url(request)


@pytest.fixture
async def fake() -> AsyncIterator[BlockRefusingSlack]:
    server = await BlockRefusingSlack(admins={"UADMIN"}).start()
    yield server
    await server.stop()


def asked(core: Scripted) -> list[str]:
    return [e.text for e in core.events if isinstance(e, Command)]


def direct_message(text: str, **extra: Any) -> str:
    event = {"type": "message", "channel": "DU1", "channel_type": "im", "user": "U1",
             "text": text, "ts": "1700000000.000601", "event_ts": "1700000000.000601"}
    event.update(extra)
    return json.dumps(event_callback(event))


# -- a message whose words are not in `text` -----------------------------------------------------

# Slack's "Forward message": `text` is empty (or the forwarder's comment) and the original is a
# shared attachment whose `text` is escaped like any message text.
FORWARDED = {"text": "", "attachments": [{
    "is_share": True, "is_msg_unfurl": True, "author_id": "U2", "channel_id": "C2",
    "text": ESCAPED, "fallback": f"[March 5th, 2024 3:00 PM] bob: {ESCAPED}", "mrkdwn_in": ["text"],
}]}
# An app's message posted with blocks alone: rich text holds the characters as typed.
BLOCKS_ONLY = {"text": "", "blocks": [{"type": "rich_text", "block_id": "q1", "elements": [
    {"type": "rich_text_section", "elements": [
        {"type": "user", "user_id": "U2"}, {"type": "text", "text": " " + QUESTION},
    ]},
]}]}


@pytest.mark.parametrize("message", [FORWARDED, BLOCKS_ONLY], ids=["forwarded", "blocks-only"])
async def test_answer_with_careerbot_reads_a_message_whose_text_is_empty(
        make_slack: Any, message: dict[str, Any]) -> None:
    """Before: "That message has no text I can answer." and the core was never asked."""
    core = Scripted(Reply(kind="answer", body="ok"))
    slack = await make_slack(core)
    payload = message_action("", slack.fake.response_url("shortcut"))
    payload["message"].update(message)
    assert (await slack.post(interactive_body(payload), FORM)).status == 200
    assert asked(core) == [QUESTION]


async def test_a_message_forwarded_to_careerbots_dm_is_answered(make_slack: Any) -> None:
    """Before: the empty `text` read as an empty line, and the member got the help text."""
    core = Scripted(Reply(kind="answer", body="ok"))
    slack = await make_slack(core)
    assert (await slack.post(direct_message("", attachments=FORWARDED["attachments"]), JSON)).status == 200
    assert [(e.name, e.text) for e in core.events] == [("ask", QUESTION)]


# -- a button whose value is null -----------------------------------------------------------------


async def test_a_button_whose_value_is_null_reaches_the_core_as_empty_text(make_slack: Any) -> None:
    """The request check lets `"value": null` through; the core was then handed None."""
    core = Scripted(Reply(kind="text", body="ok", ephemeral=True))
    slack = await make_slack(core)
    for action_id in ("cb:0:show", "cmd:0:quiz"):
        payload = block_actions(action_id, "x", slack.fake.response_url("click"))
        payload["actions"][0]["value"] = None
        assert (await slack.post(interactive_body(payload), FORM)).status == 200
    press, command = core.events
    assert isinstance(press, ButtonPress) and press.payload == ""
    assert isinstance(command, Command) and command.text == ""


async def test_a_quiz_button_with_a_null_value_is_refused_politely(slack: SlackHarness) -> None:
    payload = block_actions("cb:0:quiz-start", "x", slack.fake.response_url("click"))
    payload["actions"][0]["value"] = None
    await slack.post(interactive_body(payload), FORM)
    (said,) = slack.fake.responses
    assert "went wrong" not in said.args["text"]  # before: the core failed on None


# -- a modal whose private_metadata has null fields -----------------------------------------------


async def test_form_metadata_with_null_fields_is_not_read_as_a_channel_named_none(
        slack: SlackHarness) -> None:
    await slack.command("add", user="UMOD")
    view = slack.fake.of("views.open")[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    payload = view_submission(view, {}, user="UMOD")
    payload["view"]["private_metadata"] = '{"form":null,"state":null,"channel":null,"thread":null}'
    assert (await slack.post(interactive_body(payload), FORM)).status == 200
    channels = [c.args.get("channel") for c in slack.fake.calls if c.method.startswith("chat.")]
    assert "None" not in channels


# -- Slack refuses a reply's blocks ---------------------------------------------------------------


@pytest.mark.parametrize("refusal", ["invalid_blocks", "msg_blocks_too_long"])
@pytest.mark.parametrize("how", ["mention", "slash-outside", "private", "dm"])
async def test_a_reply_whose_blocks_slack_refuses_still_reaches_the_member_as_text(
        slack: SlackHarness, how: str, refusal: str) -> None:
    """Before: every route (channel, ephemeral, DM, response URL) sent the same refused blocks,
    and the member got nothing at all. `msg_blocks_too_long` is chat.postMessage's refusal of
    blocks whose text adds up to too much."""
    fake = slack.fake
    assert isinstance(fake, BlockRefusingSlack)
    fake.refuse_blocks = True
    fake.refusal = refusal
    if how == "mention":
        await slack.mention("<@UBOT> what does a research engineer do?")
    elif how == "slash-outside":
        fake.outside.add("C9")
        await slack.command("ask what does a research engineer do?", channel="C9")
    elif how == "private":
        await slack.mention(f"<@UBOT> {DISTRESS[0]}")
    else:
        await slack.post(direct_message("what does a research engineer do?"), JSON)
    delivered = [c for c in fake.posted() if not c.args.get("blocks") or c.args["blocks"] == "[]"]
    assert len(delivered) == 1
    (text,) = [c.args["text"] for c in delivered]
    if how == "private":
        assert "988" in text  # the crisis line, still only for the member
        assert delivered[0].method == "chat.postEphemeral"
    else:
        assert "engineer" in text.lower() and len(text) > 200  # the answer, not just its title


# -- guards: shapes checked and found handled -----------------------------------------------------


async def test_slack_escapes_are_undone_in_commands_shortcuts_and_dms(make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok"))
    slack = await make_slack(core)
    await slack.command(ESCAPED)
    await slack.shortcut(ESCAPED)
    await slack.post(direct_message(ESCAPED), JSON)
    await slack.mention(f"<@UBOT> {ESCAPED} &lt;3")
    assert asked(core) == [QUESTION] * 3 + [f"{QUESTION} <3"]


async def test_an_org_wide_install_is_one_community_whatever_carries_the_ids(make_slack: Any) -> None:
    core = Scripted(Reply(kind="text", body="ok", ephemeral=True))
    slack = await make_slack(core)
    click = block_actions("cb:0:show", "x", slack.fake.response_url("click"))
    click.update(team=None, enterprise={"id": "E1", "name": "Org"}, is_enterprise_install=True)
    await slack.post(interactive_body(click), FORM)
    mention = event_callback({"type": "app_mention", "user": "U1", "text": "<@UBOT> hi",
                              "ts": "1700000000.1", "channel": "C1", "event_ts": "1700000000.1"})
    mention.update(enterprise_id="E1", is_enterprise_install=True, authorizations=[
        {"enterprise_id": "E1", "team_id": None, "user_id": "UBOT", "is_bot": True,
         "is_enterprise_install": True}])
    await slack.post(json.dumps(mention), JSON)
    await slack.post(slash_command_body("topics", slack.fake.response_url(), enterprise="E1"), FORM)
    assert [e.ctx.community for e in core.events] == ["E1", "E1", "E1"]
