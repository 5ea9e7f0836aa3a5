"""Cohort retention: of the accounts that first ordered in a month, who orders k months later.

A matrix, not a single number: rows are acquisition months (the month of an
account's first order), columns are months since acquisition (0, 1, 2, ...),
cells the share of the cohort's accounts with at least one order in that
month. Column 0 is 1.0 by construction.

Examples
--------
>>> import pandas as pd
>>> orders = pd.DataFrame({
...     "account_id": ["A", "A", "B", "B", "C"],
...     "date": pd.to_datetime(["2025-01-05", "2025-02-07", "2025-01-20", "2025-03-01",
...                             "2025-02-11"]),
...     "amount": [1.0, 1.0, 1.0, 1.0, 1.0]})
>>> cohort_retention(orders)
since      0    1    2
cohort
2025-01  1.0  0.5  0.5
2025-02  1.0  0.0  NaN
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["GRAINS", "cohort_matrix", "cohort_retention", "cohort_sizes",
           "cumulative_revenue_per_customer"]

#: Cohort grains: calendar months or quarters.
GRAINS = ("month", "quarter")


def _ordinal(dates: pd.Series, grain: str) -> np.ndarray:
    """Months (or quarters) since 1970 of each date."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {', '.join(GRAINS)}; not {grain!r}")
    months = dates.to_numpy(dtype="datetime64[M]").astype(np.int64)
    return months if grain == "month" else months // 3


def _labels(ordinals: np.ndarray, grain: str) -> pd.Index:
    if grain == "month":
        return pd.PeriodIndex.from_ordinals(ordinals, freq="M").astype(str)
    periods = pd.PeriodIndex.from_ordinals(ordinals, freq="Q")
    return pd.Index([f"{p.year}-Q{p.quarter}" for p in periods])  # one per cohort, not per row


def _active(orders: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Per order: account code, cohort (first period) and periods since it, and amount."""
    step = _ordinal(orders["date"], grain)
    codes, _ = pd.factorize(orders["account_id"])
    first = pd.Series(step).groupby(codes).transform("min").to_numpy()  # a cython groupby
    amount = (orders["amount"].astype(float).fillna(0.0).to_numpy() if "amount" in orders
              else np.zeros(len(orders)))
    return pd.DataFrame({"account": codes, "cohort": first, "since": step - first,
                         "amount": amount})


def _cut(orders: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    if as_of is None:
        return orders
    return orders[orders["date"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]


def cohort_sizes(orders: pd.DataFrame, *, grain: str = "month") -> pd.Series:
    """Accounts per acquisition cohort (the month or quarter of their first order)."""
    active = _active(orders, grain).drop_duplicates("account")
    sizes = active.groupby("cohort").size()
    sizes.index = _labels(sizes.index.to_numpy(), grain)
    sizes.index.name = "cohort"
    return sizes


def cohort_matrix(orders: pd.DataFrame, *, grain: str = "month", measure: str = "logo",
                  shares: bool = True, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    r"""Acquisition cohorts against periods since acquisition.

    .. math:: \text{logo}_{c,k} = \#\{a \in c : a \text{ ordered in period } c + k\},
              \quad \text{revenue}_{c,k} = \sum_{a \in c,\ \text{order in } c + k}
              \text{amount}

    Parameters
    ----------
    orders : pandas.DataFrame
        ``account_id``, ``date`` and (for revenue) ``amount``.
    grain : {"month", "quarter"}
        Calendar months or quarters.
    measure : {"logo", "revenue"}
        Accounts that ordered, or the amount they ordered.
    shares : bool
        Divide by period 0 (the cohort's size, or its first-period revenue):
        logo retention and revenue retention (which can exceed 1).
    as_of : pandas.Timestamp, optional
        Orders after it are ignored; periods after it are NaN, not 0.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (``2025-01`` or ``2025-Q1``), columns ``since`` 0, 1, ...
    """
    if measure not in ("logo", "revenue"):
        raise ValueError(f"measure must be 'logo' or 'revenue'; not {measure!r}")
    orders = _cut(orders, as_of)
    if orders.empty:
        return pd.DataFrame(index=pd.Index([], name="cohort"),
                            columns=pd.Index([], name="since"), dtype=float)
    active = _active(orders, grain)
    if as_of is not None:
        last = int(_ordinal(pd.Series([pd.Timestamp(as_of)]), grain)[0])
    else:
        last = int((active["cohort"] + active["since"]).max())
    # cells counted on integer codes with bincount: no hashing of pairs, no unstack
    cohort = active["cohort"].to_numpy()
    since = active["since"].to_numpy()
    first = int(cohort.min())
    width = int(last - first) + 1
    rows = cohort - first
    if measure == "logo":  # each account once per period: unique (account, since) pairs
        pair = active["account"].to_numpy().astype(np.int64) * width + since
        keep = ~pd.Series(pair).duplicated().to_numpy()  # hashing, not sorting
        rows, since, weights = rows[keep], since[keep], None
    else:
        weights = active["amount"].to_numpy()
    counts = np.bincount(rows * width + since, weights=weights,
                         minlength=width * width).reshape(width, width)
    present = np.unique(cohort) - first
    table = pd.DataFrame(counts[present], index=present + first, columns=range(width),
                         dtype=float)
    if shares:
        table = table.div(table[0].where(table[0] != 0), axis=0)
    horizon = last - table.index.to_numpy()[:, None] >= table.columns.to_numpy()[None, :]
    table = table.where(horizon)
    table.index = _labels(table.index.to_numpy(), grain)
    table.index.name = "cohort"
    table.columns.name = "since"
    return table


def cohort_retention(orders: pd.DataFrame, *, as_of: pd.Timestamp | None = None,
                     grain: str = "month") -> pd.DataFrame:
    r"""The share of each acquisition cohort that ordered k periods after its first order.

    .. math:: R_{c,k} = \frac{\#\{a \in c : a \text{ ordered in period } c + k\}}{|c|}

    Logo retention: :func:`cohort_matrix` with ``measure="logo"``, as shares.
    """
    return cohort_matrix(orders, grain=grain, measure="logo", shares=True, as_of=as_of)


def cumulative_revenue_per_customer(orders: pd.DataFrame, *, grain: str = "month",
                                    as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    r"""Revenue per customer of each cohort, accumulated over the periods since acquisition.

    .. math:: V_{c,k} = \frac{1}{|c|} \sum_{j \le k} \text{revenue}_{c,j}
    """
    revenue = cohort_matrix(orders, grain=grain, measure="revenue", shares=False, as_of=as_of)
    if revenue.empty:
        return revenue
    sizes = cohort_sizes(_cut(orders, as_of), grain=grain).reindex(revenue.index)
    return revenue.cumsum(axis=1).where(revenue.notna()).div(sizes, axis=0)
