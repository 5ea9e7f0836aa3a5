"""Tables read in parallel, parents located once, Parquet typed as it is (issue 15, round 3).

Every answer here is the serial one: the pool of threads, the grouped
``index_in`` and the Parquet dtypes change how fast, never what.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import b2bkit.load.loading as loading
from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset
from b2bkit.load.links import positions_of, renumber_link
from b2bkit.load.loading import kept_rows, read_table
from b2bkit.load.parsing import STRING, parse_column
from b2bkit.load.sources import read_raw
from b2bkit.load.validate import duplicate_rows
from b2bkit.load.warn import table_warnings


def _broken_folder(folder: Path) -> Path:
    """Three files that cannot be read, named so that size order and table order differ."""
    (folder / "leads.csv").write_text("lead_id\nL1\n")  # created_at missing
    (folder / "orders.csv").write_text("order_id,account_id,date\n" + "O1,A1,2025-01-01\n" * 50)
    (folder / "accounts.csv").write_bytes(b"")  # empty
    (folder / "reps.csv").write_text("rep_id,name\nR1,Ann\n")
    return folder


def _error_rows(folder: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    frame = caught.value.violations
    return list(zip(frame["table"], frame["column"], frame["rule"], strict=True))


def test_errors_of_a_parallel_read_come_in_the_fixed_table_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _broken_folder(tmp_path)
    monkeypatch.setattr(loading, "workers", lambda: 4)
    parallel = _error_rows(folder)
    monkeypatch.setattr(loading, "workers", lambda: 1)
    assert parallel == _error_rows(folder)
    assert parallel == [
        ("leads", "created_at", "required column is missing (the file has: lead_id)"),
        ("leads", "channel", "required column is missing (the file has: lead_id)"),
        ("accounts", "", "the file is empty: it needs at least a header line"),
        ("orders", "amount", "required column is missing (the file has: order_id, account_id, "
                             "date)"),
    ]


def test_a_parallel_load_gives_the_tables_in_the_serial_order(
        tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "workers", lambda: 3)
    parallel = load_dataset(tiny)
    monkeypatch.setattr(loading, "workers", lambda: 1)
    serial = load_dataset(tiny)
    assert list(parallel.tables) == list(serial.tables)
    for name, frame in serial.tables.items():
        pd.testing.assert_frame_equal(parallel[name], frame)
    pd.testing.assert_frame_equal(parallel.quality, serial.quality)
    assert {k: v.tolist() for k, v in parallel.links.items()} == {
        k: v.tolist() for k, v in serial.links.items()}


def _frames() -> dict[str, pd.DataFrame]:
    """Two children of accounts (one as 32-bit, one as 64-bit offsets) and one of reps."""
    return {
        "accounts": pd.DataFrame({"account_id": pd.array(["A1", "A2", "A3"], dtype=STRING)}),
        "reps": pd.DataFrame({"rep_id": pd.array(["R1", "R2"], dtype=STRING)}),
        "orders": pd.DataFrame({"account_id": pd.Series(pd.arrays.ArrowStringArray(
            pa.chunked_array([["A3", None], ["A9", "A1"]], type=pa.string())))}),
        "nps": pd.DataFrame({"account_id": pd.array(["A2", "A2", "A1"], dtype=STRING)}),
        "quotas": pd.DataFrame({"rep_id": pd.array(["R2", None], dtype=STRING)}),
    }


@pytest.mark.parametrize("workers", [1, 2])
def test_positions_of_locates_every_child_of_a_parent_at_once(workers: int) -> None:
    found = positions_of(_frames(), workers=workers)
    assert {k: (p, v.tolist()) for k, (p, v) in found.items()} == {
        ("orders", "account_id"): ("accounts", [2, -1, -1, 0]),
        ("quotas", "rep_id"): ("reps", [1, -1]),
        ("nps", "account_id"): ("accounts", [1, 1, 0]),
    }
    assert list(found) == [("orders", "account_id"), ("nps", "account_id"), ("quotas", "rep_id")]


def test_renumber_link_of_tables_that_keep_every_row_is_a_copy() -> None:
    positions = np.array([1, -1, 0])
    kept = renumber_link(positions, np.ones(3, dtype=bool), np.ones(2, dtype=bool))
    assert kept.tolist() == [1, -1, 0] and kept is not positions
    assert renumber_link(positions, np.array([True, False, True]),
                         np.ones(2, dtype=bool)).tolist() == [1, 0]


def test_duplicate_rows_by_codes_finds_what_the_text_finds() -> None:
    frame = pd.DataFrame({"lead_id": pd.array(["L1", "L2", "L1", None, None, "L2"], dtype=STRING),
                          "n": [1.0, 1.0, 1.0, 2.0, 2.0, 3.0]})
    codes = {"lead_id": np.array([0, 1, 0, -1, -1, 1])}
    assert duplicate_rows(frame).tolist() == [False, False, True, False, True, False]
    assert duplicate_rows(frame, codes=codes).tolist() == duplicate_rows(frame).tolist()


def test_table_warnings_with_codes_count_the_same_copies(tiny: Path) -> None:
    from b2bkit.core.schema import TABLES

    frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-01"] * 3), "event_type": pd.Categorical(
        ["email_open"] * 3), "lead_id": pd.array(["L1", "L1", "L2"], dtype=STRING)})
    plain = table_warnings(frame, TABLES["engagement"])
    coded = table_warnings(frame, TABLES["engagement"], codes={"lead_id": np.array([4, 4, 7])})
    assert [(w.rule, w.mask.tolist()) for w in coded] == [(w.rule, w.mask.tolist()) for w in plain]
    assert [(w.rule, w.rows) for w in plain] == [("exact duplicate of an earlier row", 1)]


def test_kept_rows_of_a_table_that_keeps_every_row_share_its_columns(tiny: Path) -> None:
    table = read_table(tiny / "orders.csv", "orders", load_dataset(tiny).settings)
    frame = kept_rows(table, renumber=True)
    assert np.shares_memory(frame["date"].to_numpy(), table.typed["date"].to_numpy())
    frame["amount"] = 0.0  # copy-on-write: the table's own column is untouched
    assert table.typed["amount"].tolist() == [1200.5, 100.0]
    table.keep.iloc[0] = False
    assert kept_rows(table)["order_id"].tolist() == ["ORD2"]
    assert kept_rows(table).index.tolist() == [1]
    assert kept_rows(table, renumber=True).index.tolist() == [0]


def test_parquet_columns_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "leads.parquet"
    pd.DataFrame({"lead_id": ["L1", "L2", None], "created_at": pd.to_datetime(
        ["2025-01-01", "2025-01-02", "2025-01-03"]), "score": [5, None, 7],
        "bant_need": [True, None, False]}).astype(
        {"score": "Int64", "bant_need": "boolean"}).to_parquet(path)
    raw = read_raw(path, "leads")
    assert {c: str(t) for c, t in raw.frame.dtypes.items()} == {
        "lead_id": "string", "created_at": "datetime64[us]", "score": "Int64",
        "bant_need": "boolean"}
    assert raw.frame["lead_id"].dtype == STRING


def test_whole_numbers_of_an_integer_column_skip_the_float_round_trip() -> None:
    big = 2**53 + 1  # a float would round it to 2**53
    values, bad = parse_column(pd.Series([big, None, 3], dtype="Int64"), "integer")
    assert values.tolist() == [big, pd.NA, 3] and str(values.dtype) == "Int64"
    assert bad.tolist() == [False, False, False]
    values, bad = parse_column(pd.Series([2.0, 2.5]), "integer")
    assert values.tolist() == [2, pd.NA] and bad.tolist() == [False, True]


def test_a_parquet_dataset_loads_as_its_csv_twin(tmp_path: Path, tiny: Path) -> None:
    for name in ("leads", "opportunities", "accounts", "engagement"):
        frame = load_dataset(tiny)[name]
        frame.to_parquet(tmp_path / f"{name}.parquet")
    (tmp_path / "dataset.toml").write_bytes((tiny / "dataset.toml").read_bytes())
    csv_folder = tmp_path / "csv"
    csv_folder.mkdir()
    for name in ("leads", "opportunities", "accounts", "engagement"):
        (csv_folder / f"{name}.csv").write_bytes((tiny / f"{name}.csv").read_bytes())
    (csv_folder / "dataset.toml").write_bytes((tiny / "dataset.toml").read_bytes())
    from_parquet, from_csv = load_dataset(tmp_path), load_dataset(csv_folder)
    for name in from_csv.tables:
        pd.testing.assert_frame_equal(from_parquet[name], from_csv[name])
