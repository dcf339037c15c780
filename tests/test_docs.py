"""The README and docs/ name only things that exist: commands, variables, community ids."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import CONSOLE_COMMUNITY
from bot.commands import MODERATOR_COMMANDS
from tests import REPO

README = REPO / "README.md"
DOCS = [README, *sorted((REPO / "docs").glob("*.md"))]


def help_commands(*path: str) -> set[str]:
    """The subcommands `careerbot [path] --help` lists (argparse's indented "name  help" rows)."""
    proc = subprocess.run([sys.executable, "-m", "bot", *path, "--help"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=True)
    if "positional arguments:" not in proc.stdout:
        return set()
    listing = proc.stdout.split("positional arguments:", 1)[1].split("options:", 1)[0]
    return {m.group(1) for m in re.finditer(r"^    ([a-z][a-z-]*)(?:\s|$)", listing, re.M)}


def readme_command_table() -> list[list[str]]:
    section = README.read_text(encoding="utf-8").split("## Command line", 1)[1]
    block = section.split("```text", 1)[1].split("```", 1)[0]
    rows = []
    for line in block.strip().splitlines():
        words = line.split()
        assert words[0] == "careerbot", line
        rows.append([w for w in words[1:] if re.fullmatch(r"[a-z][a-z-]*", w)])
    return rows


def test_the_readme_command_table_matches_careerbot_help():
    top = help_commands()
    rows = readme_command_table()
    assert {row[0] for row in rows} == top
    for command in sorted(top):
        nested = help_commands(command) - {"question", "file", "id"}
        if not nested:
            continue
        documented = {row[1] for row in rows if row[0] == command and len(row) > 1}
        assert documented == nested, command


def shell_commands(text: str) -> set[str]:
    """`careerbot X` in code: inline, as a venv path, or at the start of a line in a code block
    (or a whole file of code: a unit file or a Dockerfile)."""
    found = {m.group(1) for m in re.finditer(r"(?:`|bin/)careerbot ([a-z][a-z-]*)", text)}
    blocks = text.split("```")[1::2] if "```" in text else [text]
    for block in blocks:
        found |= {m.group(1) for m in re.finditer(r"^[ \t#]*careerbot ([a-z][a-z-]*)", block, re.M)}
    return found


@pytest.mark.parametrize("doc", DOCS + [REPO / "deploy" / "careerbot.service",
                                        REPO / "deploy" / "Dockerfile",
                                        REPO / "deploy" / "compose.yaml"], ids=lambda p: p.name)
def test_every_careerbot_command_a_doc_names_exists(doc: Path):
    named = shell_commands(doc.read_text(encoding="utf-8"))
    assert named - help_commands() == set()


def code_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for folder in ("bot", "adapters") for p in (REPO / folder).rglob("*.py"))


@pytest.mark.parametrize("doc", DOCS + [REPO / "deploy" / ".env.example"], ids=lambda p: p.name)
def test_every_variable_a_doc_names_is_read_by_the_code(doc: Path):
    named = set(re.findall(r"\b((?:CAREERBOT|DISCORD|SLACK)_[A-Z][A-Z_]*[A-Z])\b",
                           doc.read_text(encoding="utf-8")))
    code = code_text()
    assert {v for v in named if f'"{v}"' not in code} == set()


def test_the_console_community_id_is_documented_as_it_is():
    text = README.read_text(encoding="utf-8")
    assert f"console speaks in the community id `{CONSOLE_COMMUNITY}`" in text


@pytest.mark.parametrize("doc", [README, REPO / "docs" / "slack.md", REPO / "docs" / "discord.md"],
                         ids=lambda p: p.name)
def test_every_moderator_verb_is_documented(doc: Path):
    text = doc.read_text(encoding="utf-8")
    missing = [spec.verb for spec in MODERATOR_COMMANDS if f"`{spec.verb}" not in text
               and f"/faqadmin {spec.verb}" not in text and f"/careerbot {spec.verb}" not in text]
    assert missing == []


def test_make_run_installs_no_dev_tools_and_make_test_adds_them(tmp_path: Path):
    (tmp_path / "Makefile").write_text((REPO / "Makefile").read_text())
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").write_text("")

    def plan(target: str) -> str:
        return subprocess.run(["make", "-n", "-C", str(tmp_path), target], capture_output=True,
                              text=True, check=True, env={**os.environ, "MAKEFLAGS": ""}).stdout

    run = plan("run")
    assert "pip install --quiet -e .\n" in run and "[dev]" not in run
    test = plan("test")
    assert "-e .\n" in test and "'.[dev]'" in test
    # After `make run` (its stamp exists and is newer), `make test` adds only the dev tools.
    stamp = tmp_path / ".venv" / ".installed-run"
    stamp.write_text("")
    later = os.stat(tmp_path / "pyproject.toml").st_mtime + 10
    os.utime(stamp, (later, later))
    test = plan("test")
    assert "-e .\n" not in test and "'.[dev]'" in test
    dev = tmp_path / ".venv" / ".installed-dev"
    dev.write_text("")
    os.utime(dev, (later + 1, later + 1))
    assert "pip" not in plan("run") and "pip" not in plan("test")
