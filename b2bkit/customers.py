"""The customer lifecycle of CONTRACT.md section 2: start, stop, channel, segment, S/E/N/L.

An account becomes a customer on its first order (or, without orders, its
first won opportunity's close) and stops on ``churned_at`` (if on or before
as_of) or on its last order + ``churn_after_days`` (if that day is on or
before as_of). It is a customer on day *d* when start <= d < stop. Its
acquisition channel is the channel of its earliest lead (its own leads and
the leads of its opportunities; between leads created at the same moment,
the lower lead_id), its segment that of the accounts table.

For a period *P*: **S** = customers on the day before *P*, **E** =
customers on *P*'s last day, **N** = accounts whose start is in *P*, **L** =
accounts in S whose stop is in *P* (:func:`customer_states`).

Examples
--------
>>> orders = pd.DataFrame({"account_id": pd.array(["A1", "A1", "A2"], dtype="string"),
...                        "date": pd.to_datetime(["2025-01-10", "2025-03-01", "2025-02-01"])})
>>> c = lifecycle({"orders": orders}, {}, churn_after_days=30, as_of=pd.Timestamp("2025-06-30"))
>>> c[["account_id", "start", "stop"]].astype(str).values.tolist()
[['A1', '2025-01-10', '2025-03-31'], ['A2', '2025-02-01', '2025-03-03']]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bkit.dims import UNKNOWN, own
from b2bkit.errors import UsageError
from b2bkit.links import blank, first_per, id_rank, link, parent_positions, take, take_values
from b2bkit.periods import Period

if TYPE_CHECKING:
    from b2bkit.metrics import View

__all__ = ["STATES", "account_channels", "account_dims", "acquisition_channel", "customer_states",
           "lifecycle", "state_masks"]

#: The columns of :func:`customer_states`.
STATES = ("S", "E", "N", "L")

_DAY_DTYPE = "datetime64[ns]"


def acquisition_channel(account_ids: pd.Series, tables: dict[str, pd.DataFrame],
                        links: dict) -> pd.Series:
    """Per account id, the channel of its earliest lead (categorical; NA: no lead).

    The account's leads are the leads naming it and the leads of the
    opportunities naming it. The earliest is the one created first; between
    leads created at the same moment, the one with the lower lead_id (a rule
    that does not depend on the order of the rows, nor on whether an
    accounts table is present).

    Parameters
    ----------
    account_ids : pandas.Series
        Distinct account ids.
    tables, links
        The tables and their foreign-key positions (:mod:`b2bkit.links`).

    Examples
    --------
    >>> leads = pd.DataFrame({"lead_id": ["L2", "L1"], "account_id": ["A1", "A1"],
    ...                       "created_at": pd.to_datetime(["2025-01-01", "2025-01-01"]),
    ...                       "channel": ["webinar", "content"]})
    >>> acquisition_channel(pd.Series(["A1", "A9"]), {"leads": leads}, {}).tolist()
    ['content', nan]
    """
    leads = tables.get("leads")
    if leads is None or not len(account_ids):
        return blank(len(account_ids))
    ids = account_ids.astype("string")
    accounts, rows = [], []
    if "account_id" in leads:
        accounts.append(parent_positions(ids, leads["account_id"].astype("string")))
        rows.append(np.arange(len(leads)))
    opps = tables.get("opportunities")
    if opps is not None and "account_id" in opps and ("opportunities", "lead_id") in links:
        accounts.append(parent_positions(ids, opps["account_id"].astype("string")))
        rows.append(links[("opportunities", "lead_id")])
    if not accounts:
        return blank(len(account_ids))
    account, row = np.concatenate(accounts), np.concatenate(rows)
    row = np.where(account >= 0, row, -1)
    created = leads["created_at"].to_numpy(dtype=_DAY_DTYPE).astype(np.int64)
    rank = id_rank(leads["lead_id"])
    safe = np.maximum(row, 0)
    earliest = first_per(account, row, len(ids), created[safe], rank[safe])
    return take(own(leads, "channel"), earliest)


def _events(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per account: the days of its orders and of its won opportunities' closes."""
    orders, opps = tables.get("orders"), tables.get("opportunities")
    parts = []
    if orders is not None and len(orders):
        parts.append(pd.DataFrame({"account_id": orders["account_id"].astype("string"),
                                   "day": orders["date"].dt.normalize(), "order": True}))
    if opps is not None and "account_id" in opps:
        won = opps[(opps["status"] == "won").to_numpy() & opps["account_id"].notna().to_numpy()]
        parts.append(pd.DataFrame({"account_id": won["account_id"].astype("string"),
                                   "day": won["closed_at"].dt.normalize(), "order": False}))
    if not parts:
        return pd.DataFrame({"account_id": pd.Series(dtype="string"),
                             "day": pd.Series(dtype=_DAY_DTYPE), "order": pd.Series(dtype=bool)})
    return pd.concat(parts, ignore_index=True)


