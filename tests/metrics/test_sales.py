"""Deals, cycle, pipeline and forecasts, on a small pipeline worked out by hand."""

import pandas as pd
import pytest

from b2bkit.metrics import (
    avg_deal_size,
    bookings,
    compute_all,
    cycle_days,
    forecast_accuracy,
    open_pipeline,
    opportunity_conversion_rate,
    pipeline_coverage,
    pipeline_velocity,
    sales_cycle_days,
    sales_cycle_days_median,
    weighted_pipeline,
    win_rate,
    won_deals,
)

from ._build import build

PIPELINE = dict(
    settings={"as_of": "2025-12-31"},
    reps=dict(rep_id=["R1", "R2"], name=["Ann", "Bob"]),
    accounts=dict(account_id=["A1", "A2", "A3"], segment=["SMB", "Enterprise", None]),
    leads=dict(lead_id=["L1", "L2"], created_at=["2025-06-01T12:00:00", "2025-06-15"],
               channel=["webinar", "content"], segment=["SMB", "Mid-Market"], sql_at=[
                   "2025-06-20", "2025-07-01"]),
    opportunities=dict(
        opportunity_id=["O1", "O2", "O3", "O4", "O5"],
        created_at=["2025-07-01", "2025-07-05", "2025-07-10", "2025-08-01", "2025-09-01"],
        status=["won", "won", "lost", "open", "won"],
        amount=[1000, 3000, None, 5000, 2000],
        account_id=["A1", "A2", None, "A3", "A3"],
        rep_id=["R1", "R2", "R1", "R2", "R1"],
        lead_id=["L1", None, "L2", None, None],
        closed_at=["2025-07-31T12:00:00", "2025-08-15", "2025-08-20", None, "2026-01-15"],
    ),
    quotas=dict(rep_id=["R1", "R2", "R1", "R2"],
                period_start=["2025-07-01", "2025-07-01", "2025-10-01", "2025-10-01"],
                period_end=["2025-09-30", "2025-09-30", "2025-12-31", "2025-12-31"],
                quota=[2000, 2000, 4000, 6000]),
    forecasts=dict(rep_id=["R1", "R2"], period_start=["2025-07-01", "2025-07-01"],
                   period_end=["2025-09-30", "2025-09-30"], forecast_amount=[1500, 3500]),
)


@pytest.fixture(scope="module")
def ds():
    return build(**PIPELINE)


def test_won_closed_after_as_of_is_open(ds) -> None:
    # O5 closes 2026-01-15, after as_of: it is open, so Q3 has O1, O2 won and O3 lost
    assert won_deals(ds, "2025-Q3") == 2
    assert win_rate(ds, "2025-Q3") == 2 / 3
    assert bookings(ds, "2025-Q3") == 4000.0
    assert avg_deal_size(ds, "2025-Q3") == 2000.0
    assert opportunity_conversion_rate(ds, "2025-Q3") == 2 / 5


def test_cycle_from_first_contact(ds) -> None:
    # O1: lead L1 created 2025-06-01 12:00 -> closed 2025-07-31 12:00 = 60.0 days
    # O2: no lead; created 07-05 -> closed 08-15 = 41 days
    assert sales_cycle_days(ds, "2025-Q3") == pytest.approx((60 + 41) / 2)
    assert sales_cycle_days_median(ds, "2025-Q3") == pytest.approx(50.5)
    assert sales_cycle_days(ds, "2025-Q4").reason == "no won deals in 2025-Q4"


def test_pipeline_velocity(ds) -> None:
    # sqls in Q3: L2 (07-01) = 1; win rate 2/3; avg deal 2000; cycle 50.5 days
    assert pipeline_velocity(ds, "2025-Q3") == pytest.approx(1 * (2 / 3) * 2000 / 50.5)


def test_open_pipeline_and_coverage(ds) -> None:
    # open at 2025-09-30: O4 (5000) and O5 (2000, open as of as_of) = 7000
    assert open_pipeline(ds, "2025-Q3") == 7000.0
    # open at 2025-07-31 (end of day): O2, O3, O1? O1 closed on 07-31 -> not open
    assert open_pipeline(ds, "2025-07") == 3000.0   # O2 3000, O3 blank amount
    assert pipeline_coverage(ds, "2025-Q3") == pytest.approx(7000 / 10000)
    by_rep = pipeline_coverage(ds, "2025-Q3", by="rep_id").set_index("rep_id")
    assert by_rep["value"].drop("(unknown)").to_dict() == pytest.approx(
        {"R1": 2000 / 4000, "R2": 5000 / 6000})
    # leads have no owner_rep_id, so their rep is unknown: a group of its own
    assert by_rep.loc["(unknown)", "note"] == "no quota for 2025-Q4"
    assert pipeline_coverage(ds, "2025-Q4").reason == "no quota for 2026-Q1"


