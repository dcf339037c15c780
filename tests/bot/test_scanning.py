"""A serving bot scans the safety patterns with the `regex` engine (GIL released); it must read
every message exactly as the `re` patterns of a one-shot command do."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.scanning import RELEASE_FROM, ConcurrentScanner, concurrent
from bot.text import scan_text
from bot.wellbeing import Wellbeing
from tests import REPO

EVAL = REPO / "bench" / "eval"


def tuning_messages() -> list[str]:
    """The wellbeing tuning sets and the dev questions (never the held-out sets)."""
    texts: list[str] = []
    for path in sorted(EVAL.glob("wellbeing-tune*.yaml")) + [EVAL / "wellbeing.yaml"]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [m["text"] for m in data if path.name != "wellbeing.yaml" or m["half"] == "tune"]
    for name in ("dev.yaml", "dev3.yaml", "dev5.yaml"):
        data = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
        texts += [q["q"] for q in data["questions"]]
    return texts


@pytest.fixture(scope="module")
def both(kb) -> tuple[Wellbeing, Wellbeing]:
    plain, serving = Wellbeing(kb.safety), Wellbeing(kb.safety)
    serving.scan_concurrently()
    return plain, serving


def test_the_serving_scan_uses_the_regex_engine(both):
    plain, serving = both
    assert isinstance(plain._crisis, re.Pattern) and isinstance(plain._distress, re.Pattern)
    assert isinstance(serving._crisis, ConcurrentScanner)
    assert isinstance(serving._distress, ConcurrentScanner)


def test_both_engines_read_every_tuning_message_alike(both):
    plain, serving = both
    texts = tuning_messages()
    assert len(texts) > 1500
    differ = [t for t in texts if plain.words(t) != serving.words(t)]
    assert differ == []
    # Below RELEASE_FROM characters the serving scan is `re` itself: compare the `regex` engine's
    # own scan on every message, whatever its length.
    for name in ("_crisis", "_distress"):
        engine, reference = getattr(serving, name), getattr(plain, name)
        for folded in map(scan_text, texts):
            assert bool(engine.search_released(folded)) == bool(reference.search(folded)), folded
    # Not vacuous: the messages reach every tier.
    tiers = {plain.words(t).tier for t in texts}
    assert {"crisis", "distress", None} <= tiers


def test_the_concurrent_scanner_finds_what_re_finds():
    pattern = re.compile(r"(?:(?<= )|^)(?:(?:want to (?:die|disappear))|(?:kms\b))")
    scanner = ConcurrentScanner(pattern)
    for text in ("i want to die", "honestly kms", "i want to disappear lol", "kmsx", "nothing"):
        assert bool(scanner.search(text)) == bool(pattern.search(text)), text
        assert bool(scanner.search_released(text)) == bool(pattern.search(text)), text
    long = "a long paste about conda " * (RELEASE_FROM // 10)
    for text in (long, long + " i want to die", "i want to die " + long):
        assert bool(scanner.search(text)) == bool(pattern.search(text))
    assert concurrent(None) is None
    assert concurrent(scanner) is scanner
