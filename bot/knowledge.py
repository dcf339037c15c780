"""Load and validate the YAML knowledge base.

Everything the bot knows lives in `knowledge/`: the FAQ entries, the documents they cite, the
synonyms matching uses, the safety reply and the quizzes. A broken file is refused as a whole, and
every problem is reported as one line naming the file, the entry, the field and the reason, so a
content author can fix it without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

TOPICS: dict[str, str] = {
    "phd": "Is a PhD needed or worth it, and for which roles",
    "phd-choice": "Choosing an advisor, a lab and a university",
    "roles": "Research scientist, research engineer, software engineer and ML engineer in AI labs",
    "masters": "Master's degrees as a way in",
    "programs": "Bootcamps, fellowships and grants",
    "residencies": "AI residency programs",
    "standing-out": "Portfolio, GitHub, blog, reproducing papers, Kaggle, open source",
    "publishing": "Top venues, peer review and rejection",
    "skills": "Coding, distributed systems, math, courses and jargon",
    "research-life": "What research feels like: uncertainty, frustration, motivation, luck",
    "career-moves": "Lateral moves, switching careers, applying beyond famous labs, interviews",
    "research-types": "Fundamental vs applied research vs product work",
    "industry-phd": "Industrial PhDs (CIFRE) and internships during a PhD",
    "adjacent-roles": "Data engineering, analytics, and demand for engineers vs data scientists",
}

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ANSWER = 1200
MAX_QUESTION = 200
MAX_VARIANT = 600
MAX_ID = 64

_ID_RE = re.compile(ID_PATTERN)
# libyaml's loader parses the knowledge base several times faster; same safe subset of YAML.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)
    where: str = Field(min_length=1, max_length=200)


class Entry(BaseModel):
    """One FAQ entry. The same model validates YAML files and moderators' input."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN, max_length=MAX_ID)
    topic: str
    # A second topic the entry's question is just as squarely about ("a research scientist
    # without a PhD" is both `phd` and `roles`): the entry is listed under both.
    also_topics: tuple[str, ...] = Field(default=(), max_length=2)
    question: str = Field(min_length=5, max_length=MAX_QUESTION)
    aliases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    answer: str = Field(min_length=20, max_length=MAX_ANSWER)
    sources: tuple[SourceRef, ...] = Field(min_length=1)
    related: tuple[str, ...] = ()

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic {value!r}; use one of: {', '.join(TOPICS)}")
        return value

    @field_validator("also_topics")
    @classmethod
    def _known_also_topics(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        for topic in value:
            if topic not in TOPICS:
                raise ValueError(f"unknown topic {topic!r}; use one of: {', '.join(TOPICS)}")
            if topic == info.data.get("topic"):
                raise ValueError(f"{topic!r} is already the entry's topic")
        if len(set(value)) != len(value):
            raise ValueError("lists a topic twice")
        return value

    @property
    def topics(self) -> tuple[str, ...]:
        """The entry's topic first, then any others it is listed under."""
        return (self.topic, *self.also_topics)

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, variant in enumerate(value):
            if not variant.strip():
                raise ValueError(f"variant {i + 1} is empty")
            if len(variant) > MAX_VARIANT:
                raise ValueError(f"variant {i + 1} is longer than {MAX_VARIANT} characters")
        return tuple(v.strip() for v in value)

    @field_validator("aliases", "tags", "related")
    @classmethod
    def _kebab_list(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not _ID_RE.match(item):
                raise ValueError(f"{item!r} is not lowercase kebab-case")
        return value

    @field_validator("question", "answer")
    @classmethod
    def _strip(cls, value: str) -> str:
        stripped = value.strip()
        if not stripped:
            raise ValueError("must not be blank")
        return stripped

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    file: str
    kind: str = "document"
    url: str | None = None


_PLACEHOLDER = re.compile(r"(?<![?P])<([a-z_]+)>")


def expand_placeholders(pattern: str, defines: dict[str, str]) -> str:
    """`<name>` in a safety pattern stands for `(?:defines[name])`, so the YAML stays readable."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in defines:
            raise ValueError(f"pattern {pattern!r} uses <{name}>, which `defines` does not define")
        return f"(?:{defines[name]})"

    return _PLACEHOLDER.sub(sub, pattern)


class SupportConfig(BaseModel):
    """The second tier: distress that is not a crisis gets a warm, private reply."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reply: str = Field(min_length=20, max_length=1500)
    patterns: tuple[str, ...] = Field(min_length=1)
    not_distress: tuple[str, ...] = ()
    # Entries offered as buttons under the support reply, in order; unknown ids are refused.
    offer: tuple[str, ...] = ()
    offer_intro: str = ""


class SafetyConfig(BaseModel):
    """Crisis language, distress, and the fixed replies (see knowledge/safety.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reply: str = Field(min_length=20, max_length=1500)
    defines: dict[str, str] = Field(default_factory=dict)
    patterns: tuple[str, ...] = Field(min_length=1)
    phrases: tuple[str, ...] = ()
    not_crisis: tuple[str, ...] = ()
    support: SupportConfig | None = None
    # Shown above either reply when a member asked the bot about someone else's message.
    someone_else: str = ""
    # The semantic net behind the patterns (bot/wellbeing.py): crisis sentences written for the
    # project, and how close a message's sentence must come to one of them.
    crisis_prototypes: tuple[str, ...] = ()
    # Figures of speech and dev talk that borrow crisis words, as the ordinary side's contrast.
    ordinary_prototypes: tuple[str, ...] = ()
    semantic_threshold: float = Field(default=0.45, ge=0.0, le=1.0)
    semantic_margin: float = Field(default=0.10, ge=0.0, le=1.0)

    def expanded(self, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(expand_placeholders(p, self.defines) for p in patterns)

    @model_validator(mode="after")
    def _compiles(self) -> SafetyConfig:
        groups = [self.patterns, self.not_crisis]
        if self.support is not None:
            groups += [self.support.patterns, self.support.not_distress]
        for group in groups:
            for pattern in group:
                expanded = expand_placeholders(pattern, self.defines)
                try:
                    re.compile(expanded)
                except re.error as exc:
                    raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
        return self


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


@dataclass
class KnowledgeBase:
    root: Path
    sources: dict[str, Source]
    entries: list[Entry]
    synonyms: dict[str, tuple[str, ...]]
    safety: SafetyConfig
    quizzes: dict[str, Any] = field(default_factory=dict)
    entry_files: dict[str, str] = field(default_factory=dict)
    offtopic: tuple[str, ...] = ()

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def topic_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(TOPICS, 0)
        for entry in self.entries:
            counts[entry.topic] += 1
        return counts


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(_rel(path, root), "", "", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(_rel(path, root), "", "", f"cannot be read: {exc}"))
        return None
    try:
        return yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problems.append(Problem(_rel(path, root), "", "", f"is not valid YAML{where}"))
        return None


def _pydantic_problems(exc: ValidationError, file: str, entry: str) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "-"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "is required"
        elif err["type"] == "extra_forbidden":
            msg = "is not a known field"
        out.append(Problem(file, entry, loc, msg))
    return out


def parse_entry(raw: Any, file: str = "<input>") -> tuple[Entry | None, list[Problem]]:
    """Validate one raw entry mapping. Returns the entry, or None and the problems."""
    entry_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
    if not isinstance(raw, dict):
        return None, [Problem(file, entry_id, "", "an entry must be a mapping of fields")]
    try:
        return Entry.model_validate(raw), []
    except ValidationError as exc:
        return None, _pydantic_problems(exc, file, entry_id)


def check_entry_references(
    entry: Entry, known_ids: Iterable[str], sources: dict[str, Source], file: str
) -> list[Problem]:
    """Cross-entry checks: cited sources exist, related ids exist and are not the entry itself."""
    known = set(known_ids)
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
    data = _read_yaml(path, root, problems)
    out: dict[str, Source] = {}
    if data is None:
        return out
    items = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(_rel(path, root), "", "sources", "must be a list"))
        return out
    for raw in items:
        sid = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        try:
            src = Source.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, _rel(path, root), sid))
            continue
        if src.id in out:
            problems.append(Problem(_rel(path, root), src.id, "id", "duplicate source id"))
        out[src.id] = src
    return out


def _load_synonyms(root: Path, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    path = root / "synonyms.yaml"
    data = _read_yaml(path, root, problems)
    if data is None:
        return {}
    table = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        problems.append(Problem(_rel(path, root), "", "synonyms", "must be a mapping"))
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for canonical, forms in table.items():
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            problems.append(
                Problem(_rel(path, root), str(canonical), "synonyms", "must list non-empty strings")
            )
            continue
        out[str(canonical)] = tuple(str(f) for f in forms)
    return out


def _load_safety(root: Path, problems: list[Problem]) -> SafetyConfig | None:
    path = root / "safety.yaml"
    data = _read_yaml(path, root, problems)
    if data is None:
        return None
    try:
        return SafetyConfig.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, _rel(path, root), "safety"))
        return None


def _load_offtopic(root: Path, problems: list[Problem]) -> tuple[str, ...]:
    path = root / "offtopic.yaml"
    if not path.exists():
        return ()
    data = _read_yaml(path, root, problems)
    examples = data.get("examples") if isinstance(data, dict) else None
    if not isinstance(examples, list) or not all(isinstance(x, str) for x in examples):
        problems.append(Problem(_rel(path, root), "", "examples", "must be a list of strings"))
        return ()
    return tuple(examples)


def load_knowledge(root: Path, sources_dir: Path | None = None) -> KnowledgeBase:
    """Load and fully validate the knowledge base under `root`; raise KnowledgeError if broken."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), "", "", "knowledge directory not found")])

    sources = _load_sources(root, problems)
    if sources_dir is not None:
        for src in sources.values():
            if not (sources_dir / src.file).is_file():
                problems.append(
                    Problem("knowledge/sources.yaml", src.id, "file", f"{src.file} not found in {sources_dir}")
                )
    synonyms = _load_synonyms(root, problems)
    safety = _load_safety(root, problems)
    offtopic = _load_offtopic(root, problems)

    entries: list[Entry] = []
    entry_files: dict[str, str] = {}
    faq_dir = root / "faq"
    files = sorted(faq_dir.glob("*.yaml")) if faq_dir.is_dir() else []
    if not files:
        problems.append(Problem(_rel(faq_dir, root), "", "", "no entry files (*.yaml) found"))
    for path in files:
        rel = _rel(path, root)
        data = _read_yaml(path, root, problems)
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
                problems.append(Problem("safety.yaml", "support", "offer",
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
    problems.extend(_check_quizzes(kb))
    if problems:
        raise KnowledgeError(problems)
    return kb


def _check_quizzes(kb: KnowledgeBase) -> list[Problem]:
    """Quizzes are validated by the quiz module when it is present."""
    try:
        from bot import quiz
    except ImportError:
        return []
    loader = getattr(quiz, "load_quizzes", None)
    if loader is None:
        return []
    quizzes, problems = loader(kb)
    kb.quizzes = quizzes
    return problems
