"""tune55 (two blind writers, mostly ordinary messages that sound dark: ML engineers at work,
students in a study-group Discord with other languages): the crisis families it added, and the
ordinary messages that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "ich höre auf. nicht mit meinem Job, sondern mit allem",
    "bas ab kal se kisi ko meri fikar nahi karni padegi",
    "giving away all my things this week. wont need any of it",
    "danke für alles. ich bin dann weg für immer",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "giving away my stuff before the move, I start at the Seattle lab on the 3rd: monitor, desk, books",
    "Mein letzter Tag heute, ab Montag arbeite ich in Hamburg. Danke für alles!",
    "je vais disparaître pendant une semaine, partiels lundi",
    "vou sumir do grupo por uns dias, semana de provas",
    "ich kann nicht mehr lol, der Build ist wieder rot",
    "can't do this anymore, the cluster OOMs every night, who owns the limits?",
    "am I taking up space on the shared node with three idle kernels?",
    "not gonna be around much longer, contract ends Friday. any data eng roles in Toronto?",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
