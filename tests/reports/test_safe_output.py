"""Strings from the data never become markup or formulas in what b2bkit writes."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.cli import main
from b2bkit.demo import write_demo

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_demo(folder, seed=11, scale=0.2)
    reps = pd.read_csv(folder / "reps.csv", dtype=str)
    reps.loc[0, "name"] = SCRIPT
    reps.loc[1, "team"] = IMG
    reps.to_csv(folder / "reps.csv", index=False)
    campaigns = pd.read_csv(folder / "campaigns.csv", dtype=str)
    campaigns["name"] = campaigns["name"] + " " + SCRIPT
    campaigns.loc[campaigns["practice"] == "webinars", "practice"] = IMG
    campaigns.to_csv(folder / "campaigns.csv", index=False)
    accounts = pd.read_csv(folder / "accounts.csv", dtype=str)
    accounts["segment"] = accounts["segment"].replace({"SMB": SCRIPT})
    accounts.to_csv(folder / "accounts.csv", index=False)
    leads = pd.read_csv(folder / "leads.csv", dtype=str)
    leads["channel"] = leads["channel"].replace({"content": "=HYPERLINK(\"x\")"})
    leads.to_csv(folder / "leads.csv", index=False)
    return folder


@pytest.mark.render
def test_reports_escape_names_from_the_data(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert main(["report", "--data", str(hostile), "--period", "2025", "--out", str(out)]) == 0
    pages = list((out / "2025").glob("*.html"))
    assert len(pages) == 8  # seven reports and the index
    for page in pages:
        text = page.read_text()
        assert "<script>alert(" not in text, page.name
        assert "<img src=x" not in text, page.name
    review = (out / "2025" / "strategy_review.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in review   # shown, as text
    decisions = (out / "2025" / "strategy_review_decisions.csv").read_text()
    assert "'\"><img" not in decisions and "\"><img" in decisions  # not a formula prefix
    campaigns = (out / "2025" / "campaign_roi.html").read_text()
    assert "&lt;script&gt;alert" in campaigns


def test_kpis_csv_neutralises_formulas(hostile: Path, capsys) -> None:
    assert main(["kpis", "--data", str(hostile), "--period", "2025", "--by", "channel",
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "\n2025,\"'=HYPERLINK(\"\"x\"\")\",leads," in out
    assert "\n2025,=HYPERLINK" not in out and ",\"=HYPERLINK" not in out


# -- data text reaches pages as text: never Markdown, LaTeX or HTML ---------------------

LINK = "[click me](javascript:alert(1))"
MATH = "$x^2$"
PROMO = "Promo: $10 off"
PLAIN = 'class="tex2jax_ignore mathjax_ignore"'


def test_say_shows_markdown_latex_and_html_as_text() -> None:
    from b2bkit.reports import notebook as nb

    sentence = nb.say(f"{LINK} and {MATH} cost <b>{PROMO}</b>")
    assert sentence._repr_html_() == (
        f"<p {PLAIN}>[click me](javascript:alert(1)) and $x^2$ cost "
        "&lt;b&gt;Promo: $10 off&lt;/b&gt;</p>")
    assert repr(sentence) == f"{LINK} and {MATH} cost <b>{PROMO}</b>"
    assert nb.say_list([LINK, "<script>"])._repr_html_() == (
        f"<ul {PLAIN}><li>[click me](javascript:alert(1))</li><li>&lt;script&gt;</li></ul>")
    note = nb.missing("Team *West*", f"no rep named {MATH}")
    assert note._repr_html_() == (f"<blockquote {PLAIN}><strong>Team *West*: not available."
                                  "</strong> No rep named $x^2$</blockquote>")
    assert repr(note) == "Team *West*: not available. No rep named $x^2$"


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> Path:
    """A small demo whose names carry a Markdown link, a script, TeX and a dollar."""
    folder = tmp_path_factory.mktemp("marked")
    write_demo(folder, seed=11, scale=0.2)
    reps = pd.read_csv(folder / "reps.csv", dtype=str)
    reps.loc[[0, 1, 2], "name"] = [LINK, MATH, "<script>alert(3)</script>"]
    reps.to_csv(folder / "reps.csv", index=False)
    leads = pd.read_csv(folder / "leads.csv", dtype=str)
    leads["channel"] = leads["channel"].replace({"content": PROMO, "webinar": LINK})
    leads.to_csv(folder / "leads.csv", index=False)
    campaigns = pd.read_csv(folder / "campaigns.csv", dtype=str)
    campaigns["channel"] = campaigns["channel"].replace({"content": PROMO, "webinar": LINK})
    campaigns.loc[campaigns["practice"] == "webinars", "practice"] = MATH
    campaigns.to_csv(folder / "campaigns.csv", index=False)
    return folder


@pytest.mark.render
def test_rendered_pages_show_data_text_literally(marked: Path, tmp_path: Path) -> None:
    import re

    from b2bkit.core.periods import Period
    from b2bkit.reports.render import NOTEBOOKS, render_reports

    results = render_reports(sorted(NOTEBOOKS.glob("*.ipynb")), data=str(marked),
                             period=Period.parse("2025"), out=tmp_path, progress=False)
    assert [r.error for r in results] == [None] * 7   # a $ in a channel crashes no chart
    pages = {p.name: p.read_text() for p in (tmp_path / "2025").glob("*.html")}
    assert len(pages) == 8  # seven reports and the index
    for name, page in pages.items():
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", page, re.I), name
        assert "<script>alert(" not in page, name
        body = page[page.index("<body"):]
        scripts = re.findall(r"<script[^>]*>", body)
        assert all("mathjax" in s.lower() or "application/json" in s for s in scripts), name
        # every output (where data text is) is out of MathJax's reach
        assert body.count('<div class="jp-OutputArea jp-Cell-outputArea">') == 0, name
    reps = pages["rep_performance.html"]
    assert "<td>[click me](javascript:alert(1))</td>" in reps   # shown, as text
    assert "<td>$x^2$</td>" in reps and "<td>&lt;script&gt;alert(3)&lt;/script&gt;</td>" in reps
    assert f"<th>{PROMO}</th>" in pages["funnel_diagnosis.html"]
    assert f"<th>{PROMO}</th>" in pages["campaign_roi.html"]
    assert "$x^2$" in pages["strategy_review.html"]
