"""Crisis from tune54 (three blind writers: members writing in a second language or their own,
long-winded forum posters, very online students): new phrasings of each family it added, and the
ordinary messages that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "je n'ai vraiment plus envie d'être ici",
    "ça irait mieux pour tout le monde, j'ai plus envie d'exister",
    "het zou beter zijn als ik er niet meer was, ik ben een last voor mijn ouders",
    "ya lo he planeado, cómo y cuándo lo voy a hacer",
    "i dont plan on still being around by christmas",
    "what's the point of renewing my visa if i won't be alive by then",
    "whats the point in studying for quals when im not gonna be here",
    "i'm done. not the thesis kind of done",
    "relapsed and sh'd last night, first time in a year",
    "been sh every night this week",
    "letters are written. tonight it will finally be quiet",
    "been saying my goodbyes one by one so nobody notices",
    "anyway. you all were a wonderful community, thank you",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "Meu chefe vai me matar se o deploy falhar de novo kkkk",
    "giving away my old monitor since I've moved to a laptop-only setup, DM me",
    "gave away my lecture notes to the first-years, I move to Munich next month",
    "won't need my old GPU anymore since I switched to the cluster, anyone want it?",
    "I won't need these books after my defense, free to a good home",
    "I won't be around much longer in this company, my contract ends in June. Tips for the search?",
    "not going to be here after Friday, my internship ends, who takes over the repo?",
    "I won't be here next week, at ICML, ping me after",
    "won't be around to maintain the package since I'm graduating, who wants to take it over?",
    "the team would honestly be better off without me as tech lead, how do I step back?",
    "my lab would be better off if I left for industry, is that selfish?",
    "what's the cleanest way to go quiet on LinkedIn while I interview?",
    "how do I run the deploy sh script again after it fails?",
    "tomorrow will be quiet, everyone is at the offsite",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_burden_on_the_team_when_asking_for_help_is_distress_not_a_crisis(wellbeing):
    message = "I feel like a burden on my team when I ask for help, how do juniors ask for help?"
    assert wellbeing.check(message) == "distress"


def test_burnt_out_and_feeling_nothing_in_italian_is_distress(wellbeing):
    assert wellbeing.check("mi sento completamente esaurita, non provo più niente") == "distress"
