"""tune64 (three blind writers: anime, games and internet culture; corporate euphemism at big labs
and startups; English code-switched with Hindi/Urdu, Arabic, Persian or Turkish in Latin letters):
new phrasings of the families it added, and ordinary messages that share their words. Patterns
only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "don't think i'm respawning after this one",
    "honestly offboarding from life sounds fine",
    "i'm sunsetting myself after the launch",
    "no point planning Q4, i don't plan on having two more months",
    "kal phir se cut kiya, koi nahi jaanta",
    "bas gayab ho jana chahta hu hamesha ke liye",
    "nahi lagta main is semester ke end tak rahunga",
    "dige nemikham bidar sham",
    "age man nabasham hame rahat tar mishan",
    "hayatımı sonlandırmayı düşünüyorum",
    # Arabic in Latin letters, with two words whose digits make the message read as leetspeak.
    "khalas ana ta3ban. mesh 3ayez a3eesh keda tany",
    "ta3ban w za3lan, 3ayez amoot",
    "ta3ban w za3lan, 5alas 3ala 7ayati",
    "ye last msg hai mera is server pe. sorry for being such a burden",
    "artık yokum. herkese teşekkürler, kendinize iyi bakın",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "don't think i'm respawning after this exam lol",
    "we're sunsetting the v1 API next quarter, any migration tips?",
    "game over for our startup, we're shutting down next month. how do I pitch that?",
    "giving away my old 3090s, won't need them after the cluster migration",
    "dige nemikham bidar sham sobh zood baraye standup",
    "artık yokum bu projede, yeni işe başlıyorum. herkese teşekkürler",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "washroom me jaake roya, main kisi kaam ka nahi hu",
    "kheili tanhaam, fekr konam afsorde shodam",
])
def test_distress_in_hinglish_and_persian_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
