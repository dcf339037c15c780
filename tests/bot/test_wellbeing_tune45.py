"""Crisis from tune45 (three blind writers: dictated and phone-typed messages; computing metaphors
for oneself; the Englishes of South and Southeast Asia and West and East Africa): new phrasings of
each family it added, and the ordinary messages that share their words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "if i dont pass the defense next week i wont be around to see what they decide",
    "my room is on the 14th floor, 14 floors and it would be over fast",
    "every night i think im just going to step in front of a bus on the way back from the lab",
    "quick q what happens to a students body if they die here on a visa, do they ship it home",
    "deleting myself for good. not the repo. me.",
    "i just dont want my flatmate to be the one who finds me",
    "if i wake up in the hospital after tonight then it didnt work",
    "this is my end of life notice. please don't try to revive me",
    "hostel ceiling fan looks strong enough. sorry to everyone",
    "the insurance would pay out more than i will ever earn at this rate",
    # the blind audit's kinds, in other words
    "there is no version of me that's still here after the viva",
    "doing the math on the drop from the overpass every night now",
    "the fan in my pg room would hold me i think",
    "terminating for good tonight. not the job. the process is me",
    "if something happens to me here who handles sending me back home to lagos",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "last message here. thanks for everything. tell the placement cell i'm done",
    "mummy papa sorry. i tried so hard. thank you for everything",
    "stepping away from all of it. please don't try to find me",
    "going dark for good. i'm not coming back",
])
def test_two_goodbye_cues_together_are_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "so tired of hoping that the next application will be the one",
    "i dont know how much longer i can keep pretending im fine at standup",
    "woke up with a heavy weight on my chest again, third week in a row",
])
def test_distress_gets_at_least_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "if i dont pass the exam i wont be around next semester because they move me to part time",
    "the office is 30 floors up and the lift makes it quick, takes a minute",
    "i'm going to walk into traffic court tomorrow to fight a parking ticket, any tips?",
    "let's end it all and rewrite the tokenizer in rust",
    "i'm going to end things with my co-advisor this week, switching labs",
    "i want to shoot myself looking at my old notebooks, how do people keep code clean?",
    "so done with this interview process, should I ask the recruiter for feedback?",
    "shutting down for the holidays, back on the 3rd",
    "the legacy codebase is hopeless spaghetti, where do I start refactoring?",
    "switching to my work account, this is the last message from this one. will still be around",
    "don't want my roommate to find out I got laid off before I find something new",
    "the fan is strong enough to cool a 4090 rig?",
    "please remove my name from the mailing list",
    "mummy papa sorry i missed your call, was in interviews all day",
    "so tired of hoping the CI goes green on retry",
    "nothing will change for me until the visa arrives, so leetcode it is",
    "killing myself over this CUDA OOM error lol",
    "going offline for a week for the deadline, ping me after",
    "if i wake up in the hospital after the knee surgery, remind me the deadline is the 20th",
])
def test_ordinary_messages_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
