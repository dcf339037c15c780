"""Wellbeing round tune16 (written blind, measured before any change: crisis in many voices and
17 languages; crisis recall 56/80 at first). New phrasings of each family, not the set's own
lines."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    "honestly I don't think I'll be around for the next hiring cycle",
    "once the dog is with my brother there's nothing keeping me here",
    "the plan is just to wait until my parents are away for the weekend",
    "i want out. for good",
    "anyone know how to hide new cuts on my wrists for a zoom onsite",
    "told my lab I'm moving back home. I'm not moving anywhere",
    "I'd rather not exist than go back and face them",
    "part of me wants to die and the other part is too tired to argue",
    "I tried in 2023 and lately I feel like that again",
    "how long until anyone notices if I stop replying here",
    "can't do it anymore. done",
    "às vezes acho que seria melhor se eu sumisse",
    "guess I'll go die then. not really a joke tbh",
    "Я написал прощальные письма родителям",
])
def test_tune16_crisis_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "guess i'll just go die lol, rejected again by a FAANG recruiter",
    "the policy fell into a death spiral after 2M steps, any tricks to stabilise PPO?",
    "died 50 times to the same boss last night, no regrets",
    "our toxicity model misses 'unalive' in comments, how do people handle algospeak?",
    "the test set is full of overdose and shooting headlines, how do we protect the annotators?",
    "hopeless case here: conda cannot solve this environment",
])
def test_tune16_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


# The audit of this round: a helper wrote ordinary messages aimed at the new crisis patterns, and
# 48 of its 70 were flagged at first (12 now, most by older patterns). Each of these was.
@pytest.mark.parametrize("message", [
    "nothing keeping me here at this company now that my manager left, should I job hunt?",
    "won't be around for the next cycle of the reading group, moving to Tokyo",
    "the plan is to wait till my parents are asleep and then grind leetcode in peace",
    "before I'm gone for vacation, can someone review my PR on the tokenizer?",
    "I want out of academia forever, how hard is the switch to industry DS?",
    "my github is a tombstone at this point tbh, should I even link it on my resume?",
    "how to cover fresh burns on my arms from a cooking accident before a photo for the company page?",
    "tried last year to get into the residency, feel like that again this year, should I reapply?",
    "the only exit I can see from this data mess is rewriting the pipeline",
    "will the model still be alive by the time the paper gets accepted lol",
    "today's the day! final round at deepmind, thanks everyone for the mock interviews, goodbye nerves",
    "how many days until someone notices I changed the default learning rate in prod config",
    "I'll just go die in the gym lol",
    "seria melhor se eu não existisse no slack do time antigo, como saio de todos os canais?",
])
def test_tune16_audit_ordinary_messages_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "I want out for good, not of the job, of everything",
    "told my whole team I'm moving away next week but I'm not moving, I won't be anywhere",
    "the plan is to wait until my partner is away this weekend and then do it",
    "how many days until someone notices if a person stops logging in. asking for reasons",
])
def test_tune16_audit_crisis_messages_are_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"
