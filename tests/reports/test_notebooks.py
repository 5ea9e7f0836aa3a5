"""The report notebooks: sources and notebooks agree; nbval catches a changed metric;
reports render to HTML and index."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from b2bkit.cli import main

ROOT = Path(__file__).parents[2]
NOTEBOOKS = ROOT / "notebooks"

# Loaded into every Python process (and so into the notebook's kernel) through PYTHONPATH:
# every count of leads comes out one higher, as if the metric had changed.
CHANGE_LEADS = """
import b2bkit.metrics.funnel as funnel
_count = funnel._count_leads
def _plus_one(split, period, column):
    result = _count(split, period, column)
    if column == "created_at":
        result.values = result.values + 1
    return result
funnel._count_leads = _plus_one
"""


NAMES = ["campaign_roi", "cohort_retention_clv", "funnel_diagnosis", "kpi_scorecard",
         "pipeline_forecast", "rep_performance", "strategy_review"]


def drift(py: Path, ipynb: Path) -> str:
    """The first cell where the jupytext source and its notebook disagree (empty: none).

    Only cell types and sources count (outputs and metadata are the notebook's own).
    """
    source = jupytext.read(py, fmt="py:percent").cells
    stored = nbformat.read(ipynb, as_version=4).cells
    for n, (a, b) in enumerate(zip(source, stored, strict=False), start=1):
        if (a.cell_type, a.source) != (b.cell_type, b.source):
            return (f"{py.name} and {ipynb.name} differ at cell {n}: "
                    f"{a.cell_type} {a.source[:40]!r} vs {b.cell_type} {b.source[:40]!r}; "
                    "run `make notebooks`")
    if len(source) != len(stored):
        return (f"{py.name} has {len(source)} cells, {ipynb.name} {len(stored)}; "
                "run `make notebooks`")
    return ""


def test_every_notebook_has_its_source_and_they_agree() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.py")) == NAMES
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == NAMES
    for name in NAMES:
        assert drift(NOTEBOOKS / f"{name}.py", NOTEBOOKS / f"{name}.ipynb") == "", name


def test_drift_names_the_cell_edited_in_the_source_only(tmp_path: Path) -> None:
    py, ipynb = tmp_path / "funnel_diagnosis.py", tmp_path / "funnel_diagnosis.ipynb"
    ipynb.write_bytes((NOTEBOOKS / "funnel_diagnosis.ipynb").read_bytes())
    text = (NOTEBOOKS / "funnel_diagnosis.py").read_text()
    py.write_text(text.replace("nb.data_quality(ds, view)", "nb.data_quality(ds)", 1))
    assert drift(py, ipynb) == (
        "funnel_diagnosis.py and funnel_diagnosis.ipynb differ at cell 4: "
        "code 'nb.data_quality(ds)' vs code 'nb.data_quality(ds, view)'; "
        "run `make notebooks`")
    py.write_text(text + "\n# %%\nprint(1)\n")
    assert drift(py, ipynb) == ("funnel_diagnosis.py has 23 cells, funnel_diagnosis.ipynb 22; "
                                "run `make notebooks`")


@pytest.mark.parametrize("name", NAMES)
def test_a_notebook_opens_with_one_call_and_names_its_parameters(name: str) -> None:
    source = (NOTEBOOKS / f"{name}.py").read_text(encoding="utf-8")
    assert source.count("nb.start(") == 1  # style, data, view, period and the header line
    assert "globals()" not in source and "nb.load(" not in source


def test_notebooks_are_stored_as_jupyter_writes_them() -> None:
    # JupyterLab reads and writes with nbformat: opening a notebook must not change a byte
    for name in NAMES:
        path = NOTEBOOKS / f"{name}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        assert notebook.nbformat_minor == nbformat.current_nbformat_minor, name
        assert all(cell.get("id") for cell in notebook.cells), name
        assert notebook.metadata["jupytext"] == {"formats": "ipynb,py:percent"}, name
        written = io.StringIO()
        nbformat.write(notebook, written)
        assert written.getvalue() == path.read_text(encoding="utf-8"), name


def _nbval(notebook: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", str(notebook)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


@pytest.mark.slow
def test_nbval_fails_when_a_metric_changes(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(CHANGE_LEADS)
    # this checkout's b2bkit after the change (the venv may point at another checkout)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    run = _nbval(NOTEBOOKS / "funnel_diagnosis.ipynb", env)
    assert run.returncode != 0, run.stdout[-2000:]
    # the stored lead count of the demo's 2025-Q4 (627) no longer matches
    assert "627" in run.stdout and "628" in run.stdout, run.stdout[-3000:]


def test_stored_outputs_have_no_volatile_text() -> None:
    for path in NOTEBOOKS.glob("*.ipynb"):
        notebook = json.loads(path.read_text())
        text = json.dumps(notebook["cells"])
        assert " at 0x" not in text, path.name          # memory addresses
        assert "Warning" not in text, path.name         # warnings in outputs
        assert "image/svg" not in text, path.name       # SVG ids change on every run
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["execution_count"] is not None, path.name   # nbval compares
                assert "execution" not in cell["metadata"], path.name  # no timing churn


def test_report_writes_notebooks_html_and_index(demo_reports: Path) -> None:
    rendered = demo_reports
    names = sorted(p.name for p in rendered.iterdir())
    reports = ["campaign_roi", "cohort_retention_clv", "funnel_diagnosis", "kpi_scorecard",
               "pipeline_forecast", "rep_performance", "strategy_review"]
    assert names == sorted([f"{r}.{ext}" for r in reports for ext in ("html", "ipynb")]
                           + ["index.html", "strategy_review_decisions.csv"])
    index = (rendered / "index.html").read_text()
    assert 'href="funnel_diagnosis.html"' in index and "2025-07-01" in index
    # the executive scorecard comes first
    assert index.index("kpi_scorecard.html") < index.index("campaign_roi.html")
    decisions = (rendered / "strategy_review_decisions.csv").read_text().splitlines()
    assert decisions[0].startswith("practice,verdict,reasons,spend,leads")
    page = (rendered / "funnel_diagnosis.html").read_text()
    assert "Of the 479 leads created in 2025-Q3" in page
    assert "funnel.funnel_table(" not in page      # code hidden
    assert 'period: str = "2025-Q4"' not in page   # the parameters cell is removed
    for report in reports:
        text = (rendered / f"{report}.html").read_text()
        assert "Traceback" not in text and "Warning" not in text, report
    assert "are compared at once, so each interval is at" in (
        rendered / "rep_performance.html").read_text()
    # the demo's repeat orders follow BG/NBD's process: the checked fit is shown
    assert "Fitted on" in (rendered / "cohort_retention_clv.html").read_text()


def test_report_bad_parameter_is_a_usage_error(tmp_path: Path, capsys) -> None:
    args = ["report", "--data", str(ROOT / "data" / "demo"), "--period", "2025-Q3",
            "--out", str(tmp_path)]
    assert main([*args, "-p", "colour", "red"]) == 2
    assert "no notebook has a parameter 'colour'" in capsys.readouterr().err
    assert main([*args, "-p", "top", "many"]) == 2
    assert "parameter top must be an int >= 1; not 'many'" in capsys.readouterr().err
    assert main([*args, "-p", "gross_margin", "-1"]) == 2
    assert ("parameter gross_margin must be a number with 0 < x <= 1 (0: as in dataset.toml); "
            "not '-1'") in capsys.readouterr().err
    assert main([*args, "-p", "period", "2025-Q1"]) == 2
    assert ("parameter period is set by the command's --period, not by -p period; "
            "use --period") in capsys.readouterr().err
    assert not (tmp_path / "2025-Q3").exists()  # nothing ran


@pytest.mark.render
def test_failing_notebook_is_named_and_others_render(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.ipynb"
    notebook = json.loads((NOTEBOOKS / "campaign_roi.ipynb").read_text())
    notebook["cells"].insert(3, {"cell_type": "code", "id": "broken", "execution_count": None,
                                 "metadata": {},
                                 "outputs": [], "source": "1 / 0"})
    broken.write_text(json.dumps(notebook))
    code = main(["report", str(broken), str(NOTEBOOKS / "funnel_diagnosis.ipynb"),
                 "--data", str(ROOT / "data" / "demo"), "--period", "2025-Q2",
                 "--out", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err
    # cell 5 of the rendered notebook: papermill adds the injected-parameters cell
    assert "broken.ipynb: cell 5 failed: ZeroDivisionError" in err
    folder = tmp_path / "out" / "2025-Q2"
    assert (folder / "funnel_diagnosis.html").is_file()
    # what the failed one has is kept under a name that says so, never as a report
    assert (folder / "broken.failed.ipynb").is_file()
    assert not (folder / "broken.html").exists() and not (folder / "broken.ipynb").exists()
    assert "failed (cell 5 failed: ZeroDivisionError" in (folder / "index.html").read_text()
    # after the fix, a rerun overwrites cleanly
    broken.write_text((NOTEBOOKS / "campaign_roi.ipynb").read_text())
    assert main(["report", str(broken), "--data", str(ROOT / "data" / "demo"),
                 "--period", "2025-Q2", "--out", str(tmp_path / "out")]) == 0
    assert (folder / "broken.html").is_file() and not list(folder.glob(".*partial*"))


OLIST = ROOT.parent / "shared" / "datasets" / "olist_marketing_funnel"


@pytest.mark.render
@pytest.mark.skipif(not OLIST.is_dir(), reason="the shared Olist export is not on this machine")
def test_funnel_report_on_the_olist_export(tmp_path: Path) -> None:
    from b2bkit.core.periods import Period
    from b2bkit.reports.render import render_reports

    # the map comes from the command's --map (render_reports' column_map), not from -p
    [result] = render_reports([NOTEBOOKS / "funnel_diagnosis.ipynb"], data=str(OLIST),
                              period=Period.parse("2018-Q1"), out=tmp_path, progress=False,
                              column_map=str(ROOT / "examples" / "maps" / "olist.toml"),
                              lenient=True)
    assert result.error is None
    page = (tmp_path / "2018-Q1" / "funnel_diagnosis.html").read_text()
    # Olist has no sql_at and no stage history: those sections say so and the rest renders
    assert "Of the 3,343 leads created in 2018-Q1, 468 (14.0%) reached won" in page
    assert "sql not recorded in this dataset: the steps span it" in page
    assert "no step" not in page.lower()
    assert "every closed deal is won and the average deal is 0.00 BRL" in page
    assert "Stage durations: not available." in page
    assert "Traceback" not in page
