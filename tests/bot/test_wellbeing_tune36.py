"""Quiet crisis from tune36 (three blind writers: chat languages of Africa and Asia in Latin
letters, technical chat with code and logs, academics): new phrasings of each family it added,
read by the patterns alone, and the ordinary messages that share their words staying ordinary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # asking not to be looked for
    "pushed everything to main. please don't come looking for me tomorrow",
    # knowing one will not be there to see a thing
    "i finished the slides knowing i won't be around to present them",
    # not existing as what sounds restful
    "not existing sounds so peaceful lately",
    "honestly the only thing that feels like relief is not waking up",
    # no reason left to go on
    "i can't find a single reason to keep going after this rejection",
    # pinyin, Malay, Indonesian, Nigerian Pidgin
    "wo zhen de bu xiang huo le",
    "mak ayah aku lagi senang kalau aku tiada",
    "pengen ada truk yang nabrak aja",
    "make i just sleep and no wake up",
    # loose ends tied off beside things given away
    "tied up the last loose ends, gave my monitor away to a labmate and revoked my own tokens",
    # a letter left for the family beside a goodbye
    "wrote a letter to my parents and left it on my desk. look after each other",
    # a reason given for giving things away, then denied
    "giving away all my books. told everyone i'm moving. i'm not moving",
    # from the audit (paraphrased): other words for the same families
    "ceasing to exist feels like it would be such a relief",
    "zenyang likai zhege shijie cai bu hui tai tongku",
    "kadang aku berharap ketabrak aja pas pulang",
    "nimeandika barua ya kuaga kwa wazazi. sitaihitaji tena laptop yangu",
])
def test_quiet_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "since the funeral i feel completely unmoored",
    "mesh 3ayez akammel, ana ta3bt",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "please don't try to find me on slack this week, i'm on vacation",
    "tying up loose ends before my parental leave, handover doc is in the wiki",
    "wrote a letter to my mom for her birthday, any tips for shipping to india?",
    "mesh 3ayez akammel fel company di, any leads in dubai?",
    "how do i make the instance self-destruct when the training job finishes?",
    "i want the pods to terminate after the batch job, not just stop",
    "any tips for reviewing 14 papers without the quality collapsing?",
    "told them i'm moving to berlin in may, does anyone know good ML meetups there?",
    # from the audit that narrowed the first version (paraphrased)
    "don't try to find me on the old slack workspace, we moved to discord",
    "jiao shang you pao, zenme zou cai bu hui tong?",
    "lagi senang kalau aku takde kelas hari jumaat",
    "make i just sleep and no wake up till sunday abeg",
    "katabt gawab le mama 3an el scholarship",
    "wrote a letter to my parents about my new job offer",
])
def test_the_ordinary_messages_beside_them_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
