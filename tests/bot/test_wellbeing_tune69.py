"""tune69 (three blind writers: English translated word by word from Chinese, Japanese, Korean,
Russian or Arabic; English mixed with romanised Chinese, Japanese and Korean; the community's own
moderators and mentors burning out): new phrasings of the families it added, and ordinary
messages that share their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "i think better if i just become dust",
    "mou shinitai. seriously",
    "jukgo sipda. i'm not joking",
    # two finality cues
    "sorry for everything. please don't look for me",
    "nobody will have to worry about me anymore. sorry for everything",
    # a finality cue and an arrangement beside it
    "passing my reviewer slot and my monitor to whoever wants them. won't need either soon",
    "gave my books to the first years. won't be needing them anymore",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "saw the staff engineer comp bands and i want to die lol",
    "hazukashikute shinitai www, I called my PI 'mom' in the meeting",
    "jukgesseo, 3 deadlines this week",
    "sorry for everything in the PR review thread, I was tired. fixed now",
    "don't look for me on Slack tomorrow, I'm at the NeurIPS workshop",
    "whoever wants my old notes can have them, posting the link in #resources",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
