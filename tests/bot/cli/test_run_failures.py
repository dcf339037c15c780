"""`careerbot run` fails in one line with a non-zero exit, never a traceback or a silent exit 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests import REPO

TOKEN = "never-echo-this-token-7d1e"


def run(*args: str, tmp: Path, stdin: str | None = None, env: dict[str, str] | None = None,
        db: Path | None = None) -> subprocess.CompletedProcess[str]:
    # No platform credentials leak in from the machine running the tests.
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    full["CAREERBOT_DB"] = str(db or tmp / "run.db")
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp, env=full, text=True,
                          input=stdin, stdin=subprocess.DEVNULL if stdin is None else None,
                          capture_output=True, timeout=180)


def one_line_failure(proc: subprocess.CompletedProcess[str]) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1, lines
    assert "Traceback" not in proc.stderr
    assert TOKEN not in proc.stderr + proc.stdout
    return lines[0]


def test_run_without_platform_or_input_says_which_variables_to_set(tmp_path: Path):
    line = one_line_failure(run("run", tmp=tmp_path))
    for variable in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        assert variable in line


def test_run_without_platform_still_answers_piped_questions(tmp_path: Path):
    proc = run("run", tmp=tmp_path, stdin="do I need a phd?\n")
    assert proc.returncode == 0, proc.stderr
    assert "Sources:" in proc.stdout


def test_run_with_an_unusable_database_is_one_line(tmp_path: Path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a SQLite database, only some bytes " * 100)
    line = one_line_failure(run("run", tmp=tmp_path, db=garbage, env={"DISCORD_TOKEN": TOKEN}))
    assert "database" in line and str(garbage) in line


def test_run_with_a_database_under_an_unwritable_folder_is_one_line(tmp_path: Path):
    db = Path("/proc/careerbot/careerbot.db")  # unwritable even for root
    line = one_line_failure(run("run", tmp=tmp_path, db=db, env={"DISCORD_TOKEN": TOKEN}))
    assert "/proc/careerbot" in line


def test_run_with_a_missing_model_folder_is_one_line(tmp_path: Path):
    missing = tmp_path / "no-model"
    line = one_line_failure(run("run", tmp=tmp_path, env={
        "DISCORD_TOKEN": TOKEN, "CAREERBOT_EMBEDDING_MODEL": str(missing)}))
    assert str(missing) in line


def test_run_with_a_corrupt_model_file_is_one_line(tmp_path: Path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.onnx").write_bytes(b"not an onnx model")
    (folder / "tokenizer.json").write_text("{}")
    (folder / "SHA256SUMS").write_text(f"{'0' * 64}  model.onnx\n{'1' * 64}  tokenizer.json\n")
    line = one_line_failure(run("run", tmp=tmp_path, env={
        "DISCORD_TOKEN": TOKEN, "CAREERBOT_EMBEDDING_MODEL": str(folder)}))
    assert "sha256 mismatch" in line


def test_run_with_a_broken_knowledge_base_names_the_problem(tmp_path: Path):
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    (root / "faq" / "zz.yaml").write_text(yaml.safe_dump({"entries": [{
        "id": "broken-one", "topic": "nope", "question": "Is it broken?", "answer": "short",
        "sources": [{"source": "phd-not-required-video", "where": "x"}]}]}))
    proc = run("--knowledge", str(root), "run", tmp=tmp_path, env={"DISCORD_TOKEN": TOKEN})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and TOKEN not in proc.stderr
    assert "zz.yaml: entry broken-one: field topic" in proc.stderr


@pytest.mark.parametrize("command", [("ask", "phd?"), ("console",)])
def test_a_missing_model_never_hangs_other_commands(tmp_path: Path, command: tuple[str, ...]):
    # The store was left open when the model failed, and its thread kept the process alive.
    proc = run(*command, tmp=tmp_path, stdin="phd?\n",
               env={"CAREERBOT_EMBEDDING_MODEL": str(tmp_path / "no-model")})
    one_line_failure(proc)


@pytest.mark.parametrize("given, missing", [
    ({"SLACK_BOT_TOKEN": TOKEN}, ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")),
    ({"SLACK_APP_TOKEN": TOKEN}, ("SLACK_BOT_TOKEN",)),
    ({"SLACK_SIGNING_SECRET": TOKEN}, ("SLACK_BOT_TOKEN",)),
    ({"SLACK_APP_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": TOKEN + "x"}, ("SLACK_BOT_TOKEN",)),
    # A working Discord does not excuse a half-configured Slack: the admin meant both to run.
    ({"DISCORD_TOKEN": TOKEN, "SLACK_BOT_TOKEN": TOKEN + "y"}, ("SLACK_APP_TOKEN",)),
], ids=["bot-token-alone", "app-token-alone", "signing-secret-alone", "no-bot-token", "with-discord"])
def test_run_with_a_half_configured_platform_names_what_is_missing(
        tmp_path: Path, given: dict[str, str], missing: tuple[str, ...]):
    # Before the fix a lone SLACK_BOT_TOKEN fell through to "no platform configured".
    line = one_line_failure(run("run", tmp=tmp_path, env=given))
    assert "half-configured" in line and "no platform configured" not in line
    for variable in missing:
        assert variable in line
    assert not (tmp_path / "run.db").exists()  # refused before anything was opened
