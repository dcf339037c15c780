"""The end of a very long paste reaches the sentence model, as it reaches the patterns: both read
the message's head and tail (`bot.text.scan_clip`). Before, the sentence model read only the
first 10,000 characters, so a crisis line after a long log or story was never encoded."""

from __future__ import annotations

import re

from bot.semantic import sentences
from bot.text import SCAN_HEAD, SCAN_TAIL, scan_clip

CUES = re.compile(r"\b(?:empty|tired)\b")
FILLER = "The training job restarted from the last checkpoint after the node went away. "
LINE = "I have worked out which day the house will be empty and I am tired of all of it."


def test_a_line_at_the_end_of_a_long_paste_is_among_the_sentences_read():
    text = FILLER * (11_000 // len(FILLER)) + LINE
    assert len(text) > SCAN_HEAD + SCAN_TAIL
    assert sentences(text, CUES) == [LINE]
    assert sentences(text)[-1:] != [LINE]  # without cues, the first sentences are kept


def test_a_short_message_is_read_whole():
    text = FILLER + LINE
    assert scan_clip(text) == text
    assert sentences(text, CUES) == [FILLER.strip(), LINE]
