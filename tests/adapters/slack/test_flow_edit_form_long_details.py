"""Flow: a community gives an entry many aliases with `faq alias`, then a moderator opens the
entry's edit form in Slack, changes one word of the answer and saves.

The form's "Topic, also_topics, tags, aliases, related" field allows 1,000 characters; the
entry's details had grown past that, and the modal's pre-filled value was cut at the limit (the
renderer never sends more than `max_length`). Saving the untouched, cut field was refused with
"aliases: 'sony-ai-ai-residency-' is not lowercase kebab-case", an alias nobody typed, and the
entry could no longer be edited through the form at all; a cut landing between two words saves
the shortened list instead, dropping aliases and the `related` line without a word. The edit
form already leaves out a variants list too long for it for exactly this reason.
"""

from __future__ import annotations

from adapters.slack_render import FormOrigin, form_values, render_modal
from bot.replies import Command, Context, FormSubmit
from bot.service import Service

MOD = Context("slack", "T1", "C1", "UMOD", "mod", False, True)
ENTRY = "residencies-big-lab-programs"
LABS = ("google-brain", "facebook-ai", "openai", "microsoft-research", "uber-ai", "clova-ai",
        "intel-ai", "deepmind", "apple-ml", "nvidia-research", "amazon-science", "meta-fair",
        "anthropic", "cohere", "mistral", "huggingface", "salesforce-research", "ibm-research",
        "adobe-research", "samsung-ai", "baidu-research", "tencent-ai", "alibaba-damo",
        "sony-ai", "bosch-ai")


def as_slack_submits(view: dict) -> dict[str, str]:
    """The modal submitted untouched: each input's value is what Slack pre-filled."""
    state = {
        block["block_id"]: {block["element"]["action_id"]: {
            "type": "plain_text_input", "value": block["element"].get("initial_value")}}
        for block in view["blocks"] if block["type"] == "input"
    }
    return form_values(state)


async def test_saving_an_edit_form_keeps_details_too_long_for_the_field(service: Service):
    for lab in LABS:
        added = await service.handle(Command(MOD, "faq", f"alias {ENTRY} {lab}-ai-residency-program"))
        assert added.kind == "text", added.body
    before = await service.lookup("T1", ENTRY)

    opened = await service.handle(Command(MOD, "faq", f"edit {ENTRY}"))
    assert opened.form is not None
    values = as_slack_submits(render_modal(opened.form, opened, FormOrigin("C1", "")))
    values["answer"] += " Check each lab's page."
    saved = await service.handle(FormSubmit(MOD, "faq-edit", values, opened.form.state))

    assert saved.kind == "text", (saved.body, saved.errors)
    after = await service.lookup("T1", ENTRY)
    assert after.answer.endswith("Check each lab's page.")
    assert (after.aliases, after.related, after.tags) == (before.aliases, before.related, before.tags)
