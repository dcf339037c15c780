"""tune56 (three blind writers: members talking to the bot with the real thing disguised as a
practical question; formal, euphemistic Englishes; ten languages in their own scripts): new
phrasings of the families it added, and ordinary messages that share their words. Patterns only
(no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "who takes my cat and my laptop when i'm gone? asking so i can sort it",
    "how fast is a phone contract cancelled after the holder dies, I'm planning for next week",
    "please just let me vanish",
    "mi cyaan tek dis no more",
    "I have written letters to my amma and appa. thank you for everything",
    "всем было бы легче, если бы меня не стало",
    "я устала быть обузой для всех",
    "मेरे बिना सब खुश रहेंगे",
    "我就是个累赘",
    "나는 여기까지인 것 같아",
    "면도칼로 손목을 그었어",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "who inherits my repos when I'm gone? last day at the company is Friday, I want to hand them off",
    "I have finished my masters and won't be needing my textbooks, free to a good home",
    "thanks for everything all, I'm leaving the channel since I start Monday at the new lab",
    "не ищите меня завтра в офисе, я в отпуске",
    "오늘 회의는 여기까지 할게요",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "каждый вечер реву после лабы",
    "मैं किसी काम का नहीं हूं",
    "حاسس إني فاشل",
    "毎晩泣いてる",
])
def test_distress_in_other_scripts_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
