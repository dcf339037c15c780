"""tune61 (three blind writers: members writing to the bot itself as to a person; English,
French, Arabic in Latin letters, Swahili, Amharic, Hausa, Yoruba and Nigerian Pidgin; a lab
Slack's #random, hedged and minimising): new phrasings of the families it added, and ordinary
messages that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "honestly i just want to disappear, like for good",
    "ana ta3bana men el7aya",
    "mesh 3ayez a3ish",
    "sitaki kuishi tena",
    "everybody go rest if i no dey again",
    "won't be around for the retreat. or after",
    "when i'm not around anymore the docs are in the wiki. thanks for being a great team",
    "if you don't hear from me, tell my mum i'm sorry",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "i feel like a burden on the shared cluster with these jobs, is there a queue etiquette?",
    "I'm done done, camera-ready submitted before the deadline",
    "won't be around for the offsite, or after lunch on friday",
    "if you don't hear from me by friday, ping the channel",
    "tell my mom sorry i can't make it to dinner, the deadline moved",
    "thanks for being a great team this sprint!",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", ["ko si ireti mo", "i no fit again, the rejections don pass me"])
def test_distress_in_nigerian_pidgin_and_yoruba_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
