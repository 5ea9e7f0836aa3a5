"""Reporting periods and as_of (CONTRACT.md section 2).

A period is written ``2025`` (a calendar year), ``2025-Q3`` (a calendar
quarter), ``2025-07`` (a month), ``2025-W27`` (an ISO week, Monday to
Sunday) or ``2025-07-01..2025-09-30`` (a range of days). Both ends are
inclusive and a timestamp counts on its calendar date. The previous period is
the previous one of the same kind; for a range, the range of the same number
of days ending the day before it starts.

Examples
--------
>>> p = Period.parse("2025-Q3")
>>> p.start, p.end, p.days
(Timestamp('2025-07-01 00:00:00'), Timestamp('2025-09-30 00:00:00'), 92)
>>> str(p.previous()), str(p.next())
('2025-Q2', '2025-Q4')
>>> str(Period.parse("2025-07-01..2025-07-10").previous())
'2025-06-21..2025-06-30'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from b2bkit.errors import PeriodError

__all__ = ["Period", "as_of_default", "parse_as_of", "parse_period"]

FORMS = "write 2025, 2025-Q3, 2025-07, 2025-W27 or 2025-07-01..2025-09-30"
_DAY = pd.Timedelta(days=1)
_PATTERNS = {
    "year": re.compile(r"(\d{4})"),
    "quarter": re.compile(r"(\d{4})-[Qq](\d+)"),
    "month": re.compile(r"(\d{4})-(\d{1,2})"),
    "week": re.compile(r"(\d{4})-[Ww](\d{1,2})"),
    "range": re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})"),
}


def _fail(text: object, why: str) -> PeriodError:
    return PeriodError(f"period {text!r}: {why}; {FORMS}")


@dataclass(frozen=True)
class Period:
    """A span of whole calendar days, both ends inclusive.

    Attributes
    ----------
    start, end : pandas.Timestamp
        Midnight of the first and of the last day.
    kind : str
        ``year``, ``quarter``, ``month``, ``week`` or ``range``.
    label : str
        The canonical text, e.g. ``2025-Q3``.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    kind: str
    label: str

    def __str__(self) -> str:
        return self.label

    @classmethod
    def parse(cls, text: object) -> Period:
        """Read a period from its text (an int year is accepted too).

        Raises
        ------
        PeriodError
            The text is not one of the accepted forms, or names a day,
            month, quarter or week that does not exist.
        """
        if isinstance(text, Period):
            return text
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise _fail(text, f"not a period but a {type(text).__name__}")
        raw = text.strip()
        for kind, pattern in _PATTERNS.items():
            match = pattern.fullmatch(raw)
            if match:
                return getattr(cls, f"_{kind}")(text, *match.groups())
        raise _fail(text, "not a period")

    @classmethod
    def _year(cls, text: str, year: str) -> Period:
        y = int(year)
        return cls(pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31), "year", f"{y:04d}")

    @classmethod
    def _quarter(cls, text: str, year: str, quarter: str) -> Period:
        y, q = int(year), int(quarter)
        if not 1 <= q <= 4:
            raise _fail(text, "quarter must be 1-4")
        start = pd.Timestamp(y, 3 * q - 2, 1)
        end = start + pd.offsets.QuarterEnd(startingMonth=3)
        return cls(start, end, "quarter", f"{y:04d}-Q{q}")

    @classmethod
    def _month(cls, text: str, year: str, month: str) -> Period:
        y, m = int(year), int(month)
        if not 1 <= m <= 12:
            raise _fail(text, "month must be 01-12")
        start = pd.Timestamp(y, m, 1)
        return cls(start, start + pd.offsets.MonthEnd(), "month", f"{y:04d}-{m:02d}")

    @classmethod
    def _week(cls, text: str, year: str, week: str) -> Period:
        y, w = int(year), int(week)
        try:
            monday = dt.date.fromisocalendar(y, w, 1)
        except ValueError:
            weeks = dt.date(y, 12, 28).isocalendar()[1]
            raise _fail(text, f"ISO year {y} has weeks 1-{weeks}") from None
        start = pd.Timestamp(monday)
        return cls(start, start + 6 * _DAY, "week", f"{y:04d}-W{w:02d}")

    @classmethod
    def _range(cls, text: str, first: str, last: str) -> Period:
        try:
            start, end = pd.Timestamp(dt.date.fromisoformat(first)), pd.Timestamp(
                dt.date.fromisoformat(last))
        except ValueError as exc:
            raise _fail(text, f"not a date ({exc})") from None
        if end < start:
            raise _fail(text, "the range ends before it starts")
        return cls.between(start, end)

    @classmethod
    def between(cls, start: pd.Timestamp, end: pd.Timestamp) -> Period:
        """The range of days from ``start`` to ``end``, both inclusive."""
        start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        return cls(start, end, "range", f"{start:%Y-%m-%d}..{end:%Y-%m-%d}")

    @property
    def days(self) -> int:
        """Calendar days in the period, both ends counted."""
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> pd.Timestamp:
        """Midnight of the day after the period."""
        return self.end + _DAY

    @property
    def day_before_start(self) -> pd.Timestamp:
        """The last day before the period."""
        return self.start - _DAY

    def _shift(self, step: int) -> Period:
        if self.kind == "range":
            offset = step * self.days * _DAY
            return Period.between(self.start + offset, self.end + offset)
        if self.kind == "week":
            monday = (self.start + step * 7 * _DAY).date().isocalendar()
            return Period.parse(f"{monday[0]:04d}-W{monday[1]:02d}")
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        start = self.start + pd.DateOffset(months=step * months)
        return {
            "year": lambda: Period._year("", str(start.year)),
            "quarter": lambda: Period._quarter("", str(start.year), str(start.quarter)),
            "month": lambda: Period._month("", str(start.year), str(start.month)),
        }[self.kind]()

    def previous(self) -> Period:
        """The period of the same kind before this one.

        >>> str(Period.parse("2025-01").previous()), str(Period.parse("2021-W01").previous())
        ('2024-12', '2020-W53')
        """
        return self._shift(-1)

    def next(self) -> Period:
        """The period of the same kind after this one.

        >>> str(Period.parse("2025-Q4").next())
        '2026-Q1'
        """
        return self._shift(1)

    def contains(self, moment: object) -> bool:
        """Whether a timestamp's calendar date lies in the period."""
        ts = pd.Timestamp(moment)
        return bool(self.start <= ts < self.end_exclusive)

    def mask(self, values: pd.Series) -> pd.Series:
        """True where a timestamp's calendar date lies in the period (NaT: False).

        >>> s = pd.Series(pd.to_datetime(["2025-09-30 23:59", "2025-10-01 00:00", None]))
        >>> Period.parse("2025-Q3").mask(s).tolist()
        [True, False, False]
        """
        inside = (values >= self.start) & (values < self.end_exclusive)
        return inside.fillna(False).astype(bool)


