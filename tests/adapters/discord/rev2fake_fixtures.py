"""Fixtures for tests against `rev2fake`: the real client on its own store."""

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
from tests.adapters.discord.rev2fake import TOKEN, Rev2Discord


@dataclass
class Rev2Bot:
    fake: Rev2Discord
    client: CareerBot
    service: Service
    settings: Settings
    task: asyncio.Task[None]

    async def restart(self) -> None:
        await self.client.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.task, 5)
        await self.service.store.close()
        self.fake.ready.clear()
        self.service = Service(self.service.kb, await Store.open(self.settings.db_path))
        self.client, self.task = await _start(self.fake, self.settings, self.service)


async def _start(fake: Rev2Discord, settings: Settings, service: Service
                 ) -> tuple[CareerBot, asyncio.Task[None]]:
    client = create_client(settings, service, sync_commands=False)
    task = asyncio.create_task(client.start(TOKEN))
    await asyncio.wait_for(fake.ready.wait(), 20)
    for _ in range(100):
        if client.is_ready() and client.get_guild(int(fake.guild()["id"])) is not None:
            break
        await asyncio.sleep(0.05)
    return client, task


@pytest.fixture
async def rev2(tmp_path: Path, kb: Any, monkeypatch: pytest.MonkeyPatch
               ) -> AsyncIterator[Rev2Bot]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))
    fake = await Rev2Discord().start()
    settings = Settings(db_path=tmp_path / "careerbot.db", discord_token=TOKEN,
                        discord_api_base=fake.api_base, discord_gateway_url=fake.gateway_url,
                        discord_moderator_roles=("Career Mods",))
    service = Service(kb, await Store.open(settings.db_path))
    client, task = await _start(fake, settings, service)
    running = Rev2Bot(fake, client, service, settings, task)
    yield running
    await running.client.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(running.task, 5)
    await running.service.store.close()
    await fake.stop()
