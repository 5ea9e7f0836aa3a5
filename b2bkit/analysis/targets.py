r"""Where a judged metric's target comes from (CONTRACT section 1, "Targets").

A metric is judged against ``[targets]`` of ``dataset.toml`` when the
dataset gives one (stated per quarter and scaled to the period by
:func:`b2bkit.analysis.scorecard.targets_for`). Without it, it is judged
against its own history: the median of the :data:`HISTORY` previous
periods of the same kind that have a value,

.. math::

    t = \operatorname{median}\{m(p_{-1}), \dots, m(p_{-k})\}, \quad k \le 4,

fewer when fewer have a value, and not judged when none has. A lead-cohort
metric's history is taken at the age ``d`` the judgement uses
(``metric@d``), so an old period is not held against a young one. No
built-in number is ever a target; every :class:`Target` says where it came
from, and reports print that beside the judgement.

>>> Target(0.45, "dataset.toml").text("rate")
'target 45.0% from dataset.toml'
>>> Target(200.0, "own median of the last 3 quarters").text("currency", "USD")
'target 200.00 USD: own median of the last 3 quarters'
>>> Target.none("no earlier quarter has a value").text("rate")
'no target: no earlier quarter has a value'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.core.errors import DatasetError, did_you_mean
from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import _, ngettext, plain
from b2bkit.core.periods import Period
from b2bkit.metrics import CATALOGUE, LEAD_COHORT_METRICS, View, at_age

__all__ = ["FROM_SETTINGS", "HISTORY", "SHOWN_AS", "Target", "data_start", "given_targets",
           "kind_name", "own_median", "target_of"]

#: How many previous periods the own-history median reads.
HISTORY = 4

#: The source named for a target of ``[targets]``.
FROM_SETTINGS = "dataset.toml"

#: Metrics whose catalogue unit is a ratio but which a reader sees as a percentage.
SHOWN_AS = {"roi": "rate"}

#: Period kinds in the plural.
_PLURAL = {"year": "years", "quarter": "quarters", "month": "months", "week": "weeks"}


@dataclass(frozen=True)
class Target:
    """A target value and where it came from (``source``); NaN value: not judged, why."""

    value: float
    source: str

    @classmethod
    def none(cls, reason: str) -> Target:
        """No target, with the reason (the metric is not judged)."""
        return cls(math.nan, reason)

    @property
    def given(self) -> bool:
        """True when there is a target to judge against."""
        return not math.isnan(self.value)

    def text(self, unit: str, currency: str = "") -> str:
        """The target and its source, as a report prints it beside the judgement."""
        if not self.given:
            return _("no target: {reason}").format(reason=self.source)
        value = format_value(self.value, unit, currency)
        if self.source == FROM_SETTINGS:
            return _("target {value} from {file}").format(value=value, file=FROM_SETTINGS)
        return _("target {value}: {source}").format(value=value, source=self.source)


def kind_name(period: Period, n: int) -> str:
    """``n`` periods of ``period``'s kind in words: "4 quarters", "1 month", "3 periods".

    >>> kind_name(Period.parse("2025-Q3"), 4), kind_name(Period.parse("2025-07"), 1)
    ('4 quarters', 'month')
    """
    plural = _PLURAL.get(period.kind)
    if plural is None:
        word = f"periods of {period.days} days" if n != 1 else f"period of {period.days} days"
    else:
        word = plural if n != 1 else period.kind
    return word if n == 1 else f"{n} {word}"


def given_targets(view: View) -> dict[str, float]:
    """``[targets]`` of the dataset's settings, each name checked against the catalogue.

    Raises
    ------
    DatasetError
        A name that is no metric, with the nearest one.
    """
    targets = dict(getattr(view.settings, "targets", {}) or {})
    for name in targets:
        if name not in CATALOGUE:
            raise DatasetError.single(
                table="", file=FROM_SETTINGS, column=f"targets.{name}",
                rule=f"no metric {name!r}{did_you_mean(name, CATALOGUE)}; [targets] names "
                     "metrics of the catalogue (docs/metrics.md)")
    return targets


#: The date columns that show when a dataset's data begins.
_STARTS = {"leads": "created_at", "opportunities": "created_at", "orders": "date",
           "spend": "date", "nps": "date", "activities": "date", "sales_costs": "date"}


def data_start(view: View) -> pd.Timestamp | None:
    """The first day the dataset has data (the earliest lead, deal, order, spend, ... date)."""
    firsts = [view.tables[t][c].min() for t, c in _STARTS.items()
              if t in view.tables and c in view.tables[t] and len(view.tables[t])]
    firsts = [f for f in firsts if pd.notna(f)]
    return min(firsts).normalize() if firsts else None


def _value(name: str, view: View, period: Period, days: int | None) -> float:
    if days is not None and name in LEAD_COHORT_METRICS:
        return float(at_age(name, view, period, days))
    return float(CATALOGUE[name].public(view, period))


def own_median(view: View, name: str, period: Period | str, *, days: int | None = None,
               periods: int = HISTORY) -> Target:
    """The median of ``name`` over the ``periods`` periods before ``period`` that have a value.

    A period counts when the data covers all of it (it starts on or after
    :func:`data_start`: a quarter before the first deal has no bookings to
    speak of, not bookings of 0) and its value is not missing. ``days``
    measures a lead-cohort metric at that age in every period.
    """
    period = Period.parse(period)
    start = data_start(view)
    chain, p = [], period
    for _step in range(periods):
        p = p.previous()
        if start is None or p.start < start:
            break
        chain.append(p)
    values = np.array([_value(name, view, p, days) for p in chain], dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return Target.none(_no_earlier(period))
    source = _own_median(period, int(values.size))
    if days is not None and name in LEAD_COHORT_METRICS:
        source = ngettext("{source} at {days} days", "{source} at {days} days", days).format(
            source=source, days=plain(days, 0))
    return Target(float(np.median(values)), source)


def _no_earlier(period: Period) -> str:
    """Why a metric has no own-median target, in the reader's language."""
    kind = period.kind
    if kind == "year":
        return _("no earlier year has a value to compare with")
    if kind == "quarter":
        return _("no earlier quarter has a value to compare with")
    if kind == "month":
        return _("no earlier month has a value to compare with")
    if kind == "week":
        return _("no earlier week has a value to compare with")
    return ngettext("no earlier period of {days} days has a value to compare with",
                    "no earlier period of {days} days has a value to compare with",
                    period.days).format(days=plain(period.days, 0))


