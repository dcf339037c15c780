"""Text normalisation shared by matching, the unanswered log and moderation.

Members write in chat: mentions, custom emoji, links, code spans, typos and abbreviations. Before
anything is ranked, chat markup is stripped, text is folded to lowercase ASCII-ish words, the
synonym table rewrites abbreviations to canonical phrases, and words are stemmed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

import Stemmer

# Enough of a long pasted story to find its question: the opening sets the scene and the
# question is usually at the end.
MAX_HEAD = 2000
MAX_TAIL = 2000

_CODE_BLOCK = re.compile(r"```.*?```", re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
# A Slack link with a label, <https://...|label>; moderation reuses it when cleaning text.
SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]*)>")
_ANGLE_TOKEN = re.compile(r"<(?:[@#!&][^>]*|a?:[A-Za-z0-9_]+:\d+|https?://[^>]*)>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_URL = re.compile(r"https?://\S+|www\.\S+")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]+:")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE_S = re.compile(r"(\w)['\u2019]s\b")
_APOSTROPHE = re.compile(r"['\u2019]")
_DOTTED = re.compile(r"\b((?:[a-z]\.){1,3}[a-z])\.?(?=\s|$|[,;:!?)])")

STOPWORDS = frozenset(
    """a an the and or but if then so as at by for from in into of on onto to with about over
    under up down out off than too very am is are was were be been being do does did doing done
    have has had having can could would should will shall may might must i me my mine myself you
    your yours yourself we us our ours he him his she her hers it its they them their theirs this
    that these those there here what which who whom whose how why when where im ive id ill youre
    u ur pls plz please hi hey hello thanks thank thx also really actually anyone someone guys
    yeah ok okay lol btw tbh imo imho etc s t d ll m re ve y isn aren wasn weren don doesn didn
    haven hasn hadn won wouldn shouldn couldn cant cannot dont doesnt didnt isnt arent wont
    wouldnt shouldnt couldnt just some any all each even ever still quite kinda sorta sort
    basically honestly literally seriously maybe perhaps probably anyway anyways guys folks
    everyone anybody somebody something thing things stuff bit well now yet already currently
    gonna wanna gotta lemme idk ngl fr rn pretty cool nice great awesome wow yep yup nope sure
    cheers haha hahaha lmao omg help""".split()
)


def strip_markup(text: str) -> str:
    """Remove chat markup so that only what the member wrote in words remains."""
    text = _CONTROL.sub(" ", text)
    text = _CODE_BLOCK.sub(" ", text)
    text = _CODE_SPAN.sub(" ", text)
    text = SLACK_LINK.sub(r" \2 ", text)
    text = _ANGLE_TOKEN.sub(" ", text)
    text = _MD_LINK.sub(r" \1 ", text)
    text = _URL.sub(" ", text)
    return text


def clip(text: str) -> str:
    if len(text) <= MAX_HEAD + MAX_TAIL:
        return text
    return text[:MAX_HEAD] + " " + text[-MAX_TAIL:]


def fold(text: str, *, clipped: bool = True) -> str:
    """Lowercase, strip accents, drop chat markup; keep word characters and spaces. `clipped`
    keeps only the head and tail of a long text (enough to find a question in a story)."""
    if clipped:
        text = clip(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = strip_markup(text).lower()
    text = _EMOJI_CODE.sub(" ", text)
    text = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
    text = _APOSTROPHE_S.sub(r"\1s", text)
    text = _APOSTROPHE.sub("", text)
    return text


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def normalise_question(text: str) -> str:
    """The key under which unanswered questions are counted: folded words, single-spaced."""
    return " ".join(words(text))[:300]


class SynonymTable:
    """Rewrites member spellings (RS, NIPS, ph.d) to one canonical phrase, longest match first."""

    def __init__(self, table: Mapping[str, Sequence[str]]):
        self._map: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, forms in table.items():
            target = tuple(words(canonical))
            if not target:
                continue
            for form in (canonical, *forms):
                key = tuple(words(form))
                if key and key != target:
                    self._map.setdefault(key, target)
        self._longest = max((len(k) for k in self._map), default=1)

    def known_words(self) -> list[list[str]]:
        return [list(k) for k in self._map] + [list(v) for v in self._map.values()]

    def rewrite(self, tokens: Sequence[str]) -> list[str]:
        out: list[str] = []
        i = 0
        n = len(tokens)
        while i < n:
            for size in range(min(self._longest, n - i), 0, -1):
                replacement = self._map.get(tuple(tokens[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out


_STEMMER = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


class Analyzer:
    """Turns text into the stemmed content terms used for ranking."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]]):
        self.synonyms = SynonymTable(synonyms)

    def synonyms_forms(self) -> list[list[str]]:
        """Every word the synonym table knows, so typo correction can land on them."""
        return self.synonyms.known_words()

    def terms(self, text: str) -> list[str]:
        tokens = self.synonyms.rewrite(words(text))
        return [stem(t) for t in tokens if t not in STOPWORDS and len(t) < 40]
