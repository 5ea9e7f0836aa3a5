"""Each row's dimensions, attributed through the links of CONTRACT.md section 3.

A lead has its own channel, segment and owner (rep_id), its campaign's
campaign_id and practice; an opportunity takes channel, campaign_id and
practice from its lead, the segment from its account (else its lead), its
own rep; an order takes its opportunity's dimensions and its account's
segment; spend has its own channel and campaign, its campaign's practice;
engagement takes its lead's dimensions, else its campaign's. The customer
dimensions (acquisition channel and segment) are in :mod:`b2bkit.view.customers`.

Examples
--------
>>> leads = pd.DataFrame({"channel": ["ads", None], "segment": ["smb", "smb"]})
>>> dims = row_dims({"leads": leads}, {})
>>> dims["leads"]["channel"].tolist(), sorted(dims["leads"])
(['ads', nan], ['campaign_id', 'channel', 'practice', 'rep_id', 'segment'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.load.links import as_category, blank, link, take

__all__ = ["DIMENSIONS", "UNKNOWN", "choose", "own", "row_dims", "via"]

#: The dimensions a metric can be split by.
DIMENSIONS = ("channel", "campaign_id", "segment", "rep_id", "practice")

#: The group of blank dimension values.
UNKNOWN = "(unknown)"


def own(frame: pd.DataFrame, column: str) -> pd.Series:
    """The table's own column as a categorical (all missing when absent)."""
    return as_category(frame[column]) if column in frame else blank(len(frame))


def via(dims: dict[str, pd.Series] | None, dim: str, positions: np.ndarray) -> pd.Series:
    """Dimension ``dim`` of a parent table, at the parent ``positions`` of a link."""
    if dims is None or dim not in dims:
        return blank(len(positions))
    return take(dims[dim], positions)


def choose(use_first: np.ndarray, first: pd.Series, second: pd.Series) -> pd.Series:
    """Row by row ``first`` where ``use_first``, else ``second``; categorical, by codes.

    >>> choose(np.array([True, False]), pd.Series(["a", "b"], dtype="category"),
    ...        pd.Series(["c", "d"], dtype="category")).tolist()
    ['a', 'd']
    """
    categories = pd.Index(first.cat.categories).union(pd.Index(second.cat.categories))
    a = first.cat.set_categories(categories).cat.codes.to_numpy()
    b = second.cat.set_categories(categories).cat.codes.to_numpy()
    codes = np.where(use_first, a, b)
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


def _choose_via(use_first: np.ndarray, first: pd.Series, first_at: np.ndarray,
               second: pd.Series, second_at: np.ndarray) -> pd.Series:
    """:func:`choose` of two parents' values taken at link positions: ``first`` at
    ``first_at`` where ``use_first``, else ``second`` at ``second_at`` (-1: missing).

    The same as ``choose(use_first, take(first, first_at), take(second, second_at))``,
    with the parents' codes put in the joint categories once, not the rows'.

    >>> _choose_via(np.array([True, False, True]), pd.Series(["a", "b"], dtype="category"),
    ...            np.array([1, 0, -1]), pd.Series(["c"], dtype="category"),
    ...            np.array([0, 0, 0])).tolist()
    ['b', 'c', nan]
    """
    first, second = as_category(first), as_category(second)
    categories = pd.Index(first.cat.categories).union(pd.Index(second.cat.categories))
    codes = np.where(use_first, _codes_in(first, categories)[first_at],
                     _codes_in(second, categories)[second_at])
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


def _codes_in(values: pd.Series, categories: pd.Index) -> np.ndarray:
    """The codes of categorical ``values`` among ``categories`` (which hold all of its
    own), with a -1 appended: a link's position -1 reads as missing.

    >>> _codes_in(pd.Series(["b", None], dtype="category"), pd.Index(["a", "b"])).tolist()
    [1, -1, -1]
    """
    small = np.min_scalar_type(-len(categories) - 1)  # int8 for a few categories: fast rows
    mapping = np.append(categories.get_indexer(values.cat.categories), -1).astype(small)
    return np.append(mapping[values.cat.codes.to_numpy()], np.array(-1, dtype=small))


def _fill(first: pd.Series, second: pd.Series) -> pd.Series:
    """``first``, else ``second`` where it is blank (both categorical)."""
    return choose(first.notna().to_numpy(), first, second)


