"""`careerbot restore` works over a damaged database (when it is needed most), keeping the
damaged files aside as they were rather than replaying their -wal into the restored copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import Store
from tests.bot.cli.test_data_cli import careerbot


async def good_backup(tmp_path: Path, db: Path) -> Path:
    store = await Store.open(db)
    await store.beat("discord", 1.0, host="gone", pid=1)
    await store.close()
    copy = tmp_path / "backup.db"
    proc = careerbot("backup", str(copy), db=db)
    assert proc.returncode == 0, proc.stderr
    return copy


def garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database " * 400)


def malformed(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = 4096
    data[page: 3 * page] = b"\xa5" * (2 * page)  # a valid header, damaged b-tree pages
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [garbage, malformed])
async def test_restore_replaces_a_damaged_database_and_keeps_it_aside(tmp_path: Path, damage):
    db = tmp_path / "live.db"
    copy = await good_backup(tmp_path, db)
    damage(db)
    damaged = db.read_bytes()
    proc = careerbot("restore", str(copy), db=db)
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT host FROM heartbeats").fetchall() == [("gone",)]
    finally:
        conn.close()
    [kept] = [p for p in tmp_path.glob("live.db.before-restore-*") if p.name[-4:] not in ("-wal", "-shm")]
    assert kept.read_bytes() == damaged and str(kept) in proc.stdout