def parse_period(text: object) -> Period:
    """Read a period; see :meth:`Period.parse`.

    >>> parse_period("2025-W27").start
    Timestamp('2025-06-30 00:00:00')
    """
    return Period.parse(text)


def parse_as_of(value: object) -> pd.Timestamp:
    """The as_of day from a date, a Timestamp or ISO text, at midnight.

    >>> parse_as_of("2025-12-31T18:00")
    Timestamp('2025-12-31 00:00:00')

    Raises
    ------
    PeriodError
        The value is not a date.
    """
    try:
        moment = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise PeriodError(f"as_of {value!r}: not a date (write 2025-12-31)") from None
    if moment is pd.NaT:
        raise PeriodError(f"as_of {value!r}: not a date (write 2025-12-31)")
    return moment.tz_localize(None).normalize() if moment.tzinfo else moment.normalize()


def as_of_default(dates: Iterable[pd.Series]) -> pd.Timestamp | None:
    """The latest calendar date among ``dates``, or None when they are all empty.

    >>> as_of_default([pd.Series(pd.to_datetime(["2025-03-01 10:00", None])),
    ...                pd.Series([], dtype="datetime64[ns]")])
    Timestamp('2025-03-01 00:00:00')
    """
    latest = [s.max() for s in dates if s.notna().any()]
    return max(latest).normalize() if latest else None
