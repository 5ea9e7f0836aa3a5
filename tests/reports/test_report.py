"""render_reports: everything is checked before a kernel starts; no password is shown."""

import html
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from b2bkit.core.errors import DatasetError, UsageError
from b2bkit.core.periods import Period
from b2bkit.core.source import shown as redact
from b2bkit.reports.render import clean_html, render_reports, write_index
from tests.conftest import DATA

ROOT = Path(__file__).parents[2]
NOTEBOOKS = ROOT / "notebooks"
MAVEN = DATA / "maven_like"
MAP = ROOT / "examples" / "maps" / "maven.toml"
Q3 = Period.parse("2025-Q3")
Q4_2016 = Period.parse("2016-Q4")  # inside the Maven-like data (as_of 2017-03-11)


def _render(tmp_path: Path, notebooks: list[Path] | None = None, **kwargs) -> list:
    return render_reports(notebooks or [NOTEBOOKS / "rep_performance.ipynb"],
                          data=kwargs.pop("data", str(MAVEN)),
                          period=kwargs.pop("period", Q3),
                          out=kwargs.pop("out", tmp_path / "out"), progress=False,
                          **{"column_map": str(MAP), "lenient": True, **kwargs})


@pytest.mark.parametrize(("name", "flag"), [
    ("period", "--period"), ("data", "--data"), ("output_dir", "--out"),
    ("column_map", "--map"), ("lenient", "--lenient")])
def test_what_a_flag_sets_is_refused_from_p(tmp_path: Path, name, flag) -> None:
    with pytest.raises(UsageError) as info:
        _render(tmp_path, parameters={name: "x"})
    assert str(info.value) == (f"parameter {name} is set by the command's {flag}, not by "
                               f"-p {name}; use {flag}")
    assert info.value.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_out_naming_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "reports.txt"
    target.write_text("keep me")
    with pytest.raises(UsageError, match=r"^--out .*reports\.txt is a file; name a folder "
                                         r"for the reports$"):
        _render(tmp_path, out=target)
    assert target.read_text() == "keep me"


def test_every_value_is_checked_before_a_kernel_starts(tmp_path: Path) -> None:
    notebooks = [NOTEBOOKS / "campaign_roi.ipynb", NOTEBOOKS / "cohort_retention_clv.ipynb"]
    with pytest.raises(UsageError, match=r"^parameter top must be an int >= 1; not '-5'$"):
        _render(tmp_path, notebooks, parameters={"top": "-5"})
    with pytest.raises(UsageError, match=r"^parameter cohort_grain must be one of month, "
                                         r"quarter; not 'week'$"):
        _render(tmp_path, notebooks, parameters={"cohort_grain": "week"})
    with pytest.raises(UsageError, match=r"^no notebook has a parameter 'cohort_grian' \(did "
                                         r"you mean 'cohort_grain'\?\); their parameters "):
        _render(tmp_path, notebooks, parameters={"cohort_grian": "month"})
    # a team is looked up in the data, loaded once for that
    with pytest.raises(UsageError, match=r"^parameter team must be empty or a team of the "
                                         r"data: Central, East; not 'Eats' \(did you mean "
                                         r"'East'\?\)$"):
        _render(tmp_path, parameters={"team": "Eats"})
    assert not (tmp_path / "out").exists()  # nothing ran


def test_the_data_is_loaded_as_validate_loads_it(tmp_path: Path) -> None:
    # a map does not make the load lenient: the Maven excerpt has a blank created_at
    with pytest.raises(DatasetError, match=r"opportunity_id=6CWZFOHJ \(line 5\)"):
        _render(tmp_path, lenient=None)
    assert not (tmp_path / "out").exists()


