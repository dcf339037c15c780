"""Crisis from tune49 (three blind writers: algospeak and gaming talk of students; members living
with a named condition, veterans and refugees; quiet practical goodbyes at work and in the lab):
new phrasings of each family it added, and the ordinary messages that share their words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "deprecating myself after the deadline. nobody will need to maintain me",
    "no extra lives left this time, for real",
    "the big sleep is booked for this weekend, sorry everyone",
    "the one thing keeping me from ending it is my dog honestly",
    "stood on the bridge after the lab party and nearly didn't walk back",
    "i'm kind of hoping my body just gives out before the thesis is due",
    "the voices keep on telling me to end it and it's getting harder to argue",
    "finished writing the notes people leave behind. one for each of my sisters",
    "found the roof. going tonight after group meeting",
    "not planning on taking a normal dose this time",
    "i made an attempt in 2020 and it's the same calm feeling now",
    "i sit on the ledge of my window every night thinking it would be faster than the visa process",
    "i'm leaving, full stop. not the lab, everything",
    "sorted the passwords and the insurance papers so it's easy for my partner for after",
    "i just want everything to be tidy when my parents find out",
    "if I don't come in tomorrow the data is on the NAS. sorry to everyone, it's been a long time coming",
    "my laptop unalived itself and honestly i'm jealous, same to me please",
    "sunsetting myself. the release notes are written",
    "booked my big sleep for sunday, already decided",
    "if you don't hear from me after the defense, thank you all. it's not anyone's fault",
    "wrote two letters, not the kind you post, the kind you leave on the desk",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "emotionally at zero hp since the layoff, no idea how to refill",
    "everything feels so grey since the rejections, can't enjoy anything",
    "the flashbacks keep coming back since the anniversary and i can't study",
])
def test_distress_gets_at_least_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "uninstalling myself from the group chat for exam season, ping me by email",
    "no respawns in this roguelike, that's why i love it",
    "the big sleep is a great noir, anyone read chandler?",
    "my gpu unalived itself mid training run, rma or buy a new one?",
    "the sewer slide on my validation loss after epoch 40 looks like a data leak",
    "the interview was so bad i wanted to die lol, anyway they passed me",
    "gave away my old textbooks since i'm switching to ML",
    "gave away my monitor and books, moving country next week",
    "PTSD accommodations for quals: what documentation did your office want?",
    "the fresh air helps with the flashbacks, any ML podcasts for walks?",
    "deprecating myself as the maintainer of the old data loader, v2 is cleaner",
    "no respawn this time, for real: the cluster slot is one shot, how do I checkpoint?",
    "the only thing between me and game over in this interview prep is DP",
    "walked to the old bridge for sunset and almost didn't walk back bc the view was unreal",
    "sitting on my balcony with the laptop, thinking it would be quicker to just use colab",
    "not planning on using a normal amount of compute this time, 512 GPUs for a week",
    "i'm leaving, full stop. handed in my notice, starting at a research lab in may",
    "making things easy for my partner for after the baby comes: handover docs first",
    "the big sleep is scheduled for friday after my defense. 14 hours minimum, phone off",
])
def test_ordinary_messages_that_share_the_words_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
