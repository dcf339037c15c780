"""tune63 (three blind writers: parents and caregivers; chat Spanish and Portuguese with regional
slang; calm practical arrangements, for dying or for a move, a job, a baby or surgery): new
phrasings of the families it added, and ordinary messages that share their words. Patterns only
(no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "every1 wud be fine w/o me tbh",
    "sat in the car in the garage with the door shut for an hour last night",
    "i've been a weight on everyone since the layoff",
    "there's no next job and no next anything",
    "ya no le veo sentido a seguir, no solo al doctorado",
    "les escribí unas cartas a mis viejos",
    "gave my bike and my books to my sister. she'll need them more than me",
    "¿alguien quiere mi monitor? se lo regalo, no lo voy a necesitar más",
    "deixei as senhas com minha irmã e não vou precisar mais",
    "obg por tudo galera, foi bom fazer parte disso",
    "not gonna be around for the demo day next month. or anything after",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "i want to disappear to a cabin with no wifi for a week and read papers",
    "ya no quiero despertar temprano para los standups",
    "quiero desaparecer de linkedin, los recruiters me tienen harta",
    "giving away my old textbooks, won't need them where I'm going, new job is all infra",
    "obg por tudo galera, foi bom fazer parte! amanhã começo no emprego novo",
    "Everyone thinks I'm stressed about the move but honestly I'm fine",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "fui demitida hoje, tô em choque",
    "estoy re quemado, no me dan ganas de nada",
])
def test_distress_in_spanish_and_portuguese_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
