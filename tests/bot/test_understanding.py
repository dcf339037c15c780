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
    ("how many papers do u need to get hired at openai", "publishing-papers-for-research-jobs"),
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
    await service.settle()
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
    await service.settle()
    rows = await store.fetchall("SELECT sample FROM unanswered")
    assert [r[0] for r in rows] == [question]


async def test_off_topic_keeps_the_plain_i_dont_know(service):
    reply = await service.handle(Command(MEMBER, "ask", "what's the best pizza in Naples?"))
    assert reply.kind == "unknown" and "I don't know that one" in reply.body


# A member's whole situation before the question: longer than the 256 word pieces the sentence
# model reads, so read whole, the question at the end was never seen.
LONG_STORY = (
    "I have been working as a backend developer for six years, mostly Java and some Go, at a "
    "logistics company in Lyon. Last year my team started a small forecasting project and I ended "
    "up doing most of the modelling, which I loved far more than the API work. Since then I have "
    "taken two online courses in the evenings, reimplemented a couple of papers on weekends and "
    "read far too many threads about which path is right. My manager is supportive but there is no "
    "ML team to move into, and my partner and I have a mortgage, so quitting for two years of "
    "study is hard to imagine. I also have a side project, a small library for time series "
    "features, that a few hundred people use. On top of that I mentor two juniors at work, run a "
    "small reading group on Thursdays, and spent most of last summer cleaning up our data "
    "pipelines, which taught me a lot about how messy real data is. My parents still do not really "
    "understand what I do, and my friends mostly work in finance. I play football on Sundays, I am "
    "learning Italian with an app, and I spend far too long reading about keyboards. We got a dog "
    "in the spring, which means early walks before work, and I have been trying to keep my "
    "evenings free for study, with mixed success if I am honest. "
)


@pytest.mark.parametrize(("question", "topic"), [
    ("So my question: are those AI residency programmes at the big labs worth applying to for "
     "someone like me?", "residencies"),
    ("So my question: would a master's degree be the sensible next step?", "masters"),
])
async def test_a_question_at_the_end_of_a_long_story_is_still_read(service, question, topic):
    result = await service.match("local", LONG_STORY + question)
    assert result.status == "answered" and topic in result.entry.topics
