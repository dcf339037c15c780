"""Matching: quality on the evaluation sets (ours vs plain BM25) and `ask` latency.

Latency is measured in process through `Service.match` (what `careerbot ask` and every adapter
call), on the real knowledge base and on a synthetic one of 2,000 entries: the real entries plus
generated ones made of the real vocabulary, so the index has realistic term statistics and the
real questions still have plenty of near-misses to wade through.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

from bench.quality import (
    PlainBM25,
    Question,
    evaluate_matcher,
    load_questions,
    score,
    variant_overlap,
)
from bot import recent
from bot.config import Settings
from bot.embeddings import shared_encoder
from bot.kb.loader import load_knowledge
from bot.kb.models import TOPICS, Entry, SourceRef
from bot.matching import Matcher
from bot.recent import RecentVectors
from bot.results import MatchResult, Suggestion
from bot.service import Service
from bot.store import Store
from bot.text import SENTENCE_BREAK, STOPWORDS, words
from bot.vectors import CachedEncoder

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC_SIZE = 2000
SYNTHETIC_DB = ROOT / "data" / "bench" / "synthetic.db"  # only its folder is used


def synthetic_entries(real: list[Entry], size: int, seed: int = 7) -> list[Entry]:
    rng = random.Random(seed)
    vocab = sorted(
        {w for e in real for t in (e.question, *e.variants, e.answer) for w in words(t)} - STOPWORDS
    )
    topics = list(TOPICS)
    source = real[0].sources[0]

    def sentence(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n))

    out = list(real)
    i = 0
    while len(out) < size:
        i += 1
        out.append(
            Entry(
                id=f"synthetic-{i}",
                topic=rng.choice(topics),
                question=sentence(rng.randint(6, 12)).capitalize() + "?",
                variants=tuple(sentence(rng.randint(4, 16)) for _ in range(10)),
                tags=tuple(w for w in (rng.choice(vocab) for _ in range(4)) if w.isalnum()),
                answer=sentence(rng.randint(80, 140)),
                sources=(SourceRef(source=source.source, where="synthetic"),),
            )
        )
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def latency(service: Service, questions: list[str], rounds: int = 5,
                  only: Callable[[str], bool] | None = None) -> dict[str, float]:
    """Time `Service.match` over `questions`, `rounds` times; with `only`, the figures are of the
    questions it accepts (all are still asked, so the caches see the same traffic)."""
    for q in questions[:50]:
        await service.match("local", q)  # warm caches the way a running bot has them
    samples: list[float] = []
    kept: list[float] = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            await service.match("local", q)
            samples.append((time.perf_counter() - start) * 1000)
            if only is not None and only(q):
                kept.append(samples[-1])
    out = _stats(samples)
    if only is not None:
        out.update({f"only_{k}": v for k, v in _stats(kept).items()})
    return out


def _stats(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": statistics.median(samples),
        "p99": percentile(samples, 99),
        "max": max(samples),
    }


def one_sentence(text: str) -> bool:
    """A question of one sentence: the wellbeing check reads it with the same encode as matching
    (a post of several is encoded whole, then sentence by sentence)."""
    return sum(1 for part in SENTENCE_BREAK.split(text) if part.strip()) <= 1


def fmt(x: float) -> str:
    return f"{x:.3f}"


def real_questions(half: str, traps_only: bool = False) -> list[Question]:
    """The real posts' frozen tuning or check half (distress posts belong to the wellbeing bench)."""
    posts = yaml.safe_load((ROOT / "bench" / "eval" / "real-tuning.yaml").read_text("utf-8"))
    split = yaml.safe_load((ROOT / "bench" / "eval" / "real-split.yaml").read_text("utf-8"))
    out = []
    for post, where in zip(posts, split, strict=True):
        if where["half"] != half or post.get("distress"):
            continue
        if traps_only and not post.get("adv"):
            continue
        topics = frozenset({"off-topic"}) if post.get("abstain") else frozenset(post["t"])
        out.append(Question(str(post["q"]), topics))
    return out


