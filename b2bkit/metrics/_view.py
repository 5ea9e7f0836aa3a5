"""The dataset as seen from as_of, with every row's dimensions attached.

:func:`prepare` applies the as_of cut of CONTRACT section 2 once (leads
created after as_of do not exist, mql_at / sql_at after it are unset,
opportunities closed after it are open, dated rows after it are dropped),
works out each row's dimensions (channel, campaign_id, segment, rep_id,
practice) through the links of section 3, and the customer spans (start,
stop) of every account. Metric functions take a :class:`View` (or a
dataset, which they prepare) and never change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from b2bkit.dataset import Dataset, renumber_link
from b2bkit.periods import parse_as_of
from b2bkit.schema import TABLES

__all__ = ["CUT_COLUMNS", "DIMENSIONS", "UNKNOWN", "View", "cut_counts", "lookup", "prepare"]

#: Columns of :attr:`View.cut`: per table, the date column of the cut and the rows dropped.
CUT_COLUMNS = ["table", "column", "rows"]

#: The dimensions a metric can be split by.
DIMENSIONS = ("channel", "campaign_id", "segment", "rep_id", "practice")

#: The group of blank dimension values.
UNKNOWN = "(unknown)"

_DAY = pd.Timedelta(days=1)

#: Views of a table with other dimensions: orders split by their account's
#: acquisition channel and segment (for customer metrics such as arpa).
ALIASES = {"customer_orders": "orders"}

#: Tables whose rows are dropped when dated after as_of, by their date column.
_DATED = {
    "stage_history": "entered_at",
    "orders": "date",
    "spend": "date",
    "sales_costs": "date",
    "activities": "date",
    "nps": "date",
    "engagement": "date",
}


@dataclass(frozen=True)
class View:
    """A dataset cut at ``as_of`` with dimensions attached.

    Attributes
    ----------
    as_of : pandas.Timestamp
        Midnight of the as_of day; rows dated on that day count.
    tables : dict of str to pandas.DataFrame
        The cut tables (absent tables are absent).
    dims : dict of str to dict of str to pandas.Series
        ``dims[table][dimension]``: the text value of the dimension for each
        row of the table (NA when blank); a dimension a table cannot be
        split by is absent.
    links : dict of (str, str) to numpy.ndarray
        The foreign-key row positions of :attr:`b2bkit.dataset.Dataset.links`,
        renumbered for the cut tables.
    customers : pandas.DataFrame
        One row per account that ever became a customer up to as_of:
        ``account_id``, ``start``, ``stop`` (NaT = still a customer),
        ``channel`` (acquisition channel) and ``segment``.
    settings : Settings
        The dataset's settings.
    cut : pandas.DataFrame
        The rows the as_of cut dropped, one row per table that lost any
        (:data:`CUT_COLUMNS`: ``table``, the date ``column`` compared with
        as_of, ``rows``); empty when nothing is dated after as_of.
    """

    as_of: pd.Timestamp
    tables: dict[str, pd.DataFrame]
    dims: dict[str, dict[str, pd.Series]]
    customers: pd.DataFrame
    settings: object
    links: dict = field(default_factory=dict, repr=False)
    dataset_name: str = ""
    cut: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CUT_COLUMNS),
                              repr=False)

    def frame(self, table: str) -> pd.DataFrame:
        """A table, the customers, or ``customer_orders`` (orders seen per account)."""
        if table == "customers":
            return self.customers
        return self.tables[ALIASES.get(table, table)]

    def groups(self, by: str) -> list[str]:
        """Every value of ``by`` in the data, plus ``(unknown)`` for blanks, sorted."""
        values: set[str] = set()
        for table_dims in self.dims.values():
            if by in table_dims:
                series = table_dims[by]
                codes = series.cat.codes.to_numpy()
                used = np.unique(codes)
                values.update(str(v) for v in series.cat.categories[used[used >= 0]])
                if len(used) and used[0] < 0:
                    values.add(UNKNOWN)
        return sorted(values)


def _cat(values: pd.Series) -> pd.Series:
    """Dimension values as a categorical (blanks are already missing after loading)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values
    return values.astype("category")


def _blank(n: int) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(np.full(n, -1), categories=[]))


