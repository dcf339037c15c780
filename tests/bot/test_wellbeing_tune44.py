"""Crisis from tune44 (three blind writers: spellings and emoji that dodge word filters; faith and
culture; long forum posts with the crisis buried in them): new phrasings of each family it added,
the filter-dodging spellings read as words, and the ordinary messages that share them."""

from __future__ import annotations

import pytest

from bot.text import scan_text


@pytest.mark.parametrize(("typed", "read"), [
    ("k!ll myself", "kill myself"),
    ("su*cide", "sucide"),
    ("n0 p01nt g01ng b4ck h0m3", "no point going back home"),
    ("\U0001F48A\U0001F48A tonight", "pills pills tonight"),
    # model names, times and addresses stay as written
    ("gpt4 on h100 at 3am", "gpt4 on h100 at 3am"),
    ("llama3 and qwen2 on a100s", "llama3 and qwen2 on a100s"),
])
def test_filter_dodging_spellings_are_read_as_words(typed, read):
    assert scan_text(typed) == read


@pytest.mark.parametrize("message", [
    "k!ll myself. i mean it this time",
    "1 w4nt t0 d13 t0n1ght",
    "\U0001F48A\U0001F48A\U0001F48A been saving them up since march",
    "on the bridge, standing at the railing now",
    "\U0001FAA2 under my bed. been staring at it all night",
    "i'll be with my nani again soon. she always said she would wait",
    "whatever the reviews say, i don't intend to still be here after the 26th",
    "I've got everything squared away. thanks for everything guys",
])
def test_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "my grandma is visiting, I'll see my grandma soon, she said she'd wait for me at the airport",
    "the rope access team inspected the bridge, been looking at it for my CV project",
    "I don't plan to still be here after the semester, moving to Munich for the job",
    "going to unalive the flaky tests in CI today",
    "how do I support a labmate after a suicide attempt?",
])
def test_ordinary_messages_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
