"""Periods: the five written forms, previous/next, masks and as_of."""

import pandas as pd
import pytest

from b2bkit.errors import PeriodError
from b2bkit.periods import Period, as_of_default, parse_as_of

T = pd.Timestamp


@pytest.mark.parametrize(("text", "start", "end", "kind", "label", "days"), [
    ("2024", "2024-01-01", "2024-12-31", "year", "2024", 366),
    (2025, "2025-01-01", "2025-12-31", "year", "2025", 365),  # papermill passes an int
    ("2025-Q3", "2025-07-01", "2025-09-30", "quarter", "2025-Q3", 92),
    (" 2025-q1 ", "2025-01-01", "2025-03-31", "quarter", "2025-Q1", 90),
    ("2025-02", "2025-02-01", "2025-02-28", "month", "2025-02", 28),
    ("2024-02", "2024-02-01", "2024-02-29", "month", "2024-02", 29),
    ("2025-W01", "2024-12-30", "2025-01-05", "week", "2025-W01", 7),
    ("2025-W27", "2025-06-30", "2025-07-06", "week", "2025-W27", 7),
    ("2025-07-01..2025-09-30", "2025-07-01", "2025-09-30", "range", "2025-07-01..2025-09-30", 92),
    ("2025-07-01..2025-07-01", "2025-07-01", "2025-07-01", "range", "2025-07-01..2025-07-01", 1),
])
def test_parse(text, start, end, kind, label, days) -> None:
    p = Period.parse(text)
    assert (p.start, p.end, p.kind, p.label, p.days, str(p)) == (
        T(start), T(end), kind, label, days, label)


@pytest.mark.parametrize(("text", "previous", "following"), [
    ("2025-Q1", "2024-Q4", "2025-Q2"),
    ("2025-01", "2024-12", "2025-02"),
    ("2025", "2024", "2026"),
    ("2025-W01", "2024-W52", "2025-W02"),
    ("2021-W01", "2020-W53", "2021-W02"),
    ("2025-07-01..2025-07-10", "2025-06-21..2025-06-30", "2025-07-11..2025-07-20"),
])
def test_previous_and_next(text, previous, following) -> None:
    p = Period.parse(text)
    assert (str(p.previous()), str(p.next())) == (previous, following)
    assert p.previous().next() == p


@pytest.mark.parametrize("text", ["2025-Q5", "2025-Q0", "2025-13", "2025-00", "2025-W54",
                                  "2025-W53", "25-Q1", "2025-09-30..2025-07-01",
                                  "2025-02-30..2025-03-01", "", "Q3 2025", "2025-Q3-01"])
def test_malformed_periods_name_the_text(text) -> None:
    with pytest.raises(PeriodError, match=f"period {text!r}: .*; write 2025, 2025-Q3"):
        Period.parse(text)


@pytest.mark.parametrize("value", [2025.5, None, True])
def test_non_text_periods(value) -> None:
    with pytest.raises(PeriodError, match="not a period"):
        Period.parse(value)


def test_period_error_is_a_usage_error() -> None:
    from b2bkit.errors import UsageError
    assert issubclass(PeriodError, UsageError) and issubclass(PeriodError, ValueError)


def test_mask_counts_a_timestamp_on_its_calendar_date() -> None:
    values = pd.Series(pd.to_datetime(["2025-06-30 23:59:59", "2025-07-01 00:00:00",
                                       "2025-09-30 23:59:59", "2025-10-01 00:00:00", None]))
    assert Period.parse("2025-Q3").mask(values).tolist() == [False, True, True, False, False]
    assert Period.parse("2025-Q3").contains("2025-09-30T18:00")


def test_as_of() -> None:
    assert parse_as_of("2025-12-31") == T("2025-12-31")
    assert parse_as_of(T("2025-12-31 13:00")) == T("2025-12-31")
    with pytest.raises(PeriodError, match="as_of 'soon': not a date"):
        parse_as_of("soon")
    dates = [pd.Series(pd.to_datetime(["2025-03-01 10:00", None])),
             pd.Series([], dtype="datetime64[ns]"), pd.Series(pd.to_datetime(["2024-01-01"]))]
    assert as_of_default(dates) == T("2025-03-01")
    assert as_of_default([pd.Series([], dtype="datetime64[ns]")]) is None
