"""Flow: a moderator edits an entry whose variants are too long for the edit form, submits an
invalid answer, presses "Fix and resubmit", fixes the answer and saves.

The first form leaves the variants field out on purpose (bot.moderation.forms: "A longer
variants list is left out of the edit form rather than cut: a renderer that truncated it would
silently drop variants on save"). The draft kept for "Fix and resubmit" has no `variants` value,
so the reopened form showed an *empty* "Other phrasings" field, and saving it deleted every
variant of the entry.
"""

from __future__ import annotations

from bot.moderation.forms import MAX_FORM_FIELD
from bot.replies import ButtonPress, Command, Context, FormSubmit
from bot.service import Service

MOD = Context("discord", "guild-a", "general", "mod1", "mod1", False, True)
ENTRY = "standing-out-home-gpu-lab"  # the base entry with the longest variants list


async def test_fix_and_resubmit_keeps_variants_left_out_of_the_form(service: Service):
    # A community adds phrasings until the list no longer fits in the edit form.
    for text in ("can I build a deep learning rig at home with a couple of used consumer GPUs "
                 "and still do research that gets me hired at a lab",
                 "is a home GPU lab enough to publish a workshop paper"):
        added = await service.handle(Command(MOD, "faq", f"variant {ENTRY} {text}"))
        assert added.kind == "text", added.body
    before = (await service.lookup("guild-a", ENTRY)).variants
    assert len("\n".join(before)) > MAX_FORM_FIELD

    opened = await service.handle(Command(MOD, "faq", f"edit {ENTRY}"))
    assert opened.form is not None
    assert "variants" not in [f.id for f in opened.form.fields]  # left out, as designed
    values = {f.id: f.value for f in opened.form.fields}

    refused = await service.handle(
        FormSubmit(MOD, "faq-edit", {**values, "answer": "too short"}, opened.form.state))
    assert refused.kind == "error" and "answer" in refused.errors
    (reopen,) = [c for c in refused.choices if c.action == "mod-reopen"]

    again = await service.handle(ButtonPress(MOD, "mod-reopen", reopen.payload))
    assert again.form is not None
    fixed = {f.id: f.value for f in again.form.fields}
    fixed["answer"] = values["answer"] + " Updated after the first try."
    saved = await service.handle(FormSubmit(MOD, "faq-edit", fixed, again.form.state))
    assert saved.kind == "text", saved.body

    after = await service.lookup("guild-a", ENTRY)
    assert after.answer.endswith("Updated after the first try.")
    assert after.variants == before
