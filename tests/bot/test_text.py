from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import Analyzer, SynonymTable, fold, normalise_question, strip_markup, words


def test_chat_markup_is_stripped():
    text = "<@123456> hey <#998877> <:blobthink:1234> :thinking: `code` https://x.y/z is a **PhD** needed?"
    assert words(text) == ["hey", "is", "a", "phd", "needed"]


def test_slack_links_keep_their_label():
    assert "my blog" in strip_markup("see <https://example.com|my blog>")


def test_synonyms_rewrite_abbreviations_longest_first():
    table = SynonymTable({"research engineer": ["re"], "phd": ["ph d", "doctorate"],
                          "neurips": ["nips"]})
    assert table.rewrite(words("RE at NIPS with a Ph.D")) == [
        "research", "engineer", "at", "neurips", "with", "a", "phd"]


def test_possessives_and_accents_fold():
    assert words("Master’s à l'école") == ["masters", "a", "lecole"]


def test_normalised_question_groups_trivial_differences():
    assert normalise_question("  How do I fix CUDA OOM?? ") == normalise_question("how do i fix cuda oom")


@given(st.text(max_size=2000))
def test_analyzer_never_raises_and_returns_short_terms(text):
    terms = Analyzer({"phd": ["doctorate"]}).terms(text)
    assert all(0 < len(t) < 40 for t in terms)


QUESTION = "what does a research engineer do?"


@pytest.mark.parametrize(
    "chatty",
    [
        "what does a research engineer do? cc @ana",
        "@channel what does a research engineer do 🙏🔥",
        "<@U123|ana> what does a research engineer do @here",
        "@everyone what does a research engineer do? CC: @ana.b, @bo-c_1 and @U123ABC",
        "hey <@!123456> <#998877> what does a research engineer do <!channel> <!subteam^S1|@ml>",
        "what does a research engineer do? <:blobthink:1234> <a:party:99> :pray: :+1::skin-tone-2:",
        "what does a 👩‍💻 research engineer ❤️ do 👍🏽 🇬🇧 ℹ️ 1️⃣ ✨",
        "what does a research engineer do? https://example.com/x?y=1 <t:1700000000:R> </ask:123>",
        "what does a research engineer🔥do",
    ],
)
def test_mentions_emoji_and_links_leave_the_question_words_alone(chatty):
    expected = words(QUESTION)
    if chatty.startswith("hey"):
        expected = ["hey", *expected]
    assert words(chatty) == expected


def test_plain_sentences_are_unchanged():
    text = "Is a PhD from a top-10 lab worth 5 years, or should I apply to Google's AI residency?"
    assert words(text) == ["is", "a", "phd", "from", "a", "top", "10", "lab", "worth", "5", "years",
                           "or", "should", "i", "apply", "to", "googles", "ai", "residency"]


def test_email_addresses_are_kept_not_read_as_mentions():
    assert words("should I email jobs@deepmind.com or ana.b@meta.com?") == [
        "should", "i", "email", "jobs", "deepmind", "com", "or", "ana", "b", "meta", "com"]


def test_cc_is_dropped_only_before_mentions():
    assert words("cc @ana") == []
    assert words("is a CC license ok for my dataset? cc: @ana") == [
        "is", "a", "cc", "license", "ok", "for", "my", "dataset"]


def test_at_with_a_space_is_a_word_not_a_mention():
    assert words("PhD @ Stanford") == ["phd", "stanford"]


def test_emoji_never_glue_words_together():
    assert words("phd🎓worth it") == ["phd", "worth", "it"]


def test_code_spans_still_stripped_in_non_ascii_text():
    assert words("café `x^2 + y` résumé") == ["cafe", "resume"]


def test_fold_drops_emoji_and_their_joiners():
    folded = fold("burnt out 😮‍💨 🙏🏽 ❤️")
    assert folded.split() == ["burnt", "out"]


def test_an_analyzer_remembers_terms_but_hands_out_copies():
    from bot.text import Analyzer

    analyzer = Analyzer({})
    first = analyzer.terms("research engineers at big labs")
    first.append("changed by a caller")
    assert analyzer.terms("research engineers at big labs") == first[:-1]
    assert analyzer._terms.cache_info().hits == 1
