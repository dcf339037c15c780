"""What one community sees: the YAML base with its own entries on top, and the index over them."""

from __future__ import annotations

import asyncio
import ctypes
import gc
import os
import sys
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import numpy as np

from bot.config import Settings
from bot.embeddings import CACHE_ENV_VAR, shared_encoder
from bot.kb.models import Entry, KnowledgeBase
from bot.matching import Matcher
from bot.recent import shared_recent
from bot.scoring import DenseIndex, Thresholds
from bot.semantic import build_semantic
from bot.text import Analyzer
from bot.vectors import CachedEncoder
from bot.wellbeing import Wellbeing

# A serving bot's GIL switch interval (Python's default is 5 ms). The matching threads hold
# the GIL for most of each question (the word scans, the lexical ranking, numpy's small
# products); the event loop, which acknowledges Slack's requests and Discord's interactions,
# waited up to 5 ms for each of its turns, so under load an acknowledgement took many.
SERVING_SWITCH_INTERVAL = 0.0005


class Overlay(Protocol):
    """A community's own entries on top of the YAML base (implemented by moderation)."""

    async def version(self, community: str) -> int: ...

    async def entries(self, community: str, base: list[Entry]) -> list[Entry]: ...


@dataclass
class KnowledgeView:
    """What one community sees: its entries, their index, and aliases."""

    version: int
    entries: list[Entry]
    matcher: Matcher
    by_id: dict[str, Entry]
    aliases: dict[str, str]


# Cosine similarity above which an off-topic example counts as saying what a community's own
# phrasing says.
OWN_ENTRY_OVERRIDES_OFFTOPIC = 0.75


def embedding_cache_dir(settings: Settings | None) -> Path:
    """Sentence vectors are cached next to the database, so a restart never re-embeds;
    `CAREERBOT_EMBEDDING_CACHE` puts them elsewhere (the tests share one folder)."""
    override = os.environ.get(CACHE_ENV_VAR, "").strip()
    if override:
        return Path(override)
    db = settings.db_path if settings is not None else Path("data/careerbot.db")
    return db.parent / "embeddings"


# Threads questions are matched on, process-wide (see `MatchingQueue`).
MATCHING_THREADS = 2

_matching: ThreadPoolExecutor | None = None
_matching_lock = threading.Lock()

T = TypeVar("T")


def matching_threads() -> ThreadPoolExecutor:
    """The threads every question is matched on, shared by the whole process."""
    global _matching
    if _matching is None:
        with _matching_lock:
            if _matching is None:
                _matching = ThreadPoolExecutor(max_workers=MATCHING_THREADS,
                                               thread_name_prefix="careerbot-match")
    return _matching


