r"""Lead-cohort metrics at a fixed age (``metric@d``) and their projection to maturity.

roi, lead_conversion_rate, lead_quality and opportunity_conversion_rate
follow the leads (or opportunities) of a period to their outcome, so they
grow as the cohort ages and a young period always looks worse than an old
one (CONTRACT section 3, "Maturity"). :func:`at_age` computes ``metric@d``:
only what happened within ``d`` days of each lead's (opportunity's)
created_at counts, for example

.. math:: \text{lead\_quality@}d = \frac{\#\{\text{created in } P,\
          \text{sql\_at} \le \text{created\_at} + d\}}{\#\{\text{created in } P\}}

and likewise for an opportunity created (lead_conversion_rate), won
(opportunity_conversion_rate, counted from the opportunity's created_at) or
won and booked (roi's attributed bookings). :func:`mature_days` is the
largest ``d`` with period end + d <= as_of, :func:`common_mature_days` the
largest ``d`` at which two periods both are (the age to compare them at); a
period not mature at :data:`MIN_MATURE_DAYS` (30) is too early to judge.
:func:`project` projects a period's value to maturity by the chain ladder on
the dataset's own monthly lead cohorts, always labelled a projection, with a
range.

Examples
--------
>>> from b2bkit import sample_dataset
>>> at_age("lead_quality", sample_dataset(), "2025-Q1", 30)
0.5
>>> mature_days("2025-Q3", "2025-12-31"), common_mature_days("2025-Q4", "2025-Q3", "2025-12-31")
(92, 0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.core.asof import parse_as_of
from b2bkit.core.i18n import _, day_count, ngettext, number, period_text
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.metrics._base import (
    CATALOGUE,
    Missing,
    Result,
    Split,
    absent,
    combine,
    prepare,
    ratio,
)
from b2bkit.metrics.marketing import spend_in
from b2bkit.view.view import View, lookup

__all__ = ["LEAD_COHORT_METRICS", "MIN_MATURE_DAYS", "Projection", "at_age",
           "common_mature_days", "development_factors", "mature_days", "project",
           "too_early"]

#: The metrics that follow a cohort to its outcome, and so have an age.
LEAD_COHORT_METRICS = ("roi", "lead_conversion_rate", "lead_quality",
                       "opportunity_conversion_rate")

#: A period younger than this at as_of is too early to judge.
MIN_MATURE_DAYS = 30

_DAY = pd.Timedelta(days=1)


def mature_days(period: Period | str, as_of: object) -> int:
    """The largest d at which ``period``'s cohort is mature: period end + d <= as_of.

    Negative when the period ends after as_of (it is not mature at any age).

    >>> mature_days("2025-Q3", "2025-10-30"), mature_days("2025-Q4", "2025-12-01")
    (30, -30)
    """
    period = Period.parse(period)
    return int((parse_as_of(as_of) - period.end) // _DAY)


def common_mature_days(p1: Period | str, p2: Period | str, as_of: object) -> int:
    """The largest d at which both periods are mature (the age to compare them at).

    >>> common_mature_days("2025-Q3", "2025-Q2", "2025-12-31")
    92
    """
    return min(mature_days(p1, as_of), mature_days(p2, as_of))


def too_early(period: Period | str, as_of: object, days: int = MIN_MATURE_DAYS) -> bool:
    """True when ``period`` is not mature at ``days`` (30): too early to judge.

    >>> too_early("2025-Q4", "2025-12-31"), too_early("2025-Q3", "2025-12-31")
    (True, False)
    """
    return mature_days(period, as_of) < days


@dataclass(frozen=True)
class _Events:
    """A cohort table: each row's cohort date, delay to its event (days), event weight."""

    table: str
    born: pd.Series      # created_at of the lead / opportunity
    delay: pd.Series     # days from born to the event, NaN without one
    weight: pd.Series    # 1 per event, or the booked amount (roi)
    members: pd.Series   # created_at of the cohort's members (leads; opportunities)


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return ((later - earlier) / _DAY).astype(float)


