from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.text import Analyzer, SynonymTable, normalise_question, strip_markup, words


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
