"""Fourth outside review of the Discord adapter, against a fake Discord written from Discord's
public API documentation (developers/topics/rate-limits, interactions/receiving-and-responding,
resources/message, topics/gateway, topics/opcodes-and-status-codes), not from the project's own
fakes: an aiohttp server on 127.0.0.1 that serves the REST routes the bot calls and a gateway
websocket (HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, zlib-stream frames) that
dispatches the events a test hands it.

Where the documentation leaves a header out and discord.py depends on it: real Discord answers
through Google's front end, so every answer carries `Via: 1.1 google`; discord.py reads a 429
without it as a Cloudflare ban.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import time
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import pytest
from aiohttp import WSMsgType, web
from discord.gateway import DiscordWebSocket

from adapters.discord_bot import create_client
from bot.config import Settings
from bot.replies import Context, Reply
from tests.fakes.loopback import serve

APP_ID = "700000000000000001"
BOT_ID = "700000000000000001"
GUILD_ID = "700000000000000100"
CHANNEL_ID = "700000000000000200"
MEMBER_ID = "700000000000000300"
ROLE_EVERYONE = GUILD_ID
TOKEN = "fake"  # not token-shaped; the fake checks no token

Handler = Callable[[web.Request, dict[str, Any] | None], Awaitable[web.StreamResponse | None]]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=json.dumps(data), content_type="application/json",
                        headers={"Via": "1.1 google", **(headers or {})})


def error_response(status: int, code: int, message: str) -> web.Response:
    """Discord's JSON error body (opcodes-and-status-codes: code + message)."""
    return _json({"code": code, "message": message}, status)


def rate_limited(retry_after: float, *, scope: str = "shared", bucket: str = "b1") -> web.Response:
    """A 429 as rate-limits.mdx shows it ("Example Exceeded Resource Rate Limit Response")."""
    return _json({"message": "The resource is being rate limited.", "retry_after": retry_after,
                  "global": False}, 429, {
        "Retry-After": str(int(retry_after) + 1), "X-RateLimit-Limit": "10",
        "X-RateLimit-Remaining": "9", "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.2f}", "X-RateLimit-Bucket": bucket,
        "X-RateLimit-Scope": scope})


