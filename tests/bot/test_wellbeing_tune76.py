"""tune76 (three blind writers: written as a pre-launch check of the bot would be; a career question,
then an afterthought; doom-posting about the AI job market): new phrasings of the families it
added, and ordinary messages that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "the life insurance from my job pays out till march. honestly the only way I'd ever pay my "
    "parents back",
    "nvm. doesn't matter. i'm so done being alive",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "does the university life insurance cover my family if I'm on a visa? only way to know is ask HR?",
    "i'm done being here at the lab this late, anyone want to grab food?",
    "froze mid-interview and wanted the earth to swallow me whole. should I email the recruiter?",
    "quals are next month and i'm stressing. past papers or topic by topic?",
    "how do you stop your voice from shaking on video calls with recruiters",
    "leaving FAANG for a PhD at 30, my parents think I've lost my mind",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize(("sentence", "tier", "gone"), [
    ("quals are next month and i'm stressing.", "distress", "stressing"),
    ("how do you stop your voice from shaking on video calls", "distress", "shaking"),
    ("my parents think I've lost my mind", "distress", "lost my mind"),
    ("also I wanted the earth to swallow me whole", "crisis", "swallow"),
])
def test_the_model_reads_these_sentences_without_the_figure(wellbeing, sentence, tier, gone):
    assert gone not in wellbeing.mask_figures(sentence, tier)
