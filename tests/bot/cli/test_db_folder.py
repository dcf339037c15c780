"""`--db` pointing at a folder (a typo: `--db data/` for `--db data/careerbot.db`): every command
that opens the database printed its one-line error followed by aiosqlite's worker-thread
traceback ("RuntimeError: Event loop is closed"), twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import REPO


@pytest.mark.parametrize("args", [("kb", "export", "--community", "local"), ("kb", "reload")])
def test_a_database_path_that_is_a_folder_is_one_line(tmp_path: Path, args: tuple[str, ...]):
    folder = tmp_path / "data"
    folder.mkdir()
    proc = subprocess.run([sys.executable, "-m", "bot", "--db", str(folder), *args],
                          capture_output=True, text=True, cwd=REPO, env={**os.environ},
                          timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(folder) in lines[0], lines


def test_a_refused_database_path_leaves_no_worker_thread_behind(tmp_path: Path):
    """The cause: aiosqlite's connect failed, it queued its worker thread's stop without waiting
    for it, and the thread later reported to an event loop `asyncio.run` had closed. The open
    must not return (raise) while that thread is still running."""
    import asyncio
    import threading

    from bot.store import Store, StoreError

    folder = tmp_path / "data"
    folder.mkdir()
    before = set(threading.enumerate())

    async def open_it() -> set[threading.Thread]:
        with pytest.raises(StoreError):
            await Store.open(folder)
        return {t for t in threading.enumerate() if t not in before and t.is_alive()}

    assert asyncio.run(open_it()) == set()
