"""`careerbot backup FILE`: an unusable target is named in the error, and the database's own
files (its -wal, -shm, lock) are never overwritten by a backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.health import database_lock
from tests.bot.cli.test_data_cli import careerbot, existing_db


async def test_backup_to_an_unwritable_place_names_the_target(tmp_path: Path):
    db = await existing_db(tmp_path)
    target = Path("/proc/careerbot-backup.db")  # no file can be created in /proc
    proc = careerbot("backup", str(target), db=db)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot write the backup {target}" in lines[0], lines


@pytest.mark.parametrize("end", [".lock", "-wal", "-shm", "-journal"])
async def test_backup_refuses_to_overwrite_a_file_of_the_database(tmp_path: Path, end: str):
    db = await existing_db(tmp_path)
    target = db.with_name(db.name + end)
    proc = careerbot("backup", str(target), db=db)
    assert proc.returncode == 2 and "one of the database's own files" in proc.stderr


async def test_restore_stays_refused_under_a_console_after_a_backup_aimed_at_the_lock(tmp_path: Path):
    db = await existing_db(tmp_path)
    copy = tmp_path / "backup.db"
    assert careerbot("backup", str(copy), db=db).returncode == 0
    with database_lock(db, exclusive=False):  # a console using the database
        careerbot("backup", str(db.with_name(db.name + ".lock")), db=db)
        proc = careerbot("restore", str(copy), db=db)
    assert proc.returncode == 2 and "is using" in proc.stderr
