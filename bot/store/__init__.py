"""Async SQLite persistence: every piece of state the bot keeps, and all of its SQL.

`Store` is one connection with the queries of each table group mixed in; each group lives in a
module of its own (`asks`, `settings`, `privacy`, `overlay`, `feedback`, `quiz`,
`health`), the connection and the
migrations in `database` and `migrations`.
"""

from __future__ import annotations

from bot.store.asks import AskQueries, UnansweredItem
from bot.store.database import Database, StoreError
from bot.store.feedback import DraftQueries, FeedbackQueries
from bot.store.health import HealthQueries, Heartbeat
from bot.store.overlay import OverlayQueries
from bot.store.privacy import Forgotten, PrivacyQueries
from bot.store.quiz import QuizQueries
from bot.store.settings import SUPPORT_LINE, SettingsQueries

__all__ = ["SUPPORT_LINE", "Database", "Forgotten", "Heartbeat", "Store", "StoreError",
           "UnansweredItem"]


class Store(AskQueries, SettingsQueries, PrivacyQueries, OverlayQueries, FeedbackQueries,
            DraftQueries, QuizQueries, HealthQueries):
    """The bot's database."""
