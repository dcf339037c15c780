"""`python -m bot`, and the composition root.

This is the one module in `bot/` that reaches for the adapters, and only inside functions, so
that `careerbot ask`, the console and the rest of the core never import discord.py or slack-bolt.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys

from bot.config import Settings

log = logging.getLogger(__name__)


async def run_console(settings: Settings, user: str = "you", moderator: bool = False) -> int:
    from adapters.console import run_console as console

    return await console(settings, user=user, moderator=moderator)


async def run_all(settings: Settings) -> int:
    """`careerbot run`: every platform whose credentials are set, or the console if none is."""
    from bot.cli import open_service

    platforms: list[str] = []
    if settings.discord_enabled:
        platforms.append("adapters.discord_bot")
    if settings.slack_enabled:
        platforms.append("adapters.slack_app")
    if not platforms:
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


async def sync_discord_commands(settings: Settings) -> str:
    """`careerbot discord sync`: register the slash commands now; returns what was synced."""
    from adapters import discord_bot
    from bot.cli import CliError, open_service

    service = await open_service(settings)
    try:
        names = await discord_bot.sync(settings, service)
    except discord_bot.discord.LoginFailure as exc:
        raise CliError("Discord refused the token (DISCORD_TOKEN); check it in the developer portal") from exc
    except discord_bot.discord.HTTPException as exc:
        raise CliError(f"Discord refused the sync: HTTP {exc.status} {discord_bot.redact(exc.text)[:200]}") from exc
    finally:
        await service.store.close()
    where = (f"guild {settings.discord_dev_guild}" if settings.discord_dev_guild
             else "all servers (global; may take up to an hour to appear)")
    return f"synced {len(names)} commands to {where}: {', '.join(sorted(names))}"


def main() -> int:
    from bot.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
