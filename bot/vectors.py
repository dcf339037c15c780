"""Sentence vectors kept so they are computed once: on disk for the knowledge base's phrasings
(`CachedEncoder`), in memory for the last few hundred questions (`RecentVectors`)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from bot.embeddings import TextEncoder, first_line, shared_encoder, text_list

log = logging.getLogger(__name__)

_lock = threading.Lock()


_CACHE_FORMAT = 1


class CachedEncoder:
    """An encoder whose vectors are remembered on disk, keyed by (encoder fingerprint, text).

    `cache_dir` holds one `<fingerprint>.npz` per model, so vectors from one model are never
    served for another. Texts are keys exactly as given: prepare them (normalise, strip) before
    calling. With `autosave` the file is rewritten, atomically, after each `encode` that added
    vectors; otherwise call `flush()`. Several processes may share a folder: each write is a
    whole consistent file, and the last writer wins.
    """

    def __init__(self, encoder: TextEncoder, cache_dir: Path, *, autosave: bool = True) -> None:
        self.encoder = encoder
        self.cache_dir = Path(cache_dir)
        self.path = self.cache_dir / f"{encoder.fingerprint}.npz"
        self.autosave = autosave
        self._lock = threading.Lock()
        self._texts: list[str] = []
        self._index: dict[str, int] = {}
        self._vectors = np.empty((0, encoder.dim), dtype=np.float32)
        self._dirty = False
        self._load()

    def __len__(self) -> int:
        return len(self._texts)

    def __contains__(self, text: object) -> bool:
        return text in self._index

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Like `Encoder.encode`; only texts not yet cached go through the model."""
        texts = text_list(texts)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._index))
            if missing:
                fresh = np.asarray(self.encoder.encode(missing), dtype=np.float32)
                if fresh.shape != (len(missing), self.encoder.dim):
                    raise ValueError(
                        f"encoder returned shape {fresh.shape} for {len(missing)} texts"
                    )
                for text in missing:
                    self._index[text] = len(self._texts)
                    self._texts.append(text)
                self._vectors = np.concatenate([self._vectors, fresh])
                self._dirty = True
            result = self._vectors[[self._index[t] for t in texts]]
            if missing and self.autosave:
                self._save()
        return result

    def prune(self, keep: Iterable[str]) -> int:
        """Forget every cached text not in `keep` (e.g. phrasings since edited away).

        Returns how many were dropped; saves if autosave is on.
        """
        wanted = set(keep)
        with self._lock:
            rows = [i for i, t in enumerate(self._texts) if t in wanted]
            dropped = len(self._texts) - len(rows)
            if dropped:
                self._texts = [self._texts[i] for i in rows]
                self._index = {t: i for i, t in enumerate(self._texts)}
                self._vectors = self._vectors[rows]
                self._dirty = True
                if self.autosave:
                    self._save()
        return dropped

    def flush(self) -> None:
        """Write the cache file if anything changed since it was last written."""
        with self._lock:
            self._save()

    def __enter__(self) -> CachedEncoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.flush()

    def _load(self) -> None:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                fmt = int(data["format"])
                fingerprint = bytes(data["fingerprint"]).decode("ascii")
                texts = json.loads(bytes(data["texts"]).decode("utf-8"))
                vectors = np.asarray(data["vectors"])
        except FileNotFoundError:
            return
        except Exception as exc:
            # A cache is only a cache: a damaged file costs a re-encode, not a start-up.
            log.warning("ignoring unreadable embedding cache %s (%s)", self.path, first_line(exc))
            return
        if (
            fmt != _CACHE_FORMAT
            or fingerprint != self.encoder.fingerprint
            or not isinstance(texts, list)
            or vectors.dtype != np.float32
            or vectors.shape != (len(texts), self.encoder.dim)
            or len(set(texts)) != len(texts)
        ):
            log.warning("ignoring embedding cache %s: not for this model or malformed", self.path)
            return
        self._texts = texts
        self._index = {t: i for i, t in enumerate(texts)}
        self._vectors = vectors

    def _save(self) -> None:
        if not self._dirty:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_dir, prefix=f".{self.path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle,
                    format=np.array(_CACHE_FORMAT),
                    fingerprint=np.frombuffer(self.encoder.fingerprint.encode("ascii"), np.uint8),
                    texts=np.frombuffer(
                        json.dumps(self._texts, ensure_ascii=False).encode("utf-8"), np.uint8
                    ),
                    vectors=self._vectors,
                )
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._dirty = False


_recent: RecentVectors | None = None


def shared_recent() -> RecentVectors:
    """The process-wide encoder for questions: the shared model behind a small memory."""
    global _recent
    if _recent is None:
        with _lock:
            if _recent is None:
                _recent = RecentVectors(shared_encoder().encode)
    return _recent


class RecentVectors:
    """Remembers the vectors of the last few hundred texts encoded through it, so the wellbeing
    check and matching, which both read a one-sentence question, encode it once."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray], size: int = 512) -> None:
        self._encode = encode
        self._size = size
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        items = text_list(texts)
        with self._lock:
            missing = list(dict.fromkeys(t for t in items if t not in self._recent))
        fresh = self._encode(missing) if missing else None
        with self._lock:
            for text, vector in zip(missing, fresh if fresh is not None else [], strict=True):
                self._recent[text] = vector
            vectors = []
            for text in items:
                vector = self._recent.get(text)
                if vector is None:  # evicted by a concurrent call: encode again
                    vector = self._encode([text])[0]
                self._recent[text] = vector
                self._recent.move_to_end(text)
                vectors.append(vector)
            while len(self._recent) > self._size:
                self._recent.popitem(last=False)
        return np.stack(vectors) if vectors else np.empty((0, 0), dtype=np.float32)
