"""A third fake Slack, written from Slack's API docs (chat.postMessage, chat.postEphemeral,
conversations.open, users.info, views.publish, response URLs), and a driver that signs
Events API, slash command and interactivity requests the way Slack does.

Channels know their members: a bot outside a channel gets `not_in_channel`; an ephemeral
message to a user outside the channel gets `user_not_in_channel`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

BOT_USER = "UB0T"
TEAM = "TA"


@dataclass
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class Fake3:
    members: dict[str, set[str]] = field(default_factory=dict)  # channel -> member ids
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # users.info profiles
    fail: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    dms: dict[str, str] = field(default_factory=dict)
    url: str = ""

    async def start(self) -> Fake3:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/hook/{key}", self._hook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    def hook(self, key: str) -> str:
        return f"{self.url}/hook/{key}"

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def public(self) -> list[Call]:
        """What others in the channel can see."""
        def shared(call: Call) -> bool:
            channel = str(call.args.get("channel", ""))
            return channel not in self.dms.values() and not channel.startswith("D")

        return [c for c in self.calls
                if (c.method in ("chat.postMessage", "chat.update") and shared(c))
                or (c.method == "respond" and c.args.get("response_type") == "in_channel")]

    def private_to(self, user: str) -> list[Call]:
        return [c for c in self.calls
                if (c.method == "chat.postEphemeral" and c.args.get("user") == user)
                or (c.method == "chat.postMessage" and c.args.get("channel") == self.dms.get(user))
                or (c.method == "respond" and c.args.get("response_type") == "ephemeral")]

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            args = await request.json()
        else:
            args = dict(parse_qsl(await request.text()))
            args.update(request.query)
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        if method in self.fail:
            self.calls.append(Call(method + " (failed)", args))
            return web.json_response({"ok": False, "error": self.fail[method]})
        self.calls.append(Call(method, args))
        ok: dict[str, Any] = {"ok": True}
        channel = str(args.get("channel", ""))
        if method == "auth.test":
            return web.json_response({**ok, "user_id": BOT_USER, "team_id": TEAM, "bot_id": "BB0T"})
        if method == "conversations.open":
            user = str(args.get("users", ""))
            self.dms.setdefault(user, "D" + user)
            return web.json_response({**ok, "channel": {"id": self.dms[user]}})
        if method == "users.info":
            user = str(args.get("user", ""))
            return web.json_response({**ok, "user": {"id": user, "team_id": TEAM,
                                                     **self.users.get(user, {})}})
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            if not args.get("text") and not args.get("blocks"):
                return web.json_response({"ok": False, "error": "no_text"})
            if channel not in self.dms.values() and not channel.startswith("D"):
                if channel in self.members and BOT_USER not in self.members[channel]:
                    return web.json_response({"ok": False, "error": "not_in_channel"})
                if method == "chat.postEphemeral" and channel in self.members \
                        and args.get("user") not in self.members[channel]:
                    return web.json_response({"ok": False, "error": "user_not_in_channel"})
            return web.json_response({**ok, "channel": channel, "ts": f"{time.time():.6f}"})
        return web.json_response(ok)

    async def _hook(self, request: web.Request) -> web.Response:
        args = await request.json()
        self.calls.append(Call("respond", {**args, "hook": request.match_info["key"]}))
        return web.Response(text="ok")


class Driver:
    def __init__(self, endpoint: str, secret: str, fake: Fake3, session: aiohttp.ClientSession,
                 bridge: Any) -> None:
        self.endpoint, self.secret, self.fake, self.session, self.bridge = (
            endpoint, secret, fake, session, bridge)
        self.n = 0

    async def _post(self, body: str, ctype: str) -> int:
        ts = str(int(time.time()))
        sig = "v0=" + hmac.new(self.secret.encode(), f"v0:{ts}:{body}".encode(),
                               hashlib.sha256).hexdigest()
        async with self.session.post(self.endpoint, data=body.encode(), headers={
                "Content-Type": ctype, "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig}) as r:
            await r.read()
            status = r.status
        await self.bridge.drain()
        return status

    async def event(self, event: dict[str, Any], team: str = TEAM, **top: Any) -> int:
        self.n += 1
        event.setdefault("event_ts", event.get("ts", "1700000000.000100"))
        body = {"token": "x", "team_id": team, "api_app_id": "A1", "type": "event_callback",
                "event_id": f"Ev3{self.n:05d}", "event_time": 1700000000, "event": event,
                "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True,
                                    "enterprise_id": top.pop("enterprise_id", None)}], **top}
        return await self._post(json.dumps(body), "application/json")

    async def slash(self, text: str, user: str = "U1", channel: str = "C1", team: str = TEAM,
                    channel_name: str = "general", **extra: str) -> int:
        self.n += 1
        form = {"token": "x", "team_id": team, "team_domain": "a", "channel_id": channel,
                "channel_name": channel_name, "user_id": user, "user_name": user.lower(),
                "command": "/careerbot", "text": text, "api_app_id": "A1",
                "response_url": self.fake.hook(f"slash{self.n}"), "trigger_id": f"tr{self.n}",
                **extra}
        return await self._post(urlencode(form), "application/x-www-form-urlencoded")

    async def interactive(self, payload: dict[str, Any]) -> int:
        return await self._post(urlencode({"payload": json.dumps(payload)}),
                                "application/x-www-form-urlencoded")

    def shortcut_payload(self, message: dict[str, Any], user: str = "U1", channel: str = "C1",
                         team: str = TEAM) -> dict[str, Any]:
        self.n += 1
        return {"type": "message_action", "callback_id": "answer_with_careerbot",
                "trigger_id": f"tr{self.n}", "team": {"id": team, "domain": "a"},
                "user": {"id": user, "username": user.lower(), "team_id": team},
                "channel": {"id": channel, "name": "general"}, "message": message,
                "response_url": self.fake.hook(f"sc{self.n}"), "message_ts": message.get("ts"),
                "token": "x"}
