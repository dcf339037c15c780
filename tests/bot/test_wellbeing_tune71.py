"""tune71 (three blind writers: short chat messages; English code-switched with Bengali, Tamil,
Telugu, Marathi or Kannada in Latin letters; messages addressed to the bot with mentions and
commands): new phrasings of the families it added, and ordinary messages that share their words.
Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "i can't see any future anymore",
    "i'm done. not the job hunt. me",
    "ami na thakle sobai bhalo thakbe",
    "shudhu hariye jete ichhe kore",
    "ini naan irukka maaten",
    "thirumba cut pannitten",
    "ika nenu undanu, bye",
    "mi nasel tar kunalach fark padnar nahi",
    # a finality cue and an arrangement beside it
    "gave my monitor to my labmate. naaku inka avasaram ledu",
    "don't think i'm gonna be around for the next deadline. like tying things up",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "can't see any future in classical CV, should I switch to LLMs?",
    "cant see a future where i understand measure theory lol",
    "4 onsites this week, can I push the last one?",
    "tying up loose ends before the new job, any onboarding tips?",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "presentation er por washroom e giye kadlam",
    "raat e khub eka lage, keu kotha bole na",
    "roj radto, kahich suchat nahi",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
