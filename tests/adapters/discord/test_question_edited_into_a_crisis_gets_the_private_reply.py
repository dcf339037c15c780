"""A member who edits their question to careerbot into a crisis message gets the crisis reply
privately. Discord sends the edit as MESSAGE_UPDATE (the whole message, the content included
when it mentions the bot); careerbot read only MESSAGE_CREATE, so the member who wrote "I want
to kill myself" over their question heard nothing, and only the career answer stayed under it.
A fake written from Discord's Gateway and Message pages (`rev3fake`)."""

from __future__ import annotations

from tests.adapters.discord.rev3fake import ANA, APP_ID, TEXT_A, settle, text_of
from tests.adapters.discord.rev3fake_fixtures import Rev3

CAREER = "do I need a PhD to become a research scientist?"
CRISIS = "I want to kill myself, I can't do this anymore"


async def _edit(rev3: Rev3, message: dict, words: str) -> None:
    await rev3.fake.dispatch("MESSAGE_UPDATE", dict(
        message, content=f"<@{APP_ID}> {words}",
        edited_timestamp="2024-05-01T12:01:00.000000+00:00"))
    await settle(1.5)


async def test_a_question_edited_into_a_crisis_gets_the_crisis_reply_by_dm(rev3: Rev3) -> None:
    fake = rev3.fake
    question = await fake.mention(TEXT_A, ANA, CAREER)
    await settle(1.5)
    assert len(fake.public_posts()) == 1  # the career answer, as a reply
    start = len(fake.calls)
    await _edit(rev3, question, CRISIS)
    assert fake.public_posts(start) == []  # nothing more in the channel
    private = fake.dm_posts(start)
    assert private and "988" in "\n".join(text_of(c) for c in private)


async def test_other_edits_are_not_answered_again(rev3: Rev3) -> None:
    fake = rev3.fake
    question = await fake.mention(TEXT_A, ANA, CAREER)
    await settle(1.5)
    start = len(fake.calls)
    await _edit(rev3, question, CAREER.replace("PhD", "Ph.D."))
    assert fake.posts(start) == []
    crisis = await fake.mention(TEXT_A, ANA, CRISIS)
    await settle(1.5)
    start = len(fake.calls)
    await _edit(rev3, crisis, CRISIS + ".")  # a typo fixed: the reply is already there
    assert fake.posts(start) == []


async def test_a_crisis_message_edited_after_the_cache_let_it_go_is_not_answered_again(
        rev3: Rev3) -> None:
    # discord.py keeps the last 1,000 messages; past that (or after a restart of the cache) an
    # edit arrives without the words before it. careerbot remembers what it already answered.
    fake = rev3.fake
    crisis = await fake.mention(TEXT_A, ANA, CRISIS)
    await settle(1.5)
    rev3.client._connection._messages.clear()  # type: ignore[union-attr]
    start = len(fake.calls)
    await _edit(rev3, crisis, CRISIS + ".")
    await _edit(rev3, crisis, CRISIS + ". sorry")
    assert fake.posts(start) == []
