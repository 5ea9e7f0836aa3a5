"""Opportunities and deals: volume, win rate, bookings, cycle, pipeline, forecast.

Examples use :func:`b2bkit.sample_dataset`: in 2025-Q1 three opportunities
were created; O1 (1,200.50 EUR, lead L1 created 2025-01-05) was won on
2025-02-11, O2 lost on 2025-03-05, O3 (5,000 EUR) is still open.
"""

from __future__ import annotations

import pandas as pd

from b2bkit.metrics._base import (
    Result,
    Split,
    absent,
    combine,
    in_period,
    metric,
    ratio,
)
from b2bkit.metrics._view import lookup
from b2bkit.metrics.funnel import sqls
from b2bkit.periods import Period

__all__ = [
    "avg_deal_size",
    "bookings",
    "forecast_accuracy",
    "open_pipeline",
    "opportunities_created",
    "opportunity_conversion_rate",
    "pipeline_coverage",
    "pipeline_velocity",
    "sales_cycle_days",
    "sales_cycle_days_median",
    "win_rate",
    "won_deals",
]


def _opps(split: Split) -> pd.DataFrame:
    return split.view.tables["opportunities"]


def _closed(split: Split, period: Period, status: str) -> pd.Series:
    opps = _opps(split)
    if "closed_at" not in opps:
        return pd.Series(False, index=opps.index)
    return (opps["status"] == status).to_numpy() & in_period(opps["closed_at"], period)


def won_in(split: Split, period: Period) -> pd.Series:
    """Opportunities won with closed_at in the period."""
    return _closed(split, period, "won")


@metric("count")
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
    missing = absent(split, "opportunities")
    if missing:
        return missing
    return Result.of(split.count("opportunities", in_period(_opps(split)["created_at"], period)))


@metric("count")
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
    missing = absent(split, "opportunities")
    if missing:
        return missing
    return Result.of(split.count("opportunities", won_in(split, period)))


@metric("rate")
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
    missing = absent(split, "opportunities")
    if missing:
        return missing
    won = split.count("opportunities", won_in(split, period))
    lost = split.count("opportunities", _closed(split, period, "lost"))
    return ratio(won, won + lost, f"no opportunities closed in {period}")


@metric("rate")
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
    missing = absent(split, "opportunities")
    if missing:
        return missing
    opps = _opps(split)
    created = in_period(opps["created_at"], period)
    return ratio(split.count("opportunities", created & (opps["status"] == "won")),
                 split.count("opportunities", created),
                 f"no opportunities created in {period}")


def bookings_in(split: Split, period: Period) -> Result:
    """Amount won per group (shared with team metrics)."""
    missing = absent(split, "opportunities")
    if missing:
        return missing
    return Result.of(split.sum("opportunities", _opps(split)["amount"], won_in(split, period)))


@metric("currency")
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


@metric("currency")
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
    return combine(ratio(booked.values, deals.values, f"no won deals in {period}"), booked,
                   deals)


def _cycle_days(split: Split, period: Period) -> tuple[pd.Series, pd.Series] | Result:
    """Days from first contact to close of each deal won in the period, and its group."""
    missing = absent(split, "opportunities")
    if missing:
        return missing
    opps = _opps(split)
    first = opps["created_at"]
    if "lead_id" in opps and "leads" in split.view.tables:
        to_lead = split.view.links.get(("opportunities", "lead_id"))
        if to_lead is not None:
            first = lookup(split.view.tables["leads"], "created_at", to_lead).fillna(first)
    won = won_in(split, period)
    # a deal closed before it (or its lead) was created: 0 days, not a negative cycle
    closed = opps.get("closed_at", pd.Series(pd.NaT, index=opps.index))  # no column: none won
    days = ((closed - first) / pd.Timedelta(days=1)).clip(lower=0)
    labels = split.labels("opportunities")
    return days[won], labels[won]


def _cycle(split: Split, period: Period, how: str) -> Result:
    found = _cycle_days(split, period)
    if isinstance(found, Result):
        return found
    days, labels = found
    values = days.groupby(labels.to_numpy()).agg(how).reindex(split.groups)
    notes = pd.Series(pd.NA, index=values.index, dtype="string").mask(
        values.isna(), f"no won deals in {period}")
    return Result.of(values, notes)


@metric("days")
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


@metric("days")
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


@metric("currency_per_day")
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
    result = ratio(numerator, parts[3].values, f"a sales cycle of 0 days in {period}")
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


@metric("currency")
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
    missing = absent(split, "opportunities")
    if missing:
        return missing
    return Result.of(split.sum("opportunities", _opps(split)["amount"], open_at(split, period.end)))


def quota_in(split: Split, period: Period) -> Result:
    """Quota per group: quota rows whose span lies inside the period."""
    missing = absent(split, "quotas")
    if missing:
        return missing
    if split.unsplittable("quotas"):
        return split.not_split("quotas")
    quotas = split.view.tables["quotas"]
    inside = (quotas["period_start"] >= period.start) & (quotas["period_end"] <= period.end)
    return Result.of(split.sum("quotas", quotas["quota"], inside))


@metric("ratio")
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
    result = ratio(pipeline.values, quota.values, f"no quota for {period.next()}")
    return combine(result, quota, pipeline)


@metric("rate")
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
    missing = absent(split, "forecasts")
    if missing:
        return missing
    if split.unsplittable("forecasts"):
        return split.not_split("forecasts")
    forecasts = split.view.tables["forecasts"]
    exact = ((forecasts["period_start"] == period.start)
             & (forecasts["period_end"] == period.end)).fillna(False).astype(bool)
    team = exact & forecasts["rep_id"].isna()
    if split.by is None and team.any():
        chosen = team
    else:
        chosen = exact & forecasts["rep_id"].notna()
    labels = split.labels("forecasts")
    rows = forecasts["forecast_amount"].astype(float)[chosen]
    forecast = rows.groupby(labels[chosen].to_numpy()).sum().reindex(split.groups)
    actual = bookings_in(split, period)
    booked = actual.values.where(actual.values != 0)
    values = 1 - (booked - forecast).abs() / booked
    notes = pd.Series(pd.NA, index=forecast.index, dtype="string")
    notes = notes.mask(booked.isna(), f"no bookings in {period}")
    notes = notes.mask(forecast.isna(), f"no forecast for {period}")
    return combine(Result(values, notes.where(values.isna())), actual)
