"""Cell parsing: every cell is parsed exactly or reported, nothing is guessed."""

import pandas as pd
import pytest

from b2bkit.parsing import parse_column


def _parse(values, kind, **kw):
    typed, bad = parse_column(pd.Series(values, dtype="object"), kind, **kw)
    return typed.tolist(), bad.tolist()


def test_dates_iso_with_time_offset_and_blanks() -> None:
    typed, bad = _parse(["2025-07-31", "2025-07-31T14:05:00", "2025-07-31T23:00:00+03:00",
                         " ", None, "31.07.2025", "0202-01-01"], "datetime")
    assert typed[:3] == [pd.Timestamp("2025-07-31"), pd.Timestamp("2025-07-31 14:05"),
                         pd.Timestamp("2025-07-31 23:00")]  # the wall-clock time is kept
    assert bad == [False, False, False, False, False, True, True]


def test_dates_with_a_declared_format() -> None:
    typed, bad = _parse(["31.07.2025", "2025-07-31"], "datetime", date_format="%d.%m.%Y")
    assert typed[0] == pd.Timestamp("2025-07-31") and bad == [False, True]


def test_numbers_with_decimal_comma_and_thousands() -> None:
    typed, bad = _parse(["1 234,50", "1.234,5", "-0,01", "12,5O"], "number", decimal=",")
    assert typed[:3] == [1234.5, 1234.5, -0.01] and bad == [False, False, False, True]


@pytest.mark.parametrize("text", ["inf", "nan", "1e400", "abc"])
def test_non_finite_numbers_are_reported(text: str) -> None:
    assert _parse([text], "number")[1] == [True]


def test_integers_must_be_whole() -> None:
    typed, bad = _parse(["7", "7.0", "7.5"], "integer")
    assert typed[:2] == [7, 7] and bad == [False, False, True]


def test_booleans() -> None:
    typed, bad = _parse(["TRUE", "no", "1", "", "maybe"], "boolean")
    assert typed[:3] == [True, False, True] and bad == [False, False, False, False, True]


def test_ids_stay_text() -> None:
    typed, bad = _parse(["00123", " A1 ", ""], "id")
    assert typed[:2] == ["00123", "A1"] and pd.isna(typed[2]) and not any(bad)
