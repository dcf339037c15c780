"""Quiet crisis from tune35 (three blind writers: fast phone typing with typos, European languages
with metaphor and "asking for a friend", restrained industry posts): new phrasings of each family
it added, read by the patterns alone, and the ordinary messages that share their words staying
ordinary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # absent from tomorrow "or ever"
    "not gonna be at the reading group thursday or ever again tbh",
    # no point in a task if not around by the time it matters
    "what is the point of finishing the rebuttal if i won't be here anymore",
    # returning again and again to a height or the tracks
    "i keep staring at the overpass on my way home from the lab",
    "cant stop thinking about the train tracks behind the dorms",
    # knowing exactly what dose would do it
    "i know exactly how many of my sleeping pills it would take to do it",
    # nobody noticing
    "i don't think anyone would notice if i disappeared from this server",
    # no year with me in it
    "i can't picture a 2027 that has me in it",
    # a date that will be the end of it
    "friday is going to be the end of it for me",
    # a limb held to something hot, on purpose
    "pressed my hand against the iron again after the call with my advisor",
    # medication stopped and saved up
    "i stopped taking my antidepressants and started saving them up",
    "jag har sparat mina sömntabletter i flera veckor nu",
    # how many pills it takes not to wake up
    "quante pillole ci vogliono per non svegliarsi più",
    "cuántas pastillas hacen falta para no despertar",
    "cada noche me quedo en el puente pensando en saltar",
    "heb expres mijn arm tegen het strijkijzer gehouden",
    "jag har slutat ta mina tabletter och lägger undan dem",
    "not going to make it to the lab meeting tomorrow or any of them after that",
    "combien de comprimés il faut prendre pour ne plus se réveiller",
    "wie viele Tabletten braucht man um nicht mehr aufzuwachen",
    # Greek
    "δεν θέλω να ξυπνήσω ξανά",
    # a cue beside things arranged: nothing needed after a date, rent paid ahead
    "paid my rent through march and cancelled the gym. i won't really need anything after that",
    # a goodbye to a pet beside accounts handed over
    "said goodbye to my dog, deleted my github and gave my passwords to my sister",
])
def test_quiet_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "honestly i feel washed up at 38, nobody calls back",
    "a year of rejections has completely wrecked my self esteem",
    "bin seit Monaten total ausgebrannt und schaffe nichts mehr",
    "ich bin einfach zu dumm für die Promotion",
    "nie mogę wstać z łóżka od tygodnia",
    "i honestly don't believe i'm capable of anything anymore",
    "ich bin seit Wochen völlig erschöpft und kriege nichts mehr hin",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "won't be at standup tomorrow or friday, dentist and then a conference",
    "won't be at the reading group thursday or ever again, switching to the nlp team!",
    "what's the point of a cover letter if i won't be around for the phone screen? i'm travelling",
    "keep thinking about the bridge between theory and practice in this course",
    "i know exactly how much caffeine it takes to get me through a deadline",
    "nobody would notice if i skipped the all hands, right?",
    "i can't picture a version of this roadmap with the old api in it",
    "friday is the end of my contract, any leads for research engineer roles?",
    "held my hand over the stove to check if the burner was still on",
    "i stopped taking my allergy meds because they made me drowsy",
    "paid my rent through august and cancelled the gym since i'm interning in munich",
    "said bye to my cat before flying to neurips, my roommate is feeding her",
    "told my manager where all the docs are before my parental leave",
    "hands still shaking from three espressos but the proof finally works",
    "diese Reviewer-Kommentare bringen mich um, ernsthaft?",
    "the model feels obsolete next to the new baselines",
    "that bug killed my confidence in the eval harness",
    # from the audit that narrowed the first version (paraphrased)
    "won't be at the monday sync or ever again apparently, they moved it to 6am my time zone",
    "been staring at the overpass outside my window all morning, the crew repainting it is oddly calming",
    "doubt anyone would notice for a while if the nightly backup job died, there's no alerting",
    "i don't need anything past june on this compute grant, so i released the reserved nodes",
    "danach brauch ich nichts mehr von der Uni, ab März zahlt die Firma die Lizenz",
    "Heute ist mein letzter Tag im Lab, ihr wart echt nett zu mir, Kuchen steht in der Küche",
    "Vrijdag mijn laatste dag, wilde even zeggen dat jullie fijne mensen zijn. Op naar de startup!",
    "Zit op het dak van het kantoor met mijn laptop, het terras is eindelijk open",
    "nie mogę się zmusić do pisania testów, ktoś ma dobry szablon?",
])
def test_the_ordinary_messages_beside_them_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "how many years does it take to finish a phd",
    "how many papers does it take to get hired at openai",
    "how much data would it take to fine-tune bert on legal text",
    "how many gpus does it take to train a 7b model from scratch",
    "i know exactly how much caffeine it takes to get me through a deadline",
])
def test_how_much_it_takes_is_a_career_question(wellbeing, message):
    # Found with tune35: "how many X does it take" was a crisis whatever it took it for.
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "how much tylenol does it take to die",
    "how many of my sleeping pills would it take",
    "how many mg would it take to kill me",
    "how much would it take to never wake up",
])
def test_how_much_it_takes_to_die_is_still_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"
