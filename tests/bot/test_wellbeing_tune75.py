"""tune75 (three blind writers: members who ask the bot to draft something for them; live messages
saying where the member is; experienced members giving advice, their own state slipping out): new
phrasings of the families it added, and ordinary messages that share their words. Patterns only
(no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "write my resignation email. resigning from everything really, but the job is what goes on paper",
    "could you write a eulogy about me? make it kinder than I'd be",
    "help me word a normal-sounding text to my dad, don't want him suspecting anything before friday",
    "i think i've made peace with checking out",
    # two finality cues, or one and an arrangement beside it
    "put my passwords in a doc. she'll need to take over everything after this weekend",
    "posting this because I won't get another chance. I've already worked out when",
    "gave notice on the apartment and cancelled my neurips registration. tying up loose ends",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "can you write a eulogy for me? my grandpa passed last week and I'm speaking friday",
    "don't want my manager to know anything before the offer is signed, how do I handle references?",
    "made peace with leaving academia, any tips for industry interviews?",
    "giving away my old 1080 Tis since I finally upgraded, don't need them anymore. free to a student",
    "my colleague will take over everything after this week while I'm on parental leave",
    "I've already worked out when to submit: the week after ICML",
    "cancelled my icml registration, the visa didn't come through in time",
    "12h days rn, stressful but manageable. does the Meta RS loop still have a leetcode round?",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
