"""tune85 (three blind writers: overwork cultures in English as a second language; people in
their 60s and 70s learning ML; anxiety about the future, AI doom and climate): new phrasings of
the crisis, distress and ordinary families it added. Patterns, and what the sentence model
reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "everyone says the overtime will end up killing me. part of me wants to help it along",
    "sealed the notes for my daughters and left them where they'll find them",
    "i'd rather pick my own time than go through another round of treatment",
    "don't ask me to ring the crisis line, i've decided",
    "when it gets bad i've been burning myself on the stove",
    "burning myself is honestly the only thing that calms me down now, it's the only thing that helps",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "three years in and none of it matters anymore",
    "i don't know how to keep caring about the thesis or anything else",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "if the layoffs hit us too i'll end it all and open a bakery",
    "packing up the dorm. won't need the desk lamp where i'm going, the new flat has lights",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize(("sentence", "figure"), [
    ("if you don't hear from me i've drowned in rebuttals", "drowned"),
    ("took my morning meds, had breakfast, ready for the standup", "meds"),
    ("can't go on with this tutorial, it assumes too much", "go on"),
    ("left a note to my future self in the config", "note"),
    ("my dentist would kill me if she saw how much cola i drink", "kill"),
])
def test_the_model_reads_the_sentence_without_the_figure(wellbeing, sentence, figure):
    assert figure not in wellbeing.mask_figures(sentence)


def test_pills_ready_for_the_session_are_not_pills_lined_up(wellbeing):
    assert wellbeing.check("vitamins, meds and notebook ready for the study group") is None
    assert wellbeing.check("meds and water ready. tonight") == "crisis"
