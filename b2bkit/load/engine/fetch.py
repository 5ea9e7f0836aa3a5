"""Load a dataset through the query layer: checked in the engine, only clean columns fetched.

:func:`choose_engine` decides between the in-memory reader (``pandas``) and
embedded DuckDB (``duckdb``): asked for by ``--engine`` or ``engine`` in
dataset.toml, or ``auto``, which takes DuckDB when the table files are larger
than :data:`AUTO_SHARE` of the machine's memory. :func:`engine_load` scans the
files in place, projects and checks them as queries (a strict load with a
violation raises from the queries' counts and first keys, no row fetched),
then fetches the canonical columns of the rows, typed, and hands them to the
loader's cross-table steps (links, warnings, data quality) as typed frames.

Examples
--------
>>> choose_engine("duckdb", {})
('duckdb', None)
>>> choose_engine("auto", {})[0]
'pandas'
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa

from b2bkit.core.errors import DatasetError
from b2bkit.core.schema import KINDS, TABLES
from b2bkit.load.engine.checks import dataset_checks
from b2bkit.load.engine.project import canonical, unsupported
from b2bkit.load.engine.scan import LINE, connect, odd_header, scan_file
from b2bkit.load.loading import Table, typed_table
from b2bkit.load.settings import ENGINES, Settings
from b2bkit.load.sources import RawTable

__all__ = ["AUTO_SHARE", "ENGINES", "choose_engine", "engine_load", "memory_bytes"]

#: ``auto`` takes DuckDB when the table files hold more than this share of memory.
AUTO_SHARE = 0.10


def memory_bytes() -> int:
    """The machine's physical memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def choose_engine(requested: str, files: dict[str, Path]) -> tuple[str, str | None]:
    """The engine to read ``files`` with, and a note to show when ``auto`` chose DuckDB.

    Parameters
    ----------
    requested : str
        One of :data:`ENGINES`.
    files : dict of str to Path
        The table files of the folder.
    """
    if requested != "auto":
        return requested, None
    size = sum(p.stat().st_size for p in files.values())
    limit = AUTO_SHARE * memory_bytes()
    if size <= limit:
        return "pandas", None
    return "duckdb", (f"b2bkit: the table files hold {size / 2**30:.1f} GB, more than "
                      f"{AUTO_SHARE:.0%} of this machine's memory ({limit / 2**30:.1f} GB): "
                      "read in place by embedded DuckDB (--engine pandas to read them in memory)")


def fallback_reason(files: dict[str, Path], settings: Settings) -> str | None:
    """Why a folder must be read in memory after all (None: the query layer reads it)."""
    for name, path in files.items():
        if not path.name.lower().endswith((".csv", ".csv.gz", ".parquet")):
            return f"{path.name}: only CSV and Parquet files are scanned in place"
        option = unsupported(settings.tables.get(name))
        if option is not None:
            return f"the map of {name} sets {option}, which is read in memory"
    return None


def _frame(t, table: str):
    """The canonical columns of ``t`` in file order, with the loader's dtypes."""
    spec = TABLES[table]
    columns = [c for c in spec.columns if c in t.columns]
    arrow: pa.Table = t.order_by(LINE).select(*columns).to_pyarrow()
    frame = arrow.to_pandas()
    for c in columns:
        kind = spec.field(c).kind
        frame[c] = frame[c].astype(KINDS[kind])
    return frame


def engine_load(folder: Path, files: dict[str, Path], settings: Settings, *,
                lenient: bool) -> tuple[dict[str, Table] | None, str | None]:
    """The loader's tables read through embedded DuckDB, or None and why not.

    Returns ``(tables, None)`` when the query layer read the folder, or
    ``(None, reason)`` when it must be read in memory: a map option only the
    in-memory reader has, a required column missing (that reader's error
    lists the file's columns), or, in lenient mode, rows to set aside.

    Raises
    ------
    DatasetError
        Strict mode and some row breaks a rule: file, column, rule, rows and
        the first offending keys with their lines, from the queries.
    """
    if not files:
        return None, "no table files"
    reason = fallback_reason(files, settings)
    if reason is not None:
        return None, reason
    con = connect()
    canon, shown = {}, {}
    for name, path in files.items():
        try:
            raw = scan_file(con, path, name)
        except duckdb.Error as error:  # an encoding, a broken quote: the reader explains it
            return None, f"{path.name}: {str(error).splitlines()[0]}"
        odd = odd_header(path, [c for c in raw.columns if c != LINE])
        if odd is not None:
            return None, odd
        canon[name] = canonical(raw, settings.tables.get(name), name)
        shown[name] = str(path)
        missing = [c for c in TABLES[name].required if c not in canon[name].columns]
        if missing:
            return None, f"{path.name} lacks {', '.join(missing)}"
    found = dataset_checks(canon, shown)
    if len(found):
        if not lenient:
            raise DatasetError(found)
        return None, "rows to set aside are read in memory"
    tables = {}
    for name in TABLES:
        if name in canon:
            first = 1 if files[name].name.lower().endswith(".parquet") else 2
            raw = RawTable(name, shown[name], _frame(canon[name], name), first_line=first,
                           typed=True)
            tables[name] = typed_table(raw, None)
    return tables, None
