"""The quiz engine: personas from the documents and the review's persona runs, vetoes and tie
breaks, path invariants, and the validator's checks (contradictions included)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.kb.loader import load_knowledge
from bot.kb.problems import KnowledgeError
from bot.quiz.checks import audit, check_quiz
from bot.quiz.engine import (
    QuizError,
    all_paths,
    decide,
    fit_bar,
    next_question,
    outcome,
    play,
    replays,
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
        {"held": "masters", "want": "fundamental", "low-pay": "fine", "sure": "certain",
         "advisor": "talked", "evidence": "papers"},
        "phd-advisor",
        id="fundamental research, accepts low pay, knows an advisor at top venues",
    ),
    pytest.param(
        {"held": "bachelors", "want": "hype", "low-pay": "salary-now", "sure": "for-the-title",
         "decide": "job", "evidence": "work"},
        "industry-lateral",
        id="in it for the hype and the salary",
    ),
    pytest.param(
        {"held": "masters", "want": "product", "low-pay": "salary-now", "sure": "unsure",
         "decide": "job", "evidence": "work"},
        "industry-lateral",
        id="product developer who is unsure (if you don't know, you probably shouldn't)",
    ),
    pytest.param(
        {"held": "bachelors", "want": "applied", "low-pay": "short", "sure": "unsure",
         "decide": "projects", "evidence": "portfolio"},
        "masters-portfolio",
        id="bachelor's holder after applied research, a year or two at most, has projects",
    ),
    pytest.param(
        {"held": "two-masters", "want": "applied", "low-pay": "short", "sure": "unsure",
         "decide": "projects", "evidence": "portfolio"},
        "portfolio-applied",
        id="the thread's poster: two master's already, so a portfolio rather than a third degree",
    ),
    pytest.param(
        {"held": "bachelors", "want": "applied", "low-pay": "short", "sure": "unsure",
         "decide": "try-research", "evidence": "papers"},
        "residency-first",
        id="drawn to research but unsure, wants to try it first",
    ),
    pytest.param(
        {"held": "masters", "want": "fundamental", "low-pay": "fine", "sure": "unsure",
         "decide": "try-research", "evidence": "papers"},
        "residency-first",
        id="fundamental research but unsure about a PhD: try a residency first",
    ),
    pytest.param(
        {"held": "phd-other", "after-phd": "ml-research"},
        "switch-after-phd",
        id="physics PhD who wants ML research: move into ML after the PhD, not a second one",
    ),
    pytest.param(
        {"held": "phd-other", "after-phd": "data-science"},
        "switch-after-phd",
        id="science PhD who wants data science (Hanus's bootcamps for PhDs)",
    ),
]


# The persona runs of the knowledge-base review (section 8), with the option numbers it played.
# phd-fit now opens with the degrees held; each run gets the answer that fits its persona.
REVIEW_PERSONAS = [
    pytest.param("ml-path", [3, 1, 2, 3, 3], {"lab-software-engineer"},
                 id="SWE who loves distributed systems, learns on the job"),
    pytest.param("ml-path", [1, 2, 1, 1, 1], {"research-scientist"},
                 id="fundamental researcher, ML master's, top-venue paper, welcomes study"),
    pytest.param("ml-path", [4, 3, 2, 3, 4], {"applied-ml"},
                 id="thread OP: consultant, two MSc, research thesis, wants applied work"),
    pytest.param("ml-path", [5, 3, 4, 3, 4], {"data-roles"}, id="data analyst, no papers wanted"),
    pytest.param("ml-path", [2, 1, 3, 3, 2], {"research-engineer"},
                 id="SWE who wants to run research experiments at scale"),
    pytest.param("ml-path", [5, 4, 2, 3, 4], {"data-roles"},
                 id="science PhD moving to data science (Hanus's Insight persona)"),
    pytest.param("ml-path", [1, 4, 2, 2, 1], {"research-engineer"},
                 id="other-field graduate, open questions, a short master's at most, not a PhD"),
    pytest.param("ml-path", [1, 1, 4, 2, 1], {"research-engineer"},
                 id="SWE, open questions, pipelines, a short master's at most, not a PhD"),
    pytest.param("phd-fit", [2, 1, 1, 1, 1, 1], {"phd-advisor"},
                 id="committed fundamental researcher who has talked to an advisor"),
    pytest.param("phd-fit", [1, 4, 3, 3, 3, 3], {"industry-lateral"},
                 id="hype, salary now, only thinks jobs require one"),
    pytest.param("phd-fit", [1, 1, 2, 2, 1, 1], {"residency-first"},
                 id="drawn to research, unsure, wants to try research, has a paper"),
    pytest.param("phd-fit", [3, 2, 2, 2, 2, 1], {"portfolio-applied"},
                 id="thread OP: two master's, applied, a year or two at most, unsure, research thesis"),
    pytest.param("phd-fit", [2, 2, 3, 1, 1, 2], {"portfolio-applied", "industry-lateral"},
                 id="applied, needs an industry salary now, certain, has talked to an advisor"),
    pytest.param("phd-fit", [2, 1, 1, 3, 1, 1], {"residency-first"},
                 id="fundamental, fine with the pay, only thinks jobs require one"),
    pytest.param("phd-fit", [4, 1], {"switch-after-phd"},
                 id="PhD in another field who wants ML research"),
]


@pytest.mark.parametrize(("persona", "expected"), ML_PATH_PERSONAS)
def test_ml_path_personas_get_their_role(kb, persona, expected):
    quiz = kb.quizzes["ml-path"]
    assert outcome(quiz, walk(quiz, persona)).profile_id == expected


@pytest.mark.parametrize(("persona", "expected"), PHD_FIT_PERSONAS)
def test_phd_fit_personas_get_their_route(kb, persona, expected):
    quiz = kb.quizzes["phd-fit"]
    assert outcome(quiz, walk(quiz, persona)).profile_id == expected


@pytest.mark.parametrize(("quiz_id", "picks", "fitting"), REVIEW_PERSONAS)
def test_review_personas_get_a_result_that_fits_them(kb, quiz_id, picks, fitting):
    quiz = kb.quizzes[quiz_id]
    _, result = play(quiz, picks)
    assert set(result.profiles) <= fitting
    # Nothing a persona said is contradicted by what they are shown.
    given = dict(play(quiz, picks)[0])
    for rule in quiz.never:
        if rule.matches(given):
            assert not set(result.profiles) & set(rule.results)


def test_not_a_phd_rules_out_the_phd_route_and_says_why(kb):
    quiz = kb.quizzes["ml-path"]
    # Without the veto this path scores research scientist highest (8 against 6).
    answers, result = play(quiz, [1, 4, 2, 2, 1])
    assert result.scores["research-scientist"] > result.scores[result.profile_id]
    assert result.profile_id == "research-engineer"
    assert result.ruled_out == {"research-scientist": ("study", "short-masters")}
    assert result.fits["research-scientist"] == 0.0


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
    open_scores = [v for k, v in result.scores.items() if k not in result.ruled_out]
    assert result.scores[result.profile_id] == max(open_scores) > 0
    assert result.profile_id not in result.ruled_out
    assert result.fits[result.profile_id] == 1.0
    given = dict(answers)
    for rule in quiz.never:
        if rule.matches(given):
            assert not set(result.profiles) & set(rule.results), rule.why
    # Deterministic: the same answers always give the same outcome.
    assert play(quiz, picks) == (answers, result)
    assert outcome(quiz, list(answers)) == result


def test_equal_scores_are_settled_by_the_most_telling_answer_not_list_order(kb):
    quiz = kb.quizzes["ml-path"]
    # Research engineer and data roles both score 5; the goal ("open questions") decides.
    answers, result = play(quiz, [1, 1, 4, 2, 1])
    assert result.scores["research-engineer"] == result.scores["data-roles"] == 5
    assert result.profile_id == "research-engineer"
    assert result.level_with == ("data-roles",)
    assert result.decided_by == (("goal", "open-questions"),)
    assert not result.tied
    # Listing data roles after research engineer changes nothing: list order never decides.
    reordered = quiz.model_copy(update={"profiles": tuple(reversed(quiz.profiles))})
    reordered.model_post_init(None)
    assert outcome(reordered, answers).profile_id == "research-engineer"


def test_a_tie_no_answer_separates_is_shown_with_every_tied_profile():
    quiz = Quiz.model_validate(tiny_quiz(
        [{"id": "a", "label": "A", "weights": {"p1": 2, "p2": 2}},
         {"id": "b", "label": "B", "weights": {"p1": 1}}]))
    result = outcome(quiz, [("q0", "a")])
    assert set(result.profiles) == {"p1", "p2"} and result.tied
    assert not result.decided_by
    assert outcome(quiz, [("q0", "b")]).profiles == ("p1",)


def test_a_path_whose_only_scoring_profiles_are_ruled_out_has_no_result():
    quiz = Quiz.model_validate(tiny_quiz(
        [{"id": "a", "label": "A", "weights": {"p1": 2}, "rules_out": ["p1"]},
         {"id": "b", "label": "B", "weights": {"p2": 1}}]))
    assert decide(quiz, [("q0", "a")]) is None
    with pytest.raises(QuizError):
        outcome(quiz, [("q0", "a")])


def test_shipped_quizzes_have_no_contradiction_dead_end_or_list_order_tie(kb):
    for quiz in kb.quizzes.values():
        found = audit(quiz)
        assert found.paths == len(list(all_paths(quiz)))
        assert not found.contradictions and not found.dead_ends
        assert all(found.wins.values())


def test_replays_accepts_only_a_path_of_this_quiz_version(kb):
    quiz = kb.quizzes["phd-fit"]
    assert replays(quiz, [], "held")
    assert replays(quiz, [("held", "masters"), ("want", "applied")], "low-pay")
    # A session from before the degrees question: its first answer is to `want`.
    assert not replays(quiz, [("want", "applied")], "low-pay")
    assert not replays(quiz, [("held", "masters")], "decide")
    assert not replays(quiz, [("held", "gone-option")], "want")


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


def tiny_quiz(options: list[dict]) -> dict:
    return {
        "id": "tiny",
        "title": "Tiny quiz",
        "description": "one question for engine tests",
        "questions": [{"id": "q0", "text": "The only question?", "options": options}],
        "profiles": [
            {"id": p, "title": f"Profile {p}", "summary": "a generated profile summary",
             "next_steps": [{"text": f"step {i}", "entry": "roles-three-lab-roles"} for i in range(3)],
             "sources": [{"source": "reddit-phd-or-not", "where": "thread"}]}
            for p in ("p1", "p2")
        ],
    }


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
            option = {"id": f"o{oi}", "label": f"option {oi}", "weights": weights,
                      "rules_out": draw(st.lists(st.sampled_from(profiles), max_size=1))}
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
    results = [decide(quiz, path) for path in all_paths(quiz)]
    reached = {pid for r in results if r is not None for pid in r.profiles}
    has_dead_end = any(r is None for r in results)
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


# -- contradictions: `never` rules checked on every path ---------------------------------------------


def test_check_fails_when_the_shipped_vetoes_are_removed(tmp_path):
    """The shipped ml-path without its vetoes: "not a PhD" ends in the PhD route again."""
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    path = root / "quizzes" / "ml-path.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for question in raw["questions"]:
        for option in question["options"]:
            option.pop("rules_out", None)
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    lines = [str(p) for p in caught.value.problems]
    prefix = "knowledge/quizzes/ml-path.yaml: entry quiz ml-path: field never.0: contradiction: the path "
    listed = [line for line in lines if line.startswith(prefix)]
    assert listed and all("'research-scientist'" in line for line in listed)
    assert any("study=short-masters" in line or "study=learn-on-the-job" in line for line in listed)
    assert any(line.endswith("more contradictions (of 1260 paths) not listed") for line in lines)
    # One-shot `careerbot ask` runs no quiz and skips the walk; the quiz still loads.
    assert "ml-path" in load_knowledge(root, walk_quiz_paths=False).quizzes


def test_check_passes_on_the_shipped_quizzes(kb):
    for quiz_id, quiz in kb.quizzes.items():
        assert check_quiz(quiz, f"knowledge/quizzes/{quiz_id}.yaml", {e.id for e in kb.entries},
                          set(kb.sources)) == []


def test_contradiction_is_reported_until_an_answer_rules_it_out(tmp_path):
    quiz = base_quiz()
    # q1=a then q2=y scores alpha 2, beta 1: alpha wins although the rule forbids it.
    quiz["never"] = [{"when": {"q1": ["a"]}, "results": ["alpha"], "why": "a says not alpha"}]
    lines = problems_for(tmp_path, quiz)
    assert any("field never.0: contradiction: the path q1=a, q2=" in line and "'alpha'" in line
               and "(a says not alpha)" in line for line in lines)
    quiz["questions"][0]["options"][0]["rules_out"] = ["alpha"]
    quiz["questions"][0]["options"][0]["weights"] = {"alpha": 2, "beta": 1}
    quiz["questions"][0]["options"][1]["weights"] = {"alpha": 1, "beta": 1}  # alpha still wins via b
    root = tmp_path / "fixed"
    shutil.copytree(KNOWLEDGE, root)
    (root / "quizzes" / "broken.yaml").write_text(yaml.safe_dump(quiz), encoding="utf-8")
    assert "broken" in load_knowledge(root).quizzes


def test_unknown_ids_in_vetoes_tie_break_and_never_are_reported(tmp_path):
    quiz = base_quiz()
    quiz["questions"][0]["options"][0]["rules_out"] = ["gamma"]
    quiz["tie_break"] = ["q2", "q9", "q2"]
    quiz["never"] = [{"when": {"q1": ["z"], "q7": ["a"]}, "results": ["delta"], "why": "made up"}]
    lines = problems_for(tmp_path, quiz)
    prefix = "knowledge/quizzes/broken.yaml: entry quiz broken: field "
    assert f"{prefix}questions.q1.options.a.rules_out: unknown profile 'gamma'" in lines
    assert f"{prefix}tie_break: unknown question 'q9'" in lines
    assert f"{prefix}tie_break: question 'q2' is listed twice" in lines
    assert f"{prefix}never.0.when.q1: question 'q1' has no option 'z'" in lines
    assert f"{prefix}never.0.when: unknown question 'q7'" in lines
    assert f"{prefix}never.0.results: unknown profile 'delta'" in lines
