"""Wellbeing round tune18 (written blind, measured before any change: hard figures of speech and
crisis in many voices, 16 languages; crisis recall 44/50, distress 42/45 and figures flagged
21/85 at first), narrowed by its adversarial audit: the first exceptions for figures and reasons
to leave let real goodbyes through ("me despido... me mudo a", "the reading group is ending and
so am I", "done with kaggle, leetcode and honestly with life"). New phrasings of each family, not
the sets' own lines. The `wellbeing` fixture is the patterns alone, so each of these holds
whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # a failed attempt told in passing, beside pretending all is well
    "i tried again last night and it didn't work. i'm back at work now pretending everything is fine",
    # "not the job": the member says what "it" is
    "after the demo on thursday i'm out. not the phd, just it",
    # gone for this cycle "or any after that", and whoever inherits the work
    "I won't be around for the next release or any release after that. hope whoever picks up "
    "my tickets has it easier",
    # a beneficiary sorted, then "won't be needing it"
    "how do I add my sister as beneficiary on my life insurance? I won't be needing it",
    "I won't be needing my laptop anymore, or anything else",
    # affairs in order "if I'm gone"
    "who gets my laptop and my repos if I'm gone? getting everything in order this week",
    # Italian: a letter for the family, "I won't be here any more", thanks for everything
    "ho scritto una lettera per mia madre. dopo venerdì non ci sarò più",
    "grazie di tutto ragazzi, ho già deciso",
    # Spanish and Portuguese farewells stay crisis patterns, a job named or not
    "me despido de todos, me mudo a Madrid por trabajo, pero ya no quiero estar aquí",
    "obrigado por tudo, essa é minha despedida",
    # a figure of speech said not to be one
    "este doctorado me va a matar y ojalá sea pronto",
    "esse projeto vai me matar e quero que seja logo",
    "I'm done with pytorch, the lab, my family and everything else",
    "building a classifier for suicidal posts while I write one every night",
    "dead tired of existing, does anyone know when the rebuttal is due?",
    # a reason to leave that is then undone
    "don't expect me back. new job on monday but I don't care if I make it there. thanks for everything",
    "the semester is ending and so am I. take care of each other",
])
def test_tune18_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "so tired of always being behind everyone in my cohort",
    "i just feel sick and small every time i open linkedin",
    "Ich bin total ausgebrannt und liege nur noch im Bett",
    "conference poster sessions make me physically shake, every single time",
])
def test_tune18_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "esse deploy vai me matar, o kubernetes não sobe",
    "zabij mnie, znowu merge conflict w tym samym pliku",
    "we're training a classifier for self-harm posts on a forum, how do you balance the classes?",
    "I'm done with tensorflow, moving the lab's models to JAX next month",
    "suicide squeeze with two outs, what a call by the manager",
    "dead tired after the poster session but it went great",
    "worthless metric: accuracy on a 1% positive class",
    "tired of always being behind on arxiv, any good paper digests?",
    "Ich schäme mich fast, das zu fragen: was ist ein Tensor?",
    "liege nur noch im Bett mit Grippe, kann jemand mein Review übernehmen?",
    "I tried last night and it didn't work, the CUDA kernel still segfaults",
    "management keeps pretending everything is fine while the cluster is down",
    "hope whoever inherits my code forgives the notebooks lol",
    "who reviews the model card if I'm gone for two weeks?",
    "addio a tutti, inizio un nuovo lavoro a Torino. grazie di tutto!",
])
def test_tune18_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "I'll be alone tonight and I have the pills",
    "home alone this weekend with everything I need to end it",
    "by myself at the lab tonight with all my meds",
])
def test_the_means_at_hand_said_plainly_is_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "Is the IP clause enforceable? I don't want to give away all my side projects.",
    "working alone this weekend and I have the pills for my migraine",
    "I have everything I need to do it: the GPUs, the data and a deadline",
])
def test_contracts_and_chores_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    # sign-offs of a long question, often from members writing in a second language
    "Is a PhD a must for research jobs? Please guide me honestly. Thank you for your time and "
    "sorry for my English.",
    "Would love to hear from anyone who took the cut to do a PhD.",
    "Two free days after the conference. I'll be on my own, I'm a fit hiker, fine with 12 km.",
])
async def test_career_posts_the_model_misread_get_no_wellbeing_reply(service, message):
    """Through the whole check, sentence model included (these were model-only false alarms)."""
    assert (await service.match("local", message)).status not in ("safety", "support")
