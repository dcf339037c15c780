"""What a member or moderator gets when Slack refuses a reply where the event came from (an
archived or read-only channel, a channel the bot is not in, a global shortcut with no
response_url), valid requests careerbot has no listener for, and shapes of member text other
fakes never send. Found by an adversarial review of the adapter against Slack's documentation."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from adapters.slack_app import ModeratorFacts, parse_command
from bot.replies import Context
from tests.adapters.slack.test_slack_moderation import NEW_ENTRY
from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import FORM, JSON, event_callback, interactive_body
from tests.fakes.slack_server import FakeSlack

QUESTION = "what does a research engineer do?"


class RefusingSlack(FakeSlack):
    """Answers each method in `refuse` with `{"ok": false, "error": ...}`, as Slack does for an
    archived channel or a Slack Connect channel that does not allow apps."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.refuse: dict[str, str] = {}

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method in self.refuse:
            return web.json_response({"ok": False, "error": self.refuse[method]})
        return await super()._api(request)


@pytest.fixture
async def fake() -> AsyncIterator[RefusingSlack]:
    server = await RefusingSlack(admins={"UADMIN"}).start()
    yield server
    await server.stop()


@pytest.mark.parametrize("refusal", ["is_archived", "restricted_action", "msg_too_long"])
async def test_a_slash_answer_the_channel_refuses_reaches_the_member_privately(
        slack: SlackHarness, refusal: str) -> None:
    fake = slack.fake
    assert isinstance(fake, RefusingSlack)
    fake.refuse["chat.postMessage"] = refusal
    await slack.command(f"ask {QUESTION}")
    (reply,) = fake.responses
    assert reply.args["response_type"] == "ephemeral"
    assert "research engineer" in json.dumps(reply.args).lower()


async def test_a_mention_the_channel_refuses_is_answered_privately(slack: SlackHarness) -> None:
    fake = slack.fake
    assert isinstance(fake, RefusingSlack)
    fake.refuse["chat.postMessage"] = "restricted_action_thread_only_channel"
    await slack.mention(f"<@UBOT> {QUESTION}")
    (reply,) = fake.of("chat.postEphemeral")
    assert reply.args["user"] == "U1"
    assert "research engineer" in json.dumps(reply.args).lower()


async def test_a_form_sent_from_a_channel_the_bot_is_not_in_reports_back_by_dm(
        slack: SlackHarness) -> None:
    """The slash command works in a channel the bot never joined; the ephemeral result of the
    form does not, and the moderator saw nothing while the entry they typed was lost."""
    fake = slack.fake
    fake.outside.add("C5")
    before = len(fake.of("views.open"))
    await slack.command("add", user="UADMIN", channel="C5")
    view = fake.of("views.open")[before].args["view"]
    sent = await slack.submit(view, NEW_ENTRY, user="UADMIN")
    assert (sent.status, sent.text) == (200, "")
    dms = [c for c in fake.of("chat.postMessage") if c.args["channel"].startswith("D")]
    assert len(dms) == 1
    assert "quant-researcher-role" in json.dumps(dms[0].args)


async def test_answer_with_careerbot_in_a_channel_the_bot_is_not_in_answers_in_the_thread(
        slack: SlackHarness) -> None:
    # Slack delivers the shortcut from any channel; the bot's chat.postMessage fails there, and
    # the answer goes through the response_url, under the message it answers like the rest.
    fake = slack.fake
    fake.outside.add("C1")
    await slack.shortcut(QUESTION)
    (reply,) = fake.responses
    assert reply.args["response_type"] == "in_channel"
    assert reply.args["thread_ts"] == "1700000000.000900"
    assert "research engineer" in json.dumps(reply.args).lower()


async def test_a_global_shortcut_with_our_callback_id_gets_an_answer_not_a_traceback(
        slack: SlackHarness) -> None:
    payload = {"type": "shortcut", "token": "unused", "action_ts": "1700000002.000001",
               "team": {"id": "T1", "domain": "example"},
               "user": {"id": "U1", "username": "u1", "team_id": "T1"},
               "callback_id": "answer_with_careerbot", "trigger_id": "1.trigger"}
    sent = await slack.post(interactive_body(payload), FORM)
    assert sent.status == 200
    (note,) = slack.fake.of("chat.postMessage")  # no channel to answer in: a DM
    assert note.args["channel"].startswith("D")
    assert "no text" in json.dumps(note.args).lower()


@pytest.mark.parametrize("event", [
    {"type": "member_joined_channel", "user": "U7", "channel": "C1", "channel_type": "C",
     "team": "T1"},
    {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}},
    {"type": "app_uninstalled"},
])
async def test_a_valid_event_careerbot_does_not_use_is_acknowledged(
        slack: SlackHarness, event: dict[str, Any]) -> None:
    sent = await slack.post(json.dumps(event_callback(event)), JSON)
    assert sent.status == 200
    assert slack.fake.posted() == []


async def test_a_direct_message_with_null_text_is_acknowledged(slack: SlackHarness) -> None:
    event = {"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1",
             "text": None, "ts": "1700000000.000601", "event_ts": "1700000000.000601"}
    sent = await slack.post(json.dumps(event_callback(event)), JSON)
    assert sent.status == 200


@pytest.mark.parametrize("text", ["faq\nphd-needed-for-research-labs",
                                  "faq\tphd-needed-for-research-labs"])
def test_a_newline_or_tab_after_the_subcommand_still_names_it(text: str) -> None:
    command = parse_command(Context("slack", "T1", "C1", "U1"), text)
    assert (command.name, command.text) == ("faq", "phd-needed-for-research-labs")


async def test_an_admin_stays_a_moderator_while_slack_rate_limits_the_lookup() -> None:
    """Every event asks `users.info`; a 429 a few minutes after the admin opened a form must
    not turn their submission into "only moderators can change this"."""
    now = [0.0]

    class Busy:
        calls = 0

        async def users_info(self, user: str) -> dict[str, Any]:
            Busy.calls += 1
            if Busy.calls > 1:
                raise TimeoutError
            return {"user": {"id": user, "is_admin": True}}

    facts = ModeratorFacts(ttl=60, clock=lambda: now[0], timeout=0.05)
    client: Any = Busy()
    assert await facts.is_moderator(client, "T1", "UADMIN") is True
    now[0] = 600.0  # the cached answer is old; Slack does not answer now
    assert await facts.is_moderator(client, "T1", "UADMIN") is True
    assert Busy.calls == 2
    assert await facts.is_moderator(client, "T1", "USTRANGER") is False
