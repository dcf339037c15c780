"""tune59 (three blind writers, asked for more figures of speech: long reflective forum posts with
academic idioms, terse researchers in a lab Slack with ML jargon, members writing Arabic, Turkish,
Polish, Russian, Vietnamese, Indonesian or Tagalog, or simple English): new phrasings of the
families it added, and ordinary messages that share their words. Patterns only (no sentence
model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "gradient clipping for everyone else, early stopping for me. not the model. me",
    "honestly dont know why im still here",
    "sigkill on myself sounds tempting tonight",
    "been counting my sleeping pills, there are enough",
    "ustala ot zhizni, nikto ne zametit",
    "biến mất vĩnh viễn thì gia đình đỡ khổ",
    "aku udah nyimpen obat dari bulan lalu",
    "nag-search ako kung ilang gamot ang kailangan",
    "أهلي رح يرتاحوا لو ما كنت موجودة",
    "не хочется больше просыпаться",
    "oddaję wszystkie moje notatki, mi już nie będą potrzebne",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "five rejections, the last one is still pending. should i email the committee?",
    "any tips how to not freeze when they ask you to derive backprop on a whiteboard?",
    "idk why im still here at the lab at 2am lol",
    "early stopping kicked in at epoch 3, not the run i wanted",
    "had to count the pills for the pharmacy, how many should be left in a 30-day pack?",
    "przeprowadzam się do Berlina, oddaję moje meble, mi już nie będą potrzebne",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_everything_pointless_after_a_layoff_in_russian_is_distress(wellbeing):
    assert wellbeing.check("после увольнения всё кажется бессмысленным") == "distress"
