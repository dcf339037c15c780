"""`careerbot kb check` for quizzes: references to entries and sources, branching without
cycles, and every answer path walked, so that every path ends in a result and every profile wins
on at least one path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.kb.problems import Problem, read_yaml, rel_path
from bot.quiz.engine import all_paths, next_question, score, winner
from bot.quiz.schema import END, MAX_PATH_PROBLEMS, MAX_PATHS, Answer, Quiz, parse_quiz


def check_quiz(
    quiz: Quiz, file: str, entry_ids: set[str], source_ids: set[str]
) -> list[Problem]:
    """References, cycles, dead ends and reachability, each located to question and option."""
    entry = f"quiz {quiz.id}"
    problems = _check_references(quiz, file, entry, entry_ids, source_ids)
    if problems:
        # Paths cannot be walked through broken references; fix those first.
        return problems
    cycles, unreached = _check_graph(quiz, file, entry)
    if cycles:
        return cycles + unreached
    return unreached + _check_paths(quiz, file, entry)


def _check_references(
    quiz: Quiz, file: str, entry: str, entry_ids: set[str], source_ids: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    if Path(file).stem != quiz.id:
        problems.append(Problem(file, entry, "id", f"must match the file name ({Path(file).stem!r})"))
    profile_ids = [p.id for p in quiz.profiles]
    question_ids = [q.id for q in quiz.questions]
    for pid in sorted({p for p in profile_ids if profile_ids.count(p) > 1}):
        problems.append(Problem(file, entry, f"profiles.{pid}", "duplicate profile id"))
    for qid in sorted({q for q in question_ids if question_ids.count(q) > 1}):
        problems.append(Problem(file, entry, f"questions.{qid}", "duplicate question id"))
    known_targets = set(question_ids) | {END}
    for question in quiz.questions:
        where = f"questions.{question.id}"
        option_ids = [o.id for o in question.options]
        for oid in sorted({o for o in option_ids if option_ids.count(o) > 1}):
            problems.append(Problem(file, entry, f"{where}.options.{oid}", "duplicate option id"))
        if question.next is not None and question.next not in known_targets:
            problems.append(
                Problem(file, entry, f"{where}.next", f"unknown question {question.next!r}")
            )
        for option in question.options:
            at = f"{where}.options.{option.id}"
            if option.next is not None and option.next not in known_targets:
                problems.append(Problem(file, entry, f"{at}.next", f"unknown question {option.next!r}"))
            for pid in option.weights:
                if pid not in profile_ids:
                    problems.append(Problem(file, entry, f"{at}.weights.{pid}", f"unknown profile {pid!r}"))
    for profile in quiz.profiles:
        for i, step in enumerate(profile.next_steps):
            if step.entry not in entry_ids:
                problems.append(
                    Problem(file, entry, f"profiles.{profile.id}.next_steps.{i}.entry",
                            f"unknown FAQ entry {step.entry!r}")
                )
        for i, ref in enumerate(profile.sources):
            if ref.source not in source_ids:
                problems.append(
                    Problem(file, entry, f"profiles.{profile.id}.sources.{i}.source",
                            f"unknown source {ref.source!r}")
                )
    return problems


def _check_graph(quiz: Quiz, file: str, entry: str) -> tuple[list[Problem], list[Problem]]:
    """Cycles (which make paths endless) and questions no path reaches."""
    problems: list[Problem] = []
    unreached: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = fully explored
    path: list[str] = []

    def visit(question_id: str) -> None:
        state[question_id] = 1
        path.append(question_id)
        question = quiz.question(question_id)
        assert question is not None
        for option in question.options:
            target = next_question(quiz, question_id, option.id)
            if target is None:
                continue
            if state.get(target) == 1:
                loop = " -> ".join([*path[path.index(target):], target])
                problems.append(
                    Problem(file, entry, f"questions.{question_id}.options.{option.id}.next",
                            f"leads back to an earlier question: cycle {loop}")
                )
            elif target not in state:
                visit(target)
        path.pop()
        state[question_id] = 2

    visit(quiz.first)
    for question in quiz.questions:
        if question.id not in state:
            unreached.append(
                Problem(file, entry, f"questions.{question.id}", "no answer path reaches this question")
            )
    return problems, unreached


def _describe(path: Sequence[Answer]) -> str:
    return ", ".join(f"{q}={o}" for q, o in path)


def _check_paths(quiz: Quiz, file: str, entry: str) -> list[Problem]:
    problems: list[Problem] = []
    wins = {p.id: 0 for p in quiz.profiles}
    # For a profile that never wins: the path where it came closest, to show the author.
    closest: dict[str, tuple[int, list[Answer]]] = {}
    dead_ends = 0
    count = 0
    for path in all_paths(quiz, MAX_PATHS + 1):
        count += 1
        if count > MAX_PATHS:
            problems.append(
                Problem(file, entry, "questions",
                        f"more than {MAX_PATHS} answer paths; split the quiz or branch less")
            )
            return problems
        scores = score(quiz, path)
        best = winner(quiz, scores)
        if best is None:
            dead_ends += 1
            if dead_ends <= MAX_PATH_PROBLEMS:
                last_q, last_o = path[-1]
                problems.append(
                    Problem(file, entry, f"questions.{last_q}.options.{last_o}",
                            f"dead end: the path {_describe(path)} ends with no profile scoring, "
                            "so it has no result")
                )
            continue
        wins[best] += 1
        for pid, value in scores.items():
            gap = scores[best] - value
            if pid != best and (pid not in closest or gap < closest[pid][0]):
                closest[pid] = (gap, path)
    if dead_ends > MAX_PATH_PROBLEMS:
        problems.append(
            Problem(file, entry, "questions",
                    f"{dead_ends - MAX_PATH_PROBLEMS} more dead ends (paths with no result) not listed")
        )
    for profile in quiz.profiles:
        if wins[profile.id] == 0:
            hint = ""
            if profile.id in closest:
                gap, path = closest[profile.id]
                last_q, last_o = path[-1]
                hint = f"; closest: {gap} points short on {_describe(path)}"
            problems.append(
                Problem(file, entry, f"profiles.{profile.id}",
                        f"unreachable: wins on none of the {count} answer paths{hint}")
            )
    return problems


def load_quizzes(kb: Any) -> tuple[dict[str, Quiz], list[Problem]]:
    """Load and check `knowledge/quizzes/*.yaml` against the knowledge base's entries and sources."""
    root = Path(kb.root)
    folder = root / "quizzes"
    entry_ids = {e.id for e in kb.entries}
    source_ids = set(kb.sources)
    quizzes: dict[str, Quiz] = {}
    problems: list[Problem] = []
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        rel = rel_path(path, root)
        raw = read_yaml(path, root, problems)
        if raw is None:
            continue
        quiz, found = parse_quiz(raw, rel)
        if quiz is not None:
            found = check_quiz(quiz, rel, entry_ids, source_ids)
            if quiz.id in quizzes:
                found.append(Problem(rel, f"quiz {quiz.id}", "id", "duplicate quiz id"))
        problems.extend(found)
        if quiz is not None and not found:
            quizzes[quiz.id] = quiz
    return quizzes, problems
