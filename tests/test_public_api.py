"""The package is sealed: no module imports another package's private names.

A private module (``b2bkit.metrics._base``) may be imported only by the
modules of its own package (``b2bkit.metrics.*``); a private name
(``_links``) only from a module of the importer's own package. Notebooks
are outside every package: they use public names only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _package(module: str, path: Path) -> str:
    """The package a module belongs to (a package's ``__init__`` belongs to itself)."""
    if path.name == "__init__.py":
        return module
    return module.rpartition(".")[0]


def _private(part: str) -> bool:
    # ``_`` is gettext's public name for "translate" (b2bkit.core.i18n), not a private one
    return part.startswith("_") and not part.startswith("__") and part != "_"


def violations(source: str, module: str, package: str) -> list[str]:
    """Private imports of ``source`` that cross a package boundary.

    >>> violations("from b2bkit.metrics._base import Split", "b2bkit.cli", "b2bkit")
    ["b2bkit.cli imports private module 'b2bkit.metrics._base'"]
    >>> violations("from b2bkit.metrics._base import Split", "b2bkit.metrics.sales",
    ...            "b2bkit.metrics")
    []
    >>> violations("from b2bkit.load.dataset import _links", "b2bkit.view.view", "b2bkit.metrics")
    ["b2bkit.view.view imports private name '_links' from 'b2bkit.load.dataset'"]
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [(node.module, alias.name) for alias in node.names]
        else:
            continue
        for target, name in targets:
            if not target.startswith("b2bkit"):
                continue
            parts = target.split(".")
            for i, part in enumerate(parts):
                owner = ".".join(parts[:i])
                if _private(part) and package != owner and not package.startswith(owner + "."):
                    found.append(f"{module} imports private module {target!r}")
                    break
            else:
                if name is not None and _private(name):
                    owner = target if (ROOT / Path(*parts) / "__init__.py").exists() \
                        else target.rpartition(".")[0]
                    if package != owner:
                        found.append(f"{module} imports private name {name!r} from {target!r}")
    return found


SOURCES = sorted((ROOT / "b2bkit").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.py"))


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_no_private_import_across_packages(path: Path) -> None:
    module = _module_name(path)
    package = "(notebook)" if path.parent.name == "notebooks" else _package(module, path)
    assert violations(path.read_text(encoding="utf-8"), module, package) == []


def test_a_private_import_is_caught() -> None:
    source = "from b2bkit.metrics._base import Missing\nfrom b2bkit.metrics.sales import _opps\n"
    assert violations(source, "b2bkit.analysis.funnel", "b2bkit.analysis") == [
        "b2bkit.analysis.funnel imports private module 'b2bkit.metrics._base'",
        "b2bkit.analysis.funnel imports private name '_opps' from 'b2bkit.metrics.sales'",
    ]
    assert violations(source, "notebook", "(notebook)") != []
