"""A fourth outside fake Slack, written from Slack's method and scope reference (not from
careerbot's code), for what an install granted fewer scopes than the manifest asks for, missing
access and the app's lifecycle do.

- Every Web API method needs its scopes (chat:write for chat.*, im:write for conversations.open,
  users:read for users.info, usergroups:read for usergroups.users.list; auth.test, views.open and
  views.publish need none). A token without them gets HTTP 200 `{"ok": false, "error":
  "missing_scope", "needed": ..., "provided": ...}`, as the reference shows.
- Channels know whether they are private, archived and who is in them. Posting in a public
  channel the bot is not in is `not_in_channel` (unless chat:write.public was granted); a private
  channel the bot was never invited to, or a deleted one, is `channel_not_found`; an archived one
  is `is_archived`; an ephemeral message to someone not in the channel is `user_not_in_channel`.
- Uninstalled (or its tokens revoked), every method answers `token_revoked`. A response URL
  needs no token and still works for its 30 minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from aiohttp import web

from adapters.slack_app import create_bridge, web_app
from bot.service import Service
from bot.store import Store
from tests.fakes.slack_harness import knowledge, slack_settings

TEAM = "T4REV"
BOT_USER = "U4BOT"
MANIFEST_SCOPES = frozenset({"commands", "chat:write", "im:write", "users:read", "usergroups:read",
                             "app_mentions:read", "im:history"})
NEEDS = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "usergroups.users.list": "usergroups:read",
}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    answer: dict[str, Any]


@dataclass
class Channel:
    members: set[str]
    private: bool = False
    archived: bool = False


@dataclass
class Fake4:
    scopes: set[str] = field(default_factory=lambda: set(MANIFEST_SCOPES))
    channels: dict[str, Channel] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    revoked: bool = False
    calls: list[Call] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    async def start(self) -> Fake4:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # the read methods take GET too
        app.router.add_post("/hook/{key}", self._hook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    def hook(self, key: str) -> str:
        return f"{self.url}/hook/{key}"

    def delivered(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.answer.get("ok")]

    def public(self) -> list[dict[str, Any]]:
        """What others in a channel can see: accepted posts outside DMs, in_channel responses."""
        posts = [c.args for c in self.delivered("chat.postMessage")
                 if not str(c.args.get("channel", "")).startswith("D")]
        return posts + [h for h in self.hooks if h.get("response_type") == "in_channel"]

    def private_to(self, user: str) -> list[dict[str, Any]]:
        """What only `user` sees: ephemeral messages, posts in their DM, ephemeral responses."""
        seen = [c.args for c in self.delivered("chat.postEphemeral") if c.args.get("user") == user]
        seen += [c.args for c in self.delivered("chat.postMessage")
                 if c.args.get("channel") == f"D{user}"]
        return seen + [h for h in self.hooks if h.get("response_type") != "in_channel"]

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.method == "GET":
            args: dict[str, Any] = dict(request.query)
        elif request.content_type == "application/json":
            args = await request.json()
        else:
            args = dict(parse_qsl(await request.text()))
        args = {**request.query, **args}  # slack_sdk sends some methods' arguments as a query
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        answer = self._answer(method, args)
        self.calls.append(Call(method, args, answer))
        return web.json_response(answer, headers={"X-OAuth-Scopes": ",".join(sorted(self.scopes))})

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if self.revoked:
            return {"ok": False, "error": "token_revoked"}
        needed = NEEDS.get(method)
        if needed and needed not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed,
                    "provided": ",".join(sorted(self.scopes))}
        if method == "auth.test":
            return {"ok": True, "team": "Rev4", "team_id": TEAM, "user": "careerbot",
                    "user_id": BOT_USER, "bot_id": "B4BOT"}
        if method == "users.info":
            user = str(args.get("user"))
            return {"ok": True, "user": {"id": user, "team_id": TEAM,
                                         "is_admin": user in self.admins}}
        if method == "usergroups.users.list":
            return {"ok": True, "users": []}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D{args.get('users')}"}}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            return self._post(method, args)
        return {"ok": True}

    def _post(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = str(args.get("channel", ""))
        if channel_id.startswith("D"):
            return {"ok": True, "channel": channel_id, "ts": f"{time.time():.6f}"}
        channel = self.channels.get(channel_id)
        if channel is None or (channel.private and BOT_USER not in channel.members):
            return {"ok": False, "error": "channel_not_found"}
        if channel.archived:
            return {"ok": False, "error": "is_archived"}
        if BOT_USER not in channel.members and "chat:write.public" not in self.scopes:
            return {"ok": False, "error": "not_in_channel"}
        if method == "chat.postEphemeral" and args.get("user") not in channel.members:
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "channel": channel_id, "ts": f"{time.time():.6f}"}

    async def _hook(self, request: web.Request) -> web.Response:
        self.hooks.append({**await request.json(), "hook": request.match_info["key"]})
        return web.Response(text="ok")


class Driver4:
    def __init__(self, endpoint: str, secret: str, fake: Fake4, session: aiohttp.ClientSession,
                 bridge: Any) -> None:
        self.endpoint, self.secret, self.fake, self.session, self.bridge = (
            endpoint, secret, fake, session, bridge)
        self.n = 0

    async def _post(self, body: str, ctype: str) -> tuple[int, str]:
        ts = str(int(time.time()))
        sig = "v0=" + hmac.new(self.secret.encode(), f"v0:{ts}:{body}".encode(),
                               hashlib.sha256).hexdigest()
        async with self.session.post(self.endpoint, data=body.encode(), headers={
                "Content-Type": ctype, "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig}) as r:
            text = await r.text()
            status = r.status
        await self.bridge.drain()
        return status, text

    async def event(self, event: dict[str, Any]) -> int:
        self.n += 1
        event.setdefault("ts", f"1700000000.{self.n:06d}")
        event.setdefault("event_ts", event["ts"])
        body = {"token": "x", "team_id": TEAM, "api_app_id": "A4", "type": "event_callback",
                "event_id": f"Ev4{self.n:05d}", "event_time": 1700000000, "event": event,
                "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}
        return (await self._post(json.dumps(body), "application/json"))[0]

    async def slash(self, text: str, user: str = "U1", channel: str = "C1") -> int:
        self.n += 1
        form = {"token": "x", "team_id": TEAM, "team_domain": "rev4", "channel_id": channel,
                "channel_name": "general", "user_id": user, "user_name": user.lower(),
                "command": "/careerbot", "text": text, "api_app_id": "A4",
                "response_url": self.fake.hook(f"slash{self.n}"), "trigger_id": f"tr{self.n}"}
        return (await self._post(urlencode(form), "application/x-www-form-urlencoded"))[0]

    async def interactive(self, payload: dict[str, Any]) -> tuple[int, str]:
        return await self._post(urlencode({"payload": json.dumps(payload)}),
                                "application/x-www-form-urlencoded")


@pytest.fixture
async def rev4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Driver4]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    fake = await Fake4().start()
    store = await Store.open(tmp_path / "careerbot.db")
    service = Service(knowledge(), store)
    secret = secrets.token_hex(8)
    settings: Any = slack_settings(tmp_path, fake.url + "/api/", secret)
    bridge = create_bridge(settings, service)
    runner = web.AppRunner(web_app(bridge), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    driver = Driver4(f"http://127.0.0.1:{port}/slack/events", secret, fake, session, bridge)
    yield driver
    await session.close()
    await bridge.drain()
    await runner.cleanup()
    await store.close()
    await fake.stop()
