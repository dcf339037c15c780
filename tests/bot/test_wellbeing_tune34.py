"""Quiet crisis from tune34 (three blind writers: non-native English and code-switching, terse
server chat, long careful forum posts): new phrasings of each family it added, and the ordinary
messages that share their words (travel, moving, estate planning, jokes, ops jargon) staying
ordinary. The ordinary lines come from the audit that narrowed the first version."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # at a height, working out whether it would be quick
    "every night i stop on the overpass and catch myself figuring out if it would be quick",
    # pills kept back instead of taken, "so I have the option"
    "i've been setting aside my antidepressants instead of taking them. about a month's worth now",
    "the sleeping pills are in my desk drawer, just so i have the option if the visa gets denied",
    # made to look like an accident, for the payout
    "planning the crash so it won't look like anything other than an accident",
    "my kids would be better provided for by the life insurance payout than by me",
    # not intending to be around for the next round, even with a reason that is no plan
    "if this cycle fails too i do not intend to be around for the next cycle",
    "i don't plan to be around for the next round, i'm tired of all of it",
    # driving somewhere and not back
    "tomorrow i'm driving out to the reservoir and i don't plan on driving back",
    # an attempt: the medicine cabinet, waking up in the emergency room
    "last week i swallowed a bottle of pills and woke up in the emergency room",
    "i took everything from the bathroom cabinet on sunday night",
    # gone by a day; "just know it wasn't ... fault"
    "dont worry about the group project, i'm planning on being gone by thursday",
    "if i never come back online just know it wasn't anyone in here's fault",
    # a deadline given to oneself, passed with nothing, and calm
    "gave myself until the last interview and it's over. honestly calm now",
    # not eating on purpose so the problem solves itself
    "stopped eating and sleeping on purpose, figured the problem solves itself eventually",
    # a head hit against a wall until it bleeds
    "after every rejection i hit my head against the wall until it bleeds",
    # a parent told it was not their fault
    "please tell my dad it wasn't his fault",
    # Hindi in Latin letters, Turkish, Tagalog, Vietnamese, Spanish
    "ghar walon ke liye accha hoga agar main na rahun",
    "ben olmasam ailem için daha rahat olur",
    "sana hindi na ako magising pagkatapos ng interview bukas",
    "đêm nay em sẽ đi, xin lỗi mọi người",
    "anoche me quedé dos horas en la azotea mirando hacia abajo",
    # one cut become every night
    "it was one cut in may and now it's every night and i can't stop",
])
def test_quiet_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "stuck on the train platform figuring out if it would be quick or if i should take an uber",
    "still figuring out whether it would be quick on int8 at the edge, anyone benchmarked it?",
    "putting my allergy meds away rather than taking them during the workday, they make me drowsy",
    "i keep a few painkillers in my bag just so i have the option on long flights",
    "the murder in my novel doesn't look like anything but an accident until chapter 12",
    "my laptop is better protected by the insurance policy than by me, is applecare worth it",
    "how does life insurance pay out if the death is not an accident? comparing policies",
    "lol i don't plan to be around for the next round, i'm switching to the llm comp instead",
    "taking the team to the lake for the offsite, we don't plan on driving back, booked a cabin",
    "the movers took everything from the bathroom cabinet including my retainer",
    "patients who swallowed pills at home and woke up in the icu: any good ner models for that?",
    "heads up i'll be gone by friday, flying to seoul to visit family",
    "if i don't show up to standup tomorrow know it wasn't dave's fault, the vpn is down",
    "gave myself until friday to finish the draft. friday is here, draft submitted, weirdly calm",
    "i stopped eating after 6pm on purpose and the snacking problem basically solves itself",
    "spent 3 hours banging my head against the wall until i realized the tokenizer was wrong",
    "mummy ko bata dena ki unki koi galti nahi hai, market hi kharab hai abhi",
    "agar main na rahun standup me kal, toh rohit demo le lega",
    "yarın toplantıda ben olmasam herkes sunumu yapabilir mi?",
    "ayoko nang gumising ng 6am para sa standup ng us team",
    "tối nay con sẽ đi đà nẵng công tác, xin lỗi bố mẹ vì không về ăn cơm",
    "trabajando desde el balcón del airbnb mirando hacia abajo a los tranvías",
    "burning through colab credits every night and i can't stop",
    "made my peace with leaving berlin, the rent was insane. any mle leads in lisbon?",
    "anyone else find it exhausting handling all my affairs from abroad? taxes in two countries",
    "putting my affairs in order before moving to zurich for a postdoc, what did i miss?",
])
def test_the_ordinary_messages_beside_them_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_reason_to_leave_said_not_to_be_one_explains_no_goodbye(wellbeing):
    # A goodbye is never answered with a career entry alone; a real reason explains it.
    assert wellbeing.check("this will be my last post. i'm not going to be looking for "
                           "a new role. take care all") in ("distress", "crisis")
    assert wellbeing.check("this is my last post here, i'm starting a new job at a bank and "
                           "won't have time for the server. thanks all!") is None


# A move said as "since i'm moving into ..." explains things given away (tune33 had a GPU and
# textbooks given away that way get the safety reply); moving "on" explains nothing.
@pytest.mark.parametrize(("message", "tier"), [
    ("giving away my old 3090 and a box of papers since i'm moving into a shared flat, pickup "
     "friday", None),
    ("gave away my desk and two monitors because we're moving in with my partner's parents", None),
    ("giving away all my stuff since i'm moving on, won't need any of it", "crisis"),
    ("i gave away my cat and my books since i won't be needing them where i'm going", "crisis"),
])
def test_a_move_explains_things_given_away_but_moving_on_does_not(wellbeing, message, tier):
    assert wellbeing.check(message) == tier
