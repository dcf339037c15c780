"""What a match returns: its status, the entry answered, and the entries worth suggesting. The
adapters, the renderer and the command line read these; `bot.matching` produces them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.kb.models import Entry

Status = Literal[
    "answered", "ambiguous", "uncovered", "unknown", "chitchat", "safety", "support"
]


@dataclass(frozen=True)
class Suggestion:
    id: str
    topic: str
    question: str


@dataclass(frozen=True)
class MatchResult:
    status: Status
    score: float
    entry: Entry | None
    suggestions: tuple[Suggestion, ...]
    query_terms: tuple[str, ...] = ()
    # For `chitchat`: the short friendly line to send back.
    reply: str = ""
    # For `safety` and `support`: the member is worried about another person, not themself.
    about_someone: bool = False
