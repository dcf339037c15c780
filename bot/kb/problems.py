"""Problems with the knowledge base, each located by file, entry and field, and the YAML reader
that reports them that way (shared by the entry loader, the quiz loader and moderators' imports).

The reader treats every file as possibly hostile (an import comes from whoever a moderator trusts,
a knowledge folder from whatever lands in it): it opens only regular files, without blocking (a
FIFO would block forever, `/dev/zero` never ends), reads at most `MAX_YAML_BYTES`, and refuses
custom tags, deep nesting and aliases, each in one line: a "billion laughs" file is a few hundred
bytes whose values expand to gigabytes once anything walks them. Imports may use no alias at all;
the knowledge folder's authors may share a value with an anchor, within `MAX_ALIAS_EXPANSION`.
With those limits the work is linear in the file's size.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

# libyaml's loader parses the knowledge base several times faster; same safe subset of YAML.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A 10,000-entry import is about 3.5 MB; the largest shipped file is under 50 KB.
MAX_YAML_BYTES = 16 * 1024 * 1024
# The knowledge format nests five levels at most (entries > entry > sources > source > field).
MAX_YAML_DEPTH = 32
# How many values aliases may add to a knowledge file once expanded (a billion laughs adds 10**9).
MAX_ALIAS_EXPANSION = 100_000
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")
)


class YamlRefused(ValueError):
    """A YAML file that is not read at all; the message is one line saying why."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _check_nodes(root: yaml.Node, *, aliases: bool) -> None:
    """Refuse custom tags, deep nesting, and aliases: all of them (`aliases=False`), or those
    that refer to themselves or expand to more than `MAX_ALIAS_EXPANSION` values.

    The composer hands an alias back as the very node its anchor named, so a node met twice is
    an alias. Walked iteratively, each node once, sizes memoised: linear in the file's size."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if key in sizes or key in on_path:
            if not aliases:
                raise YamlRefused("uses anchors and aliases (&name, *name), which are not allowed"
                                  " here; write each value out in full")
            if key in on_path:
                raise YamlRefused("has an alias inside the value it names (a value containing "
                                  "itself)")
            continue
        if node.tag not in _PLAIN_TAGS:
            raise YamlRefused(f"uses the tag {str(node.tag)[:60]!r}; only plain YAML is read"
                              f" (at line {node.start_mark.line + 1})")
        if depth > MAX_YAML_DEPTH:
            raise YamlRefused(f"nests deeper than {MAX_YAML_DEPTH} levels"
                              f" (at line {node.start_mark.line + 1})")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))
    if sizes[id(root)] - len(sizes) > MAX_ALIAS_EXPANSION:
        raise YamlRefused(f"has aliases that expand to more than {MAX_ALIAS_EXPANSION:,} values"
                          " (a \"billion laughs\" file?); write each value out in full")


def parse_yaml(text: str, *, aliases: bool = False) -> Any:
    """One YAML document as plain data; `YamlRefused` (one line) for anything else. Aliases are
    refused unless `aliases` (the knowledge folder allows a bounded number of them)."""
    if len(text) > MAX_YAML_BYTES:
        raise YamlRefused(f"is larger than {MAX_YAML_BYTES // (1024 * 1024)} MB")
    loader = _YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, aliases=aliases)
        return loader.construct_document(node)
    except YamlRefused:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or ""
        why = f": {str(problem).splitlines()[0][:100]}" if problem else ""
        raise YamlRefused(f"is not valid YAML{where}{why}") from exc
    except RecursionError as exc:  # belt and braces: libyaml already caps nesting
        raise YamlRefused(f"nests deeper than {MAX_YAML_DEPTH} levels") from exc
    except (ValueError, OverflowError) as exc:  # e.g. an integer of more than 4,300 digits
        raise YamlRefused(f"has a value that cannot be read: {str(exc).splitlines()[0][:100]}") from exc
    finally:
        loader.dispose()


def read_text_file(path: Path) -> str:
    """A regular file's text (UTF-8), without ever blocking on a FIFO or reading a device.

    Raises `FileNotFoundError` if it is missing, `YamlRefused` (one line) otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise YamlRefused(f"cannot be read: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlRefused("is not a regular file (a FIFO, device, socket or folder);"
                              " only regular files are read")
        if info.st_size > MAX_YAML_BYTES:
            raise YamlRefused(f"is larger than {MAX_YAML_BYTES // (1024 * 1024)} MB")
        with os.fdopen(fd, "rb", closefd=True) as stream:
            fd = -1
            data = stream.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        raise YamlRefused(f"cannot be read: {exc.strerror or exc}") from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_YAML_BYTES:  # it grew while we looked
        raise YamlRefused(f"is larger than {MAX_YAML_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlRefused(f"is not UTF-8 text (byte {exc.start})") from exc


def load_yaml_file(path: Path, *, aliases: bool = False) -> Any:
    """Read and parse one YAML file; `FileNotFoundError` or `YamlRefused` (one line)."""
    return parse_yaml(read_text_file(path), aliases=aliases)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, located precisely."""

    file: str
    entry: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: entry {self.entry or '-'}: field {self.field or '-'}: {self.reason}"


class KnowledgeError(Exception):
    """The knowledge base is invalid; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"invalid knowledge base: {first}{more}")


def rel_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    try:
        # Authors of the knowledge folder may share a value with an anchor; imports may not.
        return load_yaml_file(path, aliases=True)
    except FileNotFoundError:
        problems.append(Problem(rel_path(path, root), "", "", "file is missing"))
    except YamlRefused as exc:
        problems.append(Problem(rel_path(path, root), "", "", str(exc)))
    return None


def pydantic_problems(exc: ValidationError, file: str, entry: str) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "-"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "is required"
        elif err["type"] == "extra_forbidden":
            msg = "is not a known field"
        elif err["type"] == "string_pattern_mismatch" and loc == "id":
            # Not the regular expression: "lowercase letters and digits in words joined by
            # single hyphens" says what to type.
            msg = ("must be lowercase letters and digits, words joined by single hyphens "
                   "(like `phd-or-not`)")
        out.append(Problem(file, entry, loc, msg))
    return out
