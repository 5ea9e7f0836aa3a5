"""Opening a report notebook in JupyterLab changes nothing: its kernelspec is ipykernel's."""

import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_stored_kernelspec_is_what_ipykernel_registers(path: Path) -> None:
    from ipykernel.kernelspec import KERNEL_NAME, get_kernel_dict

    registered = get_kernel_dict()
    stored = nbformat.read(path, as_version=4).metadata["kernelspec"]
    assert stored == {"display_name": registered["display_name"],
                      "language": registered["language"], "name": KERNEL_NAME}
    # the jupytext source carries the same, so a sync does not flip it back
    assert f"#     display_name: {registered['display_name']}\n" in path.with_suffix(
        ".py").read_text(encoding="utf-8")


def test_checkpoints_are_ignored_by_git() -> None:
    result = subprocess.run(["git", "check-ignore", "-q",
                             "notebooks/.ipynb_checkpoints/kpi_scorecard-checkpoint.ipynb"],
                            cwd=ROOT, check=False)
    assert result.returncode == 0


def test_make_lab_runs_as_root() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)" in makefile
