"""Load and validate the YAML knowledge base.

Everything the bot knows lives in `knowledge/`: the FAQ entries, the documents they cite, the
synonyms matching uses, the safety reply and the quizzes. A broken file is refused as a whole, and
every problem is reported as one line naming the file, the entry, the field and the reason, so a
content author can fix it without reading code.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.kb.models import Entry, KnowledgeBase, SafetyConfig, Source
from bot.kb.problems import KnowledgeError, Problem, pydantic_problems, read_yaml, rel_path
from bot.quiz.checks import load_quizzes


def raw_id(raw: Any) -> str:
    """The id to name in a problem, before validation: only a string or a number is shown (any
    other value could be arbitrarily large once turned into text)."""
    value = raw.get("id", "") if isinstance(raw, dict) else ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value)[:100]


def parse_entry(raw: Any, file: str = "<input>") -> tuple[Entry | None, list[Problem]]:
    """Validate one raw entry mapping. Returns the entry, or None and the problems."""
    entry_id = raw_id(raw)
    if not isinstance(raw, dict):
        return None, [Problem(file, entry_id, "", "an entry must be a mapping of fields")]
    try:
        return Entry.model_validate(raw), []
    except ValidationError as exc:
        return None, pydantic_problems(exc, file, entry_id)


def check_entry_references(
    entry: Entry, known_ids: Iterable[str], sources: dict[str, Source], file: str
) -> list[Problem]:
    """Cross-entry checks: cited sources exist, related ids exist and are not the entry itself."""
    known = known_ids if isinstance(known_ids, set | frozenset) else set(known_ids)
    problems = []
    for i, ref in enumerate(entry.sources):
        if ref.source not in sources:
            problems.append(
                Problem(file, entry.id, f"sources.{i}.source", f"unknown source {ref.source!r}")
            )
    for rel in entry.related:
        if rel == entry.id:
            problems.append(Problem(file, entry.id, "related", "an entry cannot relate to itself"))
        elif rel not in known:
            problems.append(Problem(file, entry.id, "related", f"unknown entry {rel!r}"))
    return problems


def _load_sources(root: Path, problems: list[Problem]) -> dict[str, Source]:
    path = root / "sources.yaml"
    data = read_yaml(path, root, problems)
    out: dict[str, Source] = {}
    if data is None:
        return out
    items = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(rel_path(path, root), "", "sources", "must be a list"))
        return out
    for raw in items:
        sid = raw_id(raw)
        try:
            src = Source.model_validate(raw)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, rel_path(path, root), sid))
            continue
        if src.id in out:
            problems.append(Problem(rel_path(path, root), src.id, "id", "duplicate source id"))
        out[src.id] = src
    return out


def _load_synonyms(root: Path, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    path = root / "synonyms.yaml"
    data = read_yaml(path, root, problems)
    if data is None:
        return {}
    table = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        problems.append(Problem(rel_path(path, root), "", "synonyms", "must be a mapping"))
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for canonical, forms in table.items():
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            problems.append(
                Problem(rel_path(path, root), str(canonical), "synonyms", "must list non-empty strings")
            )
            continue
        out[str(canonical)] = tuple(str(f) for f in forms)
    return out


# Files generated from the tuning sets and merged into safety.yaml, with what each may set.
GENERATED_SAFETY = {
    "safety-examples.yaml": {"crisis_examples", "ordinary_examples", "examples_threshold",
                             "examples_margin"},
    "safety-probe.yaml": {"probe_model", "probe_weights", "probe_bias", "probe_threshold",
                          "probe_cross_validation"},
}


def _load_safety(root: Path, problems: list[Problem]) -> SafetyConfig | None:
    path = root / "safety.yaml"
    data = read_yaml(path, root, problems)
    if data is None:
        return None
    for name, keys in GENERATED_SAFETY.items():
        extra_path = root / name
        if not extra_path.exists() or not isinstance(data, dict):
            continue
        extra = read_yaml(extra_path, root, problems)
        if extra is None:
            return None
        label = name.removesuffix(".yaml")
        if not isinstance(extra, dict) or not set(extra) <= keys:
            problems.append(Problem(rel_path(extra_path, root), label, "-",
                                    f"expected a mapping with keys {sorted(keys)}"))
            return None
        clash = sorted(set(extra) & set(data))
        if clash:
            problems.append(Problem(rel_path(extra_path, root), label, clash[0],
                                    "also set in another safety file; set it in one file only"))
            return None
        data = {**data, **extra}
    try:
        return SafetyConfig.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, rel_path(path, root), "safety"))
        return None


def _load_offtopic(root: Path, problems: list[Problem]) -> tuple[str, ...]:
    path = root / "offtopic.yaml"
    if not path.exists():
        return ()
    data = read_yaml(path, root, problems)
    if data is None:
        return ()
    examples = data.get("examples") if isinstance(data, dict) else None
    if not isinstance(examples, list) or not all(isinstance(x, str) for x in examples):
        problems.append(Problem(rel_path(path, root), "", "examples", "must be a list of strings"))
        return ()
    return tuple(examples)


def load_knowledge(root: Path, sources_dir: Path | None = None, *,
                   walk_quiz_paths: bool = True) -> KnowledgeBase:
    """Load and fully validate the knowledge base under `root`; raise KnowledgeError if broken.

    `walk_quiz_paths=False` skips walking every quiz answer path for dead ends, contradictions
    and profiles that never win (~0.2 s): for one-shot `careerbot ask`, which runs no quiz;
    `kb check`, `run` and the console walk."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), "", "", "knowledge directory not found")])

    sources = _load_sources(root, problems)
    if sources_dir is not None:
        for src in sources.values():
            if not (sources_dir / src.file).is_file():
                problems.append(
                    Problem(rel_path(root / "sources.yaml", root), src.id, "file",
                            f"{src.file} not found in {sources_dir}")
                )
    synonyms = _load_synonyms(root, problems)
    safety = _load_safety(root, problems)
    offtopic = _load_offtopic(root, problems)

    entries: list[Entry] = []
    entry_files: dict[str, str] = {}
    faq_dir = root / "faq"
    files = sorted(faq_dir.glob("*.yaml")) if faq_dir.is_dir() else []
    if not files:
        problems.append(Problem(rel_path(faq_dir, root), "", "", "no entry files (*.yaml) found"))
    for path in files:
        rel = rel_path(path, root)
        data = read_yaml(path, root, problems)
        if data is None:
            continue
        items = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(items, list):
            problems.append(Problem(rel, "", "entries", "must be a list of entries"))
            continue
        for raw in items:
            entry, entry_problems = parse_entry(raw, rel)
            problems.extend(entry_problems)
            if entry is None:
                continue
            if entry.id in entry_files:
                problems.append(
                    Problem(rel, entry.id, "id", f"duplicate id (also in {entry_files[entry.id]})")
                )
                continue
            entry_files[entry.id] = rel
            entries.append(entry)

    alias_owner: dict[str, str] = {}
    ids = set(entry_files)
    for entry in entries:
        rel = entry_files[entry.id]
        problems.extend(check_entry_references(entry, ids, sources, rel))
        for alias in entry.aliases:
            if alias in ids and alias != entry.id:
                problems.append(Problem(rel, entry.id, "aliases", f"{alias!r} is another entry's id"))
            elif alias in alias_owner and alias_owner[alias] != entry.id:
                problems.append(
                    Problem(rel, entry.id, "aliases", f"{alias!r} is also an alias of {alias_owner[alias]}")
                )
            alias_owner[alias] = entry.id

    if safety is not None and safety.support is not None:
        for entry_id in safety.support.offer:
            if entry_id not in ids:
                problems.append(Problem(rel_path(root / "safety.yaml", root), "support", "offer",
                                        f"{entry_id!r} is not an entry id"))

    kb = KnowledgeBase(
        root=root,
        sources=sources,
        entries=entries,
        synonyms=synonyms,
        safety=safety if safety is not None else SafetyConfig(reply="-" * 20, patterns=("$^",)),
        entry_files=entry_files,
        offtopic=offtopic,
    )
    problems.extend(_check_quizzes(kb, walk_quiz_paths))
    if problems:
        raise KnowledgeError(problems)
    return kb


def _check_quizzes(kb: KnowledgeBase, walk_paths: bool = True) -> list[Problem]:
    quizzes, problems = load_quizzes(kb, walk_paths=walk_paths)
    kb.quizzes = quizzes
    return problems
