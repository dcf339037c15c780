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
# Discord/Slack tokens: mentions, channels, roles, custom emoji, timestamps (<t:1700000000:R>),
# slash-command mentions (</ask:123>) and bare links.
_ANGLE_TOKEN = re.compile(
    r"<(?:[@#!&][^>]*|a?:[A-Za-z0-9_]+:\d+|t:\d+(?::[A-Za-z])?|/[\w -]+:\d+|https?://[^>]*)>"
)
# A run of mentions, with the "cc" / "cc:" that introduces it and the commas or "and" between
# them: "cc: @ana, @bo and <@U123>" (chitchat reuses it). Plain @name is what Slack's adapter
# hands over for <@U…|ana> and <!channel>, and what Discord members type. The @ must not follow
# a word character, so email addresses are kept whole (a@b.com folds to the words a, b, com):
# they can name an employer and are not mentions. "@ Stanford" (with a space) is kept too;
# "@Stanford" reads as a mention.
_ONE_MENTION = r"(?:<[@!][^>]*>|(?<![\w.+\-])@\w[\w.\-]*)"
MENTIONS = re.compile(
    rf"(?:\bcc\b[ \t]*:?[ \t]*)?{_ONE_MENTION}(?:[ \t]*(?:[,;&+/]|\band\b)?[ \t]*{_ONE_MENTION})*",
    re.I,
)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_URL = re.compile(r"https?://\S+|www\.\S+")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]+:")
_EMOJI_PRESENTATION = re.compile("\\S\ufe0f\u20e3?")
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


# Zero-width joiner/non-joiner, variation selectors and emoji tag characters: the glue inside
# emoji sequences (👩‍💻, ❤️, flags of subdivisions), never part of a word.
_INVISIBLE = frozenset(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0xFE00, 0xFE10), *range(0xE0000, 0xE0080),
     *range(0xE0100, 0xE01F0)]
)
# Distinct code points whose treatment is remembered; a hostile message of every code point
# cannot grow the table past this.
_FOLD_TABLE_LIMIT = 20_000


class _FoldTable(dict[int, "int | str | None"]):
    """`str.translate` table for non-ASCII text after NFKD, filled on first sight of a code point:
    accents and other combining marks go, so do the invisible emoji glue characters; symbols
    (So: emoji, pictographs, dingbats, regional indicators) and modifier symbols (Sk: skin tones)
    become a space so they never join the words around them. ASCII is preset to itself because
    backticks and carets are Sk too and code spans are stripped after folding."""

    def __missing__(self, code: int) -> int | str | None:
        ch = chr(code)
        value: int | str | None
        if code in _INVISIBLE or unicodedata.combining(ch):
            value = None
        elif unicodedata.category(ch) in ("So", "Sk", "Mn", "Me"):
            value = " "
        else:
            value = code
        if len(self) < _FOLD_TABLE_LIMIT:
            self[code] = value
        return value


_FOLD_TABLE = _FoldTable({code: code for code in range(128)})


def strip_markup(text: str) -> str:
    """Remove chat markup so that only what the member wrote in words remains."""
    text = _CONTROL.sub(" ", text)
    text = _CODE_BLOCK.sub(" ", text)
    text = _CODE_SPAN.sub(" ", text)
    text = SLACK_LINK.sub(r" \2 ", text)
    if "@" in text or "<!" in text:  # most messages mention no one; skip the costlier scan
        text = MENTIONS.sub(" ", text)
    text = _ANGLE_TOKEN.sub(" ", text)
    text = _MD_LINK.sub(r" \1 ", text)
    text = _URL.sub(" ", text)
    return text


# The sentence model reads at most 256 word pieces (about 1,000 characters) from the start, so a
# long post's closing question was cut off. A long post's question sits in its title as often as
# at its end: the model reads the opening and the ending. On 291 tuning questions behind about
# 750 characters of story, accuracy@1 went from 0.65 (question last) and 0.70 (question first)
# when read whole to 0.83 and 0.79 (`python -m bench long-posts`).
MODEL_HEAD = 300
MODEL_TAIL = 400


