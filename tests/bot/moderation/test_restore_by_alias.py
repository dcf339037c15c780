"""A hidden or removed entry named by one of its aliases: `faq hide <alias>` worked, but
`faq restore <alias>` (and `history`, `revert`) answered "`<alias>` is not hidden or removed"
or "There is no entry", because only visible entries' aliases were looked up."""

from __future__ import annotations

from tests.bot.moderation.test_moderation import KB, MOD, NEW, add, cmd, entry

BASE_ID = "phd-needed-for-research-labs"
ALIAS = KB.by_id()[BASE_ID].aliases[0]


async def test_a_base_entry_hidden_by_alias_is_restored_by_the_same_alias(clocked_service):
    assert (await cmd(clocked_service, MOD, "faq-hide", ALIAS)).kind == "text"
    reply = await cmd(clocked_service, MOD, "faq-restore", ALIAS)
    assert reply.kind == "text", reply.body
    assert BASE_ID in reply.body
    assert await entry(clocked_service, "guild-a", BASE_ID) is not None


async def test_the_history_of_a_hidden_entry_is_found_by_its_alias(clocked_service):
    assert (await cmd(clocked_service, MOD, "faq-hide", ALIAS)).kind == "text"
    reply = await cmd(clocked_service, MOD, "faq-history", ALIAS)
    assert reply.kind == "list", reply.body
    assert BASE_ID in reply.title and "(hidden)" in reply.title


async def test_a_removed_own_entry_is_restored_by_its_alias(clocked_service):
    assert (await add(clocked_service)).kind == "text"
    assert (await cmd(clocked_service, MOD, "faq-alias", f"{NEW['id']} reading-group")).kind == "text"
    assert (await cmd(clocked_service, MOD, "faq-remove", "reading-group")).kind == "text"
    reply = await cmd(clocked_service, MOD, "faq-restore", "reading-group")
    assert reply.kind == "text", reply.body
    assert await entry(clocked_service, "guild-a", NEW["id"]) is not None
