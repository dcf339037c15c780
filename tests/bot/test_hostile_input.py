"""Hostile member text never turns into the apology (red-team L3 for the core): lone surrogates,
NUL and other control characters, any code point at all, in any member command."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.kb.models import KnowledgeBase
from bot.replies import Command, Context, Reply
from bot.service import Service
from bot.store import Store

APOLOGY = "something went wrong"
# Every code point: surrogates (Cs), controls (Cc), unassigned (Cn) and private use included.
ANY_CHAR = st.characters(exclude_categories=())
# Characters that carry no words: nothing a member adds with them can change the question.
WORDLESS = st.sampled_from(["\ud800", "\udfff", "\udc80", "\x00", "\x01", "\x1b", "\x7f", "\u200b",
                            "\ufeff", "\u2028", "\r", "\t", " "])
ANSWERABLE = "are AI residencies worth it?"


class Harness:
    """One store and service for every example of a test, on a loop of its own (hypothesis
    examples cannot share pytest's function-scoped async fixtures)."""

    def __init__(self, kb: KnowledgeBase, db: Path):
        self.loop = asyncio.new_event_loop()
        self.store = self.loop.run_until_complete(Store.open(db))
        self.service = Service(kb, self.store)

    def handle(self, name: str, text: str, user: str = "fuzz") -> Reply:
        ctx = Context("console", "local", "c", user, user, True, False)
        return self.loop.run_until_complete(self.service.handle(Command(ctx, name, text)))

    def close(self) -> None:
        self.loop.run_until_complete(self.store.close())
        self.loop.close()


@pytest.fixture
def harness(kb: KnowledgeBase, tmp_path: Path) -> Iterator[Harness]:
    h = Harness(kb, tmp_path / "fuzz.db")
    yield h
    h.close()


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(name=st.sampled_from(["ask", "faq", "quiz", "help", "topics"]),
       text=st.text(alphabet=ANY_CHAR, max_size=200))
def test_any_text_in_any_member_command_gets_a_reply_not_the_apology(harness: Harness, name: str,
                                                                     text: str):
    reply = harness.handle(name, text)
    assert APOLOGY not in reply.body, (name, text)
    if name == "quiz":
        harness.handle("quiz", "cancel")


@FUZZ
@given(before=st.lists(WORDLESS, max_size=6), after=st.lists(WORDLESS, max_size=6),
       inside=st.lists(WORDLESS, min_size=1, max_size=3))
def test_wordless_characters_never_turn_an_answerable_question_into_the_apology(
        harness: Harness, before: list[str], after: list[str], inside: list[str]):
    words = ANSWERABLE.split(" ")
    # Beside the words, never splitting one: "resid\ud800encies" would be another word.
    question = "".join(before) + (" " + "".join(inside) + " ").join(words) + "".join(after)
    reply = harness.handle("ask", question)
    assert APOLOGY not in reply.body, ascii(question)
    assert reply.kind == "answer", ascii(question)


def test_a_lone_surrogate_in_an_unknown_question_gets_the_honest_reply(harness: Harness):
    reply = harness.handle("ask", "how do I fix CUDA \ud800 out of memory?")
    assert reply.kind == "unknown"
    assert "I don't know that one" in reply.body
