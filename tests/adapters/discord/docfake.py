"""A second, independent fake Discord, written from the API documentation (gateway opcodes and
resuming, interaction callbacks and webhooks, message limits, JSON error codes), not from the
adapter or tests/fakes. Small on purpose: what a member or moderator would see is recorded as
`messages` (channel and DM posts, interaction responses and follow-ups, with their flags)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = "1400000000000000001"
BOT_ID = APP_ID
GUILD = "1400000000000000100"
CHANNEL = "1400000000000000200"
TOKEN = "docfake-bot-token"  # not token-shaped; the fake accepts any Authorization
EPHEMERAL = 64
_ids = itertools.count(1400000000000100000)


def snowflake() -> str:
    return str(next(_ids))


DISCORD_EPOCH_MS = 1420070400000


def timed_snowflake(when: float) -> str:
    """A snowflake made at `when` (Unix seconds): milliseconds since Discord's epoch, << 22."""
    return str((int(when * 1000) - DISCORD_EPOCH_MS) << 22 | next(_ids) % 4096)


def api_error(status: int, code: int, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)


@dataclass
class Posted:
    """One message a person could see: where, how, and whether only the invoker sees it."""

    id: str
    where: str  # "channel:<id>", "dm:<user>", "interaction:<id>"
    body: dict[str, Any]
    ephemeral: bool
    deleted: bool = False

    @property
    def text(self) -> str:
        parts = [self.body.get("content") or ""]
        for embed in self.body.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f.get("name", "") + " " + f.get("value", "") for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text", ""))
        return "\n".join(p for p in parts if p)


@dataclass
class Interaction:
    id: str
    token: str
    user: str
    created: float
    acked: int | None = None  # callback type
    flags: int = 0
    original: str | None = None


