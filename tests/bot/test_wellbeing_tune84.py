"""tune84 (three blind writers: students on an online course's discussion board; weather,
seasons and the outdoors; members rebuilding their lives while learning to code): new phrasings
of the crisis and ordinary families it added. Patterns, and what the sentence model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "the plan is ready. i just need to work up the nerve",
    "if i'm not online tomorrow just know that i did my best",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "can't go on to the next module until the autograder passes, anyone else stuck?",
    "bye all! the forum shuts down friday, export your threads",
    "defended!! walked right into the lake to celebrate, up to my knees",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize(("sentence", "figure"), [
    ("cutting the learning rate again, it keeps diverging", "cutting"),
    ("gave the policy just enough rope to hang itself", "hang"),
    ("calling an end to it for tonight, the loss is still flat", "end"),
])
def test_the_model_reads_the_sentence_without_the_figure(wellbeing, sentence, figure):
    assert figure not in wellbeing.mask_figures(sentence)
