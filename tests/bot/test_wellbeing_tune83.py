"""tune83 (three blind writers: founders of tiny startups and indie hackers; birthdays and
milestones; English code-switched with Spanish or Portuguese): new phrasings of the crisis,
distress and ordinary families it added. Patterns, and what the sentence model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "i keep thinking how calm it would be to just let go",
    "my birthday is in march and i'm not planning on seeing forty",
    "started wearing long sleeves to the office so nobody notices",
    "cortei outra vez, ninguém sabe",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "honestly i feel like i'm nothing without a degree",
    "feeling like the stupidest person in the lab every single day",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "can't go on like this with 8gb of vram, what's the cheapest upgrade?",
    "no aguanto más este bug de CUDA jaja",
    "não aguento mais esse latex, alguém tem um template?",
    "overdosed on cafecito before my onsite, talking a mile a minute",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_who_gets_ones_things_beside_a_goodbye_is_a_crisis(wellbeing):
    # one goodbye alone is the support reply; the arrangement beside it is a second cue
    assert wellbeing.check("this is my last post here") == "distress"
    assert wellbeing.check(
        "this is my last post here. figured out who gets my monitors") == "crisis"


@pytest.mark.parametrize(("sentence", "figure"), [
    ("the borrow checker is actively trying to kill me", "kill"),
    ("i will literally die if my paper gets accepted at neurips", "die"),
    ("bar crawl for my 40th on friday, we'll be dead by the end of the night", "dead"),
])
def test_the_model_reads_the_sentence_without_the_figure(wellbeing, sentence, figure):
    assert figure not in wellbeing.mask_figures(sentence)


def test_a_contract_that_ends_explains_a_goodbye(wellbeing):
    assert wellbeing.words("goodbye everyone, my contract ends on friday").reason
