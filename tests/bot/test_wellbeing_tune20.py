"""Wellbeing round tune20 (written blind, measured before any change: crisis hidden in practical
questions and long posts, 16 languages; crisis recall 56/70 and distress 38/45 at first, 4 crisis
or distress messages answered with an entry alone, 3 of 60 figures flagged). New phrasings of
each family, not the set's own lines. The `wellbeing` fixture is the patterns alone, so each of
these holds whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # having decided, a car and a divider, a plan one would tell counselling about
    "for those of us who have decided to die, is there a way to hand over a github org?",
    "I keep thinking about swerving into oncoming traffic on my commute",
    "if I tell the counselor I have a plan, do they have to call someone?",
    # starving on purpose, pills looked up, a goodbye if one is gone
    "haven't eaten in three days on purpose, I don't deserve it",
    "i don't deserve to eat after that interview",
    "googled how many sleeping pills it takes, I have more than that",
    "if i'm not here tomorrow, tell my sister I love her",
    # self-harm and pills in other languages
    "hab mich schon wieder geritzt nach der Absage",
    "voltei a me cortar depois da reprovação",
    "купила таблетки, много. до пятницы не доживу",
    # two quiet cues together: a death, and everything set in order
    "if I die, I want to leave everything in order for my mom",
    "se eu morrer quero deixar tudo organizado",
])
def test_tune20_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "lloré toda la noche por el rechazo de la beca",
    "ho pianto in bagno dopo il colloquio",
    "I'm still crushed by the NeurIPS rejection",
    "I feel like I ruined my whole life by leaving my job",
    "my advisor passed away in march and I can't focus on anything",
    "haven't had a single real conversation since I moved here",
    "会社に行くのが怖いです",
])
def test_tune20_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "the workers restart automatically when they die, check the supervisor logs",
    "steering the agent into the wall in the carla sim again lol",
    "tell them you have a plan for the migration and they'll relax",
    "ich hab mir beim Gemüse schneiden in den Finger geschnitten",
    "queimei o braço no forno ontem, alguém sabe de pomada?",
    "lloré de risa con ese meme de transformers",
    "we crushed it at the hackathon!!",
    "drafting my note to the committee about the extension",
    "reading Joiner for my NLP thesis on risk language, any follow-up work?",
    "is there an API with a list of suicide hotline numbers by country for our bot?",
    "我们在做自杀风险识别的数据集，标注规范有参考吗",
    # its audit: ordinary chat the first patterns flagged
    "what happens to my stock options if I die before the cliff?",
    "trying to get it all set up on my mac before the course starts",
    "the wifi password is in the note for my roommate lol",
    "i decided to end things with my cofounder, how do we split the repo?",
    "which meds would help with jet lag before ICML?",
    "my ppo agent keeps veering into oncoming traffic, reward shaping tips?",
    "just tell them you have a plan b",
    "llorando de la risa con este meme",
    "screwed up my life insurance paperwork again",
    "my mom died laughing at my demo",
])
def test_tune20_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
