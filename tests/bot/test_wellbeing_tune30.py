"""Wellbeing round tune30 (written blind, measured before any change: posts in the style of PhD,
careers and ML forums and servers, mostly distress; crisis 39/40 and distress 46/50 at first, 5
of 30 stress questions and 4 of 30 figures flagged). New phrasings of each family, not the set's
own lines. The `wellbeing` fixture is the patterns alone, so each of these holds whatever the
sentence model reads."""

from __future__ import annotations

import pytest

from bot.wellbeing import Wellbeing


@pytest.mark.parametrize("message", [
    "downed a bunch of my antidepressants an hour ago",
    "i've taken like 15 of the painkillers, feeling kind of floaty",
    "i took like 20 of my tablets, just waiting now",
])
def test_tune30_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "rejection email this morning and I'm still shaking",
    "I don't know how much longer I can keep doing this PhD",
    "her gece panik atak geçiriyorum, tez yüzünden",
    "haftalardır uyuyamıyorum, tez bitmiyor",
])
def test_tune30_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "I'm going to jump off a bridge if I read one more 'AGI next year' thread",
    "that proof made me want to die lmao",
    "a bit nervous about my first conference talk, any tips for the Q&A?",
    "burnout prevention for first years: how many hours do you work?",
    "lost my grandpa last week, how do I ask to postpone my qualifying exam?",
    "took 2 ibuprofen for the headache and back to writing",
    "OD'd on espresso before the demo, hands still shaking lol",
    "took 14 of the tablets so far out of the 21-day course, feeling better",
    "still shaking my head at reviewer 2",
    "don't know how much longer I can do this 2-hour commute",
    "panik atak tespiti için veri seti arıyorum",
    "lineer cebirde kendimi yetersiz hissediyorum, kurs önerisi?",
])
def test_tune30_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_ending_it_all_with_an_employer_is_read_past(wellbeing: Wellbeing):
    # "..." before a lowercase word is no sentence break: the figure is one span.
    assert wellbeing.check("ending it all... with my current employer. handed in my notice") is None
    assert wellbeing.check("ending it all... with my pills tonight") == "crisis"
