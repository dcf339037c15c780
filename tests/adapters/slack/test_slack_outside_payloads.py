"""Slack as an outsider would fake it from Slack's public documentation, not from this project's
own fakes: a small Web API and response URL server, and requests signed and shaped as the docs
show them.

A Web API answer need not be Slack's JSON: a 5xx or a 429 from Slack's edge or a proxy, or a
method a server does not implement, can come back as `text/plain`. slack_sdk keeps such a body
as a string, so the adapter must read the error code without assuming a JSON object. And an
`app_home_opened` event names its `tab` only when the member opened one ("If the user opens a
tab within the App Home, the event payload ... will reference that in the tab field").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from adapters.slack_app import create_bridge, web_app
from bot.config import Settings
from bot.service import Service
from tests.fakes.loopback import serve

SECRET = "outside-signing-secret"
CRISIS = "I want to kill myself"
Answer = Callable[[], web.StreamResponse]


@dataclass
class OutsideSlack:
    """The Web API (`/api/<method>`, any verb, arguments in the query, form or JSON) and
    response URLs (`/respond/<key>`). `script[method]` answers the next calls to that method;
    everything else gets the documented success."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    responded: list[dict[str, Any]] = field(default_factory=list)
    script: dict[str, list[Answer]] = field(default_factory=dict)
    base: str = ""

    async def api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if request.content_type == "application/json":
            args.update(json.loads(raw or "{}"))
        else:
            args.update(parse_qsl(raw))
        self.calls.append((method, args))
        if self.script.get(method):
            return self.script[method].pop(0)()
        ts = f"{time.time():.6f}"
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {"url": "https://example.slack.com/", "team": "Example", "user": "careerbot",
                          "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"},
            "users.info": {"user": {"id": args.get("user"), "team_id": "T1", "is_admin": False,
                                    "is_owner": False}},
            "conversations.open": {"channel": {"id": f"D{args.get('users')}"}},
            "chat.postMessage": {"channel": args.get("channel"), "ts": ts},
            "chat.postEphemeral": {"message_ts": ts},
            "chat.update": {"channel": args.get("channel"), "ts": args.get("ts")},
            "views.open": {"view": {"id": "V1"}},
            "views.publish": {"view": {"id": "V2"}},
        }
        if method not in answers:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response({"ok": True, **answers[method]})

    async def respond(self, request: web.Request) -> web.StreamResponse:
        self.responded.append(await request.json())
        return web.Response(text="ok")

    def of(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]

    def delivered(self) -> str:
        """Everything shown to anyone: posts, private posts, DMs and response URL replies."""
        sent = [args for name, args in self.calls if name.startswith("chat.")] + self.responded
        return json.dumps(sent)


