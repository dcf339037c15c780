"""tune68 (three blind writers: angry venting with violent hyperbole; Spanish, Portuguese, French
and German as typed in chat; long posts with the lines that matter in the middle): new phrasings
of the families it added, and ordinary messages that share their words. Patterns only (no
sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "if the visa gets denied i'm ending it. not the application. me.",
    "honestly i shouldn't exist, i'm just a cost to everyone",
    "gracias por todo, ya no voy a estar por mucho tiempo",
    "regalo mi laptop, ya no la voy a necesitar, ni para eso ni para nada",
    # two finality cues
    "merci pour tout le monde. prenez soin de vous, vous étiez géniaux",
    "escrevi uma carta para a minha mãe. deixei tudo arrumado no quarto",
    "most nights I go to bed hoping I don't wake up",
    "every time I cross that bridge I think about how easy it would be to just step off",
    "I've stopped planning anything past June, that's where my calendar ends",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "j'avais envie de disparaître sous terre quand la démo a planté devant le jury",
    "what's the least painful migration path from TF1 to PyTorch?",
    "won't be around next week, honeymoon! can someone cover the reading group?",
    "aceitei a oferta em Munique! obrigado pelas dicas, vou deixar tudo pronto antes de sair",
    "Deixei tudo pronto para a entrevista de amanhã, alguma dica de system design?",
    "I hope I don't wake up late for the 7am interview lol",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "so fucking alone in this lab, nobody talks to me",
    "seit der Absage fühl ich mich total wertlos",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


def test_a_french_figure_about_a_crashing_tpu_is_not_distress(wellbeing):
    assert wellbeing.check("j'en peux plus de ce cluster qui crash toutes les heures") is None
