"""The bot against a second small Discord written from the public API documentation alone
(gateway v10, REST v10), not from tests/fakes/: every payload and answer is one the
documentation allows, with what it marks optional left out unless a test puts it in.

Each test is a documented shape or answer that broke the bot: a reply shown twice or with an
apology after it, a private reply made public, an interaction left unanswered, or a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import zlib
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
APP_ID = "1400000000000000001"
GUILD_ID = "1400000000000000002"
CHANNEL_ID = "1400000000000000003"
MEMBER_ID = "1400000000000000004"
TOKEN = "second-outside-fake-token"  # the fake checks no token: nothing shaped like a real one
QUESTION = "do I need a PhD to work at DeepMind?"
EPHEMERAL = 64
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE = 4, 5, 6

_ids = itertools.count(1_400_000_000_000_100_000)


def snowflake() -> str:
    return str(next(_ids))


def user(uid: str = MEMBER_ID, name: str = "ana") -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": None,
            "avatar": None}


def member(permissions: str = "0") -> dict[str, Any]:
    return {"user": user(), "roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False, "mute": False, "flags": 0, "permissions": permissions}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any


Responder = Callable[[web.Request, Any], Awaitable[web.StreamResponse | None]]


@dataclass
class OutsideDiscord:
    """REST and gateway, answering as the documentation says unless a test says otherwise."""

    calls: list[Call] = field(default_factory=list)
    # (method, path regex) -> responders used once each, in order, before the default answer.
    overrides: list[tuple[str, str, Responder]] = field(default_factory=list)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    identifies: int = 0
    heartbeats: int = 0
    resumes: int = 0
    seq: int = 0
    # The callback answer: "documented" (200 + callback object when with_response, else 204),
    # "204" (always no content) or "empty200" (200 with no body).
    callback_answer: str = "documented"
    # Gateway knobs: zlib-stream frames, the HELLO interval, and whether heartbeats are ACKed.
    compress: bool = False
    heartbeat_ms: int = 41250
    ack: bool = True
    _zlib: Any = None
    ready_guilds: list[dict[str, Any]] = field(
        default_factory=lambda: [{"id": GUILD_ID, "unavailable": True}])
    runner: web.AppRunner | None = None
    base: str = ""

    async def start(self) -> OutsideDiscord:
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

    # -- helpers for tests ------------------------------------------------------------------

    def on(self, method: str, pattern: str, responder: Responder) -> None:
        self.overrides.append((method, pattern, responder))

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.search(pattern, c.path)]

    async def dispatch(self, event: str, data: dict[str, Any] | None) -> None:
        self.seq += 1
        await self.send(self.sockets[-1], {"op": 0, "t": event, "s": self.seq, "d": data})

    async def send_op(self, op: int, data: Any = None) -> None:
        await self.send(self.sockets[-1], {"op": op, "d": data, "s": None, "t": None})

    async def send(self, ws: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        text = json.dumps(payload)
        if not self.compress:
            await ws.send_str(text)
            return
        await ws.send_bytes(self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH))

    # -- gateway ------------------------------------------------------------------------------

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        self._zlib = zlib.compressobj()
        await self.send(ws, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms},
                             "s": None, "t": None})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op = payload.get("op")
            if op == 1:
                self.heartbeats += 1
                if self.ack:
                    await self.send(ws, {"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                self.identifies += 1
                self.seq += 1
                await self.send(ws, {"op": 0, "t": "READY", "s": self.seq, "d": {
                    "v": 10, "user": {**user(APP_ID, "careerbot"), "bot": True},
                    "guilds": self.ready_guilds, "session_id": f"session-{self.identifies}",
                    "resume_gateway_url": f"{self.base.replace('http', 'ws')}/gateway",
                    "application": {"id": APP_ID, "flags": 0}}})
                self.identified.set()
            elif op == 6:
                self.resumes += 1
                self.seq += 1
                await self.send(ws, {"op": 0, "t": "RESUMED", "s": self.seq, "d": None})
                self.identified.set()
        return ws

    # -- REST ---------------------------------------------------------------------------------

    async def rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json":
                body = json.loads(raw)
            elif request.content_type.startswith("multipart/"):
                body = {"multipart": raw.decode(errors="replace")}
        self.calls.append(Call(request.method, path, dict(request.query), body))
        for i, (method, pattern, responder) in enumerate(self.overrides):
            if method == request.method and re.fullmatch(pattern, path):
                del self.overrides[i]
                answer = await responder(request, body)
                if answer is not None:
                    return answer
                break
        return await self.default(request, path, body)

    async def default(self, request: web.Request, path: str, body: Any) -> web.StreamResponse:
        m = request.method
        if m == "GET" and path == "/users/@me":
            return web.json_response({**user(APP_ID, "careerbot"), "bot": True})
        if m == "GET" and path == "/oauth2/applications/@me":
            return web.json_response({
                "id": APP_ID, "name": "careerbot", "icon": None, "description": "",
                "bot_public": True, "bot_require_code_grant": False, "verify_key": "00",
                "team": None, "flags": 0,
                "owner": user("1400000000000000999", "owner")})
        if m == "GET" and path == "/gateway/bot":
            return web.json_response({
                "url": self.base.replace("http", "ws") + "/gateway", "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999,
                                        "reset_after": 1000, "max_concurrency": 1}})
        if m == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            return web.json_response([
                {"description": "", **c, "id": snowflake(), "application_id": APP_ID,
                 "version": snowflake(),
                 "default_member_permissions": c.get("default_member_permissions")}
                for c in body or []])
        if m == "POST" and (match := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback",
                                                  path)):
            return self.callback_answer_for(request, match[1], body)
        if m == "PATCH" and re.fullmatch(r"/webhooks/\d+/[^/]+/messages/[^/]+", path):
            return web.json_response(self.message(body or {}))
        if m == "DELETE" and re.fullmatch(r"/webhooks/\d+/[^/]+/messages/[^/]+", path):
            return web.Response(status=204)
        if m == "POST" and re.fullmatch(r"/webhooks/\d+/[^/]+", path):
            if request.query.get("wait") in ("1", "true"):
                return web.json_response(self.message(body or {}))
            return web.Response(status=204)
        if m == "POST" and path == "/users/@me/channels":
            return web.json_response({"id": "1400000000000000777", "type": 1,
                                      "recipients": [user()]})
        if m == "POST" and (match := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return web.json_response(self.message(body or {}, channel_id=match[1]))
        return web.json_response({"message": "404: Not Found", "code": 0}, status=404)

    def callback_answer_for(self, request: web.Request, interaction_id: str, body: Any
                            ) -> web.Response:
        if self.callback_answer == "204":
            return web.Response(status=204)
        if self.callback_answer == "empty200":
            return web.Response(status=200)
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        kind = (body or {}).get("type")
        flags = ((body or {}).get("data") or {}).get("flags") or 0
        resource: dict[str, Any] = {"type": kind}
        if kind in (CHANNEL_MESSAGE, 7):
            resource["message"] = self.message((body or {}).get("data") or {})
        return web.json_response({
            "interaction": {"id": interaction_id, "type": 2,
                            "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                            "response_message_ephemeral": bool(flags & EPHEMERAL)},
            "resource": resource})

    def message(self, body: dict[str, Any], channel_id: str = CHANNEL_ID) -> dict[str, Any]:
        return {"id": snowflake(), "channel_id": channel_id,
                "author": {**user(APP_ID, "careerbot"), "bot": True},
                "content": body.get("content") or "", "timestamp": "2024-01-01T00:00:00+00:00",
                "edited_timestamp": None, "tts": False, "mention_everyone": False,
                "mentions": [], "mention_roles": [], "attachments": [],
                "embeds": body.get("embeds") or [], "pinned": False, "type": 0,
                "flags": body.get("flags") or 0, "components": body.get("components") or []}

    # -- what the member saw ------------------------------------------------------------------

    def callbacks(self) -> list[dict[str, Any]]:
        return [c.body for c in self.calls_to("POST", r"/interactions/\d+/[^/]+/callback")]

    def followups(self) -> list[Call]:
        return self.calls_to("POST", r"/webhooks/\d+/[^/]+")


def slash(name: str, options: list[dict[str, Any]] | None = None, **extra: Any
          ) -> dict[str, Any]:
    """A documented APPLICATION_COMMAND interaction from a server channel."""
    data: dict[str, Any] = {"id": snowflake(), "name": name, "type": 1}
    if options is not None:
        data["options"] = options
    payload: dict[str, Any] = {
        "id": snowflake(), "application_id": APP_ID, "type": APPLICATION_COMMAND, "data": data,
        "guild_id": GUILD_ID, "channel_id": CHANNEL_ID,
        "channel": {"id": CHANNEL_ID, "type": 0}, "member": member(),
        "token": f"itoken-{snowflake()}", "version": 1, "app_permissions": "2147485696",
        "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID}, "context": 0,
        "attachment_size_limit": 10485760}
    payload.update(extra)
    return payload


def ask(text: str, **extra: Any) -> dict[str, Any]:
    return slash("ask", [{"name": "question", "type": 3, "value": text}], **extra)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
async def discord_fake() -> AsyncIterator[OutsideDiscord]:
    server = await OutsideDiscord().start()
    yield server
    await server.stop()


@pytest.fixture
def outside_settings(tmp_path: Path, discord_fake: OutsideDiscord,
                     monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))
    return Settings(db_path=tmp_path / "careerbot.db", discord_token=TOKEN,
                    discord_api_base=discord_fake.base + API,
                    discord_gateway_url=discord_fake.base.replace("http", "ws") + "/gateway")


@contextlib.asynccontextmanager
async def running(fake: OutsideDiscord, settings: Settings, kb: KnowledgeBase,
                  **options: Any) -> AsyncIterator[CareerBot]:
    service = Service(kb, await Store.open(settings.db_path))
    client = create_client(settings, service, **options)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        for _ in range(200):
            if fake.identified.is_set():
                break
            if task.done():
                task.result()
            await asyncio.sleep(0.05)
        assert fake.identified.is_set(), "the bot never identified"
        await asyncio.sleep(0.1)
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, 5)
        await service.store.close()


async def settle(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Wait until `condition()` holds (at most `within` seconds), then a little longer for
    anything the bot would send after it."""
    for _ in range(int(within / 0.02)):
        if condition():
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


