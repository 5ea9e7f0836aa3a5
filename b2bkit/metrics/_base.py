"""What every metric shares: missing values with reasons, splitting by a dimension.

Each metric is computed once, per group: without a dimension there is one
group. :class:`Split` gives every row of a table its group label (the
dimension's value, ``(unknown)`` for blanks) and sums or counts per group;
:class:`Result` holds the value and, where it is missing, the reason of each
group, and turns into a scalar (no dimension) or a tidy frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.core.errors import UsageError, did_you_mean
from b2bkit.core.i18n import _
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.view.view import DIMENSIONS, UNKNOWN, View, prepare

__all__ = ["ALL", "CATALOGUE", "MetricInfo", "Missing", "Result", "Split", "check_by",
           "metric", "prepare"]

#: The one group of a metric computed without a dimension.
ALL = "all"


def check_by(by: str | None, argument: str = "by") -> str | None:
    """``by`` if it is None or a dimension, else a UsageError in the caller's words.

    ``argument`` names what the caller called it: ``by`` for a function,
    ``--by`` for the command line, ``segment_by`` for a notebook parameter.

    >>> check_by("chanel")
    Traceback (most recent call last):
    ...
    b2bkit.core.errors.UsageError: by must be one of channel, campaign_id, segment, rep_id, \
