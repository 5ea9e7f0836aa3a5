"""Revenue from orders: revenue, its growth, order count, order value, repeat sales.

Examples use :func:`b2bkit.sample_dataset`: account A1 ordered 1,200.50 EUR
on 2025-02-11 and 100 EUR on 2025-03-11.
"""

from __future__ import annotations

from b2bkit.customers import account_codes
from b2bkit.metrics._base import Result, Split, absent, combine, metric, ratio
from b2bkit.periods import Period

__all__ = ["aov", "orders", "repeat_sales_share", "revenue", "revenue_growth"]


def revenue_in(split: Split, period: Period, table: str = "orders") -> Result:
    """Revenue per group; ``table="customer_orders"`` splits by the account's dimensions."""
    missing = absent(split, "orders")
    if missing:
        return missing
    if split.unsplittable(table):
        return split.not_split("orders")
    frame = split.view.tables["orders"]
    return Result.of(split.sum(table, frame["amount"], period.mask(frame["date"])))


@metric("currency", needs=("orders",))
def revenue(split: Split, period: Period) -> Result:
    r"""Sum of the orders dated in the period.

    .. math:: \text{revenue} = \sum_{\text{orders.date} \in P} \text{amount}

    Units: dataset currency. Split by the channel, campaign, practice and rep
    of the order's opportunity and the segment of its account.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> revenue(sample_dataset(), "2025-Q1"), revenue(sample_dataset(), "2025-03")
    (1300.5, 100.0)
    """
    return revenue_in(split, period)


@metric("rate", needs=("orders",))
def revenue_growth(split: Split, period: Period) -> Result:
    r"""Revenue change against the previous period of the same kind.

    .. math:: \text{revenue\_growth} = \frac{R_P - R_{P-1}}{R_{P-1}}

    Units: fraction (0.1 = +10%). Missing when the previous period had no
    revenue.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(revenue_growth(sample_dataset(), "2025-03"), 4)   # (100 - 1200.5) / 1200.5
    -0.9167
    >>> revenue_growth(sample_dataset(), "2025-Q1")
    Missing('no revenue in 2024-Q4')
    """
    now, before = revenue_in(split, period), revenue_in(split, period.previous())
    result = ratio(now.values - before.values, before.values,
                   f"no revenue in {period.previous()}")
    return combine(result, now, before)


@metric("count", needs=("orders",))
def orders(split: Split, period: Period) -> Result:
    r"""Orders dated in the period.

    .. math:: \#\{\text{order} : \text{date} \in P\}

    Units: orders.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> orders(sample_dataset(), "2025-Q1")
    2
    """
    frame = split.view.tables["orders"]
    return Result.of(split.count("orders", period.mask(frame["date"])))


@metric("currency", needs=("orders",))
def aov(split: Split, period: Period) -> Result:
    r"""Average order value: revenue per order.

    .. math:: \text{aov} = \frac{\text{revenue}}{\text{orders}}

    Units: currency per order. Missing without orders.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> aov(sample_dataset(), "2025-Q1")
    650.25
    """
    money, count = revenue_in(split, period), orders.compute(split, period)
    return combine(ratio(money.values, count.values, f"no orders in {period}"), money, count)


@metric("rate", needs=("orders",))
def repeat_sales_share(split: Split, period: Period) -> Result:
    r"""Share of revenue from accounts that had already ordered on an earlier day.

    .. math:: \frac{\sum_{\text{order in } P,\ \text{account ordered before}} \text{amount}}
              {\text{revenue}}

    "Before" means on an earlier calendar day, at any time up to as_of.
    Units: fraction. Missing without revenue.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(repeat_sales_share(sample_dataset(), "2025-Q1"), 4)   # 100 / 1300.5
    0.0769
    """
    money = revenue_in(split, period)
    frame = split.view.tables["orders"]
    day = frame["date"].dt.normalize()
    account = account_codes(frame["account_id"], split.view.links.get(("orders", "account_id")))
    first_day = day.groupby(account).transform("min")
    repeat = period.mask(frame["date"]) & (day > first_day)
    repeated = Result.of(split.sum("orders", frame["amount"], repeat))
    return combine(ratio(repeated.values, money.values, f"no revenue in {period}"), money)