def unreachable_url() -> str:
    """A response URL nothing answers at (a fake that copied `hooks.slack.com` from the docs, a
    server gone): every connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/commands/T1/1/gone"


def plain_text(status: int, headers: dict[str, str] | None = None) -> Answer:
    """An answer that is not Slack's JSON, as aiohttp's own `text=` (and its 404) gives."""
    return lambda: web.Response(status=status, text=f"{status}: not JSON", headers=headers)


@dataclass
class Outside:
    fake: OutsideSlack
    endpoint: str
    session: aiohttp.ClientSession
    drain: Callable[[], Any]

    async def send(self, body: str, content_type: str) -> tuple[int, str]:
        stamp = str(int(time.time()))
        digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": f"v0={digest}"}
        async with self.session.post(self.endpoint, data=body.encode(), headers=headers) as resp:
            answer = (resp.status, await resp.text())
        await self.drain()
        return answer

    async def slash(self, text: str, user: str = "U1", channel: str = "C1",
                    response_url: str = "") -> tuple[int, str]:
        form = {"token": "unused", "team_id": "T1", "team_domain": "example", "channel_id": channel,
                "channel_name": "general", "user_id": user, "user_name": user.lower(),
                "command": "/careerbot", "text": text, "api_app_id": "A1",
                "is_enterprise_install": "false",
                "response_url": response_url or f"{self.fake.base}/respond/{user}",
                "trigger_id": f"{time.time_ns()}.1.abc"}
        return await self.send(urlencode(form), "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any]) -> tuple[int, str]:
        body = {"token": "unused", "team_id": "T1", "api_app_id": "A1", "event": event,
                "type": "event_callback", "event_id": f"Ev{time.time_ns()}",
                "event_time": int(time.time()),
                "authorizations": [{"enterprise_id": None, "team_id": "T1", "user_id": "UBOT",
                                    "is_bot": True, "is_enterprise_install": False}],
                "is_ext_shared_channel": False}
        return await self.send(json.dumps(body), "application/json")

    async def interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        return await self.send(urlencode({"payload": json.dumps(payload)}),
                               "application/x-www-form-urlencoded")


@pytest.fixture
async def outside(service: Service, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Outside]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    fake = OutsideSlack()
    slack_app = web.Application()
    slack_app.router.add_route("*", "/api/{method}", fake.api)
    slack_app.router.add_post("/respond/{key}", fake.respond)
    slack_runner, slack_port = await serve(slack_app)
    fake.base = f"http://127.0.0.1:{slack_port}"

    settings = Settings(db_path=tmp_path / "careerbot.db", slack_bot_token=SecretStr("xoxb-outside"),
                        slack_signing_secret=SecretStr(SECRET), slack_api_url=f"{fake.base}/api/")
    bridge = create_bridge(settings, service)
    bot_runner, port = await serve(web_app(bridge))
    async with aiohttp.ClientSession() as session:
        yield Outside(fake, f"http://127.0.0.1:{port}/slack/events", session, bridge.drain)
    await bridge.drain()
    await bot_runner.cleanup()
    await slack_runner.cleanup()


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


# -- Web API answers that are not Slack's JSON ------------------------------------------------------


@pytest.mark.parametrize("answer", [
    plain_text(500), plain_text(503), plain_text(429, {"Retry-After": "0"}),
], ids=["500", "503", "429-after-retries"])
async def test_an_answer_the_channel_refuses_in_plain_text_still_reaches_the_member(
        outside: Outside, caplog: pytest.LogCaptureFixture, answer: Answer) -> None:
    outside.fake.script["chat.postMessage"] = [answer] * 3
    status, _ = await outside.slash("ask do I need a PhD to work at DeepMind?")
    assert status == 200
    # Not in the channel, but privately through the command's response URL, as for a JSON error.
    (private,) = outside.fake.responded
    assert private["response_type"] == "ephemeral"
    assert "PhD" in json.dumps(private)
    no_traceback(caplog)


async def test_a_crisis_reply_reaches_the_member_by_dm_when_slack_answers_in_plain_text(
        outside: Outside, caplog: pytest.LogCaptureFixture) -> None:
    outside.fake.script["chat.postEphemeral"] = [plain_text(503)]
    status, _ = await outside.event({
        "type": "app_mention", "user": "U2", "text": f"<@UBOT> {CRISIS}",
        "ts": "1700000000.000100", "channel": "C1", "event_ts": "1700000000.000100",
    })
    assert status == 200
    (dm,) = outside.fake.of("chat.postMessage")
    assert dm["channel"] == "DU2"  # the member's own DM, never the channel
    assert "988" in json.dumps(dm)
    no_traceback(caplog)


async def test_a_web_api_method_the_server_does_not_know_costs_no_reply(
        outside: Outside, caplog: pytest.LogCaptureFixture) -> None:
    # A server without `users.info` answers aiohttp's own text/plain 404: the member is then
    # simply not a moderator, and is answered.
    outside.fake.script["users.info"] = [plain_text(404)]
    await outside.slash("ask what does a research engineer do?")
    (answer,) = outside.fake.of("chat.postMessage")
    assert answer["channel"] == "C1" and "research engineer" in json.dumps(answer).lower()
    no_traceback(caplog)


async def test_a_form_is_acknowledged_while_users_info_answers_in_plain_text(
        outside: Outside, caplog: pytest.LogCaptureFixture) -> None:
    outside.fake.script["users.info"] = [plain_text(500)]
    status, body = await outside.interaction({
        "type": "view_submission", "team": {"id": "T1", "domain": "example"},
        "user": {"id": "U1", "username": "u1", "name": "u1", "team_id": "T1"},
        "api_app_id": "A1", "token": "unused", "trigger_id": "1.2.abc",
        "view": {"id": "V1", "team_id": "T1", "type": "modal", "blocks": [],
                 "private_metadata": json.dumps({"form": "faq-add", "state": "", "channel": "C1",
                                                 "thread": ""}),
                 "callback_id": "careerbot_form", "state": {"values": {}}, "hash": "1.abc",
                 "root_view_id": "V1", "app_id": "A1", "bot_id": "BBOT"},
        "response_urls": [], "is_enterprise_install": False,
    })
    # Slack shows "We had some trouble connecting" for a 500; the modal needs its 200.
    assert status == 200
    no_traceback(caplog)


async def test_a_failed_views_publish_in_plain_text_is_one_log_line(
        outside: Outside, caplog: pytest.LogCaptureFixture) -> None:
    outside.fake.script["views.publish"] = [plain_text(500)]
    with caplog.at_level(logging.ERROR):
        await outside.event({"type": "app_home_opened", "user": "U1", "channel": "DU1",
                             "tab": "home", "event_ts": "1700000000.000200"})
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert lines == ["Slack API call failed: HTTP 500"]
    assert not any(r.exc_info for r in caplog.records)


# -- optional fields --------------------------------------------------------------------------------


async def test_app_home_opened_without_a_tab_publishes_the_home(outside: Outside) -> None:
    await outside.event({"type": "app_home_opened", "user": "U1", "channel": "DU1",
                         "event_ts": "1700000000.000300"})
    (published,) = outside.fake.of("views.publish")
    view = published["view"]
    assert published["user_id"] == "U1"
    assert (json.loads(view) if isinstance(view, str) else view)["type"] == "home"


async def test_the_messages_tab_still_publishes_nothing(outside: Outside) -> None:
    await outside.event({"type": "app_home_opened", "user": "U1", "channel": "DU1",
                         "tab": "messages", "event_ts": "1700000000.000400"})
    assert outside.fake.of("views.publish") == []


# -- a response URL that cannot be reached, around a direct message -------------------------------


async def test_a_quiz_sent_by_dm_tells_the_member_without_a_traceback_when_the_url_is_gone(
        outside: Outside, caplog: pytest.LogCaptureFixture) -> None:
    await outside.slash("quiz ml-path", response_url=unreachable_url())
    (step,) = outside.fake.of("chat.postMessage")
    assert step["channel"] == "DU1"
    (notice,) = outside.fake.of("chat.postEphemeral")
    assert (notice["channel"], notice["user"]) == ("C1", "U1")
    assert "sent you a direct message" in json.dumps(notice)
    no_traceback(caplog)


async def test_a_dm_slack_refuses_is_still_explained_when_the_url_is_gone(
        outside: Outside, caplog: pytest.LogCaptureFixture) -> None:
    outside.fake.script["conversations.open"] = [
        lambda: web.json_response({"ok": False, "error": "cannot_dm_bot"})]
    await outside.slash("quiz ml-path", response_url=unreachable_url())
    assert outside.fake.of("chat.postMessage") == []
    (notice,) = outside.fake.of("chat.postEphemeral")
    assert (notice["channel"], notice["user"]) == ("C1", "U1")
    assert "couldn't send you a direct message" in json.dumps(notice)
    assert "cannot_dm_bot" in json.dumps(notice)
    no_traceback(caplog)
