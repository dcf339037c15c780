"""A small fake Slack, written from Slack's API documentation (not from careerbot's code).

The Web API: every method answers HTTP 200 with `{"ok": true, ...}` or `{"ok": false, "error":
...}`, and a rate-limited call answers HTTP 429 with `Retry-After`. Response URLs answer 200
`ok`, or 404 once expired. Channels know their members, so a bot outside a channel gets
`not_in_channel`, and an ephemeral message to a user outside it `user_not_in_channel`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0DOC"


@dataclass
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class DocSlack:
    # channel id -> members (the bot included when it was invited)
    channels: dict[str, set[str]] = field(default_factory=dict)
    archived: set[str] = field(default_factory=set)
    admins: set[str] = field(default_factory=set)
    # method -> error code every call answers with
    fail: dict[str, str] = field(default_factory=dict)
    # method -> how many more calls answer 429
    limited: dict[str, int] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    dms: dict[str, str] = field(default_factory=dict)
    url: str = ""

    async def start(self) -> DocSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # the read methods take GET too
        app.router.add_post("/respond/{key}", self._respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, key: str) -> str:
        return f"{self.url}/respond/{key}"

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def public(self) -> list[Call]:
        """What everyone in a channel sees: messages posted, and response URL posts in_channel."""
        return [c for c in self.calls if c.method == "chat.postMessage" and not self._is_dm(c)
                or c.method == "respond" and c.args.get("response_type") == "in_channel"]

    def _is_dm(self, call: Call) -> bool:
        return str(call.args.get("channel", "")) in self.dms.values()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query)
        if request.content_type == "multipart/form-data":
            return {k: str(v) for k, v in (await request.post()).items()}
        raw = await request.text()
        if request.content_type == "application/json":
            return json.loads(raw or "{}")
        args: dict[str, Any] = dict(parse_qsl(raw))
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = {**request.query, **await self._args(request)}  # arguments may come in the URL too
        self.calls.append(Call(method, args))
        if self.limited.get(method, 0) > 0:
            self.limited[method] -= 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": "0"})
        if method in self.fail:
            return web.json_response({"ok": False, "error": self.fail[method]})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        answer = handler(args)
        if "error" in answer:
            return web.json_response({"ok": False, **answer})
        return web.json_response({"ok": True, **answer})

    # -- methods ------------------------------------------------------------------------------

    def _auth_test(self, args: dict) -> dict:
        return {"user": "careerbot", "user_id": BOT, "bot_id": BOT_ID, "team": "Doc", "team_id": TEAM,
                "url": "https://doc.slack.com/"}

    def _users_info(self, args: dict) -> dict:
        user = args.get("user", "")
        return {"user": {"id": user, "team_id": TEAM, "is_admin": user in self.admins,
                         "is_owner": False}}

    def _conversations_open(self, args: dict) -> dict:
        user = args.get("users", "")
        channel = self.dms.setdefault(user, f"D{user}")
        self.channels.setdefault(channel, {user, BOT})
        return {"channel": {"id": channel}}

    def _can_post(self, channel: str) -> dict:
        if channel in self.archived:
            return {"error": "is_archived"}
        if channel not in self.channels:
            return {"error": "channel_not_found"}
        if BOT not in self.channels[channel]:
            return {"error": "not_in_channel"}
        return {}

    def _blocks(self, args: dict) -> dict:
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks and len(blocks) > 50:
            return {"error": "invalid_blocks"}
        if not args.get("text") and not blocks:
            return {"error": "no_text"}
        return {}

    def _chat_postMessage(self, args: dict) -> dict:
        problem = self._can_post(str(args.get("channel", ""))) or self._blocks(args)
        return problem or {"channel": args["channel"], "ts": f"{time.time():.6f}"}

    def _chat_postEphemeral(self, args: dict) -> dict:
        channel = str(args.get("channel", ""))
        problem = self._can_post(channel) or self._blocks(args)
        if problem:
            return problem
        if args.get("user") not in self.channels[channel]:
            return {"error": "user_not_in_channel"}
        return {"message_ts": f"{time.time():.6f}"}

    def _chat_update(self, args: dict) -> dict:
        problem = self._can_post(str(args.get("channel", ""))) or self._blocks(args)
        return problem or {"channel": args["channel"], "ts": args.get("ts")}

    def _views_open(self, args: dict) -> dict:
        return {"view": {"id": "V1", **(args.get("view") or {})}}

    def _views_publish(self, args: dict) -> dict:
        return {"view": {"id": "VHOME", **(args.get("view") or {})}}

    def _usergroups_users_list(self, args: dict) -> dict:
        return {"users": []}

    async def _respond(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text() or "{}")
        self.calls.append(Call("respond", {"key": request.match_info["key"], **body}))
        return web.Response(text="ok")
