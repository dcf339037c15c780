"""The test harness: signed requests to the bolt app on loopback, and checks on what was posted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import aiohttp

from adapters.slack_app import SlackBridge
from adapters.slack_render import parse_action_id
from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.kb.models import KnowledgeBase
from bot.service import Service
from tests import REPO
from tests.fakes.slack_payloads import (
    FORM,
    JSON,
    app_home_opened,
    app_mention,
    block_actions,
    interactive_body,
    message_action,
    sign,
    slash_command_body,
    view_submission,
)
from tests.fakes.slack_server import FakeSlack, block_problems, mass_mentions

ROOT = REPO
BOT_TOKEN = "xoxb-testfake"


@cache
def knowledge() -> KnowledgeBase:
    return load_knowledge(ROOT / "knowledge")


@dataclass
class Sent:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


@dataclass
class SlackHarness:
    fake: FakeSlack
    bridge: SlackBridge
    service: Service
    secret: str
    endpoint: str
    session: aiohttp.ClientSession
    moderators: set[str] = field(default_factory=set)

    async def post(self, body: str | bytes, content_type: str, timestamp: int | str | None = None,
                   secret: str | None = None, headers: dict[str, str] | None = None) -> Sent:
        signed = sign(secret or self.secret, body, content_type, timestamp)
        return await self.send(body, {**signed.headers, **(headers or {})})

    async def send(self, body: str | bytes, headers: dict[str, str]) -> Sent:
        """Post exactly these bytes and headers (signed or not), then wait for the work it started."""
        data = body.encode() if isinstance(body, str) else body
        async with self.session.post(self.endpoint, data=data, headers=headers) as resp:
            sent = Sent(resp.status, await resp.text())
        await self.bridge.drain()
        return sent

    async def command(self, text: str, user: str = "U1", channel: str = "C1", **kw: Any) -> Sent:
        body = slash_command_body(text, self.fake.response_url(f"cmd-{user}"), user=user,
                                  channel=channel, **kw)
        return await self.post(body, FORM)

    async def click(self, action_id: str, value: str | None, **kw: Any) -> Sent:
        kw.setdefault("response_url", self.fake.response_url("click"))
        return await self.post(interactive_body(block_actions(action_id, value, **kw)), FORM)

    async def submit(self, view: dict[str, Any], values: dict[str, str], user: str = "U1") -> Sent:
        return await self.post(interactive_body(view_submission(view, values, user)), FORM)

    async def shortcut(self, text: str, user: str = "U1", author: str = "U2") -> Sent:
        payload = message_action(text, self.fake.response_url("shortcut"), user=user,
                                 author=author)
        return await self.post(interactive_body(payload), FORM)

    async def mention(self, text: str, **kw: Any) -> Sent:
        return await self.post(json.dumps(app_mention(text, **kw)), JSON)

    async def home(self, user: str = "U1") -> Sent:
        return await self.post(json.dumps(app_home_opened(user)), JSON)




def slack_settings(tmp_path: Path, api_url: str, secret: str, **kw: Any) -> Settings:
    return Settings(
        db_path=tmp_path / "careerbot.db",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=secret,
        slack_api_url=api_url,
        **kw,
    )


def assert_clean(fake: FakeSlack) -> None:
    """Every post was accepted by the fake, passed Block Kit validation and mentions nobody."""
    assert fake.problems == []
    assert mass_mentions(fake.posted()) == []
    for call in fake.posted():
        if call.args.get("blocks"):
            assert block_problems(call.args["blocks"]) == []


def button_ids(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(core action, payload) for every button in the blocks."""
    return [
        (parse_action_id(e["action_id"]) or "", e.get("value", ""))
        for b in blocks if b["type"] == "actions" for e in b["elements"]
    ]
