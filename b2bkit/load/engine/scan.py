"""Open a dataset's tables in a query engine, without loading them.

A folder's CSV and Parquet files are scanned in place by embedded DuckDB
(through Ibis): nothing is read until a query asks for it, and DuckDB spills
to disk what does not fit in memory. CSV cells are read as text, so that the
projection (:mod:`b2bkit.load.engine.project`) decides what parses; each row
carries its line in the file (``_line``: header on line 1).

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     path = pathlib.Path(d) / "reps.csv"
...     _ = path.write_text("rep_id,name\\nR1,Ann\\nR2,Bo\\n")
...     con = connect()
...     t = scan_file(con, path, "reps")
...     t.order_by("_line").execute()["_line"].tolist()
[2, 3]
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import ibis

__all__ = ["LINE", "connect", "odd_header", "scan_file"]

#: The column holding each row's line in its file (or its position in a query result).
LINE = "_line"


def connect(memory_limit: str | None = None) -> ibis.BaseBackend:
    """An embedded DuckDB connection (in memory; spills to a temporary folder).

    Parameters
    ----------
    memory_limit : str, optional
        DuckDB's ``memory_limit`` (``"1GB"``); None: DuckDB's default (80 % of RAM).
    """
    con = ibis.duckdb.connect()
    if memory_limit:
        con.raw_sql(f"SET memory_limit = '{memory_limit}'")
    con.raw_sql("SET preserve_insertion_order = true")
    return con


def scan_file(con: ibis.BaseBackend, path: Path, table: str) -> ibis.Table:
    """The rows of one CSV (``.csv``, ``.csv.gz``) or Parquet file, with their ``_line``.

    CSV: every cell as text (a blank cell is NULL), the first line the header,
    so the data rows are lines 2, 3, ... (records holding quoted line breaks
    are counted as one line each). Parquet: its own types, rows numbered from 1.
    """
    name = path.name.lower()
    if name.endswith(".parquet"):
        raw = con.read_parquet(path, table_name=f"_{table}_file")
        first = 1
    else:
        raw = con.read_csv(path, table_name=f"_{table}_file", all_varchar=True, header=True,
                           auto_detect=True)
        first = 2
    return raw.mutate(**{LINE: ibis.row_number() + first})


def odd_header(path: Path, columns: list[str]) -> str | None:
    """Why a CSV's first line is not a plain header DuckDB read as such (None: it is).

    The in-memory reader handles what this layer does not: another encoding, a
    title line above the header, a header naming a column twice (DuckDB would
    rename it), a delimiter DuckDB guessed differently.
    """
    if path.name.lower().endswith(".parquet"):
        return None
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        first = handle.readline()
    if b"\r" in first.rstrip(b"\r\n"):
        return f"{path.name} ends its lines with a lone carriage return"
    try:
        line = first.decode("utf-8").lstrip("\ufeff").rstrip("\r\n")
    except UnicodeDecodeError:
        return f"{path.name} is not UTF-8"
    for delimiter in (",", ";", "\t", "|"):
        if next(csv.reader([line], delimiter=delimiter)) == columns:
            return None
    return f"the first line of {path.name} is not a plain header of unique names"
