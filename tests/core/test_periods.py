"""Periods: the five written forms, previous/next, masks and as_of (hand-checked values)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from b2bkit.core.asof import as_of_default, parse_as_of
from b2bkit.core.errors import PeriodError, UsageError
from b2bkit.core.periods import FORMS, Period

T = pd.Timestamp


@pytest.mark.parametrize(("text", "start", "end", "kind", "label", "days"), [
    ("2024", "2024-01-01", "2024-12-31", "year", "2024", 366),
    ("2025", "2025-01-01", "2025-12-31", "year", "2025", 365),
    (2025, "2025-01-01", "2025-12-31", "year", "2025", 365),  # papermill passes an int
    (np.int64(2025), "2025-01-01", "2025-12-31", "year", "2025", 365),
    ("2025-Q3", "2025-07-01", "2025-09-30", "quarter", "2025-Q3", 92),
    (" 2025-q1 ", "2025-01-01", "2025-03-31", "quarter", "2025-Q1", 90),
    ("2024-Q1", "2024-01-01", "2024-03-31", "quarter", "2024-Q1", 91),
    ("2025-Q4", "2025-10-01", "2025-12-31", "quarter", "2025-Q4", 92),
    ("2025-02", "2025-02-01", "2025-02-28", "month", "2025-02", 28),
    ("2024-02", "2024-02-01", "2024-02-29", "month", "2024-02", 29),
    ("2025-12", "2025-12-01", "2025-12-31", "month", "2025-12", 31),
    ("2025-W01", "2024-12-30", "2025-01-05", "week", "2025-W01", 7),
    ("2025-w27", "2025-06-30", "2025-07-06", "week", "2025-W27", 7),
    ("2020-W53", "2020-12-28", "2021-01-03", "week", "2020-W53", 7),
    ("2026-W53", "2026-12-28", "2027-01-03", "week", "2026-W53", 7),  # 2026-01-01 is a Thursday
    ("2025-07-01..2025-09-30", "2025-07-01", "2025-09-30", "range", "2025-07-01..2025-09-30", 92),
    ("2025-07-01..2025-07-01", "2025-07-01", "2025-07-01", "range", "2025-07-01..2025-07-01", 1),
    ("\t2024-02-28 .. 2024-03-01\n", "2024-02-28", "2024-03-01", "range",
     "2024-02-28..2024-03-01", 3),
])
def test_parse(text, start, end, kind, label, days) -> None:
    p = Period.parse(text)
    assert (p.start, p.end, p.kind, p.label, p.days, str(p)) == (
        T(start), T(end), kind, label, days, label)
    assert p.end_exclusive == T(end) + pd.Timedelta(days=1)
    assert p.day_before_start == T(start) - pd.Timedelta(days=1)
    assert Period.parse(p.label) == p  # the label reads back as the same period
    assert Period.parse(p) is p


def test_period_is_frozen_and_hashable() -> None:
    p = Period.parse("2025-Q3")
    with pytest.raises(AttributeError):
        p.kind = "month"  # type: ignore[misc]
    assert len({p, Period.parse("2025-q3"), Period.parse("2025-07-01..2025-09-30")}) == 2


@pytest.mark.parametrize(("text", "previous", "following"), [
    ("2025-Q1", "2024-Q4", "2025-Q2"),
    ("2025-Q3", "2025-Q2", "2025-Q4"),
    ("2025-Q4", "2025-Q3", "2026-Q1"),
    ("2025-01", "2024-12", "2025-02"),
    ("2025-12", "2025-11", "2026-01"),
    ("2025", "2024", "2026"),
    ("2025-W01", "2024-W52", "2025-W02"),
    ("2021-W01", "2020-W53", "2021-W02"),
    ("2020-W53", "2020-W52", "2021-W01"),
    ("2025-W27", "2025-W26", "2025-W28"),
    ("2025-07-01..2025-07-10", "2025-06-21..2025-06-30", "2025-07-11..2025-07-20"),
    ("2024-03-01..2024-03-01", "2024-02-29..2024-02-29", "2024-03-02..2024-03-02"),
])
def test_previous_and_next(text, previous, following) -> None:
    p = Period.parse(text)
    assert (str(p.previous()), str(p.next())) == (previous, following)
    assert p.previous() == Period.parse(previous)
    assert p.next() == Period.parse(following)
    assert p.previous().next() == p and p.next().previous() == p
    assert p.previous().kind == p.kind == p.next().kind
    assert p.previous().end == p.day_before_start
    assert p.next().start == p.end_exclusive


def test_a_range_keeps_its_length() -> None:
    p = Period.parse("2025-07-01..2025-09-30")
    assert (p.previous().days, p.next().days) == (92, 92)
    assert str(p.previous()) == "2025-03-31..2025-06-30"


@pytest.mark.parametrize(("text", "why"), [
    ("2025-Q5", "quarter must be 1-4"),
    ("2025-Q0", "quarter must be 1-4"),
    ("2025-13", "month must be 01-12"),
    ("2025-00", "month must be 01-12"),
    ("2025-W54", "ISO year 2025 has weeks 01-52"),
    ("2025-W53", "ISO year 2025 has weeks 01-52"),
    ("2027-W53", "ISO year 2027 has weeks 01-52"),
    ("2026-W54", "ISO year 2026 has weeks 01-53"),
    ("2025-W00", "ISO year 2025 has weeks 01-52"),
    ("25-Q1", "not a period"),
    ("2025-09-30..2025-07-01", "the range ends before it starts"),
    ("2025-02-30..2025-03-01", "not a date"),
    ("2025-07-01..", "not a period"),
    ("", "not a period"),
    ("   ", "not a period"),
    ("Q3 2025", "not a period"),
    ("2025-Q3-01", "not a period"),
    ("2025-07-01", "not a period"),
    ("0000", "the year must be 1678-2261 (supported dates are 1677-09-22 to 2262-04-11)"),
    ("2263", "the year must be 1678-2261 (supported dates are 1677-09-22 to 2262-04-11)"),
    ("9999-Q4", "the year must be 1678-2261"),
    ("3000-07", "the year must be 1678-2261"),
    ("5000-W10", "the year must be 1678-2261"),
    ("1677-12", "the year must be 1678-2261"),
    ("2262-04-01..2262-04-12", "2262-04-12 is out of range (supported dates are 1677-09-22 "
                               "to 2262-04-11)"),
    ("0001-01-01..0001-01-05", "0001-01-01 is out of range"),
    ("\u0662\u0660\u0662\u0665", "not a period"),  # Arabic-Indic digits are not read as 2025
])
def test_malformed_periods_name_the_text(text, why) -> None:
    with pytest.raises(PeriodError) as info:
        Period.parse(text)
    message = str(info.value)
    assert message.startswith(f"period {text!r}: {why}") and message.endswith(f"; {FORMS}")


def test_the_message_of_the_contract_example() -> None:
    with pytest.raises(PeriodError, match="^period '2025-Q5': quarter must be 1-4; write 2025, "
                                          "2025-Q3, 2025-07, 2025-W27 or "
                                          r"2025-07-01\.\.2025-09-30$"):
        Period.parse("2025-Q5")


@pytest.mark.parametrize("value", [2025.5, 2025.0, None, True, ["2025"], dt.date(2025, 1, 1)])
def test_non_text_periods(value) -> None:
    with pytest.raises(PeriodError) as info:
        Period.parse(value)
    message = str(info.value)
    assert message.startswith(f"period {value!r}: not a period but a {type(value).__name__}; ")
    assert message.endswith(FORMS)


def test_period_error_is_a_usage_error() -> None:
    assert issubclass(PeriodError, UsageError) and issubclass(PeriodError, ValueError)


def test_no_period_beyond_the_calendar() -> None:
    with pytest.raises(PeriodError, match="no period after it"):
        Period.parse("2261-Q4").next()
    with pytest.raises(PeriodError, match="no period before it"):
        Period.parse("1677-09-22..1677-09-26").previous()
    assert str(Period.parse("2262-01-01..2262-04-11")) == "2262-01-01..2262-04-11"


@pytest.mark.parametrize("text", ["3000-01-01", "2262-04-12", "1677-09-21", "9999-12-31"])
def test_as_of_beyond_pandas_timestamps(text) -> None:
    with pytest.raises(PeriodError, match=rf"^as_of '{text}': out of range \(supported dates "
                                          r"are 1677-09-22 to 2262-04-11\)$"):
        parse_as_of(text)


def test_between() -> None:
    p = Period.between(T("2025-07-01 09:30"), dt.date(2025, 7, 10))
    assert (p.start, p.end, p.kind, p.label, p.days) == (
        T("2025-07-01"), T("2025-07-10"), "range", "2025-07-01..2025-07-10", 10)
    assert p == Period.parse("2025-07-01..2025-07-10")
    with pytest.raises(PeriodError, match="ends before it starts"):
        Period.between("2025-07-10", "2025-07-01")
    with pytest.raises(PeriodError, match="range start 'soon': not a date"):
        Period.between("soon", "2025-07-01")


def test_mask_counts_a_timestamp_on_its_calendar_date() -> None:
    values = pd.Series(pd.to_datetime(["2025-06-30 23:59:59", "2025-07-01 00:00:00",
                                       "2025-09-30 23:59:59.999999", "2025-10-01 00:00:00",
                                       None], format="ISO8601"), index=[10, 11, 12, 13, 14])
    got = Period.parse("2025-Q3").mask(values)
    assert got.tolist() == [False, True, True, False, False]
    assert got.dtype == bool and got.index.tolist() == [10, 11, 12, 13, 14]


def test_mask_of_other_inputs() -> None:
    q3 = Period.parse("2025-Q3")
    everything_nat = pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]")
    assert q3.mask(everything_nat).tolist() == [False, False]
    assert q3.mask(pd.Series([], dtype="datetime64[ns]")).tolist() == []
    assert q3.mask(pd.Series(["2025-07-01", None, "2025-10-01"])).tolist() == [
        True, False, False]
    aware = pd.Series(pd.to_datetime(["2025-09-30 23:30", "2025-10-01 00:30"])).dt.tz_localize(
        "America/New_York")
    assert q3.mask(aware).tolist() == [True, False]  # counted at the wall-clock time
    week = Period.parse("2025-W27")
    days = pd.Series(pd.date_range("2025-06-29 12:00", periods=9, freq="D"))
    assert week.mask(days).tolist() == [False] + [True] * 7 + [False]


def test_contains() -> None:
    q3 = Period.parse("2025-Q3")
    assert q3.contains("2025-09-30T23:59")
    assert q3.contains(T("2025-07-01"))
    assert q3.contains(dt.date(2025, 8, 15))
    assert q3.contains(dt.datetime(2025, 9, 30, 23, 59, 59))
    assert not q3.contains("2025-10-01")
    assert not q3.contains("2025-06-30 23:59:59")
    assert not q3.contains(pd.NaT)
    assert not q3.contains(None)
    assert q3.contains(T("2025-09-30 23:00", tz="Asia/Tokyo"))


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-12-31", "2025-12-31"),
    (" 2025-12-31 ", "2025-12-31"),
    ("2025-12-31T18:00", "2025-12-31"),
    ("2025-12-31 23:59:59+05:00", "2025-12-31"),  # its own wall-clock date
    (dt.date(2025, 12, 31), "2025-12-31"),
    (dt.datetime(2025, 12, 31, 13, 0), "2025-12-31"),
    (T("2025-12-31 13:00"), "2025-12-31"),
    (T("2025-12-31 23:00", tz="UTC"), "2025-12-31"),
    (np.datetime64("2025-12-31T08:00"), "2025-12-31"),
])
def test_parse_as_of(value, expected) -> None:
    got = parse_as_of(value)
    assert got == T(expected)
    assert got.tzinfo is None and got == got.normalize()


@pytest.mark.parametrize("value", ["soon", "", "2025-13-01", "31/12/2025", "today", 2025,
                                   20251231, 2025.5, True, None, pd.NaT, np.datetime64("NaT")])
def test_parse_as_of_refuses_what_is_not_a_date(value) -> None:
    with pytest.raises(PeriodError) as info:
        parse_as_of(value)
    assert str(info.value) == f"as_of {value!r}: not a date (write 2025-12-31)"


def test_as_of_default_takes_the_latest_date_across_series() -> None:
    dates = [pd.Series(pd.to_datetime(["2025-03-01 10:00", None])),
             pd.Series([], dtype="datetime64[ns]"),
             pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]"),
             pd.Series(pd.to_datetime(["2024-01-01", "2025-02-28 23:59"], format="ISO8601"))]
    assert as_of_default(dates) == T("2025-03-01")
    assert as_of_default(iter(dates)) == T("2025-03-01")  # any iterable, read once
    later = pd.Series(pd.to_datetime(["2025-03-02 00:00:01"]))
    assert as_of_default([*dates, later]) == T("2025-03-02")


def test_as_of_default_without_dates_is_none() -> None:
    assert as_of_default([]) is None
    assert as_of_default([pd.Series([], dtype="datetime64[ns]")]) is None
    assert as_of_default([pd.Series([pd.NaT], dtype="datetime64[ns]"),
                          pd.Series([], dtype="datetime64[ns]")]) is None


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_mask_compares_calendar_days_in_any_unit(unit):
    stamps = pd.Series(np.array(["2025-06-30T23:59:59", "2025-07-01T00:00:00",
                                 "2025-09-30T23:59:59", "2025-10-01T00:00:00", "NaT"],
                                dtype=f"datetime64[{unit}]"), name="date", index=[5, 6, 7, 8, 9])
    mask = Period.parse("2025-Q3").mask(stamps)
    assert mask.tolist() == [False, True, True, False, False]
    assert mask.index.tolist() == [5, 6, 7, 8, 9] and mask.name == "date"
    assert mask.dtype == bool
