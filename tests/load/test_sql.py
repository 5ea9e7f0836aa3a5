"""SQL sources: the contract's tables read from a database, checked like files (DuckDB)."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.cli import main
from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset, load_sql

SAMPLE = Path(__file__).parents[2] / "b2bkit" / "load" / "sample"


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


def test_timestamptz_columns_load_at_their_wall_clock_time(tmp_path: Path) -> None:
    # DuckDB hands TIMESTAMPTZ to Python through pytz, which the pins must carry
    path = tmp_path / "tz.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute("CREATE TABLE orders (order_id VARCHAR, account_id VARCHAR, "
                       "date TIMESTAMPTZ, amount DOUBLE)")
    connection.execute("INSERT INTO orders VALUES ('O1', 'A1', '2025-01-05 10:00:00+00', 10)")
    connection.close()
    ds = load_dataset(f"duckdb:///{path}")
    assert ds["orders"]["date"].tolist() == [pd.Timestamp("2025-01-05 10:00:00")]


def test_unreachable_or_empty_database(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert main(["validate", f"duckdb:///{empty}"]) == 1
    assert "no table of the contract found" in capsys.readouterr().err
    with pytest.raises(DatasetError, match="cannot read the database"):
        load_sql(f"sqlite:///{tmp_path}/no/such/folder/db.sqlite")
    with pytest.raises(DatasetError, match="cannot use this database URL"):
        load_sql("nosuchdialect://host/db")


def _deals_database(path: Path) -> str:
    """A CRM's own table names and values: ``deals`` (Deal ID, Stage, Value) and a view of it."""
    connection = duckdb.connect(str(path))
    connection.execute("CREATE TABLE deals_raw (\"Deal ID\" VARCHAR, \"Created\" VARCHAR, "
                       "\"Stage\" VARCHAR, \"Value\" VARCHAR, \"Closed\" VARCHAR)")
    connection.execute("INSERT INTO deals_raw VALUES ('D1', '2025-01-02', 'Closed Won', '1000', "
                       "'2025-02-01'), ('D2', '2025-01-03', 'Closed Lost', '500', '2025-02-03'), "
                       "('D3', '2025-01-04', 'Negotiation', '250', NULL)")
    connection.execute("CREATE VIEW deals AS SELECT * FROM deals_raw")
    connection.close()
    return f"duckdb:///{path}"


DEALS_MAP = """currency = "EUR"
[tables.opportunities]
file = "deals.csv"
[tables.opportunities.columns]
opportunity_id = "Deal ID"
created_at = "Created"
closed_at = "Closed"
status = "Stage"
amount = "Value"
[tables.opportunities.values.status]
"Closed Won" = "won"
"Closed Lost" = "lost"
"*" = "open"
[tables.opportunities.scale]
amount = 2
[tables.opportunities.constants]
account_id = "ACME"
"""


def test_a_database_is_read_through_its_column_map(tmp_path: Path) -> None:
    # the map's file names a view (deals.csv -> deals); values, scale and settings apply
    url = _deals_database(tmp_path / "crm.duckdb")
    (tmp_path / "deals.toml").write_text(DEALS_MAP, encoding="utf-8")
    ds = load_sql(url, column_map=str(tmp_path / "deals.toml"))
    assert ds["opportunities"]["status"].tolist() == ["won", "lost", "open"]
    assert ds["opportunities"]["amount"].tolist() == [2000.0, 1000.0, 500.0]
    assert ds.settings.currency == "EUR"
    assert load_dataset(url, column_map=str(tmp_path / "deals.toml")).settings.currency == "EUR"


def test_map_on_a_database_url_is_honoured_or_refused(tmp_path: Path, capsys) -> None:
    url = _deals_database(tmp_path / "crm.duckdb")
    assert main(["validate", url, "--map", str(tmp_path / "no_such_map.toml")]) == 1
    assert "column map not found" in capsys.readouterr().err
    (tmp_path / "deals.toml").write_text(DEALS_MAP, encoding="utf-8")
    assert main(["kpis", "--data", url, "--map", str(tmp_path / "deals.toml"),
                 "--period", "2025-Q1", "--format", "json"]) == 0
    import json

    metrics = json.loads(capsys.readouterr().out)[0]["metrics"]
    assert (metrics["won_deals"], metrics["bookings"]) == (1, 2000.0)
    wrong = DEALS_MAP.replace('file = "deals.csv"', 'file = "no_such_table"')
    (tmp_path / "wrong.toml").write_text(wrong, encoding="utf-8")
    assert main(["validate", url, "--map", str(tmp_path / "wrong.toml")]) == 1
    err = capsys.readouterr().err
    assert "names 'no_such_table' for opportunities, but the database has no such table" in err
    assert "deals, deals_raw" in err


