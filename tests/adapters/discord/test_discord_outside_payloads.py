"""The bot against a small Discord written from the public API documentation alone (gateway v10,
REST v10), not from tests/fakes/discord_server.py: every payload is a documented shape, with
what the documentation marks optional left out unless a test puts it in.

Each test is a shape the documentation allows that broke the bot: it did not start, answered
its own messages, answered a server channel as if it were a DM, made a private reply public,
lost an answer, or left an interaction unanswered with a traceback in the log."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections.abc import AsyncIterator
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
from tests.wellbeing_quotes import CRISIS

API = "/api/v10"
APP_ID = "1300000000000000001"
GUILD_ID = "1300000000000000002"
CHANNEL_ID = "1300000000000000003"
MEMBER_ID = "1300000000000000004"
BOT_ROLE_ID = "1300000000000000005"
TOKEN = "outside-fake-discord-token"  # the fake checks no token: nothing shaped like a real one
QUESTION = "do I need a PhD to work at DeepMind?"
EPHEMERAL = 64
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE = 2, 3, 4
AUTOCOMPLETE_RESULT = 8

_ids = itertools.count(1_300_000_000_000_100_000)


def snowflake() -> str:
    return str(next(_ids))


def user(uid: str = MEMBER_ID, name: str = "ana") -> dict[str, Any]:
    """The documented user object: `bot` and the rest of the optional fields left out."""
    return {"id": uid, "username": name, "discriminator": "0", "global_name": None,
            "avatar": None}


def member(permissions: str = "0") -> dict[str, Any]:
    return {"user": user(), "nick": None, "avatar": None, "roles": [], "flags": 0,
            "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": False, "mute": False,
            "permissions": permissions}


def message(content: str, channel_id: str = CHANNEL_ID, **extra: Any) -> dict[str, Any]:
    """A message object with its required fields."""
    return {"id": snowflake(), "channel_id": channel_id, "author": user(), "content": content,
            "timestamp": "2024-01-01T00:00:00.000000+00:00", "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": False, "type": 0, **extra}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)


class DocumentedDiscord:
    """Gateway (HELLO, IDENTIFY -> READY, heartbeats, RESUME) and the REST routes the bot uses,
    answering as the documentation describes."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.identified = asyncio.Event()
        # The documented application object: `owner` (a partial user) is optional.
        self.application: dict[str, Any] = {
            "id": APP_ID, "name": "careerbot", "icon": None, "description": "",
            "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
            "team": None, "flags": 0}
        self.content_type = "application/json"
        # (method, path fragment, status, body): answered once, instead of the route's answer.
        self.refusals: list[tuple[str, str, int, dict[str, Any]]] = []
        self._ws: web.WebSocketResponse | None = None
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self.port = 0

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    async def start(self) -> DocumentedDiscord:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner, self.port = await serve(app)
        return self

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- gateway ------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await self._send({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            op = json.loads(frame.data)["op"]
            if op == 1:
                await self._send({"op": 11})
            elif op == 2:
                await self.dispatch("READY", {
                    "v": 10, "user": {**user(APP_ID, "careerbot"), "bot": True},
                    "guilds": [{"id": GUILD_ID, "unavailable": True}], "session_id": "s1",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": APP_ID, "flags": 0}})
                self.identified.set()
            elif op == 6:
                await self.dispatch("RESUMED", {})
        return ws

    async def _send(self, payload: dict[str, Any]) -> None:
        assert self._ws is not None
        await self._ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: Any) -> None:
        self._seq += 1
        await self._send({"op": 0, "d": data, "s": self._seq, "t": event})

    # -- REST ---------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw and request.content_type == "application/json" else None
        call = Call(request.method, "/" + request.match_info["tail"], dict(request.query), body)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        status, data = self._route(call)
        for refusal in self.refusals:
            if refusal[0] == call.method and refusal[1] in call.path:
                self.refusals.remove(refusal)
                status, data = refusal[2], refusal[3]
                break
        if data is None:
            return web.Response(status=status)
        response = web.Response(body=json.dumps(data).encode(), status=status)
        response.headers["Content-Type"] = self.content_type
        return response

    def _route(self, call: Call) -> tuple[int, Any]:
        method, parts = call.method, call.path.strip("/").split("/")
        if method == "GET" and parts == ["users", "@me"]:
            return 200, {**user(APP_ID, "careerbot"), "bot": True}
        if method == "GET" and parts == ["oauth2", "applications", "@me"]:
            return 200, self.application
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            return 200, [{"id": snowflake(), "application_id": APP_ID, "version": snowflake(),
                          "type": 1, "description": "", **command} for command in call.body]
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(parts[1], call)
        if parts[0] == "webhooks" and method in ("POST", "PATCH", "GET"):
            return 200, self.sent_message(call.body, CHANNEL_ID, webhook_id=APP_ID)
        if parts[0] == "webhooks" and method == "DELETE":
            return 204, None
        if method == "POST" and parts == ["users", "@me", "channels"]:
            return 200, {"id": snowflake(), "type": 1, "last_message_id": None,
                         "recipients": [user(str(call.body["recipient_id"]))]}
        if method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            return 200, self.sent_message(call.body, parts[1])
        return 404, {"message": "404: Not Found", "code": 0}

    def _callback(self, interaction_id: str, call: Call) -> tuple[int, Any]:
        """204, or with `with_response` true (`True`, `true` or `1`) the callback response."""
        if call.query.get("with_response") not in ("True", "true", "1"):
            return 204, None
        kind, data = call.body["type"], call.body.get("data") or {}
        answer: dict[str, Any] = {"interaction": {
            "id": interaction_id, "type": 2, "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL)}}
        if kind in (4, 5):
            sent = self.sent_message(data, CHANNEL_ID, webhook_id=APP_ID)
            answer["interaction"]["response_message_id"] = sent["id"]
            answer["resource"] = {"type": kind, "message": sent}
        return 200, answer

    def sent_message(self, body: Any, channel_id: str, **extra: Any) -> dict[str, Any]:
        body = body or {}
        return message(body.get("content") or "", channel_id,
                       author={**user(APP_ID, "careerbot"), "bot": True},
                       embeds=body.get("embeds") or [], components=body.get("components") or [],
                       flags=body.get("flags", 0), **extra)

    # -- for the tests ------------------------------------------------------------------------

    async def wait_for(self, method: str, fragment: str, *, after: int = 0,
                       within: float = 5.0) -> Call:
        deadline = time.monotonic() + within
        async with self._changed:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and fragment in call.path:
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {method} {fragment}: "
                                         f"{[(c.method, c.path) for c in self.calls[after:]]}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), left)

    async def quiet(self, after: int, seconds: float = 1.5) -> list[Call]:
        """The calls the bot made in `seconds` after index `after`."""
        await asyncio.sleep(seconds)
        return self.calls[after:]

    def interaction(self, kind: int, data: dict[str, Any], *, permissions: str = "0",
                    **extra: Any) -> dict[str, Any]:
        """An interaction in the server's text channel, with every documented field."""
        return {"id": snowflake(), "application_id": APP_ID, "type": kind, "data": data,
                "token": "token" + snowflake(), "version": 1, "guild_id": GUILD_ID,
                "guild": {"id": GUILD_ID, "locale": "en-US", "features": []},
                "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID,
                            "name": "general"},
                "channel_id": CHANNEL_ID, "member": member(permissions), "locale": "en-US",
                "guild_locale": "en-US", "app_permissions": "2248473465835073",
                "entitlements": [], "authorizing_integration_owners": {"0": GUILD_ID},
                "context": 0, "attachment_size_limit": 10485760, **extra}

    def slash(self, name: str, options: list[dict[str, Any]] | None = None, **extra: Any
              ) -> dict[str, Any]:
        data: dict[str, Any] = {"id": snowflake(), "name": name, "type": 1}
        if options is not None:
            data["options"] = options
        return self.interaction(APPLICATION_COMMAND, data, **extra)

    async def interact(self, payload: dict[str, Any], within: float = 5.0) -> Call:
        after = len(self.calls)
        await self.dispatch("INTERACTION_CREATE", payload)
        return await self.wait_for("POST", f"/interactions/{payload['id']}/", after=after,
                                   within=within)


def option(name: str, value: Any, kind: int = 3, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value, **extra}


def mentioning_the_bot() -> list[dict[str, Any]]:
    return [{**user(APP_ID, "careerbot"), "bot": True}]


def a_server(**changes: Any) -> dict[str, Any]:
    """GUILD_CREATE: a guild object with its required fields, and the bot's managed role."""
    role = {"color": 0, "hoist": False, "icon": None, "unicode_emoji": None, "managed": False,
            "mentionable": False, "flags": 0}
    guild = {
        "id": GUILD_ID, "name": "ML careers", "icon": None, "splash": None,
        "discovery_splash": None, "owner_id": "1300000000000000009", "afk_channel_id": None,
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "emojis": [], "features": [], "mfa_level": 0,
        "application_id": None, "system_channel_id": None, "system_channel_flags": 0,
        "rules_channel_id": None, "vanity_url_code": None, "description": None, "banner": None,
        "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": None,
        "nsfw_level": 0, "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
        "roles": [{**role, "id": GUILD_ID, "name": "@everyone", "position": 0,
                   "permissions": "104324673"},
                  {**role, "id": BOT_ROLE_ID, "name": "careerbot", "position": 1,
                   "permissions": "0", "managed": True, "tags": {"bot_id": APP_ID}}],
        "joined_at": "2024-01-01T00:00:00.000000+00:00", "large": False,
        "unavailable": False, "member_count": 2, "voice_states": [], "members": [],
        "channels": [{"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "position": 0,
                      "permission_overwrites": [], "name": "general", "topic": None,
                      "nsfw": False, "last_message_id": None, "rate_limit_per_user": 0,
                      "parent_id": None}],
        "threads": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
        "soundboard_sounds": []}
    guild.update(changes)
    return guild


# -- running the bot against it --------------------------------------------------------------


@pytest.fixture
async def discord_docs() -> AsyncIterator[DocumentedDiscord]:
    server = await DocumentedDiscord().start()
    yield server
    await server.stop()


@contextlib.asynccontextmanager
async def running(server: DocumentedDiscord, tmp_path: Path, kb: KnowledgeBase
                  ) -> AsyncIterator[CareerBot]:
    settings = Settings(db_path=tmp_path / "careerbot.db", discord_token=TOKEN,
                        discord_api_base=server.api_base, discord_gateway_url=server.gateway_url)
    service = Service(kb, await Store.open(settings.db_path))
    client = create_client(settings, service)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        for _ in range(400):
            if server.identified.is_set() or task.done():
                break
            await asyncio.sleep(0.05)
        if task.done():
            task.result()  # the bot stopped: its exception fails the test
        assert server.identified.is_set(), "the bot never identified"
        await asyncio.sleep(0.2)
        yield client
    finally:
        await client.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 5)
        await service.store.close()


@pytest.fixture
def restore_discord_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    # The client points these class attributes at the server; put them back afterwards.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))


@pytest.fixture
async def bot(discord_docs: DocumentedDiscord, tmp_path: Path, kb: KnowledgeBase,
              restore_discord_urls: None) -> AsyncIterator[CareerBot]:
    async with running(discord_docs, tmp_path, kb) as client:
        yield client


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


# -- starting ---------------------------------------------------------------------------------


async def test_the_bot_starts_when_its_application_has_no_owner(
        discord_docs: DocumentedDiscord, tmp_path: Path, kb: KnowledgeBase,
        restore_discord_urls: None) -> None:
    """GET /oauth2/applications/@me: the application object's `owner` is optional (a partial
    user). discord.py's login read it without a default: KeyError, and the bot never started."""
    assert "owner" not in discord_docs.application
    async with running(discord_docs, tmp_path, kb):
        answered = await discord_docs.interact(discord_docs.slash("help"))
    assert answered.body["type"] == 4


async def test_the_bot_starts_when_json_answers_name_their_charset(
        discord_docs: DocumentedDiscord, tmp_path: Path, kb: KnowledgeBase,
        restore_discord_urls: None) -> None:
    """`Content-Type: application/json; charset=utf-8` (what many web servers send) is JSON.
    discord.py compared the header with "application/json" exactly, read every answer as text,
    and the login failed with a TypeError: the bot never started."""
    discord_docs.content_type = "application/json; charset=utf-8"
    discord_docs.application["owner"] = user("1300000000000000009", "owner")
    async with running(discord_docs, tmp_path, kb):
        start = len(discord_docs.calls)
        answered = await discord_docs.interact(discord_docs.slash(
            "ask", [option("question", QUESTION)]))
        calls = await discord_docs.quiet(start, 1.0)
    assert answered.body["type"] == 4 and answered.body["data"]["embeds"]
    # The answer is not followed by an apology for a failure that did not happen.
    assert [c.method for c in calls if "/webhooks/" in c.path] == []


# -- messages ---------------------------------------------------------------------------------


async def test_the_bot_does_not_answer_its_own_direct_messages_without_the_bot_flag(
        bot: CareerBot, discord_docs: DocumentedDiscord) -> None:
    """Discord sends the bot MESSAGE_CREATE for the messages it posts itself, and a user's `bot`
    is optional. Its own reply in a DM was taken for a member's question and answered: the
    answer to that is another of its own messages, without end."""
    dm = snowflake()
    start = len(discord_docs.calls)
    await discord_docs.dispatch("MESSAGE_CREATE", message(
        QUESTION, dm, author=user(APP_ID, "careerbot")))
    assert await discord_docs.quiet(start) == []


async def test_a_direct_message_answer_survives_one_503(
        bot: CareerBot, discord_docs: DocumentedDiscord) -> None:
    """A 5xx is Discord failing to process the request. discord.py's HTTP client tries again
    after a 500, 502, 504 or 524 but raises at once on a 503, and the answer to a question
    written to the bot in a DM was lost."""
    dm = snowflake()
    discord_docs.refusals.append(("POST", f"/channels/{dm}/messages", 503,
                                  {"message": "503: Service Unavailable", "code": 0}))
    start = len(discord_docs.calls)
    await discord_docs.dispatch("MESSAGE_CREATE", message(QUESTION, dm))
    sent = [c for c in await discord_docs.quiet(start, 3.0)
            if c.path == f"/channels/{dm}/messages"]
    assert len(sent) == 2 and sent[-1].body["embeds"]


@pytest.mark.parametrize("known_by", ["member", "cached channel"])
async def test_a_server_message_without_guild_id_is_not_taken_for_a_direct_message(
        bot: CareerBot, discord_docs: DocumentedDiscord, known_by: str) -> None:
    """MESSAGE_CREATE's `guild_id` is optional. discord.py takes a message without it for a
    DM, and careerbot answers every DM: it answered all the channel's chatter, and posted a
    crisis reply, which goes to the member's DM, in the server channel. A message with a
    `member`, or in a channel careerbot knows from GUILD_CREATE, is a server's."""
    extra: dict[str, Any] = {}
    if known_by == "member":
        extra["member"] = {k: v for k, v in member().items() if k not in ("user", "permissions")}
    else:
        await discord_docs.dispatch("GUILD_CREATE", a_server())
        await asyncio.sleep(0.3)
    start = len(discord_docs.calls)
    await discord_docs.dispatch("MESSAGE_CREATE", message("anyone up for lunch?", **extra))
    assert await discord_docs.quiet(start) == []

    await discord_docs.dispatch("MESSAGE_CREATE", message(
        f"<@{APP_ID}> {CRISIS[0]}", mentions=mentioning_the_bot(), **extra))
    await discord_docs.wait_for("POST", "/users/@me/channels", after=start)
    posted = [c for c in await discord_docs.quiet(start, 1.0)
              if c.path == f"/channels/{CHANNEL_ID}/messages"]
    assert posted == []


async def test_a_server_whose_channels_leave_out_optional_fields_is_cached(
        bot: CareerBot, discord_docs: DocumentedDiscord,
        caplog: pytest.LogCaptureFixture) -> None:
    """A channel's `position` and `permission_overwrites` are optional. discord.py read them
    without a default, so the whole GUILD_CREATE was skipped with a warning: the server's
    channels and threads were never known."""
    thread = snowflake()
    with caplog.at_level(logging.WARNING):
        await discord_docs.dispatch("GUILD_CREATE", a_server(
            channels=[{"id": CHANNEL_ID, "type": 0, "name": "general"},
                      {"id": snowflake(), "type": 2, "name": "voice"},
                      {"id": snowflake(), "type": 4, "name": "category"},
                      {"id": snowflake(), "type": 15, "name": "forum"}],
            threads=[{"id": thread, "type": 11, "name": "help", "parent_id": CHANNEL_ID}]))
        await asyncio.sleep(0.5)
    assert not [r for r in caplog.records if "GUILD_CREATE" in r.getMessage()]
    assert bot.get_channel(int(CHANNEL_ID)) is not None
    assert bot.get_channel(int(thread)) is not None


# -- interactions -----------------------------------------------------------------------------


async def test_a_button_on_a_private_reply_sent_as_a_partial_message_answers_privately(
        bot: CareerBot, discord_docs: DocumentedDiscord,
        caplog: pytest.LogCaptureFixture) -> None:
    """A click on the private support reply's "show this entry" button. When the clicked
    message came as a partial message (its id and flags, no `type` or `content`), discord.py
    dropped it, careerbot no longer knew the message was private, and the entry it opened was
    posted to the whole channel."""
    support = await discord_docs.interact(discord_docs.slash(
        "ask", [option("question", "I feel so hopeless and burnt out about my PhD")]))
    reply = support.body["data"]
    assert reply.get("flags", 0) & EPHEMERAL
    button = reply["components"][0]["components"][0]
    clicked = {"id": snowflake(), "flags": EPHEMERAL}
    click = discord_docs.interaction(
        MESSAGE_COMPONENT, {"custom_id": button["custom_id"], "component_type": 2},
        message=clicked)
    answered = await discord_docs.interact(click)
    assert answered.body["type"] == 4
    assert answered.body["data"].get("flags", 0) & EPHEMERAL
    assert tracebacks(caplog) == []


async def test_answer_with_careerbot_on_a_resolved_message_without_an_author(
        bot: CareerBot, discord_docs: DocumentedDiscord,
        caplog: pytest.LogCaptureFixture) -> None:
    """The message command's resolved message is a documented *partial* message: one without
    `author` made the command fail, and the member got "Discord would not show that reply"
    instead of the answer."""
    target = snowflake()
    payload = discord_docs.interaction(APPLICATION_COMMAND, {
        "id": snowflake(), "name": "Answer with careerbot", "type": 3, "target_id": target,
        "resolved": {"messages": {target: {"id": target, "channel_id": CHANNEL_ID,
                                           "content": QUESTION}}}})
    start = len(discord_docs.calls)
    await discord_docs.interact(payload)
    posted = await discord_docs.wait_for("POST", f"/channels/{CHANNEL_ID}/messages", after=start)
    assert posted.body["message_reference"]["message_id"] in (target, int(target))
    assert posted.body["embeds"]
    await discord_docs.wait_for("PATCH", "/messages/@original", after=start)
    assert tracebacks(caplog) == []


async def test_autocomplete_on_an_option_without_suggestions_gets_an_empty_list(
        bot: CareerBot, discord_docs: DocumentedDiscord,
        caplog: pytest.LogCaptureFixture) -> None:
    """An autocomplete focused on an option that offers no suggestions (a client holding an
    older definition of the command): discord.py logged a traceback and answered nothing, and
    the member saw "Loading options failed"."""
    payload = discord_docs.interaction(AUTOCOMPLETE, {
        "id": snowflake(), "name": "faqadmin", "type": 1, "options": [{
            "name": "variant", "type": 1, "options": [
                option("entry", "roles-research-engineer"),
                option("phrasing", "what do RE", focused=True)]}]}, permissions="32")
    answered = await discord_docs.interact(payload)
    assert answered.body == {"type": AUTOCOMPLETE_RESULT, "data": {"choices": []}}
    assert tracebacks(caplog) == []
