"""The keep / optimize / drop rules: every branch and every boundary."""

import math

import pytest

from b2bkit.analysis.review import Thresholds, classify, decision_table, summary_paragraph

RULES = Thresholds(roi_target=0.0, quality_target=0.2, min_leads=30, trend_margin=0.25)
NAN = math.nan


def evidence(leads=100, spend=1000.0, roi=0.5, quality=0.3, change=0.0) -> dict:
    return {"leads": leads, "spend": spend, "roi": roi, "lead_quality": quality,
            "roi_change": change}


@pytest.mark.parametrize(("case", "verdict"), [
    # too little data: leads below the minimum (boundary: 29 vs 30), none, no spend
    (evidence(leads=29), "too little data"),
    (evidence(leads=30), "keep"),
    (evidence(leads=0), "too little data"),
    (evidence(leads=NAN), "too little data"),
    (evidence(spend=0.0), "too little data"),
    (evidence(spend=NAN), "too little data"),
    # keep: both targets met, boundaries inclusive
    (evidence(roi=0.0, quality=0.2), "keep"),
    # optimize: exactly one target met
    (evidence(roi=-0.01, quality=0.2), "optimize"),
    (evidence(roi=0.0, quality=0.19), "optimize"),
    (evidence(roi=NAN, quality=0.5), "optimize"),
    # neither met: optimize only when ROI improved by at least the margin (boundary 0.25)
    (evidence(roi=-0.5, quality=0.1, change=0.25), "optimize"),
    (evidence(roi=-0.5, quality=0.1, change=0.24), "drop"),
    (evidence(roi=-0.5, quality=0.1, change=-1.0), "drop"),
    (evidence(roi=-0.5, quality=0.1, change=NAN), "drop"),
    (evidence(roi=NAN, quality=NAN, change=NAN), "drop"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_each_branch_and_boundary(case, verdict) -> None:
    assert classify(case, RULES)[0] == verdict


def test_reasons_are_written_from_the_numbers() -> None:
    assert classify(evidence(leads=12), RULES)[1] == "only 12 leads (fewer than 30 to judge)"
    assert classify(evidence(roi=1.5, quality=0.35), RULES)[1] == (
        "ROI 1.50 ≥ target 0.00; lead quality 35.0% ≥ target 20.0%")
    assert classify(evidence(roi=-0.5, quality=0.1, change=0.4), RULES)[1].endswith(
        "but ROI improved by 0.40")
    assert classify(evidence(roi=-0.5, quality=0.1, change=-0.1), RULES)[1].endswith(
        "ROI change -0.10 is not an improvement of 0.25")


def test_demo_year_sorts_the_planted_practices() -> None:
    from pathlib import Path

    from b2bkit import load_dataset
    from b2bkit.metrics import prepare

    view = prepare(load_dataset(Path(__file__).parents[2] / "data" / "demo"))
    table = decision_table(view, "2025", Thresholds()).set_index("practice")
    assert table.loc["webinars", "verdict"] == "keep"
    assert table.loc["paid_search", "verdict"] == "optimize"
    assert table.loc["trade_shows", "verdict"] == "drop"
    text = summary_paragraph(table.reset_index(), "2025", currency="USD")
    assert "Drop trade_shows" in text and "webinars" in text
