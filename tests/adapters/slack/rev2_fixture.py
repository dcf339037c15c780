"""Fixture: careerbot's bolt app on loopback, against `Rev2Slack`."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.slack_app import create_bridge, web_app
from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.service import Service
from bot.store import Store
from tests import REPO
from tests.adapters.slack.rev2fake import Rev2Client, Rev2Slack


@pytest.fixture
async def rev2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    fake = await Rev2Slack(admins={"UADMIN"}).start()
    store = await Store.open(tmp_path / "careerbot.db")
    service = Service(load_knowledge(REPO / "knowledge"), store)
    secret = secrets.token_hex(8)
    settings = Settings(db_path=tmp_path / "careerbot.db", slack_bot_token="test-bot-token",
                        slack_signing_secret=secret, slack_api_url=fake.url + "/api/")
    bridge = create_bridge(settings, service)
    runner = web.AppRunner(web_app(bridge), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    client = Rev2Client(fake, f"http://127.0.0.1:{port}/slack/events", secret, session)
    client.bridge = bridge  # type: ignore[attr-defined]
    client.service = service  # type: ignore[attr-defined]
    yield client
    await session.close()
    await bridge.drain()
    await runner.cleanup()
    await store.close()
    await fake.stop()
