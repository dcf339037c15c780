"""tune81 (three blind writers: members back after months of silence or posting for the first
time; members in institutional or legal trouble; members studying ML beside night shifts and gig
jobs): new phrasings of the crisis and ordinary families it added. Patterns, and what the
sentence model is given to read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "the cuts on my forearm aren't accidents, haven't been for a while",
    "half the marks on my legs are not accidents, i just say the cat did it",
])
def test_harm_said_not_to_be_accidents_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "overdosed on way too much cold brew before the midterm lol",
    "won't need it anymore, upgraded to a 5090 last week. free 3060 to whoever picks it up",
    "can't go on with these spreadsheets by hand, what do people automate with?",
    "I can't go on doing the labelling by hand, any tools worth paying for?",
    "i'm done done. one more segfault and my laptop goes out the window",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_laptop_named_before_a_break_does_not_explain_hopelessness(wellbeing):
    message = "first the car, now the laptop. just hopeless about everything today"
    assert wellbeing.check(message) == "distress"
    assert wellbeing.check("the laptop is just hopeless, 40 minutes to build") is None


def test_around_less_often_is_not_gone_for_good(wellbeing):
    assert wellbeing.words("won't be around much anymore, started a new job in Munich").reason
    # ... but "much longer" still voids the reason.
    assert not wellbeing.words(
        "new job starts monday but i won't be around much longer").reason


@pytest.mark.parametrize(("sentence", "figure"), [
    ("would literally die for a 5090 rn", "die"),
    ("we'll cross that bridge when the visa interview is scheduled", "bridge"),
    ("practically had a heart attack when the reviewer email came", "heart attack"),
    ("ended things with my PI last spring and i'm happier now", "ended things"),
])
def test_the_model_reads_the_sentence_without_the_figure(wellbeing, sentence, figure):
    assert figure not in wellbeing.mask_figures(sentence)
