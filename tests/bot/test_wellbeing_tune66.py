"""tune66 (three blind writers: Reddit-style posts with TL;DR and EDIT lines; members who describe
themselves in ML idiom; short replies in threads and late-night lowercase with emoji): new
phrasings of the families it added, and ordinary messages that share their words. Patterns only
(no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "won't be around for my viva anyway so whatever",
    "wanna vanish. not the log-off-for-a-week kind",
    "wanna disappear for good",
    "the lab would be better off if i just got garbage collected",
    "everyone's better off if i was never born tbh",
    "probably won't make it to the reading group... or anything after that",
    # two finality cues: no future worth it, and done done
    "there's no future worth working for. i'm done done",
    # a finality cue and an arrangement beside it
    "can you remove me from the mailing list. gave all my notes to my labmate already",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "if anyone needs me i'll be asleep under my desk until the deadline",
    "giving away my old textbooks, won't need them anymore\nswitched to a data engineering role",
    "should I submit the best checkpoint or the last one?",
    "I feel like a burden asking my advisor for another extension, how do I phrase it?",
    "can't do this anymore... relabelling 4k images by hand. any active learning tools?",
    "won't be around next month, please take me off the rota",
    "wanna disappear from social media for a while, any tips for staying in the loop on papers?",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
