"""The questions' encoder: the shared sentence model behind a memory of the last few hundred
texts (`RecentVectors`), encoding a question's texts side by side on two threads."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from bot.embeddings import shared_encoder, text_list

_lock = threading.Lock()
_recent: RecentVectors | None = None

# Threads the questions' sentences are encoded on, process-wide. A post of several sentences is
# encoded whole for matching and sentence by sentence for the wellbeing check: one run of the
# model per text, each on one thread, so two cores answer it in about half the time. Two threads
# process-wide also bound the encoding load whatever number of questions are being matched.
ENCODE_THREADS = 2


def shared_recent() -> RecentVectors:
    """The process-wide encoder for questions: the shared model behind a small memory."""
    global _recent
    if _recent is None:
        with _lock:
            if _recent is None:
                threads = min(ENCODE_THREADS, os.cpu_count() or 1)
                _recent = RecentVectors(shared_encoder().encode, threads=threads)
    return _recent


class RecentVectors:
    """Remembers the vectors of the last few hundred texts encoded through it, so the wellbeing
    check and matching, which both read a one-sentence question, encode it once.

    With `threads` above one, the texts of a call are encoded side by side (each text is still
    its own run of the model, so its vector is the same), and `prefetch` starts a text that a
    later call will ask for: matching's reading of a long post is encoded while the wellbeing
    check reads its sentences. A text already being encoded is waited for, never encoded twice.
    """

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray], size: int = 512,
                 threads: int = 1) -> None:
        self._encode = encode
        self._size = size
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pending: dict[str, Future[np.ndarray]] = {}
        self._lock = threading.Lock()
        self._pool = (ThreadPoolExecutor(threads, thread_name_prefix="encode")
                      if threads > 1 else None)

    def prefetch(self, texts: Sequence[str]) -> None:
        """Start encoding `texts` in the background (nothing without threads)."""
        if self._pool is None:
            return
        items = text_list(texts)
        with self._lock:
            self._submit([t for t in items if t not in self._recent])

    def _submit(self, texts: list[str]) -> None:
        assert self._pool is not None
        for text in dict.fromkeys(texts):
            if text not in self._pending:
                self._pending[text] = self._pool.submit(self._encode_one, text)

    def _encode_one(self, text: str) -> np.ndarray:
        try:
            vector: np.ndarray = self._encode([text])[0]
        except BaseException:
            with self._lock:
                self._pending.pop(text, None)
            raise
        with self._lock:  # remembered and no longer pending at once: never encoded twice
            self._remember(text, vector)
            self._pending.pop(text, None)
        return vector

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._recent[text] = vector
        self._recent.move_to_end(text)
        while len(self._recent) > self._size:
            self._recent.popitem(last=False)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        items = text_list(texts)
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in items:
                vector = self._recent.get(text)
                if vector is not None:
                    found[text] = vector
                    self._recent.move_to_end(text)
            missing = [t for t in dict.fromkeys(items) if t not in found]
            if self._pool is not None and missing:
                self._submit(missing)
                waiting = {t: self._pending.get(t) for t in missing}
        if missing:
            if self._pool is None:
                found.update(zip(missing, self._encode(missing), strict=True))
                with self._lock:
                    for text in missing:
                        self._remember(text, found[text])
            else:
                for text, future in waiting.items():
                    assert future is not None  # submitted above, under the same lock
                    found[text] = future.result()
        vectors = [found[text] for text in items]
        return np.stack(vectors) if vectors else np.empty((0, 0), dtype=np.float32)
