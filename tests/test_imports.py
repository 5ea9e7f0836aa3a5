"""The import graph of b2bkit: no cycle, and no module importing from a higher floor.

Every module of the package is parsed with :mod:`ast`; its imports of b2bkit
modules are collected, at module level and inside functions (imports under
``if TYPE_CHECKING:`` are annotations only and are left out). The floors are
the layering of the package, lowest first: a module may import from its own
floor or lower ones, never from a higher one, and the module-level imports
form no cycle (within a floor either).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import b2bkit

PACKAGE = Path(b2bkit.__file__).parent

#: Lowest first. "metrics.*" is every module of b2bkit.metrics not named elsewhere.
FLOORS = (
    ("errors", "formatting", "stats", "aggregate"),  # no b2bkit import
    ("schema",),  # the data model
    ("asof",),  # the one as_of rule
    ("periods",),
    ("parsing",),
    ("settings",),
    ("sources",),  # reading files and databases as text
    ("layout", "column_map"),
    ("links",),  # foreign-key positions, joins by position
    ("validate",),  # rules of one table and across tables
    ("currency", "warn"),
    ("loading",),  # one table through the loader
    ("cut", "dims"),  # the as_of cut, dimension attribution
    ("customers",),  # the customer lifecycle
    ("quality",),
    ("cache",),  # validated datasets kept between runs
    ("dataset",),  # the Dataset and load_dataset
    ("", "snapshot"),  # the package's own names
    ("metrics._view",),
    ("metrics._base",),
    ("metrics.*",),
    ("metrics",),
    ("glossary", "parameters"),
    ("plots",),
    ("analysis.*",),
    ("analysis",),
    ("notebook",),
    ("report",),
    ("demo", "cli"),  # the command line
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


def _type_checking(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, inside a function) for every b2bkit import of a file."""
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking(child):
                continue
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
    for level, names in enumerate(FLOORS):
        if module in names:
            return level
    for level, names in enumerate(FLOORS):
        for name in names:
            if name.endswith(".*") and module.startswith(name[:-1]):
                return level
    raise KeyError(module)


def test_every_module_has_a_floor():
    missing = [m for m in MODULES if not any(
        m in names or any(n.endswith(".*") and m.startswith(n[:-1]) for n in names)
        for names in FLOORS)]
    assert missing == [], "place these modules on a floor of FLOORS"


def test_the_graph_is_read():
    # a few known edges, so that a parser that finds nothing cannot pass
    assert ("asof", False) in GRAPH["periods"]
    assert ("links", False) in GRAPH["validate"]
    assert ("dataset", True) in GRAPH["cli"]
    assert not any(target == "metrics._view" for target, _ in GRAPH["quality"])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_from_a_higher_floor(module):
    mine = _floor(module)
    upward = sorted({f"{target}{' (in a function)' if inner else ''}"
                     for target, inner in GRAPH[module]
                     if target != module and _floor(target) > mine})
    assert upward == [], f"b2bkit.{module} (floor {mine}) imports from a higher floor"


def test_no_cycle_among_module_level_imports():
    edges = {m: sorted({t for t, inner in GRAPH[m] if not inner and t != m}) for m in MODULES}
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
