"""Sentence vectors kept on disk so they are computed once: the knowledge base's phrasings
(`CachedEncoder`). The questions' vectors are kept in memory by `bot.recent`."""

from __future__ import annotations

import json
import logging
import os
import struct
import tempfile
import threading
import weakref
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from bot.embeddings import TextEncoder, first_line, text_list

log = logging.getLogger(__name__)



_CACHE_FORMAT = 1
# New vectors go to an append-only journal beside the cache file; past this many records the
# two are merged into a new cache file.
JOURNAL_MAX = 1024
_JOURNAL_MAGIC = b"CBv1"
_JOURNAL_RECORD = struct.Struct("<4sII")  # magic, text bytes, crc32 of text + vector bytes
_ZIP_LOCAL_HEADER = struct.Struct("<4s5H3I2H")


class _DiskRows:
    """The vectors of a cache file, read on demand: `rows` float32 rows of `dim` at `offset` of
    an open descriptor (the file's inode stays readable when another process replaces it)."""

    def __init__(self, fd: int, offset: int, rows: int, dim: int) -> None:
        self.fd = fd
        self.offset = offset
        self.rows = rows
        self.dim = dim
        self._close = weakref.finalize(self, os.close, fd)

    def read(self, rows: np.ndarray) -> np.ndarray:
        """The given row numbers, in order: contiguous runs are read at once, and a request for
        most of the file reads the whole file once."""
        width = self.dim * 4
        wanted = np.unique(rows)
        if len(wanted) * 4 >= self.rows:
            runs = [np.arange(self.rows)]
        else:
            runs = np.split(wanted, np.flatnonzero(np.diff(wanted) != 1) + 1)
        parts = []
        for run in runs:
            size = len(run) * width
            data = os.pread(self.fd, size, self.offset + int(run[0]) * width)
            if len(data) != size:
                raise OSError(f"embedding cache file shorter than its header says ({self.fd})")
            parts.append(np.frombuffer(data, dtype=np.float32).reshape(len(run), self.dim))
        block = parts[0] if len(parts) == 1 else np.concatenate(parts)
        have = np.concatenate(runs) if len(runs) > 1 else runs[0]
        return block[np.searchsorted(have, rows)]

    def close(self) -> None:
        self._close()


