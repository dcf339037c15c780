"""tune72 (three blind writers: members who speak of themselves in the second or third person, and
run-on messages; ratings, percentages, lists and status updates; replies that quote someone else
first): new phrasings of the families it added, ordinary messages that share their words, and
what the sentence model reads of a reply that quotes someone."""

from __future__ import annotations

import copy

import pytest

from bot.semantic import Reading
from bot.text import own_words


@pytest.mark.parametrize("message", [
    "honestly? 100% done. and not just with the job hunt",
    "she is done. not with the phd. done done",
    "not gonna be around for the iclr deadline, or any of the ones after it",
    "don't count on me for anything after sunday",
    "left notes for my team on my desk. they're not about the handover",
    "probably the last week i bother planning anything",
    "stood at the station platform today and thought about leaning forward",
    # a finality cue and an arrangement beside it
    "figured out who gets my dog and my books. might as well be useful one last time",
    "he's got a date picked out. feels weirdly calm",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "100% done with the camera ready and not just with the intro, the appendix too!",
    "won't be around for the neurips deadline or any of the ones after, moving to industry in june",
    "don't count me in for anything after friday, flying home for three weeks",
    "wrote notes for the reading group, they're not about the project but about the theory",
    "we have a date picked for my defense, june 12",
    "sorting out who gets the cat while we move flats, any tips for the visa interview?",
    "i just want to stop living paycheck to paycheck and do real ML instead of dashboards",
    "never again until next year, camera ready submitted with 2 minutes to spare",
    "I'm going to kill my advisor, he moved the deadline up again",
    "any way to hide my profile without deleting the account?",
    "should I step forward instead of waiting to be asked to lead the reading group?",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_reply_drops_the_lines_it_quotes_when_the_member_adds_words_of_their_own():
    reply = ('> "goodbye everyone, today is my last day here"\n'
             "congrats on the new gig!! my last day is in march too, off to a startup")
    assert own_words(reply) == "congrats on the new gig!! my last day is in march too, off to a startup"
    # A quotation with little added is the member's own; Discord's ">>> " quotes too.
    assert own_words("> i can't do this anymore\nsame") == "> i can't do this anymore\nsame"
    assert own_words(">>> whole block quoted\nmy own reply with enough words here") == \
        "my own reply with enough words here"
    assert own_words("2 > 1 and that is all") == "2 > 1 and that is all"


class _Recorder:
    """A sentence model stand-in that remembers what it was asked to read."""

    def __init__(self):
        self.read_texts = []

    def read(self, text, mask=None):
        self.read_texts.append(text)
        return Reading()


def test_the_model_reads_the_members_own_lines_and_the_patterns_read_everything(wellbeing):
    checked = copy.copy(wellbeing)
    checked.semantic = recorder = _Recorder()
    assert checked.check('> "I\'m going to kill my advisor"\n^ haha same, he moved the deadline '
                         "up AGAIN. can you switch advisors in 4th year") is None
    assert recorder.read_texts[-1] == ("^ haha same, he moved the deadline up AGAIN. can you "
                                       "switch advisors in 4th year")
    # A crisis in the quoted line the member answers is still read by the patterns.
    assert checked.check("> i want to die\nsame, every single night this week honestly") == "crisis"
