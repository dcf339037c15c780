"""tune60 (three blind writers: older members retraining from other professions, very online
students with memes and TikTok speak, Japanese, Korean, Chinese, Hindi, Bengali, Tamil and Urdu in
their own scripts or romanized): new phrasings of the families it added, and ordinary messages
that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "i know exactly what's in the medicine cabinet and what it would take",
    "ran every projection and the only scenario that works is the one where i'm not here",
    "done done, not the meme kind",
    "cant see a version of the future where im still around",
    "the easiest way out is to just not be here",
    "it scares me how calm i feel about it. i wanted to say goodbye while i still can",
    "naan irukkaradhu yaarukkum use illa",
    "mere jaane ke baad meri books Aman ko de dena",
    "aaj sob sesh kore dibo. sorry sobaike",
    "来月はたぶんもういないので、モニター譲ります",
    "다 끝내고 싶어. 회사 그만두는 거 말고, 그냥 전부 다",
    "내가 죽으면 보험금으로 대출 갚을 수 있겠지",
    "如果我不在了，爸妈会轻松很多",
    "最近又开始割手臂了",
    "میں سب پر بوجھ ہوں",
    "আর বাঁচতে চাই না",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "won't be around for the final demo, I'm at my cousin's wedding that weekend",
    "mere jaane ke baad project kaun sambhalega? notice period khatam ho raha hai",
    "aaj sob sesh kore dibo, tarpor ghum",
    "wanted to say thanks now that the cohort is ending, you were all great",
    "no version of the future where I'm a FAANG engineer without a degree?",
    "the only plan that works is the one where i stop doing leetcode at 2am",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "offer rescind ho gaya, bilkul toot gaya hoon",
    "発表のあとトイレで泣いてた",
    "我觉得自己就是个废物",
])
def test_distress_in_other_languages_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"
