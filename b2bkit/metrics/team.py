"""The sales team: quota attainment, productivity, selling time.

A rep's quota for a period is the sum of their quota rows whose
period_start..period_end lies inside it. Examples use
:func:`b2bkit.sample_dataset`: in 2025-Q1 R1 (quota 1,000) booked 1,200.50
EUR and R2 (quota 2,000) booked nothing.
"""

from __future__ import annotations

import pandas as pd

from b2bkit.core.i18n import _, period_text
from b2bkit.core.periods import Period
from b2bkit.metrics._base import REP_DIMENSIONS, Result, Split, combine, metric, ratio
from b2bkit.metrics.sales import quota_rows, won_in

__all__ = ["quota_attainment", "quota_attainment_rate", "rep_productivity",
           "selling_time_share"]


def _per_rep(split: Split, period: Period) -> pd.DataFrame:
    """Per rep: quota (NaN without quota rows), bookings, won deals, group.

    Called behind the metrics' declaration: opportunities are there (quotas may not be:
    rep_productivity counts reps with a won deal then), and the split is by rep_id or none.
    """
    quotas = split.view.tables.get("quotas")
    if quotas is None:
        quota = pd.Series(dtype=float, index=pd.Index([], dtype="string"))
    else:
        inside = quota_rows(quotas, period)
        quota = quotas["quota"].astype(float)[inside].groupby(
            quotas.loc[inside, "rep_id"].astype("string")).sum()
    opps = split.view.tables["opportunities"]
    reps = pd.DataFrame({"quota": quota})
    if "rep_id" in opps:
        won = won_in(split, period) & opps["rep_id"].notna()
        amounts = opps["amount"].astype(float).fillna(0.0)[won]
        by_rep = amounts.groupby(opps.loc[won, "rep_id"].astype("string"))
        reps = reps.join(pd.DataFrame({"bookings": by_rep.sum(), "won": by_rep.size()}),
                         how="outer")
    reps = reps.reindex(columns=["quota", "bookings", "won"])
    reps[["bookings", "won"]] = reps[["bookings", "won"]].fillna(0.0)
    reps.index = reps.index.astype("string")
    reps["group"] = "all" if split.by is None else reps.index
    return reps


@metric("rate", needs=("quotas", "opportunities"), splits=REP_DIMENSIONS)
def quota_attainment(split: Split, period: Period) -> Result:
    r"""Bookings of the reps with a quota for the period over their quota.

    .. math:: \frac{\sum_{r \in Q} \text{bookings}_r}{\sum_{r \in Q} \text{quota}_r}

    :math:`Q` = reps with a quota row inside the period. By rep_id: each
    rep's own bookings over quota. Units: fraction (1.0 = quota met).

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(quota_attainment(sample_dataset(), "2025-Q1"), 4)  # 1200.5 / 3000
    0.4002
    """
    reps = _per_rep(split, period)
    with_quota = reps[reps["quota"].notna()]
    booked = with_quota.groupby("group")["bookings"].sum().reindex(split.groups)
    quota = with_quota.groupby("group")["quota"].sum().reindex(split.groups)
    return ratio(booked.fillna(0), quota.fillna(0), _("no quota for {period}").format(
        period=period_text(period)))


@metric("rate", needs=("quotas", "opportunities"), splits=REP_DIMENSIONS)
def quota_attainment_rate(split: Split, period: Period) -> Result:
    r"""Share of the reps with a positive quota who met it.

    .. math:: \frac{\#\{r : \text{quota}_r > 0,\ \text{bookings}_r / \text{quota}_r \ge 1\}}
              {\#\{r : \text{quota}_r > 0\}}

    A zero quota gives that rep a missing attainment and leaves them out.
    Units: fraction.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> quota_attainment_rate(sample_dataset(), "2025-Q1")   # R1 met it, R2 did not
    0.5
    """
    reps = _per_rep(split, period)
    positive = reps[reps["quota"] > 0]
    met = (positive["bookings"] >= positive["quota"]).astype(float)
    return ratio(met.groupby(positive["group"]).sum().reindex(split.groups, fill_value=0.0),
                 positive.groupby("group").size().reindex(split.groups, fill_value=0),
                 _("no rep with a positive quota for {period}").format(
                     period=period_text(period)))


@metric("currency", needs=("opportunities",), splits=REP_DIMENSIONS)
def rep_productivity(split: Split, period: Period) -> Result:
    r"""Bookings per rep with a quota or a won deal in the period.

    .. math:: \frac{\text{bookings}}{\#\{r : \text{quota row in } P \text{ or won deal in } P\}}

    Units: currency per rep. Without a quotas table, the reps with a won deal
    (CONTRACT section 3: a quota *or* a won deal).

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> rep_productivity(sample_dataset(), "2025-Q1")     # 1200.5 / 2 reps
    600.25
    """
    reps = _per_rep(split, period)
    counted = reps[reps["quota"].notna() | (reps["won"] > 0)]
    booked = counted.groupby("group")["bookings"].sum().reindex(split.groups, fill_value=0.0)
    heads = counted.groupby("group").size().reindex(split.groups, fill_value=0)
    return ratio(booked, heads, _("no rep with a quota or a won deal in {period}").format(
        period=period_text(period)))


@metric("rate", needs=("activities",), splits=REP_DIMENSIONS)
def selling_time_share(split: Split, period: Period) -> Result:
    r"""Selling minutes over all minutes logged in activities dated in the period.

    .. math:: \frac{\sum \text{minutes}_{\text{is\_selling}}}{\sum \text{minutes}}

    Units: fraction. Split by rep_id only.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(selling_time_share(sample_dataset(), "2025-Q1"), 4)   # (60 + 45) / 135
    0.7778
    """
    if split.unsplittable("activities"):
        return split.not_split("activities")
    frame = split.view.tables["activities"]
    dated = period.mask(frame["date"])
    selling = dated & frame["is_selling"].fillna(False).astype(bool)
    total = split.sum("activities", frame["minutes"], dated)
    result = ratio(split.sum("activities", frame["minutes"], selling), total,
                   _("no activity minutes in {period}").format(
                       period=period_text(period)))
    return combine(result)