def _take(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values`` at ``positions`` (-1: missing), as a categorical."""
    values = _cat(values)
    codes = values.cat.codes.to_numpy()
    if len(codes) == 0:
        return _blank(len(positions))
    taken = np.where(positions >= 0, codes[np.maximum(positions, 0)], -1)
    return pd.Series(pd.Categorical.from_codes(taken, dtype=values.dtype))


def _take_values(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values`` (any dtype) at ``positions``, missing where -1."""
    if len(values) == 0:
        return pd.Series(pd.array([pd.NA] * len(positions), dtype=values.dtype)) if len(
            positions) else values.iloc[:0].reset_index(drop=True)
    taken = values.iloc[np.maximum(positions, 0)].reset_index(drop=True)
    return taken.where(pd.Series(positions >= 0))


def _on_or_before(values: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """True where a timestamp's calendar date is on or before as_of (NaT: False)."""
    return (values < as_of + _DAY).fillna(False).to_numpy(dtype=bool)


def cut_counts(keep: dict[str, np.ndarray]) -> pd.DataFrame:
    """Rows dropped by the as_of cut, per table (tables that lost none are left out).

    ``keep[table]`` is the mask of the rows kept; the count is ``len - sum``.

    >>> cut_counts({"orders": np.array([True, False, False]), "reps": np.array([True])})
        table column  rows
    0  orders   date     2
    """
    dates = {"leads": "created_at", "opportunities": "created_at", **_DATED}
    rows = [[name, dates.get(name, ""), int((~mask).sum())] for name, mask in keep.items()
            if (~mask).any()]
    return pd.DataFrame(rows, columns=CUT_COLUMNS).astype({"rows": "int64"})


def _cut(ds: Dataset, as_of: pd.Timestamp) -> tuple[dict[str, pd.DataFrame],
                                                   dict[tuple[str, str], np.ndarray],
                                                   pd.DataFrame]:
    """The tables as of as_of, their links renumbered, and the rows dropped per table."""
    tables, keep = {}, {}
    for name, frame in ds.tables.items():
        mask = np.ones(len(frame), dtype=bool)
        changes = {}
        if name == "leads":
            mask = _on_or_before(frame["created_at"], as_of)
            for column in ("mql_at", "sql_at"):
                if column in frame:
                    changes[column] = frame[column].where(_on_or_before(frame[column], as_of))
        elif name == "opportunities":
            mask = _on_or_before(frame["created_at"], as_of)
            if "closed_at" in frame:
                later = frame["closed_at"].notna().to_numpy() & ~_on_or_before(
                    frame["closed_at"], as_of)
                changes["status"] = frame["status"].where(~later, "open")
                changes["closed_at"] = frame["closed_at"].where(~later)
        elif name == "accounts" and "churned_at" in frame:
            changes["churned_at"] = frame["churned_at"].where(
                _on_or_before(frame["churned_at"], as_of))
        elif name in _DATED:
            mask = _on_or_before(frame[_DATED[name]], as_of)
        if changes:
            frame = frame.assign(**changes)
        tables[name] = frame[mask].reset_index(drop=True) if not mask.all() else frame
        keep[name] = mask
    links = {}
    for (child, column), positions in ds.links.items():
        parent = next(fk.table for fk in TABLES[child].foreign_keys if fk.column == column)
        links[(child, column)] = renumber_link(positions, keep[child], keep[parent])
    # a link to a row that does not exist yet counts as unset
    for child, column in (("leads", "opportunity_id"), ("opportunities", "lead_id")):
        if (child, column) in links:
            frame = tables[child]
            tables[child] = frame.assign(**{column: frame[column].where(
                pd.Series(links[(child, column)] >= 0))})
    return tables, links, cut_counts(keep)


def _link(links: dict, table: str, column: str, n: int) -> np.ndarray:
    return links.get((table, column), np.full(n, -1))


def _own(frame: pd.DataFrame, column: str) -> pd.Series:
    return _cat(frame[column]) if column in frame else _blank(len(frame))


def _campaign_dims(tables: dict[str, pd.DataFrame]) -> dict[str, pd.Series] | None:
    """campaign_id, channel and practice (default: the channel) per campaign row."""
    campaigns = tables.get("campaigns")
    if campaigns is None:
        return None
    channel = _cat(campaigns["channel"]).astype("string")
    practice = campaigns["practice"].astype("string") if "practice" in campaigns else channel
    return {"campaign_id": _cat(campaigns["campaign_id"]), "channel": _cat(channel),
            "practice": _cat(practice.fillna(channel))}


def _via(dims: dict[str, pd.Series] | None, dim: str, positions: np.ndarray) -> pd.Series:
    if dims is None or dim not in dims:
        return _blank(len(positions))
    return _take(dims[dim], positions)


def _choose(use_first: np.ndarray, first: pd.Series, second: pd.Series) -> pd.Series:
    """Row by row ``first`` where ``use_first``, else ``second``; categorical, by codes."""
    categories = pd.Index(first.cat.categories).union(pd.Index(second.cat.categories))
    a = first.cat.set_categories(categories).cat.codes.to_numpy()
    b = second.cat.set_categories(categories).cat.codes.to_numpy()
    codes = np.where(use_first, a, b)
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


def _fill(first: pd.Series, second: pd.Series) -> pd.Series:
    """``first``, else ``second`` where it is blank (both categorical)."""
    return _choose(first.notna().to_numpy(), first, second)


def _dims(tables: dict[str, pd.DataFrame], links: dict) -> dict[str, dict[str, pd.Series]]:
    campaigns = _campaign_dims(tables)
    accounts = tables.get("accounts")
    account_segment = {"segment": _own(accounts, "segment")} if accounts is not None else None
    dims: dict[str, dict[str, pd.Series]] = {}
    leads = tables.get("leads")
    if leads is not None:
        n = len(leads)
        to_campaign = _link(links, "leads", "campaign_id", n)
        d = {"channel": _own(leads, "channel"), "segment": _own(leads, "segment")}
        d["campaign_id"] = (_via(campaigns, "campaign_id", to_campaign)
                            if ("leads", "campaign_id") in links else _own(leads, "campaign_id"))
        d["rep_id"] = _own(leads, "owner_rep_id")
        d["practice"] = _via(campaigns, "practice", to_campaign)
        dims["leads"] = d
    opps = tables.get("opportunities")
    if opps is not None:
        n = len(opps)
        to_lead = _link(links, "opportunities", "lead_id", n)
        lead_dims = dims.get("leads")
        d = {dim: _via(lead_dims, dim, to_lead) for dim in ("channel", "campaign_id", "practice")}
        d["rep_id"] = _own(opps, "rep_id")
        d["segment"] = _fill(
            _via(account_segment, "segment", _link(links, "opportunities", "account_id", n)),
            _via(lead_dims, "segment", to_lead))
        dims["opportunities"] = d
    orders = tables.get("orders")
    if orders is not None:
        n = len(orders)
        to_opp = _link(links, "orders", "opportunity_id", n)
        d = {dim: _via(dims.get("opportunities"), dim, to_opp)
             for dim in ("channel", "campaign_id", "practice", "rep_id")}
        d["segment"] = _via(account_segment, "segment", _link(links, "orders", "account_id", n))
        dims["orders"] = d
    spend = tables.get("spend")
    if spend is not None:
        to_campaign = _link(links, "spend", "campaign_id", len(spend))
        dims["spend"] = {"channel": _own(spend, "channel"),
                         "campaign_id": _own(spend, "campaign_id"),
                         "practice": _via(campaigns, "practice", to_campaign)}
    for name in ("activities", "quotas", "forecasts"):
        if name in tables:
            dims[name] = {"rep_id": _own(tables[name], "rep_id")}
    events = tables.get("engagement")
    if events is not None:
        n = len(events)
        to_lead = _link(links, "engagement", "lead_id", n)
        to_campaign = _link(links, "engagement", "campaign_id", n)
        has_lead = to_lead >= 0
        d = {}
        for dim in ("channel", "campaign_id", "segment", "practice"):
            from_lead = _via(dims.get("leads"), dim, to_lead)
            if dim == "segment":
                d[dim] = from_lead
                continue
            from_campaign = (_via(campaigns, dim, to_campaign) if dim != "campaign_id"
                             else _via(campaigns, "campaign_id", to_campaign)
                             if ("engagement", "campaign_id") in links
                             else _own(events, "campaign_id"))
            d[dim] = _choose(has_lead, from_lead, from_campaign)
        dims["engagement"] = d
    for table_dims in dims.values():
        for dim, series in table_dims.items():
            table_dims[dim] = series.reset_index(drop=True)
    return dims


def _first_per(keys: np.ndarray, order_by: np.ndarray, values: np.ndarray,
               size: int) -> np.ndarray:
    """For each key 0..size-1, the value of the row with the smallest ``order_by`` (-1: none)."""
    out = np.full(size, -1, dtype=np.int64)
    valid = keys >= 0
    keys, order_by, values = keys[valid], order_by[valid], values[valid]
    order = np.lexsort((values, order_by, keys))
    keys, values = keys[order], values[order]
    first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.array([], dtype=bool)
    out[keys[first]] = values[first]
    return out


def _acquisition_lead(accounts_n: int, tables: dict[str, pd.DataFrame],
                      links: dict) -> np.ndarray:
    """Per accounts row, the row of its earliest lead (directly or via an opportunity)."""
    leads = tables.get("leads")
    if leads is None or accounts_n == 0:
        return np.full(accounts_n, -1)
    created = leads["created_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    pairs_account, pairs_lead = [], []
    if ("leads", "account_id") in links:
        pairs_account.append(links[("leads", "account_id")])
        pairs_lead.append(np.arange(len(leads)))
    if ("opportunities", "account_id") in links and ("opportunities", "lead_id") in links:
        pairs_account.append(links[("opportunities", "account_id")])
        pairs_lead.append(links[("opportunities", "lead_id")])
    if not pairs_account:
        return np.full(accounts_n, -1)
    account = np.concatenate(pairs_account)
    lead = np.concatenate(pairs_lead)
    ok = (account >= 0) & (lead >= 0)
    return _first_per(account[ok], created[lead[ok]], lead[ok], accounts_n)


def _customers(tables: dict[str, pd.DataFrame], links: dict, churn_after_days: int,
               as_of: pd.Timestamp) -> tuple[pd.DataFrame, dict[str, pd.Series] | None]:
    """Start and stop of every account that became a customer up to as_of.

    Returns the customers and, per accounts row, the acquisition channel and
    segment (None without an accounts table).
    """
    orders = tables.get("orders")
    opps = tables.get("opportunities")
    day = "datetime64[ns]"
    parts = []
    if orders is not None and len(orders):
        parts.append(pd.DataFrame({"account_id": orders["account_id"].astype("string"),
                                   "day": orders["date"].dt.normalize(), "order": True}))
    if opps is not None and "account_id" in opps:
        won = opps[(opps["status"] == "won").to_numpy() & opps["account_id"].notna().to_numpy()]
        parts.append(pd.DataFrame({"account_id": won["account_id"].astype("string"),
                                   "day": won["closed_at"].dt.normalize(), "order": False}))
    events = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {"account_id": pd.Series(dtype="string"), "day": pd.Series(dtype=day),
         "order": pd.Series(dtype=bool)})
    codes, ids = pd.factorize(events["account_id"])
    days = events["day"].to_numpy(dtype=day)
    is_order = events["order"].to_numpy(dtype=bool)
    frame = pd.DataFrame({"account_id": pd.array(ids, dtype="string")})
    first_order = pd.Series(days[is_order]).groupby(codes[is_order]).min()
    last_order = pd.Series(days[is_order]).groupby(codes[is_order]).max()
    first_won = pd.Series(days[~is_order]).groupby(codes[~is_order]).min()
    start = first_order.reindex(frame.index)
    frame["start"] = start.fillna(first_won.reindex(frame.index)).astype(day)
    accounts = tables.get("accounts")
    per_account = None
    churned = pd.Series(pd.NaT, index=frame.index, dtype=day)
    account_row = np.full(len(frame), -1)
    if accounts is not None:
        account_row = pd.Index(accounts["account_id"]).get_indexer(frame["account_id"])
        if "churned_at" in accounts:
            churned = _take_values(accounts["churned_at"].dt.normalize(), account_row)
        lead_row = _acquisition_lead(len(accounts), tables, links)
        leads = tables.get("leads")
        channel = (_take(leads["channel"], lead_row) if leads is not None
                   else _blank(len(accounts)))
        per_account = {"channel": channel, "segment": _own(accounts, "segment")}
    inferred = last_order.reindex(frame.index).astype(day) + pd.Timedelta(days=churn_after_days)
    inferred = inferred.where(inferred <= as_of)
    frame["stop"] = churned.astype(day).fillna(inferred)
    if per_account is not None:
        frame["channel"] = _take(per_account["channel"], account_row)
        frame["segment"] = _take(per_account["segment"], account_row)
    else:
        frame["channel"] = _acquisition_without_accounts(frame["account_id"], tables)
        frame["segment"] = _blank(len(frame))
    return frame, per_account


def _acquisition_without_accounts(account_ids: pd.Series,
                                  tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Acquisition channel by account id when there is no accounts table."""
    leads = tables.get("leads")
    pairs = []
    if leads is not None and "account_id" in leads:
        pairs.append(leads[["account_id", "lead_id"]].dropna())
    opps = tables.get("opportunities")
    if leads is not None and opps is not None and {"account_id", "lead_id"} <= set(opps):
        pairs.append(opps[["account_id", "lead_id"]].dropna())
    if not pairs:
        return _blank(len(account_ids))
    linked = pd.concat(pairs).merge(leads[["lead_id", "created_at", "channel"]], on="lead_id")
    earliest = linked.sort_values(["created_at", "lead_id"]).drop_duplicates("account_id")
    rows = pd.Index(earliest["account_id"].astype("string")).get_indexer(account_ids)
    return _take(earliest["channel"].reset_index(drop=True), rows)


def _account_dims(dims: dict[str, dict[str, pd.Series]], tables: dict[str, pd.DataFrame],
                  links: dict, customers: pd.DataFrame,
                  per_account: dict[str, pd.Series] | None) -> None:
    """Customer metrics split by the account's acquisition channel and segment."""
    dims["customers"] = {"channel": customers["channel"], "segment": customers["segment"]}
    for name, alias in (("nps", "nps"), ("orders", "customer_orders")):
        if name not in tables:
            continue
        n = len(tables[name])
        if per_account is not None:
            rows = _link(links, name, "account_id", n)
            dims[alias] = {dim: _take(per_account[dim], rows) for dim in ("channel", "segment")}
        else:
            dims[alias] = {"channel": _acquisition_without_accounts(
                tables[name]["account_id"].astype("string"), tables), "segment": _blank(n)}


def lookup(table: pd.DataFrame, column: str, positions: np.ndarray) -> pd.Series:
    """``table[column]`` at row ``positions`` (a link), missing where -1, dtype kept."""
    return _take_values(table[column], positions)


def prepare(ds: Dataset | View, as_of: object = None) -> View:
    """The dataset seen from ``as_of`` (default: the dataset's as_of).

    Parameters
    ----------
    ds : Dataset or View
        A loaded dataset; a View is returned as is when ``as_of`` is None
        or equal to its own.
    as_of : str, date or Timestamp, optional
        Overrides the dataset's as_of.
    """
    if isinstance(ds, View):
        if as_of is None or parse_as_of(as_of) == ds.as_of:
            return ds
        raise ValueError("re-prepare the Dataset to see it from another as_of")
    moment = parse_as_of(as_of) if as_of is not None else ds.as_of
    if moment is None:
        moment = pd.Timestamp("1970-01-01")  # a dataset without dated rows
    if not ds.links and len(ds.tables):
        from b2bkit.dataset import _links  # a Dataset built by hand: link it now

        ds = replace(ds, links=_links(ds.tables))
    tables, links, cut = _cut(ds, moment)
    dims = _dims(tables, links)
    customers, per_account = _customers(tables, links, ds.settings.churn_after_days, moment)
    _account_dims(dims, tables, links, customers, per_account)
    return View(
        as_of=moment,
        tables=tables,
        dims=dims,
        customers=customers,
        settings=ds.settings,
        links=links,
        dataset_name=ds.settings.name,
        cut=cut,
    )
