"""Quiz answers and starts committed in groups: whatever arrives while a write is in flight
shares the next transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.replies import ButtonPress, Context, Reply


@dataclass(frozen=True)
class PendingAnswer:
    press: ButtonPress
    session_id: str
    step: int
    option_id: str


@dataclass(frozen=True)
class PendingStart:
    ctx: Context
    quiz_id: str
    restart: bool
    replace: bool
    expected: str | None = None


Pending = PendingAnswer | PendingStart


class AnswerWriter:
    """Group commit: answers and starts that arrive while a write is in flight share the next
    transaction.

    One SQLite writer commits a few hundred small transactions a second through aiosqlite; most
    of that time is the round trips, not the work. Batching keeps the per-answer rule (committed
    before the reply) while the cost of a commit is shared by everyone waiting for it. With no
    contention a batch holds a single answer, so a lone member sees no extra delay.
    """

    MAX_BATCH = 256

    def __init__(self, apply: Callable[[list[Pending]], Awaitable[list[Reply]]]):
        self._apply = apply
        self._queue: list[tuple[Pending, asyncio.Future[Reply]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, pending: Pending) -> Reply:
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._queue.append((pending, future))
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self.MAX_BATCH]
                del self._queue[: self.MAX_BATCH]
                try:
                    replies = await self._apply([p for p, _ in batch])
                except BaseException as exc:
                    # The transaction rolled back: nobody in the batch had anything recorded.
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                    continue
                for (_, future), reply in zip(batch, replies, strict=True):
                    if not future.done():
                        future.set_result(reply)
        finally:
            self._task = None
