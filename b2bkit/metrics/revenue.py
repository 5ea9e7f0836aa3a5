"""Revenue from orders: revenue, its growth, order count, order value, repeat sales.

Examples use :func:`b2bkit.sample_dataset`: account A1 ordered 1,200.50 EUR
on 2025-02-11 and 100 EUR on 2025-03-11.
"""

from __future__ import annotations

import numpy as np

from b2bkit.core.i18n import _, period_text
from b2bkit.core.periods import Period
from b2bkit.metrics._base import ALL_DIMENSIONS, Result, Split, absent, combine, metric, ratio
from b2bkit.view.customers import account_codes

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


@metric("currency", needs=("orders",), splits=ALL_DIMENSIONS)
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


@metric("rate", needs=("orders",), splits=ALL_DIMENSIONS)
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
                   _("no revenue in {period}").format(
                       period=period_text(period.previous())))
    return combine(result, now, before)


@metric("count", needs=("orders",), splits=ALL_DIMENSIONS)
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


@metric("currency", needs=("orders",), splits=ALL_DIMENSIONS)
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
    return combine(ratio(money.values, count.values, _("no orders in {period}").format(
        period=period_text(period))), money, count)


def _first_day(day: np.ndarray, account: np.ndarray) -> np.ndarray:
    """Per row, the earliest day of its account's rows (the blank account, code -1, is
    one account; NaT days are skipped; NaT where the account has no day).

    >>> day = np.array(["2025-03-01", "2025-01-01", "NaT", "2025-02-01"], dtype="datetime64[ns]")
    >>> np.datetime_as_string(_first_day(day, np.array([0, 0, 1, -1])), unit="D").tolist()
    ['2025-01-01', '2025-01-01', 'NaT', '2025-02-01']
    """
    slot = np.where(account >= 0, account, int(account.max(initial=-1)) + 1)  # -1: a slot
    ticks = day.view(np.int64)
    dated = ~np.isnat(day)
    none = np.iinfo(np.int64).max
    first = np.full(int(slot.max(initial=0)) + 1, none, dtype=np.int64)
    np.minimum.at(first, slot[dated], ticks[dated])
    first[first == none] = np.datetime64("NaT", "ns").view(np.int64)
    return first[slot].view("datetime64[ns]")


@metric("rate", needs=("orders",), splits=ALL_DIMENSIONS)
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
    day = frame["date"].dt.normalize().to_numpy(dtype="datetime64[ns]")
    account = account_codes(frame["account_id"], split.view.links.get(("orders", "account_id")))
    repeat = period.mask(frame["date"]).to_numpy(dtype=bool) & (day > _first_day(day, account))
    repeated = Result.of(split.sum("orders", frame["amount"], repeat))
    return combine(ratio(repeated.values, money.values, _("no revenue in {period}").format(
        period=period_text(period))), money)
