"""What a feature (quizzes, moderation, forget-me) may use of the service that hosts it, as a
type. Features import this Protocol, never `bot.service`, so the layers point one way even for
type checking: the service assembles the features, the features do not know the service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.kb.models import KnowledgeBase
from bot.replies import ButtonPress, Command, FormSubmit, Reply
from bot.store import Store
from bot.views import KnowledgeView, Overlay


class FeatureHost(Protocol):
    store: Store
    clock: Callable[[], float]
    overlay: Overlay | None
    commands: dict[str, Callable[[Command], Awaitable[Reply]]]
    buttons: dict[str, Callable[[ButtonPress], Awaitable[Reply]]]
    forms: dict[str, Callable[[FormSubmit], Awaitable[Reply]]]

    @property
    def kb(self) -> KnowledgeBase: ...

    async def view(self, community: str, *, fresh: bool = False) -> KnowledgeView: ...

    def forget_home(self, member_key: str) -> None: ...

    async def wellbeing_reply(self, cmd: Command) -> Reply | None: ...
