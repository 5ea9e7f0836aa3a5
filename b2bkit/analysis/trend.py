"""A metric over several periods, in one tidy frame ready to plot.

>>> from b2bkit import sample_dataset
>>> trend(sample_dataset(), "leads", ["2025-01", "2025-02", "2025-03"])[["period", "value"]]
    period  value
0  2025-01    2.0
1  2025-02    1.0
2  2025-03    1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from b2bkit.core.errors import UsageError
from b2bkit.core.periods import Period, coverage_note
from b2bkit.load.dataset import Dataset
from b2bkit.metrics import View, check_by, compute_all, metric_names, prepare

__all__ = ["TREND_COLUMNS", "trend"]

#: Columns of :func:`trend`'s frame; the dimension's column follows ``start`` when ``by`` is set.
TREND_COLUMNS = ("period", "start", "metric", "unit", "value", "note")




def _period(value: Period | str, what: str) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(value)
    except UsageError as error:
        raise UsageError(f"{what}: {error}") from None


def _periods(periods: int | Sequence[Period | str], end: Period | str | None) -> list[Period]:
    """The periods asked for, oldest first when given as a count."""
    if isinstance(periods, bool) or not isinstance(periods, int | list | tuple):
        raise UsageError(f"periods must be a list of periods or a count; not {periods!r}")
    if isinstance(periods, int):
        if periods < 1:
            raise UsageError(f"periods must be at least 1; not {periods}")
        if end is None:
            raise UsageError(f"periods={periods} needs end=, the last of them (e.g. "
                             "end='2025-Q3')")
        chosen = [_period(end, "end")]
        for _ in range(periods - 1):  # a handful of periods, not data rows
            chosen.insert(0, chosen[0].previous())
        return chosen
    if end is not None:
        raise UsageError("end= goes with a count of periods; with a list, the list says which")
    if not periods:
        raise UsageError("periods is an empty list; name at least one period")
    return [_period(p, "periods") for p in periods]


def trend(data: Dataset | View, metric: str, periods: int | Sequence[Period | str], *,
          end: Period | str | None = None, by: str | None = None,
          as_of: object = None) -> pd.DataFrame:
    """One metric of the catalogue over several periods, as a tidy frame.

    Each period is computed exactly as the metric alone computes it
    (:func:`b2bkit.metrics.compute_all`), from one as_of cut of the data;
    the frame has one row per period (and group), so that it plots and
    pivots without reshaping.

    Parameters
    ----------
    data : Dataset or View
        The data; a :class:`~b2bkit.metrics.View` keeps its as_of.
    metric : str
        A name of :data:`b2bkit.metrics.CATALOGUE` (``"cac"``, ``"win_rate"``).
    periods : int or list of Period or str
        The periods, in the order given (``["2025-Q1", "2025-Q2"]``); or a
        count ``n``: the ``n`` periods of the kind of ``end`` that end with it,
        oldest first.
    end : Period or str, optional
        The last period, with a count (and only then).
    by : str, optional
        A dimension of :data:`b2bkit.metrics.DIMENSIONS`; blanks form the
        group ``(unknown)``, which is kept.
    as_of : optional
        Overrides the dataset's as_of.

    Returns
    -------
    pandas.DataFrame
        ``period`` (text), ``start`` (Timestamp), the ``by`` column when
        given, ``metric``, ``unit``, ``value`` (float, NaN where missing) and
        ``note`` (why a value is missing; for a period that ends after
        as_of, that it is incomplete). Rows by period, then group.

    Raises
    ------
    UsageError
        An unknown metric (the message names the nearest ones), dimension or
        period.
    NotObservedError
        A period starts after as_of.

    Examples
    --------
    Marketing spend per channel in January and February 2025 (the sample's
    one lead without a channel makes the ``(unknown)`` group):

    >>> from b2bkit import sample_dataset
    >>> frame = trend(sample_dataset(), "marketing_spend", 2, end="2025-02", by="channel")
    >>> frame[["period", "channel", "value", "unit"]]
        period     channel   value      unit
    0  2025-01   (unknown)     0.0  currency
    1  2025-01  trade_show     0.0  currency
    2  2025-01     webinar   500.0  currency
    3  2025-02   (unknown)     0.0  currency
    4  2025-02  trade_show  3000.0  currency
    5  2025-02     webinar     0.0  currency
    """
    (name,) = metric_names((metric,))
    check_by(by)
    chosen = _periods(periods, end)
    view = prepare(data, as_of)
    parts = []
    for period in chosen:  # one computation per period
        part = compute_all(view, period, by=by, metrics=(name,))
        incomplete = coverage_note(period, view.as_of)
        if incomplete:
            part["note"] = part["note"].fillna(incomplete)
        part.insert(0, "start", period.start)
        part.insert(0, "period", str(period))
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["note"] = frame["note"].astype("string")
    return frame
