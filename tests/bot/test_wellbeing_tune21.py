"""Wellbeing round tune21 (written blind, measured before any change: chat-style fragments and
replies, slang, goodbyes and methods, 13 languages; crisis recall 53/70 at first, 2 crisis or
distress messages answered with an entry alone, 9 of 60 figures flagged). New phrasings of each
family, not the set's own lines. The `wellbeing` fixture is the patterns alone, so each of these
holds whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # a height, "up here now", how easy it would be
    "been sitting on the ledge of the rooftop for an hour",
    "on the bridge again, just thinking how easy it would be to let go",
    "been standing at the edge of the roof since the call. i'm up there right now",
    "kept telling myself it would get better. tonight i'm going up to the bridge",
    # self-harm again, hidden; a gun lying out
    "cut again tonight, first time since spring",
    "the burns on my arm are why i keep my hoodie on, nobody knows",
    "my pistol is loaded on my nightstand, been staring at it all night",
    # two quiet cues together
    "already wrote my letters. doing it when my flatmate is out of town",
    "done with everything, for good. one way or another it ends tonight",
    "gave my monitor to my officemate, it all feels strangely peaceful now",
    "i've decided. sunday is the day. it's fine",
    "ce soir c'est la fin. j'ai écrit une lettre pour mon père",
    # pills hoarded, a platform, "I won't be here" (Chinese, Japanese, Russian)
    "安眠药已经攒够了",
    "もう線路に飛び込むしかない",
    "я всё решила, скоро меня не будет",
])
def test_tune21_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "ich fühle mich seit Monaten nur noch leer",
    "jeden Abend Herzrasen vor dem nächsten Arbeitstag",
    # one quiet cue alone gets the support reply
    "done with all of it, for good",
])
def test_tune21_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "this batch size is kinda suicidal for a 16GB card lol",
    "time to unalive this notebook and restart from scratch",
    "my will to live left the building around slide 40",
    "i want to disappear every time my demo crashes in front of the client",
    "giving away my old monitors, first come first served, pick up at the lab",
    "we're going up to the roof tonight for the meteor shower, join us",
    "finished my notes for the lecture, anyone want a copy?",
    "tomorrow is the day, defense at 10am, wish me luck",
    # from the audit's ordinary lines
    "sat on the ledge of the parking garage eating tacos after the hackathon",
    "sitting on my balcony with coffee, reading papers",
    "standing on the bridge taking photos of the river",
    "I'm surprisingly calm about it, the layoffs were announced weeks ago",
    "when my roommate is away I get twice as much done, is that normal",
    "one way or another this ends friday: either the vendor signs or we switch stacks",
    "J'ai écrit une lettre pour ma mère pour ses 60 ans, c'est trop long ?",
    "鸽子飞进了药店，大家都笑了",
    "この変数、生きてる意味がない。削除してもテスト全部通る",
    "Kein Herzrasen mehr, seit ich auf entkoffeinierten Kaffee umgestiegen bin",
    "feeling calm about it now that the offer is signed",
    "jumping off the project next sprint, handing it over to the infra team",
    "stood on the edge of the cliff for a photo, worth the hike",
    "cut again the dataset to 10k rows, still too slow",
    "my rifle is in the safe, hunting season opens friday",
    "hopping on the hype train, is it too late to learn LLMs?",
    "not waking up before noon tomorrow, the deadline is done",
])
def test_tune21_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
