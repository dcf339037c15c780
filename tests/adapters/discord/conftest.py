"""Fixtures: a fake Discord on loopback and the real discord.py client connected to it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

from adapters.discord_bot import CareerBot, create_client
from bot.config import Settings
from bot.kb.models import KnowledgeBase
from bot.service import Service
from bot.store import Store
from tests.adapters.discord.docfake_fixtures import docbot  # noqa: F401 (the second fake's)
from tests.adapters.discord.rev2fake_fixtures import rev2  # noqa: F401 (the third fake's)
from tests.adapters.discord.rev3fake_fixtures import rev3  # noqa: F401 (the fourth fake's)
from tests.adapters.discord.rev4fake_fixtures import rev4  # noqa: F401 (the fifth fake's)
from tests.fakes.discord_server import DUMMY_TOKEN, FakeDiscord


@dataclass
class Bot:
    """A running client: restart() stops it and starts a fresh one on the same store."""

    fake: FakeDiscord
    settings: Settings
    kb: KnowledgeBase
    service: Service
    client: CareerBot
    task: asyncio.Task[None]

    async def stop(self) -> None:
        await self.client.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(self.task, 5)

    async def restart(self) -> None:
        await self.stop()
        await self.service.store.close()
        self.service = await open_service(self.settings, self.kb)
        self.client, self.task = await start_client(self.fake, self.settings, self.service)


async def open_service(settings: Settings, kb: KnowledgeBase) -> Service:
    return Service(kb, await Store.open(settings.db_path))


async def start_client(fake: FakeDiscord, settings: Settings, service: Any
                       ) -> tuple[CareerBot, asyncio.Task[None]]:
    before = len(fake.identifies)
    client = create_client(settings, service)
    task = asyncio.create_task(client.start(DUMMY_TOKEN))
    for _ in range(200):
        if len(fake.identifies) > before:
            break
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    await fake.wait_ready()
    return client, task


@contextlib.asynccontextmanager
async def running_client(fake: FakeDiscord, settings: Settings, kb: KnowledgeBase
                         ) -> AsyncIterator[CareerBot]:
    """A client started against `fake` on its own store, closed and awaited afterwards."""
    service = await open_service(settings, kb)
    client, task = await start_client(fake, settings, service)
    try:
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, 5)  # a client that crashed fails the test here
        await service.store.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.stop()


@pytest.fixture
def settings(tmp_path: Path, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # Restored after each test: the client points these class attributes at the fake.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))
    return Settings(
        db_path=tmp_path / "careerbot.db",
        discord_token=DUMMY_TOKEN,
        discord_api_base=fake.api_base,
        discord_gateway_url=fake.gateway_url,
        discord_moderator_roles=("1600000000000000009", "Career Mods"),
    )


@pytest.fixture
async def bot(fake: FakeDiscord, settings: Settings, kb: KnowledgeBase) -> AsyncIterator[Bot]:
    service = await open_service(settings, kb)
    client, task = await start_client(fake, settings, service)
    running = Bot(fake, settings, kb, service, client, task)
    yield running
    await running.stop()
    await running.service.store.close()
