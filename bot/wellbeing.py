"""Wellbeing checks that run before anything else: crisis language and distress.

A member who writes "I just want it all to stop" must never get a career answer, and one who
writes "I've been depressed for months because of my PhD" must not get "I don't know that one".
Two tiers, both from `knowledge/safety.yaml`:

- **crisis**: suicidal or self-harm language, direct or indirect, misspelt, in shorthand or in
  another language. It gets the fixed safety reply and nothing else.
- **distress**: emotional distress that is not a crisis (depressed, burnt out, can't cope,
  worthless, panic attacks). It gets the support reply, with the FAQ answer under it only when
  matching is confident, so a false alarm costs the member little.

Both are word-level regular expressions over the message folded to lowercase ASCII words, plus
typo-tolerant phrases for crisis words; they are cheap, so they run on every message before
matching or any limit. A missed crisis is far worse than a false alarm; figures of speech ("this
deadline is killing me") are removed first by `not_crisis`.

Patterns only catch the shapes someone thought of. Behind them sits a semantic net
(`SemanticNet`): each sentence of the message is embedded once with the sentence model and
compared with crisis prototypes and distress prototypes written in `safety.yaml`, and with
everything the bot treats as ordinary (every phrasing of every entry, every off-topic example,
figures of speech and everyday stress). A sentence much closer to a crisis prototype than to
anything ordinary is a crisis; one much closer to a distress prototype is distress. Distress is
said in too many ways for patterns alone ("the job search is crushing my soul", "I sit in the car
park for an hour before I can walk into the lab"), and in a long post it is often one sentence
among career details, which is why sentences are judged one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from rapidfuzz.distance import Levenshtein

from bot.kb.models import SafetyConfig, alternation_source
from bot.scanning import Scanner, concurrent
from bot.text import fold

Tier = Literal["crisis", "distress"]

# How much of a long message is read: a pasted story can hide its worst sentence in the middle,
# so more than matching reads (4,000 characters) and more than Discord lets a member send, but
# bounded so that a hostile 100 KB paste costs tens of milliseconds, not seconds.
SCAN_HEAD = 8_000
SCAN_TAIL = 2_000

_WORD = re.compile(r"[a-z0-9]+")


# Letters that Unicode does not decompose to a base letter, so folding would drop them and split
# the word: Turkish "dayanamıyorum" would read "dayanam yorum", Polish "chciałbym" "chcia bym".
_UNDECOMPOSED = str.maketrans({"ß": "ss", "ẞ": "ss", "ı": "i", "ł": "l", "Ł": "l", "ø": "o",
                               "Ø": "o", "æ": "ae", "Æ": "ae", "đ": "d", "Đ": "d"})


# Texting spellings, read as the words the patterns are written in: a dropped final g ("i dont
# plan on bein around"), "w" for "with" ("done w everything"), "thx" for "thanks". Letters
# stretched for emphasis ("sooo done", "pleeease") are cut back to one: no English word has
# the same letter three times in a row.
_SHORTHAND = {
    "bein": "being", "goin": "going", "livin": "living", "dyin": "dying", "tryin": "trying",
    "wakin": "waking", "feelin": "feeling", "thinkin": "thinking", "nothin": "nothing",
    "somethin": "something", "endin": "ending", "doin": "doing", "havin": "having",
    "stickin": "sticking", "hangin": "hanging", "fightin": "fighting", "killin": "killing",
    "hurtin": "hurting", "cryin": "crying", "leavin": "leaving", "givin": "giving",
    "takin": "taking", "makin": "making", "lookin": "looking", "talkin": "talking",
    "waitin": "waiting", "sleepin": "sleeping", "plannin": "planning", "jumpin": "jumping",
    "sittin": "sitting", "standin": "standing", "walkin": "walking", "cuttin": "cutting",
    "w": "with", "thx": "thanks", "thnx": "thanks", "tysm": "thank you so much",
}
_STRETCHED = re.compile(r"([a-z])\1{2,}")


def _unshorten(words: list[str]) -> str:
    return " ".join(_SHORTHAND.get(w, w) for w in words)


def scan_text(text: str) -> str:
    """The message as the checks read it: folded words, single-spaced, `ß` spelt `ss`, `ı` `i`,
    texting spellings written out."""
    if len(text) > SCAN_HEAD + SCAN_TAIL:
        text = text[:SCAN_HEAD] + " " + text[-SCAN_TAIL:]
    text = text.translate(_UNDECOMPOSED)
    folded = _STRETCHED.sub(r"\1", fold(text, clipped=False))
    return _unshorten(_WORD.findall(folded))


class Encode(Protocol):
    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


# A message is read sentence by sentence so one line in a long story still stands out.
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
# From this many sentences on, only those with a cue word are judged by meaning.
CUE_ONLY_FROM = 5
MAX_SENTENCES = 10
MIN_SEMANTIC_WORDS = 5


def sentences(text: str, cues: re.Pattern[str] | None = None) -> list[str]:
    """The sentences worth judging by meaning. A few words are mostly one loaded word ("I fail",
    "my loss is dead"): too little to judge, and short crisis lines are what the patterns catch.

    A long post keeps at most MAX_SENTENCES. Its crisis line is usually near the end, after the
    career story (the tune4 long posts put it at sentence 11 to 16), so reading the first ten
    missed it. With `cues`, the sentences with the most cue words are kept instead (ties go to
    the earlier sentence), in their original order: the encode cost stays at ten sentences."""
    # Lone surrogates (a broken paste) cannot reach the tokenizer; they become "?".
    text = text[: SCAN_HEAD + SCAN_TAIL].encode("utf-8", "replace").decode("utf-8")
    parts = [p.strip() for p in _SENTENCE.split(text)]
    parts = [p for p in parts if len(p.split()) >= MIN_SEMANTIC_WORDS]
    if cues is None:
        return parts[:MAX_SENTENCES]
    if len(parts) > MAX_SENTENCES:
        weight = [len(cues.findall(scan_text(p))) for p in parts]
        keep = sorted(sorted(range(len(parts)), key=lambda i: -weight[i])[:MAX_SENTENCES])
        parts = [parts[i] for i in keep]
    if len(parts) >= CUE_ONLY_FROM:
        # Each sentence of a long post is another chance for an ordinary line ("thank you for
        # your time", "mine have been slow and messy") to graze a bar: on the real-style career
        # posts of dev5 and dev6, 16 of 426 got a wellbeing reply. There, only sentences with a
        # cue word are judged (19 -> 14 of 1,254 dev questions, no crisis lost on the tuning sets;
        # from three sentences on, crisis lines without a cue word were lost).
        parts = [p for p in parts if cues.search(scan_text(p))]
    return parts


@dataclass(frozen=True)
class Prototypes:
    """One tier's prototype sentences (unit vectors) and how close a sentence must come to them:
    at least `threshold`, and `margin` closer than to anything ordinary (both in safety.yaml,
    chosen on the tuning sets only)."""

    vectors: np.ndarray
    threshold: float
    margin: float

    def best(self, sentences: np.ndarray, ordinary: np.ndarray) -> tuple[float, float]:
        """(prototype similarity, ordinary similarity) of the sentence that leans most this way."""
        near = (sentences @ self.vectors.T).max(axis=1)
        best = int(np.argmax(near - ordinary))
        return float(near[best]), float(ordinary[best])

    def matches(self, sentences: np.ndarray, ordinary: np.ndarray,
                threshold: float | None = None, margin: float | None = None) -> bool:
        """Whether a sentence clears the bar: this tier's own, or a lower one given."""
        threshold = self.threshold if threshold is None else threshold
        margin = self.margin if margin is None else margin
        near = self.near(sentences)
        return bool(np.any((near >= threshold) & (near - ordinary >= margin)))

    def near(self, sentences: np.ndarray) -> np.ndarray:
        """Each sentence's similarity to its closest prototype."""
        near: np.ndarray = (sentences @ self.vectors.T).max(axis=1)
        return near


