"""The core's import direction, read from the source with `ast` (lazy imports inside functions
and imports under `if TYPE_CHECKING:` count too).

Lower layers never import higher ones, nothing imports in a cycle, and no core module but the
composition root (`bot.app`) reaches for a platform or an adapter.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests import REPO

ROOT = REPO

# Each module (or package prefix) and the layer it sits in; a module may import only from its
# own layer or lower ones, and within a layer only without cycles.
LAYERS: list[tuple[int, tuple[str, ...]]] = [
    (0, ("bot.replies", "bot.config", "bot.markup", "bot.text", "bot.commands", "bot.kb.models", "bot.vectors",
         "bot.facade",
         "bot.limits", "bot.scanning", "bot.bm25", "bot.results", "bot.scoring",
         "bot.kb.problems", "bot.kb", "bot.store", "bot.embeddings", "bot.quantized", "bot.chitchat",
         "bot.blas", "bot.compiled", "bot.recent")),
    (1, ("bot.quiz.schema", "bot.quiz.engine", "bot.quiz.checks", "bot.quiz.render", "bot.quiz",
         "bot.kb.loader", "bot.semantic", "bot.wellbeing")),
    (2, ("bot.matching", "bot.views")),
    (3, ("bot.quiz.sessions", "bot.quiz.writer", "bot.moderation", "bot.privacy", "bot.render",
         "bot.host")),
    (4, ("bot.service",)),
    (5, ("bot.app",)),
    (6, ("bot.cli", "bot.__main__")),
]
PLATFORMS = ("discord", "slack_bolt", "slack_sdk", "aiohttp", "adapters")
# Adapters see the core only through these (the service is passed in, typed by its Protocol).
ADAPTER_MAY_IMPORT = ("bot.replies", "bot.commands", "bot.config", "bot.markup", "bot.kb.models",
                      "bot.facade")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def runtime_imports(path: Path) -> set[str]:
    """Every import in the file: top-level, lazy (inside functions) and for type checking alike,
    since a cycle through annotations is a cycle a reader has to untangle too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for layer, names in LAYERS:
        for name in names:
            if (module == name or module.startswith(name + ".")) and (
                best is None or len(name) > best[0]
            ):
                best = (len(name), layer)
    return None if best is None else best[1]


def core_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / "bot").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in runtime_imports(path):
            # `from bot.cli import ask` names a module; `from bot.store import Store` a package.
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def test_every_core_module_has_a_layer():
    assert [m for m in core_graph() if layer_of(m) is None and m != "bot"] == []


def test_no_core_module_imports_a_higher_layer():
    wrong = []
    for module, targets in core_graph().items():
        for target in targets:
            low, high = layer_of(module), layer_of(target)
            if low is not None and high is not None and high > low:
                wrong.append(f"{module} (layer {low}) imports {target} (layer {high})")
    assert wrong == []


def test_the_core_has_no_import_cycles():
    graph = core_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    # A package's __init__ re-exporting its own submodules is not a cycle worth reporting.
    real = [c for c in cycles if not all(m.startswith(c[0].rsplit(".", 1)[0]) for m in c)
            or len({m for m in c}) > 2]
    assert real == []


def test_only_the_composition_root_imports_platforms_or_adapters():
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if module_name(path) == "bot.app":
            continue
        for imported in runtime_imports(path):
            if imported.split(".")[0] in PLATFORMS:
                offenders.append(f"{module_name(path)} imports {imported}")
    assert offenders == []


def test_adapters_use_only_the_cores_neutral_types():
    offenders = []
    for path in (ROOT / "adapters").glob("*.py"):
        for imported in runtime_imports(path):
            if imported.startswith("bot") and not imported.startswith(ADAPTER_MAY_IMPORT):
                offenders.append(f"{module_name(path)} imports {imported}")
    assert offenders == []


SQL_CALLS = {"execute", "executemany", "execute_fetchall", "executescript", "fetchall", "fetchone"}


def test_all_sql_lives_in_the_store():
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if module_name(path).startswith("bot.store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS):
                offenders.append(f"{module_name(path)}:{node.lineno} calls .{node.func.attr}()")
    assert offenders == []
