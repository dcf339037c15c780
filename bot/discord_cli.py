"""`careerbot discord sync`: register the slash commands with Discord on demand.

discord.py is imported inside the handler, so `careerbot ask` and the console never load it.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings


def add_subcommands(sub: Any) -> None:
    discord_parser = sub.add_parser("discord", help="Discord tools (command sync)")
    discord_sub = discord_parser.add_subparsers(dest="discord_command", metavar="DISCORD_COMMAND")
    sync = discord_sub.add_parser(
        "sync",
        help="register the slash commands (to DISCORD_DEV_GUILD if set, else globally)",
    )
    sync.set_defaults(func=cmd_sync)
    discord_parser.set_defaults(func=None, parser=discord_parser)


async def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import CliError, open_service

    if not settings.discord_token:
        raise CliError("DISCORD_TOKEN is not set (put it in the environment or .env)")
    from adapters import discord_bot

    service = await open_service(settings)
    try:
        names = await discord_bot.sync(settings, service)
    except discord_bot.discord.LoginFailure as exc:
        raise CliError("Discord refused the token (DISCORD_TOKEN); check it in the developer portal") from exc
    except discord_bot.discord.HTTPException as exc:
        raise CliError(f"Discord refused the sync: HTTP {exc.status} {discord_bot.redact(exc.text)[:200]}") from exc
    finally:
        await service.store.close()
    where = f"guild {settings.discord_dev_guild}" if settings.discord_dev_guild else "all servers (global; may take up to an hour to appear)"
    print(f"synced {len(names)} commands to {where}: {', '.join(sorted(names))}")
    return 0
