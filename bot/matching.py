"""Free-text question -> ranked entries, a confidence in [0, 1], and an honest abstention.

Ranking uses BM25 (the `bm25s` library) over two views of the knowledge base:

- one document per entry (question, variants, tags, aliases and answer together), which rewards
  entries whose whole text is about the question;
- one document per phrasing (the question and each variant on its own), which rewards the entry
  whose closest phrasing is closest to what the member typed.

Examples of what the bot must not answer (`knowledge/offtopic.yaml`: technical help, chit-chat)
are phrasings of a reserved "off-topic" class, so a question that merely shares a word with the
knowledge base ("my kaggle notebook crashes") lands there rather than on an entry.

Scores are divided by the best score the query's own terms could reach, so they read as "how much
of what you asked is covered", which is what the thresholds are set against.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import bm25s
import numpy as np
from rapidfuzz.distance import Levenshtein

from bot.knowledge import Entry, SafetyConfig
from bot.text import STOPWORDS, Analyzer, stem, words

Status = Literal["answered", "ambiguous", "unknown", "safety"]

logging.getLogger("bm25s").setLevel(logging.WARNING)

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Thresholds:
    """Where confidence turns into an answer. Set with `make bench` on the dev set."""

    answer: float = 0.34
    suggest: float = 0.18
    ambiguous_margin: float = 0.04
    offtopic_margin: float = 0.0
    entry_weight: float = 0.45


@dataclass(frozen=True)
class Suggestion:
    id: str
    topic: str
    question: str


@dataclass(frozen=True)
class MatchResult:
    status: Status
    score: float
    entry: Entry | None
    suggestions: tuple[Suggestion, ...]
    query_terms: tuple[str, ...] = ()


class SafetyDetector:
    """Crisis language from safety.yaml: regular expressions plus fuzzy phrases for misspellings."""

    def __init__(self, config: SafetyConfig):
        self.config = config
        self._patterns = [re.compile(p, re.I) for p in config.patterns]
        self._not_crisis = [re.compile(p, re.I) for p in config.not_crisis]
        self._phrases = [tuple(words(p)) for p in config.phrases if words(p)]

    def is_crisis(self, text: str) -> bool:
        folded = " ".join(words(text))
        if not folded:
            return False
        cleaned = folded
        for pattern in self._not_crisis:
            cleaned = pattern.sub(" ", cleaned)
        if any(p.search(cleaned) for p in self._patterns):
            return True
        tokens = cleaned.split()
        return any(_fuzzy_phrase_in(phrase, tokens) for phrase in self._phrases)


def _fuzzy_phrase_in(phrase: tuple[str, ...], tokens: list[str]) -> bool:
    """True when `phrase` occurs in `tokens` allowing one typo per word of five letters or more."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        for p, t in zip(phrase, tokens[i : i + n], strict=True):
            if p == t:
                continue
            if len(p) < 5 or Levenshtein.distance(p, t, score_cutoff=1) > 1:
                break
        else:
            return True
    return False


OFFTOPIC = "__offtopic__"


