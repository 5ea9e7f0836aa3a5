"""Cell parsing: every cell is parsed exactly or reported, nothing is guessed."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset
from b2bkit.load.parsing import ids_as_text, parse_column, rule_for, visible


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


# --- numbers: a thousands mark only before groups of three digits ---------------------------

@pytest.mark.parametrize(("text", "decimal", "value"), [
    ("1.234.567,89", ",", 1234567.89),
    ("1 234 567,89", ",", 1234567.89),
    ("1\u00a0234,5", ",", 1234.5),
    ("1\u202f234,5", ",", 1234.5),
    ("-0,01", ",", -0.01),
    ("12,5", ",", 12.5),
    (",5", ",", 0.5),
    ("1234", ",", 1234.0),
    ("1,234.50", ".", 1234.5),
    ("1,234,567", ".", 1234567.0),
    ("1 234.5", ".", 1234.5),
    ("0.001", ".", 0.001),
    ("1e3", ".", 1000.0),
])
def test_numbers_with_thousands_marks(text: str, decimal: str, value: float) -> None:
    typed, bad = _parse([text], "number", decimal=decimal)
    assert typed == [value] and bad == [False]


@pytest.mark.parametrize(("text", "decimal"), [
    ("12.5", ","),  # not 125
    ("0.001", ","),  # not 1
    ("1.23,4", ","),
    ("1.2345,6", ","),
    ("1234.567,8", ","),  # the first group has at most three digits
    ("1.234 567,8", ","),  # one number, one thousands mark
    ("0.123,4", ","),  # a grouped number does not start with 0
    ("1,23", "."),
    ("12,5", "."),
    ("1,234,56", "."),
    ("1.234,5", "."),
    ("1,,234", "."),
])
def test_a_thousands_mark_elsewhere_is_reported(text: str, decimal: str) -> None:
    typed, bad = _parse([text], "number", decimal=decimal)
    assert pd.isna(typed[0]) and bad == [True]


def _grouped(digits: str, mark: str) -> str:
    head = len(digits) % 3 or 3
    return mark.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(min_value=0, max_value=10**12), cents=st.integers(0, 99),
       negative=st.booleans(), decimal=st.sampled_from([",", "."]),
       spaces=st.sampled_from([None, " ", "\u00a0", "\u202f"]))
def test_formatted_numbers_round_trip(whole: int, cents: int, negative: bool, decimal: str,
                                      spaces: str | None) -> None:
    mark = spaces or ("." if decimal == "," else ",")
    text = ("-" if negative else "") + _grouped(str(whole), mark) + f"{decimal}{cents:02d}"
    typed, bad = _parse([text], "number", decimal=decimal)
    expected = (-1 if negative else 1) * float(f"{whole}.{cents:02d}")
    assert bad == [False] and typed == [expected]


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_plain_numbers_round_trip(value: float) -> None:
    typed, bad = _parse([repr(value)], "number")
    assert bad == [False] and typed == [value]


# --- dates: a full date is needed --------------------------------------------------------------

def test_reduced_precision_dates_are_not_dates() -> None:
    typed, bad = _parse(["2025", "2025-07", "202507", "2025-07-31", "2025-07-31T14:05:00",
                         "2025-07-31T14:05:00Z", "2025-07-31 14:05"], "datetime")
    assert bad == [True, True, True, False, False, False, False]
    assert typed[3:] == [pd.Timestamp("2025-07-31"), pd.Timestamp("2025-07-31 14:05"),
                         pd.Timestamp("2025-07-31 14:05"), pd.Timestamp("2025-07-31 14:05")]


def test_a_declared_format_may_name_a_month() -> None:
    typed, bad = _parse(["07/2025"], "datetime", date_format="%m/%Y")
    assert typed == [pd.Timestamp("2025-07-01")] and bad == [False]


def test_the_date_rule() -> None:
    assert rule_for("datetime") == ("not a date: a full date is needed, e.g. 2025-07-31 or "
                                    "2025-07-31T14:05:00 (or set date_format in the column map)")


# --- identifiers -------------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\x00",
                                  "\x07", "\x85", "\n"])
def test_an_id_with_an_invisible_character_is_reported(char: str) -> None:
    typed, bad = _parse(["A1", f"A{char}1"], "id")
    assert bad == [False, True] and typed[0] == "A1" and pd.isna(typed[1])


def test_zero_width_at_the_end_is_caught_while_whitespace_is_stripped() -> None:
    typed, bad = _parse(["A1\u200b", "A1\n", " A1\t"], "id")
    assert bad == [True, False, False] and typed[1:] == ["A1", "A1"]


def test_whole_float_ids_become_integer_text() -> None:
    assert ids_as_text(pd.Series([7.0, None, 10.0**15])).tolist() == ["7", pd.NA,
                                                                      "1000000000000000"]
    assert ids_as_text(pd.Series([7.0, 7.5])).tolist() == ["7.0", "7.5"]  # never rounded
    assert ids_as_text(pd.Series([7, None], dtype="Int64")).tolist() == ["7", pd.NA]
    assert _parse([7.0, 8.0], "id") == (["7", "8"], [False, False])


def test_visible_escapes_and_cuts() -> None:
    assert visible("A1\u200b") == "A1\\u200b"
    assert visible("a\x00b\ufeff") == "a\\x00b\\ufeff"
    assert visible("Société") == "Société"
    assert visible("x" * 81) == "x" * 80 + "... (81 characters)"
    assert visible("x" * 80) == "x" * 80


# --- whole folders: the rule as a person reads it ------------------------------------------------

def test_folder_decimal_comma_reports_a_dot_decimal(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text(
        "order_id;account_id;date;amount\n1;A1;2025-01-05;1.234,50\n2;A1;2025-01-06;12.5\n"
        "3;A1;2025-01-07;0.001\n")
    (tmp_path / "dataset.toml").write_text('[tables.orders]\ndecimal = ","\n')
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert exc.value.violations[["column", "rule", "rows", "examples"]].values.tolist() == [
        ["amount", "not a finite number", 2, ["order_id=2 (line 3): amount='12.5'",
                                              "order_id=3 (line 4): amount='0.001'"]]]


def test_folder_reduced_dates(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text(
        "order_id,account_id,date,amount\n1,A1,2025,10\n2,A1,2025-07-31,10\n")
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert exc.value.violations[["column", "rule", "examples"]].values.tolist() == [
        ["date", "not a date: a full date is needed, e.g. 2025-07-31 or 2025-07-31T14:05:00 "
                 "(or set date_format in the column map)", ["order_id=1 (line 2): date='2025'"]]]


def test_folder_invisible_id_is_not_a_second_key(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text("account_id,name\nA1,x\nA1\u200b,y\n",
                                           encoding="utf-8")
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert exc.value.violations[["column", "rule", "examples"]].values.tolist() == [
        ["account_id", "contains an invisible character (zero-width, NUL or another control "
                       "character; shown escaped, e.g. \\u200b)",
         ["account_id=A1\\u200b (line 3): account_id='A1\\u200b'"]]]
