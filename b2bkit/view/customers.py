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

from collections.abc import Callable

import numpy as np
import pandas as pd

from b2bkit.core.periods import Period
from b2bkit.load.links import (
    blank,
    first_per,
    id_rank,
    link,
    parent_positions,
    take,
    take_values,
    unfound,
)
from b2bkit.view.dims import own

__all__ = ["STATES", "account_channels", "account_dims", "acquisition_channel",
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
        The tables and their foreign-key positions (:mod:`b2bkit.load.links`).

    Examples
    --------
    >>> leads = pd.DataFrame({"lead_id": ["L2", "L1"], "account_id": ["A1", "A1"],
    ...                       "created_at": pd.to_datetime(["2025-01-01", "2025-01-01"]),
    ...                       "channel": ["webinar", "content"]})
    >>> acquisition_channel(pd.Series(["A1", "A9"]), {"leads": leads}, {}).tolist()
    ['content', nan]
    """
    if tables.get("leads") is None or not len(account_ids):
        return blank(len(account_ids))
    ids = account_ids.astype("string")

    def named(table: str) -> np.ndarray:
        return parent_positions(ids, tables[table]["account_id"].astype("string"))

    return _earliest_channel(len(ids), tables, links, named)


def _earliest_channel(size: int, tables: dict[str, pd.DataFrame], links: dict,
                      named: Callable[[str], np.ndarray]) -> pd.Series:
    """:func:`acquisition_channel` of ``size`` accounts, ``named(table)`` giving the
    account (0..size-1, -1: none) that each row of leads or opportunities names."""
    leads = tables["leads"]
    accounts, rows = [], []
    if "account_id" in leads:
        accounts.append(named("leads"))
        rows.append(np.arange(len(leads)))
    opps = tables.get("opportunities")
    if opps is not None and "account_id" in opps and ("opportunities", "lead_id") in links:
        accounts.append(named("opportunities"))
        rows.append(links[("opportunities", "lead_id")])
    if not accounts:
        return blank(size)
    account, row = np.concatenate(accounts), np.concatenate(rows)
    row = np.where(account >= 0, row, -1)
    created = leads["created_at"].to_numpy(dtype=_DAY_DTYPE).astype(np.int64)
    rank = _candidate_rank(leads["lead_id"], row)
    safe = np.maximum(row, 0)
    earliest = first_per(account, row, size, created[safe], rank[safe])
    return take(own(leads, "channel"), earliest)


def _candidate_rank(lead_ids: pd.Series, rows: np.ndarray) -> np.ndarray:
    """:func:`b2bkit.load.links.id_rank` of the leads at ``rows`` (-1: none), 0 for the others:
    the same order between any two candidates, for a fraction of the sort.

    >>> _candidate_rank(pd.Series(["L3", "L1", "L2"]), np.array([2, -1, 0, 2])).tolist()
    [1, 0, 0]
    """
    rank = np.zeros(len(lead_ids), dtype=np.int64)
    named = np.zeros(len(lead_ids), dtype=bool)
    named[rows[rows >= 0]] = True
    candidates = np.flatnonzero(named)
    if len(candidates):
        rank[candidates] = id_rank(lead_ids.iloc[candidates])
    return rank


def account_codes(accounts: pd.Series, positions: np.ndarray | None) -> np.ndarray:
    """An integer per row naming its account: equal ids, equal codes; -1 where blank.

    The rows of the accounts table that the link ``positions`` holds, when it
    names the account of every row with an id (no text is hashed again);
    else the codes of :func:`pandas.factorize`.

    >>> ids = pd.Series(["A2", None, "A2", "A1"], dtype="string")
    >>> account_codes(ids, np.array([1, -1, 1, 0])).tolist()
    [1, -1, 1, 0]
    >>> account_codes(ids, np.array([1, -1, 1, -1])).tolist()  # A1 not in the accounts table
    [0, -1, 0, 1]
    """
    if positions is not None and not unfound(positions, accounts):
        return positions
    return pd.factorize(accounts)[0]


def _events(tables: dict[str, pd.DataFrame], links: dict) -> pd.DataFrame:
    """The days of every account's orders and of its won opportunities' closes.

    Columns ``day``, ``order`` (False: a won close) and the account: its row
    of the accounts table, ``account_row``, when the links hold the account
    of every event (no ids hashed again), else its ``account_id``.
    """
    orders, opps = tables.get("orders"), tables.get("opportunities")
    sources = []  # (table, rows kept or None for all, date column, is an order)
    if orders is not None and len(orders):
        sources.append(("orders", None, "date", True))
    if opps is not None and "account_id" in opps:
        won = (opps["status"] == "won").to_numpy() & opps["account_id"].notna().to_numpy()
        sources.append(("opportunities", won, "closed_at", False))
    if not sources:
        return pd.DataFrame({"account_id": pd.Series(dtype="string"),
                             "day": pd.Series(dtype=_DAY_DTYPE), "order": pd.Series(dtype=bool)})
    rows = [_linked_rows(tables, links, name, keep) for name, keep, _, _ in sources]
    linked = all(r is not None for r in rows)
    parts = []
    for (name, keep, column, is_order), row in zip(sources, rows, strict=True):
        frame = tables[name] if keep is None else tables[name][keep]
        account = ({"account_row": row} if linked
                   else {"account_id": frame["account_id"].astype("string")})
        parts.append(pd.DataFrame({**account, "day": frame[column].dt.normalize(),
                                   "order": is_order}))
    return pd.concat(parts, ignore_index=True)


def _linked_rows(tables: dict[str, pd.DataFrame], links: dict, name: str,
                 keep: np.ndarray | None) -> np.ndarray | None:
    """The accounts-table row of each kept row of ``name`` (-1: no account), or None when
    there is no accounts table, no link, or an account id the link does not find."""
    found = links.get((name, "account_id"))
    if "accounts" not in tables or found is None:
        return None
    ids = tables[name]["account_id"]
    if keep is not None:
        found, ids = found[keep], ids[keep]
    return None if unfound(found, ids) else found


def _first_seen(rows: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``rows`` (0..size-1; -1: no row) in order of first appearance, and the
    rows coded, as :func:`pandas.factorize` gives them (by each row's first position).

    >>> codes, rows = _first_seen(np.array([4, -1, 2, 4]), 5)
    >>> codes.tolist(), rows.tolist()
    ([0, -1, 1, 0], [4, 2])
    """
    used = rows >= 0
    first = np.full(size, len(rows), dtype=np.int64)
    np.minimum.at(first, rows[used], np.flatnonzero(used))
    seen = np.flatnonzero(first < len(rows))
    seen = seen[np.argsort(first[seen])]  # first positions are distinct
    code_of = np.full(size + 1, -1, dtype=np.int64)  # the last slot: row -1, no code
    code_of[seen] = np.arange(len(seen))
    return code_of[rows], seen


def _day_extremes(days: np.ndarray, codes: np.ndarray, size: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per code 0..size-1, the earliest and the latest of ``days`` (NaT: none).

    >>> days = np.array(["2025-01-05", "2025-01-02", "NaT", "2025-02-01"],
    ...                 dtype="datetime64[ns]")
    >>> first, last = _day_extremes(days, np.array([0, 0, 1, -1]), 3)
    >>> np.datetime_as_string(first, unit="D").tolist()
    ['2025-01-02', 'NaT', 'NaT']
    >>> np.datetime_as_string(last, unit="D").tolist()
    ['2025-01-05', 'NaT', 'NaT']
    """
    ticks = days.astype(_DAY_DTYPE).view(np.int64)
    use = (codes >= 0) & ~np.isnat(days)
    nat = np.datetime64("NaT").astype(_DAY_DTYPE).view(np.int64)
    none = np.iinfo(np.int64).max
    first = np.full(size, none, dtype=np.int64)
    np.minimum.at(first, codes[use], ticks[use])
    first[first == none] = nat
    last = np.full(size, nat, dtype=np.int64)
    np.maximum.at(last, codes[use], ticks[use])
    return first.view(_DAY_DTYPE), last.view(_DAY_DTYPE)


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
    events = _events(tables, links)
    accounts = tables.get("accounts")
    if "account_row" in events:  # by the links: the accounts rows in order of first event
        codes, account_row = _first_seen(events["account_row"].to_numpy(), len(accounts))
        ids = accounts["account_id"].astype("string").array.take(account_row)
    else:
        codes, ids = pd.factorize(events["account_id"])
    days = events["day"].to_numpy(dtype=_DAY_DTYPE)
    is_order = events["order"].to_numpy(dtype=bool)
    frame = pd.DataFrame({"account_id": pd.array(ids, dtype="string")})
    first_order, last_order = _day_extremes(days[is_order], codes[is_order], len(frame))
    first_won, _ = _day_extremes(days[~is_order], codes[~is_order], len(frame))
    frame["start"] = np.where(np.isnat(first_order), first_won, first_order)
    churned = pd.Series(pd.NaT, index=frame.index, dtype=_DAY_DTYPE)
    if accounts is not None:
        if "account_row" not in events:
            account_row = parent_positions(accounts["account_id"].astype("string"),
                                           frame["account_id"])
        if "churned_at" in accounts:
            churned = take_values(accounts["churned_at"].dt.normalize(), account_row)
    inferred = (pd.Series(last_order, index=frame.index)
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
    if tables.get("leads") is None or not len(accounts):
        channel = blank(len(accounts))
    else:
        ids = accounts["account_id"].astype("string")

        def named(table: str) -> np.ndarray:  # the links hold them: no ids looked up again
            found = links.get((table, "account_id"))
            if found is None:
                return parent_positions(ids, tables[table]["account_id"].astype("string"))
            return found

        channel = _earliest_channel(len(accounts), tables, links, named)
    return {"channel": channel, "segment": own(accounts, "segment")}


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
