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
months_since    0    1    2
cohort
2025-01       1.0  0.5  0.5
2025-02       1.0  0.0  NaN
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["cohort_retention", "cohort_sizes"]


def _months(orders: pd.DataFrame) -> pd.DataFrame:
    """Per (account, month with an order): the month and months since the first one."""
    day = orders["date"].to_numpy(dtype="datetime64[M]")
    month = day.astype(np.int64)  # months since 1970-01
    codes, uniques = pd.factorize(orders["account_id"])
    first = np.full(len(uniques), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, month)
    frame = pd.DataFrame({"account": codes, "cohort": first[codes],
                          "since": month - first[codes]})
    return frame.drop_duplicates(["account", "since"])


def cohort_sizes(orders: pd.DataFrame) -> pd.Series:
    """Accounts per acquisition month (the month of their first order)."""
    active = _months(orders)
    sizes = active[active["since"] == 0].groupby("cohort").size()
    sizes.index = pd.PeriodIndex.from_ordinals(sizes.index, freq="M").astype(str)
    sizes.index.name = "cohort"
    return sizes


def cohort_retention(orders: pd.DataFrame, *, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    r"""The share of each acquisition cohort that ordered k months after its first order.

    .. math:: R_{c,k} = \frac{\#\{a \in c : a \text{ ordered in month } c + k\}}{|c|}

    Parameters
    ----------
    orders : pandas.DataFrame
        With ``account_id`` and ``date`` (the ``orders`` table).
    as_of : pandas.Timestamp, optional
        Orders after it are ignored; months after it are left empty (NaN)
        rather than shown as 0, since they have not happened yet.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (``YYYY-MM``), columns ``months_since`` 0, 1, ...;
        values are fractions.
    """
    if as_of is not None:
        orders = orders[orders["date"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]
    if orders.empty:
        return pd.DataFrame(index=pd.Index([], name="cohort"),
                            columns=pd.Index([], name="months_since"), dtype=float)
    active = _months(orders)
    last = (np.datetime64(as_of, "M").astype(np.int64) if as_of is not None
            else int((active["cohort"] + active["since"]).max()))
    counts = active.groupby(["cohort", "since"]).size().unstack(fill_value=0)
    # every month up to the last one, even when no cohort ordered in it
    counts = counts.reindex(columns=range(int(last - counts.index.min()) + 1), fill_value=0)
    shares = counts.div(counts[0], axis=0).astype(float)
    horizon = last - shares.index.to_numpy()[:, None] >= shares.columns.to_numpy()[None, :]
    shares = shares.where(horizon)
    shares.index = pd.PeriodIndex.from_ordinals(shares.index, freq="M").astype(str)
    shares.index.name = "cohort"
    shares.columns.name = "months_since"
    return shares
