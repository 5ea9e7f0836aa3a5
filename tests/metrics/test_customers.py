"""S, E, N, L, retention, churn, NPS, CAC, ARPA and CLV on a customer history checked by hand."""

import pytest

from b2bkit.metrics import (
    arpa,
    cac,
    cac_payback_months,
    churn_rate,
    clv,
    clv_cac_ratio,
    customers_end,
    customers_start,
    new_customers,
    nps,
    retention_rate,
)

from ._build import build

# A: orders 2024-01-10 and 2024-06-01, no churned_at -> stops 2025-06-01 (last order + 365)
# B: first order 2024-03-01, churned_at 2025-02-15
# C: first order 2025-02-01, churned_at 2025-03-10 (won and lost inside 2025-Q1)
# D: first order 2025-04-01
# E: no order; won opportunity closed 2025-01-20 -> customer from then, never stops
HISTORY = dict(
    settings={"as_of": "2025-12-31", "gross_margin": 0.5},
    accounts=dict(account_id=["A", "B", "C", "D", "E"],
                  segment=["SMB", "SMB", "Enterprise", "SMB", None],
                  churned_at=[None, "2025-02-15", "2025-03-10", None, None]),
    orders=dict(order_id=["1", "2", "3", "4", "5"], account_id=["A", "A", "B", "C", "D"],
                date=["2024-01-10", "2024-06-01", "2024-03-01", "2025-02-01", "2025-04-01"],
                amount=[100, 100, 200, 300, 400]),
    opportunities=dict(opportunity_id=["O1"], created_at=["2025-01-02"], status=["won"],
                       amount=[50], account_id=["E"], closed_at=["2025-01-20"]),
    spend=dict(date=["2025-01-15"], channel=["webinar"], amount=[900]),
    sales_costs=dict(date=["2025-02-28"], amount=[300]),
)


@pytest.fixture(scope="module")
def ds():
    return build(**HISTORY)


def test_states_in_q1(ds) -> None:
    # S on 2024-12-31: A, B. E on 2025-03-31: A, E. N: C, E. L: B (in S, stopped 02-15)
    assert customers_start(ds, "2025-Q1") == 2
    assert customers_end(ds, "2025-Q1") == 2
    assert new_customers(ds, "2025-Q1") == 2
    assert churn_rate(ds, "2025-Q1") == 1 / 2          # L / S; C is not in L
    assert retention_rate(ds, "2025-Q1") == (2 - 2) / 2  # (E - N) / S = 0


def test_inferred_churn_after_the_last_order(ds) -> None:
    # A stops on 2025-06-01: in 2025-Q2, S = A, C? no (stopped) ... S = A, D? no (starts 04-01), E
    assert customers_start(ds, "2025-Q2") == 2          # A, E
    assert customers_end(ds, "2025-Q2") == 2            # D, E (A stopped 06-01)
    assert churn_rate(ds, "2025-Q2") == 1 / 2           # A
    assert retention_rate(ds, "2025-Q2") == (2 - 1) / 2  # N = D


def test_inferred_churn_waits_for_as_of() -> None:
    # seen from 2025-05-31, A's inferred stop (2025-06-01) is still in the future
    ds = build(**{**HISTORY, "settings": {"as_of": "2025-05-31"}})
    assert customers_end(ds, "2025-Q2") == 3            # A, D, E


def test_by_segment(ds) -> None:
    frame = churn_rate(ds, "2025-Q1", by="segment")
    assert frame["segment"].tolist() == ["(unknown)", "Enterprise", "SMB"]
    assert frame["value"].isna().tolist() == [True, True, False]
    assert frame["value"].iloc[2] == 0.5
    assert frame["note"].iloc[0] == "no customers at the start of 2025-Q1"


def test_arpa_and_clv(ds) -> None:
    # customers on some day of Q1: A, B, C, E -> 4; revenue of Q1 orders: C 300
    per_year = 300 / 4 * 365 / 90
    assert arpa(ds, "2025-Q1") == pytest.approx(per_year)          # 304.17
    annual_churn = 1 - (1 - 0.5) ** (365 / 90)                    # 0.93976
    years = 1 / annual_churn                                        # 1.0641
    assert clv(ds, "2025-Q1") == pytest.approx(per_year * 0.5 * years)   # 161.83


@pytest.mark.parametrize(("settings", "years"), [({}, 10), ({"max_lifetime_years": 3}, 3)])
def test_clv_with_no_churn_uses_the_cap(settings, years) -> None:
    ds = build(settings=settings, orders=dict(
        order_id=["1", "2", "3"], account_id=["A"] * 3,
        date=["2025-01-01", "2025-02-01", "2025-03-01"], amount=[100] * 3))
    # 2025-03: S = A, nobody stops -> churn 0; arpa = 100 / 1 * 365 / 31 = 1177.42
    assert churn_rate(ds, "2025-03") == 0.0
    assert clv(ds, "2025-03") == pytest.approx(100 * 365 / 31 * 1.0 * years)


def test_cac_and_payback(ds) -> None:
    # (900 spend + 300 sales costs) / N = 2 new customers
    assert cac(ds, "2025-Q1") == 600.0
    assert cac_payback_months(ds, "2025-Q1") == pytest.approx(600 / (300 / 4 * 365 / 90 / 12
                                                                    * 0.5))
    assert clv_cac_ratio(ds, "2025-Q1") == pytest.approx(clv(ds, "2025-Q1") / 600)
    assert cac(ds, "2025-Q3").reason == "no new customers in 2025-Q3"
    assert cac(ds, "2025-Q1", by="segment")["note"].unique().tolist() == [
        "cac cannot be split by segment"]


@pytest.mark.parametrize(("scores", "expected"), [
    ([10, 9, 8, 7, 6, 0], 0.0),           # 2 promoters, 2 detractors of 6
    ([10, 10, 9, 6], 50.0),               # 100 * (3/4 - 1/4)
    ([0, 1, 2], -100.0),
    ([7, 8], 0.0),                        # passives only
])
def test_nps(scores, expected) -> None:
    n = len(scores)
    ds = build(nps=dict(account_id=["A"] * n, date=["2025-01-10"] * n, score=scores))
    assert nps(ds, "2025-01") == pytest.approx(expected)
    assert nps(ds, "2025-02").reason == "no NPS answers in 2025-02"


def test_nps_by_acquisition_channel() -> None:
    # A's earliest lead came through a webinar; B has no lead
    ds = build(
        leads=dict(lead_id=["L1", "L2"], created_at=["2024-05-01", "2024-01-01"],
                   channel=["content", "webinar"], account_id=["A", "A"]),
        nps=dict(account_id=["A", "A", "B"], date=["2025-01-10"] * 3, score=[10, 9, 3]),
    )
    frame = nps(ds, "2025-01", by="channel").set_index("channel")
    assert frame["value"].drop("content").to_dict() == {"(unknown)": -100.0, "webinar": 100.0}
    # content is a channel of the data, but no account was acquired through it
    assert frame.loc["content", "note"] == "no NPS answers in 2025-01"
