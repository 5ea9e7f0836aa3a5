"""Reporting periods and as_of (CONTRACT.md section 2).

A period is written ``2025`` (a calendar year), ``2025-Q3`` (a calendar
quarter), ``2025-07`` (a month), ``2025-W27`` (an ISO week, Monday to
Sunday) or ``2025-07-01..2025-09-30`` (a range of days). Both ends are
inclusive and a timestamp counts on its calendar date. The previous period is
the previous one of the same kind; for a range, the range of the same number
of days ending the day before it starts. The next period mirrors this.

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

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.core.asof import FIRST_DAY, LAST_DAY, SUPPORTED, naive, parse_as_of
from b2bkit.core.errors import B2bkitError, PeriodError
from b2bkit.core.i18n import _, date_text, ngettext, period_text

__all__ = ["FORMS", "KINDS", "YEARS", "NotObservedError", "Period", "coverage_note",
           "incomplete_note"]

#: The accepted forms, as every period error message ends.
FORMS = "write 2025, 2025-Q3, 2025-07, 2025-W27 or 2025-07-01..2025-09-30"
#: The kinds of period, in the order their forms are tried.
KINDS = ("year", "quarter", "month", "week", "range")

_DAY = pd.Timedelta(days=1)
_ISO_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_PATTERNS = {
    "year": re.compile(r"([0-9]{4})"),
    "quarter": re.compile(r"([0-9]{4})-[Qq]([0-9]{1,2})"),
    "month": re.compile(r"([0-9]{4})-([0-9]{1,2})"),
    "week": re.compile(r"([0-9]{4})-[Ww]([0-9]{1,2})"),
    "range": re.compile(rf"({_ISO_DAY})\s*\.\.\s*({_ISO_DAY})"),
}
#: The years of calendar periods (whole years inside FIRST_DAY..LAST_DAY).
YEARS = (1678, 2261)


class NotObservedError(B2bkitError):
    """A period that starts after as_of: the data cannot say anything about it (exit 1)."""


def _fail(text: object, why: str) -> PeriodError:
    return PeriodError(f"period {text!r}: {why}; {FORMS}")


def _midnight(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, day.day)


def _check_year(text: object, year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise _fail(text, f"the year must be {YEARS[0]}-{YEARS[1]} ({SUPPORTED})")


def _check_day(text: object, day: pd.Timestamp) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _fail(text, f"{day.date().isoformat()} is out of range ({SUPPORTED})")


@dataclass(frozen=True)
class Period:
    """A span of whole calendar days, both ends inclusive.

    Build one with :meth:`Period.parse` (from its text, or a Period as
    is), or a range with :meth:`Period.between`.

    Attributes
    ----------
    start : pandas.Timestamp
        Midnight of the first day.
    end : pandas.Timestamp
        Midnight of the last day (the day is inside the period).
    kind : str
        ``year``, ``quarter``, ``month``, ``week`` or ``range``.
    label : str
        The canonical text, e.g. ``2025-Q3``; ``str(period)`` gives it.

    Examples
    --------
    >>> p = Period.parse("2025-W27")
    >>> p.kind, p.label, f"{p.start:%Y-%m-%d}..{p.end:%Y-%m-%d}"
    ('week', '2025-W27', '2025-06-30..2025-07-06')
    >>> str(p) == p.label
    True
    """

    start: pd.Timestamp
    end: pd.Timestamp
    kind: str
    label: str

    def __str__(self) -> str:
        return self.label

    # -- reading ---------------------------------------------------------

    @classmethod
    def parse(cls, text: object) -> Period:
        """Read a period from its text.

        Parameters
        ----------
        text : str or int
            ``2025``, ``2025-Q3`` (or ``2025-q3``), ``2025-07``, ``2025-W27``
            or ``2025-07-01..2025-09-30``; whitespace around it is ignored.
            An int is read as a year (papermill passes ``2025`` as one) and a
            Period is returned as is.

        Returns
        -------
        Period

        Raises
        ------
        PeriodError
            The text is not one of the accepted forms, or names a day,
            month, quarter or week that does not exist. The message quotes
            the text and lists the accepted forms.

        Examples
        --------
        >>> Period.parse(" 2025-q1 ").label
        '2025-Q1'
        >>> Period.parse(2024).days
        366
        >>> Period.parse("2025-Q5")
        Traceback (most recent call last):
        ...
        b2bkit.core.errors.PeriodError: period '2025-Q5': quarter must be 1-4; write 2025, \