def test_forecast_accuracy_sums_rep_rows_without_a_team_row(ds) -> None:
    # forecast 1500 + 3500 = 5000, actual 4000 -> 1 - 1000/4000
    assert forecast_accuracy(ds, "2025-Q3") == 0.75
    by_rep = forecast_accuracy(ds, "2025-Q3", by="rep_id").set_index("rep_id")["value"]
    assert by_rep["R1"] == 1 - 500 / 1000 and by_rep["R2"] == pytest.approx(1 - 500 / 3000)
    assert forecast_accuracy(ds, "2025-Q4").reason == "no forecast for 2025-Q4"
    # forecasts must cover exactly the period: a month is not the quarter
    assert forecast_accuracy(ds, "2025-07").reason == "no forecast for 2025-07"


def test_forecast_accuracy_can_be_negative() -> None:
    ds = build(**{**PIPELINE, "forecasts": dict(
        rep_id=[None], period_start=["2025-07-01"], period_end=["2025-09-30"],
        forecast_amount=[10000])})
    assert forecast_accuracy(ds, "2025-Q3") == 1 - 6000 / 4000


def test_segment_from_account_else_lead(ds) -> None:
    frame = bookings(ds, "2025-Q3", by="segment").set_index("segment")["value"]
    # O1 -> A1 SMB; O2 -> A2 Enterprise
    assert frame.to_dict() == {"(unknown)": 0.0, "Enterprise": 3000.0, "Mid-Market": 0.0,
                               "SMB": 1000.0}
    created = bookings(ds, "2025-Q3", by="channel").set_index("channel")["value"]
    assert created.to_dict() == {"(unknown)": 3000.0, "content": 0.0, "webinar": 1000.0}


def test_forecast_accuracy_without_a_rep_id_column() -> None:
    # rep_id is optional in forecasts: without it every row is a team row, summed:
    # 1500 + 3500 = 5000 against 4000 booked in Q3 -> 1 - 1000/4000
    forecasts = dict(period_start=["2025-07-01", "2025-07-01"],
                     period_end=["2025-09-30", "2025-09-30"], forecast_amount=[1500, 3500])
    ds = build(**{**PIPELINE, "forecasts": forecasts})
    assert forecast_accuracy(ds, "2025-Q3") == 0.75
    by_rep = forecast_accuracy(ds, "2025-Q3", by="rep_id")  # no rep has a forecast of their own
    assert by_rep["note"].unique().tolist() == ["no forecast for 2025-Q3"]
    table = compute_all(ds, "2025-Q3").set_index("metric")
    assert table.loc["forecast_accuracy", "value"] == 0.75


def test_cycle_days_of_every_deal_won_up_to_as_of(ds) -> None:
    # O1: lead L1 06-01 12:00 -> closed 07-31 12:00 = 60 days; O2 (no lead): created 07-05 ->
    # 08-15 = 41 days; O5 closes after as_of (still open). The median of the catalogue's
    # cycle over Q3 is over the same days.
    assert cycle_days(ds).tolist() == [60.0, 41.0]
    assert sales_cycle_days_median(ds, "2025-Q3") == cycle_days(ds).median() == 50.5


def test_weighted_pipeline_leaves_out_deals_without_probability() -> None:
    # open at 2025-09-30: O1 4000 x 0.5, O2 1000 x 0.25, O3 (blank amount) x 0.9 = 0,
    # O4 600 without probability (left out); O5 lost 09-10; O6 created in Q4
    ds = build(settings={"as_of": "2025-12-31", "currency": "EUR"},
               opportunities=dict(
                   opportunity_id=["O1", "O2", "O3", "O4", "O5", "O6"],
                   created_at=["2025-07-01", "2025-07-02", "2025-07-03", "2025-08-01",
                               "2025-08-02", "2025-10-01"],
                   status=["open", "open", "open", "open", "lost", "open"],
                   amount=[4000, 1000, None, 600, 700, 900],
                   rep_id=["R1", "R2", "R1", "R2", "R1", "R1"],
                   closed_at=[None, None, None, None, "2025-09-10", None],
                   probability=[0.5, 0.25, 0.9, None, 1.0, 0.5]))
    assert weighted_pipeline(ds, "2025-Q3") == 4000 * 0.5 + 1000 * 0.25
    table = compute_all(ds, "2025-Q3", metrics=("weighted_pipeline",))
    assert table["note"].iloc[0] == "1 open deal worth 600.00 EUR left out: no probability"
    by_rep = weighted_pipeline(ds, "2025-Q3", by="rep_id").set_index("rep_id")
    assert by_rep["value"].tolist() == [2000.0, 250.0]
    assert pd.isna(by_rep.loc["R1", "note"])
    # Q4: O6 (900 x 0.5) joins
    assert weighted_pipeline(ds, "2025-Q4") == 2000 + 250 + 450


def test_weighted_pipeline_missing_when_no_open_deal_has_a_probability() -> None:
    ds = build(settings={"as_of": "2025-12-31"},
               opportunities=dict(opportunity_id=["O1"], created_at=["2025-07-01"],
                                  status=["open"], amount=[100]))
    value = weighted_pipeline(ds, "2025-Q3")
    assert value.reason == "opportunities have no probability column"
    assert weighted_pipeline(ds, "2025-Q2") == 0.0          # nothing open yet
