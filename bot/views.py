"""What one community sees: the YAML base with its own entries on top, and the index over them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.kb.models import Entry
from bot.matching import Matcher


class Overlay(Protocol):
    """A community's own entries on top of the YAML base (implemented by moderation)."""

    async def version(self, community: str) -> int: ...

    async def entries(self, community: str, base: list[Entry]) -> list[Entry]: ...


@dataclass
class KnowledgeView:
    """What one community sees: its entries, their index, and aliases."""

    version: int
    entries: list[Entry]
    matcher: Matcher
    by_id: dict[str, Entry]
    aliases: dict[str, str]
