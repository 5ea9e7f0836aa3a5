"""as_of: the day the data is seen from (CONTRACT.md section 2), read by one rule.

The ``--as-of`` flag, the ``as_of`` notebook parameter, ``as_of`` in
``dataset.toml`` and the ``as_of`` argument of the functions all go through
:func:`parse_as_of`; what it refuses, each of them refuses in the same
words (:class:`AsOfError` carries them). Without an explicit as_of, a
dataset is seen from its latest event date (:func:`latest_event`), over the
columns :data:`b2bkit.core.schema.EVENT_DATE_COLUMNS` declares.

Examples
--------
>>> parse_as_of("2025-12-31T18:00")
Timestamp('2025-12-31 00:00:00')
>>> parse_as_of(2025)
Traceback (most recent call last):
...
b2bkit.core.asof.AsOfError: as_of 2025: not a date (write 2025-12-31)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from b2bkit.core.errors import PeriodError
from b2bkit.core.schema import EVENT_DATE_COLUMNS

__all__ = ["FIRST_DAY", "LAST_DAY", "SUPPORTED", "AsOfError", "as_of_default", "latest_event",
           "naive", "parse_as_of"]

#: The first and the last day a period or as_of may touch: pandas' nanosecond
#: timestamps (the data's dates) hold 1677-09-21 to 2262-04-11.
FIRST_DAY, LAST_DAY = pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-11")
#: The range of supported days, in the words of every out-of-range message.
SUPPORTED = f"supported dates are {FIRST_DAY:%Y-%m-%d} to {LAST_DAY:%Y-%m-%d}"
_NOT_A_DATE = ("not a date", "(write 2025-12-31)")
_OUT_OF_RANGE = ("out of range", f"({SUPPORTED})")


class AsOfError(PeriodError):
    """An as_of that is not a supported day: the value, the reason and the hint.

    ``str()`` is the message of ``--as-of`` and of the function arguments
    (``as_of '03/04/2025': not a date (write 2025-12-31)``); :meth:`rule`
    gives the same words with the value in the middle, for ``dataset.toml``
    (``not a date: '03/04/2025' (write 2025-12-31)``).
    """

    def __init__(self, value: object, reason: str, hint: str) -> None:
        self.value, self.reason, self.hint = value, reason, hint
        super().__init__(f"as_of {value!r}: {reason} {hint}")

    def rule(self, shown: str) -> str:
        """The rule's words around ``shown`` (the value as the caller shows it)."""
        return f"{self.reason}: {shown} {self.hint}"


def naive(moment: pd.Timestamp) -> pd.Timestamp:
    """A timestamp at its own wall-clock time, without its time zone."""
    return moment.tz_localize(None) if moment.tzinfo is not None else moment


def parse_as_of(value: object) -> pd.Timestamp:
    """The as_of day, at midnight, from ISO text, a date or a Timestamp.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, numpy.datetime64 or Timestamp
        Text must be ISO 8601 (``2025-12-31``, ``2025-12-31T18:00``), so
        that ``01/02/2025`` cannot be read two ways. A time of day is
        dropped; so is a time zone, keeping the wall-clock date. Numbers are
        refused (pandas would read ``2025`` as nanoseconds after 1970, a
        TOML reader ``as_of = 2025`` as a year).

    Returns
    -------
    pandas.Timestamp
        Midnight of the day.

    Raises
    ------
    AsOfError
        A :class:`~b2bkit.core.errors.PeriodError`: the value is not a date, or
        is outside :data:`FIRST_DAY` .. :data:`LAST_DAY`; the message names it.

    Examples
    --------
    >>> import datetime
    >>> parse_as_of(datetime.date(2025, 6, 30))
    Timestamp('2025-06-30 00:00:00')
    >>> parse_as_of("03/04/2025")
    Traceback (most recent call last):
    ...
    b2bkit.core.asof.AsOfError: as_of '03/04/2025': not a date (write 2025-12-31)
    """
    moment: pd.Timestamp | None = None
    if isinstance(value, str):
        try:
            moment = pd.Timestamp(dt.datetime.fromisoformat(value.strip()))
        except (TypeError, ValueError):
            moment = None
    elif isinstance(value, dt.date | np.datetime64):  # datetime and Timestamp too
        try:
            moment = pd.Timestamp(value)
        except (TypeError, ValueError):
            moment = None
    if moment is None or moment is pd.NaT:
        raise AsOfError(value, *_NOT_A_DATE)
    day = naive(moment).normalize()
    if not FIRST_DAY <= day <= LAST_DAY:
        raise AsOfError(value, *_OUT_OF_RANGE)
    return day


def as_of_default(dates: Iterable[pd.Series]) -> pd.Timestamp | None:
    """The latest calendar date among the given date columns.

    Parameters
    ----------
    dates : iterable of pandas.Series
        Datetime columns (dates, datetimes and ISO 8601 text are read too);
        NaT and empty series are skipped.

    Returns
    -------
    pandas.Timestamp or None
        Midnight of the day of the latest value, or None when no series
        holds a value.

    Examples
    --------
    >>> as_of_default([pd.Series(pd.to_datetime(["2025-03-01 10:00", None])),
    ...                pd.Series([], dtype="datetime64[ns]")])
    Timestamp('2025-03-01 00:00:00')
    >>> as_of_default([pd.Series([], dtype="datetime64[ns]")]) is None
    True
    """
    latest = []
    for series in dates:
        if not pd.api.types.is_datetime64_any_dtype(series):
            series = pd.to_datetime(series, format="ISO8601")
        if series.notna().any():
            latest.append(naive(series.max()))
    return max(latest).normalize() if latest else None


def latest_event(tables: Mapping[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The default as_of: the latest date among the event-date columns present.

    The columns are those of :data:`b2bkit.core.schema.EVENT_DATE_COLUMNS` (events,
    not plans: an expected close or a quota's period does not move as_of).

    Examples
    --------
    >>> latest_event({"orders": pd.DataFrame({"date": pd.to_datetime(["2025-01-05"])}),
    ...               "quotas": pd.DataFrame({"period_start": pd.to_datetime(["2026-01-01"])})})
    Timestamp('2025-01-05 00:00:00')
    """
    return as_of_default(
        tables[t][c]
        for t, columns in EVENT_DATE_COLUMNS.items() if t in tables
        for c in columns if c in tables[t].columns
    )
