"""The Arrow fast paths read, parse and link exactly as the pandas paths they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from b2bkit.core.errors import DatasetError
from b2bkit.load.links import parent_positions
from b2bkit.load.parsing import STRING, _full_match, _iso_by_arrow, _to_float, number_pattern
from b2bkit.load.sources import _arrow_frame, _pandas_frame, read_raw

CSV_CASES = {
    "plain": b"a,b\n1,x\n2,y\n",
    "no final newline": b"a,b\n1,x\n2,y",
    "crlf": b"a,b\r\n1,x\r\n2,y\r\n",
    "quoted line break": b'a,b\n1,"x\ny"\n2,z\n',
    "doubled quote": b'a,b\n1,"say ""hi"""\n2,""\n',
    "quote inside a cell": b'a,b\n1,5" screen\n2,y\n',
    "spaces kept": b"a,b\n 1 , x \n2,\n",
    "unnamed column": b"a,\n1,x\n2,\n",
    "blank line": b"a,b\n1,x\n\n2,y\n",  # a row of missing cells in both; the loader drops it
}


@pytest.mark.parametrize("data", CSV_CASES.values(), ids=CSV_CASES.keys())
def test_arrow_reads_as_pandas(tmp_path, data):
    header = [h.decode() for h in data.splitlines()[0].split(b",")]
    arrow = _arrow_frame(data, ",", header)
    pandas, _ = _pandas_frame(tmp_path / "t.csv", "t", data, ",", header)
    assert arrow is not None
    pd.testing.assert_frame_equal(arrow, pandas)


def test_arrow_values_on_paper():
    frame = _arrow_frame(b'a,b\n1,"x\ny"\n2,"say ""hi"""\n3,\n', ",", ["a", "b"])
    assert frame["a"].tolist() == ["1", "2", "3"]
    assert frame["b"].tolist()[:2] == ["x\ny", 'say "hi"']
    assert pd.isna(frame["b"].iloc[2])


@pytest.mark.parametrize("data", [
    b'a,b\n1,x\n2,"never closed\n',  # an open quote swallows the rest of the file
    b'a,b\n1,"x\n2,y',
    b"a,b\n1\n2,y\n",  # a short row: pandas pads it
    b"a,b\n1,x,z\n",  # a long row: pandas names the extra field
])
def test_arrow_declines_what_pandas_reads_differently(data):
    assert _arrow_frame(data, ",", ["a", "b"]) is None


def test_lines_with_a_quoted_line_break(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(b'account_id,name\nA1,"Alpha\nInc"\nA2,Beta\n')
    raw = read_raw(path, "accounts")
    assert raw.lines.tolist() == [2, 4]
    assert raw.frame["name"].tolist() == ["Alpha\nInc", "Beta"]


def test_unclosed_quote_message_unchanged(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(b'account_id,name\nA1,Alpha\nA2,"Beta, Inc\n')
    with pytest.raises(DatasetError) as caught:
        read_raw(path, "accounts")
    assert caught.value.violations["rule"].tolist() == [
        "malformed CSV: Error tokenizing data. C error: EOF inside string starting at row 2"]


def test_full_match_as_python_re_on_ascii():
    cells = ["2025-01-02", "2025-01-02 x", "2025-01-02 \x0bx", "2025-01-02\tx", "2025-01-0",
             "1,234.5", "12,5", None]
    text = pd.Series(cells, dtype=STRING)
    for pattern in (r"\d{4}-\d{2}-\d{2}(?:[T ]\S.*)?", number_pattern(".")):
        assert _full_match(text, pattern).tolist() == text.str.fullmatch(pattern).fillna(
            False).astype(bool).tolist()


def test_full_match_non_ascii_goes_through_re():
    text = pd.Series(["٢٠٢٥-01-02", "2025-01-02"], dtype=STRING)  # Arabic-Indic digits
    assert _full_match(text, r"\d{4}-\d{2}-\d{2}").tolist() == [True, True]


def test_iso_by_arrow_as_pandas():
    cells = ["2025-01-02", "2025-01-02T10", "2025-01-02 10:30", "2025-01-02T10:30:05.123456789",
             "2024-02-29", None]
    text = pd.Series(cells, dtype=STRING)
    expected = pd.to_datetime(text, format="ISO8601", errors="coerce").astype("datetime64[ns]")
    pd.testing.assert_series_equal(_iso_by_arrow(text), expected)


@pytest.mark.parametrize("cell", ["2025-02-30", "0202-01-01", "2025-01-02T10:00:00Z",
                                  "2025-1-2", "2025-01-02T24:00:00"])
def test_iso_by_arrow_leaves_other_shapes_to_pandas(cell):
    assert _iso_by_arrow(pd.Series(["2025-01-01", cell], dtype=STRING)) is None


def test_to_float_as_to_numeric():
    cells = ["+1", ".5", "1.", "-0", "1e5", "0.1", "123456789.123456789", "1e400", None]
    text = pd.Series(cells, dtype=STRING)
    got = _to_float(text)
    assert got.dtype == "Float64"
    pd.testing.assert_series_equal(got, pd.to_numeric(text, errors="coerce").astype("Float64"))
    assert got.tolist()[:3] == [1.0, 0.5, 1.0]


def test_parent_positions_arrow_and_pandas_agree():
    keys = ["A", "B", None, "A", "C"]
    refs = ["C", None, "A", "Z", "B", "A"]
    arrow = parent_positions(pd.Series(keys, dtype=STRING), pd.Series(refs, dtype=STRING))
    python = parent_positions(pd.Series(keys, dtype=object), pd.Series(refs, dtype=object))
    assert arrow.tolist() == python.tolist() == [4, -1, 0, -1, 1, 0]
    assert arrow.dtype == np.int64
