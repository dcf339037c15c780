"""A third, minimal fake Discord, written from Discord's API documentation (Gateway, Message,
Channel, Interaction pages), not from the bot nor the other fakes: a gateway that says HELLO,
READY and GUILD_CREATE, and the REST routes a bot answering members calls. Every REST call is
recorded, so a test can say what was posted where and what was private."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "rev3.fake.bot-credential"  # not shaped like a real token
APP_ID = "1710000000000000001"
BOT = {"id": APP_ID, "username": "careerbot", "discriminator": "0", "global_name": None,
       "avatar": None, "bot": True}
GUILD_A, GUILD_B = "1720000000000000001", "1720000000000000002"
TEXT_A, TEXT_B = "1730000000000000001", "1730000000000000002"
VOICE_A = "1730000000000000003"
FORUM_A = "1730000000000000004"
THREAD_A = "1730000000000000005"  # a public thread under TEXT_A
POST_A = "1730000000000000006"  # a forum post under FORUM_A
PRIVATE_THREAD_A = "1730000000000000007"
CHANNEL_TYPES = {TEXT_A: 0, TEXT_B: 0, VOICE_A: 2, FORUM_A: 15, THREAD_A: 11, POST_A: 11,
                 PRIVATE_THREAD_A: 12}
GUILD_OF = {TEXT_A: GUILD_A, TEXT_B: GUILD_B, VOICE_A: GUILD_A, FORUM_A: GUILD_A,
            THREAD_A: GUILD_A, POST_A: GUILD_A, PRIVATE_THREAD_A: GUILD_A}
# Permissions as the interaction's `app_permissions` / `member.permissions` strings.
MEMBER_PERMS = str(1024 | 2048 | 65536)
MANAGE_GUILD = 1 << 5


def user(uid: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": name.title(),
            "avatar": None, **extra}


ANA = user("1740000000000000001", "ana")
BEN = user("1740000000000000002", "ben")
OTHER_BOT = user("1740000000000000009", "otherbot", bot=True)


def _channel(cid: str) -> dict[str, Any]:
    kind = CHANNEL_TYPES[cid]
    data: dict[str, Any] = {"id": cid, "type": kind, "guild_id": GUILD_OF[cid], "name": f"c{cid[-2:]}",
                            "position": 0, "permission_overwrites": [], "nsfw": False}
    if kind == 2:
        data.update(bitrate=64000, user_limit=0, rtc_region=None)
    if kind in (11, 12):
        parent = FORUM_A if cid == POST_A else TEXT_A
        data.update(parent_id=parent, owner_id=ANA["id"], message_count=1, member_count=1,
                    thread_metadata={"archived": False, "auto_archive_duration": 1440,
                                     "archive_timestamp": "2024-01-01T00:00:00+00:00",
                                     "locked": False})
    if kind == 15:
        data.update(available_tags=[], default_reaction_emoji=None)
    return data


def guild_create(gid: str) -> dict[str, Any]:
    channels = [_channel(c) for c, g in GUILD_OF.items() if g == gid and CHANNEL_TYPES[c] < 10]
    threads = [_channel(c) for c, g in GUILD_OF.items() if g == gid and CHANNEL_TYPES[c] in (11, 12)]
    role = {"id": gid, "name": "@everyone", "permissions": MEMBER_PERMS, "position": 0,
            "color": 0, "hoist": False, "managed": False, "mentionable": False}
    return {"id": gid, "name": f"guild {gid[-1]}", "icon": None, "owner_id": "1", "roles": [role],
            "emojis": [], "features": [], "member_count": 3, "large": False,
            "unavailable": False, "channels": channels, "threads": threads, "members": [],
            "voice_states": [], "presences": [], "stickers": [], "joined_at": "2024-01-01T00:00:00+00:00",
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "system_channel_flags": 0,
            "premium_tier": 0, "nsfw_level": 0, "preferred_locale": "en-US"}


@dataclass
class Call:
    method: str
    path: str
    body: Any
    query: dict[str, str]


@dataclass
class Rev3Fake:
    calls: list[Call] = field(default_factory=list)
    closed_dms: set[str] = field(default_factory=set)  # users whose DMs refuse the bot (50007)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: Any = field(default_factory=lambda: itertools.count(1750000000000000001))
    _ws: web.WebSocketResponse | None = None
    _seq: int = 0
    _dm_of: dict[str, str] = field(default_factory=dict)  # dm channel id -> user id

    async def start(self) -> Rev3Fake:
        app = web.Application(client_max_size=8 * 1024 * 1024)
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

    # -- gateway ----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250},
                                      "s": None, "t": None}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif payload["op"] == 2:
                await self.dispatch("READY", {
                    "v": 10, "user": BOT, "guilds": [{"id": GUILD_A, "unavailable": True},
                                                     {"id": GUILD_B, "unavailable": True}],
                    "session_id": "rev3session", "resume_gateway_url": self.gateway_url,
                    "application": {"id": APP_ID, "flags": 0}, "private_channels": []})
                await self.dispatch("GUILD_CREATE", guild_create(GUILD_A))
                await self.dispatch("GUILD_CREATE", guild_create(GUILD_B))
                self.ready.set()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._ws is not None
        self._seq += 1
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    # -- what members do --------------------------------------------------------------------

    def message(self, channel: str | None, author: dict[str, Any], content: str, *,
                mentions: list[dict[str, Any]] = (), **extra: Any) -> dict[str, Any]:
        """A MESSAGE_CREATE payload as the Message page documents it."""
        data: dict[str, Any] = {
            "id": self.snowflake(), "channel_id": channel, "author": author, "content": content,
            "timestamp": "2024-05-01T12:00:00.000000+00:00", "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": list(mentions),
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0,
            "flags": 0, "components": []}
        if channel in GUILD_OF:
            data["guild_id"] = GUILD_OF[channel]
            data["member"] = {"roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
                              "deaf": False, "mute": False, "flags": 0}
        data.update(extra)
        return data

    async def dm_channel_of(self, who: dict[str, Any]) -> str:
        for cid, uid in self._dm_of.items():
            if uid == who["id"]:
                return cid
        cid = self.snowflake()
        self._dm_of[cid] = who["id"]
        return cid

    async def mention(self, channel: str, who: dict[str, Any], words: str, **extra: Any
                      ) -> dict[str, Any]:
        data = self.message(channel, who, f"<@{APP_ID}> {words}", mentions=[BOT], **extra)
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    async def slash(self, name: str, who: dict[str, Any], options: list[dict[str, Any]], *,
                    channel: str | None = TEXT_A, perms: int | None = None) -> str:
        iid = self.snowflake()
        token = f"itoken{iid}"
        data: dict[str, Any] = {
            "id": iid, "application_id": APP_ID, "type": 2, "token": token, "version": 1,
            "data": {"id": "1760000000000000001", "name": name, "type": 1, "options": options},
            "app_permissions": MEMBER_PERMS, "locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_OF.get(channel or "", "0")},
            "context": 0 if channel in GUILD_OF else 1, "attachment_size_limit": 10485760}
        if channel in GUILD_OF:
            data.update(guild_id=GUILD_OF[channel], channel_id=channel,
                        channel=_channel(channel), guild_locale="en-US",
                        member={"user": who, "roles": [], "permissions": str(perms or MEMBER_PERMS),
                                "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False,
                                "mute": False, "flags": 0})
        else:
            dm = await self.dm_channel_of(who)
            data.update(channel_id=dm, channel={"id": dm, "type": 1, "recipients": [who]},
                        user=who)
        await self.dispatch("INTERACTION_CREATE", data)
        return token

    async def click(self, who: dict[str, Any], message: dict[str, Any], custom_id: str, *,
                    channel: str = TEXT_A) -> str:
        iid = self.snowflake()
        token = f"itoken{iid}"
        await self.dispatch("INTERACTION_CREATE", {
            "id": iid, "application_id": APP_ID, "type": 3, "token": token, "version": 1,
            "data": {"custom_id": custom_id, "component_type": 2}, "message": message,
            "guild_id": GUILD_OF[channel], "channel_id": channel, "channel": _channel(channel),
            "app_permissions": MEMBER_PERMS, "locale": "en-US", "guild_locale": "en-US",
            "entitlements": [], "authorizing_integration_owners": {"0": GUILD_OF[channel]},
            "context": 0, "attachment_size_limit": 10485760,
            "member": {"user": who, "roles": [], "permissions": MEMBER_PERMS,
                       "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                       "flags": 0}})
        return token

    # -- REST -------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart/"):
                form = await request.post()
                body = json.loads(str(form.get("payload_json", "{}")))
        self.calls.append(Call(request.method, path, body, dict(request.query)))
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return web.json_response(BOT)
        if path == "/oauth2/applications/@me":
            return web.json_response({"id": APP_ID, "name": "careerbot", "icon": None,
                                      "description": "", "bot_public": True,
                                      "bot_require_code_grant": False, "verify_key": "00",
                                      "flags": 0, "owner": user("1", "owner")})
        if path == "/users/@me/channels" and request.method == "POST":
            recipient = {"id": str(body["recipient_id"]), "username": "member", "discriminator": "0",
                         "avatar": None}
            cid = await self.dm_channel_of(recipient)
            return web.json_response({"id": cid, "type": 1, "recipients": [recipient],
                                      "last_message_id": None})
        if parts[0] == "channels" and parts[2:] == ["messages"] and request.method == "POST":
            cid = parts[1]
            if self._dm_of.get(cid) in self.closed_dms:
                return web.json_response({"message": "Cannot send messages to this user",
                                          "code": 50007}, status=403)
            return web.json_response(self._sent(cid, body))
        if parts[0] == "interactions" and parts[-1] == "callback":
            return web.Response(status=204)
        if parts[0] == "webhooks":
            if request.method == "DELETE":
                return web.Response(status=204)
            return web.json_response(self._sent(TEXT_A, body or {}, webhook=True))
        return web.json_response({"message": "404: Not Found", "code": 0}, status=404)

    def _sent(self, cid: str, body: dict[str, Any], webhook: bool = False) -> dict[str, Any]:
        return {"id": self.snowflake(), "channel_id": cid, "author": BOT,
                "content": body.get("content") or "", "embeds": body.get("embeds") or [],
                "components": body.get("components") or [], "attachments": [],
                "timestamp": "2024-05-01T12:00:01.000000+00:00", "edited_timestamp": None,
                "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
                "pinned": False, "type": 0 if not webhook else 20,
                "flags": body.get("flags") or 0, **({"webhook_id": APP_ID} if webhook else {}),
                **({"guild_id": GUILD_OF[cid]} if cid in GUILD_OF else {})}

    # -- reading what happened ----------------------------------------------------------------

    def posts(self, since: int = 0) -> list[Call]:
        """Messages the bot posted in a channel (not interaction responses)."""
        return [c for c in self.calls[since:] if c.method == "POST"
                and c.path.startswith("/channels/") and c.path.endswith("/messages")]

    def public_posts(self, since: int = 0) -> list[Call]:
        return [c for c in self.posts(since) if c.path.split("/")[2] in GUILD_OF]

    def dm_posts(self, since: int = 0) -> list[Call]:
        return [c for c in self.posts(since) if c.path.split("/")[2] in self._dm_of]

    def responses(self, since: int = 0) -> list[Call]:
        """Interaction callbacks, follow-ups and edits of the original response."""
        return [c for c in self.calls[since:] if c.path.startswith(("/interactions/",
                                                                     "/webhooks/"))]


def text_of(call: Call) -> str:
    """Every word a REST call would show: content and embed text."""
    body = call.body or {}
    data = body.get("data", body) if isinstance(body, dict) else {}
    data = data or {}
    words = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        words += [str(embed.get("title") or ""), str(embed.get("description") or "")]
        words += [f"{f.get('name')} {f.get('value')}" for f in embed.get("fields") or []]
    return "\n".join(words)


def flags_of(call: Call) -> int:
    body = call.body or {}
    data = body.get("data", body) if isinstance(body, dict) else {}
    return int((data or {}).get("flags") or 0)


async def settle(seconds: float = 1.0) -> None:
    await asyncio.sleep(seconds)
