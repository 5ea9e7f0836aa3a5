"""Cohort retention matrix, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from b2bkit.core.errors import UsageError
from b2bkit.load.dataset import from_frames
from b2bkit.load.settings import Settings
from b2bkit.metrics import prepare
from b2bkit.metrics.cohorts import (
    cohort_matrix,
    cohort_sizes,
    cumulative_revenue_per_customer,
)

ORDERS = pd.DataFrame({
    # A: Jan (x2), Mar; B: Jan, Feb; C: Feb, Apr; D: Apr
    "account_id": ["A", "A", "A", "B", "B", "C", "C", "D"],
    "date": pd.to_datetime(["2025-01-03", "2025-01-30", "2025-03-02", "2025-01-15",
                            "2025-02-15", "2025-02-01", "2025-04-30", "2025-04-10"]),
})


def test_matrix() -> None:
    got = cohort_matrix(ORDERS)
    # Jan cohort {A, B}: month 1 (Feb) B -> 1/2; month 2 (Mar) A -> 1/2; month 3 (Apr) none
    # Feb cohort {C}: Mar none, Apr C; Apr cohort {D}
    expected = pd.DataFrame(
        [[1.0, 0.5, 0.5, 0.0], [1.0, 0.0, 1.0, np.nan], [1.0, np.nan, np.nan, np.nan]],
        index=pd.Index(["2025-01", "2025-02", "2025-04"], name="cohort"),
        columns=pd.Index([0, 1, 2, 3], name="since"))
    pd.testing.assert_frame_equal(got, expected)
    assert cohort_sizes(ORDERS).to_dict() == {"2025-01": 2, "2025-02": 1, "2025-04": 1}


def test_as_of_hides_the_future() -> None:
    got = cohort_matrix(ORDERS, as_of=pd.Timestamp("2025-03-31"))
    assert got.index.tolist() == ["2025-01", "2025-02"]
    assert got.loc["2025-01"].tolist() == [1.0, 0.5, 0.5]
    assert got.loc["2025-02", 2] != got.loc["2025-02", 2]  # April is after as_of: NaN
    assert cohort_matrix(ORDERS.iloc[:0]).empty


def test_quarters_revenue_and_cumulative() -> None:
    orders = ORDERS.assign(amount=[10.0, 20.0, 5.0, 40.0, 8.0, 100.0, 50.0, 7.0])
    # quarter cohorts: 2025-Q1 {A, B, C}; 2025-Q2 {D}
    logo = cohort_matrix(orders, grain="quarter")
    assert logo.index.tolist() == ["2025-Q1", "2025-Q2"]
    assert logo.loc["2025-Q1"].tolist() == [1.0, 1 / 3]        # C ordered again in Q2
    revenue = cohort_matrix(orders, grain="quarter", measure="revenue", shares=False,
                            anchor="calendar")
    # Q1 cohort by calendar quarter: Q1 orders 10 + 20 + 5 + 40 + 8 + 100 = 183; Q2: C 50
    assert revenue.loc["2025-Q1"].tolist() == [183.0, 50.0]
    assert revenue.loc["2025-Q2", 0] == 7.0 and np.isnan(revenue.loc["2025-Q2", 1])
    kept = cohort_matrix(orders, grain="quarter", measure="revenue", anchor="calendar")
    assert kept.loc["2025-Q1", 1] == pytest.approx(50 / 183)
    # from each first order (the default for revenue): C's 04-30 order is in its first
    # quarter (02-01..04-30), so period 0 = 233; seen to 04-30 (the last order), period 1
    # is not complete, nor is D's period 0 (04-10..07-09): blank
    revenue = cohort_matrix(orders, grain="quarter", measure="revenue", shares=False)
    assert revenue.loc["2025-Q1", 0] == 233.0 and np.isnan(revenue.loc["2025-Q1", 1])
    assert revenue.loc["2025-Q2"].isna().all()
    per_customer = cumulative_revenue_per_customer(orders, grain="quarter")
    assert per_customer.loc["2025-Q1", 0] == pytest.approx(233 / 3)
    with pytest.raises(ValueError, match="grain must be one of month, quarter; not 'week'"):
        cohort_matrix(orders, grain="week")


def test_partial_first_quarter_does_not_inflate_revenue_retention() -> None:
    # one account paying 100 on the 15th of each month from 03-15 to 09-15, seen on 10-01
    dates = pd.date_range("2025-03-01", "2025-09-01", freq="MS") + pd.Timedelta(days=14)
    orders = pd.DataFrame({"account_id": "A", "date": dates, "amount": 100.0})
    # by calendar quarter: Q1 holds one order (100), Q2 and Q3 three each: 300%;
    calendar = cohort_matrix(orders, grain="quarter", measure="revenue", anchor="calendar",
                             as_of=pd.Timestamp("2025-10-01"))
    assert calendar.loc["2025-Q1"].tolist() == [1.0, 3.0, 3.0, 0.0]  # Q4: one day seen
    # from the first order: 03-15..06-14 = 300, 06-15..09-14 = 300 -> 100%; the third
    # quarter (09-15..12-14) is not complete on 10-01: blank
    full = cohort_matrix(orders, grain="quarter", measure="revenue",
                         as_of=pd.Timestamp("2025-10-01"))
    assert full.loc["2025-Q1", [0, 1]].tolist() == [1.0, 1.0]
    assert np.isnan(full.loc["2025-Q1", 2])


def test_anchor_is_checked() -> None:
    with pytest.raises(ValueError, match="anchor must be one of calendar, customer; not 'x'"):
        cohort_matrix(ORDERS, anchor="x")


# -- a Dataset or a View instead of an orders frame --------------------------------------

AMOUNTS = [10.0, 20.0, 5.0, 40.0, 8.0, 100.0, 50.0, 7.0]


def _dataset(as_of: str = "2025-05-31", **tables) -> object:
    orders = ORDERS.assign(order_id=[f"X{i}" for i in range(8)], amount=AMOUNTS,
                           date=ORDERS["date"].dt.strftime("%Y-%m-%d"))
    return from_frames({"orders": orders, **tables},
                       settings=Settings.from_dict({"as_of": as_of}, source="test"))


def test_a_dataset_is_seen_from_its_as_of() -> None:
    # as_of 2025-05-31, a month after the last order: May is observed, with no orders
    # Jan {A, B}: Feb B, Mar A, Apr -, May -; Feb {C}: Mar -, Apr C, May -; Apr {D}: May -
    expected = pd.DataFrame(
        [[1.0, 0.5, 0.5, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0, np.nan],
         [1.0, 0.0, np.nan, np.nan, np.nan]],
        index=pd.Index(["2025-01", "2025-02", "2025-04"], name="cohort"),
        columns=pd.Index([0, 1, 2, 3, 4], name="since"))
    ds = _dataset()
    pd.testing.assert_frame_equal(cohort_matrix(ds), expected)
    pd.testing.assert_frame_equal(cohort_matrix(prepare(ds)), expected)
    # the frame alone is seen up to its last order (04-30): May is unknown, not 0
    assert cohort_matrix(ORDERS).shape == (3, 4)
    assert cohort_sizes(ds).to_dict() == {"2025-01": 2, "2025-02": 1, "2025-04": 1}


def test_as_of_of_a_dataset_and_of_a_view() -> None:
    ds = _dataset()
    early = pd.Timestamp("2025-03-31")
    expected = cohort_matrix(ORDERS, as_of=early)
    pd.testing.assert_frame_equal(cohort_matrix(ds, as_of="2025-03-31"), expected)
    pd.testing.assert_frame_equal(cohort_matrix(prepare(ds), as_of=early), expected)
    pd.testing.assert_frame_equal(cohort_matrix(prepare(ds, "2025-03-31")), expected)
    assert cohort_sizes(prepare(ds), as_of=early).to_dict() == {"2025-01": 2, "2025-02": 1}
    with pytest.raises(UsageError) as error:
        cohort_matrix(prepare(ds, "2025-03-31"), as_of="2025-05-31")
    assert str(error.value) == ("as_of 2025-05-31 is after the View's as_of 2025-03-31; "
                                "prepare the Dataset at that as_of")


def test_revenue_and_cumulative_from_a_dataset() -> None:
    # quarters from each first order, seen on 2025-08-31: Q1 cohort {A, B, C}; A's first
    # quarter 01-03..04-02 = 10 + 20 + 5, B's 01-15..04-14 = 40 + 8, C's 02-01..04-30 =
    # 100 + 50: 233, complete once C's ends (04-30); period 1 ends 07-31 for C: complete,
    # and no order in it. Q2 cohort {D}: 04-10..07-09 = 7, complete.
    ds = _dataset("2025-08-31")
    revenue = cohort_matrix(ds, grain="quarter", measure="revenue", shares=False)
    assert revenue.loc["2025-Q1", [0, 1]].tolist() == [233.0, 0.0]
    assert revenue.loc["2025-Q2", 0] == 7.0
    per_customer = cumulative_revenue_per_customer(ds, grain="quarter")
    assert per_customer.loc["2025-Q1", [0, 1]].tolist() == pytest.approx([233 / 3, 233 / 3])
    assert per_customer.loc["2025-Q2", 0] == 7.0


def test_a_dataset_without_orders_and_a_wrong_type() -> None:
    leads_only = from_frames({"leads": pd.DataFrame({
        "lead_id": ["L1"], "created_at": ["2025-01-05"], "channel": ["web"]})})
    assert cohort_matrix(leads_only).empty
    assert cumulative_revenue_per_customer(leads_only).empty
    with pytest.raises(UsageError) as error:
        cohort_matrix([1, 2])
    assert str(error.value) == "orders must be an orders frame, a Dataset or a View; not list"
