"""Cohort retention: of the accounts that first ordered in a month, who orders k months later.

A matrix, not a single number: rows are acquisition months (the month of an
account's first order), columns are months since acquisition (0, 1, 2, ...),
cells the share of the cohort's accounts with at least one order in that
month. Column 0 is 1.0 by construction.

Every function takes an orders frame (``account_id``, ``date``, ``amount``),
a loaded :class:`~b2bkit.load.dataset.Dataset` (its orders up to its as_of) or a
:class:`~b2bkit.metrics.View` (its orders after the as_of cut, seen from its
as_of); ``as_of`` cuts the orders further.

Periods since acquisition are counted two ways (``anchor``):

- ``"calendar"`` (logo retention's default): period k is the k-th calendar
  month (quarter) after the one of the first order;
- ``"customer"`` (revenue's default): period k of an account runs from its
  first order date + k months (3k for quarters) to the day before + k + 1,
  so every period, the first included, is a full month (quarter) for every
  account. Counted by calendar quarter instead, an account first ordering
  late in a quarter has a short first quarter and a full second one, which
  inflates revenue retention of period 1 (121-267% on the demo, against
  93-118% by month). A cell is shown only when every account of its cohort
  has completed that period by as_of; others are NaN (shown blank).

Examples
--------
>>> import pandas as pd
>>> orders = pd.DataFrame({
...     "account_id": ["A", "A", "B", "B", "C"],
...     "date": pd.to_datetime(["2025-01-05", "2025-02-07", "2025-01-20", "2025-03-01",
...                             "2025-02-11"]),
...     "amount": [1.0, 1.0, 1.0, 1.0, 1.0]})
>>> cohort_matrix(orders)   # logo retention
since      0    1    2
cohort
2025-01  1.0  0.5  0.5
2025-02  1.0  0.0  NaN
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.asof import parse_as_of
from b2bkit.core.errors import UsageError
from b2bkit.core.i18n import N_
from b2bkit.load.dataset import Dataset
from b2bkit.metrics._base import prepare
from b2bkit.view.view import View

__all__ = ["ANCHORS", "GRAINS", "TITLES", "cohort_matrix", "cohort_sizes",
           "cumulative_revenue_per_customer"]

#: Cohort grains: calendar months or quarters.
GRAINS = ("month", "quarter")

#: How periods since acquisition are counted (see the module docstring).
ANCHORS = ("calendar", "customer")

#: Title and unit of each table, for the report.
#: (English; a report shows ``_(TITLES[measure])``, :mod:`b2bkit.core.i18n`).
TITLES = {
    "logo": N_("Logo retention: share of the cohort's accounts that ordered in period k (%)"),
    "revenue": N_("Revenue retention: the cohort's revenue in period k over period 0, periods "
                  "counted from each account's first order (%)"),
    "cumulative": N_("Cumulative revenue per customer by period since the first order "
                     "({currency})"),
}


def _elapsed(first: np.ndarray, later: np.ndarray) -> np.ndarray:
    """Whole months from each ``first`` date to ``later`` (a month ends on the same day-of-month,
    clipped to the month's length)."""
    f = pd.DatetimeIndex(first)
    t = pd.DatetimeIndex(later)
    months = (t.year - f.year) * 12 + (t.month - f.month)
    anchor = np.minimum(f.day.to_numpy(), t.days_in_month.to_numpy())
    return (months - (t.day.to_numpy() < anchor)).to_numpy().astype(np.int64)


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


def _active(orders: pd.DataFrame, grain: str, anchor: str = "calendar") -> pd.DataFrame:
    """Per order: account code, cohort (first period), periods since it, amount, first date."""
    if anchor not in ANCHORS:
        raise ValueError(f"anchor must be one of {', '.join(ANCHORS)}; not {anchor!r}")
    step = _ordinal(orders["date"], grain)
    codes, _ = pd.factorize(orders["account_id"])
    first = pd.Series(step).groupby(codes).transform("min").to_numpy()  # a cython groupby
    day = orders["date"].dt.normalize().to_numpy()
    first_day = pd.Series(day).groupby(codes).transform("min").to_numpy()
    if anchor == "calendar":
        since = step - first
    else:
        since = _elapsed(first_day, day) // (1 if grain == "month" else 3)
    amount = (orders["amount"].astype(float).fillna(0.0).to_numpy() if "amount" in orders
              else np.zeros(len(orders)))
    return pd.DataFrame({"account": codes, "cohort": first, "since": since,
                         "amount": amount, "first_day": first_day})


def _cut(orders: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    if as_of is None:
        return orders
    return orders[orders["date"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]


#: What the cohort functions accept as their data.
Orders = pd.DataFrame | Dataset | View

_NO_ORDERS = pd.DataFrame({"account_id": pd.Series(dtype="string"),
                           "date": pd.Series(dtype="datetime64[ns]"),
                           "amount": pd.Series(dtype=float)})


def _orders(data: Orders, as_of: object) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """The orders frame and the as_of to see it from.

    A frame is taken as it is (``as_of`` as given); a Dataset is prepared at
    ``as_of`` (default: its own); a View gives its cut orders, seen from its
    as_of or an earlier ``as_of``. Without an orders table: no orders.
    """
    if isinstance(data, pd.DataFrame):
        return data, None if as_of is None else pd.Timestamp(as_of)
    if not isinstance(data, Dataset | View):
        raise UsageError("orders must be an orders frame, a Dataset or a View; not "
                         f"{type(data).__name__}")
    if isinstance(data, View):
        moment = data.as_of if as_of is None else parse_as_of(as_of)
        if moment > data.as_of:
            raise UsageError(f"as_of {moment:%Y-%m-%d} is after the View's as_of "
                             f"{data.as_of:%Y-%m-%d}; prepare the Dataset at that as_of")
        view = data
    else:
        view = prepare(data, as_of)
        moment = view.as_of
    return view.tables.get("orders", _NO_ORDERS), moment


def cohort_sizes(orders: Orders, *, grain: str = "month",
                 as_of: pd.Timestamp | None = None) -> pd.Series:
    """Accounts per acquisition cohort (the month or quarter of their first order).

    Parameters
    ----------
    orders : pandas.DataFrame, Dataset or View
        Orders with ``account_id`` and ``date``, or the data holding them.
    grain : {"month", "quarter"}
    as_of : pandas.Timestamp, optional
        Orders after it are ignored.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> cohort_sizes(sample_dataset()).to_dict()
    {'2025-02': 1}
    """
    orders, as_of = _orders(orders, as_of)
    active = _active(_cut(orders, as_of), grain).drop_duplicates("account")
    sizes = active.groupby("cohort").size()
    sizes.index = _labels(sizes.index.to_numpy(), grain)
    sizes.index.name = "cohort"
    return sizes


def cohort_matrix(orders: Orders, *, grain: str = "month", measure: str = "logo",
                  shares: bool = True, as_of: pd.Timestamp | None = None,
                  anchor: str | None = None) -> pd.DataFrame:
    r"""Acquisition cohorts against periods since acquisition.

    .. math:: \text{logo}_{c,k} = \#\{a \in c : a \text{ ordered in period } c + k\},
              \quad \text{revenue}_{c,k} = \sum_{a \in c,\ \text{order in } c + k}
              \text{amount}

    Parameters
    ----------
    orders : pandas.DataFrame, Dataset or View
        ``account_id``, ``date`` and (for revenue) ``amount``; or the data
        holding them (module docstring).
    grain : {"month", "quarter"}
        Calendar months or quarters.
    measure : {"logo", "revenue"}
        Accounts that ordered, or the amount they ordered.
    shares : bool
        Divide by period 0 (the cohort's size, or its first-period revenue):
        logo retention and revenue retention (which can exceed 1).
    as_of : pandas.Timestamp, optional
        Orders after it are ignored; periods after it are NaN, not 0
        (default: a Dataset's or View's as_of, else the last order's date).
    anchor : {"calendar", "customer"}, optional
        How periods since acquisition are counted (module docstring);
        default ``"customer"`` for revenue (full periods, so period 1 is not
        inflated by a partial first one) and ``"calendar"`` for logo.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (``2025-01`` or ``2025-Q1``), columns ``since`` 0, 1, ...
    """
    if measure not in ("logo", "revenue"):
        raise ValueError(f"measure must be 'logo' or 'revenue'; not {measure!r}")
    orders, as_of = _orders(orders, as_of)
    orders = _cut(orders, as_of)
    if orders.empty:
        return pd.DataFrame(index=pd.Index([], name="cohort"),
                            columns=pd.Index([], name="since"), dtype=float)
    anchor = anchor or ("customer" if measure == "revenue" else "calendar")
    active = _active(orders, grain, anchor)
    if as_of is not None:
        last = int(_ordinal(pd.Series([pd.Timestamp(as_of)]), grain)[0])
    else:
        last = int(_ordinal(orders["date"], grain).max())
    seen = (pd.Timestamp(as_of) if as_of is not None else orders["date"].max()).normalize()
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
    if anchor == "calendar":
        horizon = last - table.index.to_numpy()[:, None] >= table.columns.to_numpy()[None, :]
    else:  # a period counts once every account of the cohort has completed it
        latest = pd.Series(active["first_day"].to_numpy()).groupby(rows).max()
        latest = latest.reindex(present).to_numpy()
        done = _elapsed(latest, np.full(len(latest), (seen + pd.Timedelta(days=1))
                                        .to_datetime64())) // (1 if grain == "month" else 3)
        horizon = table.columns.to_numpy()[None, :] < done[:, None]
    table = table.where(horizon)
    table.index = _labels(table.index.to_numpy(), grain)
    table.index.name = "cohort"
    table.columns.name = "since"
    return table


def cumulative_revenue_per_customer(orders: Orders, *, grain: str = "month",
                                    as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    r"""Revenue per customer of each cohort, accumulated over the periods since acquisition.

    .. math:: V_{c,k} = \frac{1}{|c|} \sum_{j \le k} \text{revenue}_{c,j}

    Periods are counted from each customer's first order (``anchor="customer"``):
    a cell is shown once every customer of the cohort has completed it.
    Units: currency per customer. ``orders`` is an orders frame, a Dataset or a View.
    """
    orders, as_of = _orders(orders, as_of)
    revenue = cohort_matrix(orders, grain=grain, measure="revenue", shares=False, as_of=as_of)
    if revenue.empty:
        return revenue
    sizes = cohort_sizes(orders, grain=grain, as_of=as_of).reindex(revenue.index)
    return revenue.cumsum(axis=1).where(revenue.notna()).div(sizes, axis=0)
