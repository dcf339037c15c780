"""Wellbeing round tune28 (written blind, measured before any change: mostly indirect crisis in
English chat and long posts; crisis recall 47/70 at first, distress 31/40, 7 of 20 figures
flagged). New phrasings of each family, not the set's own lines. The `wellbeing` fixture is the
patterns alone, so each of these holds whatever the sentence model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "don't worry, I won't be a burden for my family for much longer",
    "i'll make sure I'm not a problem to anyone anymore",
    "same, except i actually got a plan now",
    "every night I pause on that bridge by the lab and stare down at the water",
    "just got out of the hospital. I tried again last week and nobody here knows",
    "been googling how long it takes until a person is found in their apartment",
    "gave my dog to my sister, told her just for a while. it isn't",
    "whatever happens, don't blame my parents for anything",
    "spent the evening labelling my things so my friends know who gets what",
    "tell me a single reason why i should keep living because i cant find one",
    "ich mag einfach nicht mehr leben",
    "bientôt je ne serai plus un fardeau",
])
def test_tune28_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "I couldn't stop shaking after the committee meeting",
    "some weeks I go days without talking to anyone outside the lab",
    "honestly i'm just rotting in my room between rejections",
    "sat on the bathroom floor for two hours after the call",
    "my whole body trembles whenever slack pings before standup",
])
def test_tune28_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "on the silent retreat you go days without talking to anyone, highly recommend",
    "assembled the IKEA wardrobe and sat on the floor for three hours with an allen key",
])
def test_tune28_ordinary_shaking_silence_and_floors_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "if my advisor asks for one more experiment i'm jumping off a bridge",
    "giving away my spare monitors, free, pickup only",
    "this notebook is so cursed i want to die just reading it lol",
    "kms the build is red again",
    "same, except I actually have a plan for the camera-ready",
    "I won't be a problem for the GPU queue much longer, last job is running",
    "Our hospital readmission model leaked; tried again after lunch and AUROC dropped",
    "how long does it usually take before a missing hiker is found? reading about a rescue",
    "deploy failed for 40 minutes, don't blame yourselves for this, the runbook was old",
    "labelling boxes for my parents so they know what goes to their garage",
    "give me one reason to stay on TensorFlow in 2025, my team wants to migrate",
    "Nach dem Master will ich nicht mehr leben wie ein Student",
    "avec la quantization je ne serai plus un poids lourd sur le cluster",
])
def test_tune28_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
