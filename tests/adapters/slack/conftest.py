"""Fixtures: the real bolt app served over HTTP on loopback, talking to a fake Slack Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.slack_app import create_bridge, web_app
from bot.facade import HealthProbe
from bot.service import Service
from bot.store import Store
from tests.adapters.slack.rev2_fixture import rev2  # noqa: F401 (a fixture for its tests)
from tests.adapters.slack.rev3_fixture import rev3  # noqa: F401 (a fixture for its tests)
from tests.adapters.slack.rev4fake import rev4  # noqa: F401 (a fixture for its tests)
from tests.fakes.slack_harness import SlackHarness, knowledge, slack_settings
from tests.fakes.slack_payloads import new_signing_secret
from tests.fakes.slack_server import FakeSlack


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


@pytest.fixture
async def make_slack(fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Serve a bridge over `service` on loopback; returns a harness that sends signed requests."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    cleanup: list[Any] = []

    async def make(service: Any, health: HealthProbe | None = None,
                   **settings_kw: Any) -> SlackHarness:
        secret = new_signing_secret()
        settings_kw.setdefault("slack_moderator_users", ("UMOD",))
        settings = slack_settings(tmp_path, fake.api_url, secret, **settings_kw)
        bridge = create_bridge(settings, service)
        runner = web.AppRunner(web_app(bridge, health=health), access_log=None)
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
