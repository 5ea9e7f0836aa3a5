"""Data quality as data (Dataset.quality) and the sentences every output prints."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.quality import CLEAN, quality_lines
from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset


def test_a_clean_dataset_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,A1,2025-01-05,1\n")
    ds = load_dataset(tmp_path)
    assert ds.quality.empty
    assert quality_lines(ds) == [CLEAN] == ["No rows were set aside and nothing was warned about."]


def test_a_one_table_dataset_with_rows_set_aside(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text('currency = "MXN"\nlenient = true\n')
    (tmp_path / "orders.csv").write_text(
        "order_id,account_id,date,amount\n"
        "O1,A1,2025-01-05,100\n"
        "O1,A1,2025-01-06,40\n"        # duplicate key: 40 set aside
        "O3,,2025-01-07,1500000.5\n"   # blank account: 1,500,000.50 set aside
        "O4,A2,2025-01-08,60\n")
    ds = load_dataset(tmp_path)  # lenient from dataset.toml
    acc = ds.accounting.iloc[0]
    assert (acc["read"], acc["loaded"], acc["set_aside"], acc["lines"]) == (4, 2, 2, 4)
    q = ds.quality[["severity", "column", "rows", "amount"]].to_dict("records")
    assert q == [
        {"severity": "set aside", "column": "order_id", "rows": 1, "amount": 40.0},
        {"severity": "set aside", "column": "account_id", "rows": 1, "amount": 1500000.5},
    ]
    assert quality_lines(ds) == [
        "orders: 1 order worth 40.00 MXN set aside: order_id: duplicate key (order_id): an "
        "earlier row has the same value",
        "orders: 1 order worth 1,500,000.50 MXN set aside: account_id: required value is blank",
        "rows read 4 = loaded 2 + set aside 2",
    ]


def test_lenient_argument_overrides_the_setting(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text("lenient = true\n")
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,,2025-01-05,1\n")
    assert len(load_dataset(tmp_path).set_aside) == 1
    with pytest.raises(DatasetError, match="required value is blank"):
        load_dataset(tmp_path, lenient=False)


def test_warnings_set_aside_and_ignored_files_together(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a table\n")
    (tmp_path / "spend.csv").write_text("date,channel,amount\n2025-01-01,ads,5\n"
                                        "2025-01-01,ads,5\n2025-01-02,ads,-3\n")
    ds = load_dataset(tmp_path, lenient=True)
    assert ds.ignored_files == ["notes.txt"]
    assert ds.quality[["severity", "rows"]].to_dict("records") == [
        {"severity": "set aside", "rows": 1}, {"severity": "warning", "rows": 1},
        {"severity": "ignored", "rows": 0}]
    assert quality_lines(ds) == [
        "spend: 1 row worth -3.00 USD set aside: amount: must be >= 0",
        "spend: 1 row worth 5.00 USD kept with a warning: exact duplicate of an earlier row",
        "rows read 3 = loaded 2 + set aside 1",
        "notes.txt: not read (not a table file of the dataset or of its column map)",
    ]


def test_only_ignored_files_still_says_nothing_was_warned_about(tmp_path: Path) -> None:
    (tmp_path / "leads_old.csv").write_text("lead_id\n")
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,A1,2025-01-05,1\n")
    assert quality_lines(load_dataset(tmp_path)) == [
        "leads_old.csv: not read (not a table file of the dataset or of its column map)", CLEAN]


def test_quality_frame_columns(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,A1,2025-01-05,1\n")
    quality = load_dataset(tmp_path).quality
    assert list(quality.columns) == ["table", "file", "severity", "column", "rule", "rows",
                                     "amount", "examples"]
    assert isinstance(quality, pd.DataFrame)


def test_a_look_alike_column_that_is_not_read_is_named(tmp_path: Path) -> None:
    # "amount" and "Amount" in one file: the numbers use "amount" (30 = 10 + 20), and the
    # output says that "Amount" (7 + 5 = 12) was not read, instead of dropping it silently
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount,Amount\n"
                                         "O1,A1,2025-01-02,10,7\nO2,A1,2025-01-03,20,5\n")
    ds = load_dataset(tmp_path)
    assert ds.tables["orders"]["amount"].tolist() == [10.0, 20.0]
    assert quality_lines(ds) == [
        "orders.csv, column 'Amount': not read (the table reads amount from the column "
        "named 'amount')", CLEAN]
    ignored = ds.quality[ds.quality["severity"] == "ignored"]
    assert ignored[["table", "column", "rows"]].values.tolist() == [["orders", "Amount", 0]]


def test_a_look_alike_column_alone_is_a_missing_column(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,Amount\nO1,A1,2025-01-02,7\n")
    with pytest.raises(DatasetError, match="column amount: required column is missing"):
        load_dataset(tmp_path)
