"""`careerbot discord sync`: register the slash commands with Discord on demand.

discord.py is imported only by the composition root (`bot/app.py`) when this runs, so
`careerbot ask` and the console never load it.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.app import sync_discord_commands
from bot.cli.common import CliError
from bot.config import Settings


def add_parser(sub: Any) -> None:
    discord_parser = sub.add_parser("discord", help="Discord tools (command sync)")
    discord_sub = discord_parser.add_subparsers(dest="discord_command", metavar="DISCORD_COMMAND")
    sync = discord_sub.add_parser(
        "sync",
        help="register the slash commands (to DISCORD_DEV_GUILD if set, else globally)",
    )
    sync.set_defaults(func=cmd_sync)
    discord_parser.set_defaults(func=None, parser=discord_parser)


async def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.discord_token.get_secret_value():
        raise CliError("DISCORD_TOKEN is not set (put it in the environment or .env)")
    print(await sync_discord_commands(settings))
    return 0
