"""Payloads and Web API answers that Slack's public docs allow and the other tests never send.

The fake here is this file's own, written from api.slack.com (the Events API wrapper, the
interaction payloads, slash command forms, the Web API's answers and its 429 `Retry-After`),
so that it does not share the other fakes' assumptions. Tokens and secrets are plain words.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_app import RETRY_AFTER_MAX, create_bridge, retry_after, web_app
from bot.config import Settings
from bot.service import Service
from tests.fakes.loopback import serve

SECRET = "outside-signing-secret"
TOKEN = "xoxb-fake"  # a plain test string; bolt reads the bot user only from a token named xoxb-
TEAM = "T0OUTSIDE"
BOT_USER = "U0BOT"
ANSWERABLE = "do I need a PhD to work at DeepMind?"
CRISIS = "I want to kill myself, I can't go on"

# A Web API answer: (HTTP status, headers, body); a dict body is sent as JSON.
Answer = tuple[int, dict[str, str], Any]


def ok(**fields: Any) -> Answer:
    return 200, {}, {"ok": True, **fields}


def fail(error: str, status: int = 200, **fields: Any) -> Answer:
    return status, {}, {"ok": False, "error": error, **fields}


class DocSlack:
    """A Web API and response URLs as api.slack.com describes them. `script[method]` holds the
    answers to give next (one per call, first first); otherwise a method answers as documented."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.script: dict[str, list[Answer]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.delay: dict[str, float] = {}  # seconds a method takes to answer
        self.url = ""
        self.cleanups: list[tuple[Any, Any, Any]] = []
        self._runner: web.AppRunner | None = None
        self._ts = 0

    async def start(self) -> DocSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        self._runner, port = await serve(app)
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        for session, bridge, runner in self.cleanups:
            await session.close()
            await bridge.drain()
            await runner.cleanup()
        if self._runner is not None:
            await self._runner.cleanup()

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/respond/{name}"

    async def _read(self, request: web.Request) -> dict[str, Any]:
        # The Web API takes its arguments as a query string, a form or JSON, as the docs say.
        args: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if request.content_type == "application/json":
            args.update(json.loads(raw or "{}"))
        else:
            args.update(parse_qsl(raw, keep_blank_values=True))
        return args

    async def _respond(self, request: web.Request) -> web.StreamResponse:
        body = await self._read(request)
        self.calls.append(("respond:" + request.match_info["token"], body))
        answer = self._next("respond")
        if answer is not None:
            return self._send(answer)
        return web.Response(text="ok")

    def _next(self, method: str) -> Answer | None:
        queued = self.script.get(method)
        return queued.pop(0) if queued else None

    @staticmethod
    def _send(answer: Answer) -> web.StreamResponse:
        status, headers, body = answer
        if isinstance(body, dict):
            return web.json_response(body, status=status, headers=headers)
        return web.Response(status=status, headers=headers, text=str(body))

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        body = await self._read(request)
        self.calls.append((method, body))
        await asyncio.sleep(self.delay.get(method, 0))
        answer = self._next(method)
        if answer is not None:
            return self._send(answer)
        return self._send(self._documented(method, body))

    def _documented(self, method: str, body: dict[str, Any]) -> Answer:
        self._ts += 1
        ts = f"1700000000.{self._ts:06d}"
        if method == "auth.test":
            return ok(url="https://outside.slack.com/", team="Outside", user="careerbot",
                      team_id=TEAM, user_id=BOT_USER, bot_id="B0BOT", is_enterprise_install=False)
        if method == "users.info":
            user = body.get("user", "")
            return ok(user=self.users.get(user, {"id": user, "team_id": TEAM, "name": "member",
                                                 "is_admin": False, "is_owner": False,
                                                 "is_bot": False, "deleted": False}))
        if method == "conversations.open":
            return ok(channel={"id": "D0BOT" + str(body.get("users", ""))})
        if method == "chat.postMessage":
            return ok(channel=body.get("channel"), ts=ts,
                      message={"type": "message", "text": body.get("text", ""), "ts": ts,
                               "bot_id": "B0BOT", "user": BOT_USER})
        if method == "chat.postEphemeral":
            return ok(message_ts=ts)
        if method == "chat.update":
            return ok(channel=body.get("channel"), ts=body.get("ts"), text=body.get("text", ""))
        if method in ("views.open", "views.publish", "views.update"):
            return ok(view={"id": "V0" + str(self._ts), "type": "modal"})
        if method == "usergroups.users.list":
            return ok(users=[])
        return fail("unknown_method", 404)

    def of(self, method: str) -> list[dict[str, Any]]:
        return [body for name, body in self.calls if name == method]

    def delivered(self) -> list[tuple[str, dict[str, Any]]]:
        """Every call that shows the member something."""
        shown = ("chat.postMessage", "chat.postEphemeral", "chat.update", "views.open",
                 "views.publish")
        return [(n, b) for n, b in self.calls if n in shown or n.startswith("respond:")]


