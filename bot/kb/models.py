"""The knowledge base's data: FAQ entries, the documents they cite, the safety configuration.

Pure models (pydantic, frozen); reading files lives in `bot.kb.loader`, problem reporting in
`bot.kb.problems`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.compiled import compile_one

TOPICS: dict[str, str] = {
    "phd": "Is a PhD needed or worth it, and for which roles",
    "phd-choice": "Choosing an advisor, a lab and a university",
    "roles": "Research scientist, research engineer, software engineer and ML engineer in AI labs",
    "masters": "Master's degrees as a way in",
    "programs": "Bootcamps, fellowships and grants",
    "residencies": "AI residency programs",
    "standing-out": "Portfolio, GitHub, blog, reproducing papers, Kaggle, open source",
    "publishing": "Top venues, peer review and rejection",
    "skills": "Coding, distributed systems, math, courses and jargon",
    "research-life": "What research feels like: uncertainty, frustration, motivation, luck",
    "career-moves": "Lateral moves, switching careers, applying beyond famous labs, interviews",
    "research-types": "Fundamental vs applied research vs product work",
    "industry-phd": "Industrial PhDs (CIFRE) and internships during a PhD",
    "adjacent-roles": "Data engineering, analytics, and demand for engineers vs data scientists",
}

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ANSWER = 1200
MAX_QUESTION = 200
MAX_VARIANT = 600
MAX_ID = 64

_ID_RE = re.compile(ID_PATTERN)

class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)
    where: str = Field(min_length=1, max_length=200)


class Entry(BaseModel):
    """One FAQ entry. The same model validates YAML files and moderators' input."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=MAX_ID)
    topic: str
    # A second topic the entry's question is just as squarely about ("a research scientist
    # without a PhD" is both `phd` and `roles`): the entry is listed under both.
    also_topics: tuple[str, ...] = Field(default=(), max_length=2)
    question: str = Field(min_length=5, max_length=MAX_QUESTION)
    aliases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    answer: str = Field(min_length=20, max_length=MAX_ANSWER)
    sources: tuple[SourceRef, ...] = Field(min_length=1)
    related: tuple[str, ...] = ()

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic {value!r}; use one of: {', '.join(TOPICS)}")
        return value

    @field_validator("also_topics")
    @classmethod
    def _known_also_topics(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        for topic in value:
            if topic not in TOPICS:
                raise ValueError(f"unknown topic {topic!r}; use one of: {', '.join(TOPICS)}")
            if topic == info.data.get("topic"):
                raise ValueError(f"{topic!r} is already the entry's topic")
        if len(set(value)) != len(value):
            raise ValueError("lists a topic twice")
        return value

    @property
    def topics(self) -> tuple[str, ...]:
        """The entry's topic first, then any others it is listed under."""
        return (self.topic, *self.also_topics)

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, variant in enumerate(value):
            if not variant.strip():
                raise ValueError(f"variant {i + 1} is empty")
            if len(variant) > MAX_VARIANT:
                raise ValueError(f"variant {i + 1} is longer than {MAX_VARIANT} characters")
        return tuple(v.strip() for v in value)

    @field_validator("aliases", "tags", "related")
    @classmethod
    def _kebab_list(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if len(item) > MAX_ID:
                raise ValueError(f"{item[:40]!r}... is longer than {MAX_ID} characters")
            if not _ID_RE.match(item):
                raise ValueError(f"{item!r} is not lowercase kebab-case")
        return value

    @field_validator("question", "answer")
    @classmethod
    def _strip(cls, value: str) -> str:
        stripped = value.strip()
        if not stripped:
            raise ValueError("must not be blank")
        return stripped

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    file: str
    kind: str = "document"
    url: str | None = None


# `<name>` anywhere but in a named group's `(?P<name>`: after an optional group too (`)?<meds>`).
_PLACEHOLDER = re.compile(r"(?<!\(\?P)<([a-z_]+)>")


# One token of a pattern: an escape, a character class (a "]" first in it is literal), or an
# opening parenthesis that starts a capturing group.
_GROUP_TOKEN = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\((?!\?)", re.S)


def non_capturing(pattern: str) -> str:
    """`pattern` with every capturing group made non-capturing. The checks only ask whether a
    pattern matches, and `re` saves and restores the marks of every group on each branch it
    tries: with the crisis patterns' ~1,900 groups in one alternation, that bookkeeping was 13
    times the cost of the scan itself (6.0 s against 0.45 s over the dev5, dev6 and real posts).
    Escapes and character classes are left alone; back-references are refused by `kb check`."""
    return _GROUP_TOKEN.sub(_open_group, pattern)


def _open_group(match: re.Match[str]) -> str:
    return "(?:" if match.group() == "(" else match.group()


def alternation_source(patterns: tuple[str, ...]) -> str:
    """One regex for a group of safety patterns. Every pattern starts at a word, so the
    alternation is tried only where a word starts: half the work of trying every branch at every
    character."""
    return "(?:(?<= )|^)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


@lru_cache(maxsize=64)
def _expanded(patterns: tuple[str, ...], defines: tuple[tuple[str, str], ...]
              ) -> tuple[str, ...]:
    """`SafetyConfig.expanded`, remembered: validation and the wellbeing check both need each
    group expanded, and expanding the ~900 patterns costs ~0.1 s of every start."""
    table = dict(defines)
    return tuple(non_capturing(expand_placeholders(p, table)) for p in patterns)


def expand_placeholders(pattern: str, defines: dict[str, str]) -> str:
    """`<name>` in a safety pattern stands for `(?:defines[name])`, so the YAML stays readable."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in defines:
            raise ValueError(f"pattern {pattern!r} uses <{name}>, which `defines` does not define")
        return f"(?:{defines[name]})"

    return _PLACEHOLDER.sub(sub, pattern)


class SupportConfig(BaseModel):
    """The second tier: distress that is not a crisis gets a warm, private reply."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reply: str = Field(min_length=20, max_length=1500)
    # For a member worried about someone else in distress (see `SafetyConfig.helper_reply`).
    helper_reply: str = Field(default="", max_length=1500)
    patterns: tuple[str, ...] = Field(min_length=1)
    not_distress: tuple[str, ...] = ()
    # Distress in scripts the folded form drops, matched on the message as written.
    native_patterns: tuple[str, ...] = ()
    # Entries offered as buttons under the support reply, in order; unknown ids are refused.
    offer: tuple[str, ...] = ()
    offer_intro: str = ""
    # The semantic net's distress side (bot/semantic.py): distress sentences written for the
    # project, and how close a message's sentence must come to one of them and how much closer
    # than to anything ordinary.
    prototypes: tuple[str, ...] = ()
    semantic_threshold: float = Field(default=0.50, ge=0.0, le=1.0)
    semantic_margin: float = Field(default=0.10, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _prototypes_are_sentences(self) -> SupportConfig:
        seen: set[str] = set()
        for text in self.prototypes:
            key = " ".join(text.lower().split())
            if not key:
                raise ValueError("support.prototypes: a prototype is blank")
            if key in seen:
                raise ValueError(f"support.prototypes: {text!r} is listed twice")
            seen.add(key)
        return self


class SafetyConfig(BaseModel):
    """Crisis language, distress, and the fixed replies (see knowledge/safety.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reply: str = Field(min_length=20, max_length=1500)
    defines: dict[str, str] = Field(default_factory=dict)
    patterns: tuple[str, ...] = Field(min_length=1)
    phrases: tuple[str, ...] = ()
    not_crisis: tuple[str, ...] = ()
    support: SupportConfig | None = None
    # Shown above either reply when a member asked the bot about someone else's message.
    someone_else: str = ""
    # A member worried about another person (`Wellbeing.about_someone`): `about_someone` puts the
    # crisis or distress on someone else, `about_self` on the member, which keeps the usual
    # reply. `helper_reply` replaces the safety reply for them (`support.helper_reply` the
    # support reply): how to help, with the same crisis lines.
    about_someone: tuple[str, ...] = ()
    about_self: tuple[str, ...] = ()
    helper_reply: str = Field(default="", max_length=1500)
    # The semantic net behind the patterns (bot/semantic.py): crisis sentences written for the
    # project, and how close a message's sentence must come to one of them.
    crisis_prototypes: tuple[str, ...] = ()
    # Figures of speech and dev talk that borrow crisis words, as the ordinary side's contrast.
    ordinary_prototypes: tuple[str, ...] = ()
    semantic_threshold: float = Field(default=0.45, ge=0.0, le=1.0)
    semantic_margin: float = Field(default=0.10, ge=0.0, le=1.0)
    # Examples from the tuning sets (knowledge/safety-examples.yaml, made by
    # `python -m bench.wellbeing_examples`): crisis messages of one sentence, with a bar of their
    # own, and the stress and figure sentences as more ordinary contrast.
    crisis_examples: tuple[str, ...] = ()
    ordinary_examples: tuple[str, ...] = ()
    examples_threshold: float = Field(default=0.50, ge=0.0, le=1.0)
    examples_margin: float = Field(default=0.15, ge=0.0, le=1.0)
    # A linear probe on sentence vectors (knowledge/safety-probe.yaml, made by
    # `python -m bench.wellbeing_probe`): a sentence scoring above the threshold is a crisis.
    # `probe_model` names the model and tokenizer it was trained with; with another it is unused.
    probe_model: str = ""
    probe_weights: tuple[float, ...] = ()
    probe_bias: float = 0.0
    probe_threshold: float = 0.0
    probe_cross_validation: dict[str, str] = Field(default_factory=dict)
    # A lower bar on the crisis side that earns the support reply (with its helplines) rather
    # than the safety reply; None leaves sentences below the crisis bar to the distress side.
    near_crisis_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    near_crisis_margin: float = Field(default=0.05, ge=0.0, le=1.0)
    # Combination rules (bot/wellbeing.py): cues that alone are not a crisis. `finality`: a
    # goodbye, a last time, everything ready; `finality_alone` distinct ones are a crisis, one
    # with distress or a `serious` marker ("not joking") is too, and one alone gets the support
    # reply. `benign_leaving`: an ordinary reason to leave (new job, move, conference) that
    # explains the goodbyes.
    finality: tuple[str, ...] = ()
    # Arrangements (things given away, subscriptions cancelled, a pet to rehome): ordinary alone,
    # so they never raise an alarm themselves, but beside a finality cue each counts as one more
    # cue towards `finality_alone`.
    arrangements: tuple[str, ...] = ()
    # Farewells to everyone: a crisis alone unless `benign_leaving` explains them.
    farewell: tuple[str, ...] = ()
    finality_alone: int = Field(default=2, ge=2, le=5)
    benign_leaving: tuple[str, ...] = ()
    # Words that say a goodbye is for good: beside them a reason to leave explains nothing.
    not_benign: tuple[str, ...] = ()
    serious: tuple[str, ...] = ()
    # Plain words that pick the sentences of a long post the sentence model reads.
    sentence_cues: tuple[str, ...] = ()
    # Crisis phrasings in scripts the folded form drops (Cyrillic, CJK, Arabic...), matched
    # against the message as written.
    native_patterns: tuple[str, ...] = ()

    def expanded(self, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return _expanded(patterns, tuple(self.defines.items()))

    @model_validator(mode="after")
    def _compiles(self) -> SafetyConfig:
        groups = [self.patterns, self.not_crisis, self.finality, self.arrangements, self.farewell,
                  self.benign_leaving, self.not_benign, self.serious, self.native_patterns,
                  self.about_someone, self.about_self]
        for cue in self.sentence_cues:
            if not re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*", cue):
                raise ValueError(f"sentence_cues: {cue!r} is not plain lowercase words")
        if self.support is not None:
            groups += [self.support.patterns, self.support.not_distress,
                       self.support.native_patterns]
        if self.support is not None and self.support.prototypes and not self.crisis_prototypes:
            # One semantic net reads both tiers, and it is built only around the crisis side.
            raise ValueError("support.prototypes needs crisis_prototypes as well")
        if self.near_crisis_threshold is not None and (
                self.near_crisis_threshold > self.semantic_threshold
                or self.near_crisis_margin > self.semantic_margin):
            raise ValueError("near_crisis_threshold and near_crisis_margin must lie below "
                             "semantic_threshold and semantic_margin (a lower bar, not a higher)")
        for group in groups:
            expanded = self.expanded(group)  # with `defines` filled in
            for pattern in expanded:
                if re.search(r"\\[1-9]|\(\?P=", pattern):
                    raise ValueError(f"pattern {pattern[:60]!r} refers back to a group: the "
                                     "checks match without groups, so write the words out")
                if "\\\\" in pattern:
                    # '\\w' in single-quoted YAML is a backslash and a "w": a folded message
                    # has no backslash, so that part of the pattern can never match.
                    raise ValueError(f"pattern {pattern[:60]!r} asks for a backslash, which a "
                                     "folded message never has (write \\w, not \\\\w)")
            try:
                # Compiled exactly as the wellbeing check will compile it, so `bot.compiled`
                # hands the check this very object: one compile per group at start-up, not two
                # (and none when an earlier start kept it).
                if expanded:
                    compile_one(alternation_source(expanded))
                continue
            except re.error:
                pass
            for pattern, one in zip(group, expanded, strict=True):
                try:
                    # Inside the alternation, as the check compiles it: "(?i)" compiles alone
                    # but not after other text, and then the whole group would fail at start-up.
                    re.compile(alternation_source((one,)))
                except re.error as exc:
                    raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
            raise ValueError(f"the patterns {group[0][:40]!r}... compile one by one but not "
                             "together: check for inline flags or unbalanced groups")
        return self


@dataclass
class KnowledgeBase:
    root: Path
    sources: dict[str, Source]
    entries: list[Entry]
    synonyms: dict[str, tuple[str, ...]]
    safety: SafetyConfig
    quizzes: dict[str, Any] = field(default_factory=dict)
    entry_files: dict[str, str] = field(default_factory=dict)
    offtopic: tuple[str, ...] = ()

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def topic_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(TOPICS, 0)
        for entry in self.entries:
            counts[entry.topic] += 1
        return counts
