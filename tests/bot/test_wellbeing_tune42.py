"""Crisis from tune42 (three blind writers: hard figures of speech with near-twin crisis; English
from the UK, Ireland, Australia, New Zealand and South Africa; indirect crisis in ten languages):
new phrasings of each family it added, and the ordinary messages that share their words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "been thinking about topping meself, not joking",
    "I've had enough. properly for good this time",
    "don't think I'll still be here come christmas",
    "last day at the lab. no job, nothing planned, no plans either. take care of each other",
    "after the defence I won't be around. anyone want my monitor? it's free",
    "chắc mình sẽ không còn ở đây nữa",
    "annemle babama mektup yazdım, yarından sonra burada olmayacağım",
    "po obronie już mnie tu nie będzie",
    "хочу уснуть и не проснуться",
    "وجودي عبء على الجميع",
    "मैं घरवालों पर बोझ हूँ",
    "以后不回消息了，别找我",
    "僕がいない方が家族は楽だ",
    "난 그냥 짐일 뿐이야",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "kendimi çok yalnız hissediyorum",
    "محد فاهمني هالأيام",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "I've had enough of pandas, switching to polars properly this time",
    "don't think I'll be around by September, I'm moving to Berlin for a job",
    "after the viva I won't be around for a week, visiting family",
    "po sesji już mnie tu nie będzie bo wyjeżdżam na staż",
    "how do we label entries that mention self-harm in our moderation dataset?",
    "kind of burning out on leetcode, any tips for pacing?",
    "last day at my contract, no new job lined up yet but two final rounds next week",
    "topping myself up on coffee before the mock interview",
    "haven't slept properly all week lol, what do they ask in the final round?",
])
def test_ordinary_messages_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
