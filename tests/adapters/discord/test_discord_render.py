"""The renderer alone: core replies -> Discord payloads within Discord's limits."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.discord_render import (
    OutMessage,
    Overflow,
    build_modal,
    parse_form_custom_id,
    render,
    shorten,
    split_text,
    submitted_values,
)
from bot.replies import Choice, Citation, Form, FormField, Reply
from tests.fakes.discord_limits import (
    assert_message_within_limits,
    assert_no_mass_mentions,
    custom_ids,
)

WORDS = st.text(alphabet="abcdefghij", min_size=1, max_size=12)
SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n"])


def payload(message: OutMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"content": message.content,
                            "embeds": [e.to_dict() for e in message.embeds],
                            "allowed_mentions": message.kwargs()["allowed_mentions"].to_dict()}
    if message.view is not None:
        data["components"] = message.view.to_components()
    return data


def text_of(words: list[str], seps: list[str]) -> str:
    return "".join(w + s for w, s in zip(words, seps, strict=False)).strip()


@given(st.lists(WORDS, min_size=1, max_size=400), st.lists(SEPARATORS, min_size=400, max_size=400),
       st.integers(min_value=12, max_value=300))
def test_split_text_keeps_every_word_whole_and_pieces_within_the_limit(words, seps, limit):
    text = text_of(words, seps)
    pieces = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    # Rejoining the pieces gives back the same words in the same order: nothing cut mid-word.
    assert " ".join(pieces).split() == text.split()


def test_split_text_prefers_paragraph_breaks():
    text = ("alpha " * 30).strip() + "\n\n" + ("beta " * 30).strip()
    pieces = split_text(text, 300)
    assert pieces == [("alpha " * 30).strip(), ("beta " * 30).strip()]


def test_split_text_never_cuts_inside_a_markdown_link():
    link = "[the video summary on research without a PhD](https://example.org/video-summary)"
    for lead in range(0, 60, 3):
        text = "x" * lead + " " + "word " * 20 + link + " and more words after it " * 3
        limit = len(text[:text.index("[")].strip()) + 20  # the window ends inside the label
        pieces = split_text(text, limit)
        assert sum(link in piece for piece in pieces) == 1, pieces
        assert " ".join(pieces).split() == text.split()


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    out = shorten("Do I need a PhD to work at an AI research lab like DeepMind?", 30)
    assert len(out) <= 30 and out.endswith("…")
    assert out[:-1].split() == "Do I need a PhD to work at".split()


def long_answer(paragraphs: int = 12) -> str:
    para = " ".join(f"word{i}" for i in range(120))
    return "\n\n".join(f"Paragraph {n}. {para}" for n in range(paragraphs))


def test_long_answer_is_split_into_messages_within_limits():
    reply = Reply(kind="answer", title="Q " * 200, body=long_answer(20) * 3,
                  fields=[("Related", "- x\n" * 600)],
                  citations=[Citation("s", "A source " * 40, "where " * 40)] * 20,
                  choices=[Choice("Helpful", "feedback", "e:y"), Choice("No", "feedback", "e:n")])
    messages = render(reply, Overflow())
    assert len(messages) > 1
    for message in messages:
        assert_message_within_limits(payload(message))
    words = [w for m in messages for e in m.embeds for w in (e.description or "").split()]
    assert words == reply.body.split()
    # Buttons only once, on the last message.
    assert [m.view is not None for m in messages] == [False] * (len(messages) - 1) + [True]


def test_long_plain_text_goes_in_content_pieces_of_at_most_2000():
    messages = render(Reply(kind="text", body=long_answer(10)), Overflow())
    assert len(messages) > 1
    assert all(m.content and len(m.content) <= 2000 and not m.embeds for m in messages)


def test_answer_embed_has_title_description_sources_footer_and_related_field():
    reply = Reply(kind="answer", title="What is a research engineer?", body="Someone who...",
                  fields=[("Related", "- Other (`other`)")],
                  citations=[Citation("v", "Video", "takeaway 3", "https://example.org")])
    (message,) = render(reply, Overflow())
    embed = message.embeds[0].to_dict()
    assert embed["title"] == "What is a research engineer?"
    assert embed["description"] == "Someone who..."
    assert embed["footer"]["text"] == "Sources: Video (takeaway 3)"
    assert embed["fields"] == [{"name": "Related", "value": "- Other (`other`)", "inline": False}]


def test_too_many_choices_are_capped_at_five_rows_of_five_and_long_ids_still_route():
    overflow = Overflow()
    choices = [Choice("x" * 120, "show", f"entry-{i}-" + "y" * 120) for i in range(40)]
    (message,) = render(Reply(kind="list", body="b", choices=choices), overflow)
    data = payload(message)
    assert_message_within_limits(data)
    ids = custom_ids(data)
    assert len(ids) == 25
    # A payload too long for a custom id is kept in memory and still resolves.
    key = ids[0].split(":", 2)[2]
    assert overflow.get(key) == ("show", "entry-0-" + "y" * 120)


def test_duplicate_buttons_are_sent_once():
    choices = [Choice("Show", "show", "a"), Choice("Show again", "show", "a")]
    (message,) = render(Reply(kind="text", body="b", choices=choices), Overflow())
    assert custom_ids(payload(message)) == ["cb:show:a"]


def test_ephemeral_flag_and_no_mentions_on_every_message():
    messages = render(Reply(kind="help", body="@everyone " + long_answer(15), ephemeral=True),
                      Overflow())
    for message in messages:
        assert message.ephemeral
        assert_no_mass_mentions(payload(message))


def test_errors_are_listed_with_field_labels():
    reply = Reply(kind="error", body="Not saved.", errors={"id": "already taken"}, ephemeral=True)
    (message,) = render(reply, Overflow(), {"id": "Entry id"})
    text = message.content or message.embeds[0].description
    assert "Not saved." in text and "- **Entry id**: already taken" in text


def test_modal_respects_discord_limits_and_round_trips_its_state():
    overflow = Overflow()
    fields = tuple(FormField(f"f{i}", "A very long label for a text input " * 3, "v" * 9000,
                             multiline=True, max_length=9000) for i in range(7))
    form = Form("faq-edit", "Edit a rather long entry id that goes on and on", fields, "e@3")
    data = build_modal(form, overflow).to_dict()
    assert len(data["title"]) <= 45
    assert len(data["custom_id"]) <= 100
    inputs = [c for row in data["components"] for c in row.get("components", [row.get("component")])]
    assert len(inputs) == 5
    for text_input in inputs:
        assert len(text_input["label"]) <= 45
        assert len(text_input.get("value") or "") <= 4000
        assert text_input["max_length"] <= 4000
    assert parse_form_custom_id(data["custom_id"], overflow) == ("faq-edit", "e@3")


def test_long_form_state_is_kept_in_memory():
    overflow = Overflow()
    form = Form("faq-add", "Add", (FormField("id", "Id"),), "s" * 200)
    custom_id = build_modal(form, overflow).custom_id
    assert len(custom_id) <= 100
    assert parse_form_custom_id(custom_id, overflow) == ("faq-add", "s" * 200)
    assert parse_form_custom_id("someone-else:1", overflow) is None


def test_submitted_values_reads_rows_and_labels():
    components = [
        {"type": 1, "components": [{"type": 4, "custom_id": "id", "value": "x"}]},
        {"type": 18, "id": 2, "component": {"type": 4, "custom_id": "answer", "value": "y"}},
    ]
    assert submitted_values(components) == {"id": "x", "answer": "y"}


def test_error_replies_are_private_even_if_the_core_forgot_to_say_so():
    for reply in (Reply(kind="error", body="no"), Reply(kind="text", body="x", errors={"a": "b"})):
        assert all(m.ephemeral for m in render(reply, Overflow()))
    assert not render(Reply(kind="answer", title="t", body="b"), Overflow())[0].ephemeral


def test_a_full_description_and_a_long_footer_never_pass_6000_characters_in_one_message():
    # One description chunk near 4,096 characters, a long title and a footer near its own 2,048
    # limit: each part is within its limit, but together they pass the 6,000 Discord allows.
    body = " ".join("word" for _ in range(810))
    reply = Reply(kind="answer", title="Q " * 200, body=body,
                  citations=[Citation("s", "A source " * 30, "where " * 30)] * 10)
    messages = render(reply, Overflow())
    for message in messages:
        assert_message_within_limits(payload(message))
    words = [w for m in messages for e in m.embeds for w in (e.description or "").split()]
    assert words == body.split()
    assert any(e.footer and e.footer.text for m in messages for e in m.embeds)
