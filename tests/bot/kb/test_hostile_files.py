"""Hostile knowledge files (red-team M7, L5): alias bombs, custom tags, huge or endless files,
FIFOs and device links are refused in one line each, never hang, never crash the loader."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.kb.loader import load_knowledge
from bot.kb.problems import MAX_YAML_BYTES, KnowledgeError, YamlRefused, parse_yaml
from tests import REPO

KNOWLEDGE = REPO / "knowledge"


def laughs(levels: int, where: str = "id") -> str:
    """A "billion laughs" file: `levels` levels of ten aliases each, 10**levels strings."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    lines.append(f"entries:\n  - {where}: *a{levels - 1}\n    topic: phd")
    return "\n".join(lines) + "\n"


def copy_kb(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    return [str(p) for p in info.value.problems]


def test_an_alias_bomb_in_the_knowledge_base_is_refused_as_such(tmp_path: Path):
    root = copy_kb(tmp_path)
    # 10**6 strings once expanded: small enough that the old loader finishes, wrongly.
    (root / "faq" / "bomb.yaml").write_text(laughs(6), encoding="utf-8")
    problems = problems_of(root)
    assert len(problems) == 1
    assert problems[0] == ("knowledge/faq/bomb.yaml: entry -: field -: has aliases that expand"
                           " to more than 100,000 values (a \"billion laughs\" file?); write each"
                           " value out in full")


def test_a_few_aliases_in_the_knowledge_folder_are_fine():
    text = "w: &w {a: 1, b: 2}\nx: *w\ny: *w\n"
    assert parse_yaml(text, aliases=True) == {"w": {"a": 1, "b": 2}, "x": {"a": 1, "b": 2},
                                              "y": {"a": 1, "b": 2}}


@pytest.mark.parametrize("text", [
    "x: &a 1\ny: *a\n",  # one harmless alias is still an alias
    "base: &b {topic: phd}\nentries:\n  - <<: *b\n    id: x\n",
])
def test_imports_refuse_any_alias(text: str):
    with pytest.raises(YamlRefused, match="anchors and aliases"):
        parse_yaml(text)


@pytest.mark.parametrize("aliases", [True, False])
def test_a_value_containing_itself_is_refused(aliases: bool):
    with pytest.raises(YamlRefused):
        parse_yaml("x: &a [1, *a]\n", aliases=aliases)


@pytest.mark.parametrize("text", [
    "entries: !custom [1]\n",
    "x: !!python/object/apply:os.system ['echo pwned']\n",
    "x: !!python/name:os.system\n",
    "x: !!binary aGVsbG8=\n",
])
def test_tags_beyond_plain_yaml_are_refused(text: str):
    with pytest.raises(YamlRefused, match="tag") as err:
        parse_yaml(text)
    assert "\n" not in str(err.value)


def test_plain_yaml_still_reads():
    text = "entries:\n  - id: a\n    tags: [x, y]\n    n: 3\n    ok: true\n    none: null\n"
    assert parse_yaml(text) == {"entries": [{"id": "a", "tags": ["x", "y"], "n": 3, "ok": True,
                                             "none": None}]}


@pytest.mark.parametrize("text", [
    "[" * 20000 + "]" * 20000,
    "x: " + "[" * 40 + "]" * 40,
    "n: " + "9" * 5000 + "\n",  # more digits than Python turns into an int
])
def test_deep_nesting_and_huge_numbers_get_one_line(text: str):
    with pytest.raises(YamlRefused) as err:
        parse_yaml(text)
    assert "\n" not in str(err.value)


def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path):
    root = copy_kb(tmp_path)
    big = root / "faq" / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_YAML_BYTES + 1)  # sparse: no disk used
    problems = problems_of(root)
    assert problems == [f"knowledge/faq/big.yaml: entry -: field -: is larger than "
                        f"{MAX_YAML_BYTES // (1024 * 1024)} MB"]


def test_an_entry_id_is_never_stringified_unless_it_is_text_or_a_number(tmp_path: Path):
    from bot.kb.loader import parse_entry

    entry, problems = parse_entry({"id": [["x"] * 3] * 3, "topic": "phd"}, "f.yaml")
    assert entry is None and problems
    assert all(p.entry == "" for p in problems)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_non_regular_files_are_refused_without_hanging(tmp_path: Path, kind: str):
    root = copy_kb(tmp_path)
    odd = root / "faq" / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "dev-zero":
        odd.symlink_to("/dev/zero")
    else:
        odd.mkdir()
    # In a child process, so the old behaviour (blocking on the FIFO, reading /dev/zero until
    # memory runs out) fails the test instead of taking the suite with it. The timeout is a
    # hang guard, not a speed requirement.
    code = ("import sys; from pathlib import Path; from bot.kb.loader import load_knowledge; "
            "from bot.kb.problems import KnowledgeError\n"
            "try:\n    load_knowledge(Path(sys.argv[1]))\n"
            "except KnowledgeError as exc:\n    print(*exc.problems, sep='\\n')\n")
    result = subprocess.run([sys.executable, "-c", code, str(root)], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "knowledge/faq/odd.yaml: entry -: field -: is not a regular file (a FIFO, device, socket "
        "or folder); only regular files are read"]
