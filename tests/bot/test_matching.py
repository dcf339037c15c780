from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.matching import Matcher
from bot.scoring import DenseIndex
from bot.text import Analyzer
from bot.wellbeing import Wellbeing


@pytest.fixture(scope="module")
def matcher(kb) -> Matcher:
    return Matcher(kb.entries, Analyzer(kb.synonyms), Wellbeing(kb.safety), kb.offtopic)


def topic_of(matcher: Matcher, question: str) -> str | None:
    result = matcher.match(question)
    return result.entry.topic if result.status == "answered" and result.entry else None


def test_phd_for_deepmind_gets_a_cited_phd_answer(matcher):
    result = matcher.match("do I need a PhD to work at DeepMind?")
    assert result.status == "answered"
    assert result.entry.topic == "phd"
    assert result.entry.sources
    assert 0.5 <= result.score <= 1.0


@pytest.mark.parametrize(
    "question",
    [
        "how do I fix CUDA out of memory?",
        "my loss is nan after 3 epochs",
        "help",
        "what's the weather in paris",
        "",
        "?!?",
    ],
)
def test_off_topic_and_empty_questions_are_unknown(matcher, question):
    result = matcher.match(question)
    assert result.status == "unknown"
    assert result.entry is None


@pytest.mark.parametrize("message", ["thanks!", "cool, thanks <@42>", "hi", "hey there 👋"])
def test_greetings_and_thanks_are_chitchat_with_a_friendly_reply(matcher, message):
    result = matcher.match(message)
    assert result.status == "chitchat" and result.entry is None and result.reply


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("reserch enginer at deepmind what do they do", "roles"),  # typos
        ("is RE a real job at GDM", "roles"),  # abbreviations
        ("does google even have research engineers", "roles"),
        ("is a phd from a meh uni worth it", "phd-choice"),
        ("I'm a consultant doing powerpoints, how do I get into an AI lab", "career-moves"),
        ("<@1234567890> :thinking: NIPS vs ICML, which venues actually matter?", "publishing"),
        ("what is CIFRE", "industry-phd"),
        ("my PhD is so stressful, nothing works and I feel lost", "research-life"),
    ],
)
def test_member_phrasings_reach_the_right_topic(matcher, question, topic):
    assert topic_of(matcher, question) == topic


def test_a_long_pasted_story_is_answered_from_its_question(matcher):
    story = (
        "Hi all, long time lurker here. I graduated from an engineering school in France and I "
        "also have a second master's degree. For the last three years I've worked as a consultant, "
        "mostly making slides about 'AI transformation' for big clients, and I'm bored. "
        "I applied to a few research labs and got rejected everywhere without an interview. "
        "Honestly I'm wondering whether I should go back and do a PhD, or whether there is "
        "another way into an AI research lab without one? Any advice appreciated. "
    ) * 3
    result = matcher.match(story)
    assert result.status == "answered"
    assert result.entry.topic in {"career-moves", "phd", "research-types"}


@pytest.mark.parametrize(
    "message",
    [
        "i want to kill myself",
        "I've been thinking about suicide since my paper got rejected",
        "honestly i dont want to live anymore",
        "sometimes i think everyone would be better off without me",
        "i want to end my life",
        "thinking about comitting suicde",
        "i want to kil myself",
        "been thinking about ending it all after the rejection",
        "honestly im so tired of living",
        "life isn't worth living without the phd",
        "i hope i never wake up tomorrow",
        "whats the point of going on",
    ],
)
def test_crisis_language_gets_the_safety_reply(matcher, message):
    assert matcher.match(message).status == "safety"


@pytest.mark.parametrize(
    "message",
    ["this bug is killing me", "how do I kill the process on my GPU", "my PhD is so stressful",
     "I'm dying to know if FAIR takes interns", "the reviewers killed my paper",
     "is a master's worth it or is it a waste", "I'm tired of living out of a suitcase for conferences"],
)
def test_ordinary_stress_and_figures_of_speech_are_not_a_crisis(matcher, message):
    assert matcher.match(message).status != "safety"


def test_suggestions_are_few_and_distinct(matcher):
    result = matcher.match("phd")
    ids = [s.id for s in result.suggestions]
    assert len(ids) <= 3
    assert len(set(ids)) == len(ids)


def test_alternatives_show_another_topic_that_ranks_nearly_as_high(matcher):
    import numpy as np

    by_topic: dict[str, list[int]] = {}
    for i, entry in enumerate(matcher.entries):
        by_topic.setdefault(entry.topic, []).append(i)
    a1, a2 = by_topic["phd"][:2]
    b1 = by_topic["roles"][0]
    c1 = by_topic["skills"][0]
    rank = np.zeros(len(matcher.entries))
    rank[[a1, a2, b1, c1]] = [1.0, 0.8, 0.75, 0.3]
    # roles is within 90% of the second phd entry, so it goes first; skills is too far behind.
    assert matcher._diverse([a1, a2, b1, c1], rank, 3) == [a1, b1, a2]
    assert matcher._diverse([a1, a2, c1], rank, 3) == [a1, a2, c1]


def test_search_suggests_entries_while_typing(matcher):
    hits = matcher.search("research engi", limit=25)
    assert hits and len(hits) <= 25
    assert any(entry.topic == "roles" for entry, _ in hits[:3])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=3000))
def test_matching_never_raises_and_scores_stay_in_range(matcher, text):
    result = matcher.match(text)
    assert result.status in {"answered", "ambiguous", "uncovered", "unknown", "chitchat", "safety",
                             "support"}
    assert 0.0 <= result.score <= 1.0
    assert len(result.suggestions) <= (4 if result.status == "support" else 3)


