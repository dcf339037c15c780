"""`knowledge/COVERAGE.md` maps each claim of the source documents to the entries that carry it.

A row that names an entry id no entry has, or that names no entry and is not marked in italics
(*not an answerable claim*, *partial: ...*), tells a reviewer something false; `careerbot kb check`
refuses both. The map is documentation, so the running bot does not read it.
"""

from __future__ import annotations

import re

from bot.kb.models import KnowledgeBase
from bot.kb.problems import Problem

COVERAGE_FILE = "COVERAGE.md"
_HEADING = re.compile(r"^##\s+(\S+?):?\s")
_ROW = re.compile(r"^\|\s*(\d+)\s*\|")
_ENTRY_ID = re.compile(r"`([^`]+)`")


def coverage_problems(kb: KnowledgeBase) -> list[Problem]:
    """Every row of the coverage map whose Entries cell (the last cell) is broken."""
    path = kb.root / COVERAGE_FILE
    if not path.is_file():
        return []
    file = f"{kb.root.name}/{COVERAGE_FILE}"
    known = {entry.id for entry in kb.entries}
    problems: list[Problem] = []
    document = "-"
    for line in path.read_text(encoding="utf-8").splitlines():
        if heading := _HEADING.match(line):
            document = heading.group(1)
            continue
        row = _ROW.match(line)
        if row is None:
            continue
        where = f"{document} row {row.group(1)}"
        cell = line.rstrip().rstrip("|").rsplit("|", 1)[-1]
        ids = _ENTRY_ID.findall(cell)
        if not ids and "*" not in cell:
            problems.append(Problem(file, where, "entries",
                                    "names no entry and is not marked (e.g. *not an answerable claim*)"))
        problems.extend(Problem(file, where, "entries", f"unknown entry {entry_id!r}")
                        for entry_id in ids if entry_id not in known)
    return problems
