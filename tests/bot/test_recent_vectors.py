"""The questions' encoder (`bot.recent.RecentVectors`): remembered vectors, texts encoded side by
side on two threads, and matching's reading started while the wellbeing check reads."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pytest

from bot.recent import RecentVectors


class Model:
    """A stand-in encoder that counts its texts and can be slow, so overlap shows."""

    def __init__(self, delay: float = 0.0, fail: str | None = None) -> None:
        self.delay = delay
        self.fail = fail
        self.calls: Counter[str] = Counter()
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.calls.update(texts)
        try:
            time.sleep(self.delay)
            if self.fail in texts:
                raise RuntimeError("model failed")
            return np.stack([vector(t) for t in texts])
        finally:
            with self._lock:
                self.running -= 1


def vector(text: str) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[len(text) % 8] = 1.0
    v[-1] = float(sum(map(ord, text)) % 97)
    return v


TEXTS = ["i finished my masters", "is a phd worth it", "what do research engineers do",
         "how do i get a residency"]


@pytest.mark.parametrize("threads", [1, 2])
def test_rows_come_back_in_order_and_each_text_is_encoded_once(threads: int) -> None:
    model = Model()
    recent = RecentVectors(model, threads=threads)
    asked = [TEXTS[0], TEXTS[1], TEXTS[0], TEXTS[2]]
    out = recent(asked)
    assert np.array_equal(out, np.stack([vector(t) for t in asked]))
    assert np.array_equal(recent(TEXTS[:3]), np.stack([vector(t) for t in TEXTS[:3]]))
    assert model.calls == Counter(TEXTS[:3])  # the repeat and the second call from memory


def test_with_two_threads_a_posts_sentences_are_encoded_side_by_side() -> None:
    model = Model(delay=0.05)
    recent = RecentVectors(model, threads=2)
    recent(TEXTS)
    assert model.most_at_once == 2
    # One text per run of the model, as without threads: its vector cannot depend on the others.
    assert set(model.calls) == set(TEXTS)
    assert all(n == 1 for n in model.calls.values())


def test_one_thread_encodes_in_the_callers_thread_as_before() -> None:
    model = Model(delay=0.01)
    recent = RecentVectors(model, threads=1)
    recent(TEXTS)
    recent.prefetch(["not started without threads"])
    assert model.most_at_once == 1
    assert "not started without threads" not in model.calls


def test_a_prefetched_text_is_waited_for_not_encoded_again() -> None:
    model = Model(delay=0.1)
    recent = RecentVectors(model, threads=2)
    recent.prefetch([TEXTS[0]])
    out = recent([TEXTS[1], TEXTS[0]])  # the wellbeing check's sentences, then matching's text
    assert np.array_equal(out, np.stack([vector(TEXTS[1]), vector(TEXTS[0])]))
    assert model.calls[TEXTS[0]] == 1
    assert model.most_at_once == 2  # the two ran side by side, not one after the other


def test_callers_asking_for_the_same_text_at_once_share_one_encode() -> None:
    model = Model(delay=0.05)
    recent = RecentVectors(model, threads=2)
    results: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: results.append(recent([TEXTS[3]])))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert model.calls[TEXTS[3]] == 1
    assert all(np.array_equal(r[0], vector(TEXTS[3])) for r in results)


def test_a_failing_encode_reaches_the_caller_and_is_not_remembered() -> None:
    model = Model(fail=TEXTS[2])
    recent = RecentVectors(model, threads=2)
    with pytest.raises(RuntimeError, match="model failed"):
        recent([TEXTS[0], TEXTS[2]])
    model.fail = None
    assert np.array_equal(recent([TEXTS[2]])[0], vector(TEXTS[2]))
    assert model.calls[TEXTS[2]] == 2  # tried again, not stuck as pending


def test_the_memory_keeps_only_the_most_recent_texts() -> None:
    model = Model()
    recent = RecentVectors(model, size=2, threads=2)
    recent([TEXTS[0]])
    recent([TEXTS[1]])
    recent([TEXTS[2]])
    recent([TEXTS[0]])
    assert model.calls[TEXTS[0]] == 2
    recent([TEXTS[2]])
    assert model.calls[TEXTS[2]] == 1