def _events(split: Split, name: str) -> _Events | Result:
    """The events ``name`` counts, or a missing result saying why there are none."""
    if name not in LEAD_COHORT_METRICS:
        raise ValueError(f"metric must be one of {', '.join(LEAD_COHORT_METRICS)}; "
                         f"not {name!r}")
    view = split.view
    if name == "opportunity_conversion_rate":
        missing = absent(split, "opportunities")
        if missing:
            return missing
        opps = view.tables["opportunities"]
        closed = opps["closed_at"] if "closed_at" in opps else pd.Series(pd.NaT, index=opps.index)
        won = (opps["status"] == "won").to_numpy()
        delay = _days(closed, opps["created_at"]).where(won)
        return _Events("opportunities", opps["created_at"], delay, pd.Series(1.0, opps.index),
                       opps["created_at"])
    tables = ("leads", "opportunities") if name in ("roi", "lead_conversion_rate") else (
        "leads",)
    missing = absent(split, *tables)
    if missing:
        return missing
    leads = view.tables["leads"]
    if name == "lead_quality":
        if "sql_at" not in leads:
            return Result.missing(split.groups, _("the leads carry no SQL dates"))
        return _Events("leads", leads["created_at"], _days(leads["sql_at"], leads["created_at"]),
                       pd.Series(1.0, leads.index), leads["created_at"])
    opps = view.tables["opportunities"]
    if name == "lead_conversion_rate":
        to_opp = view.links.get(("leads", "opportunity_id"), np.full(len(leads), -1))
        opened = lookup(opps, "created_at", to_opp)
        opened.index = leads.index
        return _Events("leads", leads["created_at"], _days(opened, leads["created_at"]),
                       pd.Series(1.0, leads.index), leads["created_at"])
    # roi: won opportunities, dated by their lead's created_at, weighted by amount
    if "lead_id" not in opps:
        return Result.missing(split.groups, _("opportunities have no lead_id"))
    to_lead = view.links.get(("opportunities", "lead_id"), np.full(len(opps), -1))
    born = lookup(leads, "created_at", to_lead)
    born.index = opps.index
    closed = opps["closed_at"] if "closed_at" in opps else pd.Series(pd.NaT, index=opps.index)
    delay = _days(closed, born).where((opps["status"] == "won").to_numpy())
    return _Events("opportunities", born, delay, opps["amount"].astype(float).fillna(0.0),
                   leads["created_at"])


def _in(values: pd.Series, period: Period, as_of: pd.Timestamp | None = None) -> np.ndarray:
    """In ``period`` (:meth:`Period.mask`) and, given ``as_of``, on or before it."""
    inside = period.mask(values)
    if as_of is not None:
        inside = inside & (values < as_of + _DAY).fillna(False)
    return inside.to_numpy(dtype=bool)


def _compute_at(split: Split, name: str, period: Period, days: float) -> Result:
    """``name@days`` per group of ``split``."""
    events = _events(split, name)
    if isinstance(events, Result):
        return events
    born = _in(events.born, period)
    within = born & (events.delay <= days).fillna(False).to_numpy(dtype=bool)
    reached = split.sum(events.table, events.weight, within)
    if name == "roi":
        spend = spend_in(split, period)
        result = ratio(reached - spend.values, spend.values,
                       _("no marketing spend in {period}").format(period=period_text(period)))
        return combine(result, spend)
    reason = (_("no opportunities created in {period}") if events.table == "opportunities"
              else _("no leads created in {period}"))
    return ratio(reached, split.count(events.table, born),
                 reason.format(period=period_text(period)))


def at_age(name: str, data: Dataset | View, period: Period | str, days: float, *,
           by: str | None = None, as_of: object = None) -> float | pd.DataFrame:
    r"""``name@days``: a lead-cohort metric counting only events within ``days`` of creation.

    An event counts when it happened on or before created_at + ``days`` (and
    on or before as_of): the SQL of lead_quality, the opportunity of
    lead_conversion_rate, the win of opportunity_conversion_rate (counted
    from the opportunity's own created_at) and the won amount of roi
    (counted from the lead's created_at; spend is the period's, as in roi).

    Parameters
    ----------
    name : str
        One of :data:`LEAD_COHORT_METRICS`.
    data, period, by, as_of
        As for every catalogue metric.
    days : float
        The age d, in days (fractional days count).

    Returns
    -------
    float, Missing or pandas.DataFrame
        As the catalogue: a number, a :class:`Missing` with its reason, or
        with ``by`` a frame ``[by, value, note]``.

    The sample's four 2025-Q1 leads: L1 reached SQL 5 days after its
    creation, L3 16.6 days after.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> ds = sample_dataset()
    >>> at_age("lead_quality", ds, "2025-Q1", 10), at_age("lead_quality", ds, "2025-Q1", 17)
    (0.25, 0.5)
    >>> at_age("lead_quality", ds, "2025-Q2", 30)
    Missing('no leads created in 2025-Q2')
    """
    view = prepare(data, as_of)
    split = Split(view, by)
    return _compute_at(split, name, Period.parse(period), float(days)).output(by)


@dataclass(frozen=True)
class Projection:
    """A period's value projected to maturity: always a projection, with its range.

    ``observed`` is the catalogue value as of as_of, ``age`` the period's
    mature days (at least 0), ``value`` the projection to ``ultimate_age`` days, ``low`` / ``high``
    its range; ``label`` is always ``"projection"``; ``note`` says how.
    """

    name: str
    observed: float
    age: int
    value: float
    low: float
    high: float
    ultimate_age: int
    cohorts: int
    note: str
    label: str = "projection"


