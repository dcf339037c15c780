"""Wellbeing round tune22 (written blind, measured before any change: non-native English, vent
posts, minimising, passive ideation and coded self-harm, 15 languages; crisis recall 60/70 and
distress 39/45 at first, 2 crisis or distress messages answered with an entry alone). New
phrasings of each family, not the set's own lines. The `wellbeing` fixture is the patterns
alone, so each of these holds whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # two quiet cues: pets handed over and location off; a last day "no matter what"
    "texted my sister to look after my cat and turned off my location",
    "I've decided that's my last day either way",
    # a rope looked at, a relapse, cuts getting deeper, hidden scars
    "i got a rope last month and i stare at it every night",
    "relapsed last night, cutting after 90 days clean",
    "the cuts keep getting deeper",
    "did sh again, wrists this time",
    "no one notices the scars under my sleeves",
    "punched the door till my knuckles bled",
    # literal translations and poison
    "i just want to finish myself",
    "planning to drink poison tonight",
])
def test_tune22_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "i feel nothing anymore, been like this since spring",
    "ate dinner alone on thanksgiving again",
    "i'm totally alone in this city and it's crushing me",
    "najihisi peke yangu kila siku",
    "Ich fühle mich so allein hier",
    "I feel like such a failure, I keep hiding from my cohort",
    # one quiet cue alone gets the support reply
    "turned off my location",
])
def test_tune22_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "I'm literally going to die if this build fails again",
    "jumping off the project next month to join the infra team",
    "asked my roommate to water my plants while I'm at ICML",
    "turned off my location for privacy reasons",
    "counting down to my defense, 12 days left",
    "writing my goodbye message for the team channel since I'm leaving friday",
    "clean for 30 days until yesterday, the sugar cravings won",
    "i feel nothing about the offer tbh",
    "the loneliness epidemic paper is a good read",
    # from its audit's ordinary lines
    "I have a rope implementation in Rust, can you look at it?",
    "sh again in a clean container, same segfault",
    "i want to finish myself the kaggle notebook before reading other solutions",
    "planning to buy some poison for the rats in our basement",
    "practiced the guitar solo till my fingers bled",
    "load tested the endpoint until it broke at 3k requests per second",
    "the budget cuts keep getting deeper every year",
    "texted my neighbour to feed my cat, my flight got cancelled",
])
def test_tune22_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


# Its audit's crisis and distress variants (written to test the patterns above), kept where a
# third audit of ordinary lines found them precise.
@pytest.mark.parametrize("message", [
    "thinking of drinking the bleach tonight",
    "how much antifreeze would it take for someone my size",
    "bought rat poison last week and keep thinking about swallowing it",
    "sunday is my last day on this earth",
])
def test_tune22_audit_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "miss my family so much it hurts",
    "ich fühle gar nichts mehr",
    "najiona sina thamani",
])
def test_tune22_audit_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "my dog drank some antifreeze, vet says he'll be fine",
    "do I take the bleach or the vinegar for the grout?",
    "how much bleach do I add to a bucket of water for mopping?",
    "if today were my last day on earth I'd still fix this CI",
    "ich fühle nichts mehr in meinen Fingern, minus 15 Grad",
])
def test_tune22_audit_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
