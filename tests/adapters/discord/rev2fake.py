"""A third fake Discord, written from the API documentation's object shapes (gateway HELLO /
IDENTIFY / READY / GUILD_CREATE; INTERACTION_CREATE for commands, autocomplete, components and
modal submits; the interaction callback and webhook routes; channel messages and DMs), not from
the adapter, tests/fakes or docfake. It keeps what people would see in `seen` and the messages
with their components, so a test can click a button or submit the modal the bot opened."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP = "1500000000000000001"
GUILD = "1500000000000000100"
CHANNEL = "1500000000000000200"
THREAD = "1500000000000000300"
MOD_ROLE = "1500000000000000400"
TOKEN = "rev2fake-bot-token"  # not token-shaped
EPHEMERAL = 64
MANAGE_GUILD = 1 << 5
MEMBER_PERMS = (1 << 10) | (1 << 11) | (1 << 16)  # view, send, read history
_ids = itertools.count(1500000000000100000)


def sid() -> str:
    return str(next(_ids))


def user(uid: str, name: str = "member") -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": name,
            "avatar": None}


@dataclass
class Shown:
    """Something a person sees: a message (channel, DM, interaction response) or a modal."""

    id: str
    where: str  # "channel:<id>", "dm:<user id>", "interaction:<interaction id>"
    body: dict[str, Any]
    ephemeral: bool = False
    deleted: bool = False
    modal: bool = False

    @property
    def text(self) -> str:
        parts = [self.body.get("content") or "", self.body.get("title") or ""]
        for embed in self.body.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f.get('name')} {f.get('value')}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)

    def buttons(self) -> list[dict[str, Any]]:
        return [c for row in self.body.get("components") or []
                for c in row.get("components") or [] if c.get("type") == 2]

    def button(self, label_part: str) -> dict[str, Any]:
        for b in self.buttons():
            if label_part.lower() in (b.get("label") or "").lower():
                return b
        raise AssertionError(f"no button {label_part!r} in {[b.get('label') for b in self.buttons()]}")


@dataclass
class Rev2Discord:
    app: web.Application = field(default_factory=web.Application)
    runner: web.AppRunner | None = None
    port: int = 0
    seen: list[Shown] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    seq: int = 0
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)  # token -> interaction
    dms: dict[str, str] = field(default_factory=dict)  # user id -> DM channel id
    errors: list[str] = field(default_factory=list)

    # -- server ------------------------------------------------------------------------------

    async def start(self) -> Rev2Discord:
        r = self.app.router
        r.add_get("/gateway", self._gateway)
        r.add_get("/api/v10/users/@me", lambda _: web.json_response(user(APP, "careerbot") | {"bot": True}))
        r.add_get("/api/v10/oauth2/applications/@me", self._application)
        r.add_post("/api/v10/interactions/{iid}/{token}/callback", self._callback)
        r.add_post("/api/v10/webhooks/{app}/{token}", self._followup)
        r.add_patch("/api/v10/webhooks/{app}/{token}/messages/{mid}", self._edit)
        r.add_delete("/api/v10/webhooks/{app}/{token}/messages/{mid}", self._delete)
        r.add_post("/api/v10/users/@me/channels", self._open_dm)
        r.add_post("/api/v10/channels/{cid}/messages", self._post)
        r.add_route("*", "/{tail:.*}", self._unknown)
        self.runner = web.AppRunner(self.app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def _unknown(self, request: web.Request) -> web.Response:
        self.errors.append(f"{request.method} {request.path}")
        return web.json_response({"code": 0, "message": "404: Not Found"}, status=404)

    async def _application(self, _: web.Request) -> web.Response:
        return web.json_response({"id": APP, "name": "careerbot", "icon": None, "description": "",
                                  "bot_public": True, "bot_require_code_grant": False,
                                  "verify_key": "00", "flags": 0, "summary": ""})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif data["op"] == 2:
                await self.dispatch("READY", {
                    "v": 10, "user": user(APP, "careerbot") | {"bot": True}, "session_id": "s1",
                    "resume_gateway_url": self.gateway_url, "guilds": [{"id": GUILD, "unavailable": True}],
                    "application": {"id": APP, "flags": 0}})
                await self.dispatch("GUILD_CREATE", self.guild())
                self.ready.set()
        return ws

    def guild(self) -> dict[str, Any]:
        role = {"hoist": False, "managed": False, "mentionable": False, "color": 0, "position": 0,
                "icon": None, "unicode_emoji": None, "flags": 0}
        return {
            "id": GUILD, "name": "ML careers", "icon": None, "owner_id": "1", "afk_channel_id": None,
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "features": [], "mfa_level": 0, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None,
            "description": None, "banner": None, "premium_tier": 0, "preferred_locale": "en-US",
            "public_updates_channel_id": None, "nsfw_level": 0, "premium_progress_bar_enabled": False,
            "emojis": [], "stickers": [], "joined_at": "2024-01-01T00:00:00+00:00", "large": False,
            "unavailable": False, "member_count": 3, "voice_states": [], "members": [],
            "presences": [], "stage_instances": [], "guild_scheduled_events": [],
            "roles": [role | {"id": GUILD, "name": "@everyone", "permissions": str(MEMBER_PERMS)},
                      role | {"id": MOD_ROLE, "name": "Career Mods", "permissions": str(MEMBER_PERMS),
                              "position": 1}],
            "channels": [{"id": CHANNEL, "type": 0, "name": "careers", "position": 0,
                          "permission_overwrites": [], "guild_id": GUILD, "parent_id": None,
                          "nsfw": False, "topic": None, "last_message_id": None,
                          "rate_limit_per_user": 0}],
            "threads": [{"id": THREAD, "type": 11, "name": "a thread", "guild_id": GUILD,
                         "parent_id": CHANNEL, "owner_id": "1", "message_count": 0,
                         "member_count": 1, "rate_limit_per_user": 0,
                         "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                             "archive_timestamp": "2024-01-01T00:00:00+00:00",
                                             "locked": False}}],
        }

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self.ws is not None
        self.seq += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.seq, "d": data}))

    # -- REST ----------------------------------------------------------------------------------

    def _message(self, channel_id: str, body: dict[str, Any], *, author: dict[str, Any] | None = None,
                 flags: int = 0) -> dict[str, Any]:
        return {"id": sid(), "channel_id": channel_id, "author": author or (user(APP, "careerbot") | {"bot": True}),
                "content": body.get("content") or "", "timestamp": "2024-01-01T00:00:00+00:00",
                "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
                "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [],
                "pinned": False, "type": 0, "flags": flags,
                "components": body.get("components") or []}

    def check(self, body: dict[str, Any], *, modal: bool = False, edit: bool = False) -> None:
        """Discord's documented limits; a breach is what Discord would refuse with 400."""
        def bad(why: str) -> None:
            self.errors.append(why)
        if modal:
            if not 1 <= len(body.get("title") or "") <= 45 or len(body.get("custom_id") or "") > 100:
                bad(f"modal title/custom_id: {body.get('title')!r}")
            rows = body.get("components") or []
            if not 1 <= len(rows) <= 5:
                bad(f"modal with {len(rows)} rows")
            for row in rows:
                for c in row.get("components") or []:
                    if len(c.get("label") or "") > 45 or len(c.get("placeholder") or "") > 100:
                        bad(f"text input label/placeholder: {c.get('label')!r}")
                    if len(c.get("value") or "") > int(c.get("max_length") or 4000):
                        bad(f"text input value longer than max_length: {c.get('custom_id')}")
            return
        content, embeds = body.get("content") or "", body.get("embeds") or []
        rows = body.get("components") or []
        if not edit and not content and not embeds and not rows:
            bad("empty message (50006)")
        if len(content) > 2000 or len(embeds) > 10:
            bad("content or embeds too long")
        total = 0
        for e in embeds:
            size = len(e.get("title") or "") + len(e.get("description") or "")
            size += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in e.get("fields") or [])
            size += len((e.get("footer") or {}).get("text") or "")
            total += size
            if len(e.get("description") or "") > 4096 or len(e.get("fields") or []) > 25:
                bad("embed too long")
        if total > 6000:
            bad("embeds over 6000")
        ids = [c.get("custom_id") for row in rows for c in row.get("components") or []]
        if len(rows) > 5 or any(len(row.get("components") or []) > 5 for row in rows):
            bad("too many components")
        if len(ids) != len(set(ids)) or any(len(i or "") > 100 for i in ids):
            bad(f"custom ids: {ids}")
        for row in rows:
            for c in row.get("components") or []:
                if len(c.get("label") or "") > 80:
                    bad("button label over 80")

    def _show(self, where: str, msg: dict[str, Any], ephemeral: bool) -> None:
        self.seen.append(Shown(msg["id"], where, msg, ephemeral))

    async def _callback(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        inter = self.tokens.get(token)
        if inter is None:
            return web.json_response({"code": 10062, "message": "Unknown interaction"}, status=404)
        if inter.get("_acked"):
            return web.json_response({"code": 40060, "message": "Interaction has already been acknowledged."}, status=400)
        payload = await request.json()
        kind, data = payload["type"], payload.get("data") or {}
        inter["_acked"] = kind
        where = f"interaction:{inter['id']}"
        channel = inter.get("channel_id", "")
        if kind == 9:
            self.check(data, modal=True)
            self.seen.append(Shown(sid(), where, data, ephemeral=True, modal=True))
        elif kind == 4 or kind == 7:
            self.check(data, edit=kind == 7)
        if kind in (4, 5):
            flags = int(data.get("flags") or 0)
            msg = self._message(channel, data if kind == 4 else {"content": "careerbot is thinking..."},
                                flags=flags & EPHEMERAL)
            inter["_original"] = msg["id"]
            self._show(where, msg, bool(flags & EPHEMERAL))
        elif kind == 7:  # UPDATE_MESSAGE: the clicked message changes
            self._update(inter["message"]["id"], data)
        elif kind == 8:
            inter["_choices"] = data.get("choices")
        return web.Response(status=204)

    def _find(self, mid: str) -> Shown | None:
        return next((s for s in self.seen if s.id == mid), None)

    def _update(self, mid: str, data: dict[str, Any]) -> Shown | None:
        shown = self._find(mid)
        if shown is not None:
            for key in ("content", "embeds", "components"):
                if key in data:
                    shown.body[key] = data[key] or ([] if key != "content" else "")
        return shown

    async def _followup(self, request: web.Request) -> web.Response:
        inter = self.tokens[request.match_info["token"]]
        data = await request.json()
        self.check(data)
        flags = int(data.get("flags") or 0)
        msg = self._message(inter.get("channel_id", ""), data, flags=flags & EPHEMERAL)
        self._show(f"interaction:{inter['id']}", msg, bool(flags & EPHEMERAL))
        return web.json_response(msg)

    async def _edit(self, request: web.Request) -> web.Response:
        inter = self.tokens[request.match_info["token"]]
        mid = request.match_info["mid"]
        if mid == "@original":
            mid = inter.get("_original") or (inter.get("message") or {}).get("id", "")
        data = await request.json()
        self.check(data, edit=True)
        shown = self._update(mid, data)
        if shown is None:
            return web.json_response({"code": 10008, "message": "Unknown Message"}, status=404)
        return web.json_response(shown.body)

    async def _delete(self, request: web.Request) -> web.Response:
        inter = self.tokens[request.match_info["token"]]
        shown = self._find(inter.get("_original", ""))
        if shown is not None:
            shown.deleted = True
        return web.Response(status=204)

    async def _open_dm(self, request: web.Request) -> web.Response:
        uid = (await request.json())["recipient_id"]
        channel = self.dms.setdefault(str(uid), sid())
        return web.json_response({"id": channel, "type": 1, "last_message_id": None,
                                  "recipients": [user(str(uid))]})

    async def _post(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        data = await request.json()
        self.check(data)
        msg = self._message(cid, data)
        dm_user = next((u for u, c in self.dms.items() if c == cid), None)
        self._show(f"dm:{dm_user}" if dm_user else f"channel:{cid}", msg, False)
        return web.json_response(msg)

    # -- what members do -------------------------------------------------------------------------

    def _interaction(self, kind: int, data: dict[str, Any] | None, uid: str, *, dm: bool = False,
                     perms: int = MEMBER_PERMS, roles: list[str] | None = None,
                     message: dict[str, Any] | None = None, channel: str = CHANNEL) -> dict[str, Any]:
        iid, token = sid(), f"tok{sid()}"
        inter: dict[str, Any] = {"id": iid, "application_id": APP, "type": kind, "token": token,
                                 "version": 1, "locale": "en-US", "app_permissions": str(MEMBER_PERMS),
                                 "entitlements": [], "authorizing_integration_owners": {"0": GUILD},
                                 "attachment_size_limit": 8388608}
        if data is not None:
            inter["data"] = data
        if dm:
            channel = self.dms.setdefault(uid, sid())
            inter |= {"user": user(uid), "channel_id": channel, "context": 1,
                      "channel": {"id": channel, "type": 1, "recipients": [user(uid)]}}
        else:
            inter |= {"guild_id": GUILD, "channel_id": channel, "context": 0,
                      "guild": {"id": GUILD, "locale": "en-US", "features": []},
                      "guild_locale": "en-US",
                      "channel": {"id": channel, "type": 0 if channel == CHANNEL else 11,
                                  "guild_id": GUILD, "name": "careers"},
                      "member": {"user": user(uid), "roles": roles or [], "joined_at": "2024-01-01T00:00:00+00:00",
                                 "deaf": False, "mute": False, "flags": 0, "pending": False,
                                 "nick": None, "avatar": None, "premium_since": None,
                                 "permissions": str(perms)}}
        if message is not None:
            inter["message"] = message
        self.tokens[token] = inter
        return inter

    async def send(self, inter: dict[str, Any], settle: float = 0.6) -> dict[str, Any]:
        public = {k: v for k, v in inter.items() if not k.startswith("_")}
        await self.dispatch("INTERACTION_CREATE", public)
        await asyncio.sleep(settle)
        return inter

    async def slash(self, uid: str, name: str, options: list[dict[str, Any]] | None = None,
                    **kw: Any) -> dict[str, Any]:
        data = {"id": sid(), "name": name, "type": 1, "options": options or []}
        return await self.send(self._interaction(2, data, uid, **kw))

    async def faqadmin(self, uid: str, verb: str, **opts: str | Any) -> dict[str, Any]:
        kw = {k: opts.pop(k) for k in ("perms", "roles") if k in opts}
        sub = {"name": verb, "type": 1,
               "options": [{"name": k, "type": 3, "value": v} for k, v in opts.items()]}
        return await self.slash(uid, "faqadmin", [sub], **kw)

    async def autocomplete(self, uid: str, name: str, options: list[dict[str, Any]], **kw: Any
                           ) -> list[dict[str, Any]] | None:
        data = {"id": sid(), "name": name, "type": 1, "options": options}
        inter = await self.send(self._interaction(4, data, uid, **kw))
        return inter.get("_choices")

    async def click(self, uid: str, shown: Shown, button: dict[str, Any], **kw: Any
                    ) -> dict[str, Any]:
        dm = shown.where.startswith("dm:") or kw.pop("dm", False)
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self.send(self._interaction(3, data, uid, message=shown.body, dm=dm, **kw))

    async def submit(self, uid: str, modal: Shown, values: dict[str, str] | None = None, *,
                     components: list[dict[str, Any]] | None = None, **kw: Any) -> dict[str, Any]:
        """Submit the modal as Discord does: an action row per text input, each with its value."""
        if components is None:
            components = []
            for row in modal.body.get("components") or []:
                for c in row.get("components") or []:
                    value = (values or {}).get(c["custom_id"], c.get("value") or "")
                    components.append({"type": 1, "components": [
                        {"type": 4, "custom_id": c["custom_id"], "value": value}]})
        data = {"custom_id": modal.body["custom_id"], "components": components}
        return await self.send(self._interaction(5, data, uid, **kw))

    async def say(self, uid: str, content: str, *, dm: bool = False, mentions: list[str] | None = None,
                  channel: str = CHANNEL, settle: float = 0.8) -> dict[str, Any]:
        """MESSAGE_CREATE from a member (a DM, or a server message that mentions the bot)."""
        cid = self.dms.setdefault(uid, sid()) if dm else channel
        msg = self._message(cid, {"content": content}, author=user(uid))
        msg["mentions"] = [user(m) for m in mentions or []]
        if not dm:
            msg["guild_id"] = GUILD
            msg["member"] = {"roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False,
                             "mute": False, "flags": 0}
        await self.dispatch("MESSAGE_CREATE", msg)
        await asyncio.sleep(settle)
        return msg

    # -- what the tests read -------------------------------------------------------------------

    def to(self, inter: dict[str, Any]) -> list[Shown]:
        return [s for s in self.seen if s.where == f"interaction:{inter['id']}" and not s.deleted]

    def modal_for(self, inter: dict[str, Any]) -> Shown:
        found = [s for s in self.to(inter) if s.modal]
        assert found, f"no modal: {[s.text for s in self.to(inter)]}"
        return found[-1]

    def dm_of(self, uid: str) -> list[Shown]:
        return [s for s in self.seen if s.where == f"dm:{uid}"]
