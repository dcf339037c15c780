"""Authoring aids: `careerbot quiz list`, `careerbot quiz play ID --answers 2,1,3` and
`careerbot quiz audit [ID]`.

`play` runs the pure engine (no database), so an author can check what a given set of answers
produces right after editing a quiz file; `audit` walks every answer path and counts results,
ties settled by an answer, ties shown as such, and contradictions of the quiz's `never` rules.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.app import load_kb
from bot.cli.common import CliError
from bot.config import Settings
from bot.quiz.checks import audit
from bot.quiz.engine import QuizError, fit_bar, play, remaining_depth
from bot.quiz.schema import Quiz


async def cmd_quiz_list(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_kb(settings)
    quizzes: dict[str, Quiz] = kb.quizzes
    if args.json:
        out = [
            {
                "id": q.id,
                "title": q.title,
                "description": q.description,
                "questions": len(q.questions),
                "longest_path": remaining_depth(q, q.first),
                "profiles": [p.id for p in q.profiles],
            }
            for q in quizzes.values()
        ]
        print(json.dumps({"quizzes": out}, ensure_ascii=False, indent=2))
        return 0
    if not quizzes:
        print("no quizzes")
        return 0
    for q in quizzes.values():
        print(f"{q.id}: {q.title} ({remaining_depth(q, q.first)} questions, {len(q.profiles)} profiles)")
    return 0


def parse_answers(text: str) -> list[int]:
    picks = []
    for i, part in enumerate(text.split(","), start=1):
        part = part.strip()
        if not part.isdigit():
            raise CliError(f"--answers item {i} is {part!r}; give option numbers like 2,1,3")
        picks.append(int(part))
    return picks


def play_json(quiz: Quiz, answers: list[tuple[str, str]], result: Any) -> dict[str, Any]:
    profile = quiz.profile(result.profile_id)
    assert profile is not None
    return {
        "quiz": quiz.id,
        "profile": result.profile_id,
        "title": profile.title,
        "answers": [{"question": q, "option": o} for q, o in answers],
        "scores": result.scores,
        "fits": {k: round(v, 4) for k, v in result.fits.items()},
        "reasons": [{"question": q, "option": o} for q, o in result.reasons],
        "tied": list(result.tied),
        "level_with": list(result.level_with),
        "decided_by": [{"question": q, "option": o} for q, o in result.decided_by],
        "ruled_out": {pid: {"question": q, "option": o} for pid, (q, o) in result.ruled_out.items()},
        "next_steps": [{"text": s.text, "entry": s.entry} for s in profile.next_steps],
    }


async def cmd_quiz_play(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_kb(settings)
    quiz = kb.quizzes.get(args.quiz)
    if quiz is None:
        known = ", ".join(kb.quizzes) or "none"
        raise CliError(f"unknown quiz {args.quiz!r}; quizzes: {known}")
    picks = parse_answers(args.answers)
    try:
        answers, result = play(quiz, picks)
    except QuizError as exc:
        raise CliError(str(exc)) from exc
    data = play_json(quiz, answers, result)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{quiz.id}: {data['profile']} ({data['title']})")
    for pid in result.tied:
        print(f"  tied with {pid}: no answer separates them")
    if result.decided_by:
        settled = ", ".join(f"{q}={o}" for q, o in result.decided_by)
        print(f"  level with {', '.join(result.level_with)}; settled by {settled}")
    for profile in sorted(quiz.profiles,
                          key=lambda p: (p.id not in result.profiles, -result.fits[p.id])):
        fit = result.fits[profile.id]
        vetoed = result.ruled_out.get(profile.id)
        note = f", ruled out by {vetoed[0]}={vetoed[1]}" if vetoed else ""
        print(f"  {fit_bar(fit)} {round(100 * fit):>3}%  {profile.id} (score {result.scores[profile.id]}{note})")
    print("next steps:")
    for step in data["next_steps"]:
        print(f"  - {step['text']} (faq {step['entry']})")
    return 0


async def cmd_quiz_audit(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_kb(settings)
    if args.quiz and args.quiz not in kb.quizzes:
        raise CliError(f"unknown quiz {args.quiz!r}; quizzes: {', '.join(kb.quizzes) or 'none'}")
    out = []
    for quiz in kb.quizzes.values():
        if args.quiz and quiz.id != args.quiz:
            continue
        found = audit(quiz)
        out.append({
            "quiz": quiz.id,
            "paths": found.paths,
            "wins": found.wins,
            "ties_settled_by_an_answer": found.ties_decided,
            "ties_shown": found.ties_shown,
            "contradictions": len(found.contradictions),
            "dead_ends": len(found.dead_ends),
        })
    if args.json:
        print(json.dumps({"audits": out}, ensure_ascii=False, indent=2))
        return 0
    for row in out:
        print(f"{row['quiz']}: {row['paths']} paths, {row['contradictions']} contradictions, "
              f"{row['dead_ends']} dead ends, {row['ties_settled_by_an_answer']} ties settled by an "
              f"answer, {row['ties_shown']} ties shown as ties")
        for pid, wins in row["wins"].items():
            print(f"  {wins:>6}  {pid}")
    return 0


def add_parser(sub: Any) -> None:
    quiz = sub.add_parser("quiz", help="list quizzes or play one non-interactively")
    quiz_sub = quiz.add_subparsers(dest="quiz_command", metavar="QUIZ_COMMAND")
    listing = quiz_sub.add_parser("list", help="list the quizzes")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_quiz_list)
    player = quiz_sub.add_parser("play", help="answer a quiz from the command line")
    player.add_argument("quiz", metavar="ID", help="the quiz id, e.g. ml-path")
    player.add_argument(
        "--answers", required=True, help="1-based option numbers in the order asked, e.g. 2,1,3,1,4"
    )
    player.add_argument("--json", action="store_true", help="print JSON")
    player.set_defaults(func=cmd_quiz_play)
    auditor = quiz_sub.add_parser(
        "audit", help="walk every answer path: results, ties and contradictions per quiz"
    )
    auditor.add_argument("quiz", metavar="ID", nargs="?", help="one quiz (default: all)")
    auditor.add_argument("--json", action="store_true", help="print JSON")
    auditor.set_defaults(func=cmd_quiz_audit)
    quiz.set_defaults(func=None, parser=quiz)
