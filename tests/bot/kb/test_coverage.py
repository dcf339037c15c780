"""`kb check` refuses a coverage map (knowledge/COVERAGE.md) whose rows name entries that do not
exist, or name none without saying why."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.cli import main
from bot.kb.coverage import coverage_problems
from bot.kb.loader import load_knowledge
from tests import REPO

ROW = "| 11 | Takeaway 9 | Don't do a PhD solely to work in a research lab; there are other options |"


def knowledge_with_row(tmp_path: Path, entries_cell: str) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    coverage = root / "COVERAGE.md"
    text = coverage.read_text(encoding="utf-8")
    shipped = f"{ROW} `phd-only-to-get-into-a-lab` |"
    assert shipped in text, "the row this test edits has changed; pick another"
    coverage.write_text(text.replace(shipped, f"{ROW} {entries_cell} |"), encoding="utf-8")
    return root


def test_the_shipped_coverage_map_names_only_existing_entries(kb):
    assert coverage_problems(kb) == []


def test_a_row_naming_a_missing_entry_is_reported_and_fails_kb_check(tmp_path, capsys):
    root = knowledge_with_row(tmp_path, "`phd-only-to-get-into-a-lab`, `phd-just-for-the-lab`")
    problems = [str(p) for p in coverage_problems(load_knowledge(root))]
    assert problems == [
        "knowledge/COVERAGE.md: entry 000 row 11: field entries: unknown entry 'phd-just-for-the-lab'"
    ]
    assert main(["--knowledge", str(root), "kb", "check"]) == 2
    assert "unknown entry 'phd-just-for-the-lab'" in capsys.readouterr().err


def test_a_row_naming_no_entry_must_say_why(tmp_path):
    root = knowledge_with_row(tmp_path, "")
    assert [p.reason for p in coverage_problems(load_knowledge(root))] == [
        "names no entry and is not marked (e.g. *not an answerable claim*)"
    ]
    marked = knowledge_with_row(tmp_path / "marked", "*not carried: no entry yet*")
    assert coverage_problems(load_knowledge(marked)) == []
