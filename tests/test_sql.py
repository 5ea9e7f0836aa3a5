"""SQL sources: the contract's tables read from a database, checked like files (DuckDB)."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.cli import main
from b2bkit.dataset import load_dataset, load_sql
from b2bkit.errors import DatasetError

SAMPLE = Path(__file__).parents[1] / "b2bkit" / "sample"


def _database(path: Path, *, typed: bool, schema: str | None = None) -> str:
    connection = duckdb.connect(str(path))
    prefix = ""
    if schema:
        connection.execute(f"CREATE SCHEMA {schema}")
        prefix = f"{schema}."
    for csv_file in sorted(SAMPLE.glob("*.csv")):
        options = "" if typed else ", all_varchar=true"
        connection.execute(f"CREATE TABLE {prefix}{csv_file.stem} AS "
                           f"SELECT * FROM read_csv('{csv_file}'{options})")
    connection.close()
    return f"duckdb:///{path}"


@pytest.mark.parametrize("typed", [False, True], ids=["text columns", "typed columns"])
def test_duckdb_tables_load_like_the_files(tmp_path: Path, typed: bool) -> None:
    url = _database(tmp_path / "crm.duckdb", typed=typed)
    ds = load_dataset(url)
    reference = sample_dataset()
    assert sorted(ds.tables) == sorted(reference.tables)
    for name, expected in reference.tables.items():
        got = ds[name][expected.columns]
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=name)


def test_schema_and_queries(tmp_path: Path) -> None:
    url = _database(tmp_path / "warehouse.duckdb", typed=True, schema="crm")
    ds = load_sql(url, schema="crm", queries={
        "orders": "SELECT order_id, account_id, date, amount * 2 AS amount FROM crm.orders"})
    assert ds["orders"]["amount"].tolist() == [2401.0, 200.0]
    assert len(ds.tables) == 14


def test_bad_rows_in_a_database_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("CREATE TABLE orders (order_id VARCHAR, account_id VARCHAR, "
                       "date VARCHAR, amount VARCHAR)")
    connection.execute("INSERT INTO orders VALUES ('1', 'A', '2025-01-05', '10'), "
                       "('2', 'A', 'yesterday', '10')")
    connection.close()
    with pytest.raises(DatasetError, match=r"bad.duckdb/orders, column date: not a date") as exc:
        load_dataset(f"duckdb:///{path}")
    assert "order_id=2 (row 2): date='yesterday'" in str(exc.value)
    lenient = load_dataset(f"duckdb:///{path}", lenient=True)
    assert lenient.accounting[["read", "loaded", "set_aside"]].values.tolist() == [[2, 1, 1]]


def test_unreachable_or_empty_database(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert main(["validate", f"duckdb:///{empty}"]) == 1
    assert "no table of the contract found" in capsys.readouterr().err
    with pytest.raises(DatasetError, match="cannot read the database"):
        load_sql(f"sqlite:///{tmp_path}/no/such/folder/db.sqlite")
    with pytest.raises(DatasetError, match="cannot use this database URL"):
        load_sql("nosuchdialect://host/db")