def clip_for_model(text: str) -> str:
    """The opening and the ending of a long text, cut at spaces, for the sentence model."""
    if len(text) <= MODEL_HEAD + MODEL_TAIL:
        return text
    head = text[:MODEL_HEAD].rsplit(" ", 1)[0]
    tail = text[-MODEL_TAIL:].split(" ", 1)[-1]
    return f"{head} … {tail}"


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
        # A character shown as emoji (ℹ️, Ⓜ️, 🅰️, 1️⃣) goes whole before NFKD makes it a letter.
        text = _EMOJI_PRESENTATION.sub(" ", text)
        text = unicodedata.normalize("NFKD", text).translate(_FOLD_TABLE)
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
        # Most words start no phrase of the table: they are passed over without slicing.
        self._first = frozenset(k[0] for k in self._map)

    def known_words(self) -> list[list[str]]:
        return [list(k) for k in self._map] + [list(v) for v in self._map.values()]

    def rewrite(self, tokens: Sequence[str]) -> list[str]:
        out: list[str] = []
        i = 0
        n = len(tokens)
        while i < n:
            if tokens[i] not in self._first:
                out.append(tokens[i])
                i += 1
                continue
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
    return str(_STEMMER.stemWord(word))


# Texts whose terms an analyzer remembers (the shipped base has about 3,300 phrasings and answers).
TERMS_KEPT = 16384


class Analyzer:
    """Turns text into the stemmed content terms used for ranking."""

    def __init__(self, synonyms: Mapping[str, Sequence[str]]):
        self.synonyms = SynonymTable(synonyms)
        # A moderator's edit rebuilds the community's index from every phrasing; remembering the
        # terms of texts already seen leaves only the BM25 indexing to redo (this analysis was
        # about half of a rebuild). Bounded: a flood of new questions only evicts old ones.
        self._terms = lru_cache(maxsize=TERMS_KEPT)(self._terms_uncached)
        self.content_words = lru_cache(maxsize=TERMS_KEPT)(self._content_words)

    def synonyms_forms(self) -> list[list[str]]:
        """Every word the synonym table knows, so typo correction can land on them."""
        return self.synonyms.known_words()

    def terms(self, text: str) -> list[str]:
        return list(self._terms(text))

    @staticmethod
    def _content_words(text: str) -> tuple[str, ...]:
        """The text's words that are not stopwords, unstemmed (the vocabulary typos are
        corrected towards); remembered like the terms."""
        return tuple(w for w in words(text) if w not in STOPWORDS)

    def _terms_uncached(self, text: str) -> tuple[str, ...]:
        tokens = self.synonyms.rewrite(words(text))
        return tuple(stem(t) for t in tokens if t not in STOPWORDS and len(t) < 40)


# -- the wellbeing checks' reading -----------------------------------------------------------

# How much of a long message is read: a pasted story can hide its worst sentence in the middle,
# so more than matching reads (4,000 characters) and more than Discord lets a member send, but
# bounded so that a hostile 100 KB paste costs tens of milliseconds, not seconds.
SCAN_HEAD = 8_000
SCAN_TAIL = 2_000


# A quoted line as Discord and Slack mark it ("> ", or ">>> " for the rest of a message).
_QUOTE_LINE = re.compile(r"^[ \t]*>{1,3}(?:[ \t]|$)")
# How many words of their own a member must add for a quotation to read as someone else's.
OWN_WORDS = 5


def own_words(text: str) -> str:
    """`text` without the lines it quotes, when the member added words of their own: a reply that
    quotes someone ("> I'm going to kill my advisor") and answers it ("haha same, he moved the
    deadline again. can you switch advisors in 4th year?") says what the member means in its own
    lines. A quotation with little or nothing added ("> I can't do this anymore" / "same") is
    the member's own too, and so is a message with no quotation: those come back unchanged."""
    if ">" not in text:
        return text
    lines = text.split("\n")
    quoted = [bool(_QUOTE_LINE.match(line)) for line in lines]
    if not any(quoted):
        return text
    own = [line for line, q in zip(lines, quoted, strict=True) if not q]
    if sum(len(line.split()) for line in own) < OWN_WORDS:
        return text
    return "\n".join(own)


def scan_clip(text: str) -> str:
    """The head and tail of a long message that the wellbeing checks read."""
    if len(text) > SCAN_HEAD + SCAN_TAIL:
        return text[:SCAN_HEAD] + " " + text[-SCAN_TAIL:]
    return text


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
    out: list[str] = []
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        # "w/o" and "w/out" fold to two words; they are one: "better w/o me" reads "better
        # without me", as the patterns are written.
        if word == "w" and i + 1 < len(words) and words[i + 1] in ("o", "out"):
            out.append("without")
            skip = True
            continue
        out.append(_SHORTHAND.get(word, word))
    return " ".join(out)


