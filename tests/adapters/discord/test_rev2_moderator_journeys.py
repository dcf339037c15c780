"""Moderator journeys as a new server's admin would run them, against `rev2fake` (a fake Discord
written from the API documentation): a moderator by role, and a member without it."""

from __future__ import annotations

from typing import Any

from tests.adapters.discord.rev2fake import MOD_ROLE

MOD, MEMBER = "1500000000000000901", "1500000000000000902"


def focused(verb: str, typed: str) -> list[dict[str, Any]]:
    return [{"name": verb, "type": 1,
             "options": [{"name": "entry", "type": 3, "value": typed, "focused": True}]}]


async def test_faqadmin_restore_suggests_the_entry_the_moderator_hid(rev2: Any) -> None:
    fake = rev2.fake
    hid = await fake.faqadmin(MOD, "hide", entry="programs-insight-ai", roles=[MOD_ROLE])
    assert "Hid `programs-insight-ai`" in fake.to(hid)[-1].text
    # A member without the role (the command shown to them by a server setting) sees none.
    assert await fake.autocomplete(MEMBER, "faqadmin", focused("restore", "insight")) == []
    for typed in ("", "insight", "programs-insight-ai"):
        choices = await fake.autocomplete(MOD, "faqadmin", focused("restore", typed),
                                          roles=[MOD_ROLE])
        assert "programs-insight-ai" in [c["value"] for c in choices or []], typed
    restored = await fake.faqadmin(MOD, "restore", entry="programs-insight-ai", roles=[MOD_ROLE])
    assert "Restored `programs-insight-ai`" in fake.to(restored)[-1].text
    # Entries members can already see are no suggestion for `restore`.
    choices = await fake.autocomplete(MOD, "faqadmin", focused("restore", "insight"),
                                      roles=[MOD_ROLE])
    assert choices == []


async def test_add_form_opened_before_a_restart_names_its_fields_when_refused(rev2: Any) -> None:
    fake = rev2.fake
    opened = await fake.faqadmin(MOD, "add", question="What is a good first ML job?",
                                 roles=[MOD_ROLE])
    modal = fake.modal_for(opened)
    await rev2.restart()  # a deploy while the moderator fills the form in
    sent = await fake.submit(MOD, modal, {"id": "First Job", "topic": "skills",
                                          "answer": "Look at research engineering roles.",
                                          "sources": "nowhere"}, roles=[MOD_ROLE])
    refusal = fake.to(sent)[-1].text
    assert "The entry was not saved" in refusal
    assert "**Id (lowercase-kebab-case)**" in refusal
    assert "**Sources (source-id: where)**" in refusal
    assert "**id**" not in refusal and "**sources**" not in refusal
