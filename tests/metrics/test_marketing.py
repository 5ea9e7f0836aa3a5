"""Spend, cost per lead and SQL, ROI by channel and practice."""

import pytest

from b2bkit.metrics import cost_per_sql, cpl, marketing_spend, roi

from ._build import build

DATA = dict(
    campaigns=dict(campaign_id=["C1", "C2"], name=["Web", "Expo"],
                   channel=["webinar", "trade_show"], practice=["webinars", None]),
    spend=dict(date=["2025-01-01", "2025-01-15", "2025-02-01"],
               channel=["webinar", "webinar", "trade_show"], amount=[400, 600, 2000],
               campaign_id=["C1", None, "C2"]),
    leads=dict(lead_id=["L1", "L2", "L3"], created_at=["2025-01-05", "2025-01-06", "2025-02-02"],
               channel=["webinar", "webinar", "trade_show"], campaign_id=["C1", "C1", "C2"],
               sql_at=["2025-01-20", None, None]),
    opportunities=dict(opportunity_id=["O1", "O2"], created_at=["2025-01-21", "2025-02-10"],
                       status=["won", "won"], amount=[5000, 500], account_id=["A", "B"],
                       lead_id=["L1", "L3"], closed_at=["2025-04-15", "2025-03-01"]),
)


@pytest.fixture(scope="module")
def ds():
    return build(**DATA)


def test_spend_cpl_cost_per_sql(ds) -> None:
    assert marketing_spend(ds, "2025-Q1") == 3000.0
    assert cpl(ds, "2025-Q1") == 1000.0
    assert cost_per_sql(ds, "2025-Q1") == 3000.0
    # March has neither spend nor leads: the zero denominator is the reason
    assert cpl(ds, "2025-03").reason == "no leads in 2025-03"


def test_practice_defaults_to_the_campaign_channel(ds) -> None:
    frame = marketing_spend(ds, "2025-Q1", by="practice").set_index("practice")["value"]
    # C2 has no practice: its channel, trade_show; the 600 without a campaign is unknown
    assert frame.to_dict() == {"(unknown)": 600.0, "trade_show": 2000.0, "webinars": 400.0}


def test_roi_attributes_bookings_to_the_period_of_the_lead(ds) -> None:
    # leads of Q1 won 5000 (O1, closed in Q2 but as of as_of) + 500 = 5500 against 3000
    assert roi(ds, "2025-Q1") == pytest.approx((5500 - 3000) / 3000)
    by_channel = roi(ds, "2025-Q1", by="channel").set_index("channel")["value"]
    assert by_channel["webinar"] == pytest.approx((5000 - 1000) / 1000)
    assert by_channel["trade_show"] == pytest.approx((500 - 2000) / 2000)
    assert roi(ds, "2025-Q1", by="segment")["note"].unique().tolist() == [
        "spend cannot be split by segment"]


def test_cpl_reason_names_the_missing_part() -> None:
    ds = build(spend=dict(date=["2025-01-01"], channel=["x"], amount=[10]))
    assert cpl(ds, "2025-01").reason == "no leads table in the dataset"
