"""Crisis in Spanish, French, German and Portuguese from tune39 (one blind writer, as members of
ML career communities write them): new phrasings of each family it added, read by the patterns
alone, and the everyday frustration and idioms that share their words staying ordinary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # European Portuguese enclitics
    "ja pensei em suicidar-me mais de uma vez este mes",
    # how easy it would be, from a height
    "fiquei na janela do 9º andar a pensar em como seria facil",
    "desde el balcon pienso en lo facil que seria",
    # afraid of what I might do today
    "tengo miedo de lo que pueda hacer esta noche",
    "j'ai peur de ce que je pourrais me faire ce soir",
    "ich habe angst, was ich mir heute antun konnte",
    # a crisis line asked for oneself
    "me pasas el numero de alguna linea de ayuda? es para mi",
    "qual e o numero do cvv? e pra mim",
    # a bridge or a roof just to look down
    "je monte sur le toit de la fac tous les soirs juste pour regarder en bas",
    # everything put in order for the family, nothing to handle afterwards (French, Portuguese)
    "j'ai tout range pour mes parents, comme ca ils n'auront rien a gerer apres",
])
def test_crisis_in_four_languages_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "ich heule jeden abend, alles zu viel gerade",
    "ando esgotada e triste, ja nao tenho vontade de nada",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "ya no puedo mas con este pipeline, alguien sabe por que airflow se queda en queued?",
    "j'en peux plus de ce cluster qui plante, quelqu'un connait slurm ?",
    "ich kann nicht mehr mit diesen treibern, cuda 12 will einfach nicht",
    "nao aguento mais esse processo seletivo de seis etapas",
    "el oom killer me mato el kernel otra vez",
    "como proceso 40gb sin morir en el intento?",
    "estou a matar-me a trabalhar para acabar a tese",
    "esta reuniao de sexta esta a matar-me",
    "pensando em como seria facil mudar de area para dados",
])
def test_everyday_frustration_and_idioms_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
