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


def test_reports_escape_names_from_the_data(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert main(["report", "--data", str(hostile), "--period", "2025", "--out", str(out)]) == 0
    pages = list((out / "2025").glob("*.html"))
    assert len(pages) == 7  # six reports and the index
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
