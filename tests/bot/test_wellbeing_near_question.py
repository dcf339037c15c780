"""A lean towards crisis alone in a message that ends by asking a question: the practical question
it asks, not the support reply. Distress, a goodbye, or a crisis the patterns see still count."""

from __future__ import annotations

import copy

import pytest

from bot.semantic import Reading


class _LeansTowardsCrisis:
    """A sentence model stand-in: every message leans towards crisis, and may read as distress."""

    def __init__(self, distress: bool = False):
        self.distress = distress

    def read(self, text, mask=None):
        return Reading(near_crisis=True, distress=self.distress)


@pytest.fixture
def leaning(wellbeing):
    checked = copy.copy(wellbeing)
    checked.semantic = _LeansTowardsCrisis()
    return checked


def test_a_lean_alone_before_a_closing_question_is_the_question(leaning):
    assert leaning.check("the startup is officially dead, we wind down end of month. "
                         "anyone have referrals for MLE roles in NYC?") is None


def test_a_lean_alone_without_a_closing_question_still_gets_the_support_reply(leaning):
    assert leaning.check("the startup is officially dead, we wind down end of month.") == "distress"
    assert leaning.check("anyone have referrals? the startup is dead and I am wrecked honestly") == \
        "distress"


def test_distress_beside_the_lean_still_gets_the_support_reply(wellbeing):
    checked = copy.copy(wellbeing)
    checked.semantic = _LeansTowardsCrisis(distress=True)
    assert checked.check("we wind down end of month. anyone have referrals?") == "distress"
    # Distress the patterns see, likewise.
    checked.semantic = _LeansTowardsCrisis()
    assert checked.check("I've been crying every night since the layoff. any referrals?") == "distress"


@pytest.mark.parametrize("message", [
    "back after a week in hospital. tried to end it last sunday. did the deadline get pushed?",
    "my roommate's search history is all overdoses. should I call someone?",
])
def test_crisis_in_passing_before_a_question_is_for_the_patterns(leaning, message):
    assert leaning.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "I tried to end it on time but the PM kept adding topics",
    "tried to end it with the cofounder amicably, any advice on the cap table?",
    "tried to end it early but the slurm job kept running, why?",
])
def test_ending_a_meeting_or_a_job_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