def _own_median(period: Period, n: int) -> str:
    """The source of an own-median target over ``n`` periods of ``period``'s kind
    (:func:`kind_name` in a whole sentence, so that each language has its case)."""
    kind, count = period.kind, plain(n, 0)
    if kind == "year":
        return (_("own median of the last year") if n == 1 else ngettext(
            "own median of the last {n} years", "own median of the last {n} years",
            n).format(n=count))
    if kind == "quarter":
        return (_("own median of the last quarter") if n == 1 else ngettext(
            "own median of the last {n} quarters", "own median of the last {n} quarters",
            n).format(n=count))
    if kind == "month":
        return (_("own median of the last month") if n == 1 else ngettext(
            "own median of the last {n} months", "own median of the last {n} months",
            n).format(n=count))
    if kind == "week":
        return (_("own median of the last week") if n == 1 else ngettext(
            "own median of the last {n} weeks", "own median of the last {n} weeks",
            n).format(n=count))
    days = plain(period.days, 0)
    return (_("own median of the last period of {days} days").format(days=days) if n == 1
            else ngettext("own median of the last {n} periods of {days} days",
                          "own median of the last {n} periods of {days} days", n).format(
                              n=count, days=days))


def target_of(view: View, name: str, period: Period | str, *, days: int | None = None,
              given: dict[str, float] | None = None) -> Target:
    """The target ``name`` is judged against in ``period``, with its source.

    ``given`` are the targets already scaled to the period (default: the
    dataset's ``[targets]`` as they are); without one for ``name``,
    :func:`own_median`.
    """
    given = given_targets(view) if given is None else given
    if name in given and math.isfinite(given[name]):
        return Target(float(given[name]), FROM_SETTINGS)
    return own_median(view, name, period, days=days)
