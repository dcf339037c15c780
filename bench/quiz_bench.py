"""Quiz: 1,000 members taking `ml-path` at once against one SQLite file.

Everything goes through `Service.handle` with the ButtonPress events an adapter would send. One
press in ten is sent twice at the same moment (a double click). Two runs:

- **saturated**: every member answers the moment the previous reply arrives, so the store is
  never idle. This gives the throughput ceiling; latency then mostly measures the queue of
  1,000 members waiting for the single writer.
- **paced**: each member pauses between answers (a random think time), offering about 2,000
  answers per second in total. This is the latency a member sees under that load.

Afterwards the store is read back through a separate connection to count lost and duplicated
answers: every accepted answer must be stored exactly once, every member must have one result.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.matching_bench import percentile
from bot.kb.loader import load_knowledge
from bot.quiz.schema import Quiz
from bot.replies import ButtonPress, Command, Context
from bot.service import Service
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 1000
QUIZ = "ml-path"
DOUBLE_CLICK_SHARE = 0.1
PACED_OFFERED_PER_SECOND = 2000


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    accepted: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    refused_duplicates: int = 0
    wall: float = 0.0


async def member(service: Service, quiz: Quiz, run: Run, user: str, rng: random.Random,
                 think: float) -> None:
    ctx = Context("slack", "T-bench", "D-" + user, user, user, is_dm=True)
    if think:
        # Members arrive spread out too, not all in the same instant.
        await asyncio.sleep(rng.uniform(0, 2 * think))
    reply = await service.handle(Command(ctx, "quiz", QUIZ))
    key = ctx.member_key
    run.accepted[key] = []
    while reply.kind == "quiz" and reply.title and reply.title.startswith("["):
        if think:
            await asyncio.sleep(rng.uniform(0, 2 * think))
        choice = rng.choice(reply.choices)
        event = ButtonPress(ctx, choice.action, choice.payload)
        copies = 2 if rng.random() < DOUBLE_CLICK_SHARE else 1
        t0 = time.perf_counter()
        replies = await asyncio.gather(*(service.handle(event) for _ in range(copies)))
        run.latencies.append(time.perf_counter() - t0)
        ok = [r for r in replies if r.kind != "error"]
        run.refused_duplicates += copies - len(ok)
        if not ok:
            raise RuntimeError(f"every copy of an answer was refused: {replies[0].body}")
        _, step, option = choice.payload.split(":")
        question = reply.title.split("] ", 1)[1]
        qid = next(q.id for q in quiz.questions if q.text == question)
        run.accepted[key].append((qid, option))
        reply = ok[0]


def verify(db: Path, run: Run) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        stored = {
            user: [tuple(a) for a in json.loads(answers)]
            for user, answers in conn.execute(
                "SELECT user_id, answers FROM quiz_sessions WHERE status = 'completed'"
            )
        }
        results = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM quiz_results"
        ).fetchone()
        events = dict(conn.execute("SELECT kind, COUNT(*) FROM quiz_events GROUP BY kind").fetchall())
    finally:
        conn.close()
    lost = duplicated = 0
    for user, answers in run.accepted.items():
        kept = stored.get(user, [])
        lost += sum(1 for a in answers if a not in kept)
        duplicated += len(kept) - len(set(kept)) + max(0, len(kept) - len(answers))
    return {
        "members_completed": len(stored),
        "lost": lost,
        "duplicated": duplicated + (results[0] - results[1]),
        "results": results[0],
        "start_events": events.get("start", 0),
        "complete_events": events.get("complete", 0),
    }


async def one_run(name: str, think: float, seed: int) -> tuple[Run, dict[str, int]]:
    kb = load_knowledge(ROOT / "knowledge")
    quiz = kb.quizzes[QUIZ]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = await Store.open(db)
        service = Service(kb, store)
        run = Run(name)
        rng = random.Random(seed)
        members = [
            member(service, quiz, run, f"U{i:04d}", random.Random(rng.random()), think)
            for i in range(MEMBERS)
        ]
        t0 = time.perf_counter()
        await asyncio.gather(*members)
        run.wall = time.perf_counter() - t0
        await store.close()
        return run, verify(db, run)


def row(run: Run, check: dict[str, int]) -> str:
    answers = sum(len(a) for a in run.accepted.values())
    ms = [x * 1000 for x in run.latencies]
    return (
        f"| {run.name} | {answers:,} | {answers / run.wall:,.0f} | {statistics.median(ms):.1f} | "
        f"{percentile(ms, 99):.1f} | {max(ms):.1f} | {run.refused_duplicates} | "
        f"{check['lost']} | {check['duplicated']} | {check['members_completed']:,} |"
    )


async def run() -> str:
    saturated, sat_check = await one_run("saturated (no think time)", 0.0, seed=1)
    # Each member answers about every MEMBERS / OFFERED seconds on average.
    think = MEMBERS / PACED_OFFERED_PER_SECOND
    paced, paced_check = await one_run(
        f"paced (mean think {think:.1f} s, peak ~{PACED_OFFERED_PER_SECOND:,} presses/s)", think, seed=2
    )
    sat_rate = sum(len(a) for a in saturated.accepted.values()) / saturated.wall
    paced_p99 = percentile([x * 1000 for x in paced.latencies], 99)
    lost = sat_check["lost"] + paced_check["lost"]
    dup = sat_check["duplicated"] + paced_check["duplicated"]
    verdicts = [
        f"- Throughput target 2,000 answers/s: {'met' if sat_rate >= 2000 else 'missed'} "
        f"({sat_rate:,.0f}/s saturated{'' if sat_rate >= 2000 else f', {2000 - sat_rate:,.0f}/s short'}).",
        f"- p99 latency target 20 ms: {'met' if paced_p99 <= 20 else 'missed'} under the paced load "
        f"({paced_p99:.1f} ms{'' if paced_p99 <= 20 else f', {paced_p99 - 20:.1f} ms over'}). "
        "Saturated latency is queueing: 1,000 members wait on one writer, so it is not a target.",
        f"- Lost answers: {lost}; duplicated answers: {dup} "
        f"(results rows: {sat_check['results']:,} and {paced_check['results']:,}; "
        f"start/complete events: {sat_check['start_events']:,}/{sat_check['complete_events']:,} and "
        f"{paced_check['start_events']:,}/{paced_check['complete_events']:,}).",
    ]
    return "\n".join([
        "## Quiz sessions",
        "",
        f"{MEMBERS:,} simulated members take `{QUIZ}` concurrently through `Service.handle` "
        "(ButtonPress events) against one SQLite file (WAL). "
        f"{DOUBLE_CLICK_SHARE:.0%} of presses are double clicks. Latency is per answer, from the press "
        "to the reply (both copies of a double click). Lost and duplicated answers are counted by "
        "reading the store back afterwards.",
        "",
        "| run | answers | answers/s | p50 ms | p99 ms | max ms | double clicks refused | lost | duplicated | members completed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        row(saturated, sat_check),
        row(paced, paced_check),
        "",
        *verdicts,
    ])


if __name__ == "__main__":
    print(asyncio.run(run()))
