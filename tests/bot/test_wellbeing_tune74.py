"""tune74 (three blind writers: the grim idioms of academia; members talking to the bot in the middle
of using it; people moving into ML from other trades): new phrasings of the families it added,
and ordinary messages that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "publish or perish, and honestly i'm leaning towards perish",
    "why am i still here. not in academia. here here",
    "left a note for my roommate, the kind you leave",
    "no point in a 5 year plan, not planning on being around that long",
    "nothing helps. im done",
    "skip the 10 year question, i won't be around to see it",
    "some nights i think how easy it would be to just swerve",
    # two finality cues, or one and an arrangement beside it
    "won't be around for the harvest this year. sorted the accounts so my husband won't have to deal with anything",
    "clocking out for good. thanks for all the help everyone",
    "tell the study group goodbye from me. you guys were good to me",
    "gave my books and the old monitor to my labmate. won't be needing them",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "publish or perish is a terrible incentive, how do labs avoid it?",
    "is there a 5 year plan template? not planning on being at this company that long",
    "nothing helps with the OOM, im done for tonight lol",
    "how easy would it be to just switch from TF to JAX mid-project?",
    "clocking out for good from the restaurant friday!! data analyst job starts monday, thanks for all the help in here",
    "won't be around for the holidays, flying home to see family. any reading list for the break?",
    "thanks for the resume help everybody, got the interview!",
    "still here at the lab at 11pm, anyone else? here here for the free pizza",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
