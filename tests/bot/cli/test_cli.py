from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests import REPO

ROOT = REPO


def run(*args: str, stdin: str | None = None, env: dict | None = None, tmp: Path | None = None):
    full_env = {**os.environ, **(env or {})}
    if tmp is not None and "CAREERBOT_DB" not in (env or {}):
        full_env["CAREERBOT_DB"] = str(tmp / "cli.db")
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=120)


def test_ask_json_has_the_documented_shape(tmp_path):
    proc = run("ask", "--json", "do I need a PhD to work at DeepMind?", tmp=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"status", "score", "entry", "suggestions"}
    assert data["status"] == "answered"
    assert set(data["entry"]) == {"id", "topic", "also_topics", "question", "answer", "sources"}
    assert data["entry"]["sources"][0]["source"]
    assert all(set(s) == {"id", "topic", "question"} for s in data["suggestions"])


def test_ask_text_mode_says_honestly_when_it_does_not_know(tmp_path):
    proc = run("ask", "how do I fix CUDA out of memory?", tmp=tmp_path)
    assert proc.returncode == 0
    assert "I don't know that one" in proc.stdout


def test_batch_answers_every_line_in_order(tmp_path):
    questions = ["do I need a PhD?", "", "how do I fix CUDA out of memory?", "what is cifre"] * 5
    proc = run("ask", "--json", "--batch", "-", stdin="\n".join(questions) + "\n", tmp=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(questions)
    statuses = [json.loads(line)["status"] for line in lines]
    assert statuses[:4] == ["answered", "unknown", "unknown", "answered"]


def test_ask_does_not_import_platform_libraries(tmp_path):
    code = (
        "import sys; from bot.cli import main; main(['ask', 'phd?']); "
        "print([m for m in ('discord', 'slack_bolt', 'slack_sdk') if m in sys.modules])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "CAREERBOT_DB": str(tmp_path / "x.db")}, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_kb_check_passes_on_the_real_knowledge_base(tmp_path):
    proc = run("kb", "check", tmp=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "knowledge base OK" in proc.stdout


def test_kb_check_names_file_entry_and_field_and_fails(tmp_path):
    import shutil

    root = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", root)
    (root / "faq" / "zz.yaml").write_text(yaml.safe_dump({"entries": [{
        "id": "broken-one", "topic": "nope", "question": "Is it broken?", "answer": "short",
        "sources": [{"source": "phd-not-required-video", "where": "x"}]}]}))
    proc = run("--knowledge", str(root), "kb", "check", tmp=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "knowledge/faq/zz.yaml: entry broken-one: field topic: unknown topic 'nope'" in proc.stderr
    assert "field answer" in proc.stderr
    # the bot refuses to start on it with the same message
    ask = run("--knowledge", str(root), "ask", "phd?", tmp=tmp_path)
    assert ask.returncode == 2 and "field topic" in ask.stderr


def test_kb_export_json_lists_every_entry_with_all_fields(tmp_path, kb):
    proc = run("kb", "export", "--json", tmp=tmp_path)
    data = json.loads(proc.stdout)
    assert len(data["entries"]) == len(kb.entries)
    assert {"id", "topic", "question", "variants", "tags", "answer", "sources", "related"} <= set(
        data["entries"][0])
    assert yaml.safe_load(run("kb", "export", tmp=tmp_path).stdout)["entries"][0]["id"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--knowledge", "/nonexistent/kb", "ask", "phd?"), "knowledge directory not found"),
        (("--db", "/proc/careerbot/x.db", "ask", "phd?"), "database"),
        (("faq-nothing",), "invalid choice"),
    ],
)
def test_errors_are_one_clear_line_without_traceback(tmp_path, args, message):
    proc = run(*args, tmp=tmp_path)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_console_reads_stdin_until_eof(tmp_path):
    proc = run("console", stdin="do I need a phd?\n", tmp=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "PhD" in proc.stdout
    assert "Sources:" in proc.stdout


def test_console_help_topics_faq_and_unknown_entry(tmp_path):
    script = "/help\n/topics\n/faq industry-phd\n/faq no-such-thing\n/faq cifre\n/quit\nnever read\n"
    proc = run("console", stdin=script, tmp=tmp_path)
    out = proc.stdout
    assert proc.returncode == 0
    assert "careerbot help" in out
    assert "`phd-choice`" in out  # the topic list
    assert "industry-phd:" in out  # a topic's entries
    assert "There is no entry or topic called `no-such-thing`" in out
    assert "never read" not in out


def test_console_picks_a_choice_by_number(tmp_path):
    proc = run("console", stdin="/faq residencies\n1\n", tmp=tmp_path)
    assert proc.returncode == 0
    assert "Sources:" in proc.stdout.split("1)", 1)[1]