class Matcher:
    """An index over one community's view of the knowledge base."""

    def __init__(
        self,
        entries: Sequence[Entry],
        analyzer: Analyzer,
        safety: SafetyDetector | None = None,
        offtopic: Sequence[str] = (),
        thresholds: Thresholds | None = None,
    ):
        self.entries = list(entries)
        self.analyzer = analyzer
        self.safety = safety
        self.thresholds = thresholds or Thresholds()
        self._by_id = {e.id: e for e in self.entries}

        entry_docs = [self._entry_terms(e) for e in self.entries]
        phrase_docs: list[list[str]] = []
        phrase_owner: list[int] = []
        for i, entry in enumerate(self.entries):
            for phrasing in (entry.question, *entry.variants):
                terms = analyzer.terms(phrasing)
                if terms:
                    phrase_docs.append(terms)
                    phrase_owner.append(i)
        self._offtopic_start = len(phrase_docs)
        for example in offtopic:
            terms = analyzer.terms(example)
            if terms:
                phrase_docs.append(terms)
                phrase_owner.append(-1)
        self._phrase_owner = np.array(phrase_owner, dtype=np.int64)

        self._entry_index, self._entry_idf = _build(entry_docs)
        self._phrase_index, self._phrase_idf = _build(phrase_docs)

        raw_vocab: Counter[str] = Counter()
        for entry in self.entries:
            for text in (entry.question, *entry.variants, " ".join(entry.tags), entry.answer):
                raw_vocab.update(w for w in words(text) if w not in STOPWORDS)
        for forms in analyzer.synonyms_forms():
            raw_vocab.update(forms)
        for example in offtopic:
            raw_vocab.update(w for w in words(example) if w not in STOPWORDS)
        self._raw_vocab = raw_vocab
        self._by_initial: dict[str, list[str]] = {}
        for word_ in raw_vocab:
            if len(word_) >= 4 and not word_.isdigit():
                self._by_initial.setdefault(word_[0], []).append(word_)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)

    def _entry_terms(self, entry: Entry) -> list[str]:
        a = self.analyzer
        tag_text = " ".join(t.replace("-", " ") for t in (*entry.tags, *entry.aliases))
        terms = a.terms(entry.question) * 2
        for variant in entry.variants:
            terms += a.terms(variant)
        terms += a.terms(tag_text) * 2
        terms += a.terms(entry.answer)
        return terms or ["__empty__"]

    # -- query side ---------------------------------------------------------------------------

    def _correct_uncached(self, word_: str) -> str:
        """Map a misspelt word to a known one: same first letter, one edit (two for long words)."""
        if word_ in self._raw_vocab or len(word_) < 5 or word_.isdigit():
            return word_
        limit = 1 if len(word_) < 8 else 2
        best, best_key = word_, None
        for candidate in self._by_initial.get(word_[0], ()):
            if abs(len(candidate) - len(word_)) > limit:
                continue
            d = Levenshtein.distance(word_, candidate, score_cutoff=limit)
            if d <= limit:
                key = (d, -self._raw_vocab[candidate])
                if best_key is None or key < best_key:
                    best, best_key = candidate, key
        return best

    def query_terms(self, text: str) -> list[str]:
        raw = [self._correct(w) if w not in STOPWORDS else w for w in words(text)]
        tokens = self.analyzer.synonyms.rewrite(raw)
        seen: dict[str, None] = {}
        for token in tokens:
            if token in STOPWORDS or len(token) >= 40:
                continue
            seen.setdefault(stem(token), None)
        return list(seen)

    def _scores(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
        """Per-entry score in [0, 1], per-entry best off-topic competitor, and term coverage."""
        n = len(self.entries)
        e_known = [t for t in terms if t in self._entry_idf]
        p_known = [t for t in terms if t in self._phrase_idf]
        e_scores = np.zeros(n)
        if e_known and n:
            bound = sum(self._entry_idf[t] for t in e_known) * (K1 + 1)
            e_scores = self._entry_index.get_scores(e_known) / max(bound, 1e-9)
        p_entry = np.zeros(n)
        p_off = 0.0
        if p_known and len(self._phrase_owner):
            bound = sum(self._phrase_idf[t] for t in p_known) * (K1 + 1)
            p = self._phrase_index.get_scores(p_known) / max(bound, 1e-9)
            owners = self._phrase_owner
            on = owners >= 0
            if n:
                np.maximum.at(p_entry, owners[on], p[on])
            if (~on).any():
                p_off = float(p[~on].max())
        # Words the knowledge base has never seen count against confidence: a question that is
        # mostly about something else should not be answered on the strength of one shared word.
        known_w = sum(self._entry_idf.get(t, 0.0) for t in terms)
        unknown = sum(1 for t in terms if t not in self._entry_idf and t not in self._phrase_idf)
        avg = known_w / max(1, len(terms) - unknown) if known_w else 1.0
        denominator = known_w + unknown * avg * 0.8
        coverage = known_w / denominator if denominator > 0 else 0.0
        w = self.thresholds.entry_weight
        combined = (w * e_scores + (1 - w) * p_entry) * (0.55 + 0.45 * coverage)
        return combined, np.array([p_off]), coverage

    def match(self, text: str) -> MatchResult:
        if self.safety is not None and self.safety.is_crisis(text):
            return MatchResult("safety", 1.0, None, ())
        terms = self.query_terms(text)
        if not terms or not self.entries:
            return MatchResult("unknown", 0.0, None, (), tuple(terms))
        combined, p_off, _coverage = self._scores(terms)
        order = np.argsort(-combined, kind="stable")[:5]
        top = [(self.entries[i], float(combined[i])) for i in order if combined[i] > 0]
        if not top:
            return MatchResult("unknown", 0.0, None, (), tuple(terms))
        th = self.thresholds
        best_entry, best = top[0]
        score = round(min(1.0, best), 4)
        near = tuple(_suggest(e) for e, s in top[:3] if s >= th.suggest)
        offtopic_best = float(p_off[0]) * (1 - th.entry_weight) * 1.6
        if best < th.answer or offtopic_best > best + th.offtopic_margin:
            return MatchResult("unknown", score, None, near, tuple(terms))
        close = [e for e, s in top[1:3] if s >= best - th.ambiguous_margin and s >= th.answer]
        if close:
            return MatchResult(
                "ambiguous", score, None, tuple(_suggest(e) for e in [best_entry, *close]), tuple(terms)
            )
        others = tuple(_suggest(e) for e, s in top[1:4] if s >= th.suggest)
        return MatchResult("answered", score, best_entry, others, tuple(terms))

    def search(self, text: str, limit: int = 25) -> list[tuple[Entry, float]]:
        """Ranked entries for autocomplete: forgiving, no abstention, prefix-aware on the last word."""
        terms = self.query_terms(text)
        if text and not text[-1:].isspace():
            last = words(text)[-1:] or [""]
            prefix = stem(last[0]) if last[0] else ""
            if len(prefix) >= 3:
                terms += [t for t in self._entry_idf if t.startswith(prefix) and t != prefix][:5]
        if not terms:
            return []
        combined, _, _ = self._scores(terms)
        order = np.argsort(-combined, kind="stable")[:limit]
        return [(self.entries[i], float(combined[i])) for i in order if combined[i] > 0]

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)


def _suggest(entry: Entry) -> Suggestion:
    return Suggestion(entry.id, entry.topic, entry.question)


def _build(docs: list[list[str]]) -> tuple[bm25s.BM25, dict[str, float]]:
    index = bm25s.BM25(k1=K1, b=B, method="lucene")
    corpus = docs or [["__empty__"]]
    index.index(corpus, show_progress=False)
    df: Counter[str] = Counter()
    for doc in corpus:
        df.update(set(doc))
    n = len(corpus)
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    return index, idf