2025-Q3, 2025-07, 2025-W27 or 2025-07-01..2025-09-30
        """
        if isinstance(text, Period):
            return text
        if isinstance(text, int | np.integer) and not isinstance(text, bool | np.bool_):
            text = str(int(text))
        if not isinstance(text, str):
            raise _fail(text, f"not a period but a {type(text).__name__}")
        raw = text.strip()
        for kind, pattern in _PATTERNS.items():
            match = pattern.fullmatch(raw)
            if match:
                return getattr(cls, f"_{kind}")(text, *match.groups())
        raise _fail(text, "not a period")

    @classmethod
    def _year(cls, text: object, year: str) -> Period:
        y = int(year)
        _check_year(text, y)
        return cls(pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31), "year", f"{y:04d}")

    @classmethod
    def _quarter(cls, text: object, year: str, quarter: str) -> Period:
        y, q = int(year), int(quarter)
        _check_year(text, y)
        if not 1 <= q <= 4:
            raise _fail(text, "quarter must be 1-4")
        last = 3 * q
        end = pd.Timestamp(y, last, calendar.monthrange(y, last)[1])
        return cls(pd.Timestamp(y, last - 2, 1), end, "quarter", f"{y:04d}-Q{q}")

    @classmethod
    def _month(cls, text: object, year: str, month: str) -> Period:
        y, m = int(year), int(month)
        _check_year(text, y)
        if not 1 <= m <= 12:
            raise _fail(text, "month must be 01-12")
        end = pd.Timestamp(y, m, calendar.monthrange(y, m)[1])
        return cls(pd.Timestamp(y, m, 1), end, "month", f"{y:04d}-{m:02d}")

    @classmethod
    def _week(cls, text: object, year: str, week: str) -> Period:
        y, w = int(year), int(week)
        _check_year(text, y)
        try:
            monday = dt.date.fromisocalendar(y, w, 1)
            sunday = monday + dt.timedelta(days=6)
        except (ValueError, OverflowError):
            weeks = dt.date(y, 12, 28).isocalendar().week
            raise _fail(text, f"ISO year {y:04d} has weeks 01-{weeks}") from None
        return cls(_midnight(monday), _midnight(sunday), "week", f"{y:04d}-W{w:02d}")

    @classmethod
    def _range(cls, text: object, first: str, last: str) -> Period:
        try:
            start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        except ValueError as exc:
            raise _fail(text, f"not a date ({exc})") from None
        if end < start:
            raise _fail(text, "the range ends before it starts")
        return cls.between(_midnight(start), _midnight(end))

    @classmethod
    def between(cls, start: object, end: object) -> Period:
        """The range of days from ``start`` to ``end``, both inclusive.

        Parameters
        ----------
        start, end : str, date or Timestamp
            The first and the last day; a time of day is dropped.

        Returns
        -------
        Period
            A period of kind ``range``.

        Raises
        ------
        PeriodError
            Either end is not a date, or ``end`` is before ``start``.

        Examples
        --------
        >>> str(Period.between(pd.Timestamp("2025-07-01 09:30"), "2025-07-10"))
        '2025-07-01..2025-07-10'
        """
        first, last = _day(start, "range start"), _day(end, "range end")
        label = f"{first.date().isoformat()}..{last.date().isoformat()}"
        if last < first:
            raise _fail(label, "the range ends before it starts")
        _check_day(label, first)
        _check_day(label, last)
        return cls(first, last, "range", label)

    # -- measures --------------------------------------------------------

    @property
    def days(self) -> int:
        """Calendar days in the period, both ends counted.

        >>> Period.parse("2025-Q3").days, Period.parse("2024-02").days
        (92, 29)
        """
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> pd.Timestamp:
        """Midnight of the day after the period.

        >>> Period.parse("2025-Q3").end_exclusive
        Timestamp('2025-10-01 00:00:00')
        """
        return self.end + _DAY

    @property
    def day_before_start(self) -> pd.Timestamp:
        """The last day before the period (the day S is counted on).

        >>> Period.parse("2025-Q3").day_before_start
        Timestamp('2025-06-30 00:00:00')
        """
        return self.start - _DAY

    # -- neighbours ------------------------------------------------------

    def _shift(self, step: int) -> Period:
        where = "before" if step < 0 else "after"
        try:
            if self.kind == "range":
                offset = dt.timedelta(days=step * self.days)
                return Period.between(_midnight(self.start.date() + offset),
                                      _midnight(self.end.date() + offset))
            if self.kind == "week":
                iso = (self.start.date() + dt.timedelta(days=7 * step)).isocalendar()
                return Period._week(self.label, str(iso.year), str(iso.week))
            if self.kind == "year":
                return Period._year(self.label, str(self.start.year + step))
            if self.kind == "quarter":
                index = self.start.year * 4 + (self.start.month - 1) // 3 + step
                return Period._quarter(self.label, str(index // 4), str(index % 4 + 1))
            if self.kind == "month":
                index = self.start.year * 12 + self.start.month - 1 + step
                return Period._month(self.label, str(index // 12), str(index % 12 + 1))
        except (PeriodError, OverflowError, ValueError):
            raise _fail(self.label, f"there is no period {where} it") from None
        raise _fail(self.label, f"unknown kind {self.kind!r}")

    def previous(self) -> Period:
        """The period of the same kind just before this one.

        For a range, the range of the same number of days that ends the day
        before this one starts.

        Returns
        -------
        Period

        Examples
        --------
        >>> str(Period.parse("2025-01").previous()), str(Period.parse("2021-W01").previous())
        ('2024-12', '2020-W53')
        >>> str(Period.parse("2025-07-01..2025-07-10").previous())
        '2025-06-21..2025-06-30'
        """
        return self._shift(-1)

    def next(self) -> Period:
        """The period of the same kind just after this one.

        For a range, the range of the same number of days that starts the
        day after this one ends.

        Returns
        -------
        Period

        Examples
        --------
        >>> str(Period.parse("2025-Q4").next()), str(Period.parse("2020-W53").next())
        ('2026-Q1', '2021-W01')
        >>> str(Period.parse("2025-07-01..2025-07-10").next())
        '2025-07-11..2025-07-20'
        """
        return self._shift(1)

    # -- membership ------------------------------------------------------

    def contains(self, moment: object) -> bool:
        """Whether a timestamp's calendar date lies in the period.

        Parameters
        ----------
        moment : str, date, datetime or Timestamp
            A time of day does not matter; a time zone is dropped (the
            timestamp counts at its own wall-clock time). NaT and None are
            not in any period.

        Returns
        -------
        bool

        Examples
        --------
        >>> q3 = Period.parse("2025-Q3")
        >>> q3.contains("2025-09-30 23:59"), q3.contains("2025-10-01"), q3.contains(None)
        (True, False, False)
        """
        if moment is None:
            return False
        ts = pd.Timestamp(moment)
        if ts is pd.NaT:
            return False
        return bool(self.start <= naive(ts) < self.end_exclusive)

    def mask(self, values: pd.Series) -> pd.Series:
        """True where a timestamp's calendar date lies in the period.

        Parameters
        ----------
        values : pandas.Series
            Timestamps (datetime64, or dates, datetimes and ISO 8601 text).
            A time zone is dropped, keeping the wall-clock time.

        Returns
        -------
        pandas.Series
            Booleans on the same index; NaT gives False.

        Examples
        --------
        >>> s = pd.Series(pd.to_datetime(["2025-09-30 23:59", "2025-10-01 00:00", None]))
        >>> Period.parse("2025-Q3").mask(s).tolist()
        [True, False, False]
        """
        if not isinstance(values, pd.Series):
            values = pd.Series(values)
        if not pd.api.types.is_datetime64_any_dtype(values):
            values = pd.to_datetime(values, format="ISO8601")
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        if isinstance(values.dtype, np.dtype):  # datetime64[unit]: compare the integers
            inside = self._inside_ticks(values.to_numpy())
            return pd.Series(inside, index=values.index, name=values.name)
        inside = (values >= self.start) & (values < self.end_exclusive)
        return inside.fillna(False).astype(bool)

    def _inside_ticks(self, stamps: np.ndarray) -> np.ndarray:
        """:meth:`mask` of a numpy datetime64 array, on its int64 ticks.

        Both ends are midnights, exact in any unit; NaT is the smallest int64
        and so falls before the start.

        >>> days = np.array(["2025-06-30", "2025-07-01", "NaT"], dtype="datetime64[s]")
        >>> Period.parse("2025-Q3")._inside_ticks(days).tolist()
        [False, True, False]
        """
        unit = np.datetime_data(stamps.dtype)[0]
        first, after = (np.datetime64(moment.to_datetime64(), unit).astype(np.int64)
                        for moment in (self.start, self.end_exclusive))
        ticks = stamps.view(np.int64)
        return (ticks >= first) & (ticks < after)


def _day(value: object, what: str) -> pd.Timestamp:
    try:
        moment = pd.Timestamp(value)
    except (TypeError, ValueError):
        moment = pd.NaT
    if moment is pd.NaT:
        raise PeriodError(f"{what} {value!r}: not a date (write 2025-07-01)")
    return naive(moment).normalize()


def coverage_note(period: Period, as_of: pd.Timestamp | None) -> str:
    """How much of ``period`` the data covers, seen from ``as_of`` (CONTRACT section 2).

    A period that ends on or before as_of is complete (an empty note); one
    that ends after it is incomplete and says how many days were observed;
    one that starts after as_of has no data and is refused.

    Raises
    ------
    NotObservedError
        The period starts after as_of (exit code 1, naming both), or there is
        no as_of (a dataset without dated rows): no period can be judged.

    Examples
    --------
    >>> coverage_note(Period.parse("2025-Q4"), pd.Timestamp("2025-11-14"))
    '2025-Q4 is incomplete: 45 of 92 days observed (as_of 2025-11-14)'
    >>> coverage_note(Period.parse("2025-Q3"), pd.Timestamp("2025-11-14"))
    ''
    >>> coverage_note(Period.parse("2025-Q3"), None)
    Traceback (most recent call last):
    ...
    b2bkit.core.periods.NotObservedError: period 2025-Q3 cannot be judged: the dataset has no \