def _campaign_dims(tables: dict[str, pd.DataFrame]) -> dict[str, pd.Series] | None:
    """campaign_id, channel and practice (default: the channel) per campaign row."""
    campaigns = tables.get("campaigns")
    if campaigns is None:
        return None
    channel = as_category(campaigns["channel"]).astype("string")
    practice = campaigns["practice"].astype("string") if "practice" in campaigns else channel
    return {"campaign_id": as_category(campaigns["campaign_id"]),
            "channel": as_category(channel), "practice": as_category(practice.fillna(channel))}


def _lead_dims(leads, campaigns, links) -> dict[str, pd.Series]:
    to_campaign = link(links, "leads", "campaign_id", len(leads))
    d = {"channel": own(leads, "channel"), "segment": own(leads, "segment")}
    d["campaign_id"] = (via(campaigns, "campaign_id", to_campaign)
                        if ("leads", "campaign_id") in links else own(leads, "campaign_id"))
    d["rep_id"] = own(leads, "owner_rep_id")
    d["practice"] = via(campaigns, "practice", to_campaign)
    return d


def _engagement_dims(events, lead_dims, campaigns, links) -> dict[str, pd.Series]:
    n = len(events)
    to_lead = link(links, "engagement", "lead_id", n)
    to_campaign = link(links, "engagement", "campaign_id", n)
    has_lead = to_lead >= 0
    d = {}
    for dim in ("channel", "campaign_id", "segment", "practice"):
        if dim == "segment":
            d[dim] = via(lead_dims, dim, to_lead)
            continue
        if dim != "campaign_id" or ("engagement", "campaign_id") in links:
            campaign, at = _parent(campaigns, dim), to_campaign
        else:
            campaign, at = own(events, "campaign_id"), np.arange(n)
        d[dim] = _choose_via(has_lead, _parent(lead_dims, dim), to_lead, campaign, at)
    return d


def _parent(dims: dict[str, pd.Series] | None, dim: str) -> pd.Series:
    """A parent table's dimension (no values when the table or the dimension is absent)."""
    if dims is None or dim not in dims:
        return blank(0)
    return dims[dim]


def row_dims(tables: dict[str, pd.DataFrame], links: dict) -> dict[str, dict[str, pd.Series]]:
    """``dims[table][dimension]``: each row's dimension value (categorical, NA when blank).

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The tables (cut at as_of).
    links : dict of (str, str) to numpy.ndarray
        Their foreign-key positions (:mod:`b2bkit.load.links`).

    Returns
    -------
    dict
        Per table, per dimension it can be split by, a Series aligned with its rows.
    """
    campaigns = _campaign_dims(tables)
    accounts = tables.get("accounts")
    account_segment = {"segment": own(accounts, "segment")} if accounts is not None else None
    dims: dict[str, dict[str, pd.Series]] = {}
    if "leads" in tables:
        dims["leads"] = _lead_dims(tables["leads"], campaigns, links)
    opps = tables.get("opportunities")
    if opps is not None:
        n = len(opps)
        to_lead = link(links, "opportunities", "lead_id", n)
        lead_dims = dims.get("leads")
        d = {dim: via(lead_dims, dim, to_lead) for dim in ("channel", "campaign_id", "practice")}
        d["rep_id"] = own(opps, "rep_id")
        d["segment"] = _fill(
            via(account_segment, "segment", link(links, "opportunities", "account_id", n)),
            via(lead_dims, "segment", to_lead))
        dims["opportunities"] = d
    orders = tables.get("orders")
    if orders is not None:
        n = len(orders)
        to_opp = link(links, "orders", "opportunity_id", n)
        d = {dim: via(dims.get("opportunities"), dim, to_opp)
             for dim in ("channel", "campaign_id", "practice", "rep_id")}
        d["segment"] = via(account_segment, "segment", link(links, "orders", "account_id", n))
        dims["orders"] = d
    spend = tables.get("spend")
    if spend is not None:
        to_campaign = link(links, "spend", "campaign_id", len(spend))
        dims["spend"] = {"channel": own(spend, "channel"),
                         "campaign_id": own(spend, "campaign_id"),
                         "practice": via(campaigns, "practice", to_campaign)}
    for name in ("activities", "quotas", "forecasts"):
        if name in tables:
            dims[name] = {"rep_id": own(tables[name], "rep_id")}
    if "engagement" in tables:
        dims["engagement"] = _engagement_dims(tables["engagement"], dims.get("leads"),
                                              campaigns, links)
    for table_dims in dims.values():
        for dim, series in table_dims.items():
            table_dims[dim] = series.reset_index(drop=True)
    return dims