def sign(raw: bytes, timestamp: str) -> str:
    base = b"v0:" + timestamp.encode() + b":" + raw
    return "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()


class Outsider:
    """Sends what Slack sends to careerbot's Request URL, signed."""

    def __init__(self, slack: DocSlack, url: str, session: aiohttp.ClientSession, bridge: Any):
        self.slack = slack
        self.url = url
        self.session = session
        self.bridge = bridge
        self._n = 0

    async def post(self, raw: bytes, content_type: str,
                   headers: dict[str, str] | None = None) -> tuple[int, str]:
        stamp = str(int(time.time()))
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": sign(raw, stamp), **(headers or {})}
        async with self.session.post(self.url, data=raw, headers=sent) as resp:
            text = await resp.text()
        await self.bridge.drain()
        return resp.status, text

    async def slash(self, text: str, **fields: str) -> tuple[int, str]:
        form = {"token": "outside-verification", "team_id": TEAM, "team_domain": "outside",
                "channel_id": "C0GENERAL", "channel_name": "general", "user_id": "U0MEMBER",
                "user_name": "member", "command": "/careerbot", "text": text,
                "api_app_id": "A0APP", "response_url": self.slack.response_url(),
                "trigger_id": "1.2.trigger"}
        form.update(fields)
        form = {k: v for k, v in form.items() if v is not None}
        return await self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any], headers: dict[str, str] | None = None,
                    **wrapper: Any) -> tuple[int, str]:
        self._n += 1
        body = {"token": "outside-verification", "team_id": TEAM, "api_app_id": "A0APP",
                "event": event, "type": "event_callback", "event_id": f"Ev0{self._n:08d}",
                "event_time": int(time.time()),
                "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": BOT_USER,
                                    "is_bot": True, "is_enterprise_install": False}],
                "is_ext_shared_channel": False, "event_context": f"4-ctx{self._n}"}
        body.update(wrapper)
        return await self.post(json.dumps(body).encode(), "application/json", headers)

    async def interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        raw = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(raw, "application/x-www-form-urlencoded")


@pytest.fixture
async def doc_slack() -> AsyncIterator[DocSlack]:
    server = await DocSlack().start()
    yield server
    await server.stop()


@pytest.fixture
async def outsider(doc_slack: DocSlack, service: Service, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Outsider]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    yield await _serve(doc_slack, service, tmp_path)


async def _serve(doc_slack: DocSlack, service: Service, tmp_path: Path,
                 client: AsyncWebClient | None = None) -> Outsider:
    settings = Settings(
        db_path=tmp_path / "careerbot.db", slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr(SECRET), slack_api_url=doc_slack.url + "/api/",
        slack_moderator_users=("U0MOD",),
    )
    bridge = create_bridge(settings, service, client)
    runner, port = await serve(web_app(bridge))
    session = aiohttp.ClientSession()
    doc_slack.cleanups.append((session, bridge, runner))
    return Outsider(doc_slack, f"http://127.0.0.1:{port}/slack/events", session, bridge)


@pytest.fixture
def no_traceback(caplog: pytest.LogCaptureFixture) -> Callable[[], None]:
    caplog.set_level(logging.INFO)

    def check() -> None:
        bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
        assert not bad, [r.getMessage() for r in bad]

    return check


# -- a 429 whose Retry-After is not a whole number of seconds ------------------------------------


@pytest.mark.parametrize("retry_after", ["1.5", "Wed, 21 Oct 2015 07:28:00 GMT"])
async def test_a_429_whose_retry_after_is_not_whole_seconds_still_delivers_the_answer(
        outsider: Outsider, doc_slack: DocSlack, no_traceback: Callable[[], None],
        retry_after: str) -> None:
    # HTTP's Retry-After is a number of seconds or a date; slack_sdk's own handler reads it with
    # int() and raised ValueError: a traceback, and the member's answer never posted.
    doc_slack.script["chat.postMessage"] = [
        (429, {"Retry-After": retry_after}, {"ok": False, "error": "ratelimited"})]
    status, _ = await outsider.slash(ANSWERABLE)
    assert status == 200
    no_traceback()
    posts = doc_slack.of("chat.postMessage")
    assert len(posts) == 2 and posts[0] == posts[1]
    assert "PhD" in posts[1]["text"]


def test_retry_after_reads_every_form_http_allows() -> None:
    now = 1_700_000_000.0
    assert retry_after({"Retry-After": ["2"]}, now) == 2
    assert retry_after({"retry-after": ["1.5"]}, now) == 1.5
    assert retry_after({"Retry-After": ["Tue, 14 Nov 2023 22:13:25 GMT"]}, now) == 5
    assert retry_after({"Retry-After": ["Wed, 21 Oct 2015 07:28:00 GMT"]}, now) == 0
    assert retry_after({"Retry-After": ["soon"]}, now) == 1
    assert retry_after({"Retry-After": ["nan"]}, now) == 1
    assert retry_after({"Retry-After": ["-3"]}, now) == 0
    assert retry_after({"Retry-After": ["86400"]}, now) == RETRY_AFTER_MAX
    assert retry_after({}, now) == 1


