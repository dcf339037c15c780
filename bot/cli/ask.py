"""`careerbot ask`: one question, or a batch of them as JSON lines, answered and exited."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from bot.app import open_service
from bot.cli.common import CliError
from bot.config import Settings
from bot.results import MatchResult


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
        # A safety or support reply written for a member worried about someone else.
        **({"about_someone": True} if result.about_someone else {}),
    }


class BatchInput:
    """The questions of `ask --batch`, one per line: split on `\n` only (a `\r` or U+2028 inside
    a line stays in that question, so output lines match input lines one to one; a `\r\n`
    ending counts as `\n`). Undecodable bytes become U+FFFD rather than stopping the batch
    halfway; `bad_lines` says which lines had any."""

    def __init__(self, path: str):
        self.path = path
        self.bad_lines: list[int] = []

    def __iter__(self) -> Iterator[str]:
        if self.path == "-":
            stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
            if stream is None:  # a text-only stand-in for stdin (tests, embedding)
                yield from (line.removesuffix("\n").removesuffix("\r") for line in sys.stdin)
                return
            yield from self._lines(stream)
            return
        with open(self.path, "rb") as file:
            yield from self._lines(file)

    def _lines(self, stream: BinaryIO) -> Iterator[str]:
        for number, raw in enumerate(stream, start=1):  # binary lines end at b"\n" only
            raw = raw.removesuffix(b"\n").removesuffix(b"\r")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad_lines.append(number)
                yield raw.decode("utf-8", errors="replace")

    def warning(self) -> str | None:
        if not self.bad_lines:
            return None
        name = "standard input" if self.path == "-" else self.path
        first = ", ".join(str(n) for n in self.bad_lines[:5])
        more = f" and {len(self.bad_lines) - 5} more" if len(self.bad_lines) > 5 else ""
        return (f"careerbot: {name}: {len(self.bad_lines)} lines are not valid UTF-8 (line {first}"
                f"{more}); their undecodable bytes were read as U+FFFD")


async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch and not args.json:
        raise CliError("--batch needs --json (one JSON object per line out)")
    if not args.batch and not args.question:
        raise CliError("give a question, for example: careerbot ask \"do I need a PhD?\"")
    if args.batch and args.batch != "-" and not Path(args.batch).is_file():
        raise CliError(f"batch file not found: {args.batch}")
    # A one-shot command: no quiz runs, so the quiz paths are not walked (`kb check` and `run`
    # do), and the start-up heap is not traced by the cyclic GC (~0.15 s of passes over
    # objects that live until exit); `--batch` collects again once started.
    collecting = gc.isenabled()
    gc.disable()
    try:
        service = await open_service(settings, walk_quiz_paths=False)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    try:
        if args.batch:
            batch = BatchInput(args.batch)
            try:
                for line in batch:
                    result = await service.match(args.community, line)
                    print(json.dumps(result_json(result), ensure_ascii=False), flush=False)
            except OSError as exc:
                raise CliError(f"cannot read {args.batch}: {exc.strerror or exc}") from exc
            sys.stdout.flush()
            warning = batch.warning()
            if warning:
                print(warning, file=sys.stderr)
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
        await service.close()


def add_parser(sub: Any) -> None:
    ask = sub.add_parser("ask", help="answer one question (or a batch) and exit")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin)")
    ask.add_argument("--community", default="local", help="answer with this community's view")
    ask.set_defaults(func=cmd_ask)
