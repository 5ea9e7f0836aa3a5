"""The import graph of b2bkit: no cycle, and no module importing from a higher floor.

Every module of the package is parsed with :mod:`ast`; its imports of b2bkit
modules are collected, at module level, inside functions and under ``if
TYPE_CHECKING:`` alike (an annotation is a dependency too). The floors are the
folders of the package, lowest first (the README's "How the code is laid
out"): a module may import from its own folder or lower ones, never from a
higher one, and the imports form no cycle, not even inside one folder.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import b2bkit

PACKAGE = Path(b2bkit.__file__).parent

#: Lowest first: a folder of b2bkit (every module in it), or a module at its root.
FLOORS = (
    ("core",),  # the data model, errors, periods, as_of, formatting, what a source is
    ("load",),  # folder or database -> validated Dataset; the cache store
    ("",),  # the package's own names (b2bkit.load_dataset, ...)
    ("view",),  # the dataset seen from as_of: cut, dimensions, customers, the View
    ("metrics",),  # the catalogue and its glossary
    ("analysis",),  # the report tables and sentences, statistics
    ("plots",),  # charts
    ("reports",),  # notebook helpers, parameters, rendering, the HTML finish
    ("demo", "cli"),  # the demo generator and the command line
)


def _modules() -> dict[str, Path]:
    """Module names relative to b2bkit ("" for the package itself) and their files."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _resolve(dotted: str) -> str:
    """The b2bkit module an import names (``b2bkit.metrics.prepare`` -> ``metrics``)."""
    name = dotted.removeprefix("b2bkit").removeprefix(".")
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, inside a function) for every b2bkit import of a file."""
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((_resolve(a.name), inner) for a in child.names
                             if a.name.split(".")[0] == "b2bkit")
            elif (isinstance(child, ast.ImportFrom) and child.level == 0 and child.module
                  and child.module.split(".")[0] == "b2bkit"):
                for alias in child.names:
                    full = f"{child.module}.{alias.name}"
                    found.append((_resolve(full), inner))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _floor(module: str) -> int:
    """The floor of a module: that of its folder (``load.cache`` -> ``load``), or its own."""
    top = module.split(".")[0]
    for level, names in enumerate(FLOORS):
        if top in names:
            return level
    raise KeyError(module)


def test_every_module_has_a_floor():
    missing = [m for m in MODULES if not any(m.split(".")[0] in names for names in FLOORS)]
    assert missing == [], "place these modules on a floor of FLOORS"


def test_at_most_six_modules_at_the_root():
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= 6, root
    folders = {m.split(".")[0] for m in MODULES if "." in m}
    assert folders == {"core", "load", "view", "metrics", "analysis", "reports"}


def test_the_graph_is_read():
    # a few known edges, so that a parser that finds nothing cannot pass
    assert ("core.asof", False) in GRAPH["core.periods"]
    assert ("load.links", False) in GRAPH["load.validate"]
    assert ("load.dataset", True) in GRAPH["cli"]
    assert not any(target.startswith("view") for target, _ in GRAPH["load.quality"])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_from_a_higher_floor(module):
    mine = _floor(module)
    upward = sorted({f"{target}{' (in a function)' if inner else ''}"
                     for target, inner in GRAPH[module]
                     if target != module and _floor(target) > mine})
    assert upward == [], f"b2bkit.{module} (floor {mine}) imports from a higher floor"


def test_no_cycle_among_module_level_imports():
    # a function-level import of the same folder still may not close a circle
    edges = {m: sorted({t for t, _ in GRAPH[m] if t != m and not (t == "" or m == "")})
             for m in MODULES}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in edges[module]:
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[module] = 2
        path.pop()
        return None

    for module in sorted(edges):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, " -> ".join(cycle)
