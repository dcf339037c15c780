"""A local fake of Discord for the real discord.py client: REST routes and a gateway websocket.

The client is pointed here through `DISCORD_API_BASE` / `DISCORD_GATEWAY_URL`. The fake speaks
just enough of the API for careerbot: login (`GET /users/@me`, `GET /oauth2/applications/@me`),
gateway discovery, command sync, interaction callbacks, webhook follow-ups, DM channels and
channel messages. The gateway says HELLO, answers heartbeats, accepts IDENTIFY (READY) and RESUME
(RESUMED), and dispatches INTERACTION_CREATE events with increasing sequence numbers.

Every REST call is recorded in `calls`; interaction callbacks resolve a future per interaction id,
so a test sends an interaction and awaits exactly the response Discord would have received.
Payload builders follow the shapes in Discord's "Receiving and Responding" documentation.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.loopback import serve

API_PREFIX = "/api/v10"
APP_ID = "1100000000000000001"
BOT_ID = APP_ID
GUILD_ID = "1200000000000000001"
CHANNEL_ID = "1300000000000000001"
# Deliberately not shaped like a real Discord token (no base64 id, no dots).
DUMMY_TOKEN = "fake-token-for-tests"

OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_RESUME = 0, 1, 2, 6
OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 9, 10, 11

MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view channel, send messages, use commands

_ids = itertools.count(1_400_000_000_000_000_000)


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py only parses bodies whose content type is exactly "application/json".
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json"})


def snowflake() -> str:
    return str(next(_ids))


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    at: float = field(default_factory=time.perf_counter)


@dataclass
class Callback:
    """What the bot answered to one interaction (the first response, type 4..9)."""

    type: int
    data: dict[str, Any]
    at: float

    @property
    def ephemeral(self) -> bool:
        return bool(self.data.get("flags", 0) & 64)


@dataclass
class User:
    id: str
    name: str
    permissions: int = MEMBER_PERMISSIONS
    roles: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.name, "global_name": self.name.title(),
                "discriminator": "0", "avatar": None, "bot": False}

    def member(self) -> dict[str, Any]:
        return {"user": self.payload(), "roles": list(self.roles), "nick": None, "avatar": None,
                "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                "flags": 0, "pending": False, "permissions": str(self.permissions)}


MEMBER = User("1500000000000000001", "member")
MODERATOR = User("1500000000000000002", "moderator", MEMBER_PERMISSIONS | MANAGE_GUILD)


class FakeDiscord:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.callbacks: dict[str, asyncio.Future[Callback]] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.sequence = 0
        self.sent_at: dict[str, float] = {}
        self._ws: web.WebSocketResponse | None = None
        self._ready = asyncio.Event()
        self._call_added = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.commands: dict[str, list[dict[str, Any]]] = {}
        # Members who closed their DMs: Discord answers 403 / 50007 to messages sent there.
        self.refuse_dms = False
        self._dm_channels: set[str] = set()
        # interaction id -> its token, and -> the message carrying the clicked component
        self._tokens: dict[str, str] = {}
        self._interaction_message: dict[str, str] = {}

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner, self.port = await serve(app)
        return self

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_ready(self, within: float = 10) -> None:
        """Wait until a client has identified (or resumed) on the gateway."""
        await asyncio.wait_for(self._ready.wait(), within)

    async def drop_gateway(self) -> None:
        """Close the client's websocket as a network failure would; the client reconnects."""
        self._ready.clear()
        if self._ws is not None:
            await self._ws.close(code=4000, message=b"fake: connection reset")

    # -- gateway ------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"op": OP_HELLO, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == OP_HEARTBEAT:
                self.heartbeats += 1
                await ws.send_json({"op": OP_HEARTBEAT_ACK})
            elif op == OP_IDENTIFY:
                self.identifies.append(frame["d"])
                await self._dispatch("READY", self._ready_payload())
                self._ready.set()
            elif op == OP_RESUME:
                self.resumes.append(frame["d"])
                await self._dispatch("RESUMED", {})
                self._ready.set()
        if self._ws is ws:
            self._ws = None
        return ws

    def _ready_payload(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": self._bot_user(),
            "guilds": [],
            "session_id": f"session-{len(self.identifies)}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0},
            "shard": [0, 1],
        }

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        if self._ws is None:
            raise RuntimeError("no client is connected to the fake gateway")
        self.sequence += 1
        await self._ws.send_str(json.dumps({"op": OP_DISPATCH, "t": event, "s": self.sequence,
                                            "d": data}))

    async def send_interaction(self, payload: dict[str, Any]) -> asyncio.Future[Callback]:
        """Dispatch INTERACTION_CREATE; the future resolves with the bot's first response."""
        future: asyncio.Future[Callback] = asyncio.get_running_loop().create_future()
        self.callbacks[payload["id"]] = future
        self.sent_at[payload["id"]] = time.perf_counter()
        await self._dispatch("INTERACTION_CREATE", payload)
        return future

    async def interact(self, payload: dict[str, Any], within: float = 10) -> Callback:
        future = await self.send_interaction(payload)
        return await asyncio.wait_for(future, within)

    # -- REST ---------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        body = None
        if request.can_read_body:
            if request.content_type.startswith("multipart/"):
                reader = await request.multipart()
                part = await reader.next()
                body = json.loads(await part.text()) if part is not None else None  # type: ignore[union-attr]
            else:
                body = await request.json()
        path = "/" + request.match_info["tail"]
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        async with self._call_added:
            self._call_added.notify_all()
        parts = path.strip("/").split("/")
        result = self._route(request.method, parts, body, call)
        if result is None:
            return _json({"message": "Unknown route", "code": 0}, 404)
        status, data = result
        if data is None:
            return web.Response(status=status)
        return _json(data, status)

    def _route(self, method: str, p: list[str], body: Any, call: Call) -> tuple[int, Any] | None:
        match method, p:
            case "GET", ["users", "@me"]:
                return 200, self._bot_user()
            case "GET", ["oauth2", "applications", "@me"]:
                return 200, self._application()
            case "GET", ["gateway", "bot"]:
                return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": {
                    "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}
            case "GET", ["gateway"]:
                return 200, {"url": self.gateway_url}
            case "PUT", ["applications", _, "commands"]:
                return 200, self._store_commands("global", body)
            case "PUT", ["applications", _, "guilds", guild, "commands"]:
                return 200, self._store_commands(guild, body)
            case "POST", ["interactions", interaction_id, token, "callback"]:
                return self._callback(interaction_id, token, body, call)
            case "POST", ["webhooks", _, token]:
                return 200, self._new_message(body, CHANNEL_ID, webhook=token)
            case "PATCH", ["webhooks", _, token, "messages", message_id]:
                return 200, self._edit_message(token, message_id, body)
            case "GET", ["webhooks", _, token, "messages", message_id]:
                return 200, self._find_message(token, message_id) or {}
            case "DELETE", ["webhooks", _, token, "messages", message_id]:
                found = self._find_message(token, message_id)
                if found is not None:
                    self.messages.pop(found["id"], None)
                return 204, None
            case "POST", ["users", "@me", "channels"]:
                dm_channel = snowflake()
                self._dm_channels.add(dm_channel)
                return 200, {"id": dm_channel, "type": 1, "last_message_id": None,
                             "recipients": [{"id": str(body["recipient_id"]), "username": "member",
                                             "discriminator": "0", "avatar": None}]}
            case "POST", ["channels", channel_id, "messages"]:
                if self.refuse_dms and channel_id in self._dm_channels:
                    return 403, {"message": "Cannot send messages to this user", "code": 50007}
                return 200, self._new_message(body, channel_id)
            case "PATCH", ["channels", channel_id, "messages", message_id]:
                message = self.messages.setdefault(message_id, {"id": message_id,
                                                                "channel_id": channel_id})
                message.update(body or {})
                return 200, self._message_payload(message)
        return None

    def _callback(self, interaction_id: str, token: str, body: dict[str, Any],
                  call: Call) -> tuple[int, Any]:
        kind = body["type"]
        data = body.get("data") or {}
        future = self.callbacks.get(interaction_id)
        if future is not None and future.done():
            # Discord refuses a second initial response to the same interaction.
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        response: dict[str, Any] = {"interaction": {
            "id": interaction_id, "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(data.get("flags", 0) & 64)}}
        if kind in (4, 5):
            message = self._new_message(data, CHANNEL_ID, webhook=token, original=True)
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        elif kind == 7:
            source = self._interaction_message.get(interaction_id)
            if source is not None and source in self.messages:
                self.messages[source].update(data)
                response["resource"] = {"type": 7,
                                        "message": self._message_payload(self.messages[source])}
        if future is not None:
            future.set_result(Callback(kind, data, call.at))
        if call.query.get("with_response") in ("1", "true", "True"):
            return 200, response
        return 204, None

    def _new_message(self, body: dict[str, Any] | None, channel_id: str, *, webhook: str = "",
                     original: bool = False) -> dict[str, Any]:
        message = dict(body or {})
        message.update({"id": snowflake(), "channel_id": channel_id, "webhook_token": webhook,
                        "original": original})
        self.messages[message["id"]] = message
        return self._message_payload(message)

    def _find_message(self, token: str, message_id: str) -> dict[str, Any] | None:
        if message_id != "@original":
            return self.messages.get(message_id)
        for message in reversed(list(self.messages.values())):
            if message.get("webhook_token") == token and message.get("original"):
                return message
        for interaction_id, source in self._interaction_message.items():
            if self._tokens.get(interaction_id) == token:
                return self.messages.get(source)
        return None

    def _edit_message(self, token: str, message_id: str, body: dict[str, Any]) -> dict[str, Any]:
        message = self._find_message(token, message_id)
        if message is None:
            message = {"id": snowflake(), "channel_id": CHANNEL_ID, "webhook_token": token,
                       "original": message_id == "@original"}
            self.messages[message["id"]] = message
        message.update(body or {})
        return self._message_payload(message)

    def _message_payload(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": message["id"], "channel_id": message["channel_id"], "type": 0,
            "content": message.get("content") or "", "embeds": message.get("embeds") or [],
            "components": message.get("components") or [], "attachments": [],
            "author": self._bot_user(), "timestamp": "2024-01-01T00:00:00+00:00",
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "pinned": False, "flags": message.get("flags", 0),
        }

    def _store_commands(self, scope: str, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
        stored = []
        for command in body:
            stored.append({"description": "", "options": [], "nsfw": False, **command,
                           "id": snowflake(), "application_id": APP_ID,
                           "version": snowflake(), "default_member_permissions":
                           command.get("default_member_permissions"),
                           **({"guild_id": scope} if scope != "global" else {})})
        self.commands[scope] = stored
        return stored

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "username": "careerbot", "discriminator": "0", "avatar": None,
                "bot": True, "global_name": None, "flags": 0, "verified": True, "mfa_enabled": False}

    def _application(self) -> dict[str, Any]:
        return {"id": APP_ID, "name": "careerbot", "icon": None, "description": "",
                "bot_public": True, "bot_require_code_grant": False, "owner": self._bot_user(),
                "summary": "", "verify_key": "0" * 64, "flags": 0, "team": None,
                "rpc_origins": [], "interactions_endpoint_url": None}

    # -- inspection ---------------------------------------------------------------------------

    async def wait_for_call(self, method: str, prefix: str, after: int = 0,
                            within: float = 10) -> Call:
        """The first call at index >= `after` with this method and path prefix."""
        async def find() -> Call:
            async with self._call_added:
                while True:
                    for call in self.calls[after:]:
                        if call.method == method and call.path.startswith(prefix):
                            return call
                    await self._call_added.wait()
        return await asyncio.wait_for(find(), within)

    def message_with_custom_id(self, custom_id: str) -> dict[str, Any] | None:
        for message in reversed(list(self.messages.values())):
            for row in message.get("components") or []:
                for item in row.get("components", []):
                    if item.get("custom_id") == custom_id:
                        return message
        return None

    # -- interaction payloads (as in Discord's documentation) ---------------------------------

    def _base(self, kind: int, user: User, *, dm: bool = False,
              message: dict[str, Any] | None = None) -> dict[str, Any]:
        interaction_id = snowflake()
        token = f"interaction-token-{interaction_id}"
        self._tokens[interaction_id] = token
        payload: dict[str, Any] = {
            "id": interaction_id, "application_id": APP_ID, "type": kind, "token": token,
            "version": 1, "locale": "en-US", "entitlements": [], "attachment_size_limit": 8388608,
            "authorizing_integration_owners": {"0": GUILD_ID} if not dm else {"1": user.id},
            "app_permissions": "2248473465835073",
        }
        if dm:
            dm_channel = "1310000000000000" + user.id[-3:]
            payload.update({"channel_id": dm_channel, "context": 1, "user": user.payload(),
                            "channel": {"id": dm_channel, "type": 1,
                                        "recipients": [user.payload()]}})
        else:
            payload.update({
                "guild_id": GUILD_ID, "channel_id": CHANNEL_ID, "context": 0,
                "guild": {"id": GUILD_ID, "locale": "en-US", "features": []},
                "guild_locale": "en-US", "member": user.member(),
                "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "careers",
                            "position": 0, "permission_overwrites": [], "nsfw": False,
                            "parent_id": None},
            })
        if message is not None:
            payload["message"] = self._message_payload(message)
            self._interaction_message[interaction_id] = message["id"]
        return payload

    def slash(self, name: str, options: dict[str, str] | None = None, *, user: User = MEMBER,
              dm: bool = False, subcommand: str | None = None) -> dict[str, Any]:
        payload = self._base(2, user, dm=dm)
        opts = [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()]
        if subcommand is not None:
            opts = [{"name": subcommand, "type": 1, "options": opts}]
        payload["data"] = {"id": snowflake(), "name": name, "type": 1, "options": opts}
        if not dm:
            payload["data"]["guild_id"] = GUILD_ID
        return payload

    def autocomplete(self, name: str, option: str, value: str, *, user: User = MEMBER,
                     subcommand: str | None = None) -> dict[str, Any]:
        payload = self._base(4, user)
        opts: list[dict[str, Any]] = [{"name": option, "type": 3, "value": value, "focused": True}]
        if subcommand is not None:
            opts = [{"name": subcommand, "type": 1, "options": opts}]
        payload["data"] = {"id": snowflake(), "name": name, "type": 1, "options": opts}
        return payload

    def click(self, custom_id: str, *, user: User = MEMBER, dm: bool = False,
              message: dict[str, Any] | None = None) -> dict[str, Any]:
        message = message or self.message_with_custom_id(custom_id)
        payload = self._base(3, user, dm=dm, message=message)
        payload["data"] = {"custom_id": custom_id, "component_type": 2}
        return payload

    def submit(self, custom_id: str, values: dict[str, str], *, user: User = MEMBER,
               labels: bool = True) -> dict[str, Any]:
        """A modal submission; `labels` uses the newer Label (type 18) wrapping of inputs."""
        payload = self._base(5, user)
        if labels:
            components = [{"type": 18, "id": i + 1, "component": {
                "type": 4, "id": i + 100, "custom_id": k, "value": v}}
                for i, (k, v) in enumerate(values.items())]
        else:
            components = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                          for k, v in values.items()]
        payload["data"] = {"custom_id": custom_id, "components": components}
        return payload

    def message_command(self, name: str, content: str, *, user: User = MEMBER,
                        author: User = MEMBER) -> dict[str, Any]:
        payload = self._base(2, user)
        target = snowflake()
        message = {
            "id": target, "channel_id": CHANNEL_ID, "type": 0, "content": content,
            "author": author.payload(), "embeds": [], "components": [], "attachments": [],
            "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "pinned": False,
            "flags": 0,
        }
        payload["data"] = {"id": snowflake(), "name": name, "type": 3, "target_id": target,
                           "guild_id": GUILD_ID, "resolved": {"messages": {target: message}}}
        return payload
