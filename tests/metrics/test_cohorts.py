"""Cohort retention matrix, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from b2bkit.metrics.cohorts import (
    cohort_matrix,
    cohort_retention,
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
    got = cohort_retention(ORDERS)
    # Jan cohort {A, B}: month 1 (Feb) B -> 1/2; month 2 (Mar) A -> 1/2; month 3 (Apr) none
    # Feb cohort {C}: Mar none, Apr C; Apr cohort {D}
    expected = pd.DataFrame(
        [[1.0, 0.5, 0.5, 0.0], [1.0, 0.0, 1.0, np.nan], [1.0, np.nan, np.nan, np.nan]],
        index=pd.Index(["2025-01", "2025-02", "2025-04"], name="cohort"),
        columns=pd.Index([0, 1, 2, 3], name="since"))
    pd.testing.assert_frame_equal(got, expected)
    assert cohort_sizes(ORDERS).to_dict() == {"2025-01": 2, "2025-02": 1, "2025-04": 1}


def test_as_of_hides_the_future() -> None:
    got = cohort_retention(ORDERS, as_of=pd.Timestamp("2025-03-31"))
    assert got.index.tolist() == ["2025-01", "2025-02"]
    assert got.loc["2025-01"].tolist() == [1.0, 0.5, 0.5]
    assert got.loc["2025-02", 2] != got.loc["2025-02", 2]  # April is after as_of: NaN
    assert cohort_retention(ORDERS.iloc[:0]).empty


def test_quarters_revenue_and_cumulative() -> None:
    orders = ORDERS.assign(amount=[10.0, 20.0, 5.0, 40.0, 8.0, 100.0, 50.0, 7.0])
    # quarter cohorts: 2025-Q1 {A, B, C}; 2025-Q2 {D}
    logo = cohort_retention(orders, grain="quarter")
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
