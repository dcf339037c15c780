"""Matching quality on the evaluation sets, for careerbot's matcher and for plain BM25.

Measures (on-topic = labelled with a topic key, off-topic = labelled `off-topic`):
- accuracy@1: on-topic questions answered (status `answered`) with an entry of a right topic;
  an entry is of a topic when that is its topic or one of its `also_topics` (an entry about
  "research scientist without a PhD" is listed under both `phd` and `roles`);
- accuracy@1, primary topic only: the same, counting only each entry's own `topic`, the stricter
  reading, reported beside it;
- hit@3: on-topic questions where one of the first three candidates shown (the answer and its
  suggestions, the ambiguous choices, or the near misses) has a right topic;
- off-topic abstention: off-topic questions that get no FAQ answer (`unknown`, `uncovered`,
  `chitchat`, or a wellbeing reply);
- false abstention: on-topic questions that get `unknown`, `uncovered` or `chitchat`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import yaml

from bot.kb.models import Entry
from bot.matching import Matcher
from bot.results import MatchResult
from bot.text import normalise_question

EVAL_DIR = Path(__file__).resolve().parent / "eval"


@dataclass(frozen=True)
class Question:
    text: str
    topics: frozenset[str]

    @property
    def off_topic(self) -> bool:
        return "off-topic" in self.topics


@dataclass
class Scores:
    n_on: int
    n_off: int
    accuracy_at_1: float
    hit_at_3: float
    offtopic_abstention: float
    false_abstention: float
    misses: list[tuple[str, str, str]]
    strict_accuracy_at_1: float = 0.0

    def row(self) -> dict[str, float]:
        return {
            "accuracy@1": self.accuracy_at_1,
            "accuracy@1 primary": self.strict_accuracy_at_1,
            "hit@3": self.hit_at_3,
            "off-topic abstention": self.offtopic_abstention,
            "false abstention": self.false_abstention,
        }


def load_questions(name: str) -> list[Question]:
    data = yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))
    out = []
    for item in data["questions"]:
        topic = item["topic"]
        topics = frozenset(topic if isinstance(topic, list) else [topic])
        out.append(Question(str(item["q"]), topics))
    return out


def variant_overlap(questions: Sequence[Question], entries: Sequence[Entry]) -> list[str]:
    """Evaluation questions that are copies of an entry's question or variant (should be none)."""
    known = {normalise_question(p) for e in entries for p in (e.question, *e.variants)}
    return [q.text for q in questions if normalise_question(q.text) in known]


def candidates(result: MatchResult, by_id: dict[str, Entry]) -> list[str]:
    """The topics of the first three entries shown."""
    ids = ([result.entry.id] if result.entry else []) + [s.id for s in result.suggestions]
    return [t for i in ids[:3] if i in by_id for t in by_id[i].topics]


def score(
    questions: Sequence[Question], answer: Callable[[str], MatchResult], entries: Sequence[Entry]
) -> Scores:
    by_id = {e.id: e for e in entries}
    on = [q for q in questions if not q.off_topic]
    off = [q for q in questions if q.off_topic]
    correct = strict = hits = false_abstain = abstain = 0
    misses: list[tuple[str, str, str]] = []
    for q in on:
        result = answer(q.text)
        topics = candidates(result, by_id)
        answered = result.entry if result.status == "answered" else None
        if answered and answered.topic in q.topics:
            strict += 1
        if answered and q.topics.intersection(answered.topics):
            correct += 1
        else:
            got = result.entry.id if result.entry else ",".join(s.id for s in result.suggestions)
            misses.append((q.text, "/".join(sorted(q.topics)), f"{result.status} {got}"))
        if any(t in q.topics for t in topics):
            hits += 1
        if result.status in ("unknown", "uncovered", "chitchat"):
            false_abstain += 1
    for q in off:
        result = answer(q.text)
        if result.status in ("unknown", "uncovered", "chitchat", "safety", "support"):
            abstain += 1
        else:
            got = result.entry.id if result.entry else "ambiguous"
            misses.append((q.text, "off-topic", f"{result.status} {got}"))
    return Scores(
        n_on=len(on),
        n_off=len(off),
        accuracy_at_1=correct / max(1, len(on)),
        strict_accuracy_at_1=strict / max(1, len(on)),
        hit_at_3=hits / max(1, len(on)),
        offtopic_abstention=abstain / max(1, len(off)),
        false_abstention=false_abstain / max(1, len(on)),
        misses=misses,
    )


class PlainBM25:
    """The baseline: bm25s with its own tokenizer over each entry's whole text, top-1 wins.

    Its abstention threshold is the one that does best on the dev set, so the comparison is fair
    to it.
    """

    def __init__(self, entries: Sequence[Entry]):
        self.entries = list(entries)
        corpus = [
            " ".join([e.question, *e.variants, " ".join(e.tags), e.answer]) for e in self.entries
        ]
        self.stemmer = _stemmer()
        tokens = bm25s.tokenize(corpus, stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.index = bm25s.BM25()
        self.index.index(tokens, show_progress=False)
        self.threshold = 0.0

    def raw(self, text: str) -> tuple[int, np.ndarray]:
        tokens = bm25s.tokenize(
            [text], stopwords="en", stemmer=self.stemmer, show_progress=False, return_ids=False
        )[0]
        known = [t for t in tokens if t in self.index.vocab_dict]
        if not known:
            return -1, np.zeros(len(self.entries))
        scores = self.index.get_scores(known)
        return int(np.argmax(scores)), scores

    def answer(self, text: str) -> MatchResult:
        from bot.results import Suggestion

        best, scores = self.raw(text)
        if best < 0:
            return MatchResult("unknown", 0.0, None, ())
        order = np.argsort(-scores)[:3]
        sugg = tuple(
            Suggestion(self.entries[i].id, self.entries[i].topic, self.entries[i].question)
            for i in order
        )
        if scores[best] < self.threshold:
            return MatchResult("unknown", float(scores[best]), None, sugg)
        return MatchResult("answered", float(scores[best]), self.entries[best], sugg[1:])

    def tune(self, questions: Sequence[Question]) -> None:
        best_t, best_v = 0.0, -1.0
        for t in np.linspace(0, 20, 201):
            self.threshold = float(t)
            s = score(questions, self.answer, self.entries)
            value = (s.accuracy_at_1 + s.offtopic_abstention) / 2
            if value > best_v:
                best_t, best_v = float(t), value
        self.threshold = best_t


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def evaluate_matcher(matcher: Matcher, questions: Sequence[Question]) -> Scores:
    return score(questions, matcher.match, matcher.entries)
