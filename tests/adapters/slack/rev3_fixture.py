"""Fixture: the real bridge served on loopback against `rev3fake.Fake3`."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.slack_app import create_bridge, web_app
from bot.service import Service
from bot.store import Store
from tests.adapters.slack.rev3fake import Driver, Fake3
from tests.fakes.slack_harness import knowledge, slack_settings


@pytest.fixture
async def rev3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Driver]:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    fake = await Fake3().start()
    store = await Store.open(tmp_path / "careerbot.db")
    service = Service(knowledge(), store)
    secret = secrets.token_hex(8)
    settings: Any = slack_settings(tmp_path, fake.url + "/api/", secret,
                                   slack_moderator_users=("UMOD",))
    bridge = create_bridge(settings, service)
    runner = web.AppRunner(web_app(bridge), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    driver = Driver(f"http://127.0.0.1:{port}/slack/events", secret, fake, session, bridge)
    driver.service = service  # type: ignore[attr-defined]
    yield driver
    await session.close()
    await bridge.drain()
    await runner.cleanup()
    await store.close()
    await fake.stop()
