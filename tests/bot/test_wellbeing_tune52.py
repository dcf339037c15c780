"""Crisis from tune52 (three blind writers: members answering the bot's own wellbeing reply or a
moderator; irony and meme formats with a real crisis behind them; self-harm and risky behaviour
with the vocabulary of recovery): new phrasings of each family it added, and the ordinary
messages that share their words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "stop with the links. i won't be around by the time they get back to me anyway",
    "deleted my linkedin and github, scheduled a message for sunday. just wanted someone to know",
    "went up to the roof again to see if i'd jump",
    "gonna become a ghost, the real kind this time",
    "POV: standing on the edge of the parking garage at 3am, not a bit",
    "i'm doing it tonight, thanks for everything guys",
    "if i fade out slowly no one has to deal with me",
    "my heart keeps skipping and part of me hopes it just stops",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "not in danger, just sad and raw after another rejection",
    "every night i sit in my car after work and can't bring myself to go inside",
    "i feel like a fraud every single day at this internship",
])
def test_distress_gets_at_least_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "'i want to end it all' was about my job tracker spreadsheet, any templates?",
    "my model's loss just committed suicide at step 40k, straight to nan",
    "'i want to die' - me after my 9th rebase today",
    "i pick at my cuticles during take-homes, any fidget tools?",
    "standing on the roof at 2am bc it's the only spot with signal for the london call",
    "gonna become a ghost and ghost every recruiter who wants a 6 hour take-home",
    "i won't be around by the time the committee decides, moving to zurich for the new job",
    "won't be around by the time the grant committee decides, two weeks off-grid hiking",
    "standing on the edge of a career cliff: research or data engineering?",
    "slowly fading out of the old crowd so nobody has to deal with me saying no all night",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
