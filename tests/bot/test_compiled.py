"""The safety patterns' compiled form kept between starts (`bot.compiled`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import compiled

SOURCES = (
    r"(?:(?<= )|^)(?:(?:no (?:reason|point) to keep going)|(?:k[i!1]ll? my ?self))",
    r"(?:(?<= )|^)(?:(?P<x>end(?:ing)? it all)\b(?! (?:by|with) (?:a|the) (?:merge|refactor)))",
    "ﾀﾋにたい|死にたい|[Ss]uicid[ae]",
)
TEXTS = ["i have no reason to keep going", "gonna kill myself", "ending it all by a merge",
         "ending it all tonight", "死にたい", "suicide prevention", "kill -9 1234", ""]


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    compiled.use_folder(tmp_path)
    compiled._memory.clear()
    yield tmp_path
    compiled.use_folder(None)
    compiled._memory.clear()


def same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    # Compiled patterns compare equal only when pattern, flags and compiled code are all equal.
    assert a == b
    assert (a.flags, a.groups, a.groupindex) == (b.flags, b.groups, b.groupindex)
    for text in TEXTS:
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]


def test_this_python_builds_patterns_from_the_kept_form() -> None:
    # Without it the cache would silently never be used; CI runs the Python the bot ships with.
    assert compiled._internal_ok()


def test_a_second_start_reads_the_folder_and_gets_the_same_patterns(folder: Path) -> None:
    first = compiled.compile_all(SOURCES)
    files = list(folder.glob("*.bin"))
    assert len(files) == 1
    compiled._memory.clear()  # as a new process would start
    calls: list[str] = []
    real = compiled._parts
    compiled._parts = lambda source: calls.append(source) or real(source)  # type: ignore[assignment]
    try:
        again = compiled.compile_all(SOURCES)
    finally:
        compiled._parts = real  # type: ignore[assignment]
    assert calls == []  # nothing compiled
    for a, b, source in zip(again, first, SOURCES, strict=True):
        same(a, re.compile(source))
        same(a, b)


def test_a_damaged_file_is_compiled_again(folder: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    compiled.compile_all(SOURCES)
    (path,) = folder.glob("*.bin")
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF  # one flipped byte of compiled code
    path.write_bytes(bytes(data))
    compiled._memory.clear()
    with caplog.at_level(logging.WARNING, logger="bot.compiled"):
        again = compiled.compile_all(SOURCES)
    assert "compiling them again" in caplog.text
    for a, source in zip(again, SOURCES, strict=True):
        same(a, re.compile(source))
    compiled._memory.clear()
    for a, source in zip(compiled.compile_all(SOURCES), SOURCES, strict=True):
        same(a, re.compile(source))  # and the file was written anew


def test_other_patterns_never_read_another_file(folder: Path) -> None:
    a = compiled.compile_one(SOURCES[0])
    b = compiled.compile_one(SOURCES[1])
    assert len(list(folder.glob("*.bin"))) == 2
    compiled._memory.clear()
    assert compiled.compile_one(SOURCES[1]) == b != a


def test_a_folder_that_cannot_be_written_costs_only_the_compile(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    compiled.use_folder(blocker / "patterns")
    compiled._memory.clear()
    try:
        for a, source in zip(compiled.compile_all(SOURCES), SOURCES, strict=True):
            same(a, re.compile(source))
    finally:
        compiled.use_folder(None)
        compiled._memory.clear()


def test_a_broken_pattern_raises_as_re_does(folder: Path) -> None:
    with pytest.raises(re.error):
        compiled.compile_one("(?:unbalanced")
    assert list(folder.glob("*.bin")) == []


def test_the_folder_keeps_only_the_newest_files(folder: Path) -> None:
    for i in range(compiled.KEEP_FILES + 5):
        compiled.compile_one(f"pattern number {i}")
    assert len(list(folder.glob("*.bin"))) == compiled.KEEP_FILES