# -- a Web API that does not answer -------------------------------------------------------------


async def test_a_web_api_that_does_not_answer_in_time_costs_one_log_line(
        doc_slack: DocSlack, service: Service, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    client = AsyncWebClient(token=TOKEN, base_url=doc_slack.url + "/api/", timeout=1)
    outsider = await _serve(doc_slack, service, tmp_path, client)
    doc_slack.delay["chat.postMessage"] = 2
    await outsider.slash(ANSWERABLE)
    assert len(doc_slack.of("chat.postMessage")) == 1  # not posted twice: it may have gone
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert any("Slack did not answer" in r.getMessage() for r in caplog.records)


# -- App Home: a DM Slack will not open ---------------------------------------------------------


async def test_an_app_home_click_whose_dm_slack_refuses_is_explained_in_a_modal(
        outsider: Outsider, doc_slack: DocSlack, no_traceback: Callable[[], None]) -> None:
    # A block_actions payload from the Home tab: `container.type` "view", a `view`, a
    # `trigger_id`, and no `response_url`, `channel` or `message`.
    doc_slack.script["conversations.open"] = [fail("cannot_dm_bot")]
    status, _ = await outsider.interaction({
        "type": "block_actions", "user": {"id": "U0MEMBER", "username": "member",
                                          "name": "member", "team_id": TEAM},
        "api_app_id": "A0APP", "token": "outside-verification", "trigger_id": "2.3.trigger",
        "team": {"id": TEAM, "domain": "outside"}, "enterprise": None,
        "is_enterprise_install": False, "container": {"type": "view", "view_id": "V0HOME"},
        "view": {"id": "V0HOME", "type": "home", "team_id": TEAM, "callback_id": "",
                 "private_metadata": "", "blocks": [], "state": {"values": {}}, "hash": "h"},
        "actions": [{"type": "button", "action_id": "cmd:0:quiz", "block_id": "b1",
                     "text": {"type": "plain_text", "text": "Start a quiz"},
                     "action_ts": "1700000400.1"}],
    })
    assert status == 200
    no_traceback()
    opened = doc_slack.of("views.open")
    assert len(opened) == 1, doc_slack.calls
    assert opened[0]["trigger_id"] == "2.3.trigger"
    view = opened[0]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "modal"
    assert "cannot_dm_bot" in json.dumps(view["blocks"])


# -- Enterprise Grid: a workspace admin, named by users.info through their workspace ----------


async def test_a_grid_workspace_admin_moderates_but_another_orgs_admin_does_not(
        outsider: Outsider, doc_slack: DocSlack, no_traceback: Callable[[], None]) -> None:
    # The slash command docs' own example carries `enterprise_id`; users.info may name only the
    # member's workspace (`team_id`), the one careerbot is installed in (auth.test's team).
    doc_slack.users["U0ADMIN"] = {"id": "U0ADMIN", "team_id": TEAM, "name": "admin",
                                  "is_admin": True}
    doc_slack.users["U0FOREIGN"] = {"id": "U0FOREIGN", "team_id": "T0OTHER", "name": "them",
                                    "is_admin": True, "is_owner": True}
    grid = {"enterprise_id": "E0GRID", "enterprise_name": "Grid"}
    await outsider.slash("add", user_id="U0ADMIN", **grid)
    assert len(doc_slack.of("views.open")) == 1, doc_slack.calls
    await outsider.slash("add", user_id="U0FOREIGN", response_url=doc_slack.response_url("r9"),
                         **grid)
    assert len(doc_slack.of("views.open")) == 1
    assert "Only moderators" in doc_slack.of("respond:r9")[-1]["text"]
    no_traceback()


# -- a response URL that refuses with 200 and a Web API style body -----------------------------


@pytest.mark.parametrize("status", [200, 404])
async def test_a_crisis_reply_a_response_url_refuses_in_json_still_reaches_the_member(
        outsider: Outsider, doc_slack: DocSlack, no_traceback: Callable[[], None],
        status: int) -> None:
    # `{"ok": false, "error": "expired_url"}` is the Web API's way of refusing; with 200 it was
    # taken for delivered, and the member in crisis got nothing.
    doc_slack.script["respond"] = [(status, {}, {"ok": False, "error": "expired_url"})]
    await outsider.slash(CRISIS)
    no_traceback()
    assert len(doc_slack.of("respond:r1")) == 1
    private = doc_slack.of("chat.postEphemeral")
    assert len(private) == 1 and private[0]["user"] == "U0MEMBER"
    assert "988" in json.dumps(private[0])
    assert doc_slack.of("chat.postMessage") == []  # never in public
