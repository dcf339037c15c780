"""Fixtures for tests against `rev3fake`: the real client on its own store."""

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
from tests.adapters.discord.rev3fake import TOKEN, Rev3Fake


@dataclass
class Rev3:
    fake: Rev3Fake
    client: CareerBot
    service: Service


@pytest.fixture
async def rev3(tmp_path: Path, kb: Any, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Rev3]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))
    fake = await Rev3Fake().start()
    settings = Settings(db_path=tmp_path / "careerbot.db", discord_token=TOKEN,
                        discord_api_base=fake.api_base, discord_gateway_url=fake.gateway_url)
    service = Service(kb, await Store.open(settings.db_path))
    client = create_client(settings, service, sync_commands=False)
    task = asyncio.create_task(client.start(TOKEN))
    await asyncio.wait_for(fake.ready.wait(), 20)
    for _ in range(100):
        if client.is_ready() and len(client.guilds) == 2:
            break
        await asyncio.sleep(0.05)
    yield Rev3(fake, client, service)
    await client.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 5)
    await service.store.close()
    await fake.stop()
