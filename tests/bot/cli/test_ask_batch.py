"""`ask --batch` reads one question per `\\n`-ended line, whatever else the line holds (red-team
L4): `\\r`, Unicode line separators and invalid UTF-8 never change the number of answers, and
never end in a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.ask import BatchInput
from tests import REPO

# Each of these is ONE line of input: only b"\n" ends a line.
LINES = [
    b"do i need a phd\rwhat is a residency",  # a lone \r
    "phd\u2028or not\u2029or\x85maybe\x0bthis\x0cthat\x1c\x1d\x1e".encode(),  # Unicode separators
    b"windows line ending",  # followed by \r\n below
    b"bad \xff\xfe bytes are research engineers",  # invalid UTF-8
    b"",
    b"\xed\xa0\x80 an encoded lone surrogate",  # invalid UTF-8 too (CESU-8)
]


def batch_bytes() -> bytes:
    out = b""
    for i, line in enumerate(LINES):
        out += line + (b"\r\n" if i == 2 else b"\n")
    return out


def test_lines_end_at_newline_only_and_bad_bytes_are_replaced(tmp_path: Path):
    file = tmp_path / "q.txt"
    file.write_bytes(batch_bytes())
    batch = BatchInput(str(file))
    lines = list(batch)
    assert len(lines) == len(LINES)
    assert lines[0] == "do i need a phd\rwhat is a residency"
    assert lines[1] == "phd\u2028or not\u2029or\x85maybe\x0bthis\x0cthat\x1c\x1d\x1e"
    assert lines[2] == "windows line ending"
    assert lines[3] == "bad \ufffd\ufffd bytes are research engineers"
    assert batch.bad_lines == [4, 6]
    warning = batch.warning()
    assert warning is not None and "\n" not in warning and "line 4, 6" in warning


@pytest.mark.parametrize("mode", ["file", "stdin"])
def test_batch_gives_one_answer_per_line_and_no_traceback(tmp_path: Path, mode: str):
    file = tmp_path / "q.txt"
    file.write_bytes(batch_bytes())
    env = {**os.environ, "CAREERBOT_DB": str(tmp_path / "cli.db"),
           "PYTHONIOENCODING": "utf-8:strict"}  # a normal desktop locale
    source = str(file) if mode == "file" else "-"
    proc = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "--batch", source],
                          input=batch_bytes() if mode == "stdin" else b"", capture_output=True,
                          cwd=REPO, env=env, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 0, err[-800:]
    assert "Traceback" not in err
    # One warning for the whole batch (other log lines, a cache being built, may come too).
    assert len([line for line in err.splitlines() if "not valid UTF-8" in line]) == 1
    out = proc.stdout.decode("utf-8").splitlines()
    assert len(out) == len(LINES)
    assert all(json.loads(line)["status"] for line in out)