def _monthly(events: _Events, split: Split, as_of: pd.Timestamp, ages: np.ndarray
             ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """Per calendar month of creation: events reached at each age, maturity, size, month end."""
    born = events.born
    month = born.dt.to_period("M")
    valid = month.notna().to_numpy()
    codes = month[valid].astype(str).to_numpy()
    delay = events.delay[valid].to_numpy()
    weight = events.weight[valid].to_numpy()
    reached = (delay[:, None] <= ages[None, :]) * weight[:, None]
    members = events.members.dt.to_period("M").dropna().astype(str)
    size = members.value_counts().astype(float)
    table = pd.DataFrame(reached, columns=ages).groupby(codes).sum()
    table = table.reindex(size.index.union(table.index), fill_value=0.0)
    size = size.reindex(table.index, fill_value=0.0)
    ends = pd.PeriodIndex(table.index, freq="M").end_time.normalize()
    mature = pd.DataFrame((ends.to_numpy()[:, None] + ages[None, :] * _DAY) <= as_of,
                          index=table.index, columns=ages)
    return table, mature, size, pd.Series(ends, index=table.index)


def development_factors(name: str, data: Dataset | View, *, as_of: object = None,
                        step: int = 30, max_age: int = 360, min_cohorts: int = 3
                        ) -> pd.DataFrame:
    r"""Age-to-age development factors of ``name``'s events from the monthly lead cohorts.

    For ages :math:`a_0 = 0 < a_1 = \text{step} < \dots`, with :math:`C_{c,a}`
    the events (or amount, for roi) of monthly cohort :math:`c` reached by age
    :math:`a`, and :math:`M_j` the cohorts mature at :math:`a_{j+1}`:

    .. math:: f_j = \frac{\sum_{c \in M_j} C_{c,a_{j+1}}}{\sum_{c \in M_j} C_{c,a_j}}

    (the volume-weighted chain ladder of claims triangles). The last age is
    the largest (up to ``max_age``) with at least ``min_cohorts`` mature
    cohorts. The range of each step is the smallest and largest factor of a
    single cohort (widened to include :math:`f_j`).

    Returns
    -------
    pandas.DataFrame
        One row per step: ``age_from``, ``age_to``, ``cohorts``, ``factor``,
        ``low``, ``high`` (NaN where no cohort had an event at ``age_from``).

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> table = development_factors("lead_quality", sample_dataset(), min_cohorts=1)
    >>> table.columns.tolist()
    ['age_from', 'age_to', 'cohorts', 'factor', 'low', 'high']
    """
    view = prepare(data, as_of)
    split = Split(view, None)
    events = _events(split, name)
    columns = ["age_from", "age_to", "cohorts", "factor", "low", "high"]
    if isinstance(events, Result):
        return pd.DataFrame(columns=columns)
    ages = np.arange(0, max_age + step, step, dtype=float)
    reached, mature, _, _ = _monthly(events, split, view.as_of, ages)
    counts = mature.sum(axis=0)
    usable = ages[counts.to_numpy() >= min_cohorts]
    if len(usable) < 2:
        return pd.DataFrame(columns=columns)
    ages = ages[: int(np.searchsorted(ages, usable.max())) + 1]
    now, then = reached[ages[:-1]].to_numpy(), reached[ages[1:]].to_numpy()
    ok = mature[ages[1:]].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        total_now = np.where(ok, now, 0).sum(axis=0)
        factor = np.where(total_now > 0, np.where(ok, then, 0).sum(axis=0) / total_now, np.nan)
        single = np.where(ok & (now > 0), then / now, np.nan)
    low = np.fmin(factor, np.nanmin(np.where(np.isnan(single), np.inf, single), axis=0))
    high = np.fmax(factor, np.nanmax(np.where(np.isnan(single), -np.inf, single), axis=0))
    low, high = np.where(np.isnan(factor), np.nan, low), np.where(np.isnan(factor), np.nan, high)
    return pd.DataFrame({"age_from": ages[:-1].astype(int), "age_to": ages[1:].astype(int),
                         "cohorts": ok.sum(axis=0), "factor": factor, "low": low,
                         "high": high})


def project(name: str, data: Dataset | View, period: Period | str, *, as_of: object = None,
            step: int = 30, max_age: int = 360, min_cohorts: int = 3) -> Projection | Missing:
    r"""``name`` of ``period`` projected to maturity from the dataset's older cohorts.

    The period's leads are split by calendar month of creation. Each part,
    observed at its own age :math:`a` (its mature days, rounded down to a
    multiple of ``step``), is developed to the last age :math:`U` of
    :func:`development_factors` by the cumulative factor

    .. math:: F_a = \prod_{j : a_j \ge a} f_j, \qquad
              \hat C_U = \sum_{\text{parts}} \max(C_{a} \, F_{a},\ C_{\text{as of}})

    A part younger than ``step`` days (its few events make the factor
    unstable), or at an age without a factor, is projected at the older
    cohorts' mature rate per lead (per opportunity) instead; no part is
    projected below what it has already reached. The range multiplies the
    smallest (largest) single-cohort factor of each step, and for the young
    parts uses the lowest (highest) single-cohort mature rate. Rates are
    capped at 1. Only without ``by``.

    Returns
    -------
    Projection or Missing
        Missing (with its reason) when there are too few mature cohorts.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> project("lead_quality", sample_dataset(), "2025-Q1", min_cohorts=1).label
    'projection'
    """
    view = prepare(data, as_of)
    period = Period.parse(period)
    split = Split(view, None)
    events = _events(split, name)
    if isinstance(events, Result):
        return Missing(str(events.notes.iloc[0]))
    factors = development_factors(name, view, step=step, max_age=max_age,
                                  min_cohorts=min_cohorts)
    if factors.empty:
        return Missing(_("fewer than {n} monthly cohorts mature at {days} days to project "
                         "from").format(n=min_cohorts, days=step))
    ultimate = int(factors["age_to"].iloc[-1])
    ages = np.concatenate([factors["age_from"].to_numpy(), [ultimate]]).astype(float)
    cumulative = {}
    for column in ("factor", "low", "high"):
        steps = factors[column].to_numpy()
        cumulative[column] = np.append(np.cumprod(steps[::-1])[::-1], 1.0)
    born = events.born.where(_in(events.born, period, view.as_of))
    members = events.members.where(_in(events.members, period, view.as_of))
    mine = _Events(events.table, born, events.delay, events.weight, members)
    reached, _mature, size, ends = _monthly(mine, split, view.as_of, ages)
    if reached.empty:
        return Missing(_("no cohort created in {period}").format(period=period_text(period)))
    part_end = np.minimum(ends.to_numpy(), min(period.end, view.as_of).to_datetime64())
    age = ((view.as_of.to_datetime64() - part_end) // np.timedelta64(1, "D")).astype(int)
    position = np.clip(np.searchsorted(ages, age, side="right") - 1, 0, len(ages) - 1)
    observed = reached.to_numpy()[np.arange(len(reached)), position]
    # older cohorts' mature rate per member, for parts whose factor is undefined
    older, old_mature, old_size, _ends = _monthly(events, split, view.as_of, ages)
    done = old_mature[ultimate].to_numpy()
    rate = older[ultimate].to_numpy()[done].sum() / old_size.to_numpy()[done].sum()
    single = older[ultimate].to_numpy()[done] / old_size.to_numpy()[done]
    totals = {}
    seen = events.weight.where(events.delay.notna() & born.notna(), 0.0).groupby(
        born.dt.to_period("M").astype(str)).sum().reindex(reached.index, fill_value=0.0)
    for column in ("factor", "low", "high"):
        factor = cumulative[column][position]
        fallback = {"factor": rate, "low": single.min(), "high": single.max()}[column]
        young = np.isnan(factor) | (position == 0)
        developed = np.where(young, fallback * size.to_numpy(), observed * factor)
        developed = np.where(position == len(ages) - 1, observed, developed)
        totals[column] = np.maximum(developed, seen.to_numpy()).sum()
    denominator = float(size.sum())
    observed_value = CATALOGUE[name].public(view, period)
    if name == "roi":
        spend = float(spend_in(split, period).values.iloc[0])
        if not spend > 0:
            return Missing(_("no marketing spend in {period}").format(
                period=period_text(period)))
        values = {k: (v - spend) / spend for k, v in totals.items()}
    else:
        values = {k: min(v / denominator, 1.0) for k, v in totals.items()}
    cohorts = int(factors["cohorts"].iloc[-1])
    note = ngettext("projection to {days} by the chain ladder on {n} older monthly "
                    "cohort; range from the lowest and highest single-cohort factors",
                    "projection to {days} by the chain ladder on {n} older monthly "
                    "cohorts; range from the lowest and highest single-cohort factors",
                    cohorts).format(days=day_count(ultimate, 0), n=number(cohorts))
    return Projection(name, float(observed_value), max(mature_days(period, view.as_of), 0),
                      float(values["factor"]), float(min(values.values())),
                      float(max(values.values())), ultimate, cohorts, note)
