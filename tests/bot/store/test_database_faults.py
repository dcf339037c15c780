"""The database fails loudly and early (red-team M2, M3, M4, L6): a damaged file is refused in one
line and the process exits, a database deleted or replaced while running refuses writes, and
another process's lock costs a short wait and a clear error rather than a queue."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store, StoreError
from bot.store.database import LOCK_WAIT_MS, DatabaseGone, DatabaseLocked
from tests import REPO

CAREERBOT = [sys.executable, "-m", "bot"]


def damaged_page_db(path: Path) -> None:
    """A database whose header is fine but one b-tree page's cell pointers are garbage: it opens
    and reads, and only an integrity check notices."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [(f"row {i}",) for i in range(20000)])
    conn.commit()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    page = 9 * page_size  # the 10th page, a leaf of `filler`
    data[page + 8:page + 40] = b"\xff" * 32
    path.write_bytes(bytes(data))
    check = sqlite3.connect(path)
    try:
        assert check.execute("SELECT COUNT(*) FROM sqlite_master").fetchone() == (1,)
        try:
            assert check.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        except sqlite3.DatabaseError:
            pass  # damaged enough that the check stops: also only the check notices
    finally:
        check.close()


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The timeout only turns a hang into a failure; nothing is asserted about speed.
    return subprocess.run([*CAREERBOT, "--db", str(db), *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


async def test_a_damaged_page_is_refused_in_one_line(tmp_path: Path):
    db = tmp_path / "damaged.db"
    damaged_page_db(db)
    with pytest.raises(StoreError) as err:
        await Store.open(db)
    message = str(err.value)
    assert "damaged" in message and "quick_check" in message and "careerbot restore" in message
    assert "\n" not in message


@pytest.mark.parametrize("case", ["garbage", "damaged-page"])
def test_a_corrupt_database_exits_with_one_line(tmp_path: Path, case: str):
    db = tmp_path / "bad.db"
    if case == "garbage":
        db.write_bytes(os.urandom(8192))
    else:
        damaged_page_db(db)
    result = run_cli(db, "ask", "do I need a phd?")
    assert result.returncode == 2, result.stdout[-500:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("careerbot: "), result.stderr[-500:]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


async def test_a_deleted_database_refuses_writes_and_says_so_once(tmp_path: Path, caplog):
    db = tmp_path / "gone.db"
    store = await Store.open(db)
    try:
        await store.record_ask(community="c", user_id="u", status="unknown", entry_id=None,
                               score=0.0, norm="q", sample="q", now=1.0)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        caplog.set_level(logging.ERROR, logger="bot.store.database")
        for _ in range(3):
            with pytest.raises(DatabaseGone) as err:
                await store.record_ask(community="c", user_id="u", status="unknown",
                                       entry_id=None, score=0.0, norm="q", sample="q", now=2.0)
            # A sqlite3.Error too, so the ask log's best-effort write treats it as a failed write.
            assert isinstance(err.value, sqlite3.Error)
        assert "deleted or replaced" in str(err.value)
        gone = [r for r in caplog.records if "deleted or replaced" in r.getMessage()]
        assert len(gone) == 1
        # Reads still work from the open file, so answers do too.
        assert (await store.fetchone("SELECT COUNT(*) FROM ask_log"))[0] == 1
    finally:
        await store.close()


async def test_a_replaced_database_refuses_writes(tmp_path: Path):
    db = tmp_path / "swapped.db"
    store = await Store.open(db)
    try:
        other = tmp_path / "other.db"
        sqlite3.connect(other).close()
        os.replace(other, db)
        with pytest.raises(DatabaseGone):
            await store.beat("console", 1.0)
    finally:
        await store.close()


async def test_lock_waits_are_short(store: Store):
    assert LOCK_WAIT_MS <= 500
    (timeout,) = await store.fetchone("PRAGMA busy_timeout")
    assert timeout == LOCK_WAIT_MS


async def test_a_lock_held_elsewhere_is_reported_and_writes_do_not_queue(tmp_path: Path, caplog):
    db = tmp_path / "locked.db"
    store = await Store.open(db)
    executed: list[str] = []
    original = store.conn.execute

    def spy(sql: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return original(sql, *args, **kwargs)

    store.conn.execute = spy  # type: ignore[method-assign]
    other = sqlite3.connect(db, isolation_level=None)
    caplog.set_level(logging.WARNING, logger="bot.store.database")
    try:
        other.execute("BEGIN IMMEDIATE")
        errors = []
        for i in range(5):
            with pytest.raises(DatabaseLocked) as err:
                await store.record_ask(community="c", user_id=f"u{i}", status="unknown",
                                       entry_id=None, score=0.0, norm="q", sample="q", now=1.0)
            errors.append(str(err.value))
        assert all("locked by another process" in e for e in errors)
        # Only the first write waited for the lock; the four behind it failed without waiting.
        assert executed.count("PRAGMA busy_timeout=0") == 4
        warned = [r for r in caplog.records if "locked by another process" in r.getMessage()]
        assert len(warned) == 1
        other.execute("COMMIT")
        # Once the other process lets go, the very next write goes through.
        await store.record_ask(community="c", user_id="u", status="unknown", entry_id=None,
                               score=0.0, norm="q", sample="q", now=2.0)
        assert (await store.fetchone("SELECT COUNT(*) FROM ask_log"))[0] == 1
        assert any("writable again" in r.getMessage() for r in caplog.records)
    finally:
        other.close()
        await store.close()


async def test_after_the_database_is_deleted_members_get_answers_and_writes_get_an_error(
        service, store: Store, tmp_path: Path):
    from bot.replies import Command, Context

    ctx = Context("console", "local", "c", "alice", "alice", True, False)
    # Alice has spoken before: her community is known (a first message records it, and that
    # write is not best-effort in Service.resolve yet).
    assert (await service.handle(Command(ctx, "ask", "do I need a phd?"))).kind == "answer"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    answer = await service.handle(Command(ctx, "ask", "are AI residencies worth it?"))
    assert answer.kind == "answer"
    quiz = await service.handle(Command(ctx, "quiz", "ml-path"))
    assert quiz.kind == "error"
