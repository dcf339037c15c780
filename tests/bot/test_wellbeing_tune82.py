"""tune82 (three blind writers: posts in the register of LinkedIn and Twitter/X; the body, from
eating and the gym to sleep and skipping the doctor; members who lost someone to suicide): new
phrasings of the crisis and ordinary families it added. Patterns, and what the sentence model
is given to read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # following someone who died, by the same way or on the same date
    "keep imagining going the same way my brother did",
    "it would be the same day she died and that seems right to me",
    "thinking about joining him more and more lately",
    # one's own death announced, in the words of others
    "sometimes i wonder how the lab would phrase the announcement about me. same template as last spring probably",
    # oneself as the bug to remove
    "found the root cause of everything: it's me. patching it tonight",
    "everyone would do just fine with me gone from the picture",
    # a body left to fail
    "not getting the lump checked. if it's cancer that would fix a lot honestly",
    "heart keeps skipping after all the energy drinks, if it stops i honestly wouldn't mind",
    # harm by heat
    "pressing my wrist against the hot iron so it scars, every time a rejection comes in",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


def test_a_will_beside_things_given_away_is_not_explained_by_a_reason(wellbeing):
    words = wellbeing.words("wrote my will last night and rehomed the dog. moving abroad anyway")
    assert not words.reason


@pytest.mark.parametrize("message", [
    "i'm going to jump off a bridge if another recruiter sends me a 'quick call?' email lol",
    "throughput jumped off a bridge after the driver update, anyone else?",
    "our team is doing the 10k run for suicide awareness in april, who's in? dm me",
    "gave away all my halloween candy to the lab",
    "can't go on another week of oatmeal, recipe ideas?",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize(("sentence", "figure"), [
    ("my garmin thinks i'm dead, resting heart rate 38", "dead"),
    ("hoping I don't wake up before 10 tomorrow", "wake up"),
    ("cutting season is brutal, 1800 calories a day", "cutting"),
    ("arm day destroyed me, i'm dead", "dead"),
    ("the card is literally dead, magic smoke and all", "dead"),
])
def test_the_model_reads_the_sentence_without_the_figure(wellbeing, sentence, figure):
    assert figure not in wellbeing.mask_figures(sentence)


def test_nerves_of_the_good_kind_are_not_distress(wellbeing):
    assert "terrified" not in wellbeing.mask_figures(
        "terrified but the good kind, first talk at a big venue", "distress")
