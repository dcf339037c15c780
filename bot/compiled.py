"""The wellbeing patterns, compiled once and kept between starts.

The safety file's patterns make a dozen large alternations (~350,000 characters of regex). `re`
compiles them in Python, about a second of every start of `careerbot ask`, the console or the bot.
Compiling turns a pattern into a list of integers that the C matcher runs; this module keeps
those lists in a folder beside the vector cache and, on the next start, hands them straight to the
matcher, so a start costs a file read instead of a compile.

The lists are CPython's internal form: the file name is derived from the Python version and the
matcher's magic number as well as the patterns, each file carries the sha256 of its contents, and
the process checks once that this path gives the very same compiled pattern as `re.compile` (a
compiled pattern compares equal only when its integers are equal). Whenever any of that fails, or
the folder cannot be written, patterns are compiled the ordinary way: the cache can cost a compile,
never a wrong pattern or a start-up.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import threading
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = "careerbot-compiled-patterns/1"
# Files kept in the folder; the oldest go first (a knowledge-base change writes new ones).
KEEP_FILES = 64

_folder: Path | None = None
_memory: dict[tuple[str, ...], list[re.Pattern[str]]] = {}
_MEMORY_LIMIT = 256
_lock = threading.Lock()


def use_folder(folder: Path | None) -> None:
    """Keep compiled patterns in `folder` from now on (None: compile in memory only)."""
    global _folder
    _folder = folder


def compile_one(source: str) -> re.Pattern[str]:
    return compile_all((source,))[0]


def compile_all(sources: Sequence[str]) -> list[re.Pattern[str]]:
    """`re.compile` of each source (no flags), from memory or the folder when they were compiled
    before. A source that does not compile raises `re.error`, as `re.compile` does."""
    key = tuple(sources)
    with _lock:
        found = _memory.get(key)
    if found is not None:
        return list(found)
    patterns = _from_folder(key) if _folder is not None and _internal_ok() else None
    if patterns is None:
        patterns, parts = _compile(key)
        if _folder is not None and parts is not None:
            _store(key, parts)
    with _lock:
        if len(_memory) >= _MEMORY_LIMIT:
            _memory.pop(next(iter(_memory)))
        _memory[key] = patterns
    return list(patterns)


# --- the compile and its internal form ---

Parts = tuple[int, list[int], int, dict[str, int]]  # flags, code, groups, group names


def _compile(sources: tuple[str, ...]) -> tuple[list[re.Pattern[str]], list[Parts] | None]:
    if not _internal_ok():
        return [re.compile(s) for s in sources], None
    parts = [_parts(s) for s in sources]
    return [_build(s, p) for s, p in zip(sources, parts, strict=True)], parts


def _parts(source: str) -> Parts:
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(source, 0)
    code = _compiler._code(parsed, 0)
    return parsed.state.flags, list(code), parsed.state.groups, dict(parsed.state.groupdict)


def _build(source: str, parts: Parts) -> re.Pattern[str]:
    import _sre  # type: ignore[import-not-found]

    flags, code, groups, names = parts
    index: list[str | None] = [None] * groups
    for name, i in names.items():
        index[i] = name
    pattern: re.Pattern[str] = _sre.compile(source, flags, code, groups - 1, names, tuple(index))
    return pattern


_checked: bool | None = None


def _internal_ok() -> bool:
    """Whether building from the internal form gives what `re.compile` gives, on this Python."""
    global _checked
    if _checked is None:
        try:
            import _sre

            probe = r"(?:(?<= )|^)(?:(?:kill(?:ing)? (?:my)?self)|(?P<n>end it all)\b|[a-z]{2,})"
            _checked = (array("I").itemsize == _sre.CODESIZE
                        and _build(probe, _parts(probe)) == re.compile(probe))
        except Exception:  # any change in the internals: compile the ordinary way
            _checked = False
    return _checked


# --- the folder ---

def _key(sources: tuple[str, ...]) -> str:
    import _sre

    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode())
    for source in sources:
        digest.update(b"\0" + source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _from_folder(sources: tuple[str, ...]) -> list[re.Pattern[str]] | None:
    assert _folder is not None
    path = _folder / f"{_key(sources)}.bin"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        head, _, body = data.partition(b"\n")
        meta: dict[str, Any] = json.loads(head)
        if meta.get("format") != FORMAT or meta.get("sha256") != hashlib.sha256(body).hexdigest():
            raise ValueError("checksum")
        code = array("I")
        code.frombytes(body)
        patterns = []
        at = 0
        for source, (flags, length, groups, names) in zip(sources, meta["patterns"], strict=True):
            part = code[at : at + length].tolist()
            at += length
            patterns.append(_build(source, (flags, part, groups, names)))
        if at != len(code):
            raise ValueError("length")
    except Exception as exc:  # damaged or foreign: compile again and write it anew
        log.warning("compiled patterns %s unreadable (%s); compiling them again", path.name,
                    type(exc).__name__)
        return None
    try:
        os.utime(path)  # recently used: kept when the folder is pruned
    except OSError:
        pass
    return patterns


def _store(sources: tuple[str, ...], parts: list[Parts]) -> None:
    assert _folder is not None
    code = array("I")
    for part in parts:
        code.extend(part[1])
    body = code.tobytes()
    meta = {"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest(),
            "patterns": [[flags, len(c), groups, names] for flags, c, groups, names in parts]}
    path = _folder / f"{_key(sources)}.bin"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(json.dumps(meta).encode() + b"\n" + body)
        os.replace(tmp, path)
        _prune(_folder)
    except OSError as exc:  # a read-only or full disk: the next start compiles again
        log.info("compiled patterns not kept (%s)", type(exc).__name__)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)
