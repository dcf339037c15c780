"""A response URL that cannot be reached at all (the connection is refused or dropped, rather
than answered with an HTTP error) must not lose the reply: a private one, a crisis reply above
all, still reaches the member through the Web API."""

from __future__ import annotations

import json
import socket

from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import FORM, slash_command_body
from tests.wellbeing_quotes import CRISIS


def unreachable_url() -> str:
    """A loopback URL nothing listens on: every connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/response/gone"


async def test_a_crisis_slash_command_whose_response_url_is_unreachable_is_answered_privately(
        slack: SlackHarness) -> None:
    sent = await slack.post(slash_command_body(f"ask {CRISIS[0]}", unreachable_url()), FORM)
    assert (sent.status, sent.text) == (200, "")
    assert slack.fake.of("chat.postMessage") == []
    (private,) = slack.fake.of("chat.postEphemeral")
    assert (private.args["channel"], private.args["user"]) == ("C1", "U1")
    assert "988" in json.dumps(private.args)


async def test_an_answer_for_a_channel_without_the_bot_still_reaches_the_member(
        slack: SlackHarness) -> None:
    slack.fake.outside.add("C9")
    body = slash_command_body("ask do I need a PhD to work at DeepMind?", unreachable_url(),
                              channel="C9")
    await slack.post(body, FORM)
    (dm,) = [c for c in slack.fake.of("chat.postMessage") if c.args["channel"] == "DU1"]
    assert "PhD" in json.dumps(dm.args)
