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

from dataclasses import dataclass, field

import pandas as pd

from b2bkit.dataset import Dataset
from b2bkit.periods import parse_as_of

__all__ = ["DIMENSIONS", "UNKNOWN", "View", "lookup", "prepare"]

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
    customers : pandas.DataFrame
        One row per account that ever became a customer up to as_of:
        ``account_id``, ``start``, ``stop`` (NaT = still a customer),
        ``channel`` (acquisition channel) and ``segment``.
    settings : Settings
        The dataset's settings.
    """

    as_of: pd.Timestamp
    tables: dict[str, pd.DataFrame]
    dims: dict[str, dict[str, pd.Series]]
    customers: pd.DataFrame
    settings: object
    dataset_name: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def has(self, *tables: str) -> bool:
        """Whether every one of ``tables`` is present."""
        return all(t in self.tables for t in tables)

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
                values.update(series.dropna().unique().tolist())
                if series.isna().any():
                    values.add(UNKNOWN)
        return sorted(values)


def _text(values: pd.Series) -> pd.Series:
    """Dimension values as text, blanks as NA."""
    text = values.astype("string")
    return text.mask(text.str.strip() == "")


def _on_or_before(values: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """True where a timestamp's calendar date is on or before as_of (NaT: False)."""
    return (values < as_of + _DAY).fillna(False).astype(bool)


