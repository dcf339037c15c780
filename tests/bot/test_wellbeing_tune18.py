"""Wellbeing round tune18 (written blind, measured before any change: hard figures of speech and
crisis in many voices, 16 languages; crisis recall 44/50, distress 42/45 and figures flagged
21/85 at first). New phrasings of each family, not the set's own lines. The `wellbeing` fixture
is the patterns alone, so each of these holds whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # a failed attempt told in passing, beside pretending all is well
    "i tried again last night and it didn't work. back at work pretending everything is fine",
    # "not the job": the member says what "it" is
    "after the demo on thursday that's it for me. not the phd, just it. everything",
    # gone for this cycle "or any after that", and whoever inherits the work
    "I won't be around for the next release or any release after that. hope whoever picks up "
    "my tickets has it easier",
    # a pension or beneficiary sorted, "won't be needing it"
    "how do I add my sister as beneficiary on my pension? won't be needing it myself",
    # affairs in order "if I'm gone"
    "who gets my laptop and my repos if I'm gone? getting everything in order this week",
    # Italian: letters for the family, "I won't be here any more"
    "ho scritto delle lettere per i miei. dopo venerdì non ci sarò più",
    # Spanish farewell with no reason to leave is still a crisis
    "me despido de todos, gracias por todo. ya no puedo más",
])
def test_tune18_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "so tired of always being behind everyone in my cohort",
    "i just feel so small next to the people in my lab",
    "Ich bin total ausgebrannt und liege nur noch im Bett",
    "conference poster sessions make me physically shake, every single time",
])
def test_tune18_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "me despido del canal: me mudo a Madrid por un nuevo trabajo. ¡gracias por todo!",
    "vou morar em Lisboa pelo trabalho, obrigado por tudo pessoal",
    "esse deploy vai me matar, o kubernetes não sobe",
    "zabij mnie, znowu merge conflict w tym samym pliku",
    "we're training a classifier for self-harm posts on a forum, how do you balance the classes?",
    "I'm done with PyTorch Lightning, going back to plain torch",
    "suicide squeeze with two outs, what a call by the manager",
    "dead tired after the poster session but it went great",
    "can't go on like this with conda, is mamba faster?",
    "worthless metric: accuracy on a 1% positive class",
    "updated my will now that our baby is born, what happens to unvested RSUs?",
    "my labmate has been really anxious since the layoffs, how can I help her?",
    "j'en peux plus de matplotlib, je passe à plotly",
    "leaving the server for a while, parental leave! back in April",
    "our journal club is ending after five years, come say goodbye on friday",
])
def test_tune18_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
