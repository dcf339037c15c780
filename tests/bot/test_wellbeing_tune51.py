"""Crisis from tune51 (three blind writers: Spanish, Portuguese, French, German and Italian as
members type them in chat; replies in threads; questions that deflect with "hypothetically", "for
a story" or "asking for a friend"): new phrasings of each family it added, and the ordinary
messages that share their words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "sinceramente estoy cansada de vivir, no del master, de todo",
    "tô exausto de existir, sério",
    "ya no le veo sentido a la vida desde que me echaron",
    "pensando em dar um fim em tudo depois da defesa",
    "ya separé las pastillas, solo espero a que se vayan mis papás",
    "regalé mis libros y mi portátil, dije que me mudaba. no pienso volver",
    "j'ai tout rangé et tout préparé pour que l'équipe finisse sans moi",
    "ich ritz mich wieder, seit der Absage jeden Abend",
    "dopo la laurea sparisco per sempre, ho già salutato tutti",
    "wondering how long it would take anyone here to notice i'm gone",
    "> 5 year plan?\nnot existing in five years honestly",
    "imagine waking up tomorrow. i hope i don't",
    "been planning my way out, and i don't mean the job",
    "asking hypothetically, what's the least painful way out",
    "mixing pills and alcohol, i need it to work this time",
    "walked to that bridge again, been there four times this week",
    "asking for a friend who stands at her balcony railing every night (its me)",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "isso está me consumindo, sinto-me uma fraude no laboratório",
    "ando mesmo em baixo desde que a bolsa acabou",
    "another final round that ended in a no. i don't know who i am if not this",
])
def test_distress_gets_at_least_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "every time i open overleaf i want to die a little, 47 compile errors",
    "retrofitting suicide-deterrent nets on old bridges: any structural ML papers?",
    "should goodbye letters in a fictional story get their own label in the dataset?",
    "j'ai pas envie de me réveiller à 6h pour l'entretien demain",
    "voglio farla finita con sta tesi, consegno venerdì e poi vacanze",
    "vou dar um fim nesse projeto, o baseline ainda ganha",
    "how long would it take my advisor to notice if i stopped showing up to group meeting?",
    "what's the quickest way out of a lease when you move for a job?",
    "sparisco per sempre da twitter, troppo rumore sul job market",
    "stanca di vivere a Milano con questi affitti, posizioni ML remote?",
    "já separei os remédios da viagem pro congresso, precisa de receita traduzida?",
    "ich ritz gerade Labels in die Holzkisten für den Cluster",
    "looking at an exit, and I don't mean the job, I mean my equity",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