def test_views_and_a_schema_in_the_url(tmp_path: Path) -> None:
    path = tmp_path / "wh.duckdb"
    _database(path, typed=True, schema="crm")
    connection = duckdb.connect(str(path))
    connection.execute("ALTER TABLE crm.orders RENAME TO orders_raw")
    connection.execute("CREATE VIEW crm.orders AS SELECT * FROM crm.orders_raw")
    connection.close()
    ds = load_dataset(f"duckdb:///{path}?schema=crm")
    assert len(ds["orders"]) == 2 and len(ds.tables) == 14
    # DuckDB lists every schema's tables; reading them from the default one fails: a message
    with pytest.raises(DatasetError, match=r"cannot read the database: .*leads does not exist"):
        load_dataset(f"duckdb:///{path}")


def test_a_bad_port_is_a_message(capsys) -> None:
    assert main(["validate", "postgresql+psycopg://u:pw@host:notaport/db"]) == 1
    err = capsys.readouterr().err
    assert "not a valid database URL" in err and "the port a number" in err and "pw" not in err


# --- PostgreSQL: a real server, started by the test suite itself -------------------------

def _postgres_bin() -> Path:
    import glob
    import shutil

    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent  # /usr/local/bin may hold only some links
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not versions:
        pytest.fail("PostgreSQL is not installed: `make test` installs it (postgresql package)")
    return Path(versions[-1]).parent


@pytest.fixture(scope="module")
def postgres_url():
    import os
    import shutil
    import socket
    import subprocess
    import tempfile

    binaries = _postgres_bin()
    # not pytest's tmp_path: its parents are private to root, the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="b2bkit-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as postgres
        subprocess.run(["chown", "-R", "postgres", str(root)], check=True)
        os.chmod(root, 0o755)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run([*prefix, str(binaries / "initdb"), "-D", str(data), "-A", "trust",
                    "-U", "b2bkit", "--no-sync"], **run)
    subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l",
                    str(root / "log"), "-o",
                    f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], **run)
    try:
        subprocess.run([*prefix, str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                        "-U", "b2bkit", "crm"], **run)
        yield f"postgresql+psycopg://b2bkit@127.0.0.1:{port}/crm"
    finally:
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast",
                        "stop"], check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _postgres_tables(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE SCHEMA typed"))
    reference = sample_dataset()
    for csv_file in sorted(SAMPLE.glob("*.csv")):
        text = pd.read_csv(csv_file, dtype=str, keep_default_na=False)
        text.to_sql(csv_file.stem, engine, index=False)
        typed = reference[csv_file.stem].copy()
        for column in typed.columns:  # native SQL types: timestamps, numerics, text
            if isinstance(typed[column].dtype, pd.CategoricalDtype) or str(
                    typed[column].dtype).startswith(("string", "str")):
                typed[column] = typed[column].astype(object).where(typed[column].notna(), None)
        typed.to_sql(csv_file.stem, engine, schema="typed", index=False)
    engine.dispose()


def test_postgres_tables_load_like_the_files(postgres_url: str) -> None:
    _postgres_tables(postgres_url)
    reference = sample_dataset()
    for schema in (None, "typed"):
        ds = load_sql(postgres_url, schema=schema)
        assert sorted(ds.tables) == sorted(reference.tables), schema
        for name, expected in reference.tables.items():
            pd.testing.assert_frame_equal(ds[name][expected.columns], expected,
                                          check_dtype=False, obj=f"{schema}.{name}")
    assert main(["validate", postgres_url]) == 0


def test_postgres_errors_name_table_and_rows(postgres_url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE SCHEMA bad"))
        connection.execute(sa.text("CREATE TABLE bad.nps (account_id text, date date, "
                                   "score integer)"))
        connection.execute(sa.text("INSERT INTO bad.nps VALUES ('A1', '2025-01-05', 9), "
                                   "('A2', '2025-01-06', 11)"))
    engine.dispose()
    with pytest.raises(DatasetError, match=r"/crm/nps, column score: must be <= 10 \(1 row\)"):
        load_sql(postgres_url, schema="bad")


def test_a_postgres_connection_cut_mid_query_is_a_message(postgres_url: str, capsys) -> None:
    # issue 28: a pandas DatabaseError traceback; now exit 1 and one message
    import threading
    import time

    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE SCHEMA slow"))
        connection.execute(sa.text(
            "CREATE VIEW slow.orders AS SELECT 'O1'::text AS order_id, 'A1'::text AS "
            "account_id, DATE '2025-01-05' AS date, 10 AS amount FROM pg_sleep(5)"))

    def cut() -> None:  # the server ends the session that reads slow.orders
        for _ in range(40):
            time.sleep(0.25)
            with engine.begin() as connection:
                done = connection.execute(sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                    "query LIKE '%slow%orders%' AND pid <> pg_backend_pid() AND "
                    "state = 'active'")).fetchall()
            if done:
                return

    killer = threading.Thread(target=cut)
    killer.start()
    code = main(["validate", f"{postgres_url}?schema=slow"])
    killer.join()
    engine.dispose()
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.startswith(f"b2bkit validate: {postgres_url}?schema=slow: cannot read the database: "
                          "OperationalError: terminating connection"), err
