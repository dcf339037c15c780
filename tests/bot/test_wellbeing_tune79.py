"""tune79 (three blind writers asked for hard figures of speech: pets, plants and home life;
climbing, running, swimming and skydiving; nurses, paramedics, pharmacists and doctors): new
phrasings of the crisis and ordinary families it added. Patterns only, and what the model reads
after masking."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "not much point in me sticking around now that the grant is gone",
    "keep thinking about just not swimming back next time i'm out at the lake",
    "went up to the roof of the parking garage after my shift and climbed over the railing for a bit",
    "i know nobody would find me until monday if i stayed in the lab over the weekend",
    "the people who died in the ward had it easier honestly",
    "i go back to that bridge most nights. not for the view",
    "sitting in my car with everything i need, trying to decide",
    # a jump whose sport is denied is no sport
    "about to jump. no parachute",
    "going to jump off the bridge tonight, without a parachute",
    # a finality cue and an arrangement beside it
    "won't be around to feed the cat after friday. left a note for my sister by the door",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "ending it with this dataset, we're switching to the cleaned version next sprint",
    "writing a goodbye letter to my old lab for the department newsletter",
    "about to jump! first tandem skydive tomorrow, wish me luck",
    "i jumped off a bridge today. bungee, 50m, never again",
    "I can't go on like this, the neighbour's dog barks all night. earplug recommendations?",
    "the lethal dose column in our tox dataset has half its values missing",
    "my overdose prediction model is finally calibrated",
    "I'm not dead, just swamped with grading",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_denied_new_job_does_not_explain_a_goodbye(wellbeing):
    words = wellbeing.words("if i stop showing up here it's not because i got a new job. "
                            "just wanted someone to know")
    assert not words.reason and not words.leaving


@pytest.mark.parametrize(("sentence", "gone"), [
    ("writing my goodbye letter to this flat.", "goodbye"),
    ("the lethal dose features did most of the work.", "lethal"),
    ("honestly ready to end it all with this dataset.", "end it"),
])
def test_the_model_reads_these_sentences_without_the_figure(wellbeing, sentence, gone):
    assert gone not in wellbeing.mask_figures(sentence, "crisis")
