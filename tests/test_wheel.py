"""The wheel carries the report notebooks: after a plain install, `b2bkit report` finds them.

The wheel is built from a copy of the sources (nothing is written into the checkout)
and installed without its dependencies into a fresh venv; a .pth file lends it the
dependencies of the running environment, and JUPYTER_PATH its Jupyter data (the
nbconvert templates and the python3 kernel spec that a normal install puts in the
venv). The report runs from a folder outside the checkout.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).parents[1]
NAMES = ["campaign_roi", "cohort_retention_clv", "funnel_diagnosis", "kpi_scorecard",
         "pipeline_forecast",
         "rep_performance", "strategy_review"]


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    run = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300,
                         **kwargs)
    assert run.returncode == 0, (args, run.stdout[-2000:], run.stderr[-3000:])
    return run


def _wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "b2bkit", source / "b2bkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "notebooks", source / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "--no-index", ".", "-w", tmp_path / "dist"], cwd=source)
    [wheel] = (tmp_path / "dist").glob("b2bkit-*.whl")
    return wheel


def test_installed_wheel_renders_a_report_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        packed = sorted(n for n in archive.namelist() if n.startswith("b2bkit/notebooks/"))
        catalogue = archive.read("b2bkit/locale/ru/LC_MESSAGES/b2bkit.mo")  # the Russian reports
    assert packed == [f"b2bkit/notebooks/{name}.ipynb" for name in NAMES]
    assert catalogue == (ROOT / "b2bkit" / "locale" / "ru" / "LC_MESSAGES" / "b2bkit.mo"
                         ).read_bytes()

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
          "--no-index", wheel])
    venv_site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
                     .stdout.strip())
    (venv_site / "b2bkit_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
           "PATH": os.pathsep.join([str(venv / "bin"), os.environ.get("PATH", "")]),
           "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    # the installed package finds its own notebooks (importlib.resources), none in a checkout
    found = json.loads(_run([python, "-c", "import json, b2bkit.reports.render as r; "
                             "print(json.dumps([str(p) for p in r.default_notebooks()]))"],
                            env=env, cwd=elsewhere).stdout)
    packaged = venv_site / "b2bkit" / "notebooks"
    assert found == [str(packaged / f"{name}.ipynb") for name in
                     ["kpi_scorecard", *(n for n in NAMES if n != "kpi_scorecard")]]

    report = _run([venv / "bin" / "b2bkit", "report", packaged / "funnel_diagnosis.ipynb",
                   "--data", ROOT / "data" / "demo", "--period", "2025-Q3", "--out", "out",
                   "--jobs", "1"], env=env, cwd=elsewhere)
    page = elsewhere / "out" / "2025-Q3" / "funnel_diagnosis.html"
    assert page.is_file(), report.stderr[-2000:]
    assert "Of the 479 leads created in 2025-Q3" in page.read_text()
    assert (elsewhere / "out" / "2025-Q3" / "index.html").is_file()


def test_no_notebook_found_is_a_usage_error_not_an_empty_success(monkeypatch, tmp_path: Path,
                                                                  capsys) -> None:
    import b2bkit.reports.render as report
    from b2bkit.cli import main

    monkeypatch.setattr(report, "NOTEBOOKS", tmp_path)
    assert main(["report", "--data", str(ROOT / "data" / "demo"), "--period", "2025-Q3",
                 "--out", str(tmp_path / "out")]) == 2
    assert f"no report notebooks in {tmp_path}; name the notebooks to render" in (
        capsys.readouterr().err)
    assert not (tmp_path / "out").exists()