def _echo_notebook(folder: Path) -> Path:
    notebook = new_notebook(cells=[
        new_code_cell('data = ""\ncolumn_map = ""\nlenient = False', metadata={
            "tags": ["parameters"]}),
        new_code_cell("print(column_map, lenient)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = folder / "echo.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.mark.render
def test_a_relative_map_is_resolved_in_the_callers_folder(tmp_path: Path,
                                                          monkeypatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "crm.toml").write_text(MAP.read_text())
    monkeypatch.chdir(work)
    echo = _echo_notebook(tmp_path)
    [result] = _render(tmp_path, [echo], column_map="crm.toml", out=Path("out"),
                       period=Q4_2016)
    assert result.error is None
    cells = json.loads((work / "out" / "2016-Q4" / "echo.ipynb").read_text())["cells"]
    assert "".join(cells[-1]["outputs"][0]["text"]) == f"{work / 'crm.toml'} True\n"


def test_a_database_password_is_never_shown(tmp_path: Path) -> None:
    url = "postgresql://ann:s3cret@db.example:5432/crm"
    assert redact(url) == "postgresql://ann:***@db.example:5432/crm"
    assert redact("postgresql://ann:s3cret@db.example:notaport/crm") == (
        "postgresql://ann:***@db.example:notaport/crm")
    assert redact("data/demo") == "data/demo"
    index = write_index(tmp_path, [], data=url, period=Q3).read_text()
    assert "s3cret" not in index and "postgresql://ann:***@db.example:5432/crm" in index


@pytest.mark.parametrize(("dirty", "clean"), [
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    ('<table class="dataframe"><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr>'
     "</tbody></table>",
     '<table class="dataframe"><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr>'
     "</tbody></table>"),
    ('<p class="tex2jax_ignore mathjax_ignore">$x$</p>',
     '<p class="tex2jax_ignore mathjax_ignore">$x$</p>'),
    ('<a href="https://example.org" onclick="x()">ok</a>', '<a href="https://example.org">ok</a>'),
])
def test_html_is_sanitised_but_tables_survive(dirty, clean) -> None:
    assert clean_html(dirty) == clean


# -- the index is a landing page -----------------------------------------------------

def test_index_is_a_landing_page_with_headline_quality_and_one_sentence_per_report(
        tmp_path: Path) -> None:
    from b2bkit import sample_dataset
    from b2bkit.reports.render import ANSWERS, Rendered, default_notebooks

    ok = Rendered("kpi_scorecard", tmp_path / "kpi_scorecard.ipynb",
                  html=tmp_path / "kpi_scorecard.html")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# KPI <scorecard>\nEleven metrics.")]), ok.notebook)
    failed = Rendered("funnel_diagnosis", tmp_path / "funnel_diagnosis.failed.ipynb",
                      error="cell 3 failed: ValueError: <script>alert(1)</script>")
    url = "postgresql://ann:s3cret@db.example/crm"
    index = write_index(tmp_path, [ok, failed], data=url, period=Period.parse("2025-Q1"),
                        dataset=sample_dataset()).read_text()
    assert "s3cret" not in index and "<script>alert" not in index
    # the sample has no [targets] and no quarter before 2025-Q1: nothing is judged, and no
    # built-in number stands in for a target
    assert ('<p class="headline">0 of 15 metrics are on target in 2025-Q1. Not judged: '
            "Lead → opportunity conversion (too early to judge), Average deal size (no target)"
            ) in index
    assert ("No metric has a target: dataset.toml gives none and no earlier period has a "
            "value.</p>") in index
    assert ('<p class="coverage">2025-Q1 is incomplete: 74 of 90 days observed (as_of '
            "2025-03-15).</p>") in index
    assert ("<li>engagement: 1 row kept with a warning: exact duplicate of an earlier row</li>"
            "\n<li>rows read 40 = loaded 40 + set aside 0</li>") in index
    assert ('<a href="kpi_scorecard.html"><b>KPI &lt;scorecard&gt;</b></a> (<a href='
            f'"kpi_scorecard.ipynb">notebook</a>)<br><span class="answer">'
            f'{ANSWERS["kpi_scorecard"]}</span>') in index
    assert ('<li class="failed"><b>funnel diagnosis</b>: <span class="mark">failed (cell 3 '
            "failed: ValueError: &lt;script&gt;alert(1)&lt;/script&gt;)</span>") in index
    # the headline comes first, then data quality, then the reports
    assert index.index("Headline") < index.index("Data quality") < index.index("Reports</h2>")
    # one sentence for every report notebook, declared once
    assert sorted(ANSWERS) == sorted(p.stem for p in default_notebooks())
    assert all(sentence.endswith(".") for sentence in ANSWERS.values())


def test_index_headline_sees_the_data_from_the_reports_as_of(tmp_path: Path) -> None:
    # report -p as_of 2025-08-15: the index once judged the dataset from its own as_of
    from b2bkit.analysis.scorecard import scorecard, verdict
    from b2bkit.load.dataset import load_dataset
    from b2bkit.metrics import prepare

    demo = load_dataset(Path(__file__).parents[2] / "data" / "demo")
    as_of = pd.Timestamp("2025-08-15")
    expected = verdict(scorecard(prepare(demo, as_of), Q3), Q3)
    assert expected != verdict(scorecard(prepare(demo), Q3), Q3)
    index = write_index(tmp_path, [], data="data/demo", period=Q3, dataset=demo,
                        as_of=as_of).read_text()
    assert f'<p class="headline">{html.escape(expected)}</p>' in index
    assert "2025-Q3 is incomplete: 46 of 92 days observed (as_of 2025-08-15)" in index


def test_index_without_a_dataset_lists_the_reports_only(tmp_path: Path) -> None:
    index = write_index(tmp_path, [], data="data/demo", period=Q3).read_text()
    assert "Headline" not in index and "<title>Reports 2025-Q3</title>" in index


# -- formulas and titles -------------------------------------------------------------

def test_latex_becomes_mathml_and_dollars_of_money_stay_text() -> None:
    from b2bkit.reports.render import latex_to_mathml

    text, formulas = latex_to_mathml("Costs $10 and $20; $x^2$ and $$a \\over b$$, "
                                     "escaped \\$5$ too.", start=3)
    assert text == ("Costs $10 and $20; b2bkitmath4x and b2bkitmath3x, "
                    "escaped \\$5$ too.")
    assert formulas["b2bkitmath4x"] == ('<math xmlns="http://www.w3.org/1998/Math/MathML" '
                                        'display="inline"><mrow><msup><mi>x</mi><mn>2</mn>'
                                        "</msup></mrow></math>")


@pytest.mark.render
def test_html_has_the_report_title_mathml_and_no_network_script(tmp_path: Path) -> None:
    from b2bkit.reports.render import _to_html

    notebook = new_notebook(cells=[
        new_code_cell('period = "2025-Q4"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("# Funnel <diagnosis>\n\n$$\\frac{n_k}{n_{k-1}}$$"),
        new_code_cell("print('$x^2$ costs $10')", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="$x^2$ costs $10\n")])])
    notebook.metadata["papermill"] = {"parameters": {"period": "2025-Q3"}}
    source = tmp_path / "funnel.ipynb"
    nbformat.write(notebook, source)
    _to_html(source, tmp_path / "funnel.html")
    page = (tmp_path / "funnel.html").read_text()
    assert "<title>Funnel &lt;diagnosis&gt; — 2025-Q3</title>" in page
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mrow><mfrac>' in page
    assert "$x^2$ costs $10" in page          # data text (an output) stays literal
    assert not re.search(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']?https?:", page)
    assert "max-width: 100%" in page and "overflow-x: auto" in page


@pytest.mark.render
def test_a_relative_out_renders_every_notebook_in_parallel(tmp_path: Path, monkeypatch) -> None:
    # `make` runs `b2bkit report ... --out reports`: with two kernels at once, no notebook may
    # depend on the process's working directory (papermill's cwd= changed it for all threads)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    notebooks = [NOTEBOOKS / f"{name}.ipynb" for name in ("kpi_scorecard", "funnel_diagnosis",
                                                          "strategy_review")]
    results = render_reports(notebooks, data=str(ROOT / "data" / "demo"),
                             period=Period.parse("2025-Q3"), out=Path("reports"), jobs=2,
                             progress=False)
    assert [r.error for r in results] == [None, None, None]
    assert Path.cwd() == work
    assert sorted(p.name for p in (work / "reports" / "2025-Q3").glob("*.html")) == [
        "funnel_diagnosis.html", "index.html", "kpi_scorecard.html", "strategy_review.html"]
