"""`kb export --community` then `kb import --community` of the same file, when one of the
community's own entries still links (`related`) to another own entry the community removed.

Removing an entry leaves the links to it in place (answers leave the link out, and the linking
entry can still take an edit, a variant or an alias), so the community's own export carries the
link and the import refused it as `related: unknown entry`.
"""

from __future__ import annotations

import yaml

from bot.moderation.overlay import Curator
from bot.moderation.validate import export_community, parse_import
from bot.replies import FormSubmit
from tests.bot.moderation.test_moderation import KB, MOD, add, cmd

LINKED = "reading-group-papers"


async def test_an_export_linking_to_a_removed_own_entry_imports_back(clocked_service):
    svc = clocked_service
    assert (await add(svc)).kind == "text"
    assert (await add(svc, id=LINKED, question="Which papers has the reading group covered so far?")
            ).kind == "text"
    form = (await cmd(svc, MOD, "faq-edit", "paper-reading-group")).form
    assert form is not None
    values = {f.id: f.value for f in form.fields}
    values["details"] = "\n".join(
        [line for line in values["details"].split("\n") if not line.startswith("related:")]
        + [f"related: {LINKED}"])
    saved = await svc.handle(FormSubmit(MOD, "faq-edit", values, form.state))
    assert saved.kind == "text", (saved.body, saved.errors)
    assert (await cmd(svc, MOD, "faq-remove", LINKED)).kind == "text"

    curator = Curator(svc.store, KB)
    data = yaml.safe_load(yaml.safe_dump(await export_community(curator, "guild-a")))
    current = await curator.entries("guild-a", list(KB.entries))
    _, _, problems = parse_import(data, KB, current, "export.yaml")
    assert problems == []


async def test_an_import_still_refuses_a_new_link_to_a_removed_entry(clocked_service):
    """Only a link the entry already has is kept: a new one to a removed entry is refused."""
    svc = clocked_service
    assert (await add(svc)).kind == "text"
    assert (await add(svc, id=LINKED, question="Which papers has the reading group covered so far?")
            ).kind == "text"
    assert (await cmd(svc, MOD, "faq-remove", LINKED)).kind == "text"

    curator = Curator(svc.store, KB)
    data = yaml.safe_load(yaml.safe_dump(await export_community(curator, "guild-a")))
    data["entries"][0]["related"] = [LINKED]
    current = await curator.entries("guild-a", list(KB.entries))
    _, _, problems = parse_import(data, KB, current, "export.yaml")
    assert [p.field for p in problems] == ["related"]
