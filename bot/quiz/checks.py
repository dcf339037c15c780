"""`careerbot kb check` for quizzes: references to entries and sources, branching without
cycles, and every answer path walked, so that every path ends in a result, no path ends in a
result the quiz declares a contradiction (`never`), and every profile wins on at least one path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.kb.problems import Problem, read_yaml, rel_path
from bot.quiz.engine import Outcome, all_paths, decide, next_question
from bot.quiz.schema import END, MAX_PATH_PROBLEMS, MAX_PATHS, Answer, Quiz, parse_quiz


def check_quiz(
    quiz: Quiz, file: str, entry_ids: set[str], source_ids: set[str], *, walk_paths: bool = True
) -> list[Problem]:
    """References, cycles and unreachable questions, each located to question and option;
    `walk_paths` also walks every answer path (most of the cost) for dead ends, contradictions
    and profiles that never win."""
    entry = f"quiz {quiz.id}"
    problems = _check_references(quiz, file, entry, entry_ids, source_ids)
    if problems:
        # Paths cannot be walked through broken references; fix those first.
        return problems
    cycles, unreached = _check_graph(quiz, file, entry)
    if cycles:
        return cycles + unreached
    return unreached + (_check_paths(quiz, file, entry) if walk_paths else [])


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
            for pid in option.rules_out:
                if pid not in profile_ids:
                    problems.append(Problem(file, entry, f"{at}.rules_out", f"unknown profile {pid!r}"))
    for qid in quiz.tie_break:
        if qid not in question_ids:
            problems.append(Problem(file, entry, "tie_break", f"unknown question {qid!r}"))
    for qid in sorted({q for q in quiz.tie_break if quiz.tie_break.count(q) > 1}):
        problems.append(Problem(file, entry, "tie_break", f"question {qid!r} is listed twice"))
    for i, rule in enumerate(quiz.never):
        for qid, options in rule.when.items():
            asked = quiz.question(qid)
            if asked is None:
                problems.append(Problem(file, entry, f"never.{i}.when", f"unknown question {qid!r}"))
                continue
            for oid in options:
                if asked.option(oid) is None:
                    problems.append(Problem(file, entry, f"never.{i}.when.{qid}",
                                            f"question {qid!r} has no option {oid!r}"))
        for pid in rule.results:
            if pid not in profile_ids:
                problems.append(Problem(file, entry, f"never.{i}.results", f"unknown profile {pid!r}"))
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


@dataclass
class PathAudit:
    """What walking every answer path of a quiz found (`kb check` and `careerbot quiz audit`)."""

    paths: int = 0
    wins: dict[str, int] = field(default_factory=dict)
    # Paths where profiles scored the same and an answer, in tie-break order, separated them.
    ties_decided: int = 0
    # Paths where no answer separated them, so the result shows each tied profile.
    ties_shown: int = 0
    dead_ends: list[list[Answer]] = field(default_factory=list)
    # (index of the `never` rule, the path, the forbidden profile it ended in)
    contradictions: list[tuple[int, list[Answer], str]] = field(default_factory=list)
    # For a profile that never wins: the path where it came closest, to show the author.
    closest: dict[str, tuple[int, list[Answer]]] = field(default_factory=dict)
    too_many: bool = False


def audit(quiz: Quiz, limit: int = MAX_PATHS) -> PathAudit:
    """Walk every answer path (up to `limit`) and decide each one as a member would see it."""
    found = PathAudit(wins={p.id: 0 for p in quiz.profiles})
    for path in all_paths(quiz, limit + 1):
        found.paths += 1
        if found.paths > limit:
            found.too_many = True
            found.paths = limit
            break
        result = decide(quiz, path)
        if result is None:
            found.dead_ends.append(path)
            continue
        _tally(quiz, found, path, result)
    return found


def _tally(quiz: Quiz, found: PathAudit, path: list[Answer], result: Outcome) -> None:
    for pid in result.profiles:
        found.wins[pid] += 1
    if result.tied:
        found.ties_shown += 1
    elif result.level_with:
        found.ties_decided += 1
    given = dict(path)
    for index, rule in enumerate(quiz.never):
        if rule.matches(given):
            for pid in result.profiles:
                if pid in rule.results:
                    found.contradictions.append((index, path, pid))
    best = result.scores[result.profile_id]
    for pid, value in result.scores.items():
        gap = best - value
        if pid not in result.profiles and pid not in result.ruled_out and (
            pid not in found.closest or gap < found.closest[pid][0]
        ):
            found.closest[pid] = (gap, path)


def _check_paths(quiz: Quiz, file: str, entry: str) -> list[Problem]:
    problems: list[Problem] = []
    found = audit(quiz)
    if found.too_many:
        return [Problem(file, entry, "questions",
                        f"more than {MAX_PATHS} answer paths; split the quiz or branch less")]
    for path in found.dead_ends[:MAX_PATH_PROBLEMS]:
        last_q, last_o = path[-1]
        problems.append(
            Problem(file, entry, f"questions.{last_q}.options.{last_o}",
                    f"dead end: the path {_describe(path)} ends with no profile scoring that "
                    "its answers leave open, so it has no result")
        )
    if len(found.dead_ends) > MAX_PATH_PROBLEMS:
        problems.append(
            Problem(file, entry, "questions",
                    f"{len(found.dead_ends) - MAX_PATH_PROBLEMS} more dead ends (paths with no result) not listed")
        )
    for index, path, pid in found.contradictions[:MAX_PATH_PROBLEMS]:
        rule = quiz.never[index]
        problems.append(
            Problem(file, entry, f"never.{index}",
                    f"contradiction: the path {_describe(path)} ends in {pid!r}, which this rule "
                    f"forbids ({rule.why})")
        )
    if len(found.contradictions) > MAX_PATH_PROBLEMS:
        problems.append(
            Problem(file, entry, "never",
                    f"{len(found.contradictions) - MAX_PATH_PROBLEMS} more contradictions "
                    f"(of {found.paths} paths) not listed")
        )
    for profile in quiz.profiles:
        if found.wins[profile.id] == 0:
            hint = ""
            if profile.id in found.closest:
                gap, path = found.closest[profile.id]
                hint = f"; closest: {gap} points short on {_describe(path)}"
            problems.append(
                Problem(file, entry, f"profiles.{profile.id}",
                        f"unreachable: wins on none of the {found.paths} answer paths{hint}")
            )
    return problems


def load_quizzes(kb: Any, *, walk_paths: bool = True) -> tuple[dict[str, Quiz], list[Problem]]:
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
            found = check_quiz(quiz, rel, entry_ids, source_ids, walk_paths=walk_paths)
            if quiz.id in quizzes:
                found.append(Problem(rel, f"quiz {quiz.id}", "id", "duplicate quiz id"))
        problems.extend(found)
        if quiz is not None and not found:
            quizzes[quiz.id] = quiz
    return quizzes, problems
