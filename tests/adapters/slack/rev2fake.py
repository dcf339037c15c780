"""Another fake Slack, written from Slack's API docs (api.slack.com/methods, /interactivity,
/events), independent of tests/fakes: Web API methods answer HTTP 200 `{"ok": ...}`; messages
are kept per channel so `chat.update` of a message that does not exist is `message_not_found`;
a trigger id opens one view and expires after 3 s (`expired_trigger_id`); views.publish keeps
each user's Home view; response URLs accept five posts within 30 minutes."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web
from slack_sdk.models.views import View

BOT = "UCAREER"
BOT_ID = "BCAREER"


@dataclass
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class Rev2Slack:
    team: str = "T1"
    admins: set[str] = field(default_factory=set)
    fail: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    homes: dict[str, dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    triggers: dict[str, float] = field(default_factory=dict)
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    user_teams: dict[str, str] = field(default_factory=dict)
    url: str = ""

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)

    async def start(self) -> Rev2Slack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/hooks/{key}", self._hook)
        app.router.add_get("/socket/{n}", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    # Socket Mode: envelopes to send on each connection, and the acks received.
    socket_plan: list[list[dict[str, Any]]] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    sockets_opened: int = 0

    def _apps_connections_open(self, a: dict[str, Any]) -> dict[str, Any]:
        self.sockets_opened += 1
        return {"ok": True, "url": self.url.replace("http", "ws") + f"/socket/{self.sockets_opened}"}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        n = int(request.match_info["n"])
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A1"}, "debug_info": {"host": "fake"}})
        plan = self.socket_plan[n - 1] if n <= len(self.socket_plan) else []
        for envelope in plan:
            await ws.send_json(envelope)
            if envelope.get("type") == "disconnect":
                break
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
        return ws

    def trigger(self) -> str:
        key = f"trig{next(self._ids)}"
        self.triggers[key] = time.time()
        return key

    def hook(self) -> str:
        key = f"h{next(self._ids)}"
        self.responses[key] = []
        return f"{self.url}/hooks/{key}"

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def dm(self, user: str) -> str:
        return "D" + user

    def texts(self, channel: str) -> list[str]:
        return [m["text"] for (c, _), m in self.messages.items() if c == channel]

    async def _hook(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        body = await request.json()
        self.calls.append(Call("respond", body))
        if key not in self.responses or len(self.responses[key]) >= 5:
            return web.Response(status=404, text="used_url")
        self.responses[key].append(body)
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.method == "GET":
            args = dict(request.query)
        elif request.content_type == "application/json":
            args = await request.json()
        else:
            args = dict(parse_qsl(await request.text()))
            for k in ("blocks", "view"):
                if isinstance(args.get(k), str):
                    args[k] = json.loads(args[k])
        args = {**dict(request.query), **args}
        self.calls.append(Call(method, args))
        if method in self.fail:
            return web.json_response({"ok": False, "error": self.fail[method]})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": True})
        return web.json_response(handler(args))

    def _auth_test(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "user_id": BOT, "bot_id": BOT_ID, "team_id": self.team, "user": "careerbot",
                "team": "Example"}

    def _users_info(self, a: dict[str, Any]) -> dict[str, Any]:
        user = a["user"]
        return {"ok": True, "user": {"id": user, "team_id": self.user_teams.get(user, self.team),
                                     "is_admin": user in self.admins, "is_owner": False}}

    def _conversations_open(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": self.dm(a["users"])}}

    def _chat_postMessage(self, a: dict[str, Any]) -> dict[str, Any]:
        ts = f"{1700000000 + next(self._ts)}.000100"
        channel = a["channel"]
        self.messages[(channel, ts)] = {"text": a.get("text", ""), "blocks": a.get("blocks") or [],
                                        "thread_ts": a.get("thread_ts"), "ts": ts}
        return {"ok": True, "channel": channel, "ts": ts}

    def _chat_update(self, a: dict[str, Any]) -> dict[str, Any]:
        key = (a["channel"], a["ts"])
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        self.messages[key].update(text=a.get("text", ""), blocks=a.get("blocks") or [])
        return {"ok": True, "channel": a["channel"], "ts": a["ts"]}

    def _chat_postEphemeral(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": f"{1700000000 + next(self._ts)}.000200"}

    def _open_trigger(self, a: dict[str, Any]) -> str | None:
        made = self.triggers.pop(a.get("trigger_id", ""), None)
        if made is None or time.time() - made > 3:
            return "expired_trigger_id"
        return None

    def _views_open(self, a: dict[str, Any]) -> dict[str, Any]:
        problem = self._open_trigger(a)
        if problem:
            return {"ok": False, "error": problem}
        View(**a["view"]).validate_json()
        vid = f"V{next(self._ids)}"
        self.views[vid] = a["view"]
        return {"ok": True, "view": {"id": vid, **a["view"]}}

    def _views_update(self, a: dict[str, Any]) -> dict[str, Any]:
        vid = a.get("view_id", "")
        if vid not in self.views:
            return {"ok": False, "error": "not_found"}
        self.views[vid] = a["view"]
        return {"ok": True, "view": {"id": vid, **a["view"]}}

    def _views_publish(self, a: dict[str, Any]) -> dict[str, Any]:
        View(**a["view"]).validate_json()
        self.homes[a["user_id"]] = a["view"]
        return {"ok": True, "view": {"id": "VHOME" + a["user_id"], **a["view"]}}


@dataclass
class Rev2Client:
    """Signs and sends what Slack sends: slash commands and interactivity as forms, events as JSON."""

    fake: Rev2Slack
    endpoint: str
    secret: str
    session: aiohttp.ClientSession
    team: str = "T1"

    async def _post(self, raw: str, ctype: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        stamp = str(int(time.time()))
        sig = "v0=" + hmac.new(self.secret.encode(), f"v0:{stamp}:{raw}".encode(), hashlib.sha256).hexdigest()
        h = {"Content-Type": ctype, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sig,
             **(headers or {})}
        async with self.session.post(self.endpoint, data=raw.encode(), headers=h) as resp:
            return resp.status, await resp.text()

    async def command(self, text: str, user: str = "U1", channel: str = "C1",
                      channel_name: str = "general", team: str = "") -> tuple[str, str]:
        url = self.fake.hook()
        trig = self.fake.trigger()
        form = {"token": "x", "team_id": team or self.team, "team_domain": "ex", "channel_id": channel,
                "channel_name": channel_name, "user_id": user, "user_name": user.lower(),
                "command": "/careerbot", "text": text, "api_app_id": "A1", "is_enterprise_install": "false",
                "response_url": url, "trigger_id": trig}
        await self._post(urlencode(form), "application/x-www-form-urlencoded")
        return url, trig

    async def interactive(self, payload: dict[str, Any]) -> tuple[int, str]:
        return await self._post(urlencode({"payload": json.dumps(payload)}),
                                "application/x-www-form-urlencoded")

    async def click_message(self, channel: str, ts: str, action: dict[str, Any], user: str = "U1",
                            ephemeral: bool = False, team: str = "") -> str:
        url = self.fake.hook()
        msg = self.fake.messages.get((channel, ts), {"ts": ts, "text": "", "blocks": []})
        payload = {
            "type": "block_actions", "team": {"id": team or self.team, "domain": "ex"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team or self.team},
            "api_app_id": "A1", "token": "x", "trigger_id": self.fake.trigger(),
            "container": {"type": "message", "message_ts": ts, "channel_id": channel,
                          "is_ephemeral": ephemeral},
            "channel": {"id": channel, "name": "directmessage" if channel.startswith("D") else "general"},
            "response_url": url, "actions": [{**action, "block_id": "b", "type": "button",
                                              "action_ts": str(time.time())}],
        }
        if not ephemeral:
            payload["message"] = {"type": "message", "user": BOT, "ts": ts, "text": msg["text"],
                                  "blocks": msg["blocks"]}
        await self.interactive(payload)
        return url

    async def click_home(self, action: dict[str, Any], user: str = "U1") -> None:
        view = self.fake.homes.get(user, {})
        payload = {
            "type": "block_actions", "team": {"id": self.team, "domain": "ex"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team},
            "api_app_id": "A1", "token": "x", "trigger_id": self.fake.trigger(),
            "container": {"type": "view", "view_id": "VHOME" + user},
            "view": {"id": "VHOME" + user, "type": "home", **view},
            "actions": [{**action, "block_id": "b", "type": "button", "action_ts": str(time.time())}],
        }
        await self.interactive(payload)

    async def submit(self, view: dict[str, Any], values: dict[str, str], user: str = "U1") -> tuple[int, str]:
        state = {}
        for block in view["blocks"]:
            if block.get("type") == "input":
                aid = block["element"]["action_id"]
                bid = block["block_id"]
                value = values.get(bid[2:], block["element"].get("initial_value"))
                state[bid] = {aid: {"type": "plain_text_input", "value": value}}
        payload = {
            "type": "view_submission", "team": {"id": self.team, "domain": "ex"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team},
            "api_app_id": "A1", "token": "x", "trigger_id": self.fake.trigger(),
            "view": {"id": "V1", "type": "modal", **view, "state": {"values": state},
                     "hash": "h", "team_id": self.team},
            "response_urls": [],
        }
        return await self.interactive(payload)

    async def event(self, event: dict[str, Any], event_id: str, team: str = "",
                    headers: dict[str, str] | None = None) -> tuple[int, str]:
        body = {"token": "x", "team_id": team or self.team, "api_app_id": "A1", "event": event,
                "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
                "authorizations": [{"team_id": team or self.team, "user_id": BOT, "is_bot": True}]}
        return await self._post(json.dumps(body), "application/json", headers)

    async def dm(self, text: str, user: str = "U1", ts: str = "", event_id: str = "", **extra: Any) -> None:
        ts = ts or f"{time.time():.6f}"
        event = {"type": "message", "channel": self.fake.dm(user), "user": user, "text": text,
                 "ts": ts, "event_ts": ts, "channel_type": "im", **extra}
        await self.event(event, event_id or "Ev" + ts.replace(".", ""))