def lifecycle(tables: dict[str, pd.DataFrame], links: dict, *, churn_after_days: int,
              as_of: pd.Timestamp, per_account: dict[str, pd.Series] | None = None
              ) -> pd.DataFrame:
    """Start, stop, acquisition channel and segment of every account that became a customer.

    Parameters
    ----------
    tables, links
        The tables cut at as_of and their foreign-key positions.
    churn_after_days : int
        Days after the last order after which an account without
        ``churned_at`` stops being a customer.
    as_of : pandas.Timestamp
        An inferred stop after as_of has not happened (NaT).
    per_account : dict, optional
        :func:`account_channels` of the same tables, when the caller has it.

    Returns
    -------
    pandas.DataFrame
        ``account_id``, ``start``, ``stop`` (NaT: still a customer),
        ``channel`` and ``segment`` (categorical), in order of first event.
    """
    events = _events(tables)
    codes, ids = pd.factorize(events["account_id"])
    days = events["day"].to_numpy(dtype=_DAY_DTYPE)
    is_order = events["order"].to_numpy(dtype=bool)
    frame = pd.DataFrame({"account_id": pd.array(ids, dtype="string")})
    first_order = pd.Series(days[is_order]).groupby(codes[is_order]).min()
    last_order = pd.Series(days[is_order]).groupby(codes[is_order]).max()
    first_won = pd.Series(days[~is_order]).groupby(codes[~is_order]).min()
    start = first_order.reindex(frame.index)
    frame["start"] = start.fillna(first_won.reindex(frame.index)).astype(_DAY_DTYPE)
    accounts = tables.get("accounts")
    churned = pd.Series(pd.NaT, index=frame.index, dtype=_DAY_DTYPE)
    if accounts is not None:
        account_row = parent_positions(accounts["account_id"].astype("string"),
                                       frame["account_id"])
        if "churned_at" in accounts:
            churned = take_values(accounts["churned_at"].dt.normalize(), account_row)
    inferred = (last_order.reindex(frame.index).astype(_DAY_DTYPE)
                + pd.Timedelta(days=churn_after_days))
    inferred = inferred.where(inferred <= as_of)
    frame["stop"] = churned.astype(_DAY_DTYPE).fillna(inferred)
    if accounts is not None:
        per_account = per_account or account_channels(tables, links)
        frame["channel"] = take(per_account["channel"], account_row)
        frame["segment"] = take(per_account["segment"], account_row)
    else:
        frame["channel"] = acquisition_channel(frame["account_id"], tables, links)
        frame["segment"] = blank(len(frame))
    return frame


def account_channels(tables: dict[str, pd.DataFrame],
                     links: dict) -> dict[str, pd.Series] | None:
    """Per accounts row: acquisition channel and segment (None without an accounts table)."""
    accounts = tables.get("accounts")
    if accounts is None:
        return None
    return {"channel": acquisition_channel(accounts["account_id"], tables, links),
            "segment": own(accounts, "segment")}


