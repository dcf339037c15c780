"""Profile quizzes as data: the models `knowledge/quizzes/<id>.yaml` is validated into, and the
parser that names problems by question and option id.

A quiz is questions whose options carry weights per profile, and profiles with next steps that
link FAQ entries. Questions are asked in file order; an option's `next` (or its question's
`next`) branches to another question, and `end` finishes.

Scores alone let an explicit answer be outvoted ("not a PhD" losing to four research-minded
answers), so a quiz also declares:

- `rules_out` on an option: profiles that answer vetoes, whatever they score;
- `tie_break`: the questions, most telling first, whose answers decide between profiles with the
  same score (questions left out follow in file order); when no answer separates them the
  result shows them all;
- `never`: contradictions (these answers must never end in these results), which
  `careerbot kb check` tests on every answer path, so a change of weights or vetoes that
  brings one back is refused.

Playing a quiz is `bot.quiz.engine`; checking every path is `bot.quiz.checks`; sessions are
`bot.quiz.sessions`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from bot.kb.models import ID_PATTERN
from bot.kb.problems import Problem, pydantic_problems

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
    # Profiles this answer vetoes: the member said something the profile contradicts.
    rules_out: tuple[str, ...] = ()
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


class Never(BaseModel):
    """A declared contradiction: a path whose answers match `when` must not end in `results`.

    `when` maps question ids to the options that trigger the rule; every listed question must
    have been answered with one of its options (a question the path skipped does not match).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: dict[str, tuple[str, ...]] = Field(min_length=1)
    results: tuple[str, ...] = Field(min_length=1)
    why: str = Field(min_length=5, max_length=300)

    def matches(self, answers: dict[str, str]) -> bool:
        return all(answers.get(q) in options for q, options in self.when.items())


class Quiz(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=40)
    title: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=10, max_length=500)
    questions: tuple[Question, ...] = Field(min_length=1)
    profiles: tuple[Profile, ...] = Field(min_length=2)
    tie_break: tuple[str, ...] = ()
    never: tuple[Never, ...] = ()

    _questions: dict[str, Question] = PrivateAttr(default_factory=dict)
    _profiles: dict[str, Profile] = PrivateAttr(default_factory=dict)
    _depth: dict[str, int] = PrivateAttr(default_factory=dict)
    _options: dict[tuple[str, str], Option] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._questions = {q.id: q for q in self.questions}
        self._profiles = {p.id: p for p in self.profiles}
        # `kb check` and every start walk each answer path (thousands of paths, tens of
        # thousands of option lookups): one dict lookup each instead of a scan of the options.
        self._options = {(q.id, o.id): o for q in self.questions for o in q.options}

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def profile(self, profile_id: str) -> Profile | None:
        return self._profiles.get(profile_id)

    def answer_option(self, question_id: str, option_id: str) -> Option | None:
        return self._options.get((question_id, option_id))

    @property
    def first(self) -> str:
        return self.questions[0].id

    @property
    def tie_order(self) -> tuple[str, ...]:
        """Questions in the order their answers break ties: the declared ones, then the rest."""
        declared = tuple(dict.fromkeys(q for q in self.tie_break if q in self._questions))
        return declared + tuple(q.id for q in self.questions if q.id not in declared)


def parse_quiz(raw: Any, file: str) -> tuple[Quiz | None, list[Problem]]:
    quiz_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
    entry = f"quiz {quiz_id or '-'}"
    if not isinstance(raw, dict):
        return None, [Problem(file, entry, "", "a quiz file must be a mapping of fields")]
    try:
        return Quiz.model_validate(raw), []
    except ValidationError as exc:
        return None, _named_problems(exc, raw, file, entry)


def _named_problems(exc: ValidationError, raw: dict[str, Any], file: str, entry: str) -> list[Problem]:
    """Pydantic locates errors by list index; authors think in question and option ids."""
    found = pydantic_problems(exc, file, entry)
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
