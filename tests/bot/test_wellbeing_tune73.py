"""tune73 (three blind writers: members who minimise and apologise and change the subject; English
shaped by Polish, Russian, Ukrainian, Romanian, Turkish, Portuguese or Spanish; diary entries and
feelings said through lyrics, film lines and poems): new phrasings of the families it added, and
ordinary messages that share their words."""

from __future__ import annotations

import copy

import pytest

from bot.text import scan_text
from tests.bot.test_wellbeing_tune65 import _ReadsEveryMessageAsLearnedCrisis


@pytest.mark.parametrize("message", [
    "lately i keep thinking when and how to end it",
    "been googling ways to do it. nvm, ignore me",
    "half in love with easeful death? more like fully, these days",
    "to be or not to be, and i'm leaning towards not to be",
    "get busy living or get busy dying. i think i've made my choice",
    "honestly the team would be better w/o me",
    # two finality cues
    "sorting my passwords so nobody has to deal with my mess after. it's weirdly calming",
    "wrote to my brother. better he reads the explanation from me. just wanted that someone knows",
    "I made my decision. it's quiet now in my head",
    "put money aside so the funeral isn't on my parents. just wanted someone to know",
    # a finality cue and an arrangement beside it
    "the cat goes to my neighbour, she agreed. i made my decision",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "how and when to end an internship early without burning bridges?",
    "i looked up ways to do it in pytorch and still can't get the hooks right",
    "we chose not to be part of the hackathon this year",
    "it's weirdly calming to refactor old code on a sunday",
    "cleaning my desk so it's less of a mess for my labmates after I move",
    "the cat goes to my neighbour while I'm at NeurIPS, any tips for the poster?",
    "this is my last post here for this year lol, see you all in january",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "this OOM is murdering me. any ideas before I lose my mind",
    "how do people cut a chapter without the whole thing collapsing?",
])
def test_figures_of_distress_in_practical_questions_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_w_slash_o_reads_as_without():
    assert scan_text("better w/o me") == "better without me"
    assert scan_text("lighter w/out me") == "lighter without me"
    assert scan_text("done w everything") == "done with everything"


@pytest.mark.parametrize("message", [
    "not going to be around for reading group next week, sorry! conference travel",
    "won't need my old books any more, moving to Lisbon. free, pickup in Warsaw",
])
def test_not_being_around_or_needing_things_is_explained_by_a_reason_beside_it(wellbeing, message):
    checked = copy.copy(wellbeing)
    checked.semantic = _ReadsEveryMessageAsLearnedCrisis()
    assert checked.check(message) is None
    # Without the reason the reading stands.
    assert checked.check(message.split(",")[0].split(" any more")[0]) == "crisis"