@dataclass
class DocFake:
    app: web.Application = field(default_factory=web.Application)
    runner: web.AppRunner | None = None
    port: int = 0
    messages: list[Posted] = field(default_factory=list)
    interactions: dict[str, Interaction] = field(default_factory=dict)
    refusals: list[tuple[str, str, int, int]] = field(default_factory=list)
    modals: dict[str, dict[str, Any]] = field(default_factory=dict)
    autocompleted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    closed_dms: set[str] = field(default_factory=set)
    no_post_channels: dict[str, int] = field(default_factory=dict)  # channel -> 50001 / 50013
    deadline: float = 3.0
    token_life: float = 15 * 60
    rate_limit_next: list[tuple[str, float, bool]] = field(default_factory=list)
    # gateway
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    identifies: int = 0
    resumes: list[int | None] = field(default_factory=list)
    session: str = "docfake-session"
    refuse_resume: bool = False
    lose_answer_to: set[int] = field(default_factory=set)
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> DocFake:
        self.app.router.add_get("/gw", self.gateway)
        self.app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        self.runner = web.AppRunner(self.app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gw"

    # -- gateway --------------------------------------------------------------------------

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        if request.query.get("compress") == "zlib-stream":
            # Documented transport compression: one zlib context per connection, each message
            # ending in Z_SYNC_FLUSH, sent as binary frames.
            squeeze = zlib.compressobj()

            async def send_json(data: Any) -> None:
                raw = squeeze.compress(json.dumps(data).encode()) + squeeze.flush(zlib.Z_SYNC_FLUSH)
                await ws.send_bytes(raw)
            ws.send_json = send_json  # type: ignore[method-assign, assignment]
        self.sockets.append(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                payload = json.loads(msg.data)
                op = payload.get("op")
                if op == 1:
                    await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
                elif op == 2:
                    self.identifies += 1
                    self.seq = 0
                    self.events.clear()
                    await self.dispatch("READY", {
                        "v": 10, "user": self.bot_user(), "guilds": [{"id": GUILD, "unavailable": True}],
                        "session_id": self.session, "resume_gateway_url": self.gateway_url,
                        "application": {"id": APP_ID, "flags": 0}, "private_channels": [],
                    })
                    await self.dispatch("GUILD_CREATE", self.guild())
                    self.ready.set()
                elif op == 6:
                    seq = payload["d"].get("seq")
                    self.resumes.append(seq)
                    if self.refuse_resume:
                        self.refuse_resume = False
                        await ws.send_json({"op": 9, "d": False, "s": None, "t": None})
                        continue
                    # Replay what the client missed, then RESUMED.
                    for event in self.events:
                        if seq is None or event["s"] > seq:
                            await ws.send_json(event)
                    await self.dispatch("RESUMED", {})
                    self.ready.set()
        finally:
            if ws in self.sockets:
                self.sockets.remove(ws)
        return ws

    async def dispatch(self, name: str, data: dict[str, Any], *, send: bool = True) -> None:
        self.seq += 1
        event = {"op": 0, "t": name, "s": self.seq, "d": data}
        self.events.append(event)
        if send:
            for ws in list(self.sockets):
                await ws.send_json(event)

    async def reconnect(self) -> None:
        """Opcode 7: the client should reconnect and resume."""
        self.ready.clear()
        for ws in list(self.sockets):
            await ws.send_json({"op": 7, "d": None, "s": None, "t": None})

    def bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "username": "careerbot", "discriminator": "0", "global_name": None,
                "avatar": None, "bot": True}

    def guild(self) -> dict[str, Any]:
        return {
            "id": GUILD, "name": "ML careers", "icon": None, "owner_id": "1400000000000000999",
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "features": [], "mfa_level": 0, "system_channel_flags": 0,
            "premium_tier": 0, "nsfw_level": 0, "preferred_locale": "en-US", "emojis": [],
            "stickers": [], "roles": [{"id": GUILD, "name": "@everyone", "permissions": "1024",
                                       "position": 0, "color": 0, "hoist": False, "managed": False,
                                       "mentionable": False, "flags": 0}],
            "joined_at": "2025-01-01T00:00:00+00:00", "large": False, "unavailable": False,
            "member_count": 2, "voice_states": [], "members": [], "presences": [], "threads": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
            "channels": [{"id": CHANNEL, "type": 0, "name": "general", "position": 0,
                          "permission_overwrites": [], "guild_id": GUILD}],
        }

    # -- REST -----------------------------------------------------------------------------

    async def rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart/"):
                reader = await request.multipart()
                async for part in reader:
                    if part.name == "payload_json":  # type: ignore[union-attr]
                        body = json.loads(await part.text())  # type: ignore[union-attr]
        for i, (prefix, wait, is_global) in enumerate(self.rate_limit_next):
            if path.startswith(prefix) and request.method != "GET":
                del self.rate_limit_next[i]
                return web.json_response(
                    {"message": "You are being rate limited.", "retry_after": wait,
                     "global": is_global},
                    status=429, headers={"Retry-After": str(max(1, round(wait))),
                                         **({"X-RateLimit-Global": "true"} if is_global else {})})
        m = request.method
        p = path.strip("/").split("/")
        if m == "GET" and path == "/users/@me":
            return web.json_response(self.bot_user())
        if m == "GET" and path == "/oauth2/applications/@me":
            return web.json_response({"id": APP_ID, "name": "careerbot", "icon": None,
                                      "description": "", "bot_public": True,
                                      "bot_require_code_grant": False, "verify_key": "00",
                                      "flags": 0, "owner": {"id": "1400000000000000999",
                                                            "username": "owner",
                                                            "discriminator": "0",
                                                            "avatar": None}})
        if m == "GET" and path == "/gateway/bot":
            return web.json_response({"url": self.gateway_url, "shards": 1,
                                      "session_start_limit": {"total": 1000, "remaining": 999,
                                                              "reset_after": 0,
                                                              "max_concurrency": 1}})
        if p[0] == "applications" and m == "PUT":
            return web.json_response([{**c, "id": snowflake(), "application_id": APP_ID,
                                       "version": snowflake(), "default_member_permissions": None,
                                       "type": c.get("type", 1)} for c in body or []])
        if p[0] == "interactions" and p[-1] == "callback":
            return self.callback(p[1], p[2], body or {}, request.query.get("with_response"))
        if p[0] == "webhooks":
            return self.webhook(m, p[2], p[3:], body or {})
        if m == "POST" and path == "/users/@me/channels":
            rid = str(body["recipient_id"])
            return web.json_response({"id": f"9{rid[1:]}", "type": 1, "last_message_id": None,
                                      "recipients": [{"id": rid, "username": "member",
                                                      "discriminator": "0", "avatar": None}]})
        if m == "POST" and p[0] == "channels" and p[-1] == "messages":
            channel = p[1]
            if channel.startswith("9"):
                user = "1" + channel[1:]
                if user in self.closed_dms:
                    self.refusals.append((m, path, 403, 50007))
                    return api_error(403, 50007, "Cannot send messages to this user")
                where = f"dm:{user}"
            else:
                if channel in self.no_post_channels:
                    code = self.no_post_channels[channel]
                    self.refusals.append((m, path, 403, code))
                    return api_error(403, code, "Missing Access" if code == 50001
                                     else "Missing Permissions")
                where = f"channel:{channel}"
            problem = check_message(body)
            if problem:
                self.refusals.append((m, path, 400, 50035))
                return api_error(400, 50035, f"Invalid Form Body: {problem}")
            posted = Posted(snowflake(), where, body, ephemeral=False)
            self.messages.append(posted)
            return web.json_response(self.message_object(posted, channel))
        return api_error(404, 0, f"404: Not Found ({m} {path})")

    def message_object(self, posted: Posted, channel: str, flags: int = 0) -> dict[str, Any]:
        return {"id": posted.id, "channel_id": channel, "type": 0, "content": posted.body.get("content") or "",
                "author": self.bot_user(), "embeds": posted.body.get("embeds") or [],
                "components": posted.body.get("components") or [], "attachments": [],
                "mentions": [], "mention_roles": [], "mention_everyone": False, "pinned": False,
                "tts": False, "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None,
                "flags": flags, "application_id": APP_ID}

    def callback(self, iid: str, token: str, body: dict[str, Any], with_response: Any
                 ) -> web.Response:
        it = self.interactions.get(iid)
        if it is None or it.token != token:
            return api_error(404, 10062, "Unknown interaction")
        if time.monotonic() - it.created > self.deadline:
            self.refusals.append(("POST", "callback", 404, 10062))
            return api_error(404, 10062, "Unknown interaction")
        if it.acked is not None:
            self.refusals.append(("POST", "callback", 400, 40060))
            return api_error(400, 40060, "Interaction has already been acknowledged.")
        kind = body.get("type")
        data = body.get("data") or {}
        if kind in (4, 7):
            problem = check_message(data)
            if problem:
                self.refusals.append(("POST", "callback", 400, 50035))
                return api_error(400, 50035, f"Invalid Form Body: {problem}")
        if kind == 8:
            choices = data.get("choices") or []
            if len(choices) > 25 or any(not 1 <= len(c.get("name", "")) <= 100
                                        or len(str(c.get("value", ""))) > 100 for c in choices):
                self.refusals.append(("POST", "callback", 400, 50035))
                return api_error(400, 50035, "Invalid Form Body: choices")
            self.autocompleted[iid] = choices
        if kind == 9:
            problem = check_modal(data)
            if problem:
                self.refusals.append(("POST", "callback", 400, 50035))
                return api_error(400, 50035, f"Invalid Form Body: {problem}")
        it.acked = kind
        it.flags = int(data.get("flags") or 0)
        if kind in self.lose_answer_to:
            # Discord took the response, but its answer is lost on the way back (a 502 from
            # the edge): a client that tries again is told it was already acknowledged.
            self.lose_answer_to.discard(kind)
            posted = Posted(snowflake(), f"interaction:{iid}", data if kind == 4 else {},
                            ephemeral=bool(it.flags & EPHEMERAL))
            self.messages.append(posted)
            it.original = posted.id
            return api_error(502, 0, "502: Bad Gateway")
        if kind == 9:
            self.modals[iid] = data
        it.flags = int(data.get("flags") or 0)
        if kind in (4, 5):
            posted = Posted(snowflake(), f"interaction:{iid}", data if kind == 4 else {},
                            ephemeral=bool(it.flags & EPHEMERAL))
            self.messages.append(posted)
            it.original = posted.id
        if kind == 7:
            self.messages.append(Posted(snowflake(), f"update:{iid}", data, ephemeral=True))
        if with_response in ("true", "True", "1"):
            return web.json_response({"interaction": {"id": iid, "type": 2,
                                                      "activity_instance_id": None,
                                                      "response_message_id": it.original,
                                                      "response_message_loading": kind == 5,
                                                      "response_message_ephemeral": bool(it.flags & EPHEMERAL)}})
        return web.Response(status=204)

    def webhook(self, m: str, token: str, rest: list[str], body: dict[str, Any]) -> web.Response:
        it = next((i for i in self.interactions.values() if i.token == token), None)
        if it is None or time.monotonic() - it.created > self.token_life:
            self.refusals.append((m, "webhook", 401, 50027))
            return api_error(401, 50027, "Invalid Webhook Token")
        if it.acked is None:
            return api_error(404, 10015, "Unknown Webhook")
        if rest[:2] == ["messages", "@original"]:
            target = next((x for x in self.messages if x.id == it.original), None)
            if target is None:
                return api_error(404, 10008, "Unknown Message")
            if m == "DELETE":
                target.deleted = True
                return web.Response(status=204)
            if m == "PATCH":
                problem = check_message(body)
                if problem:
                    self.refusals.append((m, "webhook", 400, 50035))
                    return api_error(400, 50035, f"Invalid Form Body: {problem}")
                target.body = {**target.body, **body}
            return web.json_response(self.message_object(target, CHANNEL,
                                                         EPHEMERAL if target.ephemeral else 0))
        if m == "POST" and not rest:
            problem = check_message(body)
            if problem:
                self.refusals.append((m, "webhook", 400, 50035))
                return api_error(400, 50035, f"Invalid Form Body: {problem}")
            flags = int(body.get("flags") or 0)
            posted = Posted(snowflake(), f"followup:{it.id}", body, ephemeral=bool(flags & EPHEMERAL))
            self.messages.append(posted)
            return web.json_response(self.message_object(posted, CHANNEL, flags))
        if m == "PATCH" and rest[0] == "messages":
            target = next((x for x in self.messages if x.id == rest[1]), None)
            if target is None:
                return api_error(404, 10008, "Unknown Message")
            target.body = {**target.body, **body}
            return web.json_response(self.message_object(target, CHANNEL))
        return api_error(404, 0, "404: Not Found")

    # -- interactions in ------------------------------------------------------------------

    def _base(self, kind: int, data: dict[str, Any], user: str, dm: bool,
              message: dict[str, Any] | None = None, perms: str = "0", age: float | None = None
              ) -> dict[str, Any]:
        """An interaction; with `age`, one made that many seconds ago (its id carries the time,
        as every snowflake does, and Discord's 3 s run from then), as one replayed on RESUME."""
        iid = snowflake() if age is None else timed_snowflake(time.time() - age)
        token = f"itok{iid}"
        self.interactions[iid] = Interaction(iid, token, user, time.monotonic() - (age or 0.0))
        u = {"id": user, "username": f"m{user[-3:]}", "discriminator": "0", "global_name": None,
             "avatar": None}
        out: dict[str, Any] = {"id": iid, "application_id": APP_ID, "type": kind, "data": data,
                               "token": token, "version": 1, "locale": "en-US",
                               "entitlements": [], "attachment_size_limit": 8388608,
                               "authorizing_integration_owners": {"0": GUILD} if not dm else {},
                               "context": 1 if dm else 0, "app_permissions": "274877991936"}
        if dm:
            out["user"] = u
            out["channel_id"] = f"9{user[1:]}"
            out["channel"] = {"id": f"9{user[1:]}", "type": 1}
        else:
            out["guild_id"] = GUILD
            out["guild"] = {"id": GUILD, "locale": "en-US", "features": []}
            out["guild_locale"] = "en-US"
            out["channel_id"] = CHANNEL
            out["channel"] = {"id": CHANNEL, "type": 0, "guild_id": GUILD, "name": "general",
                              "position": 0, "permission_overwrites": [], "flags": 0}
            out["member"] = {"user": u, "roles": [], "joined_at": "2025-01-01T00:00:00+00:00",
                             "deaf": False, "mute": False, "flags": 0, "permissions": perms,
                             "nick": None, "avatar": None, "pending": False}
        if message is not None:
            out["message"] = message
        return out

    async def send(self, payload: dict[str, Any]) -> str:
        await self.dispatch("INTERACTION_CREATE", payload)
        return str(payload["id"])

    def slash(self, name: str, options: list[dict[str, Any]] | None = None, *,
              user: str = "1400000000000000500", dm: bool = False, perms: str = "0",
              age: float | None = None) -> dict[str, Any]:
        return self._base(2, {"id": snowflake(), "name": name, "type": 1,
                              "options": options or []}, user, dm, perms=perms, age=age)

    def click(self, custom_id: str, message: dict[str, Any], *, user: str = "1400000000000000500",
              dm: bool = False, perms: str = "0") -> dict[str, Any]:
        return self._base(3, {"custom_id": custom_id, "component_type": 2}, user, dm, message,
                          perms=perms)

    def submit(self, modal: dict[str, Any], values: dict[str, str], *, labels: bool = True,
               user: str = "1400000000000000500", perms: str = "32",
               message: dict[str, Any] | None = None) -> dict[str, Any]:
        """A modal submission as documented: Label (18) wrappers or action rows (1)."""
        rows = []
        for row in modal.get("components") or []:
            inner = row.get("component") or (row.get("components") or [{}])[0]
            cid = inner.get("custom_id")
            value = values.get(cid, inner.get("value") or "")
            piece = {"type": 4, "id": 2, "custom_id": cid, "value": value}
            rows.append({"type": 18, "id": 1, "component": piece} if labels
                        else {"type": 1, "id": 1, "components": [piece]})
        out = self._base(5, {"custom_id": modal["custom_id"], "components": rows},
                         user, False, message, perms=perms)
        return out

    def message_of(self, posted: Posted, flags: int | None = None) -> dict[str, Any]:
        channel = posted.where.split(":", 1)[1] if posted.where.startswith(("channel", "dm")) else CHANNEL
        if posted.where.startswith("dm:"):
            channel = "9" + channel[1:]
        return self.message_object(posted, channel,
                                   flags if flags is not None else (EPHEMERAL if posted.ephemeral else 0))

    def visible(self, *, public: bool | None = None) -> list[Posted]:
        out = [x for x in self.messages if not x.deleted]
        if public is not None:
            out = [x for x in out if (not x.ephemeral and not x.where.startswith("dm:")) == public]
        return out

    async def settle(self, seconds: float = 0.3) -> None:
        await asyncio.sleep(seconds)

    async def wait_acked(self, iid: str, within: float = 10) -> Interaction:
        end = time.monotonic() + within
        while time.monotonic() < end:
            it = self.interactions[iid]
            if it.acked is not None:
                return it
            await asyncio.sleep(0.02)
        raise AssertionError("interaction never acknowledged")


# -- documented limits ---------------------------------------------------------------------


def check_message(body: dict[str, Any]) -> str | None:
    content = body.get("content")
    if content is not None and len(content) > 2000:
        return "content: Must be 2000 or fewer in length."
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        return "embeds: Must be 10 or fewer in length."
    total = 0
    for embed in embeds:
        title, desc = embed.get("title") or "", embed.get("description") or ""
        fields = embed.get("fields") or []
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        if len(title) > 256 or len(desc) > 4096 or len(fields) > 25 or len(footer) > 2048:
            return "embeds: a limit"
        for f in fields:
            if not f.get("name") or not f.get("value") or len(f["name"]) > 256 or len(f["value"]) > 1024:
                return "embeds.fields: a limit"
        total += len(title) + len(desc) + len(footer) + len(author)
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    if total > 6000:
        return "embeds: Embed size exceeds maximum size of 6000"
    rows = body.get("components") or []
    if len(rows) > 5:
        return "components: Must be 5 or fewer in length."
    seen: set[str] = set()
    for row in rows:
        items = row.get("components") or []
        if len(items) > 5:
            return "components.components: Must be 5 or fewer in length."
        for item in items:
            cid = item.get("custom_id")
            if cid is not None:
                if len(cid) > 100 or not cid or cid in seen:
                    return "components.custom_id: bad"
                seen.add(cid)
            if len(item.get("label") or "") > 80:
                return "components.label: Must be 80 or fewer in length."
    return None


def check_modal(data: dict[str, Any]) -> str | None:
    if not data.get("title") or len(data["title"]) > 45:
        return "title"
    if len(data.get("custom_id") or "") > 100 or not data.get("custom_id"):
        return "custom_id"
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        return "components"
    for row in rows:
        inner = row.get("components") or ([row["component"]] if "component" in row else [])
        for item in inner:
            label = item.get("label") or row.get("label") or ""
            if len(label) > 45 or len(item.get("custom_id") or "") > 100:
                return "label/custom_id"
            value = item.get("value")
            ml = item.get("max_length", 4000)
            if value is not None and len(value) > ml:
                return "value over max_length"
            if item.get("placeholder") and len(item["placeholder"]) > 100:
                return "placeholder"
    return None