def _cut(ds: Dataset, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    tables = {}
    for name, frame in ds.tables.items():
        frame = frame.copy()
        if name == "leads":
            frame = frame[_on_or_before(frame["created_at"], as_of)]
            for column in ("mql_at", "sql_at"):
                if column in frame:
                    frame[column] = frame[column].where(_on_or_before(frame[column], as_of))
        elif name == "opportunities":
            frame = frame[_on_or_before(frame["created_at"], as_of)]
            if "closed_at" in frame:
                later = frame["closed_at"].notna() & ~_on_or_before(frame["closed_at"], as_of)
                frame.loc[later, "status"] = "open"
                frame["closed_at"] = frame["closed_at"].where(~later)
        elif name == "accounts" and "churned_at" in frame:
            frame["churned_at"] = frame["churned_at"].where(
                _on_or_before(frame["churned_at"], as_of))
        elif name in _DATED:
            frame = frame[_on_or_before(frame[_DATED[name]], as_of)]
        tables[name] = frame.reset_index(drop=True)
    # links to rows that do not exist yet count as unset
    if {"leads", "opportunities"} <= set(tables) and "opportunity_id" in tables["leads"]:
        existing = tables["opportunities"]
        leads = tables["leads"]
        leads["opportunity_id"] = leads["opportunity_id"].where(
            leads["opportunity_id"].isin(existing["opportunity_id"]))
    if {"leads", "opportunities"} <= set(tables) and "lead_id" in tables["opportunities"]:
        existing = tables["leads"]
        opps = tables["opportunities"]
        opps["lead_id"] = opps["lead_id"].where(opps["lead_id"].isin(existing["lead_id"]))
    return tables


def _lookup(keys: pd.Series, table: pd.DataFrame | None, key: str,
            column: str) -> pd.Series:
    """``table[column]`` of the row whose ``key`` equals each of ``keys`` (NA if none)."""
    if table is None or column not in table or key not in table:
        return pd.Series(pd.NA, index=keys.index, dtype="string")
    mapping = table.drop_duplicates(key).set_index(key)[column]
    return _text(keys.map(_text(mapping)))


def lookup(keys: pd.Series, table: pd.DataFrame, key: str, column: str) -> pd.Series:
    """``table[column]`` of the row whose ``key`` equals each of ``keys``, dtype kept.

    Unlike ``Series.map`` this keeps datetimes datetimes when nothing matches.
    """
    values = table.drop_duplicates(key).set_index(key)[column]
    values.index = values.index.astype("string")
    found = values.reindex(keys.astype("string"))
    return pd.Series(found.to_numpy(), index=keys.index, dtype=values.dtype)


def _campaign_practice(campaigns: pd.DataFrame | None) -> pd.DataFrame | None:
    """campaign_id with its practice (default: the campaign's channel)."""
    if campaigns is None:
        return None
    practice = _text(campaigns["practice"]) if "practice" in campaigns else None
    channel = _text(campaigns["channel"])
    return pd.DataFrame({
        "campaign_id": campaigns["campaign_id"],
        "channel": channel,
        "practice": channel if practice is None else practice.fillna(channel),
    })


def _dims(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, pd.Series]]:
    campaigns = _campaign_practice(tables.get("campaigns"))
    accounts = tables.get("accounts")
    dims: dict[str, dict[str, pd.Series]] = {}
    leads = tables.get("leads")
    if leads is not None:
        d = {"channel": _text(leads["channel"])}
        blank = pd.Series(pd.NA, index=leads.index, dtype="string")
        d["campaign_id"] = _text(leads["campaign_id"]) if "campaign_id" in leads else blank
        d["segment"] = _text(leads["segment"]) if "segment" in leads else blank
        d["rep_id"] = _text(leads["owner_rep_id"]) if "owner_rep_id" in leads else blank
        d["practice"] = _lookup(d["campaign_id"], campaigns, "campaign_id", "practice")
        dims["leads"] = d
    opps = tables.get("opportunities")
    if opps is not None:
        lead_ids = opps["lead_id"] if "lead_id" in opps else pd.Series(
            pd.NA, index=opps.index, dtype="string")
        lead_frame = None
        if leads is not None:
            lead_frame = pd.DataFrame({"lead_id": leads["lead_id"], **dims["leads"]})
        d = {dim: _lookup(lead_ids, lead_frame, "lead_id", dim)
             for dim in ("channel", "campaign_id", "practice")}
        d["rep_id"] = _text(opps["rep_id"]) if "rep_id" in opps else pd.Series(
            pd.NA, index=opps.index, dtype="string")
        account_ids = opps["account_id"] if "account_id" in opps else pd.Series(
            pd.NA, index=opps.index, dtype="string")
        d["segment"] = _lookup(account_ids, accounts, "account_id", "segment").fillna(
            _lookup(lead_ids, lead_frame, "lead_id", "segment"))
        dims["opportunities"] = d
    orders = tables.get("orders")
    if orders is not None:
        opp_frame = None
        if opps is not None:
            opp_frame = pd.DataFrame({"opportunity_id": opps["opportunity_id"],
                                      **dims["opportunities"]})
        opp_ids = orders["opportunity_id"] if "opportunity_id" in orders else pd.Series(
            pd.NA, index=orders.index, dtype="string")
        d = {dim: _lookup(opp_ids, opp_frame, "opportunity_id", dim)
             for dim in ("channel", "campaign_id", "practice", "rep_id")}
        d["segment"] = _lookup(orders["account_id"], accounts, "account_id", "segment")
        dims["orders"] = d
    spend = tables.get("spend")
    if spend is not None:
        campaign_ids = _text(spend["campaign_id"]) if "campaign_id" in spend else pd.Series(
            pd.NA, index=spend.index, dtype="string")
        dims["spend"] = {
            "channel": _text(spend["channel"]),
            "campaign_id": campaign_ids,
            "practice": _lookup(campaign_ids, campaigns, "campaign_id", "practice"),
        }
    activities = tables.get("activities")
    if activities is not None:
        dims["activities"] = {"rep_id": _text(activities["rep_id"])}
    for name in ("quotas", "forecasts"):
        if name in tables:
            dims[name] = {"rep_id": _text(tables[name]["rep_id"])}
    events = tables.get("engagement")
    if events is not None:
        lead_frame = None
        if leads is not None:
            lead_frame = pd.DataFrame({"lead_id": leads["lead_id"], **dims["leads"]})
        lead_ids = events["lead_id"] if "lead_id" in events else pd.Series(
            pd.NA, index=events.index, dtype="string")
        own_campaign = _text(events["campaign_id"]) if "campaign_id" in events else pd.Series(
            pd.NA, index=events.index, dtype="string")
        has_lead = lead_ids.notna() & lead_ids.isin(
            leads["lead_id"] if leads is not None else [])
        d = {}
        for dim in ("channel", "campaign_id", "segment", "practice"):
            from_lead = _lookup(lead_ids, lead_frame, "lead_id", dim)
            if dim == "campaign_id":
                from_campaign = own_campaign
            elif dim == "segment":
                from_campaign = pd.Series(pd.NA, index=events.index, dtype="string")
            else:
                from_campaign = _lookup(own_campaign, campaigns, "campaign_id", dim)
            d[dim] = from_lead.where(has_lead, from_campaign)
        dims["engagement"] = d
    return dims


