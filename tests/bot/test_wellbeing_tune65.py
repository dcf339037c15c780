"""tune65 (three blind writers: members who research mental health, overdose or self-harm with ML;
older academics in formal, sometimes religious language; dictated and rushed phone messages with
filter-dodging slang): new phrasings of the families it added, and ordinary messages that share
their words. Patterns only (no sentence model), except where a test says otherwise."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from bot.semantic import Prototypes, Reading, SemanticNet


@pytest.mark.parametrize("message", [
    "been thinking about the final yeet a lot lately",
    "i want to dissappear and not come back",
    "i just want to disapear",
    "I won't be around for the next round of applications, in more ways than one.",
    "I do not plan to be here after the contract ends, literally and figuratively.",
    "The life insurance pays out double while I am still enrolled. My parents would be better "
    "off that way.",
    # two finality cues: thanks for the years, and an apology to everyone who helped
    "thank you for these four years. sorry to everyone who believed in me",
    "sorry everyone, i'm done. you deserved a better labmate",
    "I no longer see the point of a visa that runs past the spring. It will be a relief for my "
    "family when I am gone.",
    "thanks for all the code reviews over the years. deleting my messages tonight",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "our suicide risk classifier overfits to one subreddit, how do you do domain adaptation?",
    "has anyone cleaned the self-harm annotations in that Reddit corpus? lots of label noise",
    "predicting opioid overdose from claims data: which baseline should I beat?",
    'the detector labels "i want to die lol" as high risk even in gaming chats, any fixes?',
    "I have made my peace with never publishing at NeurIPS, honestly",
    "not gonna be around for another breaking update of that library, moving to jax",
    "see you on the other side of quals!",
    "the final yeet of my old thesis draft, starting over",
    "means i have to rewrite the whole data loader kms",
    "kms mode activated, three reviewers asked for more baselines lol",
    "ending it the conda env i mean, it's broken beyond repair",
    "thank you for the years of mentoring, starting at the new lab on Monday!",
    "sorry all, I'm done for today, back tomorrow",
    "gave away all my old monitors\nmoving to a smaller place for the new job",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


AXES = np.eye(3, dtype=np.float32)


def _net(vector: np.ndarray) -> SemanticNet:
    # Every sentence encodes to `vector`; the hand-written prototypes sit on axis 1 and the
    # examples' bar on axis 0, with axis 2 as the ordinary contrast.
    return SemanticNet(lambda texts: np.stack([vector for _ in texts]), ordinary=AXES[2:3],
                       crisis=Prototypes(AXES[1:2], 0.45, 0.1),
                       examples=Prototypes(AXES[0:1], 0.45, 0.1))


def test_a_crisis_read_only_by_the_examples_is_marked_learned_only():
    reading = _net(AXES[0]).read("thanks for all the advice over the years everyone")
    assert reading.crisis and reading.learned_only
    reading = _net(AXES[1]).read("thanks for all the advice over the years everyone")
    assert reading.crisis and not reading.learned_only


class _ReadsEveryMessageAsLearnedCrisis:
    """A sentence model stand-in: every message is a crisis to the examples alone."""

    def read(self, text, mask=None):
        return Reading(crisis=True, learned_only=True)


def test_a_learned_only_crisis_is_explained_by_a_reason_near_the_goodbye(wellbeing):
    checked = copy.copy(wellbeing)
    checked.semantic = _ReadsEveryMessageAsLearnedCrisis()
    # A goodbye with a reason to leave near it: explained (the goodbye alone is not a crisis).
    assert checked.check("bye all, tomorrow is my last day at the company\n"
                         "thanks for all the help over the years") is None
    # Without a reason the reading stands.
    assert checked.check("bye all, thanks for all the help over the years") == "crisis"
