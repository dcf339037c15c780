"""Bounds on this session's figures of speech and crisis families, from a code read of them: a
figure must not swallow the crisis words beside it, and a crisis family must not take in the
career messages that share its words. Patterns, and what the sentence model is given to read."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "I overdosed on sleeping pills and tea",
    "I overdosed on my antidepressants with coffee",
    "overdosed on xanax and coke last night",
])
def test_an_overdose_named_beside_a_drink_is_still_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize(("sentence", "words"), [
    ("I'm calling an end to it tonight.", "end"),
    ("I'm calling it quits for good tonight", "quits"),
    ("took my pills, all of them, had a glass of wine", "pills"),
    ("I'm literally dead inside, smoking again", "dead"),
])
def test_the_model_still_reads_crisis_words_that_only_look_like_a_figure(wellbeing, sentence,
                                                                        words):
    assert words in wellbeing.mask_figures(sentence)


@pytest.mark.parametrize("message", [
    "the issue was assigned to me so I'll patch it today",
    "Should I do it the same way Karpathy did?",
    "Once the rebuttal period is over, can you help speed things along with the AC?",
    "burning the midnight oil with coffee, it's the only thing that works",
    "Remote work is great, I can choose my own time to start each day",
    "the plan is set, I just need the nerve to tell my manager",
    "the easiest solution is to disappear for a week and write the thesis",
    "not expecting to see 20 replies on my post lol",
    "I put the notes in the repo where they'll see them",
    "I'm leaving my job, curious how my manager will word the announcement about me",
    "if it's a serious bug, rolling back would fix it",
    "holding the pack of cards, counting how many are left",
    "how nice it would be to fall asleep right now",
])
def test_career_messages_that_share_a_crisis_familys_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
