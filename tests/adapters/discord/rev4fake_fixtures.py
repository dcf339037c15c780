"""Fixtures for tests against `rev4fake`: the real client on its own store."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
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
from tests.adapters.discord.rev4fake import TOKEN, Rev4Fake


@dataclass
class Rev4:
    fake: Rev4Fake
    client: CareerBot
    service: Service


async def until(check: Callable[[], Any], seconds: float = 5.0) -> Any:
    for _ in range(int(seconds / 0.02)):
        found = check()
        if found:
            return found
        await asyncio.sleep(0.02)
    return check()


@contextlib.asynccontextmanager
async def rev4_bot(tmp_path: Path, kb: Any, fake: Rev4Fake, **settings: Any
                   ) -> AsyncIterator[Rev4]:
    await fake.start()
    config = Settings(db_path=tmp_path / "careerbot.db", discord_token=TOKEN,
                      discord_api_base=fake.api_base, discord_gateway_url=fake.gateway_url,
                      **settings)
    service = Service(kb, await Store.open(config.db_path))
    client = create_client(config, service, sync_commands=False)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        await until(lambda: fake.ready.is_set() or task.done(), 20)
        if task.done():
            task.result()
        await until(lambda: client.is_ready() and client.guilds)
        yield Rev4(fake, client, service)
    finally:
        await client.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 5)
        await service.store.close()
        await fake.stop()


@pytest.fixture
def rev4(tmp_path: Path, kb: Any, monkeypatch: pytest.MonkeyPatch
         ) -> Callable[..., contextlib.AbstractAsyncContextManager[Rev4]]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        yarl.URL(str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)))
    return lambda fake, **settings: rev4_bot(tmp_path, kb, fake, **settings)
