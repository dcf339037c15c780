"""Free-text question -> ranked entries, a confidence in [0, 1], and an honest abstention.

Ranking uses BM25 (Lucene's variant, `bot.bm25`) over two views of the knowledge base:

- one document per entry (question, variants, tags, aliases and answer together), which rewards
  entries whose whole text is about the question;
- one document per phrasing (the question and each variant on its own), which rewards the entry
  whose closest phrasing is closest to what the member typed.

Examples of what the bot must not answer (`knowledge/offtopic.yaml`: technical help, chit-chat)
are phrasings of a reserved "off-topic" class, so a question that merely shares a word with the
knowledge base ("my kaggle notebook crashes") lands there rather than on an entry.

Entries are ranked by both views together. Whether the best one is good enough to answer is a
separate question, decided by a small logistic model over six features of the query and that
entry (see `Confidence`): how close its closest phrasing is, how much of the query the entry's
phrasings and its topic's phrasings cover, how many of the entry's phrasings use the query's
words (salience), how close the nearest off-topic example is, and how long the query is. The
model's output is the reported score, a probability-like number in [0, 1].

With the sentence model (a `DenseIndex`, which every community's view has when serving), the
nearest phrasings' vote is mixed into both the rank and the score (see `Matcher._match_dense`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Levenshtein

from bot.bm25 import BM25
from bot.chitchat import chitchat_reply
from bot.kb.models import Entry
from bot.results import MatchResult, Suggestion
from bot.scoring import Confidence, DenseIndex, Thresholds
from bot.text import STOPWORDS, Analyzer, clip_for_model, stem, strip_markup, words
from bot.wellbeing import Wellbeing

K1 = 1.2
B = 0.75
# How close (as a share of its rank) another topic's entry must come to be shown before a second
# entry of a topic already shown.
DIVERSE_RATIO = 0.9


class Matcher:
    """An index over one community's view of the knowledge base."""

    def __init__(
        self,
        entries: Sequence[Entry],
        analyzer: Analyzer,
        wellbeing: Wellbeing | None = None,
        offtopic: Sequence[str] = (),
        thresholds: Thresholds | None = None,
        confidence: Confidence | None = None,
        dense: DenseIndex | None = None,
    ):
        self.entries = list(entries)
        self.dense = dense
        self.analyzer = analyzer
        self.wellbeing = wellbeing
        self.thresholds = thresholds or Thresholds()
        self.confidence = confidence or Confidence()

        entry_docs: list[list[str]] = []
        phrase_docs: list[list[str]] = []
        starts: list[int] = []
        self._intent_vocab: list[frozenset[str]] = []
        self._salience: list[dict[str, float]] = []
        topic_vocab: dict[str, set[str]] = {}
        for entry in self.entries:
            starts.append(len(phrase_docs))
            seen: Counter[str] = Counter()
            phrasings = [analyzer.terms(p) for p in (entry.question, *entry.variants)]
            labels = analyzer.terms(_label_text(entry))
            for terms in phrasings:
                seen.update(set(terms))
                phrase_docs.append(terms or ["__empty__"])
            seen.update(set(labels))
            entry_docs.append(self._entry_terms(entry, phrasings, labels))
            count = len(entry.variants) + 2
            self._salience.append({t: c / count for t, c in seen.items()})
            self._intent_vocab.append(frozenset(seen))
            topic_vocab.setdefault(entry.topic, set()).update(seen)
        self._topic_vocab = {t: frozenset(v) for t, v in topic_vocab.items()}
        self._topics = list(topic_vocab)
        self._topic_of = np.array([self._topics.index(e.topic) for e in self.entries],
                                  dtype=np.int64)
        # Per term, which entries use it and in what share of their phrasings: lets ranking sum
        # salience over the query's terms with a few array operations instead of a loop.
        by_term: dict[str, tuple[list[int], list[float]]] = {}
        for i, sal in enumerate(self._salience):
            for term, share in sal.items():
                rows, vals = by_term.setdefault(term, ([], []))
                rows.append(i)
                vals.append(share)
        self._salience_by_term = {
            t: (np.array(r, dtype=np.int64), np.array(v)) for t, (r, v) in by_term.items()
        }
        self._starts = np.array(starts, dtype=np.int64)
        self._offtopic_start = len(phrase_docs)
        for example in offtopic:
            terms = analyzer.terms(example)
            if terms:
                phrase_docs.append(terms)

        self._entry_index, self._entry_idf = _build(entry_docs)
        self._phrase_index, self._phrase_idf = _build(phrase_docs)
        self._max_idf = max(self._phrase_idf.values(), default=1.0)
        self._avg_phrase = sum(len(d) for d in phrase_docs) / max(1, len(phrase_docs))

        raw_vocab: Counter[str] = Counter()
        for entry in self.entries:
            for text in (entry.question, *entry.variants, " ".join(entry.tags), entry.answer):
                raw_vocab.update(analyzer.content_words(text))
        for forms in analyzer.synonyms_forms():
            raw_vocab.update(forms)
        for example in offtopic:
            raw_vocab.update(analyzer.content_words(example))
        self._raw_vocab = raw_vocab
        self._by_initial: dict[str, list[str]] = {}
        for word_ in raw_vocab:
            if len(word_) >= 4 and not word_.isdigit():
                self._by_initial.setdefault(word_[0], []).append(word_)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)

    def _entry_terms(self, entry: Entry, phrasings: list[list[str]], labels: list[str]) -> list[str]:
        """The entry as one document: its question and labels count double, then every variant
        and the answer."""
        terms = phrasings[0] * 2 + labels * 2
        for variant in phrasings[1:]:
            terms += variant
        terms += self.analyzer.terms(entry.answer)
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

    def _rank(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
        """Rank score per entry, closest-phrasing similarity per entry, and the off-topic one.

        A similarity divides a BM25 score by what the query would score against itself, with
        words the knowledge base never saw counted at the highest weight: a question that is
        mostly about something else should not be answered on the strength of one shared word.
        """
        n = len(self.entries)
        phrase_sim = np.zeros(n)
        offtopic_sim = 0.0
        p_known = [t for t in terms if t in self._phrase_idf]
        if p_known:
            unknown = sum(1 for t in terms if t not in self._phrase_idf)
            saturation = (K1 + 1) / (1 + K1 * (1 - B + B * len(terms) / self._avg_phrase))
            own = (sum(self._phrase_idf[t] for t in p_known) + unknown * self._max_idf) * saturation
            p = self._phrase_index.get_scores(p_known) / max(own, 1e-9)
            if n:
                phrase_sim = np.maximum.reduceat(p[: self._offtopic_start], self._starts)
            if len(p) > self._offtopic_start:
                offtopic_sim = float(p[self._offtopic_start :].max())
        e_known = [t for t in terms if t in self._entry_idf]
        entry_rel = np.zeros(n)
        if e_known and n:
            e = self._entry_index.get_scores(e_known)
            top = float(e.max())
            if top > 0:
                entry_rel = e / top
        best_phrase = float(phrase_sim.max()) if n else 0.0
        phrase_rel = phrase_sim / best_phrase if best_phrase > 0 else phrase_sim
        salience = np.zeros(n)
        for t in terms:
            found = self._salience_by_term.get(t)
            if found is not None:
                salience[found[0]] += self._entry_idf.get(t, 0.0) * found[1]
        top_salience = float(salience.max()) if n else 0.0
        if top_salience > 0:
            salience /= top_salience
        w = self.thresholds
        rank = w.rank_entry * entry_rel + w.rank_phrase * phrase_rel + w.rank_salience * salience
        return rank, phrase_sim, offtopic_sim

    def features(self, i: int, terms: list[str], phrase_sim: float,
                 offtopic_sim: float) -> tuple[float, float, float, float, float, int]:
        """What `Confidence` weighs for entry i: phrasing similarity; coverage of the question by
        the entry's and its topic's phrasings (IDF-weighted); salience, the share of the entry's
        phrasings that use the question's words (an entry *about* CIFRE says "cifre" in most of
        them, while a word that appears in one stray variant says little); off-topic
        similarity; length."""
        weight = {t: self._entry_idf.get(t, self._max_idf) for t in terms}
        total = sum(weight.values()) or 1.0
        intent = self._intent_vocab[i]
        topic = self._topic_vocab[self.entries[i].topic]
        entry_cover = sum(w for t, w in weight.items() if t in intent) / total
        topic_cover = sum(w for t, w in weight.items() if t in topic) / total
        sal = self._salience[i]
        salience = sum(w * sal.get(t, 0.0) for t, w in weight.items()) / total
        return phrase_sim, entry_cover, topic_cover, salience, offtopic_sim, len(terms)

    def _confidence(self, i: int, terms: list[str], phrase_sim: float, offtopic_sim: float) -> float:
        return self.confidence(*self.features(i, terms, phrase_sim, offtopic_sim))

    def top_features(
        self, text: str
    ) -> tuple[Entry, tuple[float, float, float, float, float, int]] | None:
        """The best-ranked entry for `text` and its confidence features (for fitting `Confidence`)."""
        terms = self.query_terms(text)
        if not terms or not self.entries:
            return None
        rank, phrase_sim, offtopic_sim = self._rank(terms)
        top = self._top(rank, 1)
        if not top:
            return None
        return self.entries[top[0]], self.features(top[0], terms, float(phrase_sim[top[0]]),
                                                   offtopic_sim)

    def _top(self, rank: np.ndarray, k: int) -> list[int]:
        k = min(k, len(rank))
        if k <= 0:
            return []
        part = np.argpartition(-rank, k - 1)[:k]
        return [int(i) for i in part[np.argsort(-rank[part], kind="stable")] if rank[i] > 0]

    def _diverse(self, ranked: list[int], rank: np.ndarray, k: int) -> list[int]:
        """The best entry, then alternatives that read the question another way: where another
        topic's entry ranks nearly as high as a second take on a topic already shown, it goes
        first, so a wrong best guess is not followed by more of the same wrong idea."""
        picked: list[int] = []
        shown: set[str] = set()
        rest = list(ranked)
        while rest and len(picked) < k:
            pick = rest[0]
            if self.entries[pick].topic in shown:
                pick = next((i for i in rest[1:] if self.entries[i].topic not in shown
                             and rank[i] >= DIVERSE_RATIO * rank[rest[0]]), rest[0])
            picked.append(pick)
            shown.add(self.entries[pick].topic)
            rest.remove(pick)
        return picked

    def match(self, text: str) -> MatchResult:
        """Wellbeing first: a crisis gets only the safety reply; distress gets the support reply,
        with the FAQ answer kept only when matching is confident, and the support entries."""
        if self.dense is not None and self.entries:
            # Matching's reading of the question is encoded while the wellbeing check reads
            # its sentences (a long post's two encodes side by side, on two cores).
            self.dense.prefetch(model_text(text))
        tier = self.wellbeing.check(text) if self.wellbeing is not None else None
        helper = tier is not None and self.wellbeing is not None and \
            self.wellbeing.about_someone(text)
        if tier == "crisis":
            return MatchResult("safety", 1.0, None, (), about_someone=helper)
        if tier is None:
            small_talk = chitchat_reply(text)
            if small_talk is not None:
                return MatchResult("chitchat", 1.0, None, (), reply=small_talk)
        result = self._match_faq(text)
        if tier == "distress":
            return replace(self._support(result), about_someone=helper)
        return result

    def _support(self, result: MatchResult) -> MatchResult:
        # Beside the support reply an FAQ answer must be surer than an ordinary answer: a member
        # who is not okay is not handed an entry the model only leans towards.
        entry = (result.entry if result.status == "answered"
                 and result.score >= self.thresholds.support_answer else None)
        offer = self.wellbeing.config.support.offer if self.wellbeing and \
            self.wellbeing.config.support else ()
        by_id = {e.id: e for e in self.entries}
        picks = [_suggest(by_id[i]) for i in offer if i in by_id and (entry is None or i != entry.id)]
        # What matching found comes after the entries chosen for hard times, without repeats.
        picks += [s for s in result.suggestions if s.id not in {p.id for p in picks}
                  and (entry is None or s.id != entry.id)]
        return MatchResult("support", result.score, entry, tuple(picks[:4]), result.query_terms)

    def _match_faq(self, text: str) -> MatchResult:
        if self.dense is not None and self.entries:
            return self._match_dense(text)
        terms = self.query_terms(text)
        if not terms or not self.entries:
            return MatchResult("unknown", 0.0, None, (), tuple(terms))
        rank, phrase_sim, offtopic_sim = self._rank(terms)
        top = self._diverse(self._top(rank, 8), rank, 4)
        if not top:
            return MatchResult("unknown", 0.0, None, (), tuple(terms))
        th = self.thresholds
        conf = [self._confidence(i, terms, float(phrase_sim[i]), offtopic_sim) for i in top]
        best = top[0]
        score = round(conf[0], 4)
        if conf[0] < th.answer:
            near = tuple(_suggest(self.entries[i]) for i, c in zip(top[:3], conf, strict=False)
                         if c >= th.suggest)
            return MatchResult("unknown", score, None, near, tuple(terms))
        tied = [
            i for i, c in zip(top[1:3], conf[1:3], strict=False)
            if rank[i] >= rank[best] - th.ambiguous_rank_margin
            and c >= th.answer
            and self.entries[i].topic != self.entries[best].topic
        ]
        return self._answer(top, conf, tied, score, terms)

    def _answer(self, top: list[int], conf: list[float], tied: list[int], score: float,
                terms: list[str]) -> MatchResult:
        """A confident best entry: a choice when another topic is all but tied with it, else the
        answer with the other confident candidates as suggestions."""
        best = top[0]
        if tied:
            picks = tuple(_suggest(self.entries[i]) for i in (best, *tied))
            return MatchResult("ambiguous", score, None, picks, tuple(terms))
        others = tuple(_suggest(self.entries[i]) for i, c in zip(top[1:], conf[1:], strict=False)
                       if c >= self.thresholds.suggest)
        return MatchResult("answered", score, self.entries[best], others[:3], tuple(terms))

    def _match_dense(self, text: str) -> MatchResult:
        """Lexical rank and the nearest phrasings' vote, mixed, plus `dense_topic_boost` times
        the vote of each entry's topic; confidence mixes the lexical
        confidence with the best entry's share of the vote. The off-topic examples vote as a
        class of their own: when they outvote the best entry the question is off-topic
        (`unknown`); an on-topic question the entries do not answer well is `uncovered`."""
        assert self.dense is not None
        th = self.thresholds
        n = len(self.entries)
        terms = self.query_terms(text)
        vote = self.dense.vote(model_text(text), n,
                               th.dense_neighbours, th.dense_power, th.dense_offtopic_slots)
        if terms:
            rank, phrase_sim, offtopic_sim = self._rank(terms)
            top_rank = float(rank.max())
            lexical = rank / top_rank if top_rank > 0 else rank
        else:
            lexical, phrase_sim, offtopic_sim = np.zeros(n), np.zeros(n), 0.0
        mixed = th.dense_lexical_share * lexical + (1 - th.dense_lexical_share) * vote[:n]
        # The vote a topic gets: several entries of one topic splitting the neighbours ("do I
        # need a PhD?") is agreement on the topic, not doubt.
        by_topic = np.bincount(self._topic_of, weights=vote[:n], minlength=len(self._topics))
        topic_vote = {t: float(v) for t, v in zip(self._topics, by_topic, strict=True) if v}
        if th.dense_topic_boost:
            # Only entries with evidence of their own (words or a vote) are lifted: the rest of
            # a voted topic must not crowd the candidates (and the suggestions) in index order.
            mixed = mixed + th.dense_topic_boost * by_topic[self._topic_of] * (mixed > 0)
        top = self._diverse(self._top(mixed, 8), mixed, 4)
        if not top:
            return MatchResult("unknown", 0.0, None, (), tuple(terms))

        def confidence(i: int) -> float:
            lex = self._confidence(i, terms, float(phrase_sim[i]), offtopic_sim) if terms else 0.0
            return 0.5 * lex + 0.5 * topic_vote.get(self.entries[i].topic, 0.0)

        conf = [confidence(i) for i in top]
        best = top[0]
        score = round(min(1.0, max(0.0, conf[0])), 4)
        offtopic_vote = float(vote[n])
        near = tuple(_suggest(self.entries[i]) for i, c in zip(top[:3], conf, strict=False)
                     if c >= th.suggest)
        if offtopic_vote >= topic_vote.get(self.entries[best].topic, 0.0):
            return MatchResult("unknown", score, None, near, tuple(terms))
        if conf[0] < th.dense_answer:
            return MatchResult("uncovered", score, None, near, tuple(terms))
        best_topic_vote = topic_vote.get(self.entries[best].topic, 0.0)
        tied = [
            i for i, c in zip(top[1:3], conf[1:3], strict=False)
            if mixed[i] >= mixed[best] - th.ambiguous_rank_margin
            and c >= th.dense_answer
            and self.entries[i].topic != self.entries[best].topic
            and topic_vote.get(self.entries[i].topic, 0.0) >= 0.8 * best_topic_vote
        ]
        return self._answer(top, conf, tied, score, terms)

    def search(self, text: str, limit: int = 25) -> list[tuple[Entry, float]]:
        """Ranked entries for autocomplete: forgiving, no abstention, prefix-aware on the last word."""
        terms = self.query_terms(text)
        typed = words(text)
        if typed and text[-1:].isalnum():
            prefix = stem(typed[-1])
            if len(prefix) >= 3:
                terms += [t for t in self._entry_idf if t.startswith(prefix) and t != prefix][:5]
        if not terms:
            return []
        rank, _, _ = self._rank(terms)
        return [(self.entries[i], float(rank[i])) for i in self._top(rank, limit)]


def model_text(text: str) -> str:
    """What the sentence model reads of a question for matching: without chat markup, and of a
    long post its opening and ending (`clip_for_model`)."""
    return clip_for_model(strip_markup(text).strip() or text)


def _label_text(entry: Entry) -> str:
    return " ".join(t.replace("-", " ") for t in (*entry.tags, *entry.aliases))


def _suggest(entry: Entry) -> Suggestion:
    return Suggestion(entry.id, entry.topic, entry.question)


def _build(docs: list[list[str]]) -> tuple[BM25, dict[str, float]]:
    index = BM25(docs or [["__empty__"]], K1, B)
    return index, index.idf
