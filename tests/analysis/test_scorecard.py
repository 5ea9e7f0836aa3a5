"""Scorecard targets are quarterly and apply to a period of any kind; readers see labels."""

import math

import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.analysis.scorecard import scorecard, shown, targets_for, verdict
from b2bkit.metrics import prepare

TARGETS = {"retention_rate": 0.9, "revenue_growth": 0.03, "win_rate": 0.45, "cpl": 200.0}


@pytest.mark.parametrize(("period", "retention", "growth"), [
    ("2025-Q1", 0.9, 0.03),
    ("2025-02", 0.9 ** (1 / 3), 1.03 ** (1 / 3) - 1),          # 0.96549, 0.00990
    ("2025", 0.9 ** 4, 1.03 ** 4 - 1),                         # 0.6561, 0.12551
    ("2025-W06", 0.9 ** (7 / 91.3125), 1.03 ** (7 / 91.3125) - 1),
])
def test_targets_scale_to_the_period_kind(period, retention, growth) -> None:
    scaled = targets_for(TARGETS, period)
    assert math.isclose(scaled["retention_rate"], retention, rel_tol=1e-12)
    assert math.isclose(scaled["revenue_growth"], growth, rel_tol=1e-12)
    assert (scaled["win_rate"], scaled["cpl"]) == (0.45, 200.0)   # ratios, not per period


def test_a_month_report_does_not_get_quarterly_targets() -> None:
    view = prepare(sample_dataset())
    card = scorecard(view, "2025-02", TARGETS).set_index("metric")
    assert round(card.loc["retention_rate", "target"], 5) == 0.96549
    assert round(card.loc["revenue_growth", "target"], 5) == 0.0099
    assert card.loc["win_rate", "target"] == 0.45
    quarter = scorecard(view, "2025-Q1", TARGETS).set_index("metric")
    assert quarter.loc["retention_rate", "target"] == 0.9
    # targets stated per month are taken as they are for a month
    monthly = scorecard(view, "2025-02", TARGETS, per="month").set_index("metric")
    assert monthly.loc["retention_rate", "target"] == 0.9


def test_shown_uses_labels_and_percentage_points() -> None:
    card = pd.DataFrame({"metric": ["win_rate", "cpl"], "unit": ["rate", "currency"],
                         "value": [0.5, 210.0], "previous": [0.45, 200.0],
                         "change": [0.05, 10.0], "target": [0.45, 200.0],
                         "status": ["on target", "above target"], "note": ["", ""]})
    table = shown(card, "CHF")
    assert list(table["metric"]) == ["Win rate", "Cost per lead"]
    assert list(table["change"]) == ["+5.0 pp", "+10.00 CHF"]
    assert list(table["value"]) == ["50.0%", "210.00 CHF"]
    assert list(table["status"]) == ["on target", "▼ above target"]
    assert verdict(card, "2025-Q1") == ("1 of 2 metrics are on target in 2025-Q1. "
                                        "Missed: Cost per lead.")


def test_history_without_leads_draws_only_what_has_values() -> None:
    from b2bkit.analysis.scorecard import history, history_drawn, history_gaps
    from b2bkit.load.dataset import from_frames
    from b2bkit.metrics import prepare

    # a dataset of two won deals and nothing else: no leads, spend, orders or NPS answers
    opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "account_id": ["A1", "A1"],
                         "created_at": pd.to_datetime(["2025-01-05", "2025-04-02"]),
                         "closed_at": pd.to_datetime(["2025-02-01", "2025-05-03"]),
                         "status": ["won", "won"], "amount": [100.0, 300.0]})
    view = prepare(from_frames({"opportunities": opps}))
    trend = history(view, "2025-Q2", names=("bookings", "nps", "cpl"), periods=2)
    assert trend["bookings"].tolist() == [100.0, 300.0]
    assert history_drawn(trend).columns.tolist() == ["bookings"]
    assert history_gaps(trend) == ("No value in 2025-Q1 to 2025-Q2, so not drawn: "
                                   "Net Promoter Score, Cost per lead.")
    assert history_gaps(trend[["bookings"]]) == ""