# Where a sentence ends: after . ! ? or ; and a space, or at a line break.
SENTENCE_BREAK = re.compile(r"(?<=[!?;])\s+|(?<=[^.]\.)\s+|(?:(?<=\.\.\.)|(?<=…))\s+(?=[^a-z])|\n+")


def scan_sentences(text: str) -> tuple[str, tuple[int, ...]]:
    """`scan_text` sentence by sentence: the folded sentences joined by spaces, and where each
    starts in that string, so a figure of speech within a sentence can be told from words that
    only line up across a break ("one more coffee. Overdose is my plan")."""
    text = scan_clip(text)
    folded: list[str] = []
    starts: list[int] = []
    at = 0
    for piece in SENTENCE_BREAK.split(text):
        words_ = scan_text(piece)
        if words_:
            starts.append(at)
            folded.append(words_)
            at += len(words_) + 1
    return " ".join(folded), tuple(starts)


def native_text(text: str) -> str:
    """The message as the checks read it in scripts the folded form drops (Cyrillic, CJK,
    Arabic...): the same head and tail as `scan_text`, NFKC, case-folded, single-spaced."""
    text = scan_clip(text)
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# A comment line inside a code block is the member's own words, not code ("# after this run i'm
# done with everything"): the checks read comments, while matching drops code blocks whole.
_COMMENT_LINE = re.compile(r"^[ \t]*(?:#+|//|--)[ \t]?(.*)$", re.M)


def _comments_only(block: re.Match[str]) -> str:
    return " " + " . ".join(m.group(1) for m in _COMMENT_LINE.finditer(block.group(0))) + " "


# Spellings that dodge word filters: a symbol inside a word ("k!ll", "d!e", "s*icide", "su@cide")
# and the emoji that stand for a method. `*` hides a letter we cannot know, so the word closes up
# ("k*ll" -> "kll", a spelling the patterns already know).
_CENSORED = re.compile(r"(?<=[A-Za-z])([!*@$])(?=[A-Za-z])")
_CENSOR_LETTER = {"!": "i", "@": "a", "$": "s", "*": ""}
_METHOD_EMOJI = str.maketrans({"\U0001F48A": " pills ", "\U0001FAA2": " rope ", "\U0001F309": " bridge ",
                               "\U0001F52B": " gun ", "\U0001FA78": " blood ", "\U0001FAA6": " grave ",
                               "\u26B0": " coffin "})
# Leetspeak ("g0nn4 d!e by my 0wn h4nd"): read as letters only when a sentence has two or more
# words with a digit between letters ("g0nn4", "h4nd"); model names and times ("gpt4", "h100",
# "3am", "llama3") have none, so ordinary text stays as written.
_LEET = str.maketrans("013457", "oieast")
_LEET_WORD = re.compile(r"^(?=.*[a-z])(?=.*[013457])[a-z0-9]+$")
_LEET_INSIDE = re.compile(r"[a-z][013457]+[a-z]")
_ARABIZI_WORD = re.compile(r"^(?=.*[a-z])[a-z0-9]*[279][a-z0-9]*$")


def _unleet(words: list[str]) -> list[str]:
    if sum(1 for w in words if _LEET_INSIDE.search(w)) < 2:
        return words
    if any(_ARABIZI_WORD.match(w) for w in words):
        # Arabic in Latin letters writes sounds with 2, 3, 5, 7 and 9 ("ta3ban", "7asis"): the
        # patterns read those words as they are.
        return words
    return [w.translate(_LEET) if _LEET_WORD.match(w) else w for w in words]


def scan_text(text: str) -> str:
    """The message as the checks read it: folded words, single-spaced, `ß` spelt `ss`, `ı` `i`,
    texting spellings written out, the comment lines of code blocks, filter-dodging spellings
    ("k!ll", "s*icide", leetspeak) and method emoji read as words."""
    text = scan_clip(text)
    if "```" in text:
        text = _CODE_BLOCK.sub(_comments_only, text)
    text = text.translate(_UNDECOMPOSED)
    if not text.isascii():
        text = text.translate(_METHOD_EMOJI)
    text = _CENSORED.sub(lambda m: _CENSOR_LETTER[m.group(1)], text)
    folded = _STRETCHED.sub(r"\1", fold(text, clipped=False))
    return _unshorten(_unleet(_WORD.findall(folded)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether text holds lone UTF-16 halves (a broken paste). A regex scans in C: a flood of
    long pastes costs the event loop microseconds, not a Python loop over every character."""
    return _SURROGATE.search(text) is not None


def without_surrogates(text: str) -> str:
    """The text with each lone UTF-16 half as "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")
