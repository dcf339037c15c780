"""Fixtures: the real bolt app served over HTTP on loopback, talking to a fake Slack Web API."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

sys.path.insert(0, str(Path(__file__).parent))

from slack_fake import FakeSlack  # noqa: E402
from slack_payloads import (  # noqa: E402
    FORM,
    JSON,
    app_home_opened,
    app_mention,
    block_actions,
    interactive_body,
    message_action,
    new_signing_secret,
    sign,
    slash_command_body,
    view_submission,
)

from adapters.slack_app import SlackBridge, create_bridge, web_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.knowledge import KnowledgeBase, load_knowledge  # noqa: E402
from bot.service import Service  # noqa: E402
from bot.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BOT_TOKEN = "xoxb-test-not-a-real-token"


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

    async def post(self, body: str, content_type: str, timestamp: int | None = None,
                   secret: str | None = None) -> Sent:
        signed = sign(secret or self.secret, body, content_type, timestamp)
        async with self.session.post(self.endpoint, data=body.encode(), headers=signed.headers) as resp:
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

    async def shortcut(self, text: str, user: str = "U1") -> Sent:
        payload = message_action(text, self.fake.response_url("shortcut"), user=user)
        return await self.post(interactive_body(payload), FORM)

    async def mention(self, text: str, **kw: Any) -> Sent:
        return await self.post(json.dumps(app_mention(text, **kw)), JSON)

    async def home(self, user: str = "U1") -> Sent:
        return await self.post(json.dumps(app_home_opened(user)), JSON)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack(admins={"UADMIN"}).start()
    yield server
    await server.stop()


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    store = await Store.open(tmp_path / "careerbot.db")
    yield Service(knowledge(), store)
    await store.close()


def slack_settings(tmp_path: Path, api_url: str, secret: str, **kw: Any) -> Settings:
    return Settings(
        db_path=tmp_path / "careerbot.db",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=secret,
        slack_api_url=api_url,
        **kw,
    )


@pytest.fixture
async def make_slack(fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Serve a bridge over `service` on loopback; returns a harness that sends signed requests."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    cleanup: list[Any] = []

    async def make(service: Any, **settings_kw: Any) -> SlackHarness:
        secret = new_signing_secret()
        settings_kw.setdefault("slack_moderator_users", ("UMOD",))
        settings = slack_settings(tmp_path, fake.api_url, secret, **settings_kw)
        bridge = create_bridge(settings, service)
        runner = web.AppRunner(web_app(bridge), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        session = aiohttp.ClientSession()
        cleanup.append((bridge, runner, session))
        return SlackHarness(fake, bridge, service, secret,
                            f"http://127.0.0.1:{port}/slack/events", session)

    yield make
    for bridge, runner, session in cleanup:
        await session.close()
        await bridge.drain()
        await runner.cleanup()


@pytest.fixture
async def slack(make_slack: Any, service: Service) -> SlackHarness:
    return await make_slack(service)
