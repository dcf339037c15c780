"""Socket Mode against a small fake Slack written from Slack's docs (third outside review).

`apps.connections.open` "generates a temporary Socket Mode WebSocket URL": one that Slack
refuses (an expired ticket, a handshake its edge answers with an error) never works again. The
fake here issues a URL whose handshake is refused, then good ones; careerbot must ask for a new
URL and serve, rather than knock on the refused one for ever.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from pydantic import SecretStr

from adapters import slack_app
from bot.config import Settings
from bot.service import Service
from tests.fakes.loopback import serve

BOT_TOKEN = "test-bot-token"
APP_TOKEN = "test-app-token"


@dataclass
class FakeSlack:
    """The Web API methods careerbot calls, and the Socket Mode WebSocket."""

    refused_tickets: set[str] = field(default_factory=set)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    tickets_tried: list[str] = field(default_factory=list)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    issued: int = 0
    base: str = ""

    def posted(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.method == "GET":
            params: dict[str, Any] = dict(request.query)
        elif request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        self.calls.append((method, params))
        body: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            body |= {"user_id": "UBOT", "user": "careerbot", "team_id": "T1", "team": "One"}
        elif method == "apps.connections.open":
            self.issued += 1
            body["url"] = f"{self.base.replace('http', 'ws', 1)}/link/?ticket=t{self.issued}&app_id=A1"
        elif method == "users.info":
            body["user"] = {"id": params.get("user", ""), "team_id": "T1"}
        elif method == "chat.postMessage":
            body |= {"channel": params.get("channel"), "ts": "2000.000100"}
        return web.json_response(body)

    async def link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        self.tickets_tried.append(ticket)
        if ticket in self.refused_tickets:
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": "A1"}}))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return ws


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    app = web.Application()
    app.router.add_route("*", "/api/{method}", slack.api)
    app.router.add_get("/link/", slack.link)
    runner, port = await serve(app)
    slack.base = f"http://127.0.0.1:{port}"
    yield slack
    await runner.cleanup()


async def _eventually(check: Any, seconds: float = 8.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if check():
            return True
        await asyncio.sleep(0.05)
    return bool(check())


def _mention(event_id: str) -> dict[str, Any]:
    return {
        "type": "events_api", "envelope_id": f"env-{event_id}", "accepts_response_payload": False,
        "retry_attempt": 0, "retry_reason": "",
        "payload": {
            "type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": event_id,
            "event_time": 1700000000,
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            "event": {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000000.000100",
                      "event_ts": "1700000000.000100",
                      "text": "<@UBOT> do I need a PhD to work at DeepMind?"},
        },
    }


async def test_socket_mode_asks_for_a_new_url_when_slack_refuses_one(
    fake: FakeSlack, service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(slack_app, "SOCKET_PING_SECONDS", 0.2)
    fake.refused_tickets.add("t1")
    settings = Settings(slack_bot_token=SecretStr(BOT_TOKEN), slack_app_token=SecretStr(APP_TOKEN),
                        slack_api_url=fake.base + "/api/", db_path=tmp_path / "careerbot.db")
    task = asyncio.create_task(slack_app.run(settings, service))
    try:
        assert await _eventually(lambda: fake.sockets), (
            f"never connected; tickets tried: {fake.tickets_tried}")
        assert fake.tickets_tried[0] == "t1" and fake.tickets_tried.count("t1") == 1
        await fake.sockets[-1].send_str(json.dumps(_mention("Ev1")))
        assert await _eventually(lambda: fake.posted("chat.postMessage"))
        assert {"envelope_id": "env-Ev1"} in fake.acks
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert BOT_TOKEN not in caplog.text and APP_TOKEN not in caplog.text


async def test_socket_mode_keeps_serving_when_the_url_after_a_refresh_is_refused(
    fake: FakeSlack, service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Slack sends `disconnect` (reason `refresh_requested`) before it closes a connection; the
    # URL issued for the next one may be refused as well.
    monkeypatch.setattr(slack_app, "SOCKET_PING_SECONDS", 0.2)
    fake.refused_tickets.add("t2")
    settings = Settings(slack_bot_token=SecretStr(BOT_TOKEN), slack_app_token=SecretStr(APP_TOKEN),
                        slack_api_url=fake.base + "/api/", db_path=tmp_path / "careerbot.db")
    task = asyncio.create_task(slack_app.run(settings, service))
    try:
        assert await _eventually(lambda: fake.sockets)
        await fake.sockets[-1].send_str(json.dumps(
            {"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "h"}}))
        assert await _eventually(lambda: len(fake.sockets) == 2), (
            f"no new connection; tickets tried: {fake.tickets_tried}")
        assert fake.tickets_tried.count("t2") == 1
        await fake.sockets[-1].send_str(json.dumps(_mention("Ev2")))
        assert await _eventually(lambda: fake.posted("chat.postMessage"))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
