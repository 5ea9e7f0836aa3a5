"""The fast paths of loading give what the long ways give (issue 15, second round).

Each fast path (Arrow casts of whole columns, byte checks that skip a strip
or a regex, the row sketches of :func:`b2bkit.load.validate.duplicate_rows`)
is compared with the path it short-cuts, on hand-made cells that sit on the
edges: spaces and invisible characters at either end, signs and exponents,
dates Arrow refuses, blanks, -0.0 and NaN, short and long text.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from b2bkit.load.parsing import (
    _INVISIBLE_BYTES,
    STRING,
    _any_byte,
    _text,
    number_pattern,
    parse_column,
)
from b2bkit.load.validate import _paired, duplicate_rows

EDGES = ["a", " a", "a ", "\ta", "a\u00a0", "\u2003a", "a b", "", "   ", None, "é", "aé",
         "\u200ba", "x" * 30]


def _long_way_text(values: pd.Series) -> pd.Series:
    text = values.astype(STRING).str.strip()
    return text.mask(text == "")


@pytest.mark.parametrize("cells", [EDGES, ["a", "b c", None], ["a", "", "b"], [None, None],
                                   ["ab", "c "]])
def test_text_is_the_strip_and_blanks_of_pandas(cells: list) -> None:
    values = pd.Series(cells, dtype=STRING)
    pd.testing.assert_series_equal(_text(values), _long_way_text(values))


def test_invisible_bytes_are_found_only_where_they_are() -> None:
    assert not _any_byte(pd.Series(["A1", "B-2", None], dtype=STRING).array.__arrow_array__(),
                         _INVISIBLE_BYTES)
    for cell in ["A1\u200b", "A\x00", "Ü1", "A\x7f"]:
        array = pd.Series(["B2", cell], dtype=STRING).array.__arrow_array__()
        assert _any_byte(array, _INVISIBLE_BYTES), cell


NUMBERS = ["+1", "1.", ".5", "+.5", "-0", "1e5", "1E+5", "1.e5", "-1.e-5", "00012", "1e500",
           "1e", ".e5", "1..5", "--1", "+-1", "e5", ".", "1,5", "1 000", "inf", "nan", "1_0",
           "0x10", " 7 ", None, ""]


@pytest.mark.parametrize("cell", NUMBERS)
def test_a_plain_number_column_reads_as_the_pattern_says(cell: str | None) -> None:
    # alone (the Arrow cast of the whole column) and among good cells
    for cells in ([cell], ["12.5", cell, "3"]):
        values, bad = parse_column(pd.Series(cells, dtype=STRING), "number")
        stripped = None if cell is None else cell.strip()
        shaped = bool(stripped) and re.fullmatch(number_pattern("."), stripped) is not None
        position = cells.index(cell)
        value = values.iloc[position]
        number = float(re.sub("[, ]", "", stripped)) if shaped else None  # 1,000 / 1 000
        if shaped and np.isfinite(number):
            assert value == number and not bad.iloc[position]
        else:
            assert pd.isna(value)
            assert bool(bad.iloc[position]) == bool(stripped)
        assert not bad.drop(index=position).any()


DATES = ["2025-07-01", "2025-07-01T10", "2025-07-01 10:30:00.123", "2025-07-01T10:30:00.123456789",
         "2025", "2025-07", "2025-7-1", "2025-02-30", "2025-07-01T10:30Z",
         "2025-07-01T10:30:00+02:00", " 2025-07-01 ", "0202-01-01", "9999-12-31", "", None]


def test_dates_cast_whole_read_as_they_do_one_by_one() -> None:
    """A column Arrow casts at once gives what each cell gives alone (the long way for most)."""
    alone = [parse_column(pd.Series([d], dtype=STRING), "datetime") for d in DATES]
    together_values, together_bad = parse_column(pd.Series(DATES, dtype=STRING), "datetime")
    assert together_values.tolist() == [v.iloc[0] for v, _ in alone]
    assert together_bad.tolist() == [bool(b.iloc[0]) for _, b in alone]
    # the clean ones, cast by Arrow in one go
    clean = [*DATES[:4], None]
    values, bad = parse_column(pd.Series(clean, dtype=STRING), "datetime")
    assert values.tolist()[:4] == [pd.Timestamp(d) for d in clean[:4]]
    assert not bad.any()


def test_booleans_by_arrow_as_by_words() -> None:
    values, bad = parse_column(pd.Series(["TRUE", " no ", "1.0", "F", "maybe", None, ""],
                                         dtype=STRING), "boolean")
    assert values.tolist() == [True, False, True, False, pd.NA, pd.NA, pd.NA]
    assert bad.tolist() == [False, False, False, False, True, False, False]


def _edge_frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 50))
    words = np.array(["", "a", "ab", "abcdefgh", "xabcdefgh", "abcdefghi", "é", "aé", None],
                     dtype=object)
    return pd.DataFrame({
        "text": pd.array(rng.choice(words, n), dtype=STRING),
        "str": pd.array(rng.choice(words[:4], n), dtype="str"),
        "masked": pd.array(rng.choice([0.0, -0.0, 1.5, np.nan], n)).astype("Float64"),
        "float": rng.choice([0.0, -0.0, np.nan, 2.0], n),
        "date": pd.to_datetime(rng.choice(["2025-01-01", "2025-01-02", None], n)),
        "category": pd.Categorical(rng.choice(["u", "v", None], n)),
        "boolean": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
    })


@pytest.mark.parametrize("seed", range(40))
def test_duplicate_rows_is_dataframe_duplicated(seed: int) -> None:
    frame = _edge_frame(seed)
    for columns in (None, ["text"], ["text", "masked"], ["str", "float", "date"],
                    ["category", "boolean"]):
        expected = frame.duplicated(subset=columns).to_numpy()
        assert duplicate_rows(frame, columns).tolist() == expected.tolist(), columns


def test_duplicate_rows_counts_copies_of_copies() -> None:
    frame = pd.DataFrame({"a": pd.array(["x", "x", "x", "y", None, None], dtype=STRING),
                          "b": pd.array([1.0, 1.0, 1.0, 2.0, None, None], dtype="Float64")})
    assert duplicate_rows(frame).tolist() == [False, True, True, False, False, True]


def test_an_increasing_key_has_no_duplicates_and_a_repeated_one_is_found() -> None:
    ordered = pd.DataFrame({"id": pd.array(["A1", "A2", "B1"], dtype=STRING)})
    assert not duplicate_rows(ordered, ["id"]).any()
    repeated = pd.DataFrame({"id": pd.array(["A1", "B1", "A1"], dtype=STRING)})
    assert duplicate_rows(repeated, ["id"]).tolist() == [False, False, True]


def test_paired_keeps_every_repeated_number() -> None:
    numbers = np.random.default_rng(7).integers(0, 2**63, 100_000).astype(np.uint64)
    numbers[:50] = numbers[50:100]
    paired = _paired(numbers)
    assert set(range(100)) <= set(paired.tolist())
    assert len(paired) < 1000


@pytest.mark.parametrize("date_format", ["%d.%m.%Y", "%m/%d/%Y", "%d.%m.%Y %H:%M:%S", "%b %d %Y"])
def test_declared_formats_by_arrow_read_as_pandas(date_format: str) -> None:
    cells = ["31.07.2025", "01.02.2025", "1.2.2025", "30.02.2025", "31.07.25", "31.07.0202",
             "07/31/2025", "7/31/2025", "02/30/2025", "31.07.2025 10:00:05", "Jul 31 2025",
             "", None]
    for column in [[c] for c in cells] + [cells, ["31.07.2025", None, "01.02.2025"],
                                           ["07/31/2025", "12/01/2024"]]:
        values = pd.Series(column, dtype=STRING)
        parsed, bad = parse_column(values, "datetime", date_format=date_format)
        text = values.str.strip().replace("", None)
        expected = pd.to_datetime(text, format=date_format, errors="coerce")
        expected = expected.mask(expected < pd.Timestamp("1900-01-01")).astype("datetime64[ns]")
        assert parsed.tolist() == expected.tolist(), column
        assert bad.tolist() == (text.notna() & expected.isna()).tolist(), column
