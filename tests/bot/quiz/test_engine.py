"""The quiz engine: personas from the documents, path invariants, and the validator's checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.kb.loader import load_knowledge
from bot.kb.problems import KnowledgeError
from bot.quiz.checks import check_quiz
from bot.quiz.engine import (
    QuizError,
    all_paths,
    fit_bar,
    next_question,
    outcome,
    play,
    score,
    winner,
)
from bot.quiz.schema import Quiz
from tests import REPO

KNOWLEDGE = REPO / "knowledge"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(KNOWLEDGE)


def walk(quiz: Quiz, persona: dict[str, str]) -> list[tuple[str, str]]:
    """Answer the quiz as the persona would: one option id per question it is asked."""
    answers = []
    current: str | None = quiz.first
    while current is not None:
        option = persona[current]
        answers.append((current, option))
        current = next_question(quiz, current, option)
    return answers


ML_PATH_PERSONAS = [
    pytest.param(
        {"goal": "infrastructure", "background": "software", "systems": "distributed",
         "study": "learn-on-the-job", "drive": "reliable-systems"},
        "lab-software-engineer",
        id="software engineer who loves systems, no ML background (video: lab software engineers)",
    ),
    pytest.param(
        {"goal": "open-questions", "background": "ml-degree", "publications": "workshop-thesis",
         "study": "welcome", "drive": "unanswered"},
        "research-scientist",
        id="wants fundamental research, loves open questions, accepts years of study",
    ),
    pytest.param(
        {"goal": "products", "background": "data-consulting", "publications": "workshop-thesis",
         "study": "learn-on-the-job", "drive": "impact"},
        "applied-ml",
        id="the thread's consultant with two master's who wants applied research",
    ),
    pytest.param(
        {"goal": "run-experiments", "background": "data-consulting", "publications": "workshop-thesis",
         "study": "learn-on-the-job", "drive": "impact"},
        "applied-ml",
        id="the same consultant picking experiments over products still gets applied ML",
    ),
    pytest.param(
        {"goal": "run-experiments", "background": "ml-degree", "publications": "workshop-thesis",
         "study": "short-masters", "drive": "scale"},
        "research-engineer",
        id="ML master's who reproduces papers and wants ideas to run at scale",
    ),
    pytest.param(
        {"goal": "data", "background": "other-field", "publications": "not-my-goal",
         "study": "learn-on-the-job", "drive": "impact"},
        "data-roles",
        id="economics graduate who likes business questions (jumpstart: data roles)",
    ),
    pytest.param(
        {"goal": "products", "background": "software", "systems": "ml-features",
         "study": "learn-on-the-job", "drive": "impact"},
        "applied-ml",
        id="software engineer who wants to ship ML features (Norvig's lateral move)",
    ),
    pytest.param(
        {"goal": "infrastructure", "background": "software", "systems": "pipelines",
         "study": "learn-on-the-job", "drive": "reliable-systems"},
        "lab-software-engineer",
        id="software engineer into pipelines and reliable systems stays an engineer",
    ),
]

PHD_FIT_PERSONAS = [
    pytest.param(
        {"want": "fundamental", "low-pay": "fine", "sure": "certain", "advisor": "talked",
         "evidence": "papers"},
        "phd-advisor",
        id="fundamental research, accepts low pay, knows an advisor at top venues",
    ),
    pytest.param(
        {"want": "hype", "low-pay": "salary-now", "sure": "for-the-title", "decide": "job",
         "evidence": "work"},
        "industry-lateral",
        id="in it for the hype and the salary",
    ),
    pytest.param(
        {"want": "product", "low-pay": "salary-now", "sure": "unsure", "decide": "job",
         "evidence": "work"},
        "industry-lateral",
        id="product developer who is unsure (if you don't know, you probably shouldn't)",
    ),
    pytest.param(
        {"want": "applied", "low-pay": "short", "sure": "unsure", "decide": "projects",
         "evidence": "portfolio"},
        "masters-portfolio",
        id="the thread's poster: applied research, years already spent, has projects",
    ),
    pytest.param(
        {"want": "applied", "low-pay": "short", "sure": "unsure", "decide": "try-research",
         "evidence": "papers"},
        "residency-first",
        id="drawn to research but unsure, wants to try it first",
    ),
    pytest.param(
        {"want": "fundamental", "low-pay": "fine", "sure": "unsure", "decide": "try-research",
         "evidence": "papers"},
        "residency-first",
        id="fundamental research but unsure about a PhD: try a residency first",
    ),
]


@pytest.mark.parametrize(("persona", "expected"), ML_PATH_PERSONAS)
def test_ml_path_personas_get_their_role(kb, persona, expected):
    quiz = kb.quizzes["ml-path"]
    assert outcome(quiz, walk(quiz, persona)).profile_id == expected


@pytest.mark.parametrize(("persona", "expected"), PHD_FIT_PERSONAS)
def test_phd_fit_personas_get_their_route(kb, persona, expected):
    quiz = kb.quizzes["phd-fit"]
    assert outcome(quiz, walk(quiz, persona)).profile_id == expected


def test_both_quizzes_are_loaded_and_every_profile_wins_somewhere(kb):
    assert set(kb.quizzes) == {"ml-path", "phd-fit"}
    for quiz in kb.quizzes.values():
        winners = {outcome(quiz, path).profile_id for path in all_paths(quiz)}
        assert winners == {p.id for p in quiz.profiles}


def test_next_steps_link_real_entries_and_sources(kb):
    ids = {e.id for e in kb.entries}
    for quiz in kb.quizzes.values():
        for profile in quiz.profiles:
            assert 3 <= len(profile.next_steps) <= 5
            assert {s.entry for s in profile.next_steps} <= ids
            assert {s.source for s in profile.sources} <= set(kb.sources)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), quiz_id=st.sampled_from(["ml-path", "phd-fit"]))
def test_any_answer_path_ends_in_a_result(kb, data, quiz_id):
    quiz = kb.quizzes[quiz_id]
    picks = []
    current: str | None = quiz.first
    while current is not None:
        assert len(picks) <= len(quiz.questions), "a path is longer than the quiz: a cycle"
        question = quiz.question(current)
        pick = data.draw(st.integers(1, len(question.options)))
        picks.append(pick)
        current = next_question(quiz, current, question.options[pick - 1].id)
    answers, result = play(quiz, picks)
    assert result.profile_id in {p.id for p in quiz.profiles}
    assert result.scores[result.profile_id] == max(result.scores.values()) > 0
    assert result.fits[result.profile_id] == 1.0
    # Deterministic: the same answers always give the same outcome.
    assert play(quiz, picks) == (answers, result)
    assert outcome(quiz, list(answers)) == result


def test_winner_ties_go_to_the_profile_listed_first(kb):
    quiz = kb.quizzes["phd-fit"]
    tied = dict.fromkeys((p.id for p in quiz.profiles), 4)
    assert winner(quiz, tied) == quiz.profiles[0].id
    assert winner(quiz, dict.fromkeys(tied, 0)) is None


def test_reasons_are_the_answers_that_weighed_most_for_the_winner(kb):
    quiz = kb.quizzes["ml-path"]
    answers = [("goal", "infrastructure"), ("background", "data-consulting"),
               ("publications", "not-my-goal"), ("study", "learn-on-the-job"),
               ("drive", "reliable-systems")]
    result = outcome(quiz, answers)
    assert result.profile_id == "lab-software-engineer"
    assert result.reasons == (("goal", "infrastructure"), ("drive", "reliable-systems"),
                              ("publications", "not-my-goal"))


def test_fit_bar_renders_five_cells():
    assert fit_bar(1.0) == "▰▰▰▰▰"
    assert fit_bar(0.6) == "▰▰▰▱▱"
    assert fit_bar(0.0) == "▱▱▱▱▱"


@pytest.mark.parametrize(
    ("picks", "message"),
    [([3, 1, 9], "has options 1 to 5"), ([1, 1], "not enough"), ([1, 2, 1, 1, 1, 1], "ended after 5")],
)
def test_play_rejects_bad_answer_lists(kb, picks, message):
    with pytest.raises(QuizError, match=message):
        play(kb.quizzes["ml-path"], picks)


# -- random quizzes: the validator agrees with the engine ---------------------------------------------


@st.composite
def random_quizzes(draw):
    """Forward-only branching (so acyclic); weights may be all zero, leaving dead ends."""
    n_questions = draw(st.integers(1, 4))
    profiles = ["p1", "p2", "p3"][: draw(st.integers(2, 3))]
    questions = []
    for qi in range(n_questions):
        options = []
        for oi in range(draw(st.integers(2, 3))):
            weights = {p: draw(st.integers(0, 2)) for p in profiles}
            option = {"id": f"o{oi}", "label": f"option {oi}", "weights": weights}
            later = [f"q{j}" for j in range(qi + 1, n_questions)] + ["end"]
            if draw(st.booleans()):
                option["next"] = draw(st.sampled_from(later))
            options.append(option)
        questions.append({"id": f"q{qi}", "text": f"question number {qi}", "options": options})
    return Quiz.model_validate({
        "id": "random",
        "title": "Random quiz",
        "description": "generated for a property test",
        "questions": questions,
        "profiles": [
            {"id": p, "title": f"Profile {p}", "summary": "a generated profile summary",
             "next_steps": [{"text": f"step {i}", "entry": "roles-three-lab-roles"} for i in range(3)],
             "sources": [{"source": "reddit-phd-or-not", "where": "thread"}]}
            for p in profiles
        ],
    })


@settings(max_examples=200, deadline=None)
@given(quiz=random_quizzes())
def test_check_reports_dead_ends_exactly_when_a_path_has_no_result(quiz):
    problems = check_quiz(quiz, "knowledge/quizzes/random.yaml", {"roles-three-lab-roles"},
                          {"reddit-phd-or-not"})
    dead = [p for p in problems if "dead end" in p.reason]
    reached = {p.id for p in quiz.profiles if p.id} & {
        outcome(quiz, path).profile_id for path in all_paths(quiz) if winner(quiz, score(quiz, path))
    }
    has_dead_end = any(winner(quiz, score(quiz, path)) is None for path in all_paths(quiz))
    assert bool(dead) == has_dead_end
    unreachable = {p.field.removeprefix("profiles.") for p in problems if "unreachable" in p.reason}
    assert unreachable == {p.id for p in quiz.profiles} - reached
    for problem in problems:
        expected = ("unreachable", "dead end", "no answer path reaches this question")
        if not any(word in problem.reason for word in expected):
            pytest.fail(f"unexpected problem: {problem}")


# -- kb check on broken quiz files ------------------------------------------------------------------


def base_quiz() -> dict:
    return {
        "id": "broken",
        "title": "Broken quiz",
        "description": "a quiz used to test kb check",
        "questions": [
            {"id": "q1", "text": "First question?", "options": [
                {"id": "a", "label": "A", "weights": {"alpha": 2}},
                {"id": "b", "label": "B", "weights": {"beta": 2}},
            ]},
            {"id": "q2", "text": "Second question?", "options": [
                {"id": "x", "label": "X", "weights": {"alpha": 1}},
                {"id": "y", "label": "Y", "weights": {"beta": 1}},
            ]},
        ],
        "profiles": [
            {"id": pid, "title": f"Profile {pid}", "summary": "a profile summary long enough",
             "next_steps": [{"text": "Read about lab roles", "entry": "roles-three-lab-roles"}] * 3,
             "sources": [{"source": "reddit-phd-or-not", "where": "thread"}]}
            for pid in ("alpha", "beta")
        ],
    }


def problems_for(tmp_path: Path, quiz: dict) -> list[str]:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    (root / "quizzes" / "broken.yaml").write_text(yaml.safe_dump(quiz), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    return [str(p) for p in caught.value.problems]


def test_valid_base_quiz_passes(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    (root / "quizzes" / "broken.yaml").write_text(yaml.safe_dump(base_quiz()), encoding="utf-8")
    assert "broken" in load_knowledge(root).quizzes


def test_cycle_is_reported_at_its_question_and_option(tmp_path):
    quiz = base_quiz()
    quiz["questions"][1]["options"][0]["next"] = "q1"
    [line] = problems_for(tmp_path, quiz)
    assert line.startswith("knowledge/quizzes/broken.yaml: entry quiz broken: field questions.q2.options.x.next:")
    assert "cycle q1 -> q2 -> q1" in line


def test_unreachable_profile_is_reported(tmp_path):
    quiz = base_quiz()
    quiz["questions"][0]["options"][1]["weights"] = {"alpha": 1, "beta": 1}
    quiz["questions"][1]["options"][1]["weights"] = {"alpha": 1}
    [line] = problems_for(tmp_path, quiz)
    assert "knowledge/quizzes/broken.yaml: entry quiz broken: field profiles.beta:" in line
    assert "unreachable" in line and "q1=" in line and "q2=" in line


def test_dead_end_is_reported_with_the_path(tmp_path):
    quiz = base_quiz()
    quiz["questions"][0]["options"].append({"id": "c", "label": "C", "weights": {}, "next": "end"})
    [line] = problems_for(tmp_path, quiz)
    assert "knowledge/quizzes/broken.yaml: entry quiz broken: field questions.q1.options.c:" in line
    assert "dead end" in line and "q1=c" in line


def test_unknown_entry_source_question_and_profile_are_reported(tmp_path):
    quiz = base_quiz()
    quiz["profiles"][0]["next_steps"][1] = {"text": "Read a missing entry", "entry": "no-such-entry"}
    quiz["profiles"][1]["sources"][0]["source"] = "no-such-source"
    quiz["questions"][0]["options"][0]["next"] = "q9"
    quiz["questions"][1]["options"][1]["weights"] = {"gamma": 1}
    lines = problems_for(tmp_path, quiz)
    prefix = "knowledge/quizzes/broken.yaml: entry quiz broken: field "
    assert f"{prefix}profiles.alpha.next_steps.1.entry: unknown FAQ entry 'no-such-entry'" in lines
    assert f"{prefix}profiles.beta.sources.0.source: unknown source 'no-such-source'" in lines
    assert f"{prefix}questions.q1.options.a.next: unknown question 'q9'" in lines
    assert f"{prefix}questions.q2.options.y.weights.gamma: unknown profile 'gamma'" in lines


def test_schema_errors_name_question_and_option_ids(tmp_path):
    quiz = base_quiz()
    quiz["questions"][1]["options"][1]["label"] = "L" * 200
    [line] = problems_for(tmp_path, quiz)
    assert line.startswith("knowledge/quizzes/broken.yaml: entry quiz broken: field questions.q2.options.y.label:")


def test_question_no_path_reaches_is_reported(tmp_path):
    quiz = base_quiz()
    quiz["questions"][0]["next"] = "end"
    lines = problems_for(tmp_path, quiz)
    assert any("field questions.q2: no answer path reaches this question" in line for line in lines)
