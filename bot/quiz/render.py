"""How a quiz looks in chat: one question with its answer buttons, the result with why and
next steps, and the fit bars."""

from __future__ import annotations

from collections.abc import Sequence

from bot.kb.models import KnowledgeBase
from bot.quiz.engine import Outcome, fit_bar, step_count
from bot.quiz.schema import Answer, NextStep, Quiz
from bot.replies import Choice, Citation, Reply


def answer_payload(session_id: str, step: int, option_id: str) -> str:
    return f"{session_id}:{step}:{option_id}"


def _label(quiz: Quiz, answer: Answer) -> str:
    option = quiz.answer_option(*answer)
    return option.label if option else answer[1]


def _title(quiz: Quiz, profile_id: str) -> str:
    profile = quiz.profile(profile_id)
    return profile.title if profile else profile_id


def _names(titles: list[str]) -> str:
    quoted = [f"*{t}*" for t in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def why_lines(quiz: Quiz, result: Outcome) -> list[str]:
    """Why this result, told from the member's own answers: what weighed for it, what an answer
    ruled out, and which answer settled a tie (or that none did)."""
    lines = [f"- You chose \"{_label(quiz, a)}\"" for a in result.reasons]
    if result.decided_by:
        rivals = _names([_title(quiz, p) for p in result.level_with])
        answers = " and ".join(f"\"{_label(quiz, a)}\"" for a in result.decided_by)
        verb = "answer {} leans" if len(result.decided_by) == 1 else "answers {} lean"
        lines.append(
            f"- {rivals} scored the same; your {verb.format(answers)} toward "
            f"*{_title(quiz, result.profile_id)}*"
        )
    if result.tied:
        lines.append(
            f"- {_names([_title(quiz, p) for p in result.profiles])} scored the same, and none "
            "of your answers leans more toward one of them, so both are shown"
        )
    by_answer: dict[Answer, list[str]] = {}
    for pid, answer in result.ruled_out.items():
        if result.scores.get(pid, 0) > 0:
            by_answer.setdefault(answer, []).append(_title(quiz, pid))
    for answer, titles in by_answer.items():
        verb = "is" if len(titles) == 1 else "are"
        lines.append(f"- You said \"{_label(quiz, answer)}\", so {_names(titles)} {verb} left out")
    return lines


def result_reply(kb: KnowledgeBase, quiz: Quiz, result: Outcome) -> Reply:
    profiles = [quiz.profile(pid) for pid in result.profiles]
    assert all(profiles)
    shown = [p for p in profiles if p is not None]
    if len(shown) == 1:
        title = f"Your result: {shown[0].title}"
        body = shown[0].summary.strip()
    else:
        title = "Your result: a tie between " + " and ".join(p.title for p in shown)
        body = "Your answers fit these routes equally well, so here are both.\n\n" + "\n\n".join(
            f"**{p.title}**: {p.summary.strip()}" for p in shown
        )
    next_steps: list[NextStep] = []
    seen: set[str] = set()
    for profile in shown:
        for step in profile.next_steps:
            if step.entry not in seen:
                seen.add(step.entry)
                next_steps.append(step)
    steps = "\n".join(f"- {s.text} (`faq {s.entry}`)" for s in next_steps)
    refs = list(dict.fromkeys((ref.source, ref.where) for p in shown for ref in p.sources))
    citations = [
        Citation(
            source,
            kb.sources[source].title if source in kb.sources else source,
            where,
            kb.sources[source].url if source in kb.sources else None,
        )
        for source, where in refs
    ]
    return Reply(
        kind="quiz",
        title=title,
        body=body,
        fields=[
            ("Why this result", "\n".join(why_lines(quiz, result)) or "- Your answers overall"),
            ("Fit", fit_lines(quiz, result.scores, result.fits, list(result.ruled_out),
                              result.profiles)),
            ("Next steps", steps),
        ],
        citations=citations,
        choices=[Choice(s.text, "show", s.entry, "secondary") for s in next_steps],
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


def fit_lines(
    quiz: Quiz, scores: dict[str, int], fits: dict[str, float], ruled_out: list[str] | None = None,
    shown: Sequence[str] = (),
) -> str:
    """One bar per profile: the result's own profiles first (an equal score settled by an answer
    still comes first), then best fit first; a profile an answer ruled out says so instead."""
    left_out = set(ruled_out or ())
    ranked = sorted(
        quiz.profiles,
        key=lambda p: (p.id not in shown, p.id in left_out, -fits.get(p.id, 0.0)),
    )
    return "\n".join(
        f"{fit_bar(0.0)}   -   {p.title} (ruled out by your answers)"
        if p.id in left_out and scores.get(p.id, 0) > 0
        else f"{fit_bar(fits.get(p.id, 0.0))} {round(100 * fits.get(p.id, 0.0)):>3}%  {p.title}"
        for p in ranked
    )
