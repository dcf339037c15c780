"""tune80 (three blind writers asked for hard figures of speech: cooking, crafts and workshops;
commuting and travel; teachers, TAs and lecturers): new phrasings of the crisis and ordinary
families it added. Patterns only."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "i don't feel safe around my knives tonight",
    "kept thinking about putting my hand into the blade while it was spinning",
    "honestly it's easier to cut than to talk to anyone about it",
    "checked the rail schedule tonight and not to take one home",
    "does the student life insurance pay out if it was self inflicted? asking for me",
    # two finality cues
    "bought a single ticket north, not planning on needing the return. tell my lab they were great",
    # a finality cue and an arrangement beside it
    "i won't be around for the spring semester. wrote the handover doc for the course already",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "cut myself with the bread knife again, typing slowly today",
    "burned myself on the soldering iron fixing the fan header",
    "dead week means office hours all day, come by room 204",
    "the val loss drove off a cliff after I doubled the batch size",
    "this off-by-one bug, i want to die (affectionately)",
    "if one more student asks whether this is on the exam i'm going to walk into the sea",
    "goodbye cruel world, goodbye sweet cluster credits",
    "can't go on like this, my bike chain snaps every week. any shop recs?",
    "can't go on like this with the LMS timing out on every upload",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_leaving_after_years_written_short_is_a_reason(wellbeing):
    assert wellbeing.words("last day in the lab, leaving after 6 yrs. bye all").reason
