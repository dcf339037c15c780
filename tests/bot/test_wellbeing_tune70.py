"""tune70 (three blind writers: replies to the bot's own career answers; first posts in an
introductions channel; messages typed in a rush of panic or exhaustion): new phrasings of the
families it added, and ordinary messages that share their words. Patterns only (no sentence
model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "thanks but i won't be around long enough to use any of it",
    "won't need the interview tips after tonight anyway",
    "I can't picture a version of next summer that I'm in",
    "not going to be around for my viva. sorry",
    # two finality cues
    "its been a good server. take care of urselves",
    "sorry if i don't reply after this weekend. it's been a great community",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "won't need the visa advice after this week, my green card got approved!",
    "I'm done with conda forever, uv for everything now",
    "I've given up on life (the notebook kind), moving to scripts",
    "finally submitted!! going to sleep for two days bye",
    "how do I answer why are you leaving in a final round?",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "third rejection this month and the panic spirals are back every night",
    "not sure I can handle much more of this, the lab is falling apart",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
