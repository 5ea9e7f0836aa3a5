"""Sync the report notebooks from their sources and store the outputs of a run.

Each report notebook is written as a jupytext percent-format script,
``notebooks/<name>.py`` (reviewed and linted as code), paired with
``notebooks/<name>.ipynb``, which carries the outputs of a run on
data/demo that nbval compares on every test run. ``make notebooks`` runs
this script, which for each pair (or the names given):

1. reads the cells of the ``.py`` and rewrites its parameters cell from the
   declarations (:func:`b2bkit.reports.parameters.cell`);
2. carries the cell ids and metadata of the ``.ipynb`` over (jupytext's
   matching of cells, as ``jupytext --sync`` does);
3. executes the notebook in place from ``notebooks/`` with its default
   parameters and no timing metadata;
4. writes the ``.ipynb`` the way Jupyter writes it (nbformat), then the
   ``.py``, so the text file is the newer of the two.

A ``.ipynb`` whose cells differ from its ``.py`` and that is newer than it
was edited outside jupytext (JupyterLab without the extension): the script
stops rather than overwrite that edit.

    python tools/run_notebooks.py [NAME ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs
from nbclient import NotebookClient

from b2bkit.reports import parameters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FORMAT = "py:percent"


def cells_of(notebook) -> list[tuple[str, str]]:
    """The (cell type, source) of every cell: what a pair must agree on."""
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def _source(name: str):
    """The notebook of ``<name>.py``, its parameters cell written from the declarations."""
    notebook = jupytext.read(NOTEBOOKS / f"{name}.py", fmt=FORMAT)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise SystemExit(f"notebooks/{name}.py: {len(tagged)} cells tagged parameters, not 1")
    tagged[0].source = parameters.cell(name)
    return notebook


def run(name: str) -> Path:
    """Sync, execute and store one notebook; the path of its ``.ipynb``."""
    py, ipynb = NOTEBOOKS / f"{name}.py", NOTEBOOKS / f"{name}.ipynb"
    notebook = _source(name)
    if ipynb.exists():
        stored = nbformat.read(ipynb, as_version=4)
        source = jupytext.read(py, fmt=FORMAT)
        if cells_of(stored) != cells_of(source) and ipynb.stat().st_mtime > py.stat().st_mtime:
            raise SystemExit(
                f"notebooks/{name}.ipynb was edited after notebooks/{name}.py: run "
                f"`jupytext --sync notebooks/{name}.ipynb` to keep the edit (it goes to the "
                f".py), or `touch notebooks/{name}.py` to drop it")
        notebook = combine_inputs_with_outputs(notebook, stored, fmt=FORMAT)
    NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    jupytext.write(notebook, ipynb, fmt="ipynb")
    jupytext.write(notebook, py, fmt=FORMAT)
    return ipynb


def main(names: list[str]) -> None:
    available = sorted(path.stem for path in NOTEBOOKS.glob("*.py"))
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise SystemExit(f"no notebook source notebooks/{unknown[0]}.py; "
                         f"there are: {', '.join(available)}")
    for name in names or available:
        print(run(name))


if __name__ == "__main__":
    main(sys.argv[1:])
