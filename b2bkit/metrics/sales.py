"""Opportunities and deals: volume, win rate, bookings, cycle, pipeline, forecast.

Examples use :func:`b2bkit.sample_dataset`: in 2025-Q1 three opportunities
were created; O1 (1,200.50 EUR, lead L1 created 2025-01-05) was won on
2025-02-11, O2 lost on 2025-03-05, O3 (5,000 EUR) is still open.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import _, ngettext, period_text
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.metrics._base import (
    ALL_DIMENSIONS,
    REP_DIMENSIONS,
    Result,
    Split,
    absent,
    combine,
    metric,
    prepare,
    ratio,
)
from b2bkit.metrics.funnel import sqls
from b2bkit.view.view import View, lookup

__all__ = [
    "avg_deal_size",
    "bookings",
    "cycle_days",
    "forecast_accuracy",
    "open_pipeline",
    "opportunities_created",
    "opportunity_conversion_rate",
    "pipeline_coverage",
    "pipeline_velocity",
    "sales_cycle_days",
    "sales_cycle_days_median",
    "weighted_pipeline",
    "win_rate",
    "won_deals",
]


def _opps(split: Split) -> pd.DataFrame:
    return split.view.tables["opportunities"]


def _closed(split: Split, period: Period, status: str) -> pd.Series:
    opps = _opps(split)
    if "closed_at" not in opps:
        return pd.Series(False, index=opps.index)
    return (opps["status"] == status).to_numpy() & period.mask(opps["closed_at"])


def won_in(split: Split, period: Period) -> pd.Series:
    """Opportunities won with closed_at in the period."""
    return _closed(split, period, "won")


@metric("count", needs=("opportunities",), splits=ALL_DIMENSIONS)
def opportunities_created(split: Split, period: Period) -> Result:
    r"""Opportunities created in the period.

    .. math:: \#\{\text{opportunity} : \text{created\_at} \in P\}

    Units: opportunities. Split by the channel, campaign and practice of the
    linked lead, the opportunity's rep, and its account's segment.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> opportunities_created(sample_dataset(), "2025-Q1")
    3
    """
    return Result.of(split.count("opportunities", period.mask(_opps(split)["created_at"])))


@metric("count", needs=("opportunities",), splits=ALL_DIMENSIONS)
def won_deals(split: Split, period: Period) -> Result:
    r"""Opportunities won with closed_at in the period.

    .. math:: \#\{\text{status} = \text{won},\ \text{closed\_at} \in P\}

    Units: deals. An opportunity closed after as_of counts as open.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> won_deals(sample_dataset(), "2025-Q1"), won_deals(sample_dataset(), "2025-01")
    (1, 0)
    """
    return Result.of(split.count("opportunities", won_in(split, period)))


@metric("rate", needs=("opportunities",), splits=ALL_DIMENSIONS)
def win_rate(split: Split, period: Period) -> Result:
    r"""Won over won plus lost, of the opportunities closed in the period.

    .. math:: \text{win\_rate} = \frac{\text{won}}{\text{won} + \text{lost}}

    Units: fraction. Missing when nothing closed in the period.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> win_rate(sample_dataset(), "2025-Q1")
    0.5
    >>> win_rate(sample_dataset(), "2025-01")
    Missing('no opportunities closed in 2025-01')
    """
    won = split.count("opportunities", won_in(split, period))
    lost = split.count("opportunities", _closed(split, period, "lost"))
    return ratio(won, won + lost, _("no opportunities closed in {period}").format(
        period=period_text(period)))


@metric("rate", needs=("opportunities",), splits=ALL_DIMENSIONS)
def opportunity_conversion_rate(split: Split, period: Period) -> Result:
    r"""Of the opportunities created in the period, the share won (as of as_of).

    .. math:: \frac{\#\{\text{created in } P,\ \text{won}\}}{\#\{\text{created in } P\}}

    Units: fraction.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(opportunity_conversion_rate(sample_dataset(), "2025-Q1"), 4)
    0.3333
    """
    opps = _opps(split)
    created = period.mask(opps["created_at"])
    return ratio(split.count("opportunities", created & (opps["status"] == "won")),
                 split.count("opportunities", created),
                 _("no opportunities created in {period}").format(
                     period=period_text(period)))


def bookings_in(split: Split, period: Period) -> Result:
    """Amount won per group (shared with team metrics)."""
    missing = absent(split, "opportunities")
    if missing:
        return missing
    return Result.of(split.sum("opportunities", _opps(split)["amount"], won_in(split, period)))


@metric("currency", needs=("opportunities",), splits=ALL_DIMENSIONS)
def bookings(split: Split, period: Period) -> Result:
    r"""Amount of the opportunities won in the period.

    .. math:: \text{bookings} = \sum_{\text{won},\ \text{closed\_at} \in P} \text{amount}

    Units: dataset currency.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> bookings(sample_dataset(), "2025-Q1")
    1200.5
    """
    return bookings_in(split, period)


@metric("currency", splits=ALL_DIMENSIONS)
def avg_deal_size(split: Split, period: Period) -> Result:
    r"""Bookings per won deal.

    .. math:: \text{avg\_deal\_size} = \frac{\text{bookings}}{\text{won\_deals}}

    Units: currency per deal. Missing without won deals.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> avg_deal_size(sample_dataset(), "2025-Q1")
    1200.5
    """
    booked = bookings_in(split, period)
    deals = won_deals.compute(split, period)
    return combine(ratio(booked.values, deals.values, _("no won deals in {period}").format(
        period=period_text(period))), booked,
                   deals)


def _days_to_close(view: View) -> pd.Series:
    """Days from first contact to close of every opportunity (NaN where not closed)."""
    opps = view.tables["opportunities"]
    first = opps["created_at"]
    if "lead_id" in opps and "leads" in view.tables:
        to_lead = view.links.get(("opportunities", "lead_id"))
        if to_lead is not None:
            first = lookup(view.tables["leads"], "created_at", to_lead).fillna(first)
    # a deal closed before it (or its lead) was created: 0 days, not a negative cycle
    closed = opps.get("closed_at", pd.Series(pd.NaT, index=opps.index))  # no column: none won
    return ((closed - first) / pd.Timedelta(days=1)).clip(lower=0)


def cycle_days(data: Dataset | View, *, as_of: object = None) -> pd.Series:
    r"""Days from first contact to close of each deal won up to as_of.

    .. math:: \text{cycle} = \text{closed\_at} - \text{first contact}

    First contact is the linked lead's created_at, else the opportunity's;
    a deal closed before its first contact counts 0 days. These are the days
    :func:`sales_cycle_days` and :func:`sales_cycle_days_median` average
    over the deals won in a period; here every deal won on or before as_of
    counts (a deal closed after as_of is still open).

    Parameters
    ----------
    data : Dataset or View
    as_of : optional
        Overrides the dataset's as_of.

    Returns
    -------
    pandas.Series
        Fractional days (timestamp difference / 24 h), one per won deal, on
        the opportunities' index; empty without an opportunities table.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> cycle_days(sample_dataset()).tolist()      # O1: lead 2025-01-05, won 2025-02-11
    [37.0]
    """
    view = prepare(data, as_of)
    if "opportunities" not in view.tables:
        return pd.Series(dtype=float)
    opps = view.tables["opportunities"]
    won = ((opps["status"] == "won") & opps.get("closed_at", pd.Series(pd.NaT, index=opps.index))
           .notna()).fillna(False).astype(bool)
    return _days_to_close(view)[won.to_numpy()]


def _cycle(split: Split, period: Period, how: str) -> Result:
    won = won_in(split, period)
    days = _days_to_close(split.view)[won]
    labels = split.labels("opportunities")[won]
    values = days.groupby(labels.to_numpy()).agg(how).reindex(split.groups)
    notes = pd.Series(pd.NA, index=values.index, dtype="string").mask(
        values.isna(), _("no won deals in {period}").format(
        period=period_text(period)))
    return Result.of(values, notes)


@metric("days", needs=("opportunities",), better="lower", splits=ALL_DIMENSIONS)
def sales_cycle_days(split: Split, period: Period) -> Result:
    r"""Mean days from first contact to close, over deals won in the period.

    A deal closed before its first contact (entered after the fact) counts 0 days.

    .. math:: \overline{\text{closed\_at} - \text{first contact}}

    First contact is the linked lead's created_at, else the opportunity's.
    Units: days (fractional: timestamp difference / 24 h).

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> sales_cycle_days(sample_dataset(), "2025-Q1")   # 2025-01-05 -> 2025-02-11
    37.0
    """
    return _cycle(split, period, "mean")


@metric("days", needs=("opportunities",), better="lower", splits=ALL_DIMENSIONS)
def sales_cycle_days_median(split: Split, period: Period) -> Result:
    r"""Median days from first contact to close, over deals won in the period.

    .. math:: \operatorname{median}(\text{closed\_at} - \text{first contact})

    Units: days. Less sensitive than the mean to one very long deal.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> sales_cycle_days_median(sample_dataset(), "2025-Q1")
    37.0
    """
    return _cycle(split, period, "median")


@metric("currency_per_day", splits=ALL_DIMENSIONS)
def pipeline_velocity(split: Split, period: Period) -> Result:
    r"""How much revenue the pipeline moves per day.

    .. math:: \text{pipeline\_velocity} = \frac{\text{sqls} \times \text{win\_rate}
              \times \text{avg\_deal\_size}}{\text{sales\_cycle\_days}}

    Units: currency per day. Missing when any factor is missing or the cycle
    is zero days.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(pipeline_velocity(sample_dataset(), "2025-Q1"), 2)  # 2 * 0.5 * 1200.5 / 37
    32.45
    """
    parts = [sqls.compute(split, period), win_rate.compute(split, period),
             avg_deal_size.compute(split, period), sales_cycle_days.compute(split, period)]
    numerator = parts[0].values * parts[1].values * parts[2].values
    result = ratio(numerator, parts[3].values, _("a sales cycle of 0 days in {period}").format(
        period=period_text(period)))
    result.values = result.values.where(parts[3].values.notna())
    return combine(result, *parts)


def open_at(split: Split, day: pd.Timestamp) -> pd.Series:
    """Opportunities open at the end of ``day``: created by then, not closed by then."""
    opps = _opps(split)
    end = day + pd.Timedelta(days=1)
    created = (opps["created_at"] < end).fillna(False)
    closed_at = opps["closed_at"] if "closed_at" in opps else pd.Series(pd.NaT, index=opps.index)
    still_open = (opps["status"] == "open") | (closed_at >= end).fillna(False)
    return (created & still_open).astype(bool)


@metric("currency", needs=("opportunities",), splits=ALL_DIMENSIONS)
def open_pipeline(split: Split, period: Period) -> Result:
    r"""Amount of the opportunities open at the period's end.

    .. math:: \sum_{\text{open at end of } P} \text{amount}

    Open means created by then and not closed by then (as of as_of: an
    opportunity closed after as_of is open). Units: currency.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> open_pipeline(sample_dataset(), "2025-Q1"), open_pipeline(sample_dataset(), "2025-02")
    (5000.0, 0.0)
    """
    return Result.of(split.sum("opportunities", _opps(split)["amount"], open_at(split, period.end)))


@metric("currency", needs=("opportunities",), splits=ALL_DIMENSIONS)
def weighted_pipeline(split: Split, period: Period) -> Result:
    r"""Amount times probability of the opportunities open at the period's end.

    .. math:: \sum_{\text{open at end of } P,\ p \text{ set}} \text{amount} \times p

    The CRM's own forecast of the open pipeline: each open deal counts at
    the probability a rep typed in. Open as in :func:`open_pipeline`. Open
    deals without a probability are left out, and the note says how many
    and the amount they hold; missing when open deals exist and none has a
    probability (or the table has no probability column). An empty amount
    counts as 0. Units: currency. The probability column holds today's
    value (it is not historised), so for a past period it is the current
    probability of the deals open then.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> weighted_pipeline(sample_dataset(), "2025-Q1")   # O3: 5000 x 0.4
    2000.0
    >>> weighted_pipeline(sample_dataset(), "2025-02")   # nothing open on 2025-02-28
    0.0
    """
    opps = _opps(split)
    is_open = open_at(split, period.end)
    n_open = split.count("opportunities", is_open)
    if "probability" not in opps:
        return Result(n_open.where(n_open == 0, np.nan),
                      pd.Series(pd.NA, index=n_open.index, dtype="string").mask(
                          n_open > 0, _("opportunities have no probability column")))
    probability = opps["probability"].astype(float)
    unset = is_open & probability.isna().to_numpy()
    weighted = opps["amount"].astype(float).fillna(0.0) * probability.fillna(0.0)
    values = split.sum("opportunities", weighted, is_open & ~unset)
    n_unset = split.count("opportunities", unset)
    held = split.sum("opportunities", opps["amount"], unset)
    currency = getattr(split.view.settings, "currency", "") or ""
    notes = pd.Series(pd.NA, index=values.index, dtype="string")
    for group in values.index[n_unset.to_numpy() > 0]:
        count = int(n_unset[group])
        notes[group] = ngettext("{n} open deal worth {amount} left out: no probability",
                                "{n} open deals worth {amount} left out: no probability",
                                count).format(
            n=count, amount=format_value(float(held[group]), "currency", currency))
    none_set = (n_unset == n_open) & (n_open > 0)
    notes = notes.mask(none_set, _("no open deal has a probability: ")
                       + notes.fillna("").astype(str))
    return Result(values.astype(float).mask(none_set), notes)


def quota_rows(quotas: pd.DataFrame, period: Period) -> pd.Series:
    """Quota rows whose span lies inside the period: both ends in it (:meth:`Period.mask`)."""
    return period.mask(quotas["period_start"]) & period.mask(quotas["period_end"])


def quota_in(split: Split, period: Period) -> Result:
    """Quota per group: quota rows whose span lies inside the period."""
    missing = absent(split, "quotas")
    if missing:
        return missing
    if split.unsplittable("quotas"):
        return split.not_split("quotas")
    quotas = split.view.tables["quotas"]
    return Result.of(split.sum("quotas", quotas["quota"], quota_rows(quotas, period)))


@metric("ratio", splits=REP_DIMENSIONS, subject="quotas")
def pipeline_coverage(split: Split, period: Period) -> Result:
    r"""Open pipeline at the period's end over the total quota of the next period.

    .. math:: \text{pipeline\_coverage} = \frac{\text{open\_pipeline}(P)}
              {\text{quota}(\text{next}(P))}

    Units: a ratio (3.0 = pipeline worth three times the next quota).
    Split by rep_id only (quotas have no channel). Missing without a quota
    for the next period.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> pipeline_coverage(sample_dataset(), "2024-Q4")   # 0 open / Q1 quota 3000
    0.0
    >>> pipeline_coverage(sample_dataset(), "2025-Q1")
    Missing('no quota for 2025-Q2')
    """
    pipeline = open_pipeline.compute(split, period)
    quota = quota_in(split, period.next())
    result = ratio(pipeline.values, quota.values, _("no quota for {period}").format(
        period=period_text(period.next())))
    return combine(result, quota, pipeline)


@metric("rate", needs=("forecasts",), splits=REP_DIMENSIONS)
def forecast_accuracy(split: Split, period: Period) -> Result:
    r"""How close the forecast for the period came to actual bookings.

    .. math:: \text{forecast\_accuracy} = 1 - \frac{|\text{bookings} - F|}{\text{bookings}}

    :math:`F` is the forecast whose period_start..period_end is exactly the
    period: the team row (blank rep_id) if there is one, else the sum of
    the rep rows; by rep_id, each rep's own row. Units: fraction; below 0
    when the forecast misses by more than the actual. Missing without a
    forecast or without bookings.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(forecast_accuracy(sample_dataset(), "2025-Q1"), 4)  # 1 - |1200.5-1500|/1200.5
    0.7505
    """
    if split.unsplittable("forecasts"):
        return split.not_split("forecasts")
    forecasts = split.view.tables["forecasts"]
    exact = ((forecasts["period_start"] == period.start)
             & (forecasts["period_end"] == period.end)).fillna(False).astype(bool)
    # without a rep_id column (it is optional) every row is a team row
    per_rep = (forecasts["rep_id"].notna() if "rep_id" in forecasts
               else pd.Series(False, index=forecasts.index))
    team = exact & ~per_rep
    if split.by is None and team.any():
        chosen = team
    else:
        chosen = exact & per_rep
    labels = split.labels("forecasts")
    rows = forecasts["forecast_amount"].astype(float)[chosen]
    forecast = rows.groupby(labels[chosen].to_numpy()).sum().reindex(split.groups)
    actual = bookings_in(split, period)
    booked = actual.values.where(actual.values != 0)
    values = 1 - (booked - forecast).abs() / booked
    notes = pd.Series(pd.NA, index=forecast.index, dtype="string")
    notes = notes.mask(booked.isna(), _("no bookings in {period}").format(
        period=period_text(period)))
    notes = notes.mask(forecast.isna(), _("no forecast for {period}").format(
        period=period_text(period)))
    return combine(Result(values, notes.where(values.isna())), actual)
