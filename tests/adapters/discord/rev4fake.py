"""A fifth, minimal fake Discord that enforces permissions, written from Discord's API
documentation (Permissions: computing permissions and overwrites; Message: Create Message;
Channel: threads; Opcodes and Status Codes), not from the bot nor the other fakes.

A server admin sets careerbot up with imperfect permissions: the bot's role and each channel's
overwrites say what it may do, and Create Message answers as Discord does:

- no View Channel: 403 50001 Missing Access;
- no Send Messages (Send Messages in Threads in a thread): 403 50013 Missing Permissions;
- a reply (`message_reference`) without Read Message History: 403 160002;
- embeds without Embed Links: the embeds are dropped, and a message left with nothing
  (no content, no components) is 400 50006 Cannot send an empty message;
- a locked thread (without Manage Threads): 403 50013; an archived one is unarchived by a post;
- a deleted channel: 404 10003 Unknown Channel; a server the bot was removed from: 403 50001.

Slowmode does not apply to bots (Channel: `rate_limit_per_user`). Interaction responses and
follow-ups go through the interaction's webhook and need no channel permission. Direct
messages need none either, unless the member closed them (403 50007)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "rev4.fake.bot-credential"  # not shaped like a real token
APP_ID = "1810000000000000001"
GUILD = "1820000000000000001"
TEXT = "1830000000000000001"
ANNOUNCE = "1830000000000000002"  # an announcement channel (type 5)
SLOW = "1830000000000000003"  # a text channel with a 30 s slowmode
THREAD = "1830000000000000004"  # a public thread under TEXT
BOT_ROLE = "1840000000000000001"  # the managed role Discord gives the bot at invite
MOD_ROLE = "1840000000000000002"  # "Helpers", granted /faqadmin by the admin
ANA = {"id": "1850000000000000001", "username": "ana", "discriminator": "0",
       "global_name": "Ana", "avatar": None}
BOT = {"id": APP_ID, "username": "careerbot", "discriminator": "0", "global_name": None,
       "avatar": None, "bot": True}

# Permission bits (Permissions page).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
SEND_MESSAGES_IN_THREADS = 1 << 38
# What the invite in docs/discord.md asks for.
INVITED = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY \
    | SEND_MESSAGES_IN_THREADS
EVERYONE = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS \
    | SEND_MESSAGES_IN_THREADS | EMBED_LINKS


def error(status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"message": message, "code": code}


@dataclass
class Call:
    method: str
    path: str
    body: Any


@dataclass
class Rev4Fake:
    bot_role_perms: int = INVITED
    # channel id -> {"allow": int, "deny": int} for the bot's role (role overwrite)
    overwrites: dict[str, dict[str, int]] = field(default_factory=dict)
    thread_locked: bool = False
    thread_archived: bool = False
    deleted: set[str] = field(default_factory=set)
    removed: bool = False  # the bot was kicked (GUILD_DELETE sent)
    closed_dms: bool = False
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> as stored
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: Any = field(default_factory=lambda: itertools.count(1860000000000000001))
    _ws: web.WebSocketResponse | None = None
    _seq: int = 0
    _dm: str = "1870000000000000001"

    async def start(self) -> Rev4Fake:
        app = web.Application()
        app.router.add_get("/gw", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.api_base = f"http://127.0.0.1:{port}/api/v10"
        self.gateway_url = f"ws://127.0.0.1:{port}/gw"
        return self

    async def stop(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        await self._runner.cleanup()

    def snowflake(self) -> str:
        return str(next(self._ids))

    # -- permissions (Permissions: "Permission Overwrites") ------------------------------------

    def parent(self, channel_id: str) -> str:
        return TEXT if channel_id == THREAD else channel_id

    def bot_perms(self, channel_id: str) -> int:
        base = EVERYONE | self.bot_role_perms
        if base & ADMINISTRATOR:
            return -1
        over = self.overwrites.get(self.parent(channel_id), {})
        return (base & ~over.get("deny", 0)) | over.get("allow", 0)

    # -- gateway ------------------------------------------------------------------------------

    def _channel(self, cid: str) -> dict[str, Any]:
        kind = {TEXT: 0, ANNOUNCE: 5, SLOW: 0, THREAD: 11}[cid]
        over = self.overwrites.get(cid)
        data: dict[str, Any] = {
            "id": cid, "type": kind, "guild_id": GUILD, "name": f"c{cid[-1]}", "position": 0,
            "nsfw": False, "rate_limit_per_user": 30 if cid == SLOW else 0,
            "permission_overwrites": [{"id": BOT_ROLE, "type": 0, "allow": str(over["allow"]),
                                       "deny": str(over["deny"])}] if over else []}
        if kind == 11:
            data.update(parent_id=TEXT, owner_id=ANA["id"], message_count=1, member_count=1,
                        thread_metadata={"archived": self.thread_archived,
                                         "auto_archive_duration": 1440,
                                         "archive_timestamp": "2025-01-01T00:00:00+00:00",
                                         "locked": self.thread_locked})
        return data

    def guild_create(self) -> dict[str, Any]:
        role = {"color": 0, "hoist": False, "mentionable": False, "flags": 0}
        roles = [{"id": GUILD, "name": "@everyone", "permissions": str(EVERYONE), "position": 0,
                  "managed": False, **role},
                 {"id": BOT_ROLE, "name": "careerbot", "permissions": str(self.bot_role_perms),
                  "position": 1, "managed": True, "tags": {"bot_id": APP_ID}, **role},
                 {"id": MOD_ROLE, "name": "Helpers", "permissions": str(EVERYONE),
                  "position": 2, "managed": False, **role}]
        me = {"user": BOT, "roles": [BOT_ROLE], "joined_at": "2025-01-01T00:00:00+00:00",
              "deaf": False, "mute": False, "flags": 0}
        return {"id": GUILD, "name": "ML careers", "icon": None, "owner_id": "1", "roles": roles,
                "emojis": [], "stickers": [], "features": [], "member_count": 3,
                "large": False, "unavailable": False, "members": [me], "voice_states": [],
                "presences": [], "channels": [self._channel(c) for c in (TEXT, ANNOUNCE, SLOW)],
                "threads": [self._channel(THREAD)], "joined_at": "2025-01-01T00:00:00+00:00",
                "verification_level": 0, "default_message_notifications": 0,
                "explicit_content_filter": 0, "mfa_level": 0, "system_channel_flags": 0,
                "premium_tier": 0, "nsfw_level": 0, "preferred_locale": "en-US"}

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None,
                                      "t": None}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif payload["op"] == 2:
                await self.dispatch("READY", {
                    "v": 10, "user": BOT, "guilds": [{"id": GUILD, "unavailable": True}],
                    "session_id": "rev4", "resume_gateway_url": self.gateway_url,
                    "application": {"id": APP_ID, "flags": 0}, "private_channels": []})
                await self.dispatch("GUILD_CREATE", self.guild_create())
                self.ready.set()
        return ws

    async def dispatch(self, event: str, data: Any) -> None:
        assert self._ws is not None
        self._seq += 1
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    # -- what members do ----------------------------------------------------------------------

    def member(self, *roles: str, perms: int = EVERYONE) -> dict[str, Any]:
        return {"user": ANA, "roles": list(roles), "joined_at": "2025-01-01T00:00:00+00:00",
                "deaf": False, "mute": False, "flags": 0, "permissions": str(perms)}

    def mention(self, text: str, channel: str = TEXT) -> dict[str, Any]:
        mid = self.snowflake()
        data = {"id": mid, "type": 0, "channel_id": channel, "guild_id": GUILD, "author": ANA,
                "member": {k: v for k, v in self.member().items() if k != "permissions"},
                "content": f"<@{APP_ID}> {text}", "timestamp": "2025-01-01T00:00:00+00:00",
                "edited_timestamp": None, "tts": False, "mention_everyone": False,
                "mentions": [BOT], "mention_roles": [], "attachments": [], "embeds": [],
                "pinned": False, "flags": 0, "components": []}
        self.messages[mid] = data
        return data

    def interaction(self, data: dict[str, Any], *, channel: str = TEXT,
                    member: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"id": self.snowflake(), "application_id": APP_ID, "type": 2, "data": data,
                "guild_id": GUILD, "guild": {"id": GUILD, "locale": "en-US", "features": []},
                "channel_id": channel, "channel": self._channel(channel),
                "member": member or self.member(), "token": f"itoken{self.snowflake()}",
                "version": 1, "app_permissions": str(self.bot_perms(channel)),
                "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
                "authorizing_integration_owners": {"0": GUILD}, "context": 0,
                "attachment_size_limit": 10485760}

    def answer_with_careerbot(self, target: dict[str, Any]) -> dict[str, Any]:
        return self.interaction({"id": self.snowflake(), "name": "Answer with careerbot",
                                 "type": 3, "target_id": target["id"],
                                 "resolved": {"messages": {target["id"]: target}}},
                                channel=target["channel_id"])

    def slash(self, name: str, options: list[dict[str, Any]], *,
              member: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.interaction({"id": self.snowflake(), "name": name, "type": 1,
                                 "options": options}, member=member)

    # -- REST ---------------------------------------------------------------------------------

    def posts(self, path_part: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == "POST" and path_part in c.path]

    def shown(self, channel: str) -> list[dict[str, Any]]:
        """The messages Discord created in `channel`, as members see them."""
        return [m for m in self.messages.values()
                if m["channel_id"] == channel and m["author"]["id"] == APP_ID]

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type.startswith("multipart"):
                form = await request.post()
                body = json.loads(str(form.get("payload_json") or "{}"))
            else:
                text = await request.text()
                body = json.loads(text) if text else None
        self.calls.append(Call(request.method, path, body))
        status, data = self._route(request.method, path.strip("/").split("/"), body)
        if status == 204:
            return web.Response(status=204)
        return web.json_response(data, status=status)

    def _route(self, method: str, p: list[str], body: Any) -> tuple[int, Any]:
        if p == ["users", "@me"]:
            return 200, BOT
        if p in (["oauth2", "applications", "@me"], ["applications", "@me"]):
            return 200, {"id": APP_ID, "name": "careerbot", "description": "", "bot_public": True,
                         "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": 0,
                         "owner": ANA, "icon": None}
        if p == ["gateway", "bot"] or p == ["gateway"]:
            return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}
        if p == ["users", "@me", "channels"] and method == "POST":
            return 200, {"id": self._dm, "type": 1, "recipients": [ANA], "last_message_id": None}
        if p[0] == "interactions":  # the callback: needs no channel permission
            return 204, None
        if p[0] == "webhooks":
            if method == "DELETE":
                return 204, None
            return 200, self._message(str(body.get("channel_id", TEXT)) if body else TEXT,
                                      body or {}, store=False)
        if p[0] == "channels" and len(p) >= 3 and p[2] == "messages":
            if method == "POST" and len(p) == 3:
                return self._create_message(p[1], body or {})
            if method == "PATCH" and len(p) == 4:
                return self._edit_message(p[1], p[3], body or {})
            if method == "GET" and len(p) == 4 and p[3] in self.messages:
                return 200, self.messages[p[3]]
        return error(404, 0, "404: Not Found")

    def _message(self, channel: str, body: dict[str, Any], *, store: bool = True
                 ) -> dict[str, Any]:
        data = {"id": self.snowflake(), "type": 19 if body.get("message_reference") else 0,
                "channel_id": channel, "author": BOT, "content": body.get("content") or "",
                "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None,
                "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
                "attachments": [], "embeds": body.get("embeds") or [], "pinned": False,
                "flags": body.get("flags") or 0, "components": body.get("components") or []}
        if channel != self._dm:
            data["guild_id"] = GUILD
        if store:
            self.messages[data["id"]] = data
        return data

    def _create_message(self, channel: str, body: dict[str, Any]) -> tuple[int, Any]:
        if channel == self._dm:
            if self.closed_dms:
                return error(403, 50007, "Cannot send messages to this user")
            return 200, self._message(channel, body)
        if self.removed:
            return error(403, 50001, "Missing Access")
        if channel in self.deleted:
            return error(404, 10003, "Unknown Channel")
        perms = self.bot_perms(channel)
        if not perms & VIEW_CHANNEL:
            return error(403, 50001, "Missing Access")
        send = SEND_MESSAGES_IN_THREADS if channel == THREAD else SEND_MESSAGES
        if not perms & send:
            return error(403, 50013, "Missing Permissions")
        if channel == THREAD and self.thread_locked and not perms & MANAGE_THREADS:
            return error(403, 50013, "Missing Permissions")
        reference = body.get("message_reference")
        if reference and not perms & READ_MESSAGE_HISTORY:
            return error(403, 160002, "Cannot reply without permission to read message history")
        if reference and str(reference.get("message_id")) not in self.messages:
            return 400, {"message": "Invalid Form Body", "code": 50035, "errors": {
                "message_reference": {"_errors": [{"code": "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                                                   "message": "Unknown message"}]}}}
        if not perms & EMBED_LINKS:  # dropped, as a member's link previews are
            body = {**body, "embeds": []}
        if not (body.get("content") or body.get("embeds") or body.get("components")):
            return error(400, 50006, "Cannot send an empty message")
        if channel == THREAD:
            self.thread_archived = False  # a post unarchives an unlocked thread
        return 200, self._message(channel, body)

    def _edit_message(self, channel: str, message_id: str, body: dict[str, Any]
                      ) -> tuple[int, Any]:
        found = self.messages.get(message_id)
        if found is None:
            return error(404, 10008, "Unknown Message")
        if "embeds" in body and not self.bot_perms(channel) & EMBED_LINKS:
            body = {**body, "embeds": []}
        found.update({k: v for k, v in body.items()
                      if k in ("content", "embeds", "components")})
        return 200, found