class NearestPhrasing:
    """Peer: plain nearest-neighbour embeddings. The entry with the closest phrasing answers,
    unless an off-topic example is closer."""

    def __init__(self, matcher: Matcher):
        assert matcher.dense is not None
        self.dense = matcher.dense
        self.entries = matcher.entries

    def answer(self, text: str) -> MatchResult:
        vector = self.dense.encode([text])[0]
        closest = np.full(len(self.entries), -1.0)
        np.maximum.at(closest, self.dense.owner, self.dense.phrasings @ vector)
        order = np.argsort(-closest)[:3]
        sugg = tuple(Suggestion(self.entries[i].id, self.entries[i].topic,
                                self.entries[i].question) for i in order)
        off = float((self.dense.offtopic @ vector).max()) if len(self.dense.offtopic) else -1.0
        if off >= closest[order[0]]:
            return MatchResult("unknown", off, None, sugg)
        return MatchResult("answered", float(closest[order[0]]), self.entries[order[0]], sugg[1:])


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def evaluation_sets(entries: list[Entry]) -> tuple[dict[str, list[Question]], int]:
    """Every matching set by name, the real posts' halves included, without the questions that
    copy one of `entries`' variants; and how many such copies were dropped."""
    sets = {name: load_questions(f"{name}.yaml")
            for name in ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9",
                         "test")}
    sets["real, tuning half"] = real_questions("tune")
    sets["real, check half"] = real_questions("check")
    overlap = variant_overlap([q for qs in sets.values() for q in qs], entries)
    kept = {name: [q for q in qs if q.text not in overlap] for name, qs in sets.items()}
    return kept, len(overlap)


