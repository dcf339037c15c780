"""`careerbot run`: the composition root that starts every configured platform.

This is the one place in the core that may reach for an adapter, and it does so lazily, so that
the console and `careerbot ask` never import discord.py or slack-bolt.
"""

from __future__ import annotations

import asyncio
import importlib
import logging

from bot.config import Settings

log = logging.getLogger(__name__)


async def run_all(settings: Settings) -> int:
    from bot.cli import open_service

    platforms: list[str] = []
    if settings.discord_enabled:
        platforms.append("adapters.discord_bot")
    if settings.slack_enabled:
        platforms.append("adapters.slack_app")
    if not platforms:
        from adapters.console import run_console

        print("No Discord or Slack credentials found: starting the console chat.")
        return await run_console(settings)

    service = await open_service(settings)
    try:
        tasks = []
        for name in platforms:
            module = importlib.import_module(name)
            log.info("starting %s", name)
            tasks.append(asyncio.create_task(module.run(settings, service), name=name))
        await asyncio.gather(*tasks)
        return 0
    finally:
        await service.store.close()
