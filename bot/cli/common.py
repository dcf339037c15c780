"""What every subcommand shares: the one-line error and how problems print."""

from __future__ import annotations

from bot.app import StartupError
from bot.kb.problems import Problem

EXIT_USAGE = 2


class CliError(StartupError):
    """A failure the user can fix; printed as one line."""


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)
