"""tools/run_notebooks.py (`make notebooks`): the parameters cell comes from the
declarations, and an edit made to a .ipynb alone is never overwritten."""

import importlib.util
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from b2bkit.reports.parameters import cell

ROOT = Path(__file__).parents[2]


@pytest.fixture
def tool(tmp_path: Path, monkeypatch):
    spec = importlib.util.spec_from_file_location("run_notebooks",
                                                  ROOT / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for suffix in (".py", ".ipynb"):
        shutil.copy(ROOT / "notebooks" / f"campaign_roi{suffix}", tmp_path)
    monkeypatch.setattr(module, "NOTEBOOKS", tmp_path)
    return module


def test_the_parameters_cell_is_written_from_the_declarations(tool, tmp_path: Path) -> None:
    py = tmp_path / "campaign_roi.py"
    py.write_text(py.read_text().replace("top: int = 10", "top: int = 99"))
    notebook = tool._source("campaign_roi")
    [params] = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert params.source == cell("campaign_roi")
    assert "top: int = 10  # campaigns to show in the ranking" in params.source


def test_an_edit_made_in_the_notebook_only_stops_the_run(tool, tmp_path: Path) -> None:
    ipynb = tmp_path / "campaign_roi.ipynb"
    notebook = nbformat.read(ipynb, as_version=4)
    notebook.cells[0].source += "\n\nA sentence added in JupyterLab."
    nbformat.write(notebook, ipynb)
    py_time = (tmp_path / "campaign_roi.py").stat().st_mtime
    os.utime(ipynb, (py_time + 10, py_time + 10))
    with pytest.raises(SystemExit) as stopped:
        tool.run("campaign_roi")
    assert str(stopped.value) == (
        "notebooks/campaign_roi.ipynb was edited after notebooks/campaign_roi.py: run "
        "`jupytext --sync notebooks/campaign_roi.ipynb` to keep the edit (it goes to the .py), "
        "or `touch notebooks/campaign_roi.py` to drop it")
    assert "A sentence added in JupyterLab." in ipynb.read_text()  # untouched


def test_an_unknown_name_lists_the_notebooks(tool) -> None:
    with pytest.raises(SystemExit) as stopped:
        tool.main(["campaign"])
    assert str(stopped.value) == ("no notebook source notebooks/campaign.py; "
                                  "there are: campaign_roi")
