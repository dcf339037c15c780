"""The Block Kit renderer: mrkdwn conversion, escaping, splitting and Slack's limits."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack_render import (
    FormOrigin,
    decode_metadata,
    fallback_text,
    field_errors,
    form_values,
    parse_action_id,
    render_message,
    render_modal,
    split_text,
    to_mrkdwn,
)
from bot.replies import Choice, Citation, Form, FormField, Reply
from tests.fakes.slack_server import MASS_MENTION, block_problems, view_problems


def test_markdown_subset_becomes_slack_mrkdwn() -> None:
    text = "**Bold** and *italic*, see [the guide](https://example.org/a_b?x=1&y=2)\n- one\n- two"
    out = to_mrkdwn(text)
    assert "*Bold*" in out
    assert "_italic_" in out
    assert "<https://example.org/a_b?x=1&amp;y=2|the guide>" in out
    assert out.endswith("• one\n• two")


def test_code_spans_keep_their_markers() -> None:
    assert to_mrkdwn("use `faq *topic*` here") == "use `faq *topic*` here"


def test_mass_mentions_in_member_text_are_escaped() -> None:
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<!subteam^S123|team>", "<@U1>"):
        out = to_mrkdwn(f"hey {raw} look")
        assert not MASS_MENTION.search(out)
        assert "<" not in out and ">" not in out


def test_link_cannot_smuggle_a_mention() -> None:
    out = to_mrkdwn("[click](https://x.org/|<!channel>)")
    assert not MASS_MENTION.search(out)


def test_reply_with_mentions_everywhere_posts_none() -> None:
    evil = "<!channel> <!here> <!everyone> <!subteam^S1>"
    reply = Reply(
        kind="answer", title=evil, body=evil, fields=[(evil, evil)],
        citations=[Citation("s", evil, evil, "https://x.org/<!here>")], footer=evil,
        choices=[Choice(evil, "show", "x")],
    )
    blob = json.dumps(render_message(reply).blocks) + render_message(reply).text
    assert not MASS_MENTION.search(blob)


def test_long_answer_splits_into_valid_sections_at_word_boundaries() -> None:
    words = [f"word{i}" for i in range(2500)]
    reply = Reply(kind="answer", title="Q", body=" ".join(words))
    blocks = render_message(reply).blocks
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(texts) > 1
    assert all(len(t) <= 3000 for t in texts)
    assert " ".join(texts).split() == words  # nothing lost, no word cut in two
    assert block_problems(blocks) == []


def test_split_prefers_paragraph_boundaries() -> None:
    para = ("alpha " * 200).strip()  # two fit in 3,000 chars, three do not
    chunks = split_text(f"{para}\n\n{para}\n\n{para}", 3000)
    assert chunks == [f"{para}\n\n{para}", para]


def test_split_never_breaks_a_link() -> None:
    link = "<https://example.org/page|a link with several words in it>"
    text = ("filler " * 420) + link + " tail"
    for chunk in split_text(text, 3000):
        assert chunk.count("<") == chunk.count(">")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab &<>*\n-", min_size=1, max_size=40), min_size=1, max_size=300),
       st.integers(min_value=50, max_value=400))
def test_split_respects_the_limit_and_keeps_every_word(parts: list[str], limit: int) -> None:
    text = to_mrkdwn(" ".join(parts))
    chunks = split_text(text, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    if all(len(w) <= limit for w in text.split()):
        assert " ".join(chunks).split() == text.split()


def test_huge_reply_stays_within_fifty_blocks_and_keeps_buttons() -> None:
    body = "\n\n".join(("para " * 550).strip() for _ in range(80))
    choices = [Choice(f"choice {i}", "show", f"id-{i}") for i in range(30)]
    reply = Reply(kind="answer", title="T" * 400, body=body, choices=choices,
                  citations=[Citation("s", "Source", "p. 1")])
    blocks = render_message(reply).blocks
    assert len(blocks) <= 50
    assert blocks[-1]["type"] == "actions"
    assert sum(len(b["elements"]) for b in blocks if b["type"] == "actions") == 30
    assert len(blocks[0]["text"]["text"]) <= 150
    assert block_problems(blocks) == []


def test_buttons_carry_the_core_action_and_payload() -> None:
    reply = Reply(kind="answer", body="x", choices=[
        Choice("Helpful", "feedback", "phd-x:y", "success"),
        Choice("L" * 200, "feedback", "phd-x:n"),
    ])
    (actions,) = [b for b in render_message(reply).blocks if b["type"] == "actions"]
    first, second = actions["elements"]
    assert parse_action_id(first["action_id"]) == "feedback"
    assert first["value"] == "phd-x:y"
    assert first["style"] == "primary"
    assert first["action_id"] != second["action_id"]
    assert len(second["text"]["text"]) <= 75
    assert "style" not in second


def test_button_with_an_oversized_payload_is_dropped_not_sent() -> None:
    reply = Reply(kind="text", body="x", choices=[Choice("ok", "a", "p"), Choice("big", "a", "x" * 2001)])
    blocks = render_message(reply).blocks
    values = [e.get("value") for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert values == ["p"]


def test_modal_from_form_round_trips_values_and_metadata() -> None:
    form = Form(
        id="faq-add", title="Add a knowledge base entry", state="draft-1",
        fields=(FormField("question", "Question", max_length=300),
                FormField("answer", "Answer", value="old", multiline=True, max_length=8000),
                FormField("aliases", "Aliases", required=False)),
    )
    view = render_modal(form, Reply(kind="form", body="Similar entry exists: `x`", form=form),
                        FormOrigin("C1", "1.2"))
    assert view_problems(view) == []
    assert len(view["title"]["text"]) <= 24
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["optional"] for b in inputs] == [False, False, True]
    assert inputs[1]["element"]["max_length"] == 3000
    assert inputs[1]["element"]["initial_value"] == "old"
    assert decode_metadata(view["private_metadata"]) == ("faq-add", "draft-1", FormOrigin("C1", "1.2"))
    state = {b["block_id"]: {b["element"]["action_id"]: {"value": f"v-{b['block_id']}"}} for b in inputs}
    assert form_values(state) == {"question": "v-f:question", "answer": "v-f:answer", "aliases": "v-f:aliases"}


def test_field_errors_target_input_blocks() -> None:
    errors = field_errors(["question", "answer"], {"answer": "too short", "topic": "unknown topic"})
    assert errors == {"f:answer": "too short", "f:question": "unknown topic"}


def test_error_reply_is_marked() -> None:
    blocks = render_message(Reply(kind="error", body="Nope", ephemeral=True)).blocks
    assert re.match(r":warning: Nope", blocks[0]["text"]["text"])


def test_a_modal_title_keeps_the_entry_id_readable():
    from bot.markup import shorten

    title = shorten("Edit phd-needed-for-research-labs", 24)
    assert len(title) <= 24
    assert title.startswith("Edit phd-needed")


def test_user_group_mentions_read_as_one_at_sign():
    from adapters.slack_app import from_slack_text

    assert from_slack_text("ask <!subteam^S01|@mods> please") == "ask @mods please"


def test_the_notification_text_never_ends_inside_a_link() -> None:
    label = "the video summary on doing ML research without a PhD"
    for lead in range(440, 500, 7):
        reply = Reply(kind="text", body="a" * lead + f" see [{label}](https://example.org/v) ok")
        text = fallback_text(reply)
        assert "<" not in text and "|" not in text, text
        assert len(text) <= 500


def test_a_formatted_date_reads_as_its_fallback_text() -> None:
    from adapters.slack_app import from_slack_text

    text = "is the deadline <!date^1392734382^{date_short}|Feb 18, 2014> still open?"
    assert from_slack_text(text) == "is the deadline Feb 18, 2014 still open?"


def test_a_labelled_link_keeps_its_address_and_a_bare_one_reads_as_itself() -> None:
    from adapters.slack_app import from_slack_text

    assert from_slack_text("call <https://uni.example/help|the help desk> today") == \
        "call [the help desk](https://uni.example/help) today"
    assert from_slack_text("see <https://example.org|example.org>") == "see example.org"
    assert from_slack_text("see <https://example.org/>") == "see https://example.org/"
    assert from_slack_text("<mailto:help@uni.example|help@uni.example>") == "help@uni.example"
    # A label or address that would break the markdown link reads as "label (address)".
    assert from_slack_text("<https://w.example/a_(b)|wiki>") == "wiki (https://w.example/a_(b))"


def test_a_link_in_rich_text_keeps_its_address() -> None:
    from adapters.slack_render import blocks_text

    blocks = [{"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [
        {"type": "text", "text": "our line: "},
        {"type": "link", "url": "https://uni.example/help", "text": "counselling"},
        {"type": "text", "text": " or "},
        {"type": "link", "url": "https://uni.example/desk"},
    ]}]}]
    assert blocks_text(blocks) == \
        "our line: [counselling](https://uni.example/help) or https://uni.example/desk"
