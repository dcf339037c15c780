"""Quiz sessions (one active run per member and quiz), results and the start/complete events
`stats` counts.

Every method but `latest_results` takes `db`: quiz writes are checked against the stored session
inside the caller's `transaction()` (see `bot.quiz.sessions`), so a check and its write are one
transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.store.database import Database

ACTIVE, COMPLETED, CANCELLED = "active", "completed", "cancelled"
_COLUMNS = "id, community, user_id, quiz_id, status, step, question_id, answers, started_at, updated_at"


@dataclass
class Session:
    """One member's run through one quiz; `answers` are (question id, option id) pairs."""

    id: str
    community: str
    user_id: str
    quiz_id: str
    status: str
    step: int
    question_id: str | None
    answers: list[tuple[str, str]]
    started_at: float
    updated_at: float

    @classmethod
    def from_row(cls, row: Any) -> Session:
        answers = [(q, o) for q, o in json.loads(row[7])]
        return cls(row[0], row[1], row[2], row[3], row[4], int(row[5]), row[6], answers,
                   float(row[8]), float(row[9]))

    def row(self) -> tuple[Any, ...]:
        return (self.id, self.community, self.user_id, self.quiz_id, self.status, self.step,
                self.question_id, json.dumps(self.answers), self.started_at, self.updated_at)


# (session id, community, user id, quiz id, profile id, result as JSON)
ResultRow = tuple[str, str, str, str, str, str]


class QuizQueries(Database):
    @staticmethod
    async def purge_sessions(db: aiosqlite.Connection, before: float) -> int:
        """Delete sessions idle since before `before` (finished ones too: results are kept)."""
        # Naming every status lets SQLite use the (status, updated_at) index instead of a scan.
        cursor = await db.execute(
            "DELETE FROM quiz_sessions WHERE status IN (?, ?, ?) AND updated_at < ?",
            (ACTIVE, COMPLETED, CANCELLED, before),
        )
        return cursor.rowcount

    @staticmethod
    async def active_sessions(db: aiosqlite.Connection, user_id: str, idle_before: float
                              ) -> list[Session]:
        """The member's active runs, after deleting those idle since before `idle_before`."""
        await db.execute(
            "DELETE FROM quiz_sessions WHERE user_id = ? AND status = ? AND updated_at < ?",
            (user_id, ACTIVE, idle_before),
        )
        rows = await db.execute_fetchall(
            f"SELECT {_COLUMNS} FROM quiz_sessions WHERE user_id = ? AND status = ?",
            (user_id, ACTIVE),
        )
        return [Session.from_row(row) for row in rows]

    @staticmethod
    async def session(db: aiosqlite.Connection, session_id: str) -> Session | None:
        rows = list(await db.execute_fetchall(
            f"SELECT {_COLUMNS} FROM quiz_sessions WHERE id = ?", (session_id,)
        ))
        return Session.from_row(rows[0]) if rows else None

    @staticmethod
    async def sessions_for(db: aiosqlite.Connection, ids: list[str], users: list[str]
                           ) -> list[Session]:
        """The sessions with these ids, and the active sessions of these members."""
        rows = await db.execute_fetchall(
            f"SELECT {_COLUMNS} FROM quiz_sessions WHERE id IN ({', '.join('?' * len(ids))})"
            f" OR (status = ? AND user_id IN ({', '.join('?' * len(users))}))",
            [*ids, ACTIVE, *users],
        )
        return [Session.from_row(row) for row in rows]

    @staticmethod
    async def delete_sessions(db: aiosqlite.Connection, ids: list[str]) -> None:
        await db.executemany("DELETE FROM quiz_sessions WHERE id = ?", [(i,) for i in ids])

    @staticmethod
    async def cancel_sessions(db: aiosqlite.Connection, user_id: str, quiz_id: str | None,
                              now: float) -> list[str]:
        """Cancel the member's active run of `quiz_id` (or of every quiz); returns the quiz ids."""
        where = "user_id = ? AND status = ?" + (" AND quiz_id = ?" if quiz_id else "")
        params: tuple[str, ...] = (user_id, ACTIVE) + ((quiz_id,) if quiz_id else ())
        rows = await db.execute_fetchall(f"SELECT quiz_id FROM quiz_sessions WHERE {where}", params)
        await db.execute(f"UPDATE quiz_sessions SET status = ?, updated_at = ? WHERE {where}",
                         (CANCELLED, now, *params))
        return [str(row[0]) for row in rows]

    @staticmethod
    async def update_sessions(db: aiosqlite.Connection, sessions: list[Session]) -> None:
        await db.executemany(
            "UPDATE quiz_sessions SET step = ?, question_id = ?, answers = ?,"
            " updated_at = ?, status = ? WHERE id = ?",
            [(s.step, s.question_id, json.dumps(s.answers), s.updated_at, s.status, s.id)
             for s in sessions],
        )

    @staticmethod
    async def insert_sessions(db: aiosqlite.Connection, sessions: list[Session], now: float) -> None:
        """New runs, and their `start` events."""
        await db.executemany(
            f"INSERT INTO quiz_sessions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [s.row() for s in sessions],
        )
        await db.executemany(
            "INSERT INTO quiz_events (community, user_id, quiz_id, kind, at)"
            " VALUES (?, ?, ?, 'start', ?)",
            [(s.community, s.user_id, s.quiz_id, now) for s in sessions],
        )

    @staticmethod
    async def save_results(db: aiosqlite.Connection, results: list[ResultRow], now: float) -> None:
        """Finished runs' results, and their `complete` events."""
        await db.executemany(
            "INSERT INTO quiz_results (session_id, community, user_id, quiz_id, profile_id, result,"
            " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*r, now) for r in results],
        )
        await db.executemany(
            "INSERT INTO quiz_events (community, user_id, quiz_id, kind, at)"
            " VALUES (?, ?, ?, 'complete', ?)",
            [(community, user, quiz_id, now) for _, community, user, quiz_id, _, _ in results],
        )

    async def latest_results(self, user_id: str) -> list[tuple[str, str, str, float]]:
        """(quiz id, profile id, result JSON, finished at): the member's newest result per quiz."""
        rows = await self.fetchall(
            "SELECT quiz_id, profile_id, result, finished_at FROM quiz_results"
            " WHERE user_id = ? ORDER BY finished_at DESC, id DESC",
            (user_id,),
        )
        latest: dict[str, tuple[str, str, str, float]] = {}
        for quiz_id, profile_id, result, finished_at in rows:
            latest.setdefault(quiz_id, (quiz_id, profile_id, result, float(finished_at)))
        return list(latest.values())