def _account_dims(dims: dict[str, dict[str, pd.Series]], tables: dict[str, pd.DataFrame],
                  customers: pd.DataFrame) -> None:
    """Customer metrics split by the account's acquisition channel and segment."""
    dims["customers"] = {"channel": customers["channel"], "segment": customers["segment"]}
    for name, alias in (("nps", "nps"), ("orders", "customer_orders")):
        if name in tables:
            ids = tables[name]["account_id"]
            dims[alias] = {
                "channel": _acquisition_channel(ids, tables),
                "segment": _lookup(ids, tables.get("accounts"), "account_id", "segment"),
            }


def _customers(tables: dict[str, pd.DataFrame], churn_after_days: int,
               as_of: pd.Timestamp) -> pd.DataFrame:
    """Start and stop of every account that became a customer up to as_of."""
    starts = []
    orders = tables.get("orders")
    if orders is not None and len(orders):
        days = orders.assign(day=orders["date"].dt.normalize())
        by_account = days.groupby("account_id", observed=True)["day"]
        first_order, last_order = by_account.min(), by_account.max()
    else:
        first_order = last_order = pd.Series(dtype="datetime64[ns]")
    opps = tables.get("opportunities")
    if opps is not None and "account_id" in opps:
        won = opps[(opps["status"] == "won") & opps["account_id"].notna()]
        first_won = won.assign(day=won["closed_at"].dt.normalize()).groupby(
            "account_id", observed=True)["day"].min()
    else:
        first_won = pd.Series(dtype="datetime64[ns]")
    starts = pd.concat([first_order, first_won[~first_won.index.isin(first_order.index)]])
    frame = pd.DataFrame({"start": starts})
    frame.index = frame.index.astype("string")
    frame.index.name = "account_id"
    accounts = tables.get("accounts")
    churned = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if accounts is not None and "churned_at" in accounts:
        churned_at = accounts.drop_duplicates("account_id").set_index("account_id")[
            "churned_at"].dt.normalize()
        churned_at.index = churned_at.index.astype("string")
        churned = churned_at.reindex(frame.index).astype("datetime64[ns]")
    last_order.index = last_order.index.astype("string")
    inferred = last_order.reindex(frame.index).astype("datetime64[ns]") + pd.Timedelta(
        days=churn_after_days)
    inferred = inferred.where(inferred <= as_of)
    frame["stop"] = churned.fillna(inferred)
    frame = frame.reset_index()
    frame["channel"] = _acquisition_channel(frame["account_id"], tables)
    segment = _lookup(frame["account_id"], accounts, "account_id", "segment")
    frame["segment"] = segment
    return frame


def _acquisition_channel(account_ids: pd.Series, tables: dict[str, pd.DataFrame]) -> pd.Series:
    """The channel of each account's earliest lead (directly or through an opportunity)."""
    leads = tables.get("leads")
    if leads is None:
        return pd.Series(pd.NA, index=account_ids.index, dtype="string")
    links = []
    if "account_id" in leads:
        links.append(leads[["account_id", "lead_id"]].dropna())
    opps = tables.get("opportunities")
    if opps is not None and {"account_id", "lead_id"} <= set(opps.columns):
        links.append(opps[["account_id", "lead_id"]].dropna())
    if not links:
        return pd.Series(pd.NA, index=account_ids.index, dtype="string")
    linked = pd.concat(links).drop_duplicates().merge(
        leads[["lead_id", "created_at", "channel"]], on="lead_id")
    earliest = linked.sort_values(["created_at", "lead_id"]).drop_duplicates("account_id")
    return _lookup(account_ids, earliest, "account_id", "channel")


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
    tables = _cut(ds, moment)
    dims = _dims(tables)
    customers = _customers(tables, ds.settings.churn_after_days, moment)
    _account_dims(dims, tables, customers)
    return View(
        as_of=moment,
        tables=tables,
        dims=dims,
        customers=customers,
        settings=ds.settings,
        dataset_name=ds.settings.name,
    )
