"""The bot against a third small Discord written from the public API documentation alone
(gateway v10, REST v10), not from tests/fakes/: start-up command registration, rate-limit
answers, command types and limits the other fakes never send.

Each test is a documented payload or answer that broke the bot: a bot that did not serve at
all, an interaction left unanswered, or a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from aiohttp import WSMsgType, web

from adapters.discord_bot import CareerBot, create_client
from bot.config import Settings
from bot.kb.models import KnowledgeBase
from bot.service import Service
from bot.store import Store
from tests.fakes.loopback import serve

API = "/api/v10"
APP_ID = "1500000000000000001"
GUILD_ID = "1500000000000000002"
CHANNEL_ID = "1500000000000000003"
MEMBER_ID = "1500000000000000004"
TOKEN = "third-outside-fake-token"  # the fake checks no token: nothing shaped like a real one
EPHEMERAL = 64
APPLICATION_COMMAND = 2
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE = 4, 5

_ids = itertools.count(1_500_000_000_000_100_000)


def snowflake() -> str:
    return str(next(_ids))


def user(uid: str = MEMBER_ID, name: str = "ana", *, bot: bool = False) -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": None,
            "avatar": None, "bot": bot}


def member(permissions: str = "0") -> dict[str, Any]:
    return {"user": user(), "roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False, "mute": False, "flags": 0, "permissions": permissions}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any


Responder = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class DocDiscord:
    """REST and gateway as the documentation describes them, unless a test says otherwise."""

    calls: list[Call] = field(default_factory=list)
    # (method, path suffix) -> a responder that replaces the documented answer, every time.
    overrides: dict[tuple[str, str], Responder] = field(default_factory=dict)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    seq: int = 0
    runner: web.AppRunner | None = None
    base: str = ""

    async def start(self) -> DocDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway)
        app.router.add_route("*", API + "/{tail:.*}", self.rest)
        self.runner, port = await serve(app)
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        for ws in self.sockets:
            with contextlib.suppress(Exception):
                await ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    # -- REST -------------------------------------------------------------------------------

    async def rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API):]
        raw = await request.read()
        body: Any = None
        if raw:
            with contextlib.suppress(ValueError):
                body = json.loads(raw)
        self.calls.append(Call(request.method, path, dict(request.query), body))
        for (method, suffix), responder in self.overrides.items():
            if method == request.method and path.endswith(suffix):
                return await responder(request)
        return self.documented(request.method, path, body, request.query)

    def documented(self, method: str, path: str, body: Any, query: Any) -> web.StreamResponse:
        if path == "/users/@me":
            return web.json_response(user(APP_ID, "careerbot", bot=True))
        if path == "/oauth2/applications/@me":
            return web.json_response({
                "id": APP_ID, "name": "careerbot", "icon": None, "description": "",
                "bot_public": True, "bot_require_code_grant": False, "verify_key": "00",
                "flags": 0, "owner": user("1500000000000000099", "owner")})
        if method == "PUT" and path.endswith("/commands"):
            return web.json_response([
                {"description": "", **command, "id": snowflake(), "application_id": APP_ID,
                 "version": snowflake(),
                 "default_member_permissions": command.get("default_member_permissions")}
                for command in body or []])
        if path.endswith("/callback"):
            if query.get("with_response") in ("true", "True", "1"):
                return web.json_response({"interaction": {
                    "id": path.split("/")[2], "type": 2}})
            return web.Response(status=204)
        if method == "POST" and path == "/users/@me/channels":
            return web.json_response({"id": snowflake(), "type": 1,
                                      "recipients": [user()]})
        if method == "DELETE":
            return web.Response(status=204)
        if method in ("POST", "PATCH"):
            return web.json_response(self.message(body or {}, path))
        return web.json_response({"message": "404: Not Found", "code": 0}, status=404)

    def message(self, body: dict[str, Any], path: str) -> dict[str, Any]:
        return {"id": snowflake(), "channel_id": CHANNEL_ID, "author": user(APP_ID, bot=True),
                "content": body.get("content") or "", "timestamp": "2024-01-01T00:00:00+00:00",
                "edited_timestamp": None, "tts": False, "mention_everyone": False,
                "mentions": [], "mention_roles": [], "attachments": [],
                "embeds": body.get("embeds") or [], "pinned": False, "type": 0,
                "flags": body.get("flags") or 0, "components": body.get("components") or []}

    # -- gateway ----------------------------------------------------------------------------

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                break
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif payload["op"] == 2:
                await self.send(ws, "READY", {
                    "v": 10, "user": user(APP_ID, "careerbot", bot=True), "guilds": [],
                    "session_id": "third-fake-session", "shard": [0, 1],
                    "resume_gateway_url": self.base + "/gateway",
                    "application": {"id": APP_ID, "flags": 0}})
                self.identified.set()
        return ws

    async def send(self, ws: web.WebSocketResponse, event: str, data: Any) -> None:
        self.seq += 1
        await ws.send_json({"op": 0, "t": event, "s": self.seq, "d": data})

    async def dispatch(self, event: str, data: Any) -> None:
        await self.send(self.sockets[-1], event, data)

    async def command(self, name: str, *, command_type: int = 1,
                      options: list[dict[str, Any]] | None = None,
                      permissions: str = "0", **data: Any) -> str:
        """INTERACTION_CREATE for an application command in the guild; returns its id."""
        interaction_id = snowflake()
        inner: dict[str, Any] = {"id": snowflake(), "name": name, "type": command_type, **data}
        if options is not None:
            inner["options"] = options
        await self.dispatch("INTERACTION_CREATE", {
            "id": interaction_id, "application_id": APP_ID, "type": APPLICATION_COMMAND,
            "data": inner, "guild": {"id": GUILD_ID, "locale": "en-US", "features": []},
            "guild_id": GUILD_ID, "channel_id": CHANNEL_ID,
            "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "general",
                        "position": 0, "permission_overwrites": []},
            "member": member(permissions), "token": f"interaction-token-{interaction_id}",
            "version": 1, "app_permissions": "274877991936", "locale": "en-US",
            "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID}, "context": 0,
            "attachment_size_limit": 10485760})
        return interaction_id

    def answers(self, interaction_id: str) -> list[Call]:
        """The callbacks and webhook calls that answered one interaction."""
        token = f"interaction-token-{interaction_id}"
        return [c for c in self.calls if token in c.path]

    async def wait_answer(self, interaction_id: str, within: float = 5.0) -> list[Call]:
        for _ in range(int(within / 0.05)):
            if self.answers(interaction_id):
                await asyncio.sleep(0.2)  # and whatever follows it at once
                return self.answers(interaction_id)
            await asyncio.sleep(0.05)
        return []


@pytest.fixture
async def doc() -> AsyncIterator[DocDiscord]:
    server = await DocDiscord().start()
    yield server
    await server.stop()


@pytest.fixture
def settings(tmp_path: Path, doc: DocDiscord, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # Restored after each test: the client points these class attributes at the fake.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))
    return Settings(db_path=tmp_path / "careerbot.db", discord_token=TOKEN,
                    discord_api_base=doc.base + API, discord_gateway_url=doc.base + "/gateway")


@contextlib.asynccontextmanager
async def running(doc: DocDiscord, settings: Settings, kb: KnowledgeBase, *,
                  wait_identify: float = 10.0) -> AsyncIterator[CareerBot]:
    service = Service(kb, await Store.open(settings.db_path))
    client = create_client(settings, service)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(doc.identified.wait(), wait_identify)
        if task.done():
            task.result()
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, 5)
        await service.store.close()


def content_of(calls: list[Call]) -> str:
    out: list[str] = []
    for call in calls:
        body = call.body or {}
        body = body.get("data", body) if isinstance(body, dict) else {}
        out.append(str((body or {}).get("content") or ""))
        out += [str(e.get("description") or "") for e in (body or {}).get("embeds") or []]
    return "\n".join(out)


# -- command registration at start-up ---------------------------------------------------------


@pytest.mark.parametrize("how", ["slow answer", "long 429 through Discord's edge"])
async def test_a_slow_command_registration_does_not_hold_up_serving(
        doc: DocDiscord, settings: Settings, kb: KnowledgeBase, how: str,
        caplog: pytest.LogCaptureFixture) -> None:
    """Discord may take its time over a bulk overwrite, or answer it with a 429 whose
    `retry_after` is long (discord.py waits that out itself when the answer carries the `Via`
    header every answer through Discord's edge has). The commands synced before still work
    meanwhile, so the bot must connect and answer them; it connected only once the overwrite
    was answered (up to aiohttp's five minutes, or the whole `retry_after`)."""
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.StreamResponse:
        if how == "slow answer":
            await release.wait()
            return web.json_response([])
        return web.json_response(
            {"message": "You are being rate limited.", "retry_after": 600.0, "global": False},
            status=429, headers={"Retry-After": "600", "Via": "1.1 google",
                                 "X-RateLimit-Scope": "shared"})

    doc.overrides[("PUT", "/commands")] = slow
    caplog.set_level(logging.INFO)
    try:
        async with running(doc, settings, kb, wait_identify=5.0):
            assert doc.identified.is_set(), "the bot did not connect while registering commands"
            interaction_id = await doc.command("help")
            answers = await doc.wait_answer(interaction_id)
            assert answers, "a command went unanswered while the commands were registering"
            assert answers[0].body["type"] in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE)
            # The admin's sign of life says so, and one more line when the sync is done.
            lines: list[str] = []
            for _ in range(200):
                lines = [r.getMessage() for r in caplog.records
                         if r.name == "adapters.discord_bot"]
                if any("connected as" in line for line in lines):
                    break
                await asyncio.sleep(0.05)
            assert any("commands still syncing" in line for line in lines), lines
            if how == "slow answer":
                release.set()
                for _ in range(100):
                    if any(line.endswith("commands synced (global)") for line in
                           (r.getMessage() for r in caplog.records)):
                        break
                    await asyncio.sleep(0.05)
                else:
                    raise AssertionError("no line said the commands were synced")
    finally:
        release.set()


@pytest.mark.parametrize(("status", "answer", "headers"), [
    (429, {"message": "You are being rate limited.", "retry_after": 3600.0, "global": False},
     {"Retry-After": "3600", "X-RateLimit-Scope": "shared"}),
    (400, {"code": 50035, "message": "Invalid Form Body", "errors": {"0": {"description": {
        "_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be between 1 and 100 in "
                     "length."}]}}}}, {}),
    (403, {"message": "Missing Access", "code": 50001}, {}),
])
async def test_a_refused_command_registration_is_one_line_and_the_bot_serves(
        doc: DocDiscord, settings: Settings, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture,
        status: int, answer: dict[str, Any], headers: dict[str, str]) -> None:
    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.json_response(answer, status=status, headers=headers)

    doc.overrides[("PUT", "/commands")] = refuse
    with caplog.at_level(logging.INFO):
        async with running(doc, settings, kb, wait_identify=5.0):
            assert doc.identified.is_set()
            interaction_id = await doc.command("help")
            assert await doc.wait_answer(interaction_id)
            await asyncio.sleep(2.5)  # the sign of life after READY
    lines = [r.getMessage() for r in caplog.records if r.name == "adapters.discord_bot"]
    refused = [line for line in lines if "could not sync" in line]
    assert len(refused) == 1 and f"HTTP {status}" in refused[0], lines
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


# -- interactions the bot did not register -----------------------------------------------------


async def test_an_entry_point_command_gets_the_out_of_date_note(
        doc: DocDiscord, settings: Settings, kb: KnowledgeBase,
        caplog: pytest.LogCaptureFixture) -> None:
    """Discord documents application command type 4, PRIMARY_ENTRY_POINT (an Activity's
    launch command). discord.py knows types 1-3 only: its error for an unknown command raised a
    ValueError of its own, the interaction got no answer ("This interaction failed") and a
    traceback was logged."""
    async with running(doc, settings, kb):
        interaction_id = await doc.command("launch", command_type=4)
        answers = await doc.wait_answer(interaction_id)
    assert answers, "the command went unanswered"
    assert answers[0].body["type"] == CHANNEL_MESSAGE
    assert answers[0].body["data"]["flags"] & EPHEMERAL
    assert "out of date" in content_of(answers)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
