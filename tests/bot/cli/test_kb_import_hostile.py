"""`kb import` with hostile or huge files (red-team M7, L5): one line and exit 2 for an alias
bomb, a custom tag, a FIFO; a large import is validated once, not once per entry."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.cli.kb import dump_yaml
from tests.bot.kb.test_hostile_files import laughs


def good_entry(entry_id: str, **extra: object) -> dict:
    return {
        "id": entry_id, "topic": "skills", "question": f"A question about {entry_id}?",
        "answer": "An answer that is comfortably longer than twenty characters.",
        "sources": [{"source": "reddit-phd-or-not", "where": "a reply"}], **extra,
    }


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def import_file(db: Path, file: Path) -> int:
    return main(["--db", str(db), "kb", "import", "--community", "c1", str(file)])


@pytest.mark.parametrize("where", ["id", "question"])
def test_an_alias_bomb_is_refused_in_one_line(tmp_path: Path, capsys, where: str):
    file = tmp_path / "bomb.yaml"
    file.write_text(laughs(6, where), encoding="utf-8")
    assert import_file(tmp_path / "bot.db", file) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "import refused" in err[0] and "aliases" in err[0] and "nothing was changed" in err[0]


def test_a_custom_tag_is_refused_in_one_line(tmp_path: Path, capsys):
    file = tmp_path / "tagged.yaml"
    file.write_text("entries:\n  - !!python/object/apply:os.system ['echo pwned']\n")
    assert import_file(tmp_path / "bot.db", file) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "tag" in err[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, capsys):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert import_file(tmp_path / "bot.db", fifo) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_large_import_is_checked_as_a_whole(tmp_path: Path, capsys):
    db = tmp_path / "bot.db"
    entries = [good_entry(f"bulk-{i:04d}", aliases=[f"alias-{i:04d}"]) for i in range(2000)]
    clash = [*entries, good_entry("bulk-late", aliases=["alias-0007"]),
             good_entry("alias-0100")]
    bad = tmp_path / "clash.yaml"
    bad.write_text(dump_yaml({"entries": clash}), encoding="utf-8")
    assert import_file(db, bad) == 2
    err = capsys.readouterr().err
    assert "bulk-late: field aliases: 'alias-0007' is already an alias of bulk-0007" in err
    assert "bulk-0007: field aliases: 'alias-0007' is already an alias of bulk-late" in err
    assert "alias-0100: field id: 'alias-0100' is an alias of bulk-0100" in err
    assert count(db, "SELECT COUNT(*) FROM overlay_entries") == 0

    good = tmp_path / "bulk.yaml"
    good.write_text(dump_yaml({"entries": entries}), encoding="utf-8")
    assert import_file(db, good) == 0
    assert "2000 added" in capsys.readouterr().out
    assert count(db, "SELECT COUNT(*) FROM overlay_entries WHERE community = 'c1'") == 2000


def test_exports_never_contain_aliases():
    shared = ["x", "y"]
    text = dump_yaml({"entries": [{"tags": shared}, {"tags": shared}]})
    assert "&" not in text and "*" not in text
    assert yaml.safe_load(text) == {"entries": [{"tags": shared}, {"tags": shared}]}
