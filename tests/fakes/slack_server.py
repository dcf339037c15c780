"""A local fake of the Slack Web API (and Socket Mode's websocket), for tests and the benchmark.

It answers the methods the adapter calls the way Slack does (`ok`, `channel`, `ts`, `view`), with
Slack's errors on bad input (a missing channel, invalid blocks, an unknown message to update),
and records every call, every `response_url` post and every Socket Mode acknowledgement.
Blocks are checked with slack_sdk's Block Kit models and against Slack's documented limits.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from tests.fakes.loopback import serve

BOT_USER = "UBOT"
MASS_MENTION = re.compile(r"<!(channel|here|everyone|subteam\^)")


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str = ""


def limit_problems(blocks: list[dict[str, Any]], max_blocks: int) -> list[str]:
    """Slack's documented limits that slack_sdk's models do not all check."""
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks (max {max_blocks})")
    for block in blocks:
        kind = block.get("type")
        if kind == "section" and len(block.get("text", {}).get("text", "")) > 3000:
            problems.append("section text over 3000")
        if kind == "header" and len(block["text"]["text"]) > 150:
            problems.append("header text over 150")
        if len(block.get("block_id", "")) > 255:
            problems.append("block_id over 255")
        for element in block.get("elements", []):
            if element.get("type") == "button":
                if len(element["text"]["text"]) > 75:
                    problems.append("button text over 75")
                if len(element.get("action_id", "")) > 255:
                    problems.append("action_id over 255")
                if len(element.get("value", "")) > 2000:
                    problems.append("button value over 2000")
        if kind == "actions" and len(block.get("elements", [])) > 25:
            problems.append("more than 25 elements in actions")
        if kind == "actions":
            ids = [e.get("action_id") for e in block.get("elements", [])]
            if len(ids) != len(set(ids)):
                problems.append("duplicate action_id in a block")
    return problems


def block_problems(blocks: Any, max_blocks: int = 50) -> list[str]:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not isinstance(blocks, list):
        return ["blocks is not a list"]
    problems = limit_problems(blocks, max_blocks)
    for raw in blocks:
        parsed = Block.parse(raw)
        if parsed is None:
            problems.append(f"unknown block {raw.get('type')!r}")
            continue
        try:
            parsed.validate_json()
        except SlackObjectFormationError as exc:
            problems.append(str(exc))
    return problems


def view_problems(view: Any) -> list[str]:
    if isinstance(view, str):
        view = json.loads(view)
    problems = block_problems(view.get("blocks", []), 100)
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError) as exc:
        problems.append(str(exc))
    title = (view.get("title") or {}).get("text", "")
    if view.get("type") == "modal" and len(title) > 24:
        problems.append("modal title over 24")
    if len(view.get("private_metadata", "")) > 3000:
        problems.append("private_metadata over 3000")
    return problems


@dataclass
class FakeSlack:
    """Start with `await fake.start()`; point the adapter at `fake.api_url`."""

    admins: set[str] = field(default_factory=set)
    # Users of another organisation seen in a Slack Connect channel: user id -> the fields
    # `users.info` gives for them (their own `team_id`, `is_stranger`, `enterprise_user`...).
    foreign: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The Enterprise Grid org this workspace belongs to, if any (`enterprise_user` on users).
    enterprise: str = ""
    groups: dict[str, list[str]] = field(default_factory=dict)
    # Channels the bot is not a member of: posting there fails as on Slack.
    outside: set[str] = field(default_factory=set)
    socket_envelopes: list[dict[str, Any]] = field(default_factory=list)
    # Tokens Slack no longer accepts (revoked, mistyped): every call with one is `invalid_auth`.
    rejected_tokens: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    responses: list[Call] = field(default_factory=list)
    # Response URL names that answer HTTP 404 `expired_url`, as Slack does after 30 minutes or
    # five uses.
    expired_response_urls: set[str] = field(default_factory=set)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    on_record: Callable[[Call], None] | None = None

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._changed = asyncio.Condition()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.url}/response/{name}"

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/link", self._socket)
        self._runner, self.port = await serve(app)
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- queries for tests ------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self) -> list[Call]:
        """Every message that reached a person: Web API posts, updates and response_url posts."""
        names = {"chat.postMessage", "chat.postEphemeral", "chat.update"}
        return [c for c in self.calls if c.method in names] + list(self.responses)

    async def wait_for(self, predicate: Callable[[FakeSlack], bool]) -> None:
        """Wait until `predicate(fake)` holds; callers bound the wait with `asyncio.timeout`."""
        async with self._changed:
            await self._changed.wait_for(lambda: predicate(self))

    async def _record(self, call: Call, into: list[Call]) -> None:
        into.append(call)
        if self.on_record is not None:
            self.on_record(call)
        async with self._changed:
            self._changed.notify_all()

    # -- Web API --------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        await self._record(Call(method, args, token), self.calls)
        if not token:
            return _json({"ok": False, "error": "not_authed"})
        if token in self.rejected_tokens:
            return _json({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return _json({"ok": False, "error": "unknown_method"})
        return _json(handler(args))

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _check_message(self, args: dict[str, Any]) -> str | None:
        if not args.get("channel"):
            return "channel_not_found"
        if args["channel"] in self.outside:
            return "not_in_channel"
        if not args.get("text") and not args.get("blocks"):
            return "no_text"
        if args.get("blocks"):
            problems = block_problems(args["blocks"])
            if problems:
                self.problems += problems
                return "invalid_blocks"
        return None

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://example.slack.com/", "team": "Example", "user": "careerbot",
                "team_id": "T1", "user_id": BOT_USER, "bot_id": "BBOT"}

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = self._check_message(args)
        if problem:
            return {"ok": False, "error": problem}
        ts = self._next_ts()
        message = {"type": "message", "ts": ts, "text": args.get("text", ""), "blocks": args.get("blocks", [])}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.messages[(args["channel"], ts)] = message
        return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = self._check_message(args)
        if problem:
            return {"ok": False, "error": problem}
        if not args.get("user"):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = self._check_message(args)
        if problem:
            return {"ok": False, "error": problem}
        key = (args["channel"], args.get("ts", ""))
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        self.messages[key].update(text=args.get("text", ""), blocks=args.get("blocks", []))
        return {"ok": True, "channel": key[0], "ts": key[1], "text": args.get("text", "")}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users", ""))
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}

    def _check_view(self, args: dict[str, Any]) -> str | None:
        if not args.get("view"):
            return "invalid_arguments"
        problems = view_problems(args["view"])
        if problems:
            self.problems += problems
            return "invalid_arguments"
        return None

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        problem = self._check_view(args)
        if problem:
            return {"ok": False, "error": problem}
        return {"ok": True, "view": {"id": f"V{next(self._ts)}"}}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        problem = self._check_view(args)
        if problem:
            return {"ok": False, "error": problem}
        return {"ok": True, "view": {"id": f"V{next(self._ts)}"}}

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = args.get("user", "")
        if not user:
            return {"ok": False, "error": "user_not_found"}
        admin = user in self.admins
        found: dict[str, Any] = {"id": user, "team_id": "T1", "name": user.lower(),
                                 "is_admin": admin, "is_owner": False}
        if self.enterprise:
            found["enterprise_user"] = {"id": user, "enterprise_id": self.enterprise,
                                        "is_admin": admin, "is_owner": False, "teams": ["T1"]}
        found.update(self.foreign.get(user, {}))
        return {"ok": True, "user": found}

    def _m_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = args.get("usergroup", "")
        if group not in self.groups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": self.groups[group]}

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}

    # -- response_url and Socket Mode ------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        payload = await request.json()
        name = request.match_info["name"]
        if name in self.expired_response_urls:
            # Slack's answer once a response URL is used up or older than 30 minutes.
            return web.Response(status=404, text="expired_url")
        await self._record(Call("response_url:" + name, payload), self.responses)
        if payload.get("blocks"):
            problems = block_problems(payload["blocks"])
            if problems:
                self.problems += problems
                return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        for envelope in self.socket_envelopes:
            await ws.send_str(json.dumps(envelope))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            try:
                data = json.loads(msg.data)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and "envelope_id" in data:
                self.socket_acks.append(data)
                async with self._changed:
                    self._changed.notify_all()
        return ws


def _json(data: dict[str, Any]) -> web.Response:
    return web.json_response(data)


def mass_mentions(calls: list[Call]) -> list[str]:
    """Every raw `<!channel>`-style mention anywhere in what was posted."""
    found: list[str] = []
    for call in calls:
        blob = json.dumps(call.args) if not isinstance(call.args, str) else call.args
        found += [m.group(0) for m in MASS_MENTION.finditer(blob)]
    return found
