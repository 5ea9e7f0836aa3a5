"""Revenue, growth, AOV and repeat sales."""

import pytest

from b2bkit.metrics import aov, orders, repeat_sales_share, revenue, revenue_growth

from ._build import build

ORDERS = dict(
    order_id=["1", "2", "3", "4", "5"],
    account_id=["A", "A", "A", "B", "B"],
    date=["2025-05-20", "2025-06-03T09:00:00", "2025-06-03T17:00:00", "2025-06-10",
          "2025-07-01"],
    amount=["0.10", "0.20", "100.00", "250.35", "0"],
)


def test_cents_are_exact() -> None:
    ds = build(orders=ORDERS)
    assert revenue(ds, "2025-06") == pytest.approx(350.55, abs=1e-9)
    assert orders(ds, "2025-06") == 3
    assert aov(ds, "2025-06") == pytest.approx(350.55 / 3)
    assert revenue(ds, "2025-07") == 0.0
    assert orders(ds, "2025-07") == 1


def test_growth_against_the_previous_period() -> None:
    ds = build(orders=ORDERS)
    assert revenue_growth(ds, "2025-06") == pytest.approx((350.55 - 0.10) / 0.10)
    assert revenue_growth(ds, "2025-05").reason == "no revenue in 2025-04"


def test_repeat_means_an_earlier_day() -> None:
    ds = build(orders=ORDERS)
    # A ordered on 05-20, so both 06-03 orders repeat; B's first order is 06-10
    assert repeat_sales_share(ds, "2025-06") == pytest.approx(100.20 / 350.55)
    same_day = build(orders=dict(order_id=["1", "2"], account_id=["A", "A"],
                                 date=["2025-06-03", "2025-06-03T18:00:00"], amount=[10, 20]))
    assert repeat_sales_share(same_day, "2025-06") == 0.0
    assert repeat_sales_share(same_day, "2025-05").reason == "no revenue in 2025-05"
