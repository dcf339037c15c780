"""How a quiz looks in chat: one question with its answer buttons, the result with why and
next steps, and the fit bars."""

from __future__ import annotations

from bot.kb.models import KnowledgeBase
from bot.quiz.engine import Outcome, fit_bar, step_count
from bot.quiz.schema import Quiz
from bot.replies import Choice, Citation, Reply


def answer_payload(session_id: str, step: int, option_id: str) -> str:
    return f"{session_id}:{step}:{option_id}"


def result_reply(kb: KnowledgeBase, quiz: Quiz, result: Outcome) -> Reply:
    profile = quiz.profile(result.profile_id)
    assert profile is not None
    why = []
    for question_id, option_id in result.reasons:
        question = quiz.question(question_id)
        option = question.option(option_id) if question else None
        if option is not None:
            why.append(f"- You chose \"{option.label}\"")
    steps = "\n".join(f"- {s.text} (`faq {s.entry}`)" for s in profile.next_steps)
    citations = [
        Citation(
            ref.source,
            kb.sources[ref.source].title if ref.source in kb.sources else ref.source,
            ref.where,
            kb.sources[ref.source].url if ref.source in kb.sources else None,
        )
        for ref in profile.sources
    ]
    return Reply(
        kind="quiz",
        title=f"Your result: {profile.title}",
        body=profile.summary.strip(),
        fields=[
            ("Why this result", "\n".join(why) or "- Your answers overall"),
            ("Fit", fit_lines(quiz, result.scores, result.fits)),
            ("Next steps", steps),
        ],
        citations=citations,
        choices=[Choice(s.text, "show", s.entry, "secondary") for s in profile.next_steps],
        replace=True,
    )


EXPIRED = (
    "That quiz expired after a long pause and was cleared; nothing was changed. "
    "Start again with `quiz`."
)


def step_reply(quiz: Quiz, session_id: str, step: int, question_id: str | None, replace: bool) -> Reply:
    """Question `step` (0-based) of a session, with one button per option."""
    question = quiz.question(question_id or "")
    assert question is not None
    k = step + 1
    n = step_count(quiz, step, question.id)
    body = ""
    if step == 0:
        body = (
            f"**{quiz.title}** Pick one answer per question. `quiz cancel` stops; "
            "`quiz` later picks up where you left off."
        )
    return Reply(
        kind="quiz",
        title=f"[{k}/{n}] {question.text}",
        body=body,
        choices=[
            Choice(o.label, "quiz", answer_payload(session_id, step, o.id), "primary")
            for o in question.options
        ],
        replace=replace,
    )


def fit_lines(quiz: Quiz, scores: dict[str, int], fits: dict[str, float]) -> str:
    ranked = sorted(quiz.profiles, key=lambda p: -scores.get(p.id, 0))
    return "\n".join(
        f"{fit_bar(fits.get(p.id, 0.0))} {round(100 * fits.get(p.id, 0.0)):>3}%  {p.title}"
        for p in ranked
    )
