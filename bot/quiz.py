"""Profile quizzes: definitions, validation and scoring, as pure functions.

A quiz is data (`knowledge/quizzes/<id>.yaml`): questions whose options carry weights per
profile, and profiles with next steps that link FAQ entries. Questions are asked in file order;
an option's `next` (or its question's `next`) branches to another question, and `end` finishes.
The profile with the highest total wins; ties go to the profile listed first.

Validation walks every answer path, so `careerbot kb check` proves that every path ends in a
result, that every profile wins on at least one path, and that branching has no cycles. Nothing
here touches the store; `bot.quiz_service` keeps sessions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from bot.knowledge import ID_PATTERN, Problem, _pydantic_problems, _read_yaml, _rel

END = "end"
MAX_PATHS = 200_000
MAX_LABEL = 75  # fits a Slack button (75) and a Discord button (80) without cutting
MAX_WEIGHT = 10
BAR_CELLS = 5
# Dead-end paths are reported individually up to this many per quiz; the rest are counted.
MAX_PATH_PROBLEMS = 5

Answer = tuple[str, str]  # (question id, option id)


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=40)
    label: str = Field(min_length=1, max_length=MAX_LABEL)
    weights: dict[str, int] = Field(default_factory=dict)
    next: str | None = None

    @model_validator(mode="after")
    def _weights_in_range(self) -> Option:
        for profile, weight in self.weights.items():
            if not 0 <= weight <= MAX_WEIGHT:
                raise ValueError(f"weight for {profile!r} must be between 0 and {MAX_WEIGHT}")
        return self


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=40)
    text: str = Field(min_length=5, max_length=200)
    options: tuple[Option, ...] = Field(min_length=2, max_length=8)
    next: str | None = None

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class NextStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=5, max_length=70)
    entry: str = Field(pattern=ID_PATTERN)


class ProfileSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)
    where: str = Field(min_length=1, max_length=200)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=40)
    title: str = Field(min_length=3, max_length=80)
    summary: str = Field(min_length=20, max_length=900)
    next_steps: tuple[NextStep, ...] = Field(min_length=3, max_length=5)
    sources: tuple[ProfileSource, ...] = Field(min_length=1)


class Quiz(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=40)
    title: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=10, max_length=500)
    questions: tuple[Question, ...] = Field(min_length=1)
    profiles: tuple[Profile, ...] = Field(min_length=2)

    _questions: dict[str, Question] = PrivateAttr(default_factory=dict)
    _profiles: dict[str, Profile] = PrivateAttr(default_factory=dict)
    _depth: dict[str, int] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._questions = {q.id: q for q in self.questions}
        self._profiles = {p.id: p for p in self.profiles}

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def profile(self, profile_id: str) -> Profile | None:
        return self._profiles.get(profile_id)

    @property
    def first(self) -> str:
        return self.questions[0].id


@dataclass(frozen=True)
class Outcome:
    """The result of one answer path."""

    profile_id: str
    scores: dict[str, int]
    # Each profile's score relative to the winner's, 0..1 (the winner is 1).
    fits: dict[str, float]
    # The answers that gave the winner most weight, strongest first.
    reasons: tuple[Answer, ...]


class QuizError(ValueError):
    """An answer path that does not fit the quiz (unknown option, too few or many answers)."""


# -- navigation -----------------------------------------------------------------------------------


def next_question(quiz: Quiz, question_id: str, option_id: str) -> str | None:
    """The question asked after this answer, or None when the quiz is over."""
    question = quiz.question(question_id)
    if question is None:
        raise QuizError(f"unknown question {question_id!r}")
    option = question.option(option_id)
    if option is None:
        raise QuizError(f"question {question_id!r} has no option {option_id!r}")
    target = option.next or question.next
    if target is None:
        index = quiz.questions.index(question)
        return quiz.questions[index + 1].id if index + 1 < len(quiz.questions) else None
    return None if target == END else target


def remaining_depth(quiz: Quiz, question_id: str) -> int:
    """Questions left on the longest path from here, this one included (quizzes are acyclic)."""
    cached = quiz._depth.get(question_id)
    if cached is not None:
        return cached
    question = quiz.question(question_id)
    if question is None:
        return 0
    depth = 1 + max(
        (remaining_depth(quiz, n) for o in question.options if (n := next_question(quiz, question_id, o.id))),
        default=0,
    )
    quiz._depth[question_id] = depth
    return depth


def step_count(quiz: Quiz, step: int, question_id: str) -> int:
    """The `n` of "[k/n]": questions answered so far plus the longest way to the end."""
    return step + remaining_depth(quiz, question_id)


# -- scoring --------------------------------------------------------------------------------------


def score(quiz: Quiz, answers: Sequence[Answer]) -> dict[str, int]:
    totals = {p.id: 0 for p in quiz.profiles}
    for question_id, option_id in answers:
        question = quiz.question(question_id)
        option = question.option(option_id) if question else None
        if option is None:
            raise QuizError(f"question {question_id!r} has no option {option_id!r}")
        for profile_id, weight in option.weights.items():
            if profile_id in totals:
                totals[profile_id] += weight
    return totals


def winner(quiz: Quiz, scores: dict[str, int]) -> str | None:
    """The highest-scoring profile (first listed on a tie), or None if nothing scored."""
    best: str | None = None
    for profile in quiz.profiles:
        if scores.get(profile.id, 0) > (scores.get(best, 0) if best else 0):
            best = profile.id
    return best


def outcome(quiz: Quiz, answers: Sequence[Answer], reasons: int = 3) -> Outcome:
    scores = score(quiz, answers)
    best = winner(quiz, scores)
    if best is None:
        raise QuizError("no profile scored on this answer path")
    top = scores[best]
    fits = {pid: s / top for pid, s in scores.items()}
    weighted = []
    for index, (question_id, option_id) in enumerate(answers):
        question = quiz.question(question_id)
        option = question.option(option_id) if question else None
        weight = option.weights.get(best, 0) if option else 0
        if weight > 0:
            weighted.append((-weight, index, (question_id, option_id)))
    weighted.sort()
    return Outcome(best, scores, fits, tuple(a for _, _, a in weighted[:reasons]))


def fit_bar(fit: float, cells: int = BAR_CELLS) -> str:
    """`▰▰▰▱▱`: plain characters that render the same in every chat client."""
    filled = max(0, min(cells, round(fit * cells)))
    return "▰" * filled + "▱" * (cells - filled)


def play(quiz: Quiz, picks: Iterable[int]) -> tuple[list[Answer], Outcome]:
    """Run a quiz with 1-based option numbers in the order asked (for authors and tests)."""
    answers: list[Answer] = []
    current: str | None = quiz.first
    for count, pick in enumerate(picks, start=1):
        if current is None:
            raise QuizError(f"got {count} answers but the quiz ended after {count - 1}")
        question = quiz.question(current)
        assert question is not None
        if not 1 <= pick <= len(question.options):
            raise QuizError(
                f"answer {count} is {pick}, but question {question.id!r} has options "
                f"1 to {len(question.options)}"
            )
        option = question.options[pick - 1]
        answers.append((question.id, option.id))
        current = next_question(quiz, question.id, option.id)
    if current is not None:
        raise QuizError(
            f"{len(answers)} answers are not enough: the quiz goes on to question {current!r}"
        )
    return answers, outcome(quiz, answers)


def all_paths(quiz: Quiz, limit: int = MAX_PATHS) -> Iterator[list[Answer]]:
    """Every answer path from the first question to the end (assumes a checked, acyclic quiz)."""
    produced = 0
    stack: list[tuple[str, list[Answer]]] = [(quiz.first, [])]
    while stack:
        question_id, path = stack.pop()
        question = quiz.question(question_id)
        assert question is not None
        for option in reversed(question.options):
            answer_path = [*path, (question_id, option.id)]
            target = next_question(quiz, question_id, option.id)
            if target is None:
                produced += 1
                if produced > limit:
                    return
                yield answer_path
            else:
                stack.append((target, answer_path))


# -- validation -----------------------------------------------------------------------------------


def parse_quiz(raw: Any, file: str) -> tuple[Quiz | None, list[Problem]]:
    quiz_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
    entry = f"quiz {quiz_id or '-'}"
    if not isinstance(raw, dict):
        return None, [Problem(file, entry, "", "a quiz file must be a mapping of fields")]
    try:
        return Quiz.model_validate(raw), []
    except ValidationError as exc:
        return None, _named_problems(exc, raw, file, entry)


def _named_problems(exc: ValidationError, raw: dict, file: str, entry: str) -> list[Problem]:
    """Pydantic locates errors by list index; authors think in question and option ids."""
    found = _pydantic_problems(exc, file, entry)
    # A list whose only fault is an invalid item also fails its length check; say it once.
    found = [
        p for p in found
        if not (p.reason.startswith("Tuple should have at least")
                and any(o.field.startswith(p.field + ".") for o in found))
    ]
    out = []
    for problem in found:
        parts = problem.field.split(".")
        node: Any = raw
        named = []
        for part in parts:
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                ident = node.get("id") if isinstance(node, dict) else None
                named.append(str(ident) if ident else part)
            else:
                node = node.get(part) if isinstance(node, dict) else None
                named.append(part)
        out.append(Problem(file, entry, ".".join(named), problem.reason))
    return out


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
        rel = _rel(path, root)
        raw = _read_yaml(path, root, problems)
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
