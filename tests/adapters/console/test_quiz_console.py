"""The console and the command line, run as real processes with scripted stdin."""

from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests import REPO

ROOT = REPO
# Guards against a hung child only; nothing here asserts on speed.
HANG_GUARD_SECONDS = 120
EOF = "\x00eof"


def careerbot(*args: str, stdin: str = "", db: Path | None = None) -> subprocess.CompletedProcess:
    prefix = ["--db", str(db)] if db else []
    return subprocess.run(
        [sys.executable, "-m", "bot", *prefix, *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=HANG_GUARD_SECONDS,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_console_plays_a_quiz_from_stdin(tmp_path):
    script = "/quiz ml-path\n3\n1\n2\n3\n3\n/profile\n"
    out = careerbot("console", "--user", "ana", stdin=script, db=tmp_path / "c.db")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    first = lines.index("[1/5] What would you most like to spend your working days doing?")
    assert lines[first + 2].strip() == "1) Asking new research questions and publishing papers"
    assert "[3/5] Which part of engineering do you enjoy most?" in lines
    assert "Your result: Software engineer in a research lab (infrastructure, systems)" in lines
    assert any(line.startswith("▰▰▰▰▰ 100%  Software engineer") for line in lines)
    assert "Your quiz results" in lines


def test_console_quiz_cancel_profile_and_forget_me(tmp_path):
    script = "/quiz\n1\n4\n/quiz cancel\n/quiz phd-fit\n3\n3\n3\n3\n3\n3\n/profile\n/forget-me\n/profile\n"
    out = careerbot("console", "--user", "bo", stdin=script, db=tmp_path / "c.db")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Profile quizzes" in text
    assert "Cancelled: *Which ML role fits you?*" in text
    assert "Your result: Go into industry now and move laterally" in text
    assert "- 2 quiz sessions" in text and "- 1 quiz result" in text and "- 3 quiz events" in text
    assert "You have no quiz results yet" in text.split("**Forgotten**")[1]


def test_console_users_are_kept_apart(tmp_path):
    db = tmp_path / "c.db"
    careerbot("console", "--user", "ana", stdin="/quiz ml-path\n3\n", db=db)
    out = careerbot("console", "--user", "bo", stdin="/quiz ml-path\n", db=db)
    assert "[1/5]" in out.stdout and "unfinished" not in out.stdout


class Console:
    """A console process driven line by line, so it can be killed at a chosen moment."""

    def __init__(self, db: Path, user: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--db", str(db), "console", "--user", user],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(EOF)

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read_until(self, marker: str) -> list[str]:
        seen: list[str] = []
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is EOF:
                break
            seen.append(line)
            if marker in line:
                return seen
        raise AssertionError(f"never saw {marker!r}; got {seen}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdin.close()
        self.proc.stderr.close()


def test_killed_console_resumes_at_the_right_question_with_answers_intact(tmp_path):
    db = tmp_path / "c.db"
    first = Console(db, "ana")
    first.send("/quiz ml-path")
    first.read_until("5) Working with data")
    first.send("3")
    first.read_until("4) A degree in another field")
    first.send("1")
    first.read_until("[3/5] Which part of engineering do you enjoy most?")
    first.kill()
    assert first.proc.returncode == -signal.SIGKILL

    second = Console(db, "ana")
    try:
        second.send("/quiz ml-path")
        offer = second.read_until("2) Start over")
        assert any("2 of 5 questions answered" in line for line in offer)
        second.send("1")
        second.read_until("[3/5] Which part of engineering do you enjoy most?")
        second.send("2")
        second.read_until("[4/5]")
        second.send("3")
        second.read_until("[5/5]")
        second.send("3")
        result = second.read_until("Your result:")
        assert result[-1] == "Your result: Software engineer in a research lab (infrastructure, systems)"
        second.proc.stdin.close()
        assert second.proc.wait(timeout=HANG_GUARD_SECONDS) == 0
    finally:
        if second.proc.poll() is None:
            second.kill()
    conn = sqlite3.connect(db)
    [(answers,)] = conn.execute("SELECT answers FROM quiz_sessions WHERE status = 'completed'")
    conn.close()
    assert json.loads(answers) == [
        ["goal", "infrastructure"], ["background", "software"], ["systems", "distributed"],
        ["study", "learn-on-the-job"], ["drive", "reliable-systems"],
    ]


def test_cli_quiz_list_and_play(tmp_path):
    listed = careerbot("quiz", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [q["id"] for q in json.loads(listed.stdout)["quizzes"]] == ["ml-path", "phd-fit"]

    played = careerbot("quiz", "play", "ml-path", "--answers", "3,1,2,3,3", "--json")
    assert played.returncode == 0, played.stderr
    data = json.loads(played.stdout)
    assert data["profile"] == "lab-software-engineer"
    assert data["fits"]["lab-software-engineer"] == 1.0
    assert [s["entry"] for s in data["next_steps"]][0] == "roles-software-engineer-in-lab"

    text = careerbot("quiz", "play", "phd-fit", "--answers", "2,1,1,1,1,1")
    assert text.stdout.splitlines()[0] == "phd-fit: phd-advisor (Do a PhD, and choose the advisor carefully)"


def test_cli_quiz_audit_counts_paths_ties_and_contradictions(tmp_path):
    out = careerbot("quiz", "audit", "--json")
    assert out.returncode == 0, out.stderr
    audits = {a["quiz"]: a for a in json.loads(out.stdout)["audits"]}
    assert set(audits) == {"ml-path", "phd-fit"}
    for row in audits.values():
        assert row["contradictions"] == 0 and row["dead_ends"] == 0
        assert sum(row["wins"].values()) == row["paths"] + row["ties_shown"]
    played = careerbot("quiz", "play", "ml-path", "--answers", "1,1,4,2,1")
    lines = played.stdout.splitlines()
    assert lines[:2] == ["ml-path: research-engineer (Research engineer)",
                         "  level with data-roles; settled by goal=open-questions"]
    assert lines[2].endswith("research-engineer (score 5)")
    assert any("research-scientist (score 6, ruled out by study=short-masters)" in line for line in lines)


def test_cli_quiz_play_bad_input_is_one_line(tmp_path):
    for args, message in [
        (("nope", "--answers", "1"), "unknown quiz 'nope'"),
        (("ml-path", "--answers", "3,1,9"), "has options 1 to 5"),
        (("ml-path", "--answers", "1,1"), "not enough"),
        (("ml-path", "--answers", "1,x"), "--answers item 2"),
    ]:
        out = careerbot("quiz", "play", *args)
        assert out.returncode == 2
        assert out.stderr.count("\n") == 1 and message in out.stderr
