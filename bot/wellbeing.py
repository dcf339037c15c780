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
(`bot.semantic.SemanticNet`): each sentence of the message is embedded once with the sentence model and
compared with crisis prototypes and distress prototypes written in `safety.yaml`, and with
everything the bot treats as ordinary (every phrasing of every entry, every off-topic example,
figures of speech and everyday stress). A sentence much closer to a crisis prototype than to
anything ordinary is a crisis; one much closer to a distress prototype is distress. Distress is
said in too many ways for patterns alone ("the job search is crushing my soul", "I sit in the car
park for an hour before I can walk into the lab"), and in a long post it is often one sentence
among career details, which is why sentences are judged one by one. A linear probe on the same
sentence vectors (`bot.semantic.Probe`, trained on the tuning sets) adds crisis lines that are
near no prototype or example ("i've worked out which day the house will be empty").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from bot.compiled import compile_all, compile_one
from bot.kb.models import SafetyConfig, alternation_source, non_capturing
from bot.scanning import Scanner, concurrent
from bot.semantic import Reading, SemanticNet, Tier
from bot.text import native_text, own_words, scan_sentences, scan_text
from bot.text import words as word_list


@dataclass(frozen=True)
class Words:
    """What the patterns saw. `finality` counts distinct finality cues (a goodbye, a last time,
    everything ready, things not needed any more); `benign` is an ordinary reason for leaving
    (a new job, a move, a conference) that explains them; `serious` is a "not joking" marker;
    `leaving` is a goodbye of any kind (a finality cue, "goodbye", "last day") with such a
    reason beside it."""

    tier: Tier | None
    finality: int = 0
    benign: bool = False
    serious: bool = False
    leaving: bool = False
    reason: bool = False  # an ordinary reason to leave anywhere in the message

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
        self._native = _plain(config.native_patterns)
        self._native_distress = _plain(support.native_patterns) if support else None
        self._distress: Scanner | None = (
            _alternation(config.expanded(support.patterns)) if support else None
        )
        self._not_distress = (
            _alternation(config.expanded(support.not_distress)) if support else None
        )
        self._phrases = [tuple(word_list(p)) for p in config.phrases]
        self._phrases = [p for p in self._phrases if p]
        self._phrase_words = frozenset(w for phrase in self._phrases for w in phrase)
        # Phrases by their first word: a phrase can only start where that word (or a misspelling
        # of it) is, so a message is checked against a handful of phrases rather than all.
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self._phrases:
            self._by_first.setdefault(phrase[0], []).append(phrase)
        self._close = lru_cache(maxsize=65536)(self._close_uncached)
        # Finality cues are counted one by one (two distinct cues are a crisis), so each is its
        # own expression.
        self._finality = compile_all(["(?:(?<= )|^)(?:" + p + ")"
                                      for p in config.expanded(config.finality)])
        # Most messages have no finality cue: one pass of them all says so, where a pass per cue
        # took ~4 ms of a long post.
        self._any_finality = _alternation(config.expanded(config.finality))
        self._arrangements = compile_all(["(?:(?<= )|^)(?:" + p + ")"
                                          for p in config.expanded(config.arrangements)])
        self._farewell = _alternation(config.expanded(config.farewell))
        self._benign = _alternation(config.expanded(config.benign_leaving))
        self._not_benign = _alternation(config.expanded(config.not_benign))
        self._serious = _alternation(config.expanded(config.serious))
        self._about_someone = _alternation(config.expanded(config.about_someone))
        self._about_self = _alternation(config.expanded(config.about_self))

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
        # The model reads what the member wrote, not the lines they quote from someone else
        # (`own_words`); the patterns above read the whole message.
        meaning = (self.semantic.read(own_words(text), self.mask_sentences)
                   if self.semantic is not None else Reading())
        # The probe alone reads "last post from me before parental leave" as crisis; an ordinary
        # reason to leave explains it, as it explains a near-crisis below. (`reason` holds
        # whenever `leaving` does: leaving is a reason said near a goodbye.)
        # Likewise a crisis read only by the examples and the probe, when the reason is said
        # near a goodbye ("last day at the company tomorrow ... thanks for all the advice over
        # the years"): a goodbye the patterns found explained.
        if meaning.crisis and not (meaning.probe_only and words.reason) \
                and not (meaning.learned_only and words.leaving):
            return "crisis"
        # Two mild signals that neither cross a bar alone: a goodbye or "not joking" beside a
        # sentence that leans towards crisis or reads as distress. The tune4 misses were of this
        # shape ("this weekend is the last one", "told my roommate i'm fine but ..."); on the
        # tuning sets no stress question or figure of speech has both.
        if (words.final or words.serious) and (meaning.near_crisis or meaning.distress):
            return "crisis"
        # A goodbye with an ordinary reason for leaving (a new job, a defence, a new baby) reads
        # as near-crisis to the model; the reason explains it, as it explains the goodbye to the
        # patterns. Distress, and a crisis the model reads outright, still count.
        near = meaning.near_crisis and not words.leaving
        if near and not meaning.distress and words.tier != "distress" and _ASKS.search(text):
            # A lean towards crisis, and nothing else (no distress in words or in meaning), in a
            # message that ends by asking something ("the startup is dead, we wind down end of
            # month. anyone have referrals?") is the practical question it asks. On the tuning
            # sets this took the support reply from 30 figures, stress and career questions, and
            # from no distress message; on the held-out sets from 5 ordinary messages and from
            # no crisis or distress message. Crisis said in passing before a question ("tried to
            # end it last sunday. did the deadline get pushed?") is for the patterns to catch.
            near = False
        leaning = meaning.distress or near
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
        cleaned = self._not_crisis.sub(" ", folded) if self._not_crisis else folded
        if tier == "crisis" and self._crisis is not None and self._crisis.search(cleaned):
            # Crisis words outside the figures: the model reads the sentence whole. (Until tune79
            # any crisis word kept it whole, even one inside a figure, so the model read "writing
            # my goodbye letter to this flat" as a goodbye letter; masking those too took 15
            # alarms from the tuning sets' figures and 2 from the held-out sets', and no crisis
            # or distress message of any set lost its reply.)
            return sentence
        if tier == "distress" and self._not_distress is not None:
            cleaned = self._not_distress.sub(" ", cleaned)
        return sentence if cleaned == folded else " ".join(cleaned.split())

    def mask_sentences(self, parts: list[str], tier: Tier = "crisis") -> list[str]:
        """`mask_figures` for each sentence of a message, and for a figure the patterns know that
        runs across sentences ("I'm gonna end it all... by which I mean close the 147 tabs").
        Alone, the first sentence has crisis words and no figure, so the model would read it
        whole; when every crisis word in it lies inside a figure that runs on into the next
        sentence, it is masked like a figure within one sentence."""
        masked = [self.mask_figures(p, tier) for p in parts]
        if tier != "crisis" or len(parts) < 2 or self._not_crisis is None or self._crisis is None:
            return masked
        folded = [scan_text(p) for p in parts]
        starts: list[int] = []
        at = 0
        for f in folded:
            starts.append(at)
            at += len(f) + 1
        joined = " ".join(folded)
        crossing = [m.span() for m in self._not_crisis.finditer(joined)
                    if _crosses(m, starts) and _explained(m, starts)]
        for i, f in enumerate(folded):
            if not crossing or not self._crisis.search(f):
                continue
            lo = starts[i]
            kept = "".join(ch for j, ch in enumerate(f, lo)
                           if not any(a <= j < b for a, b in crossing))
            if not self._crisis.search(" ".join(kept.split())):
                masked[i] = " ".join(self._not_crisis.sub(" ", kept).split())
        return masked

    def about_someone(self, text: str) -> bool:
        """Whether a member who wrote of a crisis or distress is worried about another person:
        the message puts it on someone else ("my roommate said she wants to die, what do I do?")
        and says nothing of the kind about the member. Their reply speaks to a helper."""
        if self._about_someone is None or not self._about_someone.search(scan_text(text)):
            return False
        # What the member quotes is the other person's words ("she texted 'I can't go on'"),
        # not the member's own.
        own = scan_text(_QUOTED.sub(" ", text))
        return not (self._about_self is not None and self._about_self.search(own))

    def check_words(self, text: str) -> Tier | None:
        """The patterns alone (well under a millisecond, no model): what the service reads before
        its rate limit, so a member who is not okay is never told to slow down."""
        return self.words(text).tier

    def words(self, text: str) -> Words:
        """`check_words` with what the combination rules need: finality and "not joking" cues."""
        return self._words(text)

    def _words_uncached(self, text: str) -> Words:
        native = "" if text.isascii() else native_text(text)
        if native and self._native is not None and self._native.search(native):
            # Words in a script the folded form drops: "не хочу жить", "死にたい".
            return Words("crisis")
        native_distress = bool(native and self._native_distress is not None
                               and self._native_distress.search(native))
        folded = scan_text(text)
        if not folded:
            return Words("distress" if native_distress else None)
        if self._is_crisis(text, folded):
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
        distress = distress or native_distress
        farewells = [m.span() for m in self._farewell.finditer(folded)] if self._farewell else []
        farewell = bool(farewells)
        cues = (self._finality_spans(folded)
                if self._any_finality is not None and self._any_finality.search(folded) else [])
        finality = len(cues) + farewell
        if cues:
            # Things given away or cancelled are ordinary alone; beside a finality cue each
            # distinct one counts as another ("anyone want my 3090? free" and "won't be needing
            # it after this month").
            finality += len(self._finality_spans(folded, self._arrangements, cues)) - len(cues)
        # A reason to leave explains a goodbye said near it, not one a long career post happens
        # to mention ("internship" three sentences before "I've written the notes for my family").
        reasons = [m.span() for m in self._benign.finditer(folded)] if self._benign else []
        if reasons and self._not_benign is not None and self._not_benign.search(folded):
            # "starting at a new lab next month but I won't be there": the reason is not one.
            reasons = []
        benign = _near_any(reasons, [*cues, *farewells])
        goodbyes = [m.span() for m in _GOODBYE.finditer(folded)]
        leaving = _near_any(reasons, [*cues, *farewells, *goodbyes])
        words = Words("distress" if distress else None, finality, benign, serious, leaving,
                      bool(reasons))
        if words.final and (farewell or distress or serious
                            or finality >= config.finality_alone):
            # A farewell to everyone, a goodbye with distress or a "not joking" beside it, or
            # several goodbyes at once, with no new job or move to explain them.
            return replace(words, tier="crisis")
        if words.final:
            # One goodbye alone is not a crisis, but it is never answered with a career entry
            # alone: the support reply names the helplines.
            return replace(words, tier="distress")
        return words

    def without_figures(self, text: str) -> str:
        """The message folded sentence by sentence, without the figures of speech `not_crisis`
        knows. A figure that runs on across a sentence break is taken out only when the part
        after the break explains it ("end it all... by which I mean close the tabs", "end it.
        the experiment, I mean"): otherwise words that merely line up across a break ("one more
        coffee. Overdose is my plan", "thinking about suicide. Doors locked") would hide a
        crisis."""
        joined, starts = scan_sentences(text)
        if self._not_crisis is None:
            return joined

        def cut(m: re.Match[str]) -> str:
            return " " if not _crosses(m, starts) or _explained(m, starts) else m.group(0)

        return self._not_crisis.sub(cut, joined)

    def _finality_spans(self, folded: str, cues: Sequence[re.Pattern[str]] | None = None,
                        spans: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
        """Where the distinct finality cues are (`cues`, by default the finality ones, added to
        `spans` already found): two cues that read the same words ("gave my logins to my sister"
        is a handover and a gift to family) count once, so one phrase is never taken for the two
        signals that make a crisis."""
        spans = list(spans)
        for cue in self._finality if cues is None else cues:
            for m in cue.finditer(folded):
                if all(m.end() <= start or m.start() >= end for start, end in spans):
                    spans.append(m.span())
                    break
        return spans

    def _is_crisis(self, text: str, folded: str) -> bool:
        if self._crisis is not None and self._crisis.search(folded):
            # Crisis words are there: read past the figures sentence by sentence.
            cleaned = self.without_figures(text)
            if self._crisis.search(cleaned):
                return True
        else:
            # None at all (most messages): only the misspelt phrases below can still match, and
            # one pass of the figures over the whole message is enough for them.
            cleaned = self._not_crisis.sub(" ", folded) if self._not_crisis else folded
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


# What the part of a figure after a sentence break must start with for the figure to count: a
# clarification ("the postdoc search, I mean"), or on a new line of a phone message the reason the
# figure names ("gave away all my old textbooks" / "moving to a tiny apartment for the new job").
_CLARIFIER = re.compile(r"(?:(?:\w+ ){0,3}i mean|by which i mean|as in|meaning|that is|not with"
                        r"|(?:(?:i m|im|i am|we re|were|we are) )?(?:moving|relocating) "
                        r"(?:to|into|out|abroad|overseas|across|in with)"
                        r"|(?:(?:i ve|ive|i have|we ve|we|just) )?(?:moved|switched|transitioned"
                        r"|pivoted|changed) (?:to|into) (?:a |an |the )?(?:\w+ ){0,2}"
                        r"(?:role|job|team|position|field|career|company|track|lab)"
                        r"|(?:got|starting|start) (?:a|the|my) new (?:job|role|position)"
                        # the sport the jump was ("about to jump. first solo skydive tomorrow")
                        # (not when it is denied: "about to jump. no parachute")
                        r"|(?:(?!no |not |without |never |nothing )\w+ ){0,3}"
                        r"(?:skydiv\w*|bungee|bungy|parachut\w*|base jump\w*"
                        r"|paraglid\w*|wingsuit|rappel\w*|abseil\w*|cliff jumping))\b")


def _crosses(m: re.Match[str], starts: Sequence[int]) -> bool:
    return any(m.start() < start < m.end() for start in starts)


def _explained(m: re.Match[str], starts: Sequence[int]) -> bool:
    """Whether a figure that crosses a break is explained right after it (see `_CLARIFIER`)."""
    first = min(start for start in starts if m.start() < start < m.end())
    return _CLARIFIER.match(m.string, first) is not None


def _plain(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation matched anywhere: scripts without spaces between words (CJK) have no word
    starts to anchor on."""
    if not patterns:
        return None
    return compile_one("|".join(f"(?:{non_capturing(p)})" for p in patterns))


# Words in quotation marks: straight or curly double quotes, or single quotes that open after a
# space and close before one (not the apostrophes of "don't" or "James'").
_QUOTED = re.compile(r'"[^"]{1,400}"|\u201c[^\u201d]{1,400}\u201d|\u2018[^\u2019]{1,400}\u2019'
                     r"|(?<!\w)'[^']{1,400}'(?!\w)")


# A message that ends by asking a question (see `Wellbeing.check`).
_ASKS = re.compile(r"\?\s*$")


# A goodbye in so many words, for `Words.leaving`: weaker than a finality cue, which needs the
# goodbye said to everyone ("goodbye and thank you all, starting at a startup next month"). Not
# being around and not needing things are goodbyes here too, so a reason beside them explains
# them ("not going to be around for reading group next week, conference travel"; "won't need my
# old books, moving to Lisbon"), and so is giving one's things away ("gave away my furniture,
# moving abroad for the new job").
_GOODBYE = re.compile(r"\b(goodbye|farewell|bye|last day|signing off|saying goodbye"
                      r"|leaving (the|this) (server|channel|group|chat|community)"
                      r"|(not going to|not gonna|wont|won t|will not) be (around|here|online)"
                      r"|(wont|won t|will not) (be )?need(ing)? (it|them|these|those|any of (it|them)|my)"
                      r"|(gave|given|giving) away (\w+ )?(all |most of )?(my|our) (stuff|things|furniture))\b")


# How far (in folded characters, about two sentences) a reason to leave may stand from the
# goodbye it explains.
REASON_REACH = 160


def _near_any(reasons: list[tuple[int, int]], cues: list[tuple[int, int]]) -> bool:
    return any(r_start - REASON_REACH <= c_end and c_start <= r_end + REASON_REACH
               for r_start, r_end in reasons for c_start, c_end in cues)


def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return compile_one(alternation_source(patterns))


def _near(word: str, token: str) -> bool:
    """One typo allowed in words of five to seven letters, two in longer ones ("suicde")."""
    allowed = 0 if len(word) < 5 else 1 if len(word) < 8 else 2
    return bool(allowed) and Levenshtein.distance(word, token, score_cutoff=allowed) <= allowed


def _phrase_at(phrase: tuple[str, ...], close: list[frozenset[str]], start: int) -> bool:
    """Whether the message's words from `start` on may stand for the phrase, word by word."""
    if start + len(phrase) > len(close):
        return False
    return all(word in close[start + j] for j, word in enumerate(phrase))
