from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.store import Store, StoreError
from bot.store.migrations import MIGRATIONS
from tests import REPO


async def test_migrations_run_once_and_wal_is_on(tmp_path: Path):
    path = tmp_path / "a.db"
    store = await Store.open(path)
    assert await store.schema_version() == len(MIGRATIONS)
    mode = await store.fetchone("PRAGMA journal_mode")
    assert mode[0].lower() == "wal"
    await store.close()
    again = await Store.open(path)  # reopening must not re-run migrations
    assert await again.schema_version() == len(MIGRATIONS)
    await again.close()


async def test_unknown_questions_are_counted_per_community(store: Store):
    for user in ("a", "b", "a"):
        await store.record_ask(community="c1", user_id=user, status="unknown", entry_id=None,
                               score=0.1, norm="gpu advice", sample="GPU advice?", now=10.0)
    await store.record_ask(community="c2", user_id="z", status="unknown", entry_id=None,
                           score=0.1, norm="gpu advice", sample="gpu advice", now=11.0)
    items = await store.top_unanswered("c1")
    assert len(items) == 1
    assert (items[0].count, items[0].askers, items[0].last_asked) == (3, 2, 10.0)
    assert (await store.top_unanswered("c2"))[0].count == 1


async def test_answered_questions_are_logged_but_never_queued(store: Store):
    for _ in range(3):
        await store.record_ask(community="c", user_id="u", status="answered", entry_id="e1",
                               score=0.9, norm="q", sample="q", now=1.0)
    assert await store.top_served("c", since=0.0) == [("e1", 3)]
    assert await store.top_unanswered("c") == []


async def test_concurrent_writers_lose_nothing(store: Store):
    async def writer(i: int) -> None:
        for j in range(20):
            await store.record_ask(community="c", user_id=f"u{i}", status="unknown", entry_id=None,
                                   score=0.0, norm=f"q{j % 5}", sample="q", now=float(j))

    await asyncio.gather(*(writer(i) for i in range(25)))
    rows = await store.fetchone("SELECT COUNT(*) FROM ask_log")
    assert rows[0] == 500
    total = await store.fetchone("SELECT SUM(count) FROM unanswered WHERE community = 'c'")
    assert total[0] == 500


async def test_failed_transaction_rolls_back(store: Store):
    with pytest.raises(RuntimeError):
        async with store.transaction() as db:
            await db.execute(
                "INSERT INTO ask_log (community, user_id, status, score, asked_at)"
                " VALUES ('c', 'u', 'answered', 1, 1)"
            )
            raise RuntimeError("boom")
    assert (await store.fetchone("SELECT COUNT(*) FROM ask_log"))[0] == 0


async def test_unwritable_location_is_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the database folder"):
        await Store.open(blocker / "sub" / "x.db")


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.store import Store

    async def main(path):
        store = await Store.open(path)
        i = 0
        while True:
            # An unknown question writes the log, the queue and its askers in one transaction.
            await store.record_ask(community="c", user_id="u", status="unknown", entry_id=None,
                                   score=0.1, norm="q", sample="q", now=float(i))
            i += 1
            print(i, flush=True)

    asyncio.run(main(sys.argv[1]))
    """
)


def test_sigkill_mid_write_loses_nothing_committed(tmp_path: Path):
    path = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                            text=True, cwd=REPO)
    acknowledged = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        acknowledged = int(line)
        if acknowledged >= 300:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(path)
    (count,) = conn.execute("SELECT COUNT(*) FROM ask_log").fetchone()
    (queued,) = conn.execute("SELECT count FROM unanswered").fetchone()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # Every write that was reported committed is there, and the two tables agree.
    assert count >= acknowledged
    assert queued == count


# -- bounded growth (red-team H1) --------------------------------------------------------------


async def ask_unknown(store: Store, user: str, text: str, now: float = 1.0,
                      community: str = "c") -> None:
    await store.record_ask(community=community, user_id=user, status="unknown", entry_id=None,
                           score=0.1, norm=text, sample=text, now=now)


async def test_one_member_cannot_fill_the_queue(store: Store):
    from bot.store import asks

    for i in range(asks.QUEUE_PER_ASKER + 15):
        await ask_unknown(store, "spammer", f"junk {i}")
    await ask_unknown(store, "ana", "what about visas")
    await ask_unknown(store, "spammer", "junk 0", now=2.0)  # asking a queued one again still counts
    items = await store.top_unanswered("c", limit=100)
    mine = [i for i in items if i.norm.startswith("junk")]
    assert len(mine) == asks.QUEUE_PER_ASKER
    assert next(i for i in mine if i.norm == "junk 0").count == 2
    assert any(i.norm == "what about visas" for i in items)
    (logged,) = await store.fetchone("SELECT COUNT(*) FROM ask_log")
    assert logged == asks.QUEUE_PER_ASKER + 17  # the log still counts every question


async def test_a_full_queue_drops_its_least_asked_oldest_questions(store: Store, monkeypatch):
    from bot.store import asks

    monkeypatch.setattr(asks, "QUEUE_PER_COMMUNITY", 5)
    await ask_unknown(store, "a", "popular", now=1.0)
    await ask_unknown(store, "b", "popular", now=1.5)
    for i in range(8):
        await ask_unknown(store, f"user{i}", f"once {i}", now=2.0 + i)
    items = await store.top_unanswered("c", limit=100)
    assert len(items) == 5
    assert "popular" in {i.norm for i in items}
    assert {i.norm for i in items} - {"popular"} == {f"once {i}" for i in range(4, 8)}
    (orphans,) = await store.fetchone(
        "SELECT COUNT(*) FROM unanswered_askers a WHERE NOT EXISTS (SELECT 1 FROM unanswered u"
        " WHERE u.community = a.community AND u.norm = a.norm)")
    assert orphans == 0


async def test_old_log_rows_are_trimmed(store: Store, monkeypatch):
    from bot.store import asks

    monkeypatch.setattr(asks, "TRIM_EVERY", 1)
    await store.record_ask(community="c", user_id="u", status="answered", entry_id="e",
                           score=1.0, norm="q", sample="q", now=0.0)
    later = asks.LOG_RETENTION_DAYS * 86400.0 + 10
    await store.record_ask(community="c", user_id="u", status="answered", entry_id="e",
                           score=1.0, norm="q", sample="q", now=later)
    rows = await store.fetchall("SELECT asked_at FROM ask_log")
    assert rows == [(later,)]
