"""The HTML reports stand alone: no script or stylesheet from the network, formulas as
MathML, titles that name the report and period, tables that fit, the dataset's currency."""

import re

import pytest

from b2bkit.core.periods import Period
from b2bkit.demo import write_demo
from b2bkit.reports.render import default_notebooks, render_reports

pytestmark = pytest.mark.render

REPORTS = ["campaign_roi", "cohort_retention_clv", "funnel_diagnosis", "kpi_scorecard",
           "pipeline_forecast", "rep_performance", "strategy_review"]
TITLES = {"campaign_roi": "Campaign ROI comparison",
          "cohort_retention_clv": "Cohort retention and customer lifetime value",
          "funnel_diagnosis": "Funnel diagnosis", "kpi_scorecard": "KPI scorecard",
          "pipeline_forecast": "Pipeline forecast",
          "rep_performance": "Sales-rep performance",
          "strategy_review": "Strategy review: keep, optimize or drop"}
#: Display formulas ($$ ... $$) in the Markdown of each notebook, counted by hand.
FORMULAS = {"campaign_roi": 4, "cohort_retention_clv": 5, "funnel_diagnosis": 3,
            "kpi_scorecard": 0, "pipeline_forecast": 2, "rep_performance": 2,
            "strategy_review": 2}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """Every page of a small demo in Swiss francs, rendered for 2025-Q3."""
    data = tmp_path_factory.mktemp("chf")
    write_demo(data, seed=5, scale=0.2)
    settings = data / "dataset.toml"
    settings.write_text(settings.read_text().replace('currency = "USD"', 'currency = "CHF"'))
    out = tmp_path_factory.mktemp("out")
    results = render_reports(default_notebooks(), data=str(data),
                             period=Period.parse("2025-Q3"), out=out, progress=False)
    assert [r.error for r in results] == [None] * 7
    return {p.stem: p.read_text() for p in (out / "2025-Q3").glob("*.html")}


def test_no_script_or_stylesheet_comes_from_the_network(pages) -> None:
    assert sorted(pages) == sorted([*REPORTS, "index"])
    for name, page in pages.items():
        tags = re.findall(r"<(?:script|link)\b[^>]*>", page, re.I)
        assert not [t for t in tags if re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//",
                                                 t, re.I)], name
        assert "mathjax" not in page.lower().replace("mathjax_ignore", ""), name
        assert "require.js" not in page and "require.min.js" not in page, name
        assert "@import" not in page, name


def test_formulas_are_mathml_not_tex(pages) -> None:
    for name in REPORTS:
        page = pages[name]
        body = page[page.index("<body"):]
        assert body.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">'
                          ) == FORMULAS[name], name
        assert "$$" not in body and r"\frac" not in body, name
    review = pages["strategy_review"]
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in review
    assert "<mfrac>" in pages["funnel_diagnosis"]


def test_titles_name_the_report_and_period(pages) -> None:
    for name in REPORTS:
        assert f"<title>{TITLES[name]} — 2025-Q3</title>" in pages[name]
    assert "<title>Notebook</title>" not in "".join(pages.values())


def test_tables_fit_the_page(pages) -> None:
    for name in REPORTS:
        css = pages[name]
        assert re.search(r"body \.jp-RenderedHTMLCommon table \{[^}]*max-width: 100%;[^}]*"
                         r"overflow-x: auto;", css), name


def test_money_is_in_the_datasets_currency(pages) -> None:
    for name, page in pages.items():
        text = re.sub(r"<[^>]+>", " ", page[page.index("<body"):])
        words = re.findall(r"\b(?:USD|EUR|euros?|dollars?)\b|[€]", text, re.I)
        assert words == [], (name, words)
    for name in ("campaign_roi", "kpi_scorecard", "rep_performance", "strategy_review",
                 "funnel_diagnosis", "cohort_retention_clv"):
        assert " CHF" in pages[name], name
