"""Playing a quiz, as pure functions: navigation, scoring, the outcome of an answer path, and
every path (for the checks). The profile with the highest total wins; ties go to the profile
listed first. Nothing here touches the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from bot.quiz.schema import BAR_CELLS, END, MAX_PATHS, Answer, Quiz


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
