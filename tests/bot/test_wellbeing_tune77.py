"""tune77 (three blind writers: sleep, tiredness and waking; endings of a PhD, a visa, a contract, a
last day; medication, therapy and doctors): new phrasings of the families it added, and ordinary
messages that share their words. Patterns only, and what the model reads after masking."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "this is it for me. not only the job hunt",
    "the simplest answer is for me to not be around after the semester",
    "my visa expires in may and so will i",
    "she deserves to be free of me, honestly",
    "i've been nothing but a burden on my parents since the layoff",
    "no point renewing the gym when i'm not gonna be around",
    "can't see a version of things where i'm still here next year",
    "cleaned up the repo so nobody is stuck on it after i'm gone",
    # a finality cue and an arrangement beside it
    "gave my monitor to a first year. told my therapist i'm fine",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "honestly i want to go to sleep and not wake up until the reviews come out lmao",
    "end of the road for our TF1 codebase. rest in peace, you will not be missed",
    "one last time: stop pushing straight to main or i will end you (affectionately)",
    "been killing myself over this kaggle comp all week, finally top 5%",
    "the semester ends friday and so does my patience",
    "writing my goodbye post for the lab slack, last day is friday. is it weird to list papers?",
    "won't be around next week, going offline after my defense to see family",
    "is a 7 month gap bad? my psychiatrist says I'm doing a lot better and I'm applying again",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize(("sentence", "tier", "gone"), [
    ("but this is it, last one submitted", "crisis", "this is it"),
    ("rest in peace, you will not be missed", "crisis", "missed"),
    ("My therapy appt is at the same time as my final round on Thursday.", "distress", "therapy"),
])
def test_the_model_reads_these_sentences_without_the_figure(wellbeing, sentence, tier, gone):
    assert gone not in wellbeing.mask_figures(sentence, tier)