class FakeDiscord:
    """REST + gateway. `rules` maps (METHOD, path regex) to a handler that may answer instead
    of the default (return None to fall through); `calls` records every REST call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.rules: list[tuple[str, re.Pattern[str], Handler]] = []
        self.sockets: list[web.WebSocketResponse] = []
        self._ids = itertools.count(800000000000000000)
        self._seq = itertools.count(1)
        self._compressors: dict[int, Any] = {}
        self.identified = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.base = ""
        self.guild: dict[str, Any] = guild_payload()

    def snowflake(self) -> str:
        return str(next(self._ids))

    def on(self, method: str, path: str, handler: Handler) -> None:
        self.rules.insert(0, (method, re.compile(path), handler))

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.calls if method is None or m == method]

    def bodies(self, method: str, path: str) -> list[Any]:
        return [b for m, p, b in self.calls if m == method and re.fullmatch(path, p)]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        self.runner, port = await serve(app)
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for ws in self.sockets:
            with contextlib.suppress(Exception):
                await ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    # -- REST ---------------------------------------------------------------------------------

    async def rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "multipart/form-data":
                form = await request.post()
                raw = form.get("payload_json")
                body = json.loads(raw) if isinstance(raw, str) else {}
            else:
                text = await request.text()
                body = json.loads(text) if text else None
        self.calls.append((request.method, path, body))
        for method, pattern, handler in self.rules:
            if method == request.method and pattern.fullmatch(path):
                answer = await handler(request, body)
                if answer is not None:
                    return answer
        return await self.default(request.method, path, body)

    async def default(self, method: str, path: str, body: Any) -> web.StreamResponse:
        if method == "GET" and path == "/users/@me":
            return _json(user_payload(BOT_ID, "careerbot", bot=True))
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json({"id": APP_ID, "name": "careerbot", "icon": None, "description": "",
                          "bot_public": True, "bot_require_code_grant": False,
                          "verify_key": "00", "flags": 0,
                          "owner": user_payload("700000000000000009", "owner")})
        if method == "POST" and re.fullmatch(r"/interactions/\d+/[^/]+/callback", path):
            interaction_id = path.split("/")[2]
            kind = (body or {}).get("type")
            data = (body or {}).get("data") or {}
            ephemeral = bool(data.get("flags", 0) & 64)
            callback: dict[str, Any] = {"interaction": {"id": interaction_id, "type": 2}}
            if kind in (4, 5, 7):
                message = self.message(data, CHANNEL_ID, author=user_payload(
                    BOT_ID, "careerbot", bot=True))
                callback["interaction"].update(response_message_id=message["id"],
                                               response_message_loading=kind == 5,
                                               response_message_ephemeral=ephemeral)
                callback["resource"] = {"type": kind, "message": message}
            else:
                callback["resource"] = {"type": kind}
            return _json(callback)
        if re.fullmatch(r"/webhooks/\d+/[^/]+(/messages/[^/]+)?", path):
            if method == "DELETE":
                return web.Response(status=204, headers={"Via": "1.1 google"})
            return _json(self.message(body or {}, CHANNEL_ID, author=user_payload(
                BOT_ID, "careerbot", bot=True), webhook=True))
        if method == "POST" and path == "/users/@me/channels":
            return _json({"id": "700000000000000777", "type": 1, "last_message_id": None,
                          "recipients": [user_payload(body["recipient_id"], "member")]})
        match = re.fullmatch(r"/channels/(\d+)/messages", path)
        if method == "POST" and match:
            return _json(self.message(body or {}, match[1],
                                      author=user_payload(BOT_ID, "careerbot", bot=True)))
        if method == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            return _json([{"description": "", **c, "id": self.snowflake(),
                           "application_id": APP_ID, "version": "1",
                           "type": c.get("type", 1)} for c in body or []])
        return error_response(404, 0, "404: Not Found")

    def message(self, data: dict[str, Any], channel_id: str, *, author: dict[str, Any],
                webhook: bool = False) -> dict[str, Any]:
        out = {"id": self.snowflake(), "channel_id": channel_id, "author": author,
               "content": data.get("content") or "", "timestamp": "2025-01-01T00:00:00+00:00",
               "edited_timestamp": None, "tts": False, "mention_everyone": False,
               "mentions": [], "mention_roles": [], "attachments": [],
               "embeds": data.get("embeds") or [], "pinned": False, "type": 0,
               "components": data.get("components") or [], "flags": data.get("flags", 0)}
        if webhook:
            out["webhook_id"] = APP_ID
        if data.get("message_reference"):
            out["type"] = 19
            out["message_reference"] = data["message_reference"]
        return out

    # -- gateway ------------------------------------------------------------------------------

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        if request.query.get("compress") == "zlib-stream":
            self._compressors[id(ws)] = zlib.compressobj()
        await self.send(ws, {"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await self.send(ws, {"op": 11, "d": None, "s": None, "t": None})
            elif payload["op"] == 2:
                await self.dispatch("READY", {
                    "v": 10, "user": user_payload(BOT_ID, "careerbot", bot=True),
                    "guilds": [{"id": GUILD_ID, "unavailable": True}],
                    "session_id": "s1", "resume_gateway_url": self.base + "/gateway",
                    "application": {"id": APP_ID, "flags": 0}}, ws)
                await self.dispatch("GUILD_CREATE", self.guild, ws)
                self.identified.set()
        return ws

    async def send(self, ws: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload)
        compressor = self._compressors.get(id(ws))
        if compressor is None:
            await ws.send_str(raw)
        else:  # zlib-stream: one shared context, each payload ends with Z_SYNC_FLUSH
            await ws.send_bytes(compressor.compress(raw.encode()) +
                                compressor.flush(zlib.Z_SYNC_FLUSH))

    async def dispatch(self, name: str, data: Any, ws: web.WebSocketResponse | None = None
                       ) -> None:
        target = ws or self.sockets[-1]
        await self.send(target, {"op": 0, "t": name, "s": next(self._seq), "d": data})


def user_payload(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": user_id, "username": name, "discriminator": "0",
                           "global_name": None, "avatar": None}
    if bot:
        out["bot"] = True
    return out


def channel_payload(channel_id: str = CHANNEL_ID, kind: int = 0, **extra: Any) -> dict[str, Any]:
    return {"id": channel_id, "type": kind, "guild_id": GUILD_ID, "name": "general",
            "position": 0, "permission_overwrites": [], "nsfw": False, "topic": None,
            "last_message_id": None, "parent_id": None, "rate_limit_per_user": 0, **extra}


def guild_payload() -> dict[str, Any]:
    return {
        "id": GUILD_ID, "name": "ML careers", "icon": None, "splash": None,
        "discovery_splash": None, "owner_id": "700000000000000009", "afk_channel_id": None,
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "features": [], "mfa_level": 0, "application_id": None,
        "system_channel_id": None, "system_channel_flags": 0, "rules_channel_id": None,
        "vanity_url_code": None, "description": None, "banner": None, "premium_tier": 0,
        "preferred_locale": "en-US", "public_updates_channel_id": None, "nsfw_level": 0,
        "premium_progress_bar_enabled": False, "safety_alerts_channel_id": None,
        "emojis": [], "stickers": [],
        "roles": [{"id": ROLE_EVERYONE, "name": "@everyone", "color": 0, "hoist": False,
                   "position": 0, "permissions": "1024", "managed": False,
                   "mentionable": False, "flags": 0}],
        "joined_at": "2025-01-01T00:00:00+00:00", "large": False, "unavailable": False,
        "member_count": 2, "voice_states": [], "members": [], "presences": [],
        "channels": [channel_payload(),
                     channel_payload("700000000000000220", 15, name="careers-forum",
                                     available_tags=[], default_reaction_emoji=None),
                     channel_payload("700000000000000230", 2, name="Voice", bitrate=64000,
                                     user_limit=0, rtc_region=None)],
        "threads": [], "stage_instances": [],
        "guild_scheduled_events": [], "soundboard_sounds": [],
    }


def member_payload(user_id: str = MEMBER_ID, *, roles: list[str] | None = None
                   ) -> dict[str, Any]:
    return {"user": user_payload(user_id, "member"), "nick": None, "avatar": None,
            "roles": roles if roles is not None else [], "joined_at": "2025-01-01T00:00:00+00:00",
            "deaf": False, "mute": False, "flags": 0, "pending": False,
            "permissions": "2248473465835073"}


def interaction_payload(fake: FakeDiscord, kind: int, data: dict[str, Any] | None, **extra: Any
                        ) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": fake.snowflake(), "application_id": APP_ID, "type": kind,
        "guild_id": GUILD_ID, "guild": {"id": GUILD_ID, "locale": "en-US", "features": []},
        "channel_id": CHANNEL_ID, "channel": channel_payload(),
        "member": member_payload(), "token": "itoken" + fake.snowflake(), "version": 1,
        "app_permissions": "2248473465835073", "locale": "en-US", "guild_locale": "en-US",
        "entitlements": [], "authorizing_integration_owners": {"0": GUILD_ID}, "context": 0,
        "attachment_size_limit": 10485760,
    }
    if data is not None:
        out["data"] = data
    out.update(extra)
    return out


def slash(fake: FakeDiscord, name: str, options: list[dict[str, Any]] | None = None,
          kind: int = 2, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": fake.snowflake(), "name": name, "type": 1}
    if options is not None:
        data["options"] = options
    return interaction_payload(fake, kind, data, **extra)


def message_payload(fake: FakeDiscord, content: str, **extra: Any) -> dict[str, Any]:
    out = {"id": fake.snowflake(), "channel_id": CHANNEL_ID, "guild_id": GUILD_ID,
           "author": user_payload(MEMBER_ID, "member"), "member": {
               k: v for k, v in member_payload().items() if k != "user"},
           "content": content, "timestamp": "2025-01-01T00:00:00+00:00",
           "edited_timestamp": None, "tts": False, "mention_everyone": False,
           "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
           "pinned": False, "type": 0, "flags": 0, "components": []}
    out.update(extra)
    return out


def mention(fake: FakeDiscord, text: str, **extra: Any) -> dict[str, Any]:
    return message_payload(fake, f"<@{BOT_ID}> {text}",
                           mentions=[user_payload(BOT_ID, "careerbot", bot=True)], **extra)


# -- a core that answers what a test tells it ------------------------------------------------


class StubCore:
    def __init__(self) -> None:
        self.events: list[Any] = []
        self.answer: Callable[[Any], Reply] = lambda event: Reply(kind="text", body="ok")

    async def handle(self, event: Any) -> Reply:
        self.events.append(event)
        return self.answer(event)

    async def resolve(self, ctx: Context) -> Context:
        return ctx

    async def suggest(self, community: str, text: str, limit: int = 25) -> list[Any]:
        return []

    def quiz_titles(self) -> dict[str, str]:
        return {"ml": "Which ML role fits you?"}


@pytest.fixture
async def discord_env(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    fake = FakeDiscord()
    await fake.start()
    core = StubCore()
    settings = Settings(discord_token=TOKEN, discord_api_base=fake.base + "/api/v10",
                        discord_gateway_url=fake.base + "/gateway")
    client = create_client(settings, core, sync_commands=False, guild_ready_timeout=0.1)
    runner = asyncio.create_task(client.start(TOKEN))
    await asyncio.wait_for(client.wait_until_ready(), 10)
    try:
        yield fake, client, core
    finally:
        await client.close()
        runner.cancel()
        with contextlib.suppress(BaseException):
            await runner
        await fake.stop()


async def until(check: Callable[[], Any], timeout: float = 5.0) -> Any:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.02)
    return check()


def callbacks(fake: FakeDiscord) -> list[Any]:
    return fake.bodies("POST", r"/interactions/\d+/[^/]+/callback")


def contents(bodies: list[Any]) -> list[str]:
    out = []
    for body in bodies:
        data = (body or {}).get("data", body) or {}
        out.append(data.get("content") or "")
    return out


# -- smoke -------------------------------------------------------------------------------------


async def test_fake_smoke_a_slash_command_is_answered(discord_env) -> None:
    fake, client, core = discord_env
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "topics"))
    assert await until(lambda: callbacks(fake))
    assert callbacks(fake)[0]["type"] == 4
    assert callbacks(fake)[0]["data"]["content"] == "ok"
    # the whole GUILD_CREATE was read: a voice channel and a forum among the channels
    assert isinstance(client.get_channel(int(VOICE_ID)), discord.VoiceChannel)
    assert isinstance(client.get_channel(int(FORUM_ID)), discord.ForumChannel)


CHANNEL_MESSAGES = rf"/channels/{CHANNEL_ID}/messages"
DM_MESSAGES = r"/channels/700000000000000777/messages"


# -- 1. a long 429 that discord.py would wait out by itself ---------------------------------


def long_429(retry_after: float = 1336.57) -> Handler:
    async def handler(request: web.Request, body: Any) -> web.Response:
        return rate_limited(retry_after)
    return handler


def edits_of_original(fake: FakeDiscord) -> list[str]:
    return contents(fake.bodies("PATCH", r"/webhooks/\d+/[^/]+/messages/@original"))


async def test_quiz_dm_held_by_a_long_429_tells_the_member_in_time(discord_env, caplog) -> None:
    """rate-limits.mdx: a 429 names `retry_after` (its resource example: 1336.57 s), and
    receiving-and-responding.mdx: the interaction token lives 15 minutes. discord.py waits out
    a 429 that came through Discord's front end however long it is: the member's "Opening a
    direct message with you…" stayed for 22 minutes, and the note after it could no longer be
    shown. The wait is bounded and the member is told."""
    fake, client, core = discord_env
    caplog.set_level(logging.INFO)
    core.answer = lambda event: Reply(kind="quiz", body="Question 1 of 5", to_dm=True)
    fake.on("POST", "/users/@me/channels", long_429())
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "quiz", [
        {"name": "quiz", "type": 3, "value": "ml"}]))
    assert await until(lambda: callbacks(fake))
    assert "Opening a direct message" in contents(callbacks(fake))[0]
    told = await until(lambda: edits_of_original(fake), timeout=40)
    assert told and "direct message" in told[-1] and "Opening" not in told[-1]
    lines = [r for r in caplog.records if r.name.startswith("adapters")
             and "direct message" in r.getMessage()]
    assert len(lines) == 1 and "429" in lines[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]


async def test_dm_opened_on_an_exhausted_bucket_is_not_held(discord_env) -> None:
    """rate-limits.mdx, Header Format: a successful answer can say the bucket is spent
    (`X-RateLimit-Remaining: 0`) until `X-RateLimit-Reset-After`. discord.py then sleeps that
    long before it hands back even the call that succeeded: the DM was open, and the quiz sat
    unsent for ten minutes."""
    fake, client, core = discord_env
    core.answer = lambda event: Reply(kind="quiz", body="Question 1 of 5", to_dm=True)

    async def spent(request: web.Request, body: Any) -> web.Response:
        return _json({"id": "700000000000000777", "type": 1, "last_message_id": None,
                      "recipients": [user_payload(MEMBER_ID, "member")]}, headers={
            "X-RateLimit-Limit": "1", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + 600:.3f}",
            "X-RateLimit-Reset-After": "600.00", "X-RateLimit-Bucket": "dm"})
    fake.on("POST", "/users/@me/channels", spent)
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "quiz", [
        {"name": "quiz", "type": 3, "value": "ml"}]))
    sent = await until(lambda: fake.bodies("POST", DM_MESSAGES), timeout=40)
    assert sent and "Question 1 of 5" in json.dumps(sent[0])


async def test_a_long_rate_limit_is_not_retried_but_the_sync_waits_it_out() -> None:
    """The member-facing calls give up on a bounded wait (discord.RateLimited, which is no
    HTTPException, becomes one every caller handles); the command sync still waits."""
    from adapters.discord_bot import Throttled, patient, waiting_out_limits
    tries: list[int] = []

    async def limited() -> str:
        tries.append(1)
        if len(tries) == 1:
            raise discord.RateLimited(0.05)
        return "synced"
    with pytest.raises(discord.HTTPException) as raised:
        await patient(limited)
    assert isinstance(raised.value, Throttled) and raised.value.status == 429
    assert len(tries) == 1
    assert await waiting_out_limits(limited) == "synced"


async def test_mention_private_reply_held_by_a_long_429_points_to_ask(discord_env,
                                                                      caplog) -> None:
    """The same on a mention whose reply is private: the DM is opened with POST
    /users/@me/channels; held 22 minutes by discord.py, the member saw nothing at all."""
    fake, client, core = discord_env
    caplog.set_level(logging.INFO)
    core.answer = lambda event: Reply(kind="support", body="private words", ephemeral=True)
    fake.on("POST", "/users/@me/channels", long_429())
    await fake.dispatch("MESSAGE_CREATE", mention(fake, "I am not okay"))
    posted = await until(lambda: fake.bodies("POST", rf"/channels/{CHANNEL_ID}/messages"),
                         timeout=40)
    assert posted and "/ask" in posted[0]["content"]
    assert "private words" not in json.dumps(posted)


async def test_follow_up_held_by_a_long_429_is_logged_in_time(discord_env, caplog) -> None:
    """A reply in two messages: the second is a follow-up (POST /webhooks/{app}/{token}).
    discord.py's webhook adapter waits out any 429 from Discord's front end, with no bound at
    all: the member saw half the answer and nothing was logged until the token had expired."""
    fake, client, core = discord_env
    caplog.set_level(logging.INFO)
    core.answer = lambda event: Reply(kind="text", body=("word " * 390 + "\n\n") * 2)
    fake.on("POST", rf"/webhooks/{APP_ID}/[^/]+", long_429())
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "ask", [
        {"name": "question", "type": 3, "value": "long one"}]))
    assert await until(lambda: callbacks(fake))
    logged = await until(lambda: [r for r in caplog.records if r.name.startswith("adapters")
                                  and r.levelno >= logging.WARNING], timeout=40)
    await asyncio.sleep(0.3)
    logged = [r for r in caplog.records if r.name.startswith("adapters")
              and r.levelno >= logging.WARNING]
    assert len(logged) == 1 and "429" in logged[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]


# -- 2. autocomplete -------------------------------------------------------------------------


AUTOCOMPLETE_CASES = {
    "empty focused value": ("ask", [{"name": "question", "type": 3, "value": "",
                                     "focused": True}]),
    "no focused option": ("ask", [{"name": "question", "type": 3, "value": "phd"}]),
    "no options at all": ("ask", None),
    "focused option of another type": ("ask", [{"name": "question", "type": 4, "value": 7,
                                                "focused": True}]),
    "focused option unknown": ("ask", [{"name": "gone", "type": 3, "value": "x",
                                        "focused": True}]),
    "command the bot no longer has": ("oldcommand", [{"name": "q", "type": 3, "value": "x",
                                                      "focused": True}]),
    "quiz, number typed": ("quiz", [{"name": "quiz", "type": 3, "value": "12",
                                     "focused": True}]),
    "subcommand, required sibling missing": ("faqadmin", [{
        "name": "variant", "type": 1, "options": [{"name": "entry", "type": 3, "value": "ph",
                                                   "focused": True}]}]),
    "subcommand without options": ("faqadmin", [{"name": "edit", "type": 1}]),
    "group focused on a subcommand the bot lacks": ("faqadmin", [{
        "name": "oldverb", "type": 1, "options": [{"name": "entry", "type": 3, "value": "x",
                                                   "focused": True}]}]),
}


@pytest.mark.parametrize("case", list(AUTOCOMPLETE_CASES))
async def test_autocomplete_gets_choices_in_time(discord_env, caplog, case: str) -> None:
    """application-commands.mdx, Autocomplete: partial data, the focused option marked
    `focused`, required options possibly absent; the answer is type 8 with `choices` (at most
    25), and the first response must come within 3 seconds."""
    fake, client, core = discord_env
    name, options = AUTOCOMPLETE_CASES[case]
    started = time.monotonic()
    await fake.dispatch("INTERACTION_CREATE", slash(fake, name, options, kind=4))
    answered = await until(lambda: callbacks(fake), timeout=4)
    assert answered, f"{case}: no answer"
    assert time.monotonic() - started < 3
    assert answered[0]["type"] == 8
    assert isinstance(answered[0]["data"]["choices"], list)
    assert len(answered[0]["data"]["choices"]) <= 25
    assert not [r for r in caplog.records if r.exc_info]


async def test_autocomplete_with_a_slow_core_answers_in_time(discord_env) -> None:
    fake, client, core = discord_env

    async def slow(community: str, text: str, limit: int = 25) -> list[Any]:
        await asyncio.sleep(10)
        return []
    core.suggest = slow  # type: ignore[method-assign]
    started = time.monotonic()
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "faq", [
        {"name": "entry", "type": 3, "value": "phd", "focused": True}], kind=4))
    answered = await until(lambda: callbacks(fake), timeout=4)
    assert answered and answered[0]["type"] == 8
    assert time.monotonic() - started < 3


# -- 3. modal submits and clicks ---------------------------------------------------------------


def form_reply(event: Any) -> Reply:
    from bot.replies import Form, FormField
    if getattr(event, "name", "") == "topics":
        return Reply(kind="form", form=Form(id="add", title="Add an entry", fields=(
            FormField(id="question", label="Question"),
            FormField(id="answer", label="Answer", multiline=True, max_length=4000))))
    return Reply(kind="text", body=f"got {sorted(getattr(event, 'values', {}).items())!r}",
                 ephemeral=True)


MODAL_CASES: dict[str, Any] = {
    "rows": [{"type": 1, "components": [{"type": 4, "custom_id": "question", "value": "q"}]},
             {"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": "a"}]}],
    "labels": [{"type": 18, "id": 1, "component": {"type": 4, "id": 2, "custom_id": "question",
                                                   "value": "q"}}],
    "empty components": [],
    "extra and unknown components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "question", "value": "q"}]},
        {"type": 1, "components": [{"type": 4, "custom_id": "nobody", "value": "x"}]},
        {"type": 10, "id": 5, "content": "a text display"},
        {"type": 18, "id": 6, "component": {"type": 3, "custom_id": "pick",
                                            "values": ["a"]}}],
    "value past the limits": [{"type": 1, "components": [
        {"type": 4, "custom_id": "answer", "value": "x" * 5000}]}],
    "value null": [{"type": 1, "components": [{"type": 4, "custom_id": "question",
                                               "value": None}]}],
}


@pytest.mark.parametrize("case", list(MODAL_CASES))
async def test_modal_submit_shapes_get_one_answer(discord_env, caplog, case: str) -> None:
    """receiving-and-responding.mdx, Modal Submit Data: `custom_id` and `components` (rows, or
    labels holding one component). The form is opened first, so discord.py's own modal store
    holds it too, as it does in service."""
    fake, client, core = discord_env
    core.answer = form_reply
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "topics"))
    opened = await until(lambda: callbacks(fake))
    assert opened[0]["type"] == 9
    custom_id = opened[0]["data"]["custom_id"]
    data: dict[str, Any] = {"custom_id": custom_id}
    if MODAL_CASES[case] is not None:
        data["components"] = MODAL_CASES[case]
    await fake.dispatch("INTERACTION_CREATE", interaction_payload(fake, 5, data))
    answered = await until(lambda: callbacks(fake)[1:])
    await asyncio.sleep(0.3)
    assert len(callbacks(fake)) == 2, callbacks(fake)
    assert answered[0]["type"] in (4, 5)
    assert not [r for r in caplog.records if r.exc_info], [
        r.getMessage() for r in caplog.records if r.exc_info]


COMPONENT_CASES: dict[str, Any] = {
    "our button, message from before a restart": ("cb:topics:", True),
    "our button, message without components": ("cb:topics:", False),
    "another app's custom id": ("someone:else", True),
    "overflow key from before a restart": ("cb:~:0000.1", True),
    "empty custom id": ("", False),
}


@pytest.mark.parametrize("case", list(COMPONENT_CASES))
async def test_component_click_shapes_get_one_answer(discord_env, caplog, case: str) -> None:
    fake, client, core = discord_env
    custom_id, listed = COMPONENT_CASES[case]
    components = [{"type": 1, "id": 1, "components": [
        {"type": 2, "id": 2, "style": 2, "label": "Topics", "custom_id": custom_id}]}] \
        if listed and custom_id else []
    message = message_payload(fake, "an old answer", author=user_payload(
        BOT_ID, "careerbot", bot=True), components=components)
    await fake.dispatch("INTERACTION_CREATE", interaction_payload(fake, 3, {
        "custom_id": custom_id, "component_type": 2}, message=message))
    answered = await until(lambda: callbacks(fake))
    await asyncio.sleep(0.3)
    assert len(callbacks(fake)) == 1, callbacks(fake)
    assert not [r for r in caplog.records if r.exc_info], [
        r.getMessage() for r in caplog.records if r.exc_info]
    assert answered


# -- 4. Discord refuses what the bot sends -------------------------------------------------------


def refuse(status: int, code: int, message: str, *, only_replies: bool = False) -> Handler:
    async def handler(request: web.Request, body: Any) -> web.Response | None:
        if only_replies and not (body or {}).get("message_reference"):
            return None
        return error_response(status, code, message)
    return handler


def answer_reply(event: Any) -> Reply:
    if getattr(event, "name", "") == "help":
        return Reply(kind="help", title="careerbot", body="Ask me about ML careers.")
    return Reply(kind="answer", title="Do I need a PhD?", body="Not for most roles.")



REFUSALS: dict[str, Any] = {
    # what the reply gets, what a plain post gets, what the DM gets -> where the answer lands
    "160002 no history": ((403, 160002), None, None, "channel"),
    "50013 reply and post": ((403, 50013), (403, 50013), None, "dm"),
    "50001 everywhere, DMs closed": ((403, 50001), (403, 50001), (403, 50007), None),
    "50035 message_reference": ((400, 50035), None, None, "channel"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
async def test_mention_answer_refused_lands_elsewhere(discord_env, caplog, case: str) -> None:
    """opcodes-and-status-codes.mdx: 50001 Missing access, 50013 Missing permissions, 50007
    Cannot send messages to this user, 160002 Cannot reply without permission to read message
    history (403), 50035 Invalid form body."""
    fake, client, core = discord_env
    caplog.set_level(logging.INFO)
    core.answer = answer_reply
    on_reply, on_post, on_dm, lands = REFUSALS[case]
    text = {50035: '{"message_reference": ["Unknown message"]}'}
    fake.on("POST", CHANNEL_MESSAGES, refuse(*on_reply, text.get(on_reply[1], "refused"),
                                             only_replies=True))
    if on_post:
        fake.on("POST", CHANNEL_MESSAGES, refuse(*on_post, "refused"))
    if on_dm:
        fake.on("POST", DM_MESSAGES, refuse(*on_dm, "refused"))
    await fake.dispatch("MESSAGE_CREATE", mention(fake, "do I need a phd"))
    await until(lambda: len(fake.calls) >= 2 + (on_post is not None) + bool(on_dm), timeout=5)
    await asyncio.sleep(0.3)
    posts = [(p, b) for m, p, b in fake.calls if m == "POST"]
    assert not [r for r in caplog.records if r.exc_info]
    landed = [p for p, b in posts if "embeds" in (b or {})]
    if lands == "channel":
        assert landed[-1] == CHANNEL_MESSAGES
    elif lands == "dm":
        assert landed[-1] == DM_MESSAGES
    mine = [r for r in caplog.records if r.name.startswith("adapters")]
    assert 1 <= len(mine) <= 3, [r.getMessage() for r in mine]


async def test_slash_reply_refused_gets_an_apology(discord_env, caplog) -> None:
    fake, client, core = discord_env
    core.answer = answer_reply
    seen: list[int] = []

    async def first_refused(request: web.Request, body: Any) -> web.Response | None:
        seen.append(1)
        return error_response(400, 50035, "Invalid Form Body") if len(seen) == 1 else None
    fake.on("POST", r"/interactions/\d+/[^/]+/callback", first_refused)
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "ask", [
        {"name": "question", "type": 3, "value": "phd"}]))
    assert await until(lambda: len(callbacks(fake)) >= 2)
    assert callbacks(fake)[1]["data"]["flags"] & 64
    assert not [r for r in caplog.records if r.exc_info]


# -- 5. where and how members write ------------------------------------------------------------

THREAD_ID = "700000000000000210"
FORUM_ID = "700000000000000220"
VOICE_ID = "700000000000000230"


def partial_thread(parent: str = CHANNEL_ID) -> dict[str, Any]:
    # channel.mdx: an interaction's channel is a *partial* channel; a thread's metadata may lack
    return {"id": THREAD_ID, "type": 11, "guild_id": GUILD_ID, "parent_id": parent,
            "name": "a thread", "flags": 0}


SLASH_PLACES: dict[str, dict[str, Any]] = {
    "thread": {"channel_id": THREAD_ID, "channel": partial_thread()},
    "forum post": {"channel_id": THREAD_ID, "channel": partial_thread(FORUM_ID)},
    "voice text chat": {"channel_id": VOICE_ID, "channel": {
        "id": VOICE_ID, "type": 2, "guild_id": GUILD_ID, "name": "Voice", "flags": 0}},
    "stage text chat": {"channel_id": VOICE_ID, "channel": {"id": VOICE_ID, "type": 13}},
    "no channel object": {"channel": None},
    "guild_id without guild": {"guild": None},
    "member without roles": {"member": {k: v for k, v in member_payload().items()
                                        if k != "roles"}},
    "DM": {"guild_id": None, "guild": None, "member": None, "context": 1,
           "user": user_payload(MEMBER_ID, "member"),
           "channel": {"id": "700000000000000777", "type": 1,
                       "recipients": [user_payload(MEMBER_ID, "member")]},
           "channel_id": "700000000000000777"},
    "unknown guild": {"guild_id": "700000000000000999", "guild": {
        "id": "700000000000000999", "locale": "en-US", "features": []},
        "channel": channel_payload("700000000000000998") | {"guild_id": "700000000000000999"},
        "channel_id": "700000000000000998"},
}


@pytest.mark.parametrize("place", list(SLASH_PLACES))
async def test_slash_command_is_answered_wherever_it_is_used(discord_env, caplog,
                                                             place: str) -> None:
    fake, client, core = discord_env
    payload = slash(fake, "topics")
    for key, value in SLASH_PLACES[place].items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    await fake.dispatch("INTERACTION_CREATE", payload)
    answered = await until(lambda: callbacks(fake))
    assert answered and answered[0]["type"] == 4, place
    assert not [r for r in caplog.records if r.exc_info]
    assert core.events and core.events[0].ctx.is_dm == (place == "DM")


MENTION_PLACES: dict[str, dict[str, Any]] = {
    "thread the bot was never told of": {"channel_id": THREAD_ID},
    "voice text chat": {"channel_id": VOICE_ID},
    "only an attachment": {"content": f"<@{BOT_ID}>", "attachments": [{
        "id": "700000000000000555", "filename": "cv.pdf", "size": 10,
        "url": "https://cdn.example/cv.pdf", "proxy_url": "https://cdn.example/cv.pdf"}]},
    "a sticker, reply-ping only": {"content": "", "sticker_items": [
        {"id": "700000000000000556", "name": "wave", "format_type": 1}],
        "type": 19, "message_reference": {"message_id": "700000000000000557",
                                          "channel_id": CHANNEL_ID, "guild_id": GUILD_ID}},
    "a poll": {"poll": {"question": {"text": "which role?"}, "answers": [
        {"answer_id": 1, "poll_media": {"text": "MLE"}}],
        "expiry": "2030-01-01T00:00:00+00:00",
        "allow_multiselect": False, "layout_type": 1}},
    "no guild_id": {"guild_id": None},
    "member without roles": {"member": {k: v for k, v in member_payload().items()
                                        if k not in ("user", "roles")}},
}


@pytest.mark.parametrize("place", list(MENTION_PLACES))
async def test_mention_is_answered_wherever_it_is_written(discord_env, caplog,
                                                          place: str) -> None:
    fake, client, core = discord_env
    core.answer = answer_reply
    payload = mention(fake, "do I need a phd")
    for key, value in MENTION_PLACES[place].items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    await fake.dispatch("MESSAGE_CREATE", payload)
    posted = await until(lambda: [(p, b) for m, p, b in fake.calls if m == "POST"
                                  and p.startswith("/channels/")])
    assert posted, place
    where = payload["channel_id"]
    if core.events and core.events[0].name == "help":
        assert posted[-1][0] == DM_MESSAGES  # help is private
    else:
        assert posted[0][0] == f"/channels/{where}/messages", place
    assert not [r for r in caplog.records if r.exc_info]
    assert core.events and not core.events[0].ctx.is_dm


async def test_a_dm_to_the_bot_is_answered_in_the_dm(discord_env, caplog) -> None:
    """gateway.mdx: without the message-content intent a DM still carries its content; the
    message has no `guild_id` and no `member`, in a DM channel the bot was never told of."""
    fake, client, core = discord_env
    core.answer = answer_reply
    payload = message_payload(fake, "do I need a phd", channel_id="700000000000000778")
    for key in ("guild_id", "member"):
        payload.pop(key)
    await fake.dispatch("MESSAGE_CREATE", payload)
    posted = await until(lambda: fake.bodies("POST", r"/channels/700000000000000778/messages"))
    assert posted and core.events[0].ctx.is_dm
    assert not [r for r in caplog.records if r.exc_info]


async def test_slow_private_reply_after_a_public_defer_stays_private(discord_env) -> None:
    """receiving-and-responding.mdx: a deferred response's visibility is fixed by the defer;
    the private reply must not land in the public placeholder."""
    fake, client, core = discord_env
    client.response_budget = 0.05

    async def slow(event: Any) -> Reply:
        await asyncio.sleep(0.3)
        return Reply(kind="support", body="private words", ephemeral=True)
    core.handle = slow  # type: ignore[method-assign]
    await fake.dispatch("INTERACTION_CREATE", slash(fake, "ask", [
        {"name": "question", "type": 3, "value": "I am not okay"}]))
    followed = await until(lambda: fake.bodies("POST", rf"/webhooks/{APP_ID}/[^/]+"))
    assert callbacks(fake)[0]["type"] == 5 and not callbacks(fake)[0].get("data", {}).get(
        "flags", 0) & 64
    assert fake.paths("DELETE"), "the public placeholder is removed"
    assert followed and followed[0]["flags"] & 64
    assert "private words" not in json.dumps(edits_of_original(fake))