class CachedEncoder:
    """An encoder whose vectors are remembered on disk, keyed by (encoder fingerprint, text).

    `cache_dir` holds one `<fingerprint>.npz` per model, so vectors from one model are never
    served for another. Texts are keys exactly as given: prepare them (normalise, strip) before
    calling. With `autosave` the vectors an `encode` added are appended to a journal beside the
    file (`<fingerprint>.log`), and the two are merged into a new file, written atomically,
    when the journal grows long or there is no file yet; otherwise call `flush()`. Several
    processes may share a folder: each file is whole and consistent, the last writer wins, and
    a journal record that is torn or damaged ends the journal's replay.

    The vectors stay on disk: only the texts are held, and each `encode` reads the rows it
    returns. A moderator's new variant costs one encode and a ~2 KB append, not a rewrite of
    every vector (tens of MB at 2,000 entries), and the cache costs no memory beyond the views
    built from it.
    """

    def __init__(self, encoder: TextEncoder, cache_dir: Path, *, autosave: bool = True) -> None:
        self.encoder = encoder
        self.cache_dir = Path(cache_dir)
        self.path = self.cache_dir / f"{encoder.fingerprint}.npz"
        self.journal = self.cache_dir / f"{encoder.fingerprint}.log"
        self.autosave = autosave
        self._lock = threading.Lock()
        self._texts: list[str] = []
        self._index: dict[str, int] = {}
        self._disk: _DiskRows | None = None
        # Rows after the file's, in memory: replayed from the journal or encoded since.
        self._extra = np.empty((0, encoder.dim), dtype=np.float32)
        self._extra_rows = 0
        self._journaled = 0
        self._dirty = False  # rows not yet in the file or the journal
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
                self._append(missing, fresh)
                if self.autosave:
                    self._autosave(missing, fresh)
                else:
                    self._dirty = True
            return self._rows([self._index[t] for t in texts])

    def _autosave(self, texts: list[str], vectors: np.ndarray) -> None:
        """Persist what `encode` added. The cache only saves work: a full disk or a read-only
        folder costs a re-encode at the next start, never the vectors asked for (the new rows
        stay in memory, and the next save writes them)."""
        try:
            if self._disk is None or self._dirty or self._journaled + len(texts) > JOURNAL_MAX:
                self._save()
            else:
                self._write_journal(texts, vectors)
        except OSError as exc:
            self._dirty = True
            if not self._warned:
                self._warned = True
                log.warning("cannot write the embedding cache in %s (%s): keeping new vectors in "
                            "memory", self.cache_dir, exc.strerror or exc)
        else:
            self._warned = False

    _warned = False

    def prune(self, keep: Iterable[str]) -> int:
        """Forget every cached text not in `keep` (e.g. phrasings since edited away).

        Returns how many were dropped; saves if autosave is on.
        """
        wanted = set(keep)
        with self._lock:
            rows = [i for i, t in enumerate(self._texts) if t in wanted]
            dropped = len(self._texts) - len(rows)
            if dropped:
                vectors = self._rows(rows)
                self._texts = [self._texts[i] for i in rows]
                self._index = {t: i for i, t in enumerate(self._texts)}
                self._replace_rows(vectors)
                self._dirty = True
                if self.autosave:
                    self._save()
        return dropped

    def flush(self) -> None:
        """Write the cache file if anything changed since it was last written."""
        with self._lock:
            if self._dirty or self._journaled:
                self._save()

    def __enter__(self) -> CachedEncoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.flush()

    # -- rows ---------------------------------------------------------------------------------

    def _append(self, texts: list[str], vectors: np.ndarray) -> None:
        for text in texts:
            self._index[text] = len(self._texts)
            self._texts.append(text)
        need = self._extra_rows + len(vectors)
        if need > len(self._extra):
            # Doubling: a run of single additions copies the rows a logarithmic number of times.
            grown = np.empty((max(need, 2 * len(self._extra), 16), self.encoder.dim), np.float32)
            grown[: self._extra_rows] = self._extra[: self._extra_rows]
            self._extra = grown
        self._extra[self._extra_rows : need] = vectors
        self._extra_rows = need

    def _rows(self, rows: Sequence[int]) -> np.ndarray:
        index = np.asarray(rows, dtype=np.int64)
        out = np.empty((len(index), self.encoder.dim), dtype=np.float32)
        on_disk = self._disk.rows if self._disk is not None else 0
        from_disk = index < on_disk
        if self._disk is not None and from_disk.any():
            out[from_disk] = self._disk.read(index[from_disk])
        if not from_disk.all():
            out[~from_disk] = self._extra[index[~from_disk] - on_disk]
        return out

    def _replace_rows(self, vectors: np.ndarray) -> None:
        """All rows are now `vectors` (in memory), and no longer the file's."""
        if self._disk is not None:
            self._disk.close()
            self._disk = None
        self._extra = np.ascontiguousarray(vectors, dtype=np.float32)
        self._extra_rows = len(vectors)

    # -- the file and the journal ------------------------------------------------------------

    def _load(self) -> None:
        try:
            texts, disk = self._open(self.path)
        except FileNotFoundError:
            texts, disk = [], None
        except Exception as exc:
            # A cache is only a cache: a damaged file costs a re-encode, not a start-up.
            log.warning("ignoring unreadable embedding cache %s (%s)", self.path, first_line(exc))
            texts, disk = [], None
        if texts is None:
            log.warning("ignoring embedding cache %s: not for this model or malformed", self.path)
            texts, disk = [], None
        self._texts = texts
        self._index = {t: i for i, t in enumerate(texts)}
        self._disk = disk
        self._replay_journal()

    def _open(self, path: Path) -> tuple[list[str] | None, _DiskRows | None]:
        """The texts of a cache file and its vectors on disk (None, None: not for this model)."""
        fd = os.open(path, os.O_RDONLY)
        try:
            with os.fdopen(os.dup(fd), "rb") as handle:
                with np.load(handle, allow_pickle=False) as data:
                    fmt = int(data["format"])
                    fingerprint = bytes(data["fingerprint"]).decode("ascii")
                    texts = json.loads(bytes(data["texts"]).decode("utf-8"))
                if (fmt != _CACHE_FORMAT or fingerprint != self.encoder.fingerprint
                        or not isinstance(texts, list) or len(set(texts)) != len(texts)
                        or not all(isinstance(t, str) for t in texts)):
                    os.close(fd)
                    return None, None
                offset = _npy_member(handle, "vectors.npy", (len(texts), self.encoder.dim))
        except BaseException:
            os.close(fd)
            raise
        if offset is None:
            os.close(fd)
            return None, None
        return texts, _DiskRows(fd, offset, len(texts), self.encoder.dim)

    def _replay_journal(self) -> None:
        try:
            data = self.journal.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("ignoring unreadable embedding journal %s (%s)", self.journal,
                        first_line(exc))
            return
        width = self.encoder.dim * 4
        texts: list[str] = []
        seen: set[str] = set()
        vectors: list[np.ndarray] = []
        pos = records = 0
        while pos + _JOURNAL_RECORD.size <= len(data):
            magic, size, crc = _JOURNAL_RECORD.unpack_from(data, pos)
            start = pos + _JOURNAL_RECORD.size
            end = start + size + width
            if magic != _JOURNAL_MAGIC or end > len(data) or zlib.crc32(data[start:end]) != crc:
                break  # a torn or damaged record: what follows cannot be trusted either
            try:
                text = data[start : start + size].decode("utf-8")
            except UnicodeDecodeError:
                break
            if text not in self._index and text not in seen:
                seen.add(text)
                texts.append(text)
                vectors.append(np.frombuffer(data[start + size : end], dtype=np.float32))
            records += 1
            pos = end
        if texts:
            self._append(texts, np.stack(vectors))
        self._journaled = records

    def _write_journal(self, texts: list[str], vectors: np.ndarray) -> None:
        records = []
        for text, vector in zip(texts, vectors, strict=True):
            encoded = text.encode("utf-8")
            body = encoded + np.ascontiguousarray(vector, np.float32).tobytes()
            records.append(_JOURNAL_RECORD.pack(_JOURNAL_MAGIC, len(encoded), zlib.crc32(body))
                           + body)
        fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            # One write: appends from several processes do not interleave within a record.
            payload = b"".join(records)
            written = os.write(fd, payload)
            if written != len(payload):
                raise OSError(f"short write to {self.journal}")
        finally:
            os.close(fd)
        self._journaled += len(texts)

    def _save(self) -> None:
        vectors = self._rows(range(len(self._texts)))
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
                    vectors=vectors,
                )
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.journal.unlink(missing_ok=True)
        self._journaled = 0
        self._dirty = False
        # Serve from the new file, so the rows just written do not stay in memory.
        try:
            texts, disk = self._open(self.path)
        except OSError:
            texts, disk = None, None
        if texts == self._texts and disk is not None:
            if self._disk is not None:
                self._disk.close()
            self._disk = disk
            self._extra = np.empty((0, self.encoder.dim), dtype=np.float32)
            self._extra_rows = 0
        else:  # replaced meanwhile by another process: keep what we have, in memory
            if disk is not None:
                disk.close()
            self._replace_rows(vectors)


def _npy_member(handle: BinaryIO, name: str, shape: tuple[int, int]) -> int | None:
    """Where the float32 C-order array `name` of an uncompressed .npz starts in the file, or
    None if it is not stored that way (compressed, another type or shape)."""
    with zipfile.ZipFile(handle) as archive:
        info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED:
        return None
    handle.seek(info.header_offset)
    header = _ZIP_LOCAL_HEADER.unpack(handle.read(_ZIP_LOCAL_HEADER.size))
    if header[0] != b"PK\x03\x04":
        return None
    handle.seek(info.header_offset + _ZIP_LOCAL_HEADER.size + header[9] + header[10])
    version = np.lib.format.read_magic(handle)
    if version == (1, 0):
        found, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
    else:
        found, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
    if found != shape or fortran or dtype != np.dtype("<f4"):
        return None
    return handle.tell()
