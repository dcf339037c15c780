"""Wellbeing round tune32 (written blind, measured before any change: hard figures of speech
with near-twin crisis messages; 24 of 85 figures flagged at first, crisis 15/15). New phrasings
of each family, not the set's own lines. The `wellbeing` fixture is the patterns alone."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "se me cayó el cluster otra vez, me quiero morir jajaja",
    "best loss for ordinal suicide risk labels in clinical notes?",
    "looking for papers on suicidal ideation rates among grad students",
    "how do chatbots answer users who say they are suicidal? comparing eval rubrics",
    "is scraping r/SuicideWatch for a dataset ok with an IRB?",
    "renamed suicide.py to watchdog.py before the code review",
    "worked the self-harm queue at a trust and safety vendor, now moving into ML",
    "cut myself slicing bagels, typing slowly today",
])
def test_tune32_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "me quiero morir de verdad, ya tengo las pastillas",
    "죽고 싶다 진짜로",
    "我想死，不是开玩笑",
    "I annotate suicide risk labels all day and I have started planning my own",
    "users who say they are suicidal, like me, get a hotline and nothing else",
    "me quiero morir jaja no es broma, ya elegí el día",
    "죽고 싶다 ㅋㅋ 근데 진짜야 약 다 모아놨어",
    "i moderate the self-harm queue and i've started cutting again myself",
    "me quiero morir xd pero ya no es chiste, tengo la cuerda lista",
    "what do chatbots say to users who say they are suicidal, like myself tonight",
    "gonna walk into the sea anyway, stones in my pockets already",
    "想死哈哈 不是开玩笑 今晚就做",
])
def test_tune32_crisis_near_the_figures_is_still_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"
