"""The wellbeing check's semantic net: each sentence of a message embedded once with the sentence
model and compared with crisis prototypes and distress prototypes written in `safety.yaml` (and
crisis examples from the tuning sets), and with everything the bot treats as ordinary (every
phrasing of every entry, every off-topic example, figures of speech and everyday stress). A
sentence much closer to a crisis prototype than to anything ordinary is a crisis; one much closer
to a distress prototype is distress. `bot.wellbeing` combines this with its patterns.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from bot.kb.models import SafetyConfig
from bot.text import SENTENCE_BREAK, scan_clip, scan_text, without_surrogates

log = logging.getLogger(__name__)

Tier = Literal["crisis", "distress"]


class Encode(Protocol):
    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


# A message is read sentence by sentence so one line in a long story still stands out.
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
    # The same head and tail of a long paste as the patterns read (its end is where a crisis line
    # tends to be). Lone surrogates (a broken paste) cannot reach the tokenizer; they become "?".
    text = without_surrogates(scan_clip(text))
    parts = [p.strip() for p in SENTENCE_BREAK.split(text)]
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


@dataclass(frozen=True)
class Probe:
    """A linear probe on sentence vectors (knowledge/safety-probe.yaml): a sentence whose score
    passes the threshold is a crisis. Where the bars above ask whether a sentence is near some
    crisis phrasing, the probe weighs the model's dimensions against each other, learnt from the
    tuning sets' crisis messages against their ordinary ones; it catches crisis lines said in
    words near no phrasing ("I took everything in the medicine cabinet").

    It reads English sentences of seven words or more only (`probe_reads`): the model's
    vocabulary is English, and a sentence in another language, mostly unknown word pieces, lands
    where the probe learnt nothing (ordinary career questions in Urdu, Farsi and Arabic all
    scored as crisis). Other languages are left to the patterns and the bars."""

    weights: np.ndarray
    bias: float
    threshold: float
    vocabulary: frozenset[str] = frozenset()

    def says(self, parts: Sequence[str], vectors: np.ndarray) -> bool:
        english = [i for i, part in enumerate(parts) if self.reads(part)]
        return bool(english) and bool(
            np.any(vectors[english] @ self.weights + self.bias > self.threshold))

    def reads(self, sentence: str) -> bool:
        return probe_reads(sentence, self.vocabulary)


# The share of a sentence's words that must be whole words of the model's vocabulary for the
# probe to read it: English with slang and typos is 0.8-1.0; Polish, Hinglish or Turkish in
# Latin letters 0.1-0.5.
PROBE_MIN_ENGLISH = 0.6
# A fragment of a few words is mostly one loaded word. Chosen on the tuning sets' alarms the
# probe added: from 7 words, 4 of 11 figure-of-speech alarms went and 1 of 11 crisis lines; from
# 8, also dev5's "So my plan, which I'm now doubting." (2.40), but 3 crisis lines. (That post
# names an internship, an ordinary reason to leave, which now explains the probe's reading: see
# `Wellbeing.check`.)
PROBE_MIN_WORDS = 7


def probe_reads(sentence: str, vocabulary: frozenset[str]) -> bool:
    """Whether the probe reads this sentence: English enough, and long enough."""
    return (len(sentence.split()) >= PROBE_MIN_WORDS
            and english_share(sentence, vocabulary) >= PROBE_MIN_ENGLISH)


_WORD = re.compile(r"[^\W\d_]+")


def english_share(sentence: str, vocabulary: frozenset[str]) -> float:
    """The share of the sentence's words (letters only) that are in `vocabulary`."""
    words = _WORD.findall(sentence.lower())
    return sum(w in vocabulary for w in words) / len(words) if words else 0.0


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
                 examples_ordinary: np.ndarray | None = None,
                 probe: Probe | None = None):
        self.encode = encode
        self.probe = probe
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

    def read(self, text: str, mask: Callable[[list[str], Tier], list[str]] | None = None
             ) -> Reading:
        """Every bar the message's sentences clear, from one encode: the combination rules in
        `Wellbeing.check` need to know a near-crisis even when distress was also seen.

        `mask(sentences, tier)` rewrites the sentences without the figures of speech the patterns
        know for that tier (see `Wellbeing.mask_sentences`). A bar counts only if the message clears
        it both as written and masked: masking can take an alarm away ("overdosed on standups")
        but never raise one (the model's ordinary examples include such figures as written, so a
        masked sentence is sometimes read as more worrying than the figure was)."""
        parts = sentences(text, self.cues)
        reading = self._read(parts)
        if mask is None:
            return reading
        crisis, near_crisis, distress = reading.crisis, reading.near_crisis, reading.distress
        probe_only, learned_only = reading.probe_only, reading.learned_only
        if crisis or near_crisis:
            again = self._masked(parts, mask, "crisis")
            if again is not None:
                crisis, near_crisis = crisis and again.crisis, near_crisis and again.near_crisis
                probe_only = probe_only or again.probe_only
                learned_only = learned_only or again.learned_only
        if distress:
            again = self._masked(parts, mask, "distress")
            if again is not None:
                distress = again.distress
        return Reading(crisis=crisis, near_crisis=near_crisis, distress=distress,
                       probe_only=crisis and probe_only, learned_only=crisis and learned_only)

    def _masked(self, parts: list[str], mask: Callable[[list[str], Tier], list[str]],
                tier: Tier) -> Reading | None:
        """The reading of the masked sentences, or None when masking changed nothing."""
        masked = [m for m in mask(parts, tier) if len(m.split()) >= MIN_SEMANTIC_WORDS]
        return None if masked == parts else self._read(masked)

    def _read(self, parts: list[str]) -> Reading:
        if not parts:
            return Reading()
        vectors = self.encode(parts)
        probe = self.probe is not None and self.probe.says(parts, vectors)
        vectors = vectors[self._candidates(vectors)]
        if not len(vectors):
            return Reading(crisis=probe, probe_only=probe, learned_only=probe)
        read = vectors, self._ordinary(vectors)
        prototypes = self.crisis.matches(*read)
        bars = prototypes or self._example_matches(read[0], read[1])
        return Reading(
            crisis=probe or bars,
            probe_only=probe and not bars,
            learned_only=(probe or bars) and not prototypes,
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
    # The crisis was read by the probe alone (no bar): `Wellbeing.check` lets an ordinary reason
    # to leave explain it, as it does a near-crisis.
    probe_only: bool = False
    # The crisis was read only by what was learned from the tuning sets' messages (the probe, the
    # examples' bar), none of the hand-written prototypes: many of those messages are goodbyes,
    # so an ordinary goodbye reads like them. `Wellbeing.check` lets a reason to leave said near
    # the goodbye explain it.
    learned_only: bool = False


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
    from bot.recent import shared_recent
    from bot.vectors import CachedEncoder

    support = config.support
    distress_texts = support.prototypes if support is not None else ()
    encoder = shared_encoder(cache_dir)
    key = (encoder.fingerprint,
           hash((config.crisis_prototypes, config.ordinary_prototypes, distress_texts,
                 config.semantic_threshold, config.semantic_margin,
                 support.semantic_threshold if support else None,
                 support.semantic_margin if support else None, config.near_crisis_threshold,
                 config.near_crisis_margin, config.sentence_cues, tuple(ordinary),
                 config.crisis_examples, config.ordinary_examples, config.examples_threshold,
                 config.examples_margin, config.probe_model, config.probe_weights,
                 config.probe_bias, config.probe_threshold)))
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
        # Column-major: a question vector times ~24,000 phrasings at 2,000 entries takes 1.8 ms
        # instead of 4.0 with OpenBLAS reading row-major rows (3 sentences: 5.9 instead of 11.2).
        vectors = np.asfortranarray(vectors)
        near = (None if config.near_crisis_threshold is None
                else (config.near_crisis_threshold, config.near_crisis_margin))
        cues = (re.compile(r"\b(?:" + "|".join(config.sentence_cues) + r")\b")
                if config.sentence_cues else None)
        semantic = SemanticNet(shared_recent(), vectors, crisis, distress, near, cues, examples,
                               examples_ordinary, _probe(config, encoder.files.fingerprint,
                                                         encoder.dim, encoder.vocabulary))
        _SEMANTIC[key] = semantic
        while len(_SEMANTIC) > SEMANTIC_KEPT:
            del _SEMANTIC[next(iter(_SEMANTIC))]
    return semantic


def _probe(config: SafetyConfig, model: str, dim: int, vocabulary: frozenset[str]
           ) -> Probe | None:
    """The configured probe, if it was trained with this model (a deployer's own model gets
    none: its vectors mean something else)."""
    if not config.probe_weights:
        return None
    if config.probe_model != model or len(config.probe_weights) != dim:
        log.warning("wellbeing: the crisis probe in safety-probe.yaml was trained with another "
                    "sentence model; running without it (python -m bench.wellbeing_probe "
                    "trains one for this model)")
        return None
    return Probe(np.array(config.probe_weights, dtype=np.float32), config.probe_bias,
                 config.probe_threshold, vocabulary)
