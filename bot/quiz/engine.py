"""Playing a quiz, as pure functions: navigation, scoring, the outcome of an answer path, and
every path (for the checks). Nothing here touches the store.

The outcome is decided in three steps. Profiles an answer rules out are set aside whatever they
score. The highest score among the rest wins. Profiles level with it are separated by the
member's own answers, question by question in the quiz's tie-break order (the profile that
answer weighs more wins); if no answer separates them the tie is real, and the outcome carries
every tied profile so the result can say so. Profile list order never decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from bot.quiz.schema import BAR_CELLS, END, MAX_PATHS, Answer, Option, Quiz


@dataclass(frozen=True)
class Outcome:
    """The result of one answer path."""

    profile_id: str
    scores: dict[str, int]
    # Each profile's score relative to the winner's, 0..1 (the winner is 1; ruled out is 0).
    fits: dict[str, float]
    # The answers that gave the winner most weight, strongest first.
    reasons: tuple[Answer, ...]
    # Profiles level with the winner that no answer separates: a real tie, shown side by side.
    tied: tuple[str, ...] = ()
    # Profiles that had the winner's score but lost on the answers in `decided_by`.
    level_with: tuple[str, ...] = ()
    decided_by: tuple[Answer, ...] = ()
    # Profiles an answer vetoed, each with the first answer that did.
    ruled_out: dict[str, Answer] = field(default_factory=dict)

    @property
    def profiles(self) -> tuple[str, ...]:
        """Every profile the result presents: the winner, then any it is really tied with."""
        return (self.profile_id, *self.tied)


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


def _option(quiz: Quiz, answer: Answer) -> Option:
    question_id, option_id = answer
    option = quiz.answer_option(question_id, option_id)
    if option is None:
        raise QuizError(f"question {question_id!r} has no option {option_id!r}")
    return option


def score(quiz: Quiz, answers: Sequence[Answer]) -> dict[str, int]:
    totals = {p.id: 0 for p in quiz.profiles}
    for answer in answers:
        for profile_id, weight in _option(quiz, answer).weights.items():
            if profile_id in totals:
                totals[profile_id] += weight
    return totals


def vetoes(quiz: Quiz, answers: Sequence[Answer]) -> dict[str, Answer]:
    """Profiles the answers rule out, each with the first answer that did."""
    out: dict[str, Answer] = {}
    for answer in answers:
        for profile_id in _option(quiz, answer).rules_out:
            out.setdefault(profile_id, answer)
    return out


def decide(quiz: Quiz, answers: Sequence[Answer], reasons: int = 3) -> Outcome | None:
    """The outcome of an answer path, or None when no profile that is not ruled out scored."""
    scores = score(quiz, answers)
    ruled_out = vetoes(quiz, answers)
    eligible = [p.id for p in quiz.profiles if p.id not in ruled_out and scores[p.id] > 0]
    if not eligible:
        return None
    top = max(scores[p] for p in eligible)
    level = [p for p in eligible if scores[p] == top]
    leaders, decided_by = _break_tie(quiz, answers, level)
    best = leaders[0]
    fits = {pid: (0.0 if pid in ruled_out else s / top) for pid, s in scores.items()}
    weighted = []
    for index, answer in enumerate(answers):
        weight = _option(quiz, answer).weights.get(best, 0)
        if weight > 0:
            weighted.append((-weight, index, answer))
    weighted.sort()
    return Outcome(
        profile_id=best,
        scores=scores,
        fits=fits,
        reasons=tuple(a for _, _, a in weighted[:reasons]),
        tied=tuple(leaders[1:]),
        level_with=tuple(p for p in level if p not in leaders),
        decided_by=decided_by,
        ruled_out=ruled_out,
    )


def _break_tie(
    quiz: Quiz, answers: Sequence[Answer], level: list[str]
) -> tuple[list[str], tuple[Answer, ...]]:
    """Narrow profiles with the same score by the member's answers, in the quiz's tie order.

    Returns the profiles still level (one unless the tie is real) and the answers that narrowed.
    """
    leaders = list(level)
    decided_by: list[Answer] = []
    given = dict(answers)
    for question_id in quiz.tie_order:
        if len(leaders) == 1:
            break
        option_id = given.get(question_id)
        if option_id is None:
            continue
        weights = _option(quiz, (question_id, option_id)).weights
        best = max(weights.get(p, 0) for p in leaders)
        narrowed = [p for p in leaders if weights.get(p, 0) == best]
        if len(narrowed) < len(leaders):
            leaders = narrowed
            decided_by.append((question_id, option_id))
    return leaders, tuple(decided_by)


def outcome(quiz: Quiz, answers: Sequence[Answer], reasons: int = 3) -> Outcome:
    result = decide(quiz, answers, reasons)
    if result is None:
        raise QuizError("no profile that the answers leave open scored on this answer path")
    return result


def replays(quiz: Quiz, answers: Sequence[Answer], question_id: str | None) -> bool:
    """Whether stored answers are a path of this version of the quiz that stops at `question_id`.

    A session started before the quiz was edited may hold answers to a question that is gone or
    asked elsewhere now; such a session cannot be continued or scored, only restarted.
    """
    current: str | None = quiz.first
    for asked, option_id in answers:
        if current is None or asked != current:
            return False
        question = quiz.question(asked)
        if question is None or question.option(option_id) is None:
            return False
        current = next_question(quiz, asked, option_id)
    return current == question_id


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
