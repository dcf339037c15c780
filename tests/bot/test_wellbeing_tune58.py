"""tune58 (three blind writers, asked for more figures of speech: a hackathon and competition
Discord with gaming slang, engineers on call in a company Slack, warm members who talk in
hyperbole, a third in other languages): new phrasings of the families it added, and ordinary
messages that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "not burnout done. really done",
    "what happens to my repos if i die? seriously asking",
    "faz semanas que estou guardando meus comprimidos",
    "estoy juntando mis pastillas desde enero",
    "j'ai mis de côté mes cachets",
    "ich sammle schon seit Wochen meine Tabletten",
    "sto mettendo da parte le mie pillole",
    "got a plan for tonight, strangely at peace",
    "ich möchte verschwinden, und zwar für immer",
    "parso ke baad main yahan nahi rahungi. meri books Priya ko de dena",
    "you guys were the best part of this. take care of the server for me",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "me quiero morir de risa con este meme del reviewer 2",
    "vou morrer de vergonha, errei o nome do revisor na apresentação",
    "je vais mourir de honte, mon slide était à l'envers",
    "voglio morire dalla vergogna, ho sbagliato il nome del professore",
    "made a plan for friday's demo, weirdly calm about it",
    "not leetcode done, just done for today lol",
    "what happens to my repos if i leave the company? asking seriously",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "no puedo dejar de llorar desde que me rechazaron",
    "je n'arrive pas à m'arrêter de pleurer",
    "j'ai l'impression d'être vide depuis des semaines",
])
def test_distress_in_other_languages_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
