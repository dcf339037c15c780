"""Moderators curate through modals; members are refused; App Home shows moderator tools."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.slack_harness import SlackHarness, assert_clean, button_ids
from tests.fakes.slack_server import view_problems

NEW_ENTRY = {
    "f:id": "quant-researcher-role",
    "f:topic": "adjacent-roles",
    "f:question": "What does a quantitative researcher at a trading firm do all day?",
    "f:answer": (
        "Quant researchers at trading firms build statistical models of markets, test them on "
        "historical data and hand the good ones to traders and engineers. The work is closer to "
        "applied statistics than to publishing papers."
    ),
    "f:sources": "reddit-phd-or-not: a commenter's description of quant work",
}


async def open_add_form(slack: SlackHarness, user: str, text: str = "") -> dict[str, Any]:
    before = len(slack.fake.of("views.open"))
    await slack.command(f"add {text}".strip(), user=user)
    opened = slack.fake.of("views.open")
    assert len(opened) == before + 1, "no modal was opened"
    view = opened[-1].args["view"]
    assert view_problems(view) == []
    return view


async def test_moderator_adds_an_entry_by_modal_and_a_member_then_finds_it(slack: SlackHarness) -> None:
    view = await open_add_form(slack, "UADMIN")
    assert {b["block_id"] for b in view["blocks"] if b["type"] == "input"} >= set(NEW_ENTRY)
    sent = await slack.submit(view, NEW_ENTRY, user="UADMIN")
    assert (sent.status, sent.text) == (200, "")  # the modal closes
    (saved,) = slack.fake.of("chat.postEphemeral")
    assert saved.args["user"] == "UADMIN"
    assert "quant-researcher-role" in json.dumps(saved.args["blocks"])

    await slack.command("ask what does a quantitative researcher at a trading firm do all day?", user="U1")
    answer = slack.fake.of("chat.postMessage")[-1]
    assert answer.args["blocks"][0]["text"]["text"] == NEW_ENTRY["f:question"]
    assert_clean(slack.fake)


async def test_invalid_submission_shows_errors_on_the_fields(slack: SlackHarness) -> None:
    view = await open_add_form(slack, "UADMIN")
    bad = {**NEW_ENTRY, "f:topic": "astrology", "f:id": "Not Kebab Case"}
    sent = await slack.submit(view, bad, user="UADMIN")
    body = sent.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) <= {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    assert "f:topic" in body["errors"]
    assert slack.fake.posted() == []


async def test_near_duplicate_warning_offers_choices(slack: SlackHarness) -> None:
    view = await open_add_form(slack, "UADMIN")
    dup = {**NEW_ENTRY, "f:id": "phd-for-deepmind-again", "f:topic": "phd",
           "f:question": "Do I need a PhD to work at DeepMind?"}
    await slack.submit(view, dup, user="UADMIN")
    (warning,) = slack.fake.of("chat.postEphemeral")
    actions = [a for a, _ in button_ids(warning.args["blocks"])]
    assert "mod-dup-save" in actions and "mod-dup-variant" in actions
    draft = next(v for a, v in button_ids(warning.args["blocks"]) if a == "mod-dup-save")
    await slack.click("cb:1:mod-dup-save", draft, user="UADMIN", ephemeral=True)
    (saved,) = [r for r in slack.fake.responses if r.args.get("replace_original") is not True]
    assert "phd-for-deepmind-again" in json.dumps(saved.args["blocks"])
    assert_clean(slack.fake)


async def test_member_cannot_open_or_forge_the_add_form(slack: SlackHarness) -> None:
    await slack.command("add", user="U1")
    assert slack.fake.of("views.open") == []
    (refusal,) = slack.fake.responses
    assert refusal.args["response_type"] == "ephemeral"

    # A member replaying a moderator's modal submission is refused by the core too.
    view = await open_add_form(slack, "UADMIN")
    sent = await slack.submit(view, NEW_ENTRY, user="U1")
    assert sent.status == 200
    await slack.command("faq quant-researcher-role", user="U1")
    assert "quant-researcher-role" in json.dumps(slack.fake.responses[-1].args)  # "no entry called"
    assert slack.fake.responses[-1].args["response_type"] == "ephemeral"


async def test_edit_opens_a_prefilled_modal(slack: SlackHarness) -> None:
    entry = slack.service.kb.entries[0]
    await slack.command(f"edit {entry.id}", user="UMOD")
    (opened,) = slack.fake.of("views.open")
    view = opened.args["view"]
    assert view_problems(view) == []
    question = next(b for b in view["blocks"] if b.get("block_id") == "f:question")
    assert question["element"]["initial_value"] == entry.question


async def test_app_home_shows_moderator_tools_to_moderators_only(slack: SlackHarness) -> None:
    await slack.command("ask how do I become an astronaut chef?", user="U1")
    await slack.home("UADMIN")
    await slack.home("U1")
    admin_view, member_view = (c.args["view"] for c in slack.fake.of("views.publish"))
    for view in (admin_view, member_view):
        assert view_problems(view) == []
    assert "Moderator tools" in json.dumps(admin_view)
    assert "Moderator tools" not in json.dumps(member_view)


async def test_helpful_vote_from_the_answer_buttons_is_recorded(slack: SlackHarness) -> None:
    await slack.command("ask do I need a PhD to work at DeepMind?", user="U1")
    answer = slack.fake.of("chat.postMessage")[-1]
    (helpful, _) = [v for a, v in button_ids(answer.args["blocks"]) if a == "feedback"]
    await slack.click("cb:0:feedback", helpful, user="U1")
    row = await slack.service.store.fetchone("SELECT COUNT(*) FROM feedback WHERE user_id = 'slack:U1'")
    assert row == (1,)
    assert_clean(slack.fake)
