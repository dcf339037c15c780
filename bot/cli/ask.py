"""`careerbot ask`: one question, or a batch of them as JSON lines, answered and exited."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.app import open_service
from bot.cli.common import CliError
from bot.config import Settings
from bot.matching import MatchResult


def result_json(result: MatchResult) -> dict[str, Any]:
    entry = result.entry
    return {
        "status": result.status,
        "score": round(result.score, 4),
        "entry": None
        if entry is None
        else {
            "id": entry.id,
            "topic": entry.topic,
            "also_topics": list(entry.also_topics),
            "question": entry.question,
            "answer": entry.answer,
            "sources": [ref.model_dump() for ref in entry.sources],
        },
        "suggestions": [
            {"id": s.id, "topic": s.topic, "question": s.question} for s in result.suggestions
        ],
    }


def _batch_lines(path: str) -> Iterator[str]:
    stream: TextIO = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        for line in stream:
            yield line.rstrip("\n")
    finally:
        if stream is not sys.stdin:
            stream.close()


async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch and not args.json:
        raise CliError("--batch needs --json (one JSON object per line out)")
    if not args.batch and not args.question:
        raise CliError("give a question, for example: careerbot ask \"do I need a PhD?\"")
    if args.batch and args.batch != "-" and not Path(args.batch).is_file():
        raise CliError(f"batch file not found: {args.batch}")
    service = await open_service(settings)
    try:
        if args.batch:
            for line in _batch_lines(args.batch):
                result = await service.match(args.community, line)
                print(json.dumps(result_json(result), ensure_ascii=False), flush=False)
            sys.stdout.flush()
            return 0
        question = " ".join(args.question)
        result = await service.match(args.community, question)
        if args.json:
            print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        else:
            print(service.render_result(result).plain())
            if result.suggestions and result.status != "answered":
                for s in result.suggestions:
                    print(f"  - {s.question} (faq {s.id})")
        return 0
    finally:
        await service.store.close()


def add_parser(sub: Any) -> None:
    ask = sub.add_parser("ask", help="answer one question (or a batch) and exit")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin)")
    ask.add_argument("--community", default="local", help="answer with this community's view")
    ask.set_defaults(func=cmd_ask)
