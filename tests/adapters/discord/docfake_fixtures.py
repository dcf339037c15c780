"""Fixtures for tests against `docfake`: the real client on its own store."""

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
from bot.service import Service
from bot.store import Store
from tests.adapters.discord.docfake import TOKEN, DocFake


@dataclass
class Running:
    fake: DocFake
    client: CareerBot
    service: Service
    task: asyncio.Task[None]


@pytest.fixture
async def docbot(tmp_path: Path, kb: Any, monkeypatch: pytest.MonkeyPatch
                 ) -> AsyncIterator[Running]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))
    fake = await DocFake().start()
    settings = Settings(db_path=tmp_path / "careerbot.db", discord_token=TOKEN,
                        discord_api_base=fake.api_base, discord_gateway_url=fake.gateway_url)
    service = Service(kb, await Store.open(settings.db_path))
    client = create_client(settings, service, sync_commands=False)
    task = asyncio.create_task(client.start(TOKEN))
    await asyncio.wait_for(fake.ready.wait(), 20)
    for _ in range(100):
        if client.is_ready():
            break
        await asyncio.sleep(0.05)
    yield Running(fake, client, service, task)
    await client.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 5)
    await service.store.close()
    await fake.stop()


def slow_core(running: Running, seconds: float = 0.3) -> None:
    """The core takes `seconds` per event and the client defers almost at once: every reply
    goes through Discord's deferred placeholder."""
    real = running.service.handle

    async def slow(event: Any) -> Any:
        await asyncio.sleep(seconds)
        return await real(event)

    running.service.handle = slow  # type: ignore[method-assign]
    running.client.response_budget = 0.05
