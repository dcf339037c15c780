"""How members really write: the sentence model beside the lexical rank, uncovered questions,
small talk and chat mentions, through the whole service."""

from __future__ import annotations

import pytest

from bot.replies import Command, Context

MEMBER = Context("console", "local", "c", "alice", "alice", True, False)


@pytest.mark.parametrize(("question", "entry_id"), [
    ("whats the diff between RS and RE", "roles-three-lab-roles"),
    ("how much do research scientists make", "roles-researcher-vs-ml-engineer-pay"),
    ("what does a research engineer do? cc @ana", "roles-research-engineer"),
    ("@channel what does a research engineer do 🙏", "roles-research-engineer"),
    pytest.param("how many papers do u need to get hired at openai",
                 "publishing-papers-for-research-jobs",
                 marks=pytest.mark.xfail(strict=True, reason="still answered by the PhD entry")),
])
async def test_quoted_member_questions_get_the_entry_a_mentor_would_pick(service, question,
                                                                          entry_id):
    result = await service.match("local", question)
    assert result.status == "answered" and result.entry is not None
    assert result.entry.id == entry_id


async def test_should_you_do_a_phd_is_answered_from_the_phd_topic(service):
    result = await service.match(
        "local", "If you want to work in machine learning, should you do a PhD?")
    assert result.status == "answered" and "phd" in result.entry.topics


@pytest.mark.parametrize("noise", ["", " cc @ana", " @here", " <@U123ABC>", " 🔥🔥", " https://x.io/a"])
async def test_mentions_emoji_and_links_never_change_the_answer(service, noise):
    plain = await service.match("local", "are AI residencies worth it?")
    noisy = await service.match("local", "are AI residencies worth it?" + noise)
    assert (noisy.status, noisy.entry.id) == (plain.status, plain.entry.id)


async def test_greetings_get_a_friendly_reply_and_are_not_queued(service, store):
    for text in ("hi!", "thanks a lot 🙏", "hey there"):
        reply = await service.handle(Command(MEMBER, "ask", text))
        assert reply.kind == "text" and "don't know" not in reply.body
    assert (await store.fetchone("SELECT COUNT(*) FROM unanswered"))[0] == 0
    assert (await store.fetchone("SELECT COUNT(*) FROM ask_log"))[0] == 0
    hello_question = await service.match("local", "hi, do I need a PhD to work at DeepMind?")
    assert hello_question.status == "answered"


async def test_an_on_topic_question_the_base_does_not_cover_is_passed_to_moderators(service, store):
    question = "is the ELLIS PhD programme's interview harder than the Max Planck school's?"
    result = await service.match("local", question)
    assert result.status == "uncovered" and result.entry is None
    reply = await service.handle(Command(MEMBER, "ask", question))
    assert "passed it to the moderators" in reply.body
    rows = await store.fetchall("SELECT sample FROM unanswered")
    assert [r[0] for r in rows] == [question]


async def test_off_topic_keeps_the_plain_i_dont_know(service):
    reply = await service.handle(Command(MEMBER, "ask", "what's the best pizza in Naples?"))
    assert reply.kind == "unknown" and "I don't know that one" in reply.body
