"""Hostile and repeated requests on the HTTP endpoint (red-team L1, L2).

Malformed requests, signed or not, get 400 (or 401 when the signature is wrong) and never a
500 or a traceback; a Slack retry of an event, and a validly signed request replayed inside the
five-minute signature window, are answered once.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from tests.fakes.slack_harness import SlackHarness
from tests.fakes.slack_payloads import (
    FORM,
    JSON,
    app_mention,
    block_actions,
    interactive_body,
    message_action,
    sign,
    slash_command_body,
)

DEEP = 100_000
QUESTION = "what does a research engineer do?"


def _interactive(payload: Any) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _view_submission(view: Any = None, **changes: Any) -> str:
    payload = {
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
        "api_app_id": "A1", "trigger_id": "1.t",
        "view": view if view is not None else {
            "id": "V1", "type": "modal", "callback_id": "careerbot_form", "team_id": "T1",
            "private_metadata": "{not json", "state": {"values": {"f:question": {"value": None}}},
        },
    }
    payload.update(changes)
    return _interactive(payload)


def _mention_with(**event: Any) -> str:
    body = app_mention(QUESTION)
    body["event"].update(event)
    return json.dumps(body)


# Bodies Slack would never send: unparseable, the wrong JSON type, or the right type with fields
# of the wrong shape.
UNPARSEABLE: dict[str, tuple[str | bytes, str]] = {
    "json-broken": ("{not json", JSON),
    "json-list": ("[1,2,3]", JSON),
    "json-string": ('"hello"', JSON),
    "json-deep": ("[" * DEEP + "]" * DEEP, JSON),
    "json-deep-object": ('{"a":' * DEEP + "1" + "}" * DEEP, JSON),
    "form-payload-broken": ("payload={not-json", FORM),
    "form-payload-list": ("payload=[1,2]", FORM),
    "form-payload-deep": ("payload=" + quote("[" * DEEP + "]" * DEEP), FORM),
    "invalid-utf8": (b'{"type":"event_callback","x":"\xff\xfe"}', JSON),
    "invalid-utf8-form": (b"command=%2Fcareerbot&text=\xff", FORM),
}
BAD_SHAPES: dict[str, tuple[str | bytes, str]] = {
    "actions-not-a-list": (_interactive({**block_actions("cb:0:help", None, None), "actions": "x"}), FORM),
    "actions-of-strings": (_interactive({**block_actions("cb:0:help", None, None), "actions": ["x"]}), FORM),
    "actions-empty": (_interactive({**block_actions("cb:0:help", None, None), "actions": []}), FORM),
    "action-id-not-a-string": (
        _interactive({**block_actions("cb:0:help", None, None), "actions": [{"action_id": 5}]}), FORM),
    "action-user-a-string": (_interactive({**block_actions("cb:0:help", None, None), "user": "U1"}), FORM),
    "action-container-a-list": (
        _interactive({**block_actions("cb:0:help", None, None), "container": [1]}), FORM),
    "view-garbage-metadata-null-value": (_view_submission(), FORM),
    "view-state-values-a-list": (
        _view_submission({"callback_id": "careerbot_form", "state": {"values": [1]}}), FORM),
    "view-state-a-string": (_view_submission({"callback_id": "careerbot_form", "state": "x"}), FORM),
    "view-a-string": (_view_submission("x"), FORM),
    "view-value-a-dict": (_view_submission({
        "callback_id": "careerbot_form", "private_metadata": "",
        "state": {"values": {"f:question": {"value": {"value": {"x": 1}}}}}}), FORM),
    "event-a-string": (json.dumps({**app_mention(QUESTION), "event": "app_mention"}), JSON),
    "mention-text-a-dict": (_mention_with(text={"a": 1}), JSON),
    "mention-channel-a-list": (_mention_with(channel=["C1"]), JSON),
    "shortcut-message-a-string": (
        _interactive({**message_action(QUESTION, "http://127.0.0.1:9/r"), "message": "x"}), FORM),
    "shortcut-text-a-list": (
        _interactive({**message_action(QUESTION, "http://127.0.0.1:9/r"),
                      "message": {"text": ["x"], "ts": "1.2"}}), FORM),
    "command-without-user": (
        urlencode({"command": "/careerbot", "text": QUESTION, "team_id": "T1", "trigger_id": "1.t"}), FORM),
    "form-without-command-or-payload": ("text=hello&user_id=U1", FORM),
}


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == [], [r.getMessage() for r in loud]
    assert "Traceback" not in caplog.text


async def assert_untouched(slack: SlackHarness) -> None:
    assert slack.fake.calls == [] and slack.fake.responses == []
    await slack.service.settle()  # questions are logged in the background
    row = await slack.service.store.fetchone("SELECT COUNT(*) FROM ask_log")
    assert row == (0,)


async def assert_still_serving(slack: SlackHarness) -> None:
    sent = await slack.command(f"ask {QUESTION}")
    assert sent.status == 200
    assert len(slack.fake.of("chat.postMessage")) == 1


@pytest.mark.parametrize("case", sorted(UNPARSEABLE | BAD_SHAPES))
async def test_unsigned_malformed_request_is_refused_quietly(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.DEBUG)
    body, content_type = (UNPARSEABLE | BAD_SHAPES)[case]
    sent = await slack.send(body, {"Content-Type": content_type})
    assert sent.status == 401
    await assert_untouched(slack)
    assert_quiet(caplog)


@pytest.mark.parametrize("case", sorted(UNPARSEABLE | BAD_SHAPES))
async def test_signed_malformed_request_gets_400_quietly(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.DEBUG)
    body, content_type = (UNPARSEABLE | BAD_SHAPES)[case]
    sent = await slack.post(body, content_type)
    assert sent.status == 400
    await assert_untouched(slack)
    assert_quiet(caplog)
    await assert_still_serving(slack)


@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "17000000000000000000000000"])
async def test_malformed_timestamp_is_refused_quietly(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, timestamp: str, signed: bool
) -> None:
    caplog.set_level(logging.DEBUG)
    body = slash_command_body(f"ask {QUESTION}", slack.fake.response_url())
    headers = sign(slack.secret if signed else "wrong-secret", body, FORM, timestamp).headers
    sent = await slack.send(body, headers)
    assert sent.status in (400, 401)
    await assert_untouched(slack)
    assert_quiet(caplog)


async def test_missing_signature_headers_are_refused(slack: SlackHarness) -> None:
    body = slash_command_body(f"ask {QUESTION}", slack.fake.response_url())
    for dropped in ("X-Slack-Signature", "X-Slack-Request-Timestamp"):
        headers = {k: v for k, v in sign(slack.secret, body, FORM).headers.items() if k != dropped}
        assert (await slack.send(body, headers)).status == 401
    await assert_untouched(slack)


async def test_url_verification_still_answers_the_challenge(slack: SlackHarness) -> None:
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    sent = await slack.post(body, JSON)
    assert sent.status == 200
    assert "c-123" in sent.text


# -- retries and replays ------------------------------------------------------------------------------


async def test_replayed_signed_slash_command_runs_once(slack: SlackHarness) -> None:
    body = slash_command_body(f"ask {QUESTION}", slack.fake.response_url())
    headers = sign(slack.secret, body, FORM).headers
    first = await slack.send(body, headers)
    second = await slack.send(body, headers)
    assert (first.status, second.status) == (200, 200)
    assert len(slack.fake.of("chat.postMessage")) == 1
    await slack.service.settle()  # questions are logged in the background
    row = await slack.service.store.fetchone("SELECT COUNT(*) FROM ask_log")
    assert row == (1,)


async def test_replayed_button_press_runs_once(slack: SlackHarness) -> None:
    body = interactive_body(block_actions("cb:0:topics", None, slack.fake.response_url("click")))
    headers = sign(slack.secret, body, FORM).headers
    for _ in range(3):
        assert (await slack.send(body, headers)).status == 200
    assert len(slack.fake.responses) == 1


async def test_same_body_signed_again_later_is_a_new_request(slack: SlackHarness) -> None:
    # Not a replay: Slack signs every delivery afresh. Only events carry an id to dedupe on, so
    # a command Slack itself sent twice (it never does) would run twice; a captured one cannot.
    body = slash_command_body("topics", slack.fake.response_url())
    now = int(time.time())
    await slack.post(body, FORM, timestamp=now)
    await slack.post(body, FORM, timestamp=now - 1)
    assert len(slack.fake.responses) == 2


async def test_slack_retry_of_an_event_is_answered_once(slack: SlackHarness) -> None:
    event = json.dumps(app_mention(f"<@UBOT> {QUESTION}", ts="1700000000.000111"))
    now = int(time.time())
    first = await slack.post(event, JSON, timestamp=now)
    # Slack signs each retry again, so only the event id says it is the same event.
    retry = await slack.post(event, JSON, timestamp=now + 1,
                             headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert (first.status, retry.status) == (200, 200)
    (post,) = slack.fake.of("chat.postMessage")
    assert post.args["thread_ts"] == "1700000000.000111"


async def test_different_events_are_each_answered(slack: SlackHarness) -> None:
    for ts in ("1700000000.000201", "1700000000.000202"):
        await slack.mention(f"<@UBOT> {QUESTION}", ts=ts)
    assert len(slack.fake.of("chat.postMessage")) == 2


def test_recent_keys_expire_and_stay_bounded() -> None:
    from adapters.slack_app import RecentKeys

    now = [1000.0]
    recent = RecentKeys(ttl=60.0, max_size=3, clock=lambda: now[0])
    assert not recent.seen("a")
    assert recent.seen("a")
    now[0] += 61
    assert not recent.seen("a")  # expired, so new again
    for key in ("b", "c", "d", "e"):
        assert not recent.seen(key)
    assert len(recent) == 3
    assert not recent.seen("b")  # the oldest was evicted to stay within max_size


@pytest.mark.parametrize("signed", [False, True])
async def test_ssl_check_gets_200_and_runs_nothing(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, signed: bool
) -> None:
    # Slack checks a slash command URL's certificate with a form carrying ssl_check=1; bolt
    # answers it before verifying a signature, and so does the endpoint.
    caplog.set_level(logging.DEBUG)
    body = "ssl_check=1&token=legacy-verification-token"
    sent = await (slack.post(body, FORM) if signed
                  else slack.send(body, {"Content-Type": FORM}))
    assert sent.status == 200
    await assert_untouched(slack)
    assert_quiet(caplog)
    await assert_still_serving(slack)


async def test_ssl_check_flag_does_not_excuse_an_unsigned_command(slack: SlackHarness) -> None:
    body = slash_command_body(f"ask {QUESTION}", "https://hooks.slack.test/r") + "&ssl_check=0"
    sent = await slack.send(body, {"Content-Type": FORM})
    assert sent.status == 401
    await assert_untouched(slack)