class MatchingQueue:
    """Runs matching off the event loop, one message at a time per member.

    Matching a question (the wellbeing check, encoding it, ranking) takes ~10 ms, and a long
    paste or a loaded machine makes it a few hundred; even the wellbeing patterns that run
    before the rate limit take tens of ms on a long paste. On the event loop that would hold up
    every member's reply, button and heartbeat meanwhile. Off it (`run`), the loop only waits,
    and onnxruntime and numpy release the GIL while they compute. A member's messages take
    `turn`s, so at most one per member is ever queued for the threads: the threads serve
    members round-robin, and a member who floods (the rate limit still lets a burst of long
    pastes through) occupies one thread while everyone else is answered on the other. Each
    question still runs on one thread, within the one-core latency budget.
    """

    def __init__(self) -> None:
        # member -> (their lock, how many of their messages hold or await it)
        self._members: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, member: str) -> AsyncIterator[None]:
        """Wait until the member's earlier messages are through (first come, first served)."""
        lock, users = self._members.get(member, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._members[member] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._members[member]
            if users <= 1:
                del self._members[member]
            else:
                self._members[member] = (lock, users - 1)

    @staticmethod
    async def run(work: Callable[..., T], *args: object) -> T:
        """`work(*args)` on a matching thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(matching_threads(), work, *args)

    def __len__(self) -> int:
        """Members with a message in hand or waiting (for tests and diagnostics)."""
        return len(self._members)


def release_free_memory() -> None:
    """Hand memory freed by a build back to the system (glibc keeps it otherwise, per thread
    that allocated it): ~40 MB of a 2,000-entry view's temporaries. A no-op without glibc."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            # The process's own symbols include the C library's (find_library would run
            # ldconfig, a subprocess, at start-up).
            _malloc_trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Callable[[int], int] | Literal[False] | None = None


def _shared_rows(vectors: np.ndarray, wellbeing: Wellbeing) -> np.ndarray:
    """`vectors`, or the same rows of the wellbeing check's ordinary vectors when those begin
    with exactly them. They do for the knowledge base's own view (the check compares a message
    with every phrasing of the base, in the same order), and sharing them spares a second copy:
    ~34 MB at 2,000 entries. Compared row for row, so a check built another way costs the
    memory, never a wrong vector."""
    ordinary = wellbeing.semantic.ordinary if wellbeing.semantic is not None else None
    n = len(vectors)
    if (ordinary is None or not n or len(ordinary) < n or ordinary.dtype != vectors.dtype
            or not np.array_equal(ordinary[n - 1], vectors[n - 1])  # a quick no first
            or not np.array_equal(ordinary[:n], vectors)):
        return vectors
    return ordinary[:n]


@dataclass
class Knowledge:
    """What is built from one knowledge base; replaced as a whole on reload."""

    kb: KnowledgeBase
    analyzer: Analyzer
    wellbeing: Wellbeing
    offtopic_vectors: np.ndarray
    base_phrasings: frozenset[str]
    base_view: KnowledgeView | None = None


class Views:
    """Every community's view, and what they are built from. One build at a time: the vector
    cache is shared, and two builds would only compete for the same cores."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds, cache_dir: Path):
        self.thresholds = thresholds
        self.cache_dir = cache_dir
        self.vectors = CachedEncoder(shared_encoder(cache_dir), cache_dir)
        self._build_lock = threading.Lock()
        # A serving bot's safety patterns scan with the GIL released (`scan_concurrently`).
        self.concurrent_scans = False
        # Whether the heap built at start is kept out of garbage collection (`freeze`).
        self.frozen = False
        self.knowledge = self.prepare(kb)
        self._cached: dict[str, KnowledgeView] = {}
        self._builds: dict[str, tuple[int, asyncio.Future[KnowledgeView]]] = {}

    @property
    def base(self) -> KnowledgeView:
        assert self.knowledge.base_view is not None
        return self.knowledge.base_view

    def prepare(self, kb: KnowledgeBase) -> Knowledge:
        """Everything built from the knowledge base (seconds at most, from the vector cache)."""
        ordinary = [p for e in kb.entries for p in (e.question, *e.variants)] + list(kb.offtopic)
        wellbeing = Wellbeing(kb.safety, build_semantic(kb.safety, ordinary,
                                                        self.cache_dir))
        if self.concurrent_scans:
            wellbeing.scan_concurrently()
        with self._build_lock:
            offtopic = self.vectors.encode(list(kb.offtopic))
        knowledge = Knowledge(kb, Analyzer(kb.synonyms), wellbeing, offtopic,
                               frozenset(p for e in kb.entries for p in (e.question, *e.variants)))
        with self._build_lock:
            knowledge.base_view = self.build_view(0, list(kb.entries), knowledge)
            release_free_memory()
        return knowledge


    def scan_concurrently(self) -> None:
        """From now on, and after every reload, the safety patterns let the event loop and the
        other matching thread run while they scan a message (see `bot.scanning`)."""
        self.concurrent_scans = True
        self.knowledge.wellbeing.scan_concurrently()

    def freeze(self) -> None:
        """Keep everything built so far (the knowledge base, its indexes, the model) out of the
        garbage collector's full passes. Those passes walk every object: with the base loaded
        one took 40-100 ms, holding the GIL, about once per moderator edit (the rebuild makes
        many objects), and every member's answer waited; frozen, 12-23 ms. For a serving bot."""
        gc.collect()
        gc.freeze()
        self.frozen = True

    def serve(self) -> None:
        """Ready to serve many members at once (`careerbot run`): safety scans that release the
        GIL, the heap built so far frozen out of full garbage-collection passes, and a shorter
        GIL switch interval (`SERVING_SWITCH_INTERVAL`)."""
        self.scan_concurrently()
        self.freeze()
        sys.setswitchinterval(SERVING_SWITCH_INTERVAL)

    async def reload(self, kb: KnowledgeBase) -> None:
        """Serve `kb` from now on. The new indexes are built in a worker thread while the old
        ones keep answering; the switch is one step, and each community's view is rebuilt on
        its next question."""
        self.knowledge = await asyncio.to_thread(self.prepare, kb)
        self._cached.clear()
        if self.frozen:
            # The old knowledge base was frozen with the rest: let it go, then freeze the new.
            gc.unfreeze()
            self.freeze()

    def dense_index(self, entries: list[Entry], knowledge: Knowledge) -> DenseIndex:
        """The entries' phrasings as vectors: from the cache, so only new text is encoded."""
        texts = [p for e in entries for p in (e.question, *e.variants)]
        owner = np.array([i for i, e in enumerate(entries) for _ in (e.question, *e.variants)],
                         dtype=np.int64)
        vectors = self.vectors.encode(texts) if texts else knowledge.offtopic_vectors[:0]
        shared = _shared_rows(vectors, knowledge.wellbeing)
        # Column-major like the check's ordinary vectors, whose first rows `shared` then is (see
        # `build_semantic`): the product with a question vector is twice as fast.
        vectors = shared if shared is not vectors else np.asfortranarray(vectors)
        offtopic = knowledge.offtopic_vectors
        base = knowledge.base_phrasings
        own = [i for i, text in enumerate(texts) if text not in base]
        if own and len(offtopic):
            # A community's own entry answers what the shared base calls off-topic ("when is the
            # reading group?"): off-topic examples that say what its phrasings say step aside.
            closest = (offtopic @ vectors[own].T).max(axis=1)
            offtopic = offtopic[closest < OWN_ENTRY_OVERRIDES_OFFTOPIC]
        return DenseIndex(shared_recent(), vectors, owner, offtopic)

    def build_view(self, version: int, entries: list[Entry],
                    knowledge: Knowledge | None = None) -> KnowledgeView:
        k = knowledge or self.knowledge
        matcher = Matcher(entries, k.analyzer, k.wellbeing, k.kb.offtopic,
                          self.thresholds, dense=self.dense_index(entries, k))
        aliases = {alias: e.id for e in entries for alias in e.aliases}
        return KnowledgeView(version, entries, matcher, {e.id: e for e in entries}, aliases)

    async def view(self, community: str, overlay: Overlay | None, *,
                   fresh: bool = False) -> KnowledgeView:
        """The community's knowledge view, rebuilt only when its overlay changed.

        A rebuild (an index over every phrasing, ~0.2 s) runs once per change however many
        members ask meanwhile, in a worker thread so no other community waits, and members keep
        the previous view until the new one is ready. `fresh=True` waits for it: a moderator is
        told "saved" only once members see the change (see `Service.handle`)."""
        if overlay is None:
            return self.base
        version = await overlay.version(community)
        if version == 0:
            return self.base
        cached = self._cached.get(community)
        if cached is not None and cached.version == version:
            return cached
        build = self._builds.get(community)
        if build is None or build[0] != version:
            build = (version, asyncio.ensure_future(self._rebuild(community, version, overlay)))
            self._builds[community] = build
        if cached is not None and not fresh:
            return cached
        return await asyncio.shield(build[1])

    async def _rebuild(self, community: str, version: int, overlay: Overlay) -> KnowledgeView:
        try:
            entries = await overlay.entries(community, list(self.knowledge.kb.entries))
            view = await asyncio.to_thread(self._build_view_locked, version, entries)
            current = self._cached.get(community)
            if current is None or current.version < view.version:
                self._cached[community] = view
            return view
        finally:
            if community in self._builds and self._builds[community][0] == version:
                del self._builds[community]

    def _build_view_locked(self, version: int, entries: list[Entry]) -> KnowledgeView:
        # One build at a time: the vector cache is shared, and two builds would only compete
        # for the same cores.
        with self._build_lock:
            view = self.build_view(version, entries)
            release_free_memory()
            return view

