"""Crisis from tune41 (three blind writers: chat as Discord and Slack deliver it; adults in mid-life
with illness, caregiving, debts or a weapon at home; very short messages): new phrasings of each
family it added, and the ordinary messages that share their words staying ordinary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "honestly i'm done with everything. not only the thesis",
    "skipped dialysis twice this week on purpose, nobody knows",
    "stopped taking my insulin, just letting nature decide now",
    "my wife would be better off with the insurance money than with me",
    "the rifle is in the closet and i know exactly what i'm going to do with it",
    "the life insurance is sorted and the 30th is the date. that's the date",
    "sat on the ledge of the overpass for an hour, only came home because my son texted",
    "tonight is the night",
    "i've written the goodbye letters",
    "gave my dog to my neighbour. i'm done",
    "i won't wake up tomorrow, i've made sure of it",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "feeling so alone right now",
    "been numb for months and I don't know why",
    "cok yalnizim bu aralar",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "my school counselor says the course has to be on the approved list",
    "my medication schedule makes mornings hard, any study tips?",
    "relapsed back into jupyter notebooks for the whole project lol",
    "bye all, logging off for the weekend",
    "see you after my vacation, bye everyone!",
    "thanks for all the help so far everyone, I'll be back with results",
    "tonight is the night the leaderboard closes, who's still submitting?",
    "the alarm is broken so I won't wake up tomorrow at 6 unless someone calls",
])
def test_ordinary_messages_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_comment_inside_a_code_block_is_read(wellbeing):
    pasted = "```python\n# after this epoch i'm done with everything, not only the thesis\nmodel.fit()\n```"
    assert wellbeing.check(pasted) == "crisis"


def test_code_in_a_code_block_is_still_not_read(wellbeing):
    assert wellbeing.check("```bash\nkill -9 $(pgrep -f train.py)\n# then kill the zombie workers\n```") is None
