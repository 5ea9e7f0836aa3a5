"""The worked examples of the source articles (shared/seeds), rebuilt as tiny datasets.

Each test cites the seed and its numbers. Two of them are wrong in the seed;
the tests document the correct value under the contract's definition.
"""

import pandas as pd
import pytest

from b2bkit.metrics import (
    avg_deal_size,
    cac,
    churn_rate,
    forecast_accuracy,
    lead_conversion_rate,
    opportunity_conversion_rate,
    pipeline_velocity,
    quota_attainment_rate,
    rep_productivity,
    retention_rate,
    revenue,
    revenue_growth,
    roi,
    sales_cycle_days,
    selling_time_share,
)

from ._build import build

SEED_SALES = "001_727d58b1ce424f92.txt"


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:04d}" for i in range(n)]


def _won(n: int, amount: float, closed: str = "2025-05-15", **extra) -> dict:
    return dict(opportunity_id=_ids("O", n), created_at=["2025-04-01"] * n, status=["won"] * n,
                amount=[amount] * n, account_id=_ids("A", n), closed_at=[closed] * n, **extra)


def test_revenue_100_packages_of_10k() -> None:
    # seed 001 #1.1: 100 packages at $10k -> $1,000,000 (right)
    ds = build(orders=dict(order_id=_ids("X", 100), account_id=["A"] * 100,
                           date=["2025-05-01"] * 100, amount=[10_000] * 100))
    assert revenue(ds, "2025-Q2") == 1_000_000


def test_revenue_growth_800k_to_1m() -> None:
    # seed 001 #1.2: $800,000 in Q1 -> $1,000,000 in Q2 = 25% (right)
    ds = build(orders=dict(order_id=["1", "2"], account_id=["A", "A"],
                           date=["2025-02-01", "2025-05-01"], amount=[800_000, 1_000_000]))
    assert revenue_growth(ds, "2025-Q2") == pytest.approx(0.25)


def test_average_deal_size_50_deals_500k() -> None:
    # seed 001 #1.3: 50 deals, $500,000 -> $10,000 (right)
    ds = build(opportunities=_won(50, 10_000))
    assert avg_deal_size(ds, "2025-Q2") == 10_000


def test_lead_conversion_200_of_1000() -> None:
    # seed 001 #2.1: 1,000 leads, 200 converted to opportunities -> 20% (right)
    leads = dict(lead_id=_ids("L", 1000), created_at=["2025-05-02"] * 1000,
                 channel=["web"] * 1000, opportunity_id=_ids("O", 200) + [None] * 800)
    opps = dict(opportunity_id=_ids("O", 200), created_at=["2025-05-20"] * 200,
                status=["open"] * 200, amount=[1] * 200)
    assert lead_conversion_rate(build(leads=leads, opportunities=opps), "2025-05") == 0.2


def test_opportunity_conversion_25_of_100() -> None:
    # seed 001 #2.2: 100 opportunities in a quarter, 25 won -> 25% (right)
    opps = dict(opportunity_id=_ids("O", 100), created_at=["2025-04-10"] * 100,
                status=["won"] * 25 + ["lost"] * 75, amount=[1] * 100,
                account_id=_ids("A", 100), closed_at=["2025-06-01"] * 100)
    assert opportunity_conversion_rate(build(opportunities=opps), "2025-Q2") == 0.25


def test_sales_cycle_10_deals_200_days() -> None:
    # seed 001 #2.3: 10 deals closed in a month, 200 days in all -> 20 days (right)
    created = pd.date_range("2025-04-11", periods=10, freq="D")
    cycles = [10, 15, 20, 25, 30, 10, 15, 20, 25, 30]   # sum 200
    closed = [c + pd.Timedelta(days=d) for c, d in zip(created, cycles, strict=True)]
    opps = _won(10, 1)
    opps["created_at"] = [c.strftime("%Y-%m-%d") for c in created]
    opps["closed_at"] = [c.strftime("%Y-%m-%d") for c in closed]
    ds = build(opportunities=opps)
    assert sales_cycle_days(ds, "2025-04-21..2025-05-31") == pytest.approx(20.0)


