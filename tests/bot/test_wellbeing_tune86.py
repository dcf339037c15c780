"""tune86 (three blind writers: gambling, crypto and trading losses; a big ML conference's chat
during the conference week; new parents and parents-to-be): new phrasings of the crisis,
distress and ordinary families it added. Patterns only."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "the obvious answer would be me gone, then nobody has to deal with my debts",
    "how much of the melatonin and the other pills i packed for the trip would it take to die",
    "can the rooftop of the hotel be accessed at night? asking for reasons i'd rather not explain",
    "if the plane just went down on the way back it would be a relief",
    "keep staring at the pill bottle and counting how many are left",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "lost the house deposit on options and i feel like total garbage",
    "i feel nothing when i feed him and i don't know what's wrong with me",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "can't go on like this with 12 hour training runs, need more gpus",
    "stepping off the train from the airport now, where is registration?",
    "writing farewell letters to my 150 browser tabs tonight",
    "killed the interview this morning, happy cried in the car after",
    "bye everyone, my flight home is at 6am, great meeting you all",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
