"""Wellbeing round tune17 (written blind, measured before any change: figures of speech in ML
chat and quiet crisis, 12 languages; crisis recall 45/50 and figures flagged 11/80 at first), and
the tuning-set crisis lines the int8 sentence model (bot/quantized.py) stopped reading as crisis.
New phrasings of each family, not the sets' own lines. The `wellbeing` fixture is the patterns
alone, so each of these holds whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # said plainly instead of left to the model's margin
    "is it really quitting if you simply stop existing? asking for myself",
    "if i bomb the defense i'm ending it, and i mean my life, not the program",
    "my only plan is the one where i never have to wake up again",
    "if I just stopped taking my lithium no one would even ask why",
    "I carry a razor blade in my backpack now, just in case the meeting goes badly",
    "forse sarebbe meglio per tutti se non ci fossi",
    "ich habe die Tabletten gesammelt",
    "na verdade ab jeene ka man hi nahi karta yaar",
    "अब जीने का मन ही नहीं करता",
    "मैं परिवार पर बोझ बन गया हूँ",
    "finita la sessione, la faccio finita. basta",
    "j'ai enfin de quoi en finir, c'est rangé dans mon sac",
    "ik denk dat ik er een eind aan ga maken na de verdediging",
    "ma 3ad baddi 3ish, khalas",
    # tune17
    "j'aimerais ne plus me réveiller, je n'en peux plus",
    # its audit
    "it's set for the night of the conference dinner. nobody will notice until the morning",
    "been skipping my insulin on purpose since the layoff",
    "soon nobody will have to deal with me anymore",
    "my team would do better at everything without me, and after this week they will",
    "goodbye post: new lab starts in May, not that I'll be there to start it",
    "escrevi cartas para os meus pais. dei todas as minhas coisas",
    "J'ai écrit une lettre pour mes parents. J'ai donné mes affaires aux voisins.",
    "gave all my savings to my sister last week. told her it's nothing. it isn't",
])
def test_tune17_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "left little goodbye notes for everyone on the team, back from parental leave in March!",
    "farewell post: I'm moving into a product role at my uncle's company, thanks for everything",
    "what's the most painless way to port our TF1 models to JAX?",
    "I've picked a date for my defense, finally!",
    "I keep a spare razor in my gym bag just in case I need to shave before a meetup",
    "now that the cron job runs itself I don't have to wake up at 5 anymore",
    "told my advisor it's for a fresh start and it is: new lab, new topic",
    # its audit
    "farewell msg: stepping away from discord for a few months to focus on my newborn",
    "no more pager duty means I never have to wake up at 3am again",
    "the least painless way to do a 6 hour take home without losing my mind?",
    "j'aimerais ne pas me réveiller trop tard demain, l'entretien est à 9h",
    "I'm ending things with my recruiter, as in my life is too busy for weekly calls",
    "ok la faccio finita con questo notebook e riscrivo tutto in PyTorch",
    "we maken er een eind aan de meeting om vijf uur",
])
def test_tune17_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
