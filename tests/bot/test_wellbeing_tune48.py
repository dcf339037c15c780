"""Crisis from tune48 (three blind writers: chronic illness, pain and disability; neurodivergent
members writing flatly, and LGBTQ+ members rejected at home; harassment and exploitation at
work): new phrasings of each family it added, and the ordinary messages that share their words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "i just want the fatigue to stop for good",
    "honestly i need all this pain to end once and for all",
    "i keep a count of how many more days i'm going to keep going. it's small",
    "dad says he'd rather have a dead daughter than a lesbian one. fine, i'll give him what he wants",
    "gave my keyboard and my chair to a friend. said i was moving. i'm not actually moving",
    "how do i hand my repos to someone after i'm gone. not leaving for a job, just gone",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "the endo flare is back and it hurts so much, nobody in the lab gets it",
    "since coming out to my parents i just feel really really bad all the time",
    "completely devastated, my advisor gave my project to someone else",
])
def test_distress_gets_at_least_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "i feel really bad about pinging you on a sunday, sorry",
    "gave my monitor and my desk to my labmate since my new remote job sends a full setup",
    "gave my bike and my plants to a friend because i'm moving to munich for the postdoc",
    "I set a date for my defense, and the job search starts full time after that",
    "transfer my repos after I'm gone? I'm leaving for an industry job next month",
    "killing all the zombie processes i left on the cluster before the deadline",
    "my PI is abusive and i want to switch advisors, does that affect my F-1 status?",
    "I'm done, handing in my resignation tomorrow. what do I say in the exit interview?",
    "devastated that the team lost the final lol, anyway any tips for the onsite?",
    "picked a date: handing in my notice on monday, got a better offer",
    "switching labs because my PI bullies me, will it change my visa status?",
    "building suicide/self-harm content moderation test sets, how do annotators cope?",
])
def test_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
