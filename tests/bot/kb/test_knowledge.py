from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.kb.loader import load_knowledge, parse_entry
from bot.kb.models import TOPICS
from bot.kb.problems import KnowledgeError
from tests import REPO

KNOWLEDGE = REPO / "knowledge"

GOOD = {
    "id": "sample-entry",
    "topic": "phd",
    "question": "Is this a sample question?",
    "variants": ["sample q"],
    "tags": ["sample"],
    "answer": "Yes. This is a sample answer that is long enough.",
    "sources": [{"source": "phd-not-required-video", "where": "Takeaways"}],
    "related": [],
}


def copy_kb(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


def write_entries(root: Path, name: str, entries: list[dict]) -> None:
    (root / "faq" / name).write_text(yaml.safe_dump({"entries": entries}), encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    return [str(p) for p in info.value.problems]


def test_real_knowledge_base_is_valid_and_covers_every_topic(kb):
    counts = kb.topic_counts()
    assert set(counts) == set(TOPICS)
    assert all(n >= 1 for n in counts.values()), counts
    assert len(kb.sources) == 4


def test_every_entry_cites_a_known_source_and_related_entries_exist(kb):
    ids = {e.id for e in kb.entries}
    for entry in kb.entries:
        assert entry.sources
        assert all(ref.source in kb.sources for ref in entry.sources)
        assert all(r in ids for r in entry.related)


def test_duplicate_id_is_reported_with_file_entry_and_field(tmp_path):
    root = copy_kb(tmp_path)
    write_entries(root, "zz-dupe.yaml", [GOOD, GOOD])
    problems = problems_of(root)
    assert any("zz-dupe.yaml" in p and "sample-entry" in p and "field id" in p and "duplicate" in p
               for p in problems), problems


def test_unknown_topic_and_overlong_answer_are_named(tmp_path):
    root = copy_kb(tmp_path)
    bad = dict(GOOD, id="bad-entry", topic="astrology", answer="x" * 1300)
    write_entries(root, "zz-bad.yaml", [bad])
    problems = problems_of(root)
    assert any("bad-entry" in p and "field topic" in p and "unknown topic" in p for p in problems)
    assert any("bad-entry" in p and "field answer" in p for p in problems)


def test_unknown_source_and_related_are_reported(tmp_path):
    root = copy_kb(tmp_path)
    bad = dict(GOOD, sources=[{"source": "nope", "where": "x"}], related=["missing-entry"])
    write_entries(root, "zz-ref.yaml", [bad])
    problems = problems_of(root)
    assert any("sources.0.source" in p and "unknown source 'nope'" in p for p in problems)
    assert any("field related" in p and "missing-entry" in p for p in problems)


def test_broken_yaml_names_the_file_and_line(tmp_path):
    root = copy_kb(tmp_path)
    (root / "faq" / "zz-broken.yaml").write_text("entries:\n  - id: [unclosed\n", encoding="utf-8")
    problems = problems_of(root)
    assert any("zz-broken.yaml" in p and "not valid YAML at line" in p for p in problems)


def test_missing_field_and_unknown_field(tmp_path):
    root = copy_kb(tmp_path)
    bad = {k: v for k, v in GOOD.items() if k != "answer"} | {"colour": "blue"}
    write_entries(root, "zz-fields.yaml", [bad])
    problems = problems_of(root)
    assert any("field answer" in p and "is required" in p for p in problems)
    assert any("field colour" in p and "not a known field" in p for p in problems)


def test_parse_entry_rejects_non_kebab_id():
    entry, problems = parse_entry(dict(GOOD, id="Not Kebab"))
    assert entry is None
    assert any(p.field == "id" for p in problems)


def test_missing_directory_is_a_clear_error(tmp_path):
    problems = problems_of(tmp_path / "nowhere")
    assert "knowledge directory not found" in problems[0]


def test_also_topics_must_be_known_and_differ_from_the_topic():
    entry, problems = parse_entry(dict(GOOD, also_topics=["roles"]))
    assert entry is not None and entry.topics == ("phd", "roles"), problems
    for bad, reason in ((["phd"], "already the entry's topic"), (["astrology"], "unknown topic"),
                        (["roles", "roles"], "twice")):
        entry, problems = parse_entry(dict(GOOD, also_topics=bad))
        assert entry is None
        assert any("also_topics" in str(p) and reason in str(p) for p in problems), problems


def test_safety_examples_are_merged_into_the_safety_config(tmp_path):
    root = copy_kb(tmp_path)
    (root / "safety-examples.yaml").write_text(yaml.safe_dump({
        "crisis_examples": ["an example written for this test"],
        "ordinary_examples": ["an ordinary sentence"],
        "examples_threshold": 0.6,
    }), encoding="utf-8")
    safety = load_knowledge(root).safety
    assert safety.crisis_examples == ("an example written for this test",)
    assert safety.ordinary_examples == ("an ordinary sentence",)
    assert safety.examples_threshold == 0.6


@pytest.mark.parametrize(("content", "message"), [
    ({"patterns": ["x"]}, "expected a mapping with keys"),
    ({"crisis_examples": "not a list"}, "crisis_examples"),
    ({"examples_margin": 2.0}, "examples_margin"),
])
def test_a_broken_safety_examples_file_is_refused(tmp_path, content, message):
    root = copy_kb(tmp_path)
    (root / "safety-examples.yaml").write_text(yaml.safe_dump(content), encoding="utf-8")
    assert any(message in p for p in problems_of(root))


def test_safety_examples_may_not_also_be_set_in_safety_yaml(tmp_path):
    root = copy_kb(tmp_path)
    safety = yaml.safe_load((root / "safety.yaml").read_text(encoding="utf-8"))
    safety["examples_threshold"] = 0.7
    (root / "safety.yaml").write_text(yaml.safe_dump(safety), encoding="utf-8")
    assert any("set it in one file only" in p for p in problems_of(root))