async def run() -> str:
    kb = load_knowledge(Settings.from_env().knowledge_dir)
    sets, copies = evaluation_sets(kb.entries)
    lines: list[str] = []
    dev = sets["dev"] + sets["dev2"] + sets["dev3"]
    test = sets["test"]
    traps = real_questions("check", traps_only=True)

    with tempfile.TemporaryDirectory() as tmp:
        texts = [p for e in kb.entries for p in (e.question, *e.variants)] + list(kb.offtopic)
        build_start = time.perf_counter()
        CachedEncoder(shared_encoder(), Path(tmp) / "cold-cache").encode(texts)
        cache_build_s = time.perf_counter() - build_start
        store = await Store.open(Path(tmp) / "bench.db")
        service = Service(kb, store)
        full = service._base_view.matcher
        lexical = Matcher(kb.entries, service.analyzer, service.wellbeing, kb.offtopic,
                          service.thresholds)
        nearest = NearestPhrasing(full)
        baseline = PlainBM25(kb.entries)
        baseline.tune(dev)
        results = {}
        for name, qs in sets.items():
            results[name] = [
                ("careerbot (lexical + sentence model)", score(qs, full.match, kb.entries)),
                ("today's lexical matcher alone", score(qs, lexical.match, kb.entries)),
                ("nearest phrasing, embeddings alone", score(qs, nearest.answer, kb.entries)),
                (f"plain BM25 (threshold {baseline.threshold:.1f})",
                 score(qs, baseline.answer, kb.entries)),
            ]
        trap_scores = [(label, score(traps, m, kb.entries).offtopic_abstention)
                       for label, m in (("careerbot", full.match), ("lexical alone", lexical.match),
                                        ("embeddings alone", nearest.answer))]
        timed = [q.text for q in dev + test + sets["real, tuning half"] + sets["real, check half"]]
        real_latency = await latency(service, timed)
        await store.close()

        big = synthetic_entries(list(kb.entries), SYNTHETIC_SIZE)
        kb_big = type(kb)(
            root=kb.root, sources=kb.sources, entries=big, synonyms=kb.synonyms,
            safety=kb.safety, offtopic=kb.offtopic,
        )
        store = await Store.open(Path(tmp) / "bench-big.db")
        build_start = time.perf_counter()
        # The synthetic phrasings' vectors are cached apart from the bot's (data/bench/), so
        # their ~22,000 texts do not weigh on `careerbot ask`'s start-up, timed below.
        service_big = Service(kb_big, store, settings=Settings(db_path=SYNTHETIC_DB))
        build_ms = (time.perf_counter() - build_start) * 1000
        big_scores = evaluate_matcher(service_big._base_view.matcher, test)
        big_latency = await latency(service_big, timed, only=one_sentence)
        # The budget is for one thread; the bot encodes a question's texts on two
        # (`bot.recent.ENCODE_THREADS`). The index takes its encoder when it is built.
        recent._recent = RecentVectors(shared_encoder().encode, threads=1)
        service_one = Service(kb_big, store, settings=Settings(db_path=SYNTHETIC_DB))
        one_latency = await latency(service_one, timed, only=one_sentence)
        recent._recent = None
        await store.close()
    cold = cold_start_seconds()
    big_rss = serving_rss_mb()

    lines.append("## Matching quality\n")
    lines.append(
        f"Knowledge base: {len(kb.entries)} entries. Evaluation sets in `bench/eval/`: `dev`, "
        f"`dev2`, `dev3` and the real posts' tuning half are what the ranking mix, vote and "
        f"confidence were chosen on, so their figures are optimistic; `dev5` and `dev6` are "
        f"tuning sets in the style of real posts (`dev6` written blind to the knowledge base); "
        f"`dev7` holds short questions in the style of forum titles and chat, written blind "
        f"(measured first at accuracy@1 0.799, hit@3 0.973, off-topic abstention 0.840, false "
        f"abstention 0.114); `dev8` (tuning) and `dev9` (held out) are real-style posts written blind "
        f"by two helpers (first readings: accuracy@1 0.930 and 0.940, off-topic abstention 0.90 "
        f"and 0.80); "
        f"`dev4` and `test` were written by the team; `test` is not tuned on, and `dev4` was not "
        f"until the long-posts reading was chosen on its questions; the **real posts' check half** "
        f"({sum(not q.off_topic for q in sets['real, check half'])} on-topic, "
        f"{sum(q.off_topic for q in sets['real, check half'])} off-topic, of which "
        f"{len(traps)} traps that share career words) is the estimate of how members' real "
        f"questions fare. Questions that copy an entry's variant are dropped first "
        f"({copies} found). accuracy@1 counts an answer as right when the question's topic "
        f"is the entry's topic or one of its `also_topics`; the next column counts the entry's "
        f"own topic only. Abstention counts every status that gives no FAQ answer (`unknown`, "
        f"`uncovered`, `chitchat`, a wellbeing reply).\n"
    )
    lines.append("| set | matcher | accuracy@1 | accuracy@1, primary topic only | hit@3 | "
                 "off-topic abstention | false abstention |")
    lines.append("|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        for label, sc in rows:
            r = sc.row()
            lines.append(
                f"| {name} | {label} | {fmt(r['accuracy@1'])} | {fmt(r['accuracy@1 primary'])} | "
                f"{fmt(r['hit@3'])} | {fmt(r['off-topic abstention'])} | "
                f"{fmt(r['false abstention'])} |"
            )
    r = big_scores.row()
    lines.append(
        f"| test, {SYNTHETIC_SIZE}-entry synthetic base | careerbot | {fmt(r['accuracy@1'])} | "
        f"{fmt(r['accuracy@1 primary'])} | {fmt(r['hit@3'])} | {fmt(r['off-topic abstention'])} "
        f"| {fmt(r['false abstention'])} |"
    )
    lines.append("\nOff-topic traps in the real check half (share career words), abstention: "
                 + ", ".join(f"{label} {v:.2f}" for label, v in trap_scores) + ".")
    lines.append("\nTargets (on real questions): accuracy@1 >= 0.85, hit@3 >= 0.95, off-topic "
                 "abstention >= 0.92 (traps >= 0.85), false abstention <= 0.05.\n")
    lines.append("## `ask` latency (in process, `Service.match`, encoding the question included)\n")
    lines.append("| knowledge base | questions timed | p50 ms | p99 ms | max ms |")
    lines.append("|---|---|---|---|---|")
    threads = recent.ENCODE_THREADS
    for label, lat in ((f"real ({len(kb.entries)} entries), {threads} encoding threads",
                        real_latency),
                       (f"synthetic ({SYNTHETIC_SIZE} entries), {threads} encoding threads",
                        big_latency),
                       (f"synthetic ({SYNTHETIC_SIZE} entries), one thread", one_latency)):
        lines.append(f"| {label} | {lat['n']} | {lat['p50']:.3f} | {lat['p99']:.3f} | {lat['max']:.3f} |")
    for label, lat in ((f"{threads} encoding threads", big_latency), ("one thread", one_latency)):
        lines.append(
            f"| synthetic ({SYNTHETIC_SIZE} entries), {label}, questions of one sentence only "
            f"({lat['only_n'] / lat['n']:.0%} of those timed) | "
            f"{lat['only_n']:.0f} | {lat['only_p50']:.3f} | "
            f"{lat['only_p99']:.3f} | {lat['only_max']:.3f} |")
    lines.append(
        f"\nTarget: p99 <= 25 ms at {SYNTHETIC_SIZE} entries, one thread. A post of several "
        f"sentences is encoded twice: whole for matching, then sentence by sentence for the "
        f"wellbeing check; the tail is those posts. The bot runs those encodes side by side on "
        f"{threads} threads (each text is still one run of the model on one thread, so the "
        f"vectors are the same). Index build for "
        f"{SYNTHETIC_SIZE} entries: {build_ms:.0f} ms (with the vector cache warm; the first run "
        f"on a machine also embeds the synthetic phrasings, about 2 minutes). Embedding cache "
        f"built from nothing for the shipped base ({len(texts)} texts): {cache_build_s:.1f} s. "
        f"`careerbot ask` cold start with a warm cache: {cold:.2f} s. Steady-state RSS of a "
        f"process holding the {SYNTHETIC_SIZE}-entry service, after answering the timed "
        f"questions: {big_rss:.0f} MB.\n"
    )
    misses = results["real, tuning half"][0][1].misses
    if misses:
        lines.append(f"<details><summary>real tuning-half misses ({len(misses)})</summary>\n")
        for text, want, got in misses:
            lines.append(f"- `{want}` <- {text[:120]!r} (got {got})")
        lines.append("\n</details>")
    return "\n".join(lines)


def cold_start_seconds() -> float:
    """Wall time of `careerbot ask --json` in a fresh process (model load, warm vector cache).

    The bot's modules are byte-compiled first, as any install has them after its first run (or
    `pip install`): this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise recompile
    them on every start (~0.1 s)."""
    import compileall
    import subprocess
    import sys

    for package in ("bot", "adapters"):
        compileall.compile_dir(ROOT / package, quiet=1)
    command = [sys.executable, "-m", "bot", "ask", "--json", "do I need a PhD to work at DeepMind?"]
    subprocess.run(command, capture_output=True, check=False, cwd=ROOT)  # warms the cache
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def serving_rss_mb() -> float:
    """RSS of a process that holds only the 2,000-entry service, after answering the timed
    questions once: what a bot serving that base holds (this process also keeps the real base's
    service and the comparison matchers, ~70 MB more)."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "bench.matching_bench", "--serving-rss"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


async def _serving_rss() -> float:
    kb = load_knowledge(Settings.from_env().knowledge_dir)
    big = synthetic_entries(list(kb.entries), SYNTHETIC_SIZE)
    kb_big = type(kb)(
        root=kb.root, sources=kb.sources, entries=big, synonyms=kb.synonyms,
        safety=kb.safety, offtopic=kb.offtopic,
    )
    timed = [q.text for name in ("dev", "dev2", "dev3", "test") for q in load_questions(f"{name}.yaml")]
    timed += [q.text for half in ("tune", "check") for q in real_questions(half)]
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "rss.db")
        service = Service(kb_big, store, settings=Settings(db_path=SYNTHETIC_DB))
        for question in timed:
            await service.match("local", question)
        rss = rss_mb()
        await store.close()
    return rss


if __name__ == "__main__":
    import asyncio
    import os
    import sys

    if "--serving-rss" in sys.argv:
        print(f"{asyncio.run(_serving_rss()):.1f}", flush=True)
        os._exit(0)  # the model's threads need not be joined
