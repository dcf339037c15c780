"""A member's `faq` words that begin with a moderators' verb.

`faq remove myself from this world, I can't go on` from a member was routed to `faq-remove` and
answered "Only moderators can change this community's FAQ": the wellbeing check never read it,
on every platform (Discord's `/faq entry:`, Slack's `/careerbot faq ...`, the console's `/faq`).
Words after the verb are read by the wellbeing check first, as any words a member types; anything
else still gets the moderators' refusal, and a moderator still reaches the command.
"""

from __future__ import annotations

from bot.moderation.base import REFUSED
from bot.replies import Command, Context

MEMBER = Context("console", "local", "console", "ana", "ana", False, False)
MOD = Context("console", "local", "console", "mo", "mo", False, True)


async def test_a_crisis_after_faq_remove_gets_the_safety_reply(service):
    reply = await service.handle(Command(MEMBER, "faq", "remove myself from this world tonight, i want to die"))
    assert reply.kind == "safety" and reply.ephemeral, (reply.kind, reply.body)


async def test_a_crisis_after_faq_history_gets_the_safety_reply(service):
    reply = await service.handle(Command(MEMBER, "faq", "history repeats, i am going to kill myself tonight"))
    assert reply.kind == "safety" and reply.ephemeral, (reply.kind, reply.body)


async def test_a_crisis_sent_to_a_moderators_command_by_name_gets_the_safety_reply(service):
    reply = await service.handle(Command(MEMBER, "faq-helpline", "please, i want to end my life tonight"))
    assert reply.kind == "safety" and reply.ephemeral, (reply.kind, reply.body)


async def test_other_words_after_the_verb_still_get_the_moderators_refusal(service):
    reply = await service.handle(Command(MEMBER, "faq", "hide phd-needed-for-research-labs"))
    assert reply.kind == "error" and reply.body == REFUSED


async def test_the_verb_alone_still_gets_the_moderators_refusal(service):
    reply = await service.handle(Command(MEMBER, "faq", "remove"))
    assert reply.kind == "error" and reply.body == REFUSED


async def test_a_moderator_still_reaches_the_moderators_command(service):
    reply = await service.handle(Command(MOD, "faq", "history phd-needed-for-research-labs"))
    assert reply.kind == "list", reply.body