practice; not 'chanel' (did you mean 'channel'?)
    """
    if by is not None and by not in DIMENSIONS:
        raise UsageError(f"{argument} must be one of {', '.join(DIMENSIONS)}; not {by!r}"
                         + did_you_mean(by, DIMENSIONS))
    return by


class Missing(float):
    """A missing metric value: NaN that says why.

    It behaves as ``float("nan")`` in arithmetic and comparisons, so code
    that does not care about the reason can treat it as NaN.

    >>> m = Missing("no SQLs in 2025-Q3")
    >>> import math; math.isnan(m), m.reason
    (True, 'no SQLs in 2025-Q3')
    """

    reason: str

    def __new__(cls, reason: str) -> Missing:
        value = super().__new__(cls, "nan")
        value.reason = reason
        return value

    def __repr__(self) -> str:
        return f"Missing({self.reason!r})"

    def __reduce__(self):
        return (Missing, (self.reason,))


@dataclass
class Result:
    """Values and reasons per group."""

    values: pd.Series  # float per group, NaN where missing
    notes: pd.Series  # reason per group where missing, else NA

    @classmethod
    def of(cls, values: pd.Series, notes: pd.Series | None = None) -> Result:
        values = values.astype(float)
        if notes is None:
            notes = pd.Series(pd.NA, index=values.index, dtype="string")
        return cls(values, notes.astype("string").reindex(values.index))

    @classmethod
    def missing(cls, groups: list[str], reason: str) -> Result:
        index = pd.Index(groups)
        return cls(pd.Series(np.nan, index=index),
                   pd.Series(reason, index=index, dtype="string"))

    def output(self, by: str | None, *, integer: bool = False) -> float | int | pd.DataFrame:
        """A scalar without a dimension, else a frame ``[by, value, note]``."""
        if by is None:
            value = self.values.iloc[0]
            if np.isnan(value):
                return Missing(str(self.notes.iloc[0]))
            return round(value) if integer else float(value)
        values = self.values.round().astype("Int64") if integer else self.values
        return pd.DataFrame({by: self.values.index.astype(str), "value": values.to_numpy(),
                             "note": self.notes.to_numpy()})


def ratio(numerator: pd.Series, denominator: pd.Series, reason: str | pd.Series) -> Result:
    """``numerator / denominator`` per group; a zero denominator gives the reason."""
    zero = denominator.fillna(0) == 0
    values = numerator.astype(float) / denominator.astype(float).where(~zero)
    notes = pd.Series(pd.NA, index=values.index, dtype="string")
    if isinstance(reason, pd.Series):
        notes = notes.mask(zero, reason.reindex(values.index))
    else:
        notes = notes.mask(zero, reason)
    return Result.of(values, notes)


def combine(result: Result, *parts: Result) -> Result:
    """Explain a missing ``result`` by the first missing part, else by its own note.

    A metric built from others (cpl from spend and leads) is missing when one
    of them is; the reason of that part says more than "division by zero".
    """
    notes = pd.Series(pd.NA, index=result.values.index, dtype="string")
    for part in parts:
        cause = part.notes.reindex(notes.index).where(part.values.reindex(notes.index).isna())
        notes = notes.fillna(cause)
    notes = notes.fillna(result.notes).where(result.values.isna())
    return Result(result.values, notes)


class Split:
    """Group labels of every row of every table, for one dimension (or none).

    Parameters
    ----------
    view : View
        The prepared dataset.
    by : str, optional
        A dimension of :data:`~b2bkit.view.view.DIMENSIONS`.
    """

    def __init__(self, view: View, by: str | None) -> None:
        check_by(by)
        self.view = view
        self.by = by
        self.groups = [ALL] if by is None else view.groups(by)

    def labels(self, table: str) -> pd.Series | None:
        """The group of each row of ``table``; None when it cannot be split by ``by``."""
        frame = self.view.frame(table)
        if self.by is None:
            return pd.Series(pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8),
                                                       categories=[ALL]))
        dims = self.view.dims.get(table, {})
        if self.by not in dims:
            return None
        labels = dims[self.by]
        if UNKNOWN not in labels.cat.categories:
            labels = labels.cat.add_categories([UNKNOWN])
        return labels.fillna(UNKNOWN)

    def empty(self, fill: float = 0.0) -> pd.Series:
        return pd.Series(fill, index=pd.Index(self.groups), dtype=float)

    def sum(self, table: str, values: pd.Series, mask: pd.Series | None = None) -> pd.Series:
        """Sum of ``values`` (blanks count as 0) per group over rows in ``mask``."""
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
        if self.by is None:  # one group: no grouping needed; the rows in mask, in order
            picked = values[mask] if mask is not None else values
            total = _filled(picked).sum()
            return pd.Series([float(total)], index=pd.Index(self.groups))
        values = _filled(values)
        labels = self.labels(table)
        if labels is None:
            return self.empty(np.nan)
        if mask is not None:
            values, labels = values[mask], labels[mask]
        sums = pd.Series(values).groupby(labels.reset_index(drop=True), observed=True).sum()
        sums.index = sums.index.astype(str)
        return sums.reindex(self.groups, fill_value=0.0)

    def count(self, table: str, mask: pd.Series | None = None) -> pd.Series:
        """Rows in ``mask`` per group."""
        if self.by is None and mask is not None:  # the sum of ones, counted
            total = np.count_nonzero(np.asarray(mask, dtype=bool))
            return pd.Series([float(total)], index=pd.Index(self.groups))
        ones = pd.Series(np.ones(len(self.view.frame(table))))
        return self.sum(table, ones, mask)

    def unsplittable(self, table: str) -> bool:
        return self.by is not None and self.labels(table) is None

    def not_split(self, table: str) -> Result:
        """Every group missing: ``table`` has no ``by``."""
        return Result.missing(self.groups, _("{table} cannot be split by {by}").format(
            table=table, by=self.by))


def _filled(values: pd.Series) -> np.ndarray:
    """``values`` as floats, blanks as 0.

    >>> _filled(pd.Series([1.5, None, 2], dtype="Float64")).tolist()
    [1.5, 0.0, 2.0]
    """
    return values.astype(float).fillna(0.0).to_numpy()


def absent(split: Split, *tables: str) -> Result | None:
    """A missing result naming the first absent table, or None if all are present."""
    for table in tables:
        if table not in split.view.tables:
            return Result.missing(split.groups,
                                  _("no {table} table in the dataset").format(table=table))
    return None


#: What ``better`` may say of a metric: a higher value is better, a lower one, or neither.
BETTER = ("higher", "lower", None)


@dataclass(frozen=True)
class MetricInfo:
    """A metric of the catalogue.

    Attributes
    ----------
    name, unit : str
        The metric's name and unit (one of :data:`UNITS`).
    compute : callable
        ``compute(split, period) -> Result``, guarded: a missing table or an
        undeclared dimension gives every group a missing value with its reason.
    public : callable
        ``name(data, period, *, by=None, as_of=None)``.
    needs : tuple of str
        The tables without which the metric is missing.
    splits : tuple of str
        The dimensions it can be split by.
    better : "higher", "lower" or None
        Which way is good (the scorecard's "on target" reads it).
    """

    name: str
    unit: str  # count, currency, rate, ratio, days, score, currency_per_day, months
    compute: Callable[[Split, Period], Result]
    public: Callable[..., object]
    needs: tuple[str, ...] = ()
    splits: tuple[str, ...] = DIMENSIONS
    better: str | None = "higher"

    @property
    def summary(self) -> str:
        """The first line of the docstring."""
        return (self.compute.__doc__ or "").strip().splitlines()[0]


#: Every metric, in catalogue order (filled by :func:`metric`).
CATALOGUE: dict[str, MetricInfo] = {}

UNITS = ("count", "currency", "rate", "ratio", "days", "score", "currency_per_day", "months")


def _guarded(compute: Callable[[Split, Period], Result], name: str, needs: tuple[str, ...],
             splits: tuple[str, ...], subject: str) -> Callable[[Split, Period], Result]:
    """``compute`` behind the checks its declaration implies."""

    def checked(split: Split, period: Period) -> Result:
        missing = absent(split, *needs)
        if missing:
            return missing
        if split.by is not None and split.by not in splits:
            return Result.missing(split.groups, _("{table} cannot be split by {by}").format(
                table=subject, by=split.by))
        return compute(split, period)

    checked.__name__ = checked.__qualname__ = name
    checked.__doc__ = compute.__doc__
    checked.__module__ = compute.__module__
    return checked


#: The dimensions a metric can be split by, by the rows it counts (CONTRACT section 3):
#: leads, opportunities and orders take every dimension; spend its channel, campaign and
#: practice; customers their account's acquisition channel and segment; engagement its
#: lead's dimensions or its campaign's (no rep); quotas, forecasts and activities the rep.
ALL_DIMENSIONS = DIMENSIONS
SPEND_DIMENSIONS = ("channel", "campaign_id", "practice")
ACCOUNT_DIMENSIONS = ("channel", "segment")
ENGAGEMENT_DIMENSIONS = ("channel", "campaign_id", "segment", "practice")
REP_DIMENSIONS = ("rep_id",)


def metric(unit: str, *, splits: tuple[str, ...], needs: tuple[str, ...] = (),
           better: str | None = "higher", subject: str | None = None
           ) -> Callable[[Callable[[Split, Period], Result]], Callable[..., object]]:
    """Register ``compute(split, period) -> Result`` as a public metric.

    The public function has the signature
    ``name(data, period, *, by=None, as_of=None)``: ``data`` is a
    :class:`~b2bkit.load.dataset.Dataset` or a prepared :class:`View`; ``period``
    a :class:`~b2bkit.core.periods.Period` or its text. It returns a number (a
    :class:`Missing` with its reason when the value is missing) or, with
    ``by``, a frame with one row per group: ``[by, value, note]``.

    Parameters
    ----------
    unit : str
        One of :data:`UNITS`.
    needs : tuple of str
        Tables the metric cannot do without: when one is absent every group
        is missing with "no <table> table in the dataset" (the first absent
        one named) and ``compute`` is not called.
    splits : tuple of str
        The dimensions it can be split by, declared by every metric (one of
        the ``*_DIMENSIONS`` above, or its own tuple); another one gives every
        group "<needs[0]> cannot be split by <by>" (the metric's name when it
        needs no table). tests/metrics/test_splits.py calls every metric with
        every dimension and holds the declaration to what it computes.
    subject : str, optional
        What the refusal names ("spend cannot be split by segment"): the rows
        that decide the split; default ``needs[0]``, else the metric's name.
    better : "higher", "lower" or None
        Which way is good; None for a volume with no good direction.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    if better not in BETTER:
        raise ValueError(f"better must be 'higher', 'lower' or None, not {better!r}")
    if isinstance(splits, str) or not set(splits) <= set(DIMENSIONS):
        raise ValueError(f"splits must be a tuple of dimensions of {DIMENSIONS}, not {splits!r}")

    def register(raw: Callable[[Split, Period], Result]) -> Callable[..., object]:
        name = raw.__name__
        compute = _guarded(raw, name, tuple(needs), splits,
                           subject or (needs[0] if needs else name))

        def public(data: Dataset | View, period: Period | str, *, by: str | None = None,
                   as_of: object = None) -> float | int | pd.DataFrame:
            view = prepare(data, as_of)
            split = Split(view, by)
            result = compute(split, Period.parse(period))
            return result.output(by, integer=unit == "count")

        public.__name__ = public.__qualname__ = name
        public.__doc__ = raw.__doc__
        public.__module__ = raw.__module__
        public.compute = compute  # type: ignore[attr-defined]
        CATALOGUE[name] = MetricInfo(name, unit, compute, public, tuple(needs), splits, better)
        return public

    return register
