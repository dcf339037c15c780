"""Socket Mode start-up through `run()`: apps.connections.open, then a websocket on loopback."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import uuid
from pathlib import Path
from urllib.parse import parse_qsl

import aiohttp
import pytest

from adapters import slack_app
from bot.config import Settings
from bot.service import Service
from tests.fakes.slack_harness import BOT_TOKEN
from tests.fakes.slack_payloads import (
    FORM,
    app_mention,
    new_signing_secret,
    sign,
    slash_command_body,
)
from tests.fakes.slack_server import FakeSlack

APP_TOKEN = "xapp-testfake"


def command_envelope(fake: FakeSlack, text: str) -> dict:
    payload = dict(parse_qsl(slash_command_body(text, fake.response_url("socket"))))
    return {"envelope_id": str(uuid.uuid4()), "type": "slash_commands",
            "accepts_response_payload": True, "payload": payload}


def event_envelope(payload: dict) -> dict:
    return {"envelope_id": str(uuid.uuid4()), "type": "events_api",
            "accepts_response_payload": False, "payload": payload}


async def test_socket_mode_connects_acks_envelopes_and_answers(
    fake: FakeSlack, service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO)
    command = command_envelope(fake, "ask do I need a PhD to work at DeepMind?")
    mention = event_envelope(app_mention("<@UBOT> what does a research engineer do?", ts="1700000000.000321"))
    fake.socket_envelopes += [command, mention]
    settings = Settings(db_path=tmp_path / "db.sqlite", slack_bot_token=BOT_TOKEN,
                        slack_app_token=APP_TOKEN, slack_api_url=fake.api_url)

    task = asyncio.create_task(slack_app.run(settings, service))
    try:
        async with asyncio.timeout(30):
            await fake.wait_for(lambda f: len(f.socket_acks) >= 2 and len(f.of("chat.postMessage")) >= 2)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    (opened,) = fake.of("apps.connections.open")
    assert opened.token == APP_TOKEN  # the app-level token opens the socket...
    assert {c.token for c in fake.calls if c.method != "apps.connections.open"} == {BOT_TOKEN}
    assert {a["envelope_id"] for a in fake.socket_acks} == {command["envelope_id"], mention["envelope_id"]}
    by_thread = {c.args.get("thread_ts"): c for c in fake.of("chat.postMessage")}
    assert by_thread[None].args["channel"] == "C1"  # the slash command's answer
    assert by_thread["1700000000.000321"].args["blocks"][0]["type"] == "header"
    assert fake.problems == []
    logged = caplog.text + json.dumps([r.getMessage() for r in caplog.records])
    assert APP_TOKEN not in logged and BOT_TOKEN not in logged


def test_settings_never_show_tokens() -> None:
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN, slack_signing_secret="s3cr3t-value")
    shown = repr(settings) + json.dumps(settings.describe())
    assert BOT_TOKEN not in shown and APP_TOKEN not in shown and "s3cr3t-value" not in shown


async def test_http_mode_serves_signed_requests_on_the_configured_port(
    fake: FakeSlack, service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = new_signing_secret()
    settings = Settings(db_path=tmp_path / "db.sqlite", slack_bot_token=BOT_TOKEN,
                        slack_signing_secret=secret, slack_api_url=fake.api_url, slack_port=port)
    task = asyncio.create_task(slack_app.run(settings, service, host="127.0.0.1"))
    body = slash_command_body("ask what does a research engineer do?", fake.response_url())
    try:
        async with asyncio.timeout(30), aiohttp.ClientSession() as session:
            while True:  # until the server is listening
                try:
                    signed = sign(secret, body, FORM)
                    async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                                            headers=signed.headers) as resp:
                        assert resp.status == 200
                        break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.05)
            await fake.wait_for(lambda f: bool(f.of("chat.postMessage")))
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    (post,) = fake.of("chat.postMessage")
    assert post.args["blocks"][0]["type"] == "header"


async def test_socket_mode_retry_of_an_event_is_acked_and_answered_once(
    fake: FakeSlack, service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    payload = app_mention("<@UBOT> what does a research engineer do?", ts="1700000000.000654")
    first = event_envelope(payload)
    retry = {**event_envelope(payload), "retry_attempt": 1, "retry_reason": "timeout"}
    fake.socket_envelopes += [first, retry]
    settings = Settings(db_path=tmp_path / "db.sqlite", slack_bot_token=BOT_TOKEN,
                        slack_app_token=APP_TOKEN, slack_api_url=fake.api_url)
    task = asyncio.create_task(slack_app.run(settings, service))
    try:
        async with asyncio.timeout(30):
            await fake.wait_for(lambda f: len(f.socket_acks) >= 2 and bool(f.of("chat.postMessage")))
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task  # run() drains the work it started before it returns
    assert {a["envelope_id"] for a in fake.socket_acks} == {first["envelope_id"], retry["envelope_id"]}
    assert len(fake.of("chat.postMessage")) == 1
