"""Abuse and faults: what members see while a moderator edits, and while one member floods.

Everything goes through `Service.handle` as Slack members (the console is exempt from rate
limits), on one event loop, with a real SQLite file:

- **idle**: members ask dev questions at about 5 per second; their latency to the answer.
- **moderator editing**: the same, while a moderator adds a variant every 0.5 s (each change
  rebuilds the community's index once, off the event loop).
- **flood**: one member sends junk questions at 200 per second for 60 s while others ask at
  5 per second; the others' latency, how many of the flood's questions were refused, and how
  much the database grew.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.replies import Command, Context
from bot.service import Service
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
COMMUNITY = "T-bench"
MEMBER_RATE = 5.0  # asks per second from the ordinary members together
EDIT_EVERY = 0.5
FLOOD_RATE = 200.0
FLOOD_SECONDS = 60.0
PHASE_SECONDS = 60.0  # 300 asks a phase: p99 is the 3rd slowest, not the slowest


def questions(rng: random.Random) -> Iterator[str]:
    """The tuning sets' questions in a random order, each asked once (then again from the top):
    a repeated question would come from the memory of recent sentence vectors, without the
    encode that most real questions need."""
    pool = []
    for name in ("dev", "dev2", "dev3", "dev4", "dev5"):
        path = ROOT / "bench" / "eval" / f"{name}.yaml"
        pool += [item["q"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    pool = list(dict.fromkeys(pool))
    rng.shuffle(pool)
    return itertools.cycle(pool)


def member(i: int, moderator: bool = False) -> Context:
    return Context("slack", COMMUNITY, f"C{i % 5}", f"U{i:04d}", f"member{i}", False, moderator)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


async def members_asking(service: Service, seconds: float, asks: Iterator[str]) -> list[float]:
    """Ordinary members asking at MEMBER_RATE for `seconds`; their latencies in ms."""
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    i = 0
    pending = []

    async def one(ctx: Context, text: str) -> None:
        start = time.perf_counter()
        await service.handle(Command(ctx, "ask", text))
        latencies.append((time.perf_counter() - start) * 1000)

    start = loop.time()
    while (now := loop.time()) < end:
        # On schedule: a late wake-up (a loaded machine) sends what fell due meanwhile.
        while i < int((now - start) * MEMBER_RATE) + 1:
            pending.append(asyncio.create_task(one(member(100 + i % 50), next(asks))))
            i += 1
        await asyncio.sleep(1 / MEMBER_RATE)
    await asyncio.gather(*pending)
    return latencies


async def moderator_editing(service: Service, seconds: float) -> int:
    mod = member(1, moderator=True)
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    n = 0
    while loop.time() < end:
        await service.handle(Command(mod, "faq-variant",
                                     f"roles-research-engineer what do REs do on day {n}"))
        n += 1
        await asyncio.sleep(EDIT_EVERY)
    return n


async def flooding(service: Service, seconds: float) -> tuple[int, int]:
    """Open loop: a question every 1/FLOOD_RATE s whether or not the last one was answered (on
    schedule: sleeps overshoot by milliseconds on a loaded machine, so each wake-up sends every
    question that fell due meanwhile)."""
    spammer = member(9999)
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    tasks = []
    sent = 0
    start = loop.time()
    while (now := loop.time()) < end:
        while sent < int((now - start) * FLOOD_RATE) + 1:
            text = f"zzqx blorf junk {sent} " * 40
            tasks.append(asyncio.create_task(service.handle(Command(spammer, "ask", text))))
            sent += 1
        await asyncio.sleep(1 / FLOOD_RATE)
    replies = await asyncio.gather(*tasks)
    refused = sum("faster than I can answer" in r.body for r in replies)
    return sent, refused


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


async def run() -> str:
    kb = load_knowledge(Settings().knowledge_dir)
    asks = questions(random.Random(7))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = await Store.open(path)
        service = Service(kb, store)
        service.views.serve()  # as `careerbot run` does
        await service.handle(Command(member(1, moderator=True), "faq-hide", "industry-phd-cifre"))
        await members_asking(service, 2.0, asks)  # warm up: the community's view, caches
        idle = await members_asking(service, PHASE_SECONDS, asks)
        edits_task = asyncio.create_task(moderator_editing(service, PHASE_SECONDS))
        editing = await members_asking(service, PHASE_SECONDS, asks)
        edits = await edits_task
        before = db_bytes(path)
        flood_task = asyncio.create_task(flooding(service, FLOOD_SECONDS))
        during_flood = await members_asking(service, FLOOD_SECONDS, asks)
        sent, refused = await flood_task
        after = db_bytes(path)
        (queued,) = await store.fetchone(
            "SELECT COUNT(*) FROM unanswered_askers WHERE user_id = ?", (member(9999).member_key,))
        await store.close()

    def row(label: str, values: list[float]) -> str:
        return (f"| {label} | {len(values)} | {percentile(values, 0.5):.1f} | "
                f"{percentile(values, 0.99):.1f} | {max(values):.1f} |")

    return "\n".join([
        "## Abuse and faults",
        "",
        f"Members ask the tuning sets' questions (`dev`..`dev5`, each once, in random order) at {MEMBER_RATE:.0f}/s through `Service.handle` as Slack "
        f"members in one community (real SQLite file, one event loop). Latency to the answer, ms:",
        "",
        "| phase | asks | p50 | p99 | max |",
        "|---|---|---|---|---|",
        row("idle", idle),
        row(f"a moderator adds a variant every {EDIT_EVERY} s ({edits} edits)", editing),
        row(f"one member floods at {FLOOD_RATE:.0f}/s for {FLOOD_SECONDS:.0f} s", during_flood),
        "",
        f"The flood: {sent:,} questions sent, {refused:,} refused with the private slow-down "
        f"reply ({sent - refused:,} answered); the flooder has {queued} questions in the "
        f"unanswered queue; the database and its log grew by {(after - before) / 1024:.0f} KB "
        f"over the {FLOOD_SECONDS:.0f} s.",
    ])


if __name__ == "__main__":
    print(asyncio.run(run()))
