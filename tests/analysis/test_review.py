"""The keep / optimize / drop rules: every branch and boundary, age-matched, with intervals."""

import math
from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.review import (
    NOT_JUDGED,
    TOO_EARLY,
    Thresholds,
    classify,
    decision_table,
    maturity_sentence,
    projection_table,
    summary_paragraph,
)

RULES = Thresholds(roi_target=0.0, quality_target=0.2, trend_margin=0.25)
NAN = math.nan


def evidence(leads=100, spend=1000.0, roi=0.5, quality=0.3, low=0.22, high=0.4, change=0.0,
             age=92) -> dict:
    return {"leads": leads, "spend": spend, "roi": roi, "lead_quality": quality,
            "quality_low": low, "quality_high": high, "roi_change": change, "age": age}


BELOW = {"quality": 0.1, "low": 0.05, "high": 0.19}
STRADDLE = {"quality": 0.2, "low": 0.12, "high": 0.3}


@pytest.mark.parametrize(("case", "verdict"), [
    # too early: the period is mature at fewer than 30 days (boundary 29 vs 30)
    (evidence(age=29), TOO_EARLY),
    (evidence(age=-5, roi=-1.0, **BELOW), TOO_EARLY),
    (evidence(age=30), "keep"),
    # too little data: no spend, no leads, or an interval straddling the target with ROI missed
    (evidence(spend=0.0), "too little data"),
    (evidence(spend=NAN), "too little data"),
    (evidence(leads=0), "too little data"),
    (evidence(roi=-0.1, **STRADDLE), "too little data"),
    # keep: ROI at target (inclusive) and the whole interval at or above the target
    (evidence(roi=0.0, low=0.2), "keep"),
    # optimize: ROI met but quality below or unclear; quality clearly above but ROI missed
    (evidence(roi=0.0, low=0.19), "optimize"),
    (evidence(roi=0.5, **BELOW), "optimize"),
    (evidence(roi=-0.01), "optimize"),
    (evidence(roi=NAN), "optimize"),
    # neither met: optimize only when ROI improved by at least the margin (boundary 0.25)
    (evidence(roi=-0.5, change=0.25, **BELOW), "optimize"),
    (evidence(roi=-0.5, change=0.24, **BELOW), "drop"),
    (evidence(roi=-0.5, change=NAN, **BELOW), "drop"),
    (evidence(roi=NAN, change=NAN, **BELOW), "drop"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_each_branch_and_boundary(case, verdict) -> None:
    assert classify(case, RULES)[0] == verdict


def test_reasons_are_written_from_the_numbers() -> None:
    assert classify(evidence(age=12), RULES)[1] == (
        "the period is mature at 12 days only; a verdict needs 30 days after its end")
    assert classify(evidence(roi=1.5, quality=0.35, low=0.26, high=0.45), RULES)[1] == (
        "ROI@92 1.50 ≥ target 0.00; lead quality@92 35.0% (26.0%–45.0%) ≥ target 20.0%")
    assert classify(evidence(roi=-0.1, leads=40, **STRADDLE), RULES)[1] == (
        "ROI@92 -0.10 < target 0.00; lead quality@92 20.0% (12.0%–30.0%) could be on either "
        "side of target 20.0% (40 leads): too few leads to tell")
    assert classify(evidence(roi=-0.5, change=0.4, **BELOW), RULES)[1].endswith(
        "but ROI@92 improved by 0.40")
    assert classify(evidence(roi=-0.5, change=-0.1, **BELOW), RULES)[1].endswith(
        "ROI@92 change -0.10 is not an improvement of 0.25")


def _table(verdicts: list[str], spend: list[float], age: int = 92) -> pd.DataFrame:
    return pd.DataFrame({"practice": [f"p{i}" for i in range(len(verdicts))],
                         "verdict": verdicts, "spend": spend, "age": age})


def test_summary_names_the_age_and_what_dropping_frees() -> None:
    text = summary_paragraph(_table(["keep", "drop", NOT_JUDGED], [1.0, 250.0, 9.0]), "2025-Q3",
                             currency="USD")
    assert text == ("In 2025-Q3, judged at 92 days after the period end (roi@92, "
                    "lead_quality@92): keep p0 — they pay back and bring good leads. Drop p1: "
                    "neither return nor lead quality clears its target and the trend does not "
                    "help; that frees 250.00 USD. Leads and spend without a practice are shown, "
                    "not judged.")


def test_summary_of_a_young_period_never_drops() -> None:
    text = summary_paragraph(_table([TOO_EARLY, TOO_EARLY], [1.0, 2.0], age=0), "2025-Q4")
    assert text == ("It is too early to judge 2025-Q4: its leads have not had 30 days since the "
                    "period ended, so no practice is kept or dropped yet (p0, p1).")


@pytest.fixture(scope="module")
def demo():
    from b2bkit import load_dataset
    from b2bkit.metrics import prepare

    return prepare(load_dataset(Path(__file__).parents[2] / "data" / "demo"), "2025-12-31")


def test_demo_young_quarter_is_too_early(demo) -> None:
    table = decision_table(demo, "2025-Q4", Thresholds()).set_index("practice")
    assert "drop" not in set(table["verdict"])
    assert table.loc["(unknown)", "verdict"] == NOT_JUDGED
    assert (table.drop(index="(unknown)")["verdict"] == TOO_EARLY).all()
    assert table.index[-1] == "(unknown)"
    text = summary_paragraph(table.reset_index(), "2025-Q4", currency="USD")
    assert "frees" not in text and "too early to judge 2025-Q4" in text
    assert maturity_sentence(demo, "2025-Q4") == (
        "It is too early to judge 2025-Q4: as of 2025-12-31 it is mature at 0 days only (a "
        "verdict needs 30 days after the period ends); its values below are compared with "
        "2025-Q3 at 0 days and will still grow.")


def test_demo_mature_quarter_is_judged_at_a_named_age(demo) -> None:
    table = decision_table(demo, "2025-Q3", Thresholds()).set_index("practice")
    assert (table["age"] == 92).all()  # Q3 ends 09-30: 92 days before 12-31; Q2 is older
    assert table.loc["webinars", "verdict"] == "keep"
    assert table.loc["content_marketing", "verdict"] == "optimize"  # ROI ok, quality below
    assert table.loc["trade_shows", "verdict"] == "too little data"  # interval straddles 20%
    assert maturity_sentence(demo, "2025-Q3").startswith(
        "2025-Q3 and 2025-Q2 are compared at the same age: 92 days")


def test_projection_table_is_labelled(demo) -> None:
    table = projection_table(demo, "2025-Q4")
    assert table["metric"].tolist() == ["roi", "lead_conversion_rate", "lead_quality",
                                        "opportunity_conversion_rate"]
    assert (table["label"] == "projection").all()
    assert (table["low"] <= table["projection"]).all() and (
        table["projection"] <= table["high"]).all()


def test_verdict_changes_put_the_earlier_verdict_beside_each_practice() -> None:
    from b2bkit import load_dataset
    from b2bkit.analysis.review import Thresholds, decision_table, verdict_changes
    from b2bkit.core.periods import Period
    from b2bkit.metrics import prepare

    view = prepare(load_dataset(Path(__file__).parents[2] / "data" / "demo"))
    rules = Thresholds()
    table = decision_table(view, "2025-Q3", rules)
    moved = verdict_changes(view, table, "2025-Q2", rules)
    earlier = decision_table(view, "2025-Q2", rules, Period.parse("2025-Q1"))
    assert list(moved.columns) == ["practice", "verdict", "verdict in 2025-Q2"]
    assert moved["practice"].tolist() == table["practice"].tolist()
    assert moved["verdict in 2025-Q2"].tolist() == earlier.set_index("practice")[
        "verdict"].reindex(table["practice"]).tolist()
