"""Our BM25 build gives bm25s's Lucene scores exactly, on the shipped base and odd corpora."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import bm25s
import numpy as np
import pytest
import yaml

from bot.bm25 import BM25
from bot.matching import K1, B
from bot.text import Analyzer

EVAL = Path(__file__).resolve().parents[2] / "bench" / "eval"


def reference(docs: list[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25(k1=K1, b=B, method="lucene")
    index.index(docs, show_progress=False)
    return index


def questions() -> list[str]:
    data = yaml.safe_load((EVAL / "dev.yaml").read_text(encoding="utf-8"))
    return [q["q"] for q in data["questions"]]


@pytest.mark.parametrize("shape", ["phrasings", "entries"])
def test_scores_are_bm25s_lucene_scores_bit_for_bit(kb, shape):
    analyzer = Analyzer(kb.synonyms)
    if shape == "phrasings":
        docs = [analyzer.terms(p) or ["__empty__"]
                for e in kb.entries for p in (e.question, *e.variants)]
    else:
        docs = [analyzer.terms(e.question) * 2 + analyzer.terms(e.answer) for e in kb.entries]
    ours, theirs = BM25(docs, K1, B), reference(docs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)
    assert ours.idf == {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    compared = 0
    for question in questions():
        terms = [t for t in dict.fromkeys(analyzer.terms(question)) if t in ours.idf]
        if terms:
            assert np.array_equal(ours.get_scores(terms), theirs.get_scores(terms)), question
            compared += 1
    assert compared > 50


def test_repeated_terms_unknown_terms_and_one_document():
    docs = [["phd", "phd", "phd", "job"], ["job"], ["x"] * 30 + ["phd"]]
    ours, theirs = BM25(docs, K1, B), reference(docs)
    for terms in (["phd"], ["job", "phd"], ["x"], ["phd", "job", "x"]):
        assert np.array_equal(ours.get_scores(terms), theirs.get_scores(terms))
    assert ours.get_scores(["nowhere"]).tolist() == [0.0, 0.0, 0.0]
    assert set(ours.idf) == {"phd", "job", "x"}
    one = BM25([["only"]], K1, B)
    assert one.get_scores(["only"]).tolist() == reference([["only"]]).get_scores(["only"]).tolist()
    assert BM25([], K1, B).get_scores(["a"]).tolist() == []
