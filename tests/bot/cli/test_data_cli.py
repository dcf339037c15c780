"""`careerbot health`, `backup` and `restore`, run as processes on real database files."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.app import console_context
from bot.kb.models import KnowledgeBase
from bot.replies import ButtonPress, Command
from bot.service import Service
from bot.store import Store
from bot.store.health import database_lock
from tests import REPO


def env_for(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    env["CAREERBOT_DB"] = str(db)
    env.update(extra)
    return env


def careerbot(*args: str, db: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=REPO, env=env_for(db, **extra),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180)


async def write_heartbeat(db: Path, *, host: str, pid: int, age: float) -> None:
    store = await Store.open(db)
    try:
        await store.beat("discord", time.time() - age, host=host, pid=pid)
    finally:
        await store.close()


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


# -- health ---------------------------------------------------------------------------------------


async def existing_db(tmp_path: Path) -> Path:
    """A database as the bot leaves it (`health` checks it; it never creates one)."""
    db = tmp_path / "h.db"
    store = await Store.open(db)
    await store.close()
    return db


async def test_health_with_no_bot_checks_database_knowledge_and_model_files(tmp_path: Path):
    proc = careerbot("health", db=await existing_db(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("careerbot: healthy: no bot serving; database, knowledge base (")


async def test_health_is_ok_while_a_bot_heartbeat_is_fresh(tmp_path: Path):
    db = tmp_path / "h.db"
    await write_heartbeat(db, host="another-container", pid=1, age=0)
    proc = careerbot("health", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "healthy: serving discord (pid 1 on another-container)" in proc.stdout


async def test_health_fails_in_one_line_when_a_live_bot_stopped_beating(tmp_path: Path):
    db = tmp_path / "h.db"
    import socket

    # This test process is alive on this host: a bot that is alive but hung.
    await write_heartbeat(db, host=socket.gethostname(), pid=os.getpid(), age=1000)
    proc = careerbot("health", db=db)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert re.search(r"serving discord \(pid \d+ on .+\) last wrote its heartbeat 1\d{3} s ago",
                     lines[0]), lines


async def test_health_ignores_the_heartbeat_of_a_bot_that_died_on_this_host(tmp_path: Path):
    db = tmp_path / "h.db"
    import socket

    await write_heartbeat(db, host=socket.gethostname(), pid=dead_pid(), age=1000)
    proc = careerbot("health", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "no bot serving" in proc.stdout


async def test_health_fails_in_one_line_on_a_broken_model(tmp_path: Path):
    proc = careerbot("health", db=await existing_db(tmp_path),
                     CAREERBOT_EMBEDDING_MODEL=str(tmp_path / "no-model"))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("careerbot: unhealthy: model:"), lines


def test_health_fails_in_one_line_on_an_unusable_database(tmp_path: Path):
    db = tmp_path / "h.db"
    db.write_bytes(b"not a database " * 200)
    proc = careerbot("health", db=db)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


# -- backup and restore ---------------------------------------------------------------------------


async def test_backup_while_quiz_answers_are_written_restores_every_acknowledged_answer(
        tmp_path: Path, kb: KnowledgeBase):
    live, copy, restored = tmp_path / "live.db", tmp_path / "backup.db", tmp_path / "restored.db"
    store = await Store.open(live)
    service = Service(kb, store)
    acknowledged: list[tuple[str, int]] = []
    stop = asyncio.Event()
    enough = asyncio.Event()

    async def answer_quizzes() -> None:
        member = 0
        while not stop.is_set():
            ctx = console_context(f"member-{member}")
            member += 1
            reply = await service.handle(Command(ctx, "quiz", "ml-path"))
            while not stop.is_set() and reply.choices and reply.choices[0].action == "quiz":
                choice = reply.choices[0]
                reply = await service.handle(ButtonPress(ctx, choice.action, choice.payload))
                session, step, _ = choice.payload.split(":")
                acknowledged.append((session, int(step)))  # the reply came: it is committed
                if len(acknowledged) >= 30:
                    enough.set()

    writer = asyncio.create_task(answer_quizzes())
    try:
        await asyncio.wait_for(enough.wait(), 120)
        before = list(acknowledged)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "backup", str(copy), cwd=REPO, env=env_for(live),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await proc.communicate()
        during = len(acknowledged) - len(before)
    finally:
        stop.set()
        await writer
        await store.close()
    assert proc.returncode == 0, err.decode()
    assert during > 0  # answers kept coming while the backup ran

    result = careerbot("restore", str(copy), db=restored)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(restored)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        answers = {sid: json.loads(a) for sid, a in
                   conn.execute("SELECT id, answers FROM quiz_sessions")}
    finally:
        conn.close()
    missing = [(s, step) for s, step in before if len(answers.get(s, [])) <= step]
    assert missing == []


async def test_restore_is_refused_while_a_process_holds_the_database(tmp_path: Path):
    db, copy = tmp_path / "live.db", tmp_path / "backup.db"
    store = await Store.open(db)
    await store.close()
    assert careerbot("backup", str(copy), db=db).returncode == 0
    with database_lock(db, exclusive=False):  # what `careerbot run` and `console` hold
        proc = careerbot("restore", str(copy), db=db)
    assert proc.returncode == 2
    assert "is using" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


async def test_restore_is_refused_while_a_bot_elsewhere_is_beating(tmp_path: Path):
    db, copy = tmp_path / "live.db", tmp_path / "backup.db"
    await write_heartbeat(db, host="another-container", pid=1, age=0)
    assert careerbot("backup", str(copy), db=db).returncode == 0
    proc = careerbot("restore", str(copy), db=db)
    assert proc.returncode == 2
    assert "a bot is serving" in proc.stderr


async def test_restore_refuses_a_file_that_fails_its_checks_and_keeps_the_database(
        tmp_path: Path):
    db, bad = tmp_path / "live.db", tmp_path / "bad.db"
    await write_heartbeat(db, host="gone", pid=1, age=10_000)  # some data to keep
    before = db.read_bytes()
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    proc = careerbot("restore", str(bad), db=db)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(bad) in proc.stderr
    assert db.read_bytes() == before


async def test_restore_keeps_the_database_it_replaces(tmp_path: Path):
    db, copy = tmp_path / "live.db", tmp_path / "backup.db"
    await write_heartbeat(db, host="gone", pid=1, age=10_000)
    assert careerbot("backup", str(copy), db=db).returncode == 0
    proc = careerbot("restore", str(copy), db=db)
    assert proc.returncode == 0, proc.stderr
    kept = list(tmp_path.glob("live.db.before-restore-*"))
    assert len(kept) == 1 and str(kept[0]) in proc.stdout
