"""tune67 (three blind writers: English of Singapore, Malaysia, the Philippines and Hong Kong chat;
metaphors from sport, music and the stage; polite formal requests to the moderators with the
crisis behind them): new phrasings of the families it added, and ordinary messages that share
their words. Patterns only (no sentence model)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "if i don't wake up tomorrow, oh well",
    "retiring for good from everything. thanks all",
    "wishing i could just disapear and nobody would notice",
    "my parents would be better off once i'm no longer a burden to them",
    "the team's better off if i just bowed out. for good",
    # two finality cues
    "wont be around for the next intake. there was nothing any of you could have done",
    # a finality cue and an arrangement beside it
    "please take me off the reviewer list, I won't be around after this semester",
    "gave away my monitors, figured i'd clean things up too. don't save me a seat",
    "I've sorted out what I need and I've made my decision.",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "ICML deadline tomorrow, how do you choose which ablations to cut?",
    "want to end it all with this notebook and restart in a clean repo",
    "im killing the old repo off and moving everything to the monorepo",
    "could a mod delete my last message in #jobs? wrong link",
    "from now on it's remote or nothing for me",
    "I'm done. With the job hunt, that is! Starting at a lab in March",
    "I won't be around after this week, my internship starts on Monday. Can someone run the quiz?",
    "Could you cancel my mock interview? Happy to reschedule next week.",
    "Goodbye from me as reading group organiser, Priya is taking over!",
    "I've sorted out what I need for the visa appointment, thanks all",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
