"""Row dimensions through the links (b2bkit.view.dims): picking a parent's value by codes."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit.load.links import take
from b2bkit.view.dims import _choose_via, choose


def test_choose_via_equals_choose_of_the_taken_values():
    lead = pd.Series(["web", None, "ads"], dtype="category")
    campaign = pd.Series(["expo", "web", None], dtype="category")
    use_lead = np.array([True, True, False, False, True, False])
    to_lead = np.array([0, 1, -1, 2, -1, 0])
    to_campaign = np.array([-1, 0, 0, 2, 1, 1])
    picked = _choose_via(use_lead, lead, to_lead, campaign, to_campaign)
    # rows: lead web; lead blank; campaign expo; campaign blank; no lead (-1); campaign web
    assert picked.tolist() == ["web", np.nan, "expo", np.nan, np.nan, "web"]
    assert list(picked.cat.categories) == ["ads", "expo", "web"]
    old = choose(use_lead, take(lead, to_lead), take(campaign, to_campaign))
    pd.testing.assert_series_equal(picked, old)


def test_team_forecast_rows_make_no_unknown_rep_group() -> None:
    # CONTRACT section 3: a forecast row with a blank rep_id is the team's forecast
    from b2bkit.load.dataset import from_frames
    from b2bkit.metrics import forecast_accuracy, prepare

    frames = {
        "reps": pd.DataFrame({"rep_id": ["R1"], "name": ["Ann"]}),
        "opportunities": pd.DataFrame({
            "opportunity_id": ["O1"], "created_at": ["2025-07-01"], "status": ["won"],
            "amount": [100.0], "rep_id": ["R1"], "closed_at": ["2025-07-10"],
            "account_id": ["A1"]}),
        "forecasts": pd.DataFrame({
            "rep_id": ["R1", None], "period_start": ["2025-07-01", "2025-07-01"],
            "period_end": ["2025-09-30", "2025-09-30"], "forecast_amount": [80.0, 90.0]}),
    }
    view = prepare(from_frames(frames))
    assert view.groups("rep_id") == ["R1"]
    by_rep = forecast_accuracy(view, "2025-Q3", by="rep_id")
    assert by_rep["rep_id"].tolist() == ["R1"] and by_rep["value"].tolist() == [0.8]
    assert forecast_accuracy(view, "2025-Q3") == pytest.approx(0.9)  # the team row
    # a blank rep on a row that does take the dimension still makes (unknown)
    frames["opportunities"].loc[0, "rep_id"] = None
    assert prepare(from_frames(frames)).groups("rep_id") == ["(unknown)", "R1"]


def test_kpis_by_rep_on_the_demo_has_no_unknown_rep(capsys) -> None:
    from b2bkit.cli import main

    demo = Path(__file__).parents[2] / "data" / "demo"
    assert main(["kpis", "--data", str(demo), "--period", "2025-Q3", "--by", "rep_id",
                 "--format", "json", "--no-cache"]) == 0
    groups = [g["group"]["rep_id"] for g in json.loads(capsys.readouterr().out)]
    assert "(unknown)" not in groups and len(groups) == 12