def test_huge_and_hostile_inputs_do_not_raise(matcher):
    for text in ["a" * 100_000, "phd " * 25_000, "\x00\x01\x1b[31m" * 1000, "博士は必要ですか？" * 500,
                 "```" + "x" * 50_000 + "```", "<@" * 10_000]:
        result = matcher.match(text)
        assert result.status in {"answered", "ambiguous", "uncovered", "unknown", "chitchat",
                                 "safety", "support"}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["do I need a PhD to work at DeepMind?", "what does a research engineer do?",
                        "are AI residencies worth it?"]),
       st.sampled_from(["", "!!!", " :)", "  ", "?? <@123>"]))
def test_punctuation_and_markup_do_not_change_the_answer(matcher, question, noise):
    base = matcher.match(question)
    noisy = matcher.match(question.upper() + noise)
    assert base.status == noisy.status == "answered"
    assert base.entry.id == noisy.entry.id


def test_dense_vote_is_the_same_whatever_the_order_of_the_phrasings():
    """Each entry's closest phrasing is taken over its run of rows when phrasings come entry by
    entry, and element by element otherwise: both give the same vote."""
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(40, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    owner = np.sort(rng.integers(0, 9, size=40))
    owner[:9] = np.arange(9)  # every entry has a phrasing
    owner.sort()
    offtopic = vectors[:3] * -1
    question = vectors[17]
    in_runs = DenseIndex(lambda _: question[None, :], vectors, owner, offtopic)
    shuffled = rng.permutation(40)
    scattered = DenseIndex(lambda _: question[None, :], vectors[shuffled], owner[shuffled],
                           offtopic)
    assert in_runs._runs is not None and scattered._runs is None
    for k in (1, 3, 10):
        assert np.allclose(in_runs.vote("q", 9, k, 4.0), scattered.vote("q", 9, k, 4.0))
    assert in_runs.vote("q", 9, 3, 4.0)[owner[17]] > 0
    # An entry with no phrasing (entry 4 here) is never voted for, in runs or scattered.
    gapped = owner.copy()
    gapped[gapped == 4] = 5
    runs = DenseIndex(lambda _: question[None, :], vectors, gapped, offtopic)
    loose = DenseIndex(lambda _: question[None, :], vectors[shuffled], gapped[shuffled], offtopic)
    assert runs._runs is not None and loose._runs is None
    for k in (1, 3, 10):
        assert np.allclose(runs.vote("q", 9, k, 4.0), loose.vote("q", 9, k, 4.0))
        assert runs.vote("q", 9, k, 4.0)[4] == 0


def test_the_off_topic_class_adds_up_its_closest_examples_like_a_topic():
    """Two entries of one topic at 0.8 and three off-topic examples at 0.78: with one slot the
    off-topic class has one vote against the topic's two; with three it has three, and its share
    is their sum."""
    def unit(similarity: float) -> np.ndarray:
        return np.array([similarity, np.sqrt(1 - similarity ** 2)], dtype=np.float32)

    question = np.array([1.0, 0.0], dtype=np.float32)
    phrasings = np.stack([unit(0.8), unit(0.8), unit(0.1)])
    owner = np.array([0, 1, 2])
    offtopic = np.stack([unit(0.78), unit(0.78), unit(0.78), unit(0.2)])
    index = DenseIndex(lambda _: question[None, :], phrasings, owner, offtopic)
    one = index.vote("q", 3, 5, 4.0, offtopic_slots=1)
    three = index.vote("q", 3, 5, 4.0, offtopic_slots=3)
    assert np.isclose(one.sum(), 1.0) and np.isclose(three.sum(), 1.0)
    assert one[3] < one[0] + one[1]       # outvoted by the topic's two entries together
    assert three[3] > three[0] + three[1]  # three close examples outvote them
    # Only the `k` nearest vote: with k=2 the two entries take every vote.
    assert index.vote("q", 3, 2, 4.0, offtopic_slots=3)[3] == 0


def test_the_topic_the_neighbours_agree_on_outranks_one_stray_closer_entry(kb):
    """One entry of one topic sits closest (0.9), three entries of another just behind (0.85
    each): the three split their topic's vote, and the topic they agree on wins the rank."""
    from dataclasses import replace as with_fields

    first = kb.entries[0]
    others = [e for e in kb.entries if e.topic != first.topic]
    agreeing = [e for e in others if e.topic == others[0].topic][:3]
    assert len(agreeing) == 3
    entries = [first, *agreeing]

    def unit(similarity: float, axis: int) -> np.ndarray:
        v = np.zeros(6, dtype=np.float32)
        v[0], v[axis] = similarity, np.sqrt(1 - similarity ** 2)
        return v

    question = unit(1.0, 1)
    phrasings = np.stack([unit(0.9, 1), unit(0.85, 2), unit(0.85, 3), unit(0.85, 4)])
    offtopic = np.stack([unit(0.1, 5)])
    dense = DenseIndex(lambda _: question[None, :], phrasings, np.arange(4), offtopic)
    matcher = Matcher(entries, Analyzer(kb.synonyms), None, (), dense=dense)

    def first_pick(result) -> str:
        return result.entry.id if result.entry else result.suggestions[0].id

    # A question of words the knowledge base never uses: the sentence model alone decides.
    assert first_pick(matcher.match("qqq zzx")) == agreeing[0].id
    matcher.thresholds = with_fields(matcher.thresholds, dense_topic_boost=0.0)
    assert first_pick(matcher.match("qqq zzx")) == first.id
