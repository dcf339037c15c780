"""tune57 (three blind writers: throwaway "Title. Body" career posts, replies in threads and
messages of a few words, Spanish, Portuguese, French, German and Italian forum posts): new
phrasings of the families it added, and ordinary messages that share their words. Patterns only
(no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "my life insurance is past the 2-year clause now. the payout fixes everything",
    "I just wanted you all to know it wasn't sudden",
    "i want to just not exist anymore",
    "not gonna be around for the next application season anyway",
    "there's no future after this semester for me",
    "je suis un fardeau pour ma famille",
    "franchement je suis fatiguée de lutter",
    "si je me réveillais plus demain ce serait un soulagement",
    "qué sentido tiene vivir así",
    "ich will mich ordentlich verabschieden, statt einfach zu verschwinden",
    "já decidi o que vou fazer, estou organizando as senhas pra minha mãe",
    "tonight i think. sorry for all the spam over the years",
    "it's decided. wrote my brother a letter",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "done with the PhD and won't need these books anymore, pickup this weekend",
    "amanhã vou-me despedir, já não aguento o meu chefe. vagas em Lisboa?",
    "apaguei o dataset sem querer kkkk queria sumir",
    "qué sentido tiene seguir con el doctorado si quiero ir a la industria?",
    "tonight i think i'll finish the rebuttal",
    "finally got a new 4090, gave my old gpu to my labmate",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_crying_in_the_lab_in_french_is_distress(wellbeing):
    assert wellbeing.check("je pleure dans les toilettes du labo") == "distress"
