"""Text typed where a name was expected (`faq <id or topic>`, `quiz <id>`) is read as what it is:
a member who is not okay gets the private wellbeing reply, and a question after `faq` is answered,
rather than "there is no entry called ..."."""

from __future__ import annotations

import pytest

from bot.replies import Command, Context

MEMBER = Context("discord", "g1", "c1", "u1", "ana", False, False)


@pytest.mark.parametrize("name", ["faq", "quiz"])
@pytest.mark.parametrize("text", ["i want to kill myself", "kms", "I just want it all to stop"])
async def test_crisis_typed_as_a_name_gets_the_private_safety_reply(service, store, name, text):
    reply = await service.handle(Command(MEMBER, name, text))
    assert reply.kind == "safety" and reply.ephemeral
    assert "988" in reply.body
    await service.settle()
    assert (await store.fetchone("SELECT COUNT(*) FROM ask_log"))[0] == 0


@pytest.mark.parametrize("name", ["faq", "quiz"])
async def test_distress_typed_as_a_name_gets_the_support_reply(service, name):
    reply = await service.handle(Command(MEMBER, name, "im so depressed"))
    assert reply.kind == "support" and reply.ephemeral


async def test_a_question_after_faq_is_answered(service):
    reply = await service.handle(Command(MEMBER, "faq", "do i need a phd for deepmind"))
    assert reply.kind == "answer"
    assert reply.entry_id == "phd-needed-for-research-labs"


@pytest.mark.parametrize(("name", "text", "hint"), [
    ("faq", "phdd", "`phd`"), ("faq", "residencie", "`residencies`"),
    ("quiz", "mlpath", "`ml-path`"), ("quiz", "phd fit", "`phd-fit`"),
])
async def test_a_mistyped_name_still_gets_the_list_of_names(service, name, text, hint):
    reply = await service.handle(Command(MEMBER, name, text))
    assert reply.kind == "error" and hint in reply.body