def account_dims(tables: dict[str, pd.DataFrame], links: dict, customers: pd.DataFrame,
                 per_account: dict[str, pd.Series] | None = None
                 ) -> dict[str, dict[str, pd.Series]]:
    """The customer dimensions: customers, nps and ``customer_orders`` rows by account.

    Customer metrics split by the account's acquisition channel and segment
    (without an accounts table: the channel only, by account id).
    """
    dims = {"customers": {"channel": customers["channel"], "segment": customers["segment"]}}
    if per_account is None:
        per_account = account_channels(tables, links)
    for name, alias in (("nps", "nps"), ("orders", "customer_orders")):
        if name not in tables:
            continue
        n = len(tables[name])
        if per_account is not None:
            rows = link(links, name, "account_id", n)
            dims[alias] = {dim: take(per_account[dim], rows) for dim in ("channel", "segment")}
        else:
            codes, ids = pd.factorize(tables[name]["account_id"].astype("string"))
            channel = acquisition_channel(pd.Series(ids, dtype="string"), tables, links)
            dims[alias] = {"channel": take(channel, codes), "segment": blank(n)}
    return dims


def _on(customers: pd.DataFrame, day: pd.Timestamp) -> np.ndarray:
    """Customers on ``day``: start <= day < stop."""
    return ((customers["start"] <= day) & ~(customers["stop"] <= day)).to_numpy(dtype=bool)


def state_masks(customers: pd.DataFrame, period: Period) -> dict[str, np.ndarray]:
    """Which customers count in S, E, N and L of ``period``: the one definition of the four.

    ``customers`` is :attr:`View.customers` (``start``, ``stop`` per account);
    each mask has one boolean per row of it. S: a customer on the day before
    the period; E: on its last day; N: start in the period; L: in S, stop in
    the period (counted, never derived from a rate).
    """
    s = _on(customers, period.day_before_start)
    return {"S": s, "E": _on(customers, period.end),
            "N": period.mask(customers["start"]).to_numpy(dtype=bool),
            "L": s & period.mask(customers["stop"]).to_numpy(dtype=bool)}


def customer_states(view: View, period: Period | str, by: str | None = None) -> pd.DataFrame:
    r"""S, E, N and L of a period, counted (per group of ``by``).

    .. math::
        S = \#\{a : \text{start} \le d_0 - 1 < \text{stop}\},\quad
        E = \#\{a : \text{start} \le d_1 < \text{stop}\},\\
        N = \#\{a : \text{start} \in P\},\quad
        L = \#\{a \in S : \text{stop} \in P\}

    Parameters
    ----------
    view : View
        A prepared dataset (:func:`b2bkit.metrics.prepare`).
    period : Period or str
        The period *P* (first day *d0*, last day *d1*).
    by : {"channel", "segment"}, optional
        Split by the account's acquisition channel or segment.

    Returns
    -------
    pandas.DataFrame
        Columns S, E, N, L (integers); one row ``all``, or one per group of
        ``by`` (``(unknown)`` for accounts without one).

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> customer_states(prepare(sample_dataset()), "2025-Q1")
         S  E  N  L
    all  0  1  1  0
    """
    period = period if isinstance(period, Period) else Period.parse(period)
    c = view.customers
    frame = pd.DataFrame(state_masks(c, period)).astype("int64")
    if by is None:
        return pd.DataFrame([frame.sum()], index=pd.Index(["all"])).astype("int64")
    if by not in ("channel", "segment"):
        raise UsageError(f"customers can be split by channel or segment, not {by!r}")
    labels = c[by].astype("string").fillna(UNKNOWN).to_numpy()
    return frame.groupby(labels).sum().reindex(view.groups(by), fill_value=0).astype("int64")
