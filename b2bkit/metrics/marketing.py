"""Marketing spend and what it buys: spend, cost per lead and per SQL, ROI.

Examples use :func:`b2bkit.sample_dataset`: 3,500 EUR of spend in 2025-Q1
(500 on webinars, 3,000 on a trade show) for four leads and two SQLs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.i18n import _, period_text
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.metrics._base import (
    SPEND_DIMENSIONS,
    Result,
    Split,
    absent,
    combine,
    metric,
    prepare,
    ratio,
)
from b2bkit.metrics.funnel import leads, sqls
from b2bkit.view.view import View, lookup

__all__ = ["cost_per_sql", "cpl", "marketing_spend", "roi", "roi_attribution"]


def spend_in(split: Split, period: Period) -> Result:
    """Marketing spend per group (shared by cpl, cost_per_sql, roi and cac)."""
    missing = absent(split, "spend")
    if missing:
        return missing
    if split.unsplittable("spend"):
        return split.not_split("spend")
    frame = split.view.tables["spend"]
    return Result.of(split.sum("spend", frame["amount"], period.mask(frame["date"])))


@metric("currency", needs=("spend",), better=None, splits=SPEND_DIMENSIONS)
def marketing_spend(split: Split, period: Period) -> Result:
    r"""Marketing spend dated in the period.

    .. math:: \text{marketing\_spend} = \sum_{\text{spend.date} \in P} \text{amount}

    Units: dataset currency. Split by channel, campaign_id and practice
    (through the campaign); spend has no segment or rep.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> marketing_spend(sample_dataset(), "2025-Q1")
    3500.0
    >>> marketing_spend(sample_dataset(), "2025-Q1", by="practice")
          practice   value  note
    0    (unknown)     0.0  <NA>
    1  trade_shows  3000.0  <NA>
    2     webinars   500.0  <NA>
    """
    return spend_in(split, period)


def _per(split: Split, period: Period, count: Result, what: str) -> Result:
    spend = spend_in(split, period)
    reason = (_("no leads in {period}") if what == "leads" else _("no SQLs in {period}"))
    result = ratio(spend.values, count.values, reason.format(period=period_text(period)))
    return combine(result, spend, count)


@metric("currency", better="lower", splits=SPEND_DIMENSIONS, subject="spend")
def cpl(split: Split, period: Period) -> Result:
    r"""Cost per lead: marketing spend over leads created in the period.

    .. math:: \text{cpl} = \frac{\text{marketing\_spend}}{\text{leads}}

    Units: currency per lead. Missing when no lead was created.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> cpl(sample_dataset(), "2025-Q1")
    875.0
    >>> cpl(sample_dataset(), "2025-Q1", by="channel")
          channel   value  note
    0   (unknown)     0.0  <NA>
    1  trade_show  3000.0  <NA>
    2     webinar   250.0  <NA>
    """
    return _per(split, period, leads.compute(split, period), "leads")


@metric("currency", better="lower", splits=SPEND_DIMENSIONS, subject="spend")
def cost_per_sql(split: Split, period: Period) -> Result:
    r"""Marketing spend over the leads that became SQLs in the period.

    .. math:: \text{cost\_per\_sql} = \frac{\text{marketing\_spend}}{\text{sqls}}

    Units: currency per SQL. Missing when there was no SQL.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> cost_per_sql(sample_dataset(), "2025-Q1")
    1750.0
    >>> cost_per_sql(sample_dataset(), "2025-04")
    Missing('no SQLs in 2025-04')
    """
    return _per(split, period, sqls.compute(split, period), "SQLs")


def attributed_bookings(split: Split, period: Period) -> Result:
    """Amount of won opportunities (as of as_of) whose lead was created in the period."""
    missing = absent(split, "leads", "opportunities")
    if missing:
        return missing
    opps = split.view.tables["opportunities"]
    leads_frame = split.view.tables["leads"]
    if "lead_id" not in opps:
        return Result.missing(split.groups, _("opportunities have no lead_id"))
    to_lead = split.view.links.get(("opportunities", "lead_id"), np.full(len(opps), -1))
    created = lookup(leads_frame, "created_at", to_lead)
    mask = (opps["status"] == "won").to_numpy() & period.mask(created).to_numpy()
    return Result.of(split.sum("opportunities", opps["amount"], pd.Series(mask,
                                                                         index=opps.index)))


def roi_attribution(data: Dataset | View, period: Period | str, *, by: str = "channel",
                    as_of: object = None) -> pd.DataFrame:
    r"""Wins and bookings of the period's leads per group: what :func:`roi` credits.

    .. math:: \text{attributed\_bookings} = \sum_{\text{won},\ \text{lead created in } P}
              \text{amount}

    Won as of as_of, whenever closed: unlike the catalogue's ``won_deals``
    and ``bookings`` (deals closed in the period). Grouped by the lead's
    ``by``. The multi-touch models of :func:`b2bkit.metrics.attribution`
    credit the deals won in the period instead (its ``lead_source`` model is
    this one-touch rule on those deals).

    Returns
    -------
    pandas.DataFrame
        ``[by, attributed_won_deals, attributed_bookings]``, one row per
        group; NaN when the opportunities cannot be traced to their leads.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> roi_attribution(sample_dataset(), "2025-Q1").query("attributed_won_deals > 0")
       channel  attributed_won_deals  attributed_bookings
    2  webinar                   1.0               1200.5
    """
    view = prepare(data, as_of)
    split = Split(view, by)
    period = Period.parse(period)
    booked = attributed_bookings(split, period).values
    won = pd.Series(np.nan, index=booked.index)
    opps = view.tables.get("opportunities")
    if opps is not None and "leads" in view.tables and ("opportunities", "lead_id") in view.links:
        to_lead = view.links[("opportunities", "lead_id")]
        lead_in = (to_lead >= 0) & period.mask(
            lookup(view.tables["leads"], "created_at", to_lead)).to_numpy()
        won = split.count("opportunities", lead_in & (opps["status"] == "won").to_numpy())
    return pd.DataFrame({by: booked.index.astype(str), "attributed_won_deals": won.to_numpy(),
                         "attributed_bookings": booked.to_numpy()})


@metric("ratio", splits=SPEND_DIMENSIONS, subject="spend")
def roi(split: Split, period: Period) -> Result:
    r"""Return on marketing spend: bookings won from the period's leads against spend.

    .. math:: \text{roi} = \frac{B - S}{S}

    where :math:`B` is the amount of opportunities won (as of as_of) whose
    lead was created in the period and :math:`S` the marketing spend of the
    period. Split by channel, campaign_id and practice: bookings through the
    lead's channel and campaign, spend through its own. Units: a ratio
    (0.5 = 50% return); below 0 when spend exceeds the bookings. Missing
    without spend.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(roi(sample_dataset(), "2025-Q1"), 4)   # (1200.50 - 3500) / 3500
    -0.657
    """
    spend = spend_in(split, period)
    booked = attributed_bookings(split, period)
    result = ratio(booked.values - spend.values, spend.values,
                   _("no marketing spend in {period}").format(
                       period=period_text(period)))
    return combine(result, spend, booked)