dated rows, so it has no as_of (set as_of in dataset.toml or pass --as-of)
    """
    if as_of is None:
        raise NotObservedError(
            f"period {period} cannot be judged: the dataset has no dated rows, so it has no "
            "as_of (set as_of in dataset.toml or pass --as-of)")
    as_of = pd.Timestamp(as_of).normalize()
    if period.start > as_of:
        raise NotObservedError(
            f"period {period} starts after as_of {as_of:%Y-%m-%d}: there is no data for it "
            "(choose an earlier period, or a later --as-of if the data reaches it)")
    note = incomplete_note(period, as_of)
    return _("{note} (as_of {day})").format(note=note, day=date_text(as_of)) if note else ""


def incomplete_note(period: Period, as_of: object) -> str:
    """``"<period> is incomplete: N of D days observed"`` when it ends after as_of, else "".

    N counts the period's days up to and including as_of (0 when the period
    starts after it; :func:`coverage_note` refuses such a period).

    >>> incomplete_note(Period.parse("2025-12"), "2025-12-01")
    '2025-12 is incomplete: 1 of 31 days observed'
    """
    moment = parse_as_of(as_of)
    if moment >= period.end:
        return ""
    seen = max((moment - period.start).days + 1, 0)
    return ngettext("{period} is incomplete: {seen} of {days} days observed",
                    "{period} is incomplete: {seen} of {days} days observed",
                    period.days).format(period=period_text(period), seen=seen, days=period.days)
