"""Moderators' changes to entries whose `related` list names an entry the community hid, or
an edit form submitted after someone else hid the entry.

Hiding a base entry is routine ("this doesn't fit our server"); each base entry lists 1-3
related entries, so after one hide its neighbours could no longer take a variant or an alias
(`Not saved: related: unknown entry ...`), nor be attached to from the unanswered queue, nor
be edited without first deleting the reference. An edit form submitted after another
moderator hid the entry lost everything the moderator typed.
"""

from __future__ import annotations

import yaml

from bot.moderation.overlay import Curator
from bot.moderation.validate import export_community, parse_import
from bot.replies import ButtonPress, FormSubmit, Reply
from tests.bot.moderation.test_moderation import KB, MOD, MOD2, cmd, entry

BASE_ID = "phd-needed-for-research-labs"
RELATED = KB.by_id()[BASE_ID].related[0]


async def test_a_variant_can_be_added_to_an_entry_whose_related_entry_is_hidden(clocked_service):
    assert (await cmd(clocked_service, MOD, "faq-hide", RELATED)).kind == "text"
    reply = await cmd(clocked_service, MOD, "faq-variant", f"{BASE_ID} is a doctorate a must at zebra labs")
    assert reply.kind == "text", reply.body
    assert "is a doctorate a must at zebra labs" in (await entry(clocked_service, "guild-a", BASE_ID)).variants


async def test_an_alias_can_be_added_to_an_entry_whose_related_entry_is_hidden(clocked_service):
    assert (await cmd(clocked_service, MOD, "faq-hide", RELATED)).kind == "text"
    reply = await cmd(clocked_service, MOD, "faq-alias", f"{BASE_ID} zebra-phd")
    assert reply.kind == "text", reply.body


async def test_an_entry_whose_related_entry_is_hidden_can_still_be_edited(clocked_service):
    assert (await cmd(clocked_service, MOD, "faq-hide", RELATED)).kind == "text"
    form = (await cmd(clocked_service, MOD, "faq-edit", BASE_ID)).form
    assert form is not None
    values = {f.id: f.value for f in form.fields}
    values["answer"] = "A community-specific answer that is long enough to be valid."
    reply = await clocked_service.handle(FormSubmit(MOD, "faq-edit", values, form.state))
    assert reply.kind == "text", (reply.body, reply.errors)


async def test_a_community_export_with_a_hidden_related_entry_imports_back(clocked_service):
    """`kb export --community` then `kb import --community` of the same file (the documented
    review-and-merge loop) must not be refused over the community's own hiding."""
    assert (await cmd(clocked_service, MOD, "faq-variant", f"{BASE_ID} is a doctorate a must at zebra labs")
            ).kind == "text"
    assert (await cmd(clocked_service, MOD, "faq-hide", RELATED)).kind == "text"
    curator = Curator(clocked_service.store, KB)
    data = yaml.safe_load(yaml.safe_dump(await export_community(curator, "guild-a")))
    current = await curator.entries("guild-a", list(KB.entries))
    _, _, problems = parse_import(data, KB, current, "export.yaml")
    assert problems == []


def _texts(reply: Reply) -> str:
    return reply.body + "\n" + "\n".join(v for _, v in reply.fields)


async def test_an_edit_submitted_after_another_moderator_hid_the_entry_keeps_the_text(clocked_service):
    entry_id = "masters-as-a-transition"
    form = (await cmd(clocked_service, MOD, "faq-edit", entry_id)).form
    assert form is not None
    values = {f.id: f.value for f in form.fields}
    typed = "Ten minutes of careful writing by the first moderator, about local programs."
    values["answer"] = typed
    assert (await cmd(clocked_service, MOD2, "faq-hide", entry_id)).kind == "text"

    reply = await clocked_service.handle(FormSubmit(MOD, "faq-edit", values, form.state))
    assert reply.kind == "error"
    # The moderator gets their text back: in the reply, or a form to reopen pre-filled.
    found = typed in _texts(reply)
    for choice in reply.choices:
        if choice.action == "mod-reopen":
            reopened = await clocked_service.handle(ButtonPress(MOD, "mod-reopen", choice.payload))
            found |= reopened.form is not None and any(
                f.value == typed for f in reopened.form.fields)
    assert found, (reply.body, reply.fields, reply.choices)



async def _alias_claims(clocked_service, community: str) -> dict[str, list[str]]:
    claims: dict[str, list[str]] = {}
    for e in (await clocked_service.view(community, fresh=True)).entries:
        for alias in e.aliases:
            claims.setdefault(alias, []).append(e.id)
    return claims


async def test_restoring_an_entry_whose_alias_was_given_away_leaves_no_entry_stuck(clocked_service):
    """Hide X, give X's alias to Y (allowed: X is hidden), restore X: both claimed the alias,
    `faq <alias>` went to X, and neither X nor Y could take a variant or an alias any more
    ("'need-phd' is already an alias of ...")."""
    alias = KB.by_id()[BASE_ID].aliases[-1]
    other = "masters-as-a-transition"
    assert (await cmd(clocked_service, MOD, "faq-hide", BASE_ID)).kind == "text"
    assert (await cmd(clocked_service, MOD, "faq-alias", f"{other} {alias}")).kind == "text"
    await cmd(clocked_service, MOD, "faq-restore", BASE_ID)

    claims = await _alias_claims(clocked_service, "guild-a")
    assert len(claims.get(alias, [])) == 1, claims.get(alias)
    reply = await cmd(clocked_service, MOD, "faq-variant", f"{other} is a masters a good bridge to zebra labs")
    assert reply.kind == "text", reply.body


async def test_reverting_to_a_revision_whose_alias_was_given_away_leaves_no_entry_stuck(clocked_service):
    other = "masters-as-a-transition"
    assert (await cmd(clocked_service, MOD, "faq-alias", f"{BASE_ID} zebra-phd")).kind == "text"  # r1
    form = (await cmd(clocked_service, MOD, "faq-edit", BASE_ID)).form
    values = {f.id: f.value for f in form.fields}
    values["details"] = values["details"].replace(", zebra-phd", "")
    assert (await clocked_service.handle(FormSubmit(MOD, "faq-edit", values, form.state))).kind == "text"
    assert (await cmd(clocked_service, MOD, "faq-alias", f"{other} zebra-phd")).kind == "text"
    await cmd(clocked_service, MOD, "faq-revert", f"{BASE_ID} 1")

    claims = await _alias_claims(clocked_service, "guild-a")
    assert len(claims.get("zebra-phd", [])) == 1, claims.get("zebra-phd")
    reply = await cmd(clocked_service, MOD, "faq-variant", f"{other} is a masters a good bridge to zebra labs")
    assert reply.kind == "text", reply.body