APOLOGY = "Discord would not show that reply"


def apologies(fake: OutsideDiscord) -> list[Call]:
    return [c for c in fake.calls if APOLOGY in json.dumps(c.body or {})]


def mod_command(sub: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    payload = slash("faqadmin", [{"name": sub, "type": 1, "options": options}])
    payload["member"] = member(str(1 << 5))  # MANAGE_GUILD
    return payload


# -- the interaction callback answered without the callback object ----------------------------


@pytest.mark.parametrize("answer", ["204", "empty200"])
async def test_a_reply_accepted_without_a_callback_object_is_shown_once_without_an_apology(
        discord_fake: OutsideDiscord, outside_settings: Settings, kb: KnowledgeBase,
        caplog: pytest.LogCaptureFixture, answer: str) -> None:
    """Create Interaction Response is documented to answer 204 No Content (the callback object
    only with `with_response`); discord.py read the object unguarded, so the member saw the
    answer followed by "Sorry, Discord would not show that reply"."""
    discord_fake.callback_answer = answer
    async with running(discord_fake, outside_settings, kb):
        await discord_fake.dispatch("INTERACTION_CREATE", ask(QUESTION))
        await settle(lambda: len(discord_fake.callbacks()) >= 1)
    assert [c["type"] for c in discord_fake.callbacks()] == [CHANNEL_MESSAGE]
    assert "PhD" in json.dumps(discord_fake.callbacks()[0])
    assert apologies(discord_fake) == [] and discord_fake.followups() == []
    assert tracebacks(caplog) == []


async def test_a_deferred_reply_is_delivered_when_the_defer_is_answered_with_204(
        discord_fake: OutsideDiscord, outside_settings: Settings, kb: KnowledgeBase,
        caplog: pytest.LogCaptureFixture) -> None:
    """A slow core: the defer was "refused" by the TypeError, the apology took the placeholder's
    place and the answer itself was never sent."""
    discord_fake.callback_answer = "204"
    async with running(discord_fake, outside_settings, kb, response_budget=0.0):
        await discord_fake.dispatch("INTERACTION_CREATE", ask(QUESTION))
        await settle(lambda: bool(discord_fake.calls_to("PATCH", r"/webhooks/.*@original")))
    assert [c["type"] for c in discord_fake.callbacks()] == [DEFERRED_CHANNEL_MESSAGE]
    edits = discord_fake.calls_to("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert len(edits) == 1 and "PhD" in json.dumps(edits[0].body)
    assert apologies(discord_fake) == []
    assert tracebacks(caplog) == []


async def test_a_form_opened_with_a_204_answer_is_not_followed_by_an_apology(
        discord_fake: OutsideDiscord, outside_settings: Settings, kb: KnowledgeBase,
        caplog: pytest.LogCaptureFixture) -> None:
    discord_fake.callback_answer = "204"
    async with running(discord_fake, outside_settings, kb):
        await discord_fake.dispatch("INTERACTION_CREATE", mod_command(
            "add", [{"name": "question", "type": 3, "value": "Is Kaggle useful?"}]))
        await settle(lambda: len(discord_fake.callbacks()) >= 1)
    assert [c["type"] for c in discord_fake.callbacks()] == [9]  # MODAL
    assert apologies(discord_fake) == [] and discord_fake.followups() == []
    assert tracebacks(caplog) == []


# -- the gateway --------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True])
async def test_the_bot_keeps_serving_after_a_resume_whose_event_has_no_data(
        discord_fake: OutsideDiscord, outside_settings: Settings, kb: KnowledgeBase,
        compress: bool) -> None:
    """RECONNECT (op 7), then RESUMED with `"d": null` (the documentation gives RESUMED no
    fields and a payload's `d` as nullable): discord.py wrote into the data before any parser
    and the TypeError ended `client.start`: the bot stopped at its first resume."""
    discord_fake.compress = compress
    async with running(discord_fake, outside_settings, kb):
        discord_fake.identified.clear()
        await discord_fake.send_op(7)
        await settle(lambda: discord_fake.resumes >= 1 and discord_fake.identified.is_set())
        await discord_fake.dispatch("INTERACTION_CREATE", ask(QUESTION))
        await settle(lambda: len(discord_fake.callbacks()) >= 1)
        assert discord_fake.resumes == 1 and discord_fake.identifies == 1
        assert [c["type"] for c in discord_fake.callbacks()] == [CHANNEL_MESSAGE]


# -- messages -------------------------------------------------------------------------------


def mention(content: str | None = None, **extra: Any) -> dict[str, Any]:
    """A documented MESSAGE_CREATE mentioning the bot in a server channel."""
    data: dict[str, Any] = {
        "id": snowflake(), "channel_id": CHANNEL_ID, "author": user(),
        "content": f"<@{APP_ID}> {QUESTION}" if content is None else content,
        "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mentions": [{**user(APP_ID, "careerbot"), "bot": True}],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0,
        "guild_id": GUILD_ID,
        "member": {"roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False,
                   "mute": False, "flags": 0}}
    data.update(extra)
    return data


def refuse(status: int, code: int, message: str) -> Responder:
    async def responder(request: web.Request, body: Any) -> web.Response:
        return web.json_response({"message": message, "code": code}, status=status)
    return responder


async def test_an_answer_whose_question_is_gone_is_posted_when_the_reply_gets_404(
        discord_fake: OutsideDiscord, outside_settings: Settings, kb: KnowledgeBase) -> None:
    """A reply's `message_reference.fail_if_not_exists` defaults to true: replying to a message
    deleted meanwhile fails, here as 404 Unknown Message (10008). The bot posted the answer
    without the reply only on a 400 naming `message_reference`; on the 404 it was lost."""
    discord_fake.on("POST", rf"/channels/{CHANNEL_ID}/messages",
                    refuse(404, 10008, "Unknown Message"))
    async with running(discord_fake, outside_settings, kb):
        await discord_fake.dispatch("MESSAGE_CREATE", mention())
        await settle(lambda: len(discord_fake.calls_to("POST", r"/channels/\d+/messages")) >= 2)
    posts = discord_fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert len(posts) == 2
    assert "message_reference" in posts[0].body and "message_reference" not in posts[1].body
    assert "PhD" in json.dumps(posts[1].body)


async def test_a_direct_message_from_the_discord_system_user_is_not_answered(
        discord_fake: OutsideDiscord, outside_settings: Settings, kb: KnowledgeBase) -> None:
    """The user object's `system` marks an Official Discord System user (its `bot` is absent):
    the bot took its DM for a member's question and answered it (a refused 403 at best)."""
    dm = mention(QUESTION, channel_id="1400000000000000777", mentions=[],
                 author={"id": "1400000000000000888", "username": "Discord",
                         "discriminator": "0000", "avatar": None, "system": True})
    del dm["guild_id"], dm["member"]
    async with running(discord_fake, outside_settings, kb):
        await discord_fake.dispatch("MESSAGE_CREATE", dm)
        await settle(lambda: False, within=1.0)
    assert discord_fake.calls_to("POST", r"/channels/\d+/messages") == []