class SemanticNet:
    """Crisis and distress by meaning: a sentence closer to a tier's prototypes than to anything
    ordinary. The message's sentences are encoded once (through the shared memory of recent
    vectors, so a one-sentence question is not encoded again by matching) and both tiers are read
    from the same vectors; each costs one small matrix product."""

    def __init__(self, encode: Encode, ordinary: np.ndarray, crisis: Prototypes,
                 distress: Prototypes | None = None,
                 near_crisis: tuple[float, float] | None = None,
                 cues: re.Pattern[str] | None = None,
                 examples: Prototypes | None = None,
                 examples_ordinary: np.ndarray | None = None):
        self.encode = encode
        # Crisis messages from the tuning sets, with a bar of their own (safety-examples.yaml):
        # many voices generalise to other writers better than a few hand-written prototypes.
        # Read across writers (each tuning set left out in turn, the others as examples), the
        # sentence model alone caught 280 of 462 crisis messages instead of 187, with no false
        # alarm among 521 stress and figure messages and none more among 1,054 career questions.
        self.examples = examples
        # The examples' own ordinary contrast (the tuning sets' stress and figure sentences on
        # top of `ordinary`); the hand-written prototypes keep theirs, so their bars keep meaning
        # what they were chosen to mean.
        self.examples_ordinary = examples_ordinary
        # Words that pick the sentences of a long post worth encoding (see `sentences`).
        self.cues = cues
        self.ordinary = ordinary
        self.crisis = crisis
        self.distress = distress
        # (threshold, margin) below the crisis bar: a sentence that leans towards crisis but not
        # far enough for the safety reply still gets the support reply, whose helplines are there
        # for exactly this, rather than a career answer alone.
        self.near_crisis = near_crisis

    def _vectors(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        parts = sentences(text, self.cues)
        if not parts:
            return None
        vectors = self.encode(parts)
        return vectors, self._ordinary(vectors)

    def _ordinary(self, vectors: np.ndarray) -> np.ndarray:
        return ((vectors @ self.ordinary.T).max(axis=1) if len(self.ordinary)
                else np.full(len(vectors), -1.0, np.float32))

    def _candidates(self, vectors: np.ndarray) -> np.ndarray:
        """The sentences close enough to some tier's prototypes to clear a bar, whatever their
        ordinary similarity. Only these are compared with the ordinary phrasings, which are
        every phrasing of the knowledge base (~60,000 rows at 2,000 entries): most messages
        have none, and skip that product."""
        lowest = self.crisis.threshold
        if self.near_crisis is not None:
            lowest = min(lowest, self.near_crisis[0])
        keep = self.crisis.near(vectors) >= lowest
        for protos in (self.distress, self.examples):
            if protos is not None:
                keep |= protos.near(vectors) >= protos.threshold
        return keep

    def scores(self, text: str, tier: Tier = "crisis") -> tuple[float, float]:
        """(prototype similarity, ordinary similarity) of the message's sentence that leans most
        towards `tier`; for tuning and for explaining a decision."""
        read = self._vectors(text)
        protos = self.crisis if tier == "crisis" else self.distress
        if read is None or protos is None:
            return 0.0, 0.0
        return protos.best(*read)

    def tier(self, text: str) -> Tier | None:
        reading = self.read(text)
        if reading.crisis:
            return "crisis"
        return "distress" if reading.distress or reading.near_crisis else None

    def _example_matches(self, vectors: np.ndarray, ordinary: np.ndarray) -> bool:
        if self.examples is None:
            return False
        if self.examples_ordinary is not None and len(self.examples_ordinary):
            ordinary = np.maximum(ordinary, (vectors @ self.examples_ordinary.T).max(axis=1))
        return self.examples.matches(vectors, ordinary)

    def read(self, text: str, mask: Callable[[str, Tier], str] | None = None) -> Reading:
        """Every bar the message's sentences clear, from one encode: the combination rules in
        `Wellbeing.check` need to know a near-crisis even when distress was also seen.

        `mask(sentence, tier)` rewrites a sentence without the figures of speech the patterns
        know for that tier (see `Wellbeing.mask_figures`). A bar counts only if the message clears
        it both as written and masked: masking can take an alarm away ("overdosed on standups")
        but never raise one (the model's ordinary examples include such figures as written, so a
        masked sentence is sometimes read as more worrying than the figure was)."""
        parts = sentences(text, self.cues)
        reading = self._read(parts)
        if mask is None:
            return reading
        crisis, near_crisis, distress = reading.crisis, reading.near_crisis, reading.distress
        if crisis or near_crisis:
            again = self._masked(parts, mask, "crisis")
            if again is not None:
                crisis, near_crisis = crisis and again.crisis, near_crisis and again.near_crisis
        if distress:
            again = self._masked(parts, mask, "distress")
            if again is not None:
                distress = again.distress
        return Reading(crisis=crisis, near_crisis=near_crisis, distress=distress)

    def _masked(self, parts: list[str], mask: Callable[[str, Tier], str],
                tier: Tier) -> Reading | None:
        """The reading of the masked sentences, or None when masking changed nothing."""
        masked = [m for m in (mask(p, tier) for p in parts) if len(m.split()) >= MIN_SEMANTIC_WORDS]
        return None if masked == parts else self._read(masked)

    def _read(self, parts: list[str]) -> Reading:
        if not parts:
            return Reading()
        vectors = self.encode(parts)
        vectors = vectors[self._candidates(vectors)]
        if not len(vectors):
            return Reading()
        read = vectors, self._ordinary(vectors)
        return Reading(
            crisis=self.crisis.matches(*read) or self._example_matches(read[0], read[1]),
            near_crisis=(self.near_crisis is not None
                         and self.crisis.matches(*read, *self.near_crisis)),
            distress=self.distress is not None and self.distress.matches(*read),
        )


@dataclass(frozen=True)
class Reading:
    """What the sentence model saw: which bars some sentence of the message cleared."""

    crisis: bool = False
    near_crisis: bool = False
    distress: bool = False


@dataclass(frozen=True)
class Words:
    """What the patterns saw. `finality` counts distinct finality cues (a goodbye, a last time,
    everything ready, things not needed any more); `benign` is an ordinary reason for leaving
    (a new job, a move, a conference) that explains them; `serious` is a "not joking" marker."""

    tier: Tier | None
    finality: int = 0
    benign: bool = False
    serious: bool = False

    @property
    def final(self) -> bool:
        return self.finality > 0 and not self.benign


class Wellbeing:
    """Decides whether a message is a crisis, distress, or neither."""

    def __init__(self, config: SafetyConfig, semantic: SemanticNet | None = None):
        self.config = config
        self.semantic = semantic
        # The service reads the words before its rate limit and matching reads them again for
        # the same message: the second reading (up to ~60 ms on a long paste) comes from here.
        self._words = lru_cache(maxsize=256)(self._words_uncached)
        # One alternation per tier instead of a loop over patterns: one scan answers "any match".
        self._crisis: Scanner | None = _alternation(config.expanded(config.patterns))
        self._not_crisis = _alternation(config.expanded(config.not_crisis))
        support = config.support
        self._distress: Scanner | None = (
            _alternation(config.expanded(support.patterns)) if support else None
        )
        self._not_distress = (
            _alternation(config.expanded(support.not_distress)) if support else None
        )
        self._phrases = [tuple(_WORD.findall(fold(p))) for p in config.phrases]
        self._phrases = [p for p in self._phrases if p]
        self._phrase_words = frozenset(w for phrase in self._phrases for w in phrase)
        # Phrases by their first word: a phrase can only start where that word (or a misspelling
        # of it) is, so a message is checked against a handful of phrases rather than all.
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self._phrases:
            self._by_first.setdefault(phrase[0], []).append(phrase)
        self._close = lru_cache(maxsize=65536)(self._close_uncached)
        # Finality cues are counted one by one (two distinct cues are a crisis), so each is its
        # own expression; there are a dozen, a few microseconds.
        self._finality = [re.compile("(?:(?<= )|^)(?:" + p + ")")
                          for p in config.expanded(config.finality)]
        self._farewell = _alternation(config.expanded(config.farewell))
        self._benign = _alternation(config.expanded(config.benign_leaving))
        self._serious = _alternation(config.expanded(config.serious))

    def scan_concurrently(self) -> None:
        """Scan with the GIL released from now on (see `bot.scanning`): for a serving bot."""
        self._crisis = concurrent(self._crisis)
        self._distress = concurrent(self._distress)

    def check(self, text: str) -> Tier | None:
        words = self.words(text)
        if words.tier == "crisis":
            return "crisis"
        # The sentence model runs even when a pattern already found distress: a crisis said in
        # words no pattern knows must still outrank the distress a pattern saw beside it.
        meaning = (self.semantic.read(text, self.mask_figures) if self.semantic is not None
                   else Reading())
        if meaning.crisis:
            return "crisis"
        # Two mild signals that neither cross a bar alone: a goodbye or "not joking" beside a
        # sentence that leans towards crisis or reads as distress. The tune4 misses were of this
        # shape ("this weekend is the last one", "told my roommate i'm fine but ..."); on the
        # tuning sets no stress question or figure of speech has both.
        if (words.final or words.serious) and (meaning.near_crisis or meaning.distress):
            return "crisis"
        leaning = meaning.distress or meaning.near_crisis
        return "distress" if words.tier == "distress" or leaning else None

    def mask_figures(self, sentence: str, tier: Tier = "crisis") -> str:
        """The sentence as the model should read it for `tier`: without the figures of speech
        the patterns know (`not_crisis`; for distress also `not_distress`: "overdosed on
        standups", "is killing me"). The words check already reads past them, but the model saw
        the whole sentence, and "overdosed" still leaned towards crisis. A sentence without them
        is read as written, and so is one in a script the folded form drops (Cyrillic, CJK...):
        masking it would hide its words from the model."""
        if any(ch.isalpha() and ord(ch) > 0x24F for ch in sentence):
            return sentence
        folded = scan_text(sentence)
        if tier == "crisis" and self._crisis is not None and self._crisis.search(folded):
            # The crisis words are there before the figures are taken out: the model, the
            # backstop for the figures' own blind spots ("my model is suicidal lol. so am i"),
            # reads the sentence whole.
            return sentence
        cleaned = self._not_crisis.sub(" ", folded) if self._not_crisis else folded
        if tier == "distress" and self._not_distress is not None:
            cleaned = self._not_distress.sub(" ", cleaned)
        return sentence if cleaned == folded else " ".join(cleaned.split())

    def check_words(self, text: str) -> Tier | None:
        """The patterns alone (well under a millisecond, no model): what the service reads before
        its rate limit, so a member who is not okay is never told to slow down."""
        return self.words(text).tier

    def words(self, text: str) -> Words:
        """`check_words` with what the combination rules need: finality and "not joking" cues."""
        return self._words(text)

    def _words_uncached(self, text: str) -> Words:
        folded = scan_text(text)
        if not folded:
            return Words(None)
        if self._is_crisis(folded):
            return Words("crisis")
        config = self.config
        serious = bool(self._serious and self._serious.search(folded))
        # "kms lol. not joking": the member says the figure of speech is not one, so the crisis
        # patterns read the words `not_crisis` would have removed.
        if serious and self._crisis is not None and self._crisis.search(folded):
            return Words("crisis", serious=True)
        distress = False
        if self._distress is not None:
            cleaned = self._not_distress.sub(" ", folded) if self._not_distress else folded
            distress = bool(self._distress.search(cleaned))
        farewell = bool(self._farewell and self._farewell.search(folded))
        finality = self._count_finality(folded) + farewell
        benign = bool(finality and self._benign and self._benign.search(folded))
        words = Words("distress" if distress else None, finality, benign, serious)
        if words.final and (farewell or distress or serious
                            or finality >= config.finality_alone):
            # A farewell to everyone, a goodbye with distress or a "not joking" beside it, or
            # several goodbyes at once, with no new job or move to explain them.
            return Words("crisis", finality, benign, serious)
        if words.final:
            # One goodbye alone is not a crisis, but it is never answered with a career entry
            # alone: the support reply names the helplines.
            return Words("distress", finality, benign, serious)
        return words

    def _count_finality(self, folded: str) -> int:
        """Distinct finality cues: two cues that read the same words ("gave my logins to my
        sister" is a handover and a gift to family) count once, so one phrase is never taken
        for the two signals that make a crisis."""
        spans: list[tuple[int, int]] = []
        for cue in self._finality:
            for m in cue.finditer(folded):
                if all(m.end() <= start or m.start() >= end for start, end in spans):
                    spans.append(m.span())
                    break
        return len(spans)

    def _is_crisis(self, folded: str) -> bool:
        cleaned = self._not_crisis.sub(" ", folded) if self._not_crisis else folded
        if self._crisis is not None and self._crisis.search(cleaned):
            return True
        close = [self._close(t) for t in cleaned.split()]
        for i, near in enumerate(close):
            for first in near:
                for phrase in self._by_first.get(first, ()):
                    if _phrase_at(phrase, close, i):
                        return True
        return False

    def _close_uncached(self, token: str) -> frozenset[str]:
        """The phrase words `token` may stand for: itself, or a misspelling of a long word."""
        return frozenset(w for w in self._phrase_words if w == token or _near(w, token))


def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(alternation_source(patterns))


def _near(word: str, token: str) -> bool:
    """One typo allowed in words of five to seven letters, two in longer ones ("suicde")."""
    allowed = 0 if len(word) < 5 else 1 if len(word) < 8 else 2
    return bool(allowed) and Levenshtein.distance(word, token, score_cutoff=allowed) <= allowed


def _phrase_at(phrase: tuple[str, ...], close: list[frozenset[str]], start: int) -> bool:
    """Whether the message's words from `start` on may stand for the phrase, word by word."""
    if start + len(phrase) > len(close):
        return False
    return all(word in close[start + j] for j, word in enumerate(phrase))


_SEMANTIC: dict[tuple[str, int], SemanticNet] = {}
# The nets of the last few safety configs: a reload builds a new one while the old one may still
# answer, but the process need not keep every config it ever loaded (each holds its vectors).
SEMANTIC_KEPT = 4


def build_semantic(config: SafetyConfig, ordinary: Sequence[str], cache_dir: Path
                   ) -> SemanticNet | None:
    """The semantic net for `config`, its prototype and ordinary vectors taken from the on-disk
    cache (built once per model and text), shared by every service in the process."""
    if not config.crisis_prototypes:
        return None
    from bot.embeddings import shared_encoder
    from bot.vectors import CachedEncoder, shared_recent

    support = config.support
    distress_texts = support.prototypes if support is not None else ()
    encoder = shared_encoder()
    key = (encoder.fingerprint,
           hash((config.crisis_prototypes, config.ordinary_prototypes, distress_texts,
                 config.semantic_threshold, config.semantic_margin,
                 support.semantic_threshold if support else None,
                 support.semantic_margin if support else None, config.near_crisis_threshold,
                 config.near_crisis_margin, config.sentence_cues, tuple(ordinary),
                 config.crisis_examples, config.ordinary_examples, config.examples_threshold,
                 config.examples_margin)))
    semantic = _SEMANTIC.pop(key, None)
    if semantic is not None:
        _SEMANTIC[key] = semantic  # most recently used last
    if semantic is None:
        cached = CachedEncoder(encoder, cache_dir)
        crisis = Prototypes(cached.encode(list(config.crisis_prototypes)),
                            config.semantic_threshold, config.semantic_margin)
        distress = None
        if support is not None and distress_texts:
            distress = Prototypes(cached.encode(list(distress_texts)),
                                  support.semantic_threshold, support.semantic_margin)
        examples = None
        if config.crisis_examples:
            examples = Prototypes(cached.encode(list(config.crisis_examples)),
                                  config.examples_threshold, config.examples_margin)
        texts = list(dict.fromkeys(t for t in (*ordinary, *config.ordinary_prototypes)
                                   if t.strip()))
        more = [t for t in dict.fromkeys(config.ordinary_examples) if t.strip()]
        examples_ordinary = cached.encode(more) if more and examples is not None else None
        vectors = cached.encode(texts) if texts else np.empty((0, encoder.dim), np.float32)
        near = (None if config.near_crisis_threshold is None
                else (config.near_crisis_threshold, config.near_crisis_margin))
        cues = (re.compile(r"\b(?:" + "|".join(config.sentence_cues) + r")\b")
                if config.sentence_cues else None)
        semantic = SemanticNet(shared_recent(), vectors, crisis, distress, near, cues, examples,
                               examples_ordinary)
        _SEMANTIC[key] = semantic
        while len(_SEMANTIC) > SEMANTIC_KEPT:
            del _SEMANTIC[next(iter(_SEMANTIC))]
    return semantic
