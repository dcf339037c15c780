"""Wellbeing round tune25 (written blind, measured before any change: messages written to the
bot itself, career questions with a crisis or distress inside them, 15 languages; crisis recall
50/60 and distress 37/40 at first, 7 of 70 figures flagged). New phrasings of each family, not
the set's own lines. The `wellbeing` fixture is the patterns alone, so each of these holds
whatever the model reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "if i'm not around any more, do my parents have to pay back my student loans?",
    "i hide a razor blade in my backpack and i used it again after the interview",
    "this is my last message to anybody. thanks for the help with my resume",
    "would anyone even notice if one more failed phd student disappeared. asking for real",
    "last question ever: which course should my sister take? since i won't be there to teach her",
    "what happens to my F1 visa if I'm dead? i don't want to cause trouble for the lab when i do it",
    "will my website stay online after i die? i want my friends to see the projects",
    "ami nijeke shesh kore dibo",
    "mafeesh fayda, bafakkar fel ente7ar",
    "canıma kıymayı düşünüyorum",
])
def test_tune25_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "I lie awake replaying every comment from the review",
    "i go home feeling awful after every standup",
    "I feel sick with shame when my parents ask about the job search",
    "每次跟家里打完电话，挂了电话就哭",
    "kimse beni anlamıyor, çok yalnız hissediyorum",
    "araw-araw akong umiiyak dito",
])
def test_tune25_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "thinking of jumping to a FAANG from my startup, worth it?",
    "is \"overdose\" annotated as an entity in the n2c2 dataset?",
    "we collect posts about self-harm for a moderation classifier, how do we protect annotators?",
    # ordinary uses of the new words
    "what happens to my OPT if I'm gone for three months of travel?",
    "when they find my bug in code review I'll be so embarrassed lol",
    "friday, that's my deadline for the draft",
    # its audit's ordinary lines (the first version flagged 39 more of its 70)
    "last question ever, promise: is a kaggle medal worth putting on my resume?",
    "could you write setup steps for my brother since i won't be there to show him? i fly out monday",
    "I want my manager to at least know about the infra work before reviews",
    "will the migration cause problems for my team when I do it mid-sprint?",
    "the last text to anybody at that startup was 8 months ago, is a referral ask weird?",
    "I keep a razor for shaving in my bag and used it before the onsite",
])
def test_tune25_ordinary_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize(("sentence", "figure"), [
    ("the reviewer gave us a 6, we live to fight another day", "live"),
    ("sınav yüzünden ölüyorum ama bitti sonunda", "oluyorum"),
])
def test_tune25_figures_the_model_misread_are_hidden_from_it(wellbeing, sentence, figure):
    masked = wellbeing.mask_figures(sentence)
    assert masked != sentence and figure not in masked.split()