def test_pipeline_velocity_seed_is_wrong() -> None:
    # seed 001 #3.2: 200 qualified leads x 0.25 x $10,000 / 25 days "= 200".
    # The arithmetic gives 200 * 0.25 * 10000 / 25 = 20,000 per day; the seed is wrong.
    n = 200
    leads = dict(lead_id=_ids("L", n), created_at=["2025-07-01"] * n, channel=["web"] * n,
                 sql_at=["2025-07-02"] * n)
    # closed in July: 1 won ($10,000, 25 days after its lead's first contact), 3 lost
    opps = dict(opportunity_id=_ids("O", 4), created_at=["2025-07-03"] * 4,
                status=["won", "lost", "lost", "lost"], amount=[10_000, None, None, None],
                account_id=["A", None, None, None], lead_id=_ids("L", 4),
                closed_at=["2025-07-26"] * 4)
    ds = build(leads=leads, opportunities=opps)
    assert pipeline_velocity(ds, "2025-07") == pytest.approx(20_000.0)
    assert pipeline_velocity(ds, "2025-07") != pytest.approx(200.0)


def test_forecast_accuracy_900k_for_1m() -> None:
    # seed 001 #3.3: forecast $900,000, actual $1,000,000 -> 90% (right)
    ds = build(opportunities=_won(1, 1_000_000),
               forecasts=dict(rep_id=[None], period_start=["2025-04-01"],
                              period_end=["2025-06-30"], forecast_amount=[900_000]))
    assert forecast_accuracy(ds, "2025-Q2") == pytest.approx(0.9)


def test_cac_100k_for_50_customers() -> None:
    # seed 001 #4.1: $100,000 on marketing and sales, 50 new customers -> $2,000 (right)
    ds = build(spend=dict(date=["2025-05-01"], channel=["mixed"], amount=[100_000]),
               orders=dict(order_id=_ids("X", 50), account_id=_ids("A", 50),
                           date=["2025-05-10"] * 50, amount=[1] * 50))
    assert cac(ds, "2025-Q2") == 2_000


def test_churn_seed_is_wrong() -> None:
    # seed 001 #4.3: 500 customers at the start of the month, 30 lost, 20 new: "churn 2%".
    # Churn = lost / customers at the start = 30 / 500 = 6%; the seed's 2% nets the 20 new
    # customers against the 30 lost ((30 - 20) / 500), which the contract rules out.
    start = _ids("A", 500)
    new = _ids("N", 20)
    ds = build(
        settings={"as_of": "2025-07-31"},
        accounts=dict(account_id=start + new,
                      churned_at=["2025-07-10"] * 30 + [None] * 490),
        orders=dict(order_id=_ids("X", 520), account_id=start + new,
                    date=["2025-05-15"] * 500 + ["2025-07-05"] * 20, amount=[1] * 520))
    assert churn_rate(ds, "2025-07") == pytest.approx(0.06)
    assert churn_rate(ds, "2025-07") != pytest.approx(0.02)   # the seed's net churn
    assert retention_rate(ds, "2025-07") == pytest.approx((490 - 20) / 500)   # (E - N) / S


def test_quota_attainment_rate_15_of_20() -> None:
    # seed 001 #5.1: 15 of 20 reps met their quota -> 75% (right)
    reps = _ids("R", 20)
    ds = build(quotas=dict(rep_id=reps, period_start=["2025-04-01"] * 20,
                           period_end=["2025-06-30"] * 20, quota=[100] * 20),
               opportunities=_won(20, 0, rep_id=reps) | {"amount": [100] * 15 + [50] * 5})
    assert quota_attainment_rate(ds, "2025-Q2") == 0.75


def test_rep_productivity_1m_over_20_reps() -> None:
    # seed 001 #5.2: $1,000,000 from 20 reps in a quarter -> $50,000 (right)
    ds = build(quotas=dict(rep_id=_ids("R", 20), period_start=["2025-04-01"] * 20,
                           period_end=["2025-06-30"] * 20, quota=[1] * 20),
               opportunities=_won(20, 50_000, rep_id=_ids("R", 20)))
    assert rep_productivity(ds, "2025-Q2") == 50_000


def test_selling_time_30_of_40_hours() -> None:
    # seed 001 #5.3: 30 of 40 hours selling -> 75% (right)
    ds = build(activities=dict(rep_id=["R1", "R1"], date=["2025-05-05"] * 2,
                               minutes=[30 * 60, 10 * 60], is_selling=[True, False]))
    assert selling_time_share(ds, "2025-W19") == 0.75


def test_roi_1m_spent_3m_returned() -> None:
    # seed 002 (ROI): 1,000,000 spent, 3,000,000 returned -> 200% (right)
    ds = build(spend=dict(date=["2025-01-10"], channel=["ads"], amount=[1_000_000]),
               leads=dict(lead_id=["L1"], created_at=["2025-01-15"], channel=["ads"]),
               opportunities=dict(opportunity_id=["O1"], created_at=["2025-02-01"],
                                  status=["won"], amount=[3_000_000], account_id=["A"],
                                  lead_id=["L1"], closed_at=["2025-06-01"]))
    assert roi(ds, "2025-Q1") == pytest.approx(2.0)
