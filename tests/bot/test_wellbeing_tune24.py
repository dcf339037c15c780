"""Wellbeing round tune24 (written blind, measured before any change: indirect crisis in long
posts, thread replies and slang, figures in ML jargon, games and other languages; crisis recall
48/60 and distress 33/35 at first, 13 of 75 figures flagged). New phrasings of each family, not
the set's own lines. The `wellbeing` fixture is the patterns alone, so each of these holds
whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "i already chose the place where i'd do it, near the river",
    "spent the night reading about what ways would be the most painless. lol",
    "my psychiatrist asked me whether i had a plan. i said no, i was lying",
    "would an engine running in a sealed garage be painless? i have the car and the garage",
    "what is the point of applying for jobs when i won't be around by spring",
    "honnêtement si je me réveillais plus jamais ce serait mieux",
    "deleted my instagram and wrote notes for my parents. it's fine, i feel calm",
    "morgen maak ik een einde aan mijn leven",
    "every morning i tell myself one more day. honestly i'm running out of reasons to keep going",
    "ik heb mijn spullen weggegeven. na zondag hoef je je nooit meer zorgen om me te maken",
    "не вижу смысла жить. никому не говорите пожалуйста",
])
def test_tune24_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "Nach der Absage fühle ich mich so wertlos und allein",
    "ich komm kaum noch aus dem bett seit wochen",
    "أشعر بالوحدة منذ وصولي ولا أعرف أحدا هنا",
    "sinds de afwijzing voel ik me zo waardeloos",
])
def test_tune24_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "i was crying laughing at the reviewer who asked us to cite his 2009 paper",
    "how do I help a teammate who seems burnt out? he stopped joining standups",
    "overdose of weight decay: loss plateaued at 2.3 for a whole day",
    "we're hiring annotators for self-harm and suicide content for a safety classifier",
    "the way Camus writes about suicide still gets me. any other essays like that?",
    "umieram ze śmiechu, ten benchmark to żart",
    "gülmekten öldüm, model kediyi ekmek sandı",
    "migrating everything to uv this week, pip was too slow",
    "how to leave a lab without burning bridges?",
    "this config makes me want to yeet myself into the sun lol",
    # ordinary uses of the new words (its audit: the first version flagged 68 of 70 such lines)
    "if anyone finds this useful, I put the notebook on github",
    "which tokenizers are painless to train from scratch?",
    "which methods are the most painless for a beginner, colab or a local gpu?",
    "my manager asked if I had a plan for the roadmap and I said no, was that bad?",
    "I tell myself one more day of leetcode and then I'll apply",
    "I chose the place where I'd do it: proposing at the lake after NeurIPS",
    "what's the point of booking the dinner when I won't be around for the last day?",
    "my car sits in a closed garage all winter, is a trickle charger quick to install?",
    "running out of reasons for why the val loss spikes, any ideas?",
    "mijn oude spullen weggegeven aan de eerstejaars, wie wil er nog een monitor?",
    "J'aimerais ne plus me réveiller à 5h pour les calls avec la Californie",
    "Ich komm kaum aus dem Bett, seit ich mir den Rücken verrenkt habe",
])
def test_tune24_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize(("sentence", "figure"), [
    ("umieram ze śmiechu, ten benchmark to żart", "umieram"),
    ("gülmekten öldüm, model kediyi ekmek sandı", "oldum"),
])
def test_tune24_laughing_to_death_is_hidden_from_the_model(wellbeing, sentence, figure):
    """The model read "dying of laughter" (Polish, Turkish) as a crisis; it now reads the
    sentence without the idiom."""
    masked = wellbeing.mask_figures(sentence)
    assert masked != sentence and figure not in masked.split()
