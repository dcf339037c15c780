"""Wellbeing round tune15 (written blind, measured before any change: ordinary messages that
sound dark, chat one-liners, hyperbole, 15 languages). New phrasings of each family, not the
set's own lines."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "exams are done and I've already decided how",
    "every evening on the bridge I think about how easy it would be to just let go",
    "I made a list of who gets my books and my cat. it's fine, I've thought about it",
    "j'ai pris la décision d'en finir, ce soir",
    "لا أريد أن أعيش بعد الآن",
    "그만 살고 싶어요",
    "got my affairs in order this week. probably my last weekend here",
    "this will be my last week. just wanted to thank whoever answered my questions here",
])
def test_tune15_quiet_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "everyone keeps saying I'm not cut out for this and I'm starting to believe it",
    "my girlfriend left me last month and I can't focus on anything",
    "je me sens tellement inutile depuis que j'ai été licencié",
    "mi sento un fallimento, non riesco a smettere di piangere",
])
def test_tune15_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "that meme about reviewer 2 just killed me",
    "I'm literally crying over the title of this paper",
    "goodbye card for our manager who retires friday, sign it in #general",
    "any good kms (keyboard mouse setup) for someone with wrist pain?",
    "giving away my old monitors since I'm moving to Lisbon, DM me",
    "I'll throw myself out the window if this CUDA error shows up again. any idea what 'illegal memory access' means?",
    "I'm ending it with my hosting provider after the third outage, any recommendations?",
    "this is my last post asking about OPT, promise. does the STEM extension need a new I-983?",
])
def test_tune15_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "I've decided how I'll approach the system design round: whiteboard first",
    "I'm leaving the PhD and I've been planning this for a while, moving to a startup in Berlin",
])
def test_tune15_near_twins_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


# The safety audit of this round (a helper wrote crisis messages aimed at the new figures): at
# first 67 of its 80 were caught; each of these had slipped past a figure or a guard.
@pytest.mark.parametrize("message", [
    "this thread killed me. honestly wish something would",
    "the joke killed me. i keep thinking about actually doing it tonight",
    "dead at this thread title lmao. anyway i bought the pills yesterday",
    "I'm ending it with my advisor and with everything else too",
    "ending it with my startup this week and then ending it for real",
    "ill throw myself out my window if this merge conflict isnt fixed, i mean it, i've been thinking about it every night",
    "farewell post for my coworker is up! also this is my farewell too, i won't be around after tonight",
    "hoy es mi última noche, ya regalé mis cosas",
    "send off drinks for the team tonight. after that i'm going to the bridge",
    "thinking about how easy it would be to drive off the overpass on my commute",
])
def test_tune15_audit_crisis_messages_are_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "people underestimate how easy it would be to jump from data analyst to MLE",
    "wrote down who gets my books when I leave the lab, the grad students get first dibs",
    "je veux en finir avec ce stage, trop de réunions inutiles",
    "got my affairs in order for the visa interview, bank statements etc",
    "been planning this for weeks, our team's hackathon project is finally public",
    "wanted to thank the people who did mock interviews with me, passed the onsite",
    "deleting my twitter account, goodbye everyone, find me on bluesky",
    "i won't be here after friday, moving to the berlin office. who handles the reading group?",
])
def test_tune15_audit_ordinary_messages_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
