"""The numbers behind a match, apart from the index that produces them: where confidence turns
into an answer (`Thresholds`), the logistic confidence model over the lexical features
(`Confidence`), and the sentence model's vote of the nearest phrasings (`DenseIndex`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Thresholds:
    """Where confidence turns into an answer, a suggestion, or a choice between two entries."""

    answer: float = 0.5
    suggest: float = 0.15
    # Offer a choice only when the runner-up is all but tied with the best entry and also
    # confident on its own: a wrong "which did you mean" costs a click, a wrong answer costs trust.
    ambiguous_rank_margin: float = 0.005
    # Ranking mixes the whole-entry BM25 score, the closest phrasing's, and salience (each scaled
    # to the best entry's), chosen by a grid on the tuning sets. With 25 or more phrasings per
    # entry the closest phrasing carries most of the weight; salience keeps one stray word from
    # deciding, and the entry view still lifts questions about details only the answer mentions.
    rank_entry: float = 0.1
    rank_phrase: float = 0.6
    rank_salience: float = 0.3
    # With the sentence model: the lexical rank's share of the final rank (the rest is the vote of
    # the nearest phrasings), and where the mixed confidence turns into an answer. Chosen on the
    # tuning sets (dev, dev2, dev3 and the real posts' tuning half), see bench.dense_tune.
    dense_lexical_share: float = 0.3
    dense_answer: float = 0.4
    dense_neighbours: int = 5
    dense_power: float = 4.0


@dataclass
class DenseIndex:
    """The sentence-model view of one knowledge view: a unit vector per phrasing (`owner` says
    whose) and per off-topic example, and the function that encodes a question."""

    encode: Callable[[Sequence[str]], np.ndarray]
    phrasings: np.ndarray
    owner: np.ndarray
    offtopic: np.ndarray

    def __post_init__(self) -> None:
        # Phrasings come entry by entry, so each entry's closest phrasing is one `reduceat` over
        # its run of rows: ~20x faster than `maximum.at` at 2,000 entries (60,000 phrasings).
        # Owners out of order fall back to `maximum.at`.
        owner = self.owner
        self._runs: np.ndarray | None = None
        if len(owner) and bool(np.all(owner[1:] >= owner[:-1])):
            self._runs = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])

    def vote(self, question: str, n_entries: int, k: int, power: float) -> np.ndarray:
        """The `k` entries whose closest phrasing is nearest vote with similarity^power; the
        off-topic examples vote as one more class (the last element), through their closest
        example. One vote per entry, so an entry a moderator added with two phrasings competes
        fairly with one that has thirty. Shares sum to 1."""
        # Lone surrogates (a broken paste) cannot reach the tokenizer.
        question = question.encode("utf-8", "replace").decode("utf-8")
        vector = self.encode([question])[0]
        closest = np.full(n_entries + 1, -1.0)
        if len(self.owner):
            similarity = self.phrasings @ vector
            if self._runs is not None:
                closest[self.owner[self._runs]] = np.maximum.reduceat(similarity, self._runs)
            else:
                np.maximum.at(closest, self.owner, similarity)
        if len(self.offtopic):
            closest[n_entries] = float((self.offtopic @ vector).max())
        k = min(k, len(closest))
        votes = np.zeros(n_entries + 1)
        nearest = np.argpartition(-closest, k - 1)[:k]
        votes[nearest] = np.clip(closest[nearest], 0.0, None) ** power
        total = votes.sum()
        return votes / total if total > 0 else votes


@dataclass(frozen=True)
class Confidence:
    """Logistic weights over the match features: `python -m bench.fit_confidence` fits them on the
    tuning sets bench/eval/dev.yaml, dev2.yaml and dev3.yaml, never on the held-out test.yaml."""

    bias: float = -5.115
    phrase: float = 15.719
    entry_cover: float = 3.109
    topic_cover: float = 2.683
    salience: float = 1.931
    offtopic: float = -16.699
    log_length: float = 1.378

    def __call__(self, phrase: float, entry_cover: float, topic_cover: float, salience: float,
                 offtopic: float, length: int) -> float:
        z = (self.bias + self.phrase * phrase + self.entry_cover * entry_cover
             + self.topic_cover * topic_cover + self.salience * salience
             + self.offtopic * offtopic + self.log_length * math.log(max(1, length)))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
