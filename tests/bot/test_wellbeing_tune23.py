"""Wellbeing round tune23 (written blind, measured before any change: mostly hard figures of
speech in ML jargon and other languages, short and hypothetical crisis; crisis recall 50/60 and
distress 25/30 at first, 21 of 70 figures flagged). New phrasings of each family, not the set's
own lines. The `wellbeing` fixture is the patterns alone, so each of these holds whatever the
model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "tried again and woke up in the afternoon",
    "planned it for saturday while my flatmate is away",
    "time to delete myself from existence",
    "saved up my meds for months so no one would suspect anything",
    "ya lo decidí, me voy a quitar la vida",
    "lay awake thinking about how to end it",
    "i just want a quiet way to end it",
    # its audit: figures the first version removed, which hid these crises
    "I've been suicidal, papers keep getting rejected and nothing helps",
    "not going all in on the job hunt anymore, I've been researching suicide instead",
])
def test_tune23_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "i'm out of hope",
    "me siento una fracasada",
    "numb",
    "so tired of everything lately",
    "感觉自己一无是处",
])
def test_tune23_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "building a suicide risk classifier for clinical notes, which baseline?",
    "I'll sleep when I'm dead, deadline is 8am",
    "killing myself over leetcode, is 3 hours a day normal?",
    # its audit's ordinary lines
    "me voy a quitar la vida social este mes para preparar entrevistas",
    "I'm out of hope for the conference wifi, uploading from my hotspot",
    "so tired of everything needing a YAML config",
    "这个模型在长文本上一无是处，有没有替代方案？",
    "bought allergy meds at several pharmacies before the trip",
    "I planned it for saturday when my roommates are away, so we can use the projector",
])
def test_tune23_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
