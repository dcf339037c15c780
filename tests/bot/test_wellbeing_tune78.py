"""tune78 (three blind writers asked for hard figures of speech: the holiday season and the year's
end; relationships ending; money and losses): new phrasings of the families it added, crisis
messages those families must leave alone, and giving one's things away as a goodbye that a reason
said beside it explains."""

from __future__ import annotations

import copy

import pytest

from bot.semantic import Reading


@pytest.mark.parametrize("message", [
    "the semester from hell ends friday and so will i",
    "goodbye 2025. i won't be around to see the next one",
    "my last post as a member of anything. goodbye everyone",
    "gave away all my stuff this week. nobody needs to know why",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "i'm dying to go home, two more days of grading",
    "my parents are going to murder me when they see the flight price",
    "she's going to kill me, i broke the shared eval script again",
    "reviewer 3 tried to kill me with that 'lacks novelty' but we got in",
    "goodbye 2025, you will not be missed",
    "bye until january, i'm off the pager",
    "the quarter from hell is over and we shipped",
    "i give up on formatting this bibtex, it can stay ugly",
    "four years of my life, gone. that repo is archived now and i'm starting fresh",
    "if this sweep fails i'm living under a bridge lol",
    "btc is about to fall off a cliff again, set your stops",
    "my last day as an intern is friday, thanks all for the help",
    "this is goodbye from the whole team: we ran out of runway, the product shuts down on the 30th",
    "I can't go on like this with these memory leaks, the 4090 fills up every epoch",
    "just overdosed on cookies at the holiday party",
    "year in review: 2 papers, 1 offer, 0 breakdowns",
    "goodbye cruel world, hello big tech. this is my final post as a phd student",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_reason_to_leave_the_member_denies_explains_nothing(wellbeing):
    words = wellbeing.words("won't be here after friday. not moving, not a new job. just done")
    assert not words.reason and not words.leaving


@pytest.mark.parametrize(("sentence", "gone"), [
    ("i'm dying to go home.", "dying"),
    ("my family is going to murder me when they find out i'm skipping christmas", "murder"),
    ("goodbye 2025, you will not be missed.", "missed"),
    ("i give up on wrapping presents.", "give up"),
    ("the year from hell but we made it.", "hell"),
    ("six years of my life, gone.", "gone"),
    ("either this works or I'm living under a bridge.", "bridge"),
    ("bye until january, don't page me", "bye"),
])
def test_the_model_reads_these_sentences_without_the_figure(wellbeing, sentence, gone):
    assert gone not in wellbeing.mask_figures(sentence, "crisis")


def test_felt_like_the_loneliest_person_gets_the_support_reply(wellbeing):
    assert wellbeing.check("spent the holidays in the lab and felt like the loneliest person on "
                           "earth") == "distress"


class _ReadsCrisisFromExamples:
    """A sentence model stand-in: every message reads as crisis by what was learned from the
    tuning sets' messages (the examples' bar or the probe), none of the hand-written prototypes."""

    def read(self, text, mask=None):
        return Reading(crisis=True, near_crisis=True, learned_only=True)


def test_giving_things_away_for_a_new_job_explains_a_learned_crisis_reading(wellbeing):
    checked = copy.copy(wellbeing)
    checked.semantic = _ReadsCrisisFromExamples()
    assert checked.check("gave away basically all my stuff today lol. moving out of grad housing "
                         "for the new job in january") is None
    # With no reason beside it, the same goodbye keeps the safety reply.
    assert checked.check("gave away basically all my stuff today lol. it's all sorted now") == \
        "crisis"
