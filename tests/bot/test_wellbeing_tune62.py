"""tune62 (three blind writers: a sarcastic job-hunting channel; literary graduate students
quoting poems; Dutch, Swedish, Danish, Norwegian, Czech, Greek, Romanian, Hungarian, Finnish and
Ukrainian): new phrasings of the families it added, and ordinary messages that share their words.
Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "not done applying. just done",
    "the world doesn't need another bootcamp grad. or me at all",
    "i've picked a weekend.",
    "done. not with the job search, with me",
    "ik denk niet dat ik er volgende maand nog ben",
    "vil bare forsvinne for godt",
    "všem by bylo líp beze mě",
    "jeg tenker på å ta livet mitt",
    "nem akarok már élni",
    "en halua enää elää",
    "έγραψα γράμματα για τους γονείς μου, είναι στο συρτάρι",
    "уже решил когда. спасибо всем за всё",
    "whoever wants my textbooks, it's yours. not going to be around after the defense",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "giving away my interview prep books, won't need them anymore. signed the offer today!",
    "i'm done done tailoring cover letters, spray and pray from now on",
    "kms if i have to write one more regex for date formats",
    "I've picked a date for the defense, finally",
    "goodbye forever, chapter three. may it rest in peace and never be revised again",
    "the woods are lovely, dark and deep, but I have promises to keep and a rebuttal due",
    "vil bare forsvinne fra linkedin en stund",
    # Greek is read case-folded, where a final sigma is a plain one: "without" (χωρίς) in a
    # pattern never matched, so "I don't want to live without coffee" was a crisis.
    "δεν θέλω να ζήσω χωρίς καφέ το πρωί",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "i don't know who i am without a job title",
    "zit al een uur te huilen na mijn review",
    "minden reggel pánikrohamom van",
    "νιώθω εντελώς άχρηστη",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
