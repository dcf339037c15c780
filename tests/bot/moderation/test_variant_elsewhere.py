"""`faq variant B <a phrasing entry A already has>` said "Added a variant to B ... Members see it
now", but members asking that phrasing kept getting A: the moderator believes they redirected
the question, and nothing tells them otherwise."""

from __future__ import annotations

from tests.bot.moderation.test_moderation import KB, MEMBER, MOD, cmd

A = "phd-needed-for-research-labs"
B = "masters-as-a-transition"


async def test_a_variant_another_entry_already_has_is_not_reported_as_live(clocked_service):
    phrasing = KB.by_id()[A].variants[1]
    reply = await cmd(clocked_service, MOD, "faq-variant", f"{B} {phrasing}")
    if reply.kind == "error":
        assert A in reply.body  # refused, naming the entry that answers it
        return
    answer = await cmd(clocked_service, MEMBER, "ask", phrasing)
    assert answer.entry_id == B, f"told 'Members see it now', but members get {answer.entry_id}"
