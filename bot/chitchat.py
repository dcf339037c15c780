"""Chit-chat: greetings, thanks, goodbyes and small talk get a short friendly line, not an FAQ.

A message is chit-chat only when nothing but chit-chat is in it. Its words (folded exactly as
matching folds them, so mentions, emoji and links are already gone) are read left to right as
known phrases ("good morning", "thank you", "what can you do"), known words ("hi", "thx", "lol")
and filler ("all", "so", "much", "bot"); the first word that is none of these is content, and a
message with content is a question to answer: "hi, do I need a PhD for DeepMind?" is not
chit-chat, and neither is "hello world project ideas?", where "hello world" is consumed as a
phrase and "project" is content.

Wellbeing checks come first: call this after them, before matching.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from bot.text import MENTIONS, words

Kind = Literal["identity", "how_are_you", "thanks", "goodbye", "greeting", "ack", "laugh", "emoji"]

# When a message mixes kinds, the first listed here answers: "hi, what can you do?" is about the
# bot, "ok thanks, bye" is thanks.
PRIORITY: tuple[Kind, ...] = (
    "identity", "how_are_you", "thanks", "goodbye", "greeting", "ack", "laugh", "emoji")

REPLIES: dict[Kind, str] = {
    "greeting": "Hi! Ask me anything about careers in machine learning: PhDs, research roles, "
                "programs, getting hired. Try `topics` to browse.",
    "how_are_you": "Doing well, thanks for asking! Ask me anything about careers in machine "
                   "learning, or try `topics` to browse.",
    "thanks": "You're welcome! Ask anytime.",
    "goodbye": "Take care! Ask anytime.",
    "identity": "I'm a bot that answers questions about careers in machine learning (PhDs, "
                "research and engineering roles, programs, getting hired) and runs short quizzes "
                "to help you choose a path. Try `help`.",
    "ack": "Glad to help! Ask anytime, or try `topics` to browse.",
    "laugh": "Ha! Ask me anything about careers in machine learning whenever you like.",
    "emoji": "Ask me anything about careers in machine learning whenever you like, or try "
             "`topics` to browse.",
}

# Small talk is short; a long message made only of these words is not worth the guess.
MAX_WORDS = 16

# Words that carry no question and no kind of their own: who is addressed, intensifiers.
_FILLER = frozenset(
    """there all everyone everybody yall guys folks people team friends fam again so much very
    a lot lots ton tons really super man bro dude mate buddy oh ah and then also bot careerbot
    well just""".split()
)

_WORDS: dict[str, Kind] = {
    **dict.fromkeys(
        """hi hey hello hallo hiya heya heyo howdy yo gm morning afternoon evening greetings
        hola bonjour salut ciao namaste sup wassup whatsup""".split(), "greeting"),
    **dict.fromkeys(
        """thanks thank thankyou thx thnx thanx thnks thks tks tnx ty tysm tyvm tyty cheers
        appreciated merci danke gracias kudos""".split(), "thanks"),
    **dict.fromkeys(
        "bye goodbye byebye cya ttyl gn goodnight night nite later laters farewell".split(),
        "goodbye"),
    **dict.fromkeys(
        """ok okay k kk okie oki okey alright aight cool nice great awesome perfect neat sweet
        wow amazing excellent brilliant lovely good fine noted gotcha understood yep yup yeah
        sure right true interesting helpful helped helps useful""".split(), "ack"),
    **dict.fromkeys("lol lmao lmfao rofl haha hahaha hehe heh ha xd".split(), "laugh"),
}

# Chat spelling stretches words: "heyyy", "hiii", "thankss", "byeee", "okkk", "hahahah", "lolol".
_STRETCHED: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"h+i+|he+y+[ao]?|hel+o+w?|yo+"), "greeting"),
    (re.compile(r"than+k+s+|th+x+|ty+"), "thanks"),
    (re.compile(r"by+e+|bye+bye+"), "goodbye"),
    (re.compile(r"o+k+a*y*|k+|co+l+|ni+ce+"), "ack"),
    (re.compile(r"(?:ha)+h?|a?(?:ha)+|(?:he){2,}h?|l+o+l+(?:o+l+)*|lm+f?a+o+"), "laugh"),
)

# Phrases, longest first when they overlap. None marks a filler phrase ("for the help").
_PHRASE_LIST: dict[str, Kind | None] = {
    "hello world": "greeting", "hi there": "greeting", "hey there": "greeting",
    "good morning": "greeting", "good afternoon": "greeting", "good evening": "greeting",
    "good day": "greeting", "whats up": "greeting", "what is up": "greeting",
    "i have a question": "greeting", "i have a quick question": "greeting",
    "quick question": "greeting", "can i ask a question": "greeting",
    "can i ask you something": "greeting", "can i ask something": "greeting",
    "thank you": "thanks", "thank u": "thanks", "thanks you": "thanks",
    "much appreciated": "thanks", "appreciate it": "thanks", "i appreciate it": "thanks",
    "many thanks": "thanks", "big thanks": "thanks",
    "for the help": None, "for your help": None, "for helping": None, "for the answer": None,
    "for the answers": None, "for the info": None, "for the reply": None, "for the advice": None,
    "for the tips": None, "for your time": None, "for that": None, "for this": None,
    "good bye": "goodbye", "bye bye": "goodbye", "see ya": "goodbye", "see you": "goodbye",
    "see u": "goodbye", "see you later": "goodbye", "see you soon": "goodbye",
    "take care": "goodbye", "talk later": "goodbye", "talk soon": "goodbye",
    "good night": "goodbye", "have a good one": "goodbye", "have a good day": "goodbye",
    "have a nice day": "goodbye", "have a great day": "goodbye", "gotta go": "goodbye",
    "how are you": "how_are_you", "how are u": "how_are_you", "how r u": "how_are_you",
    "how r you": "how_are_you", "how are you doing": "how_are_you",
    "how you doing": "how_are_you", "hows it going": "how_are_you",
    "how is it going": "how_are_you", "hows your day": "how_are_you",
    "how is your day": "how_are_you", "hope you are well": "how_are_you",
    "hope youre well": "how_are_you", "how are things": "how_are_you",
    "who are you": "identity", "who are u": "identity", "who r u": "identity",
    "what are you": "identity", "what can you do": "identity", "what can u do": "identity",
    "what do you do": "identity", "are you a bot": "identity", "are you an ai": "identity",
    "are you ai": "identity", "are you human": "identity", "are you a human": "identity",
    "are you real": "identity", "is this a bot": "identity", "what is this": "identity",
    "whats this": "identity", "what is this bot": "identity", "how does this work": "identity",
    "how do i use you": "identity", "how do i use this": "identity",
    "what can i ask": "identity", "what can i ask you": "identity",
    "what do you know": "identity",
    "got it": "ack", "makes sense": "ack", "that makes sense": "ack", "sounds good": "ack",
    "good to know": "ack", "i see": "ack", "oh i see": "ack", "fair enough": "ack",
    "all good": "ack", "no worries": "ack", "will do": "ack",
    "that helped": "ack", "that helps": "ack",
    "this helped": "ack", "this helps": "ack", "it helped": "ack", "it helps": "ack",
    "that was helpful": "ack", "this is helpful": "ack", "thats helpful": "ack",
    "very helpful": "ack", "super helpful": "ack",
}
_PHRASES: dict[tuple[str, ...], Kind | None] = {
    tuple(p.split()): kind for p, kind in _PHRASE_LIST.items()}
_LONGEST = max(len(p) for p in _PHRASES)

# Discord custom emoji and :shortcodes:, as members type them.
_EMOJI_MARKUP = re.compile(r"<a?:\w+:\d+>|:[\w+\-]+:")


def _word_kind(word: str) -> Kind | None:
    kind = _WORDS.get(word)
    if kind is not None:
        return kind
    for pattern, stretched in _STRETCHED:
        if pattern.fullmatch(word):
            return stretched
    return None


def _emoji_only(text: str) -> bool:
    """Only emoji (unicode, custom or :shortcode:), mentions, punctuation and spaces."""
    unmentioned = MENTIONS.sub(" ", text)
    rest = _EMOJI_MARKUP.sub(" ", unmentioned)
    seen = rest != unmentioned
    for ch in rest:
        category = unicodedata.category(ch)
        if category in ("So", "Sk") and not ch.isascii():
            seen = True
        elif not (ch.isspace() or category[0] in "PMC"):
            return False
    return seen


def chitchat_kind(text: str) -> Kind | None:
    """What kind of small talk the message is, or None when it carries anything else."""
    tokens = words(text)
    if not tokens:
        return "emoji" if _emoji_only(text) else None
    if len(tokens) > MAX_WORDS:
        return None
    kinds: set[Kind] = set()
    i, n = 0, len(tokens)
    while i < n:
        for size in range(min(_LONGEST, n - i), 1, -1):
            phrase = tuple(tokens[i : i + size])
            if phrase in _PHRASES:
                kind = _PHRASES[phrase]
                if kind is not None:
                    kinds.add(kind)
                i += size
                break
        else:
            word = tokens[i]
            i += 1
            if word in _FILLER:
                continue
            kind = _word_kind(word)
            if kind is None:
                return None  # a content word: this is a question, not small talk
            kinds.add(kind)
    return next((k for k in PRIORITY if k in kinds), None)


def chitchat_reply(text: str) -> str | None:
    """A short friendly reply when the message is only small talk; None when it should be
    matched as a question."""
    kind = chitchat_kind(text)
    return None if kind is None else REPLIES[kind]


def is_chitchat(text: str) -> bool:
    return chitchat_kind(text) is not None
