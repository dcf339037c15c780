"""The composition root: load the knowledge base, open the store, build the service, start the
platforms.

This is the one module in `bot/` that reaches for the adapters, and only inside functions, so
that `careerbot ask`, the console and the rest of the core never import discord.py or slack-bolt.
The command line (`bot.cli`) calls in here; nothing in the core calls the command line.
"""

from __future__ import annotations

import asyncio
import importlib
import logging

from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.kb.models import KnowledgeBase
from bot.replies import Context
from bot.service import Service
from bot.store import Store

log = logging.getLogger(__name__)


class StartupError(Exception):
    """A failure the admin can fix (a refused token, a missing setting); printed as one line."""


def load_kb(settings: Settings) -> KnowledgeBase:
    """The knowledge base, checked against the source documents when they sit beside the
    project (`../shared/sources`) or where `CAREERBOT_SOURCES` points."""
    sources = settings.sources_dir
    if sources is None:
        default = settings.knowledge_dir.resolve().parent.parent / "shared" / "sources"
        sources = default if default.is_dir() else None
    return load_knowledge(settings.knowledge_dir, sources)


async def open_service(settings: Settings) -> Service:
    """Load the knowledge base and open the store; the caller closes `service.store`."""
    kb = load_kb(settings)
    store = await Store.open(settings.db_path)
    return Service(kb, store, settings=settings)


CONSOLE_COMMUNITY = "local"


def console_context(user: str = "you", moderator: bool = False) -> Context:
    """Who the console speaks as: a direct conversation in the community `local`."""
    return Context(platform="console", community=CONSOLE_COMMUNITY, channel="console", user=user,
                   user_name=user, is_dm=True, is_moderator=moderator)


async def run_console(settings: Settings, user: str = "you", moderator: bool = False) -> int:
    import sys

    from adapters.console import chat

    service = await open_service(settings)
    try:
        return await chat(service, console_context(user, moderator), sys.stdin, sys.stdout,
                          sys.stdin.isatty())
    finally:
        await service.store.close()


async def run_all(settings: Settings) -> int:
    """`careerbot run`: every platform whose credentials are set, or the console if none is."""
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
    import discord

    from adapters import discord_bot

    service = await open_service(settings)
    try:
        names = await discord_bot.sync(settings, service)
    except discord.LoginFailure as exc:
        raise StartupError("Discord refused the token (DISCORD_TOKEN); check it in the developer portal") from exc
    except discord.HTTPException as exc:
        raise StartupError(f"Discord refused the sync: HTTP {exc.status} {discord_bot.redact(exc.text)[:200]}") from exc
    finally:
        await service.store.close()
    where = (f"guild {settings.discord_dev_guild}" if settings.discord_dev_guild
             else "all servers (global; may take up to an hour to appear)")
    return f"synced {len(names)} commands to {where}: {', '.join(sorted(names))}"
