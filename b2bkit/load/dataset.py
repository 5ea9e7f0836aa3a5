"""Loading a dataset folder into typed, validated tables.

:func:`load_dataset` reads every table present (CSV, CSV.gz, Parquet, Excel;
through a column map when the folder holds a foreign export), parses each
cell into its declared type, checks every rule of CONTRACT.md section 1 and
fills in the lead/opportunity link on both sides.

Strict mode (the default) raises one :class:`~b2bkit.core.errors.DatasetError`
listing every violation. Lenient mode sets the offending rows aside, and
with them the rows that refer to a row set aside, and keeps going; it
accounts for every row: for each table, loaded + set aside = read.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = (pathlib.Path(folder) / "orders.csv").write_text(
...         "order_id,account_id,date,amount\\nO1,A1,2025-01-05,100\\nO2,A1,2025-02-05,x\\n")
...     ds = load_dataset(folder, lenient=True)
>>> ds
<Dataset '': 1 table, 1 row, USD, as_of 2025-01-05>
>>> ds.accounting[["table", "read", "loaded", "set_aside"]].to_dict("records")
[{'table': 'orders', 'read': 2, 'loaded': 1, 'set_aside': 1}]
>>> ds.set_aside[["line", "key", "reason"]].to_dict("records")
[{'line': 3, 'key': 'O2', 'reason': 'amount: not a finite number'}]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from b2bkit.core.asof import latest_event
from b2bkit.core.errors import VIOLATION_COLUMNS, DatasetError
from b2bkit.core.schema import TABLES
from b2bkit.core.source import is_database
from b2bkit.load.cache import Entry, Slot, slot_for
from b2bkit.load.engine.fetch import choose_engine, engine_load
from b2bkit.load.layout import canonical_beside, table_files
from b2bkit.load.links import fill_lead_link, final_links, positions_of
from b2bkit.load.loading import (
    SET_ASIDE_COLUMNS,
    Table,
    accounting,
    aside_frames,
    convert_amounts,
    fixed_categories,
    kept_rows,
    read_tables,
    set_aside_rows,
    table_violations,
    typed_table,
    workers,
)
from b2bkit.load.quality import QUALITY_COLUMNS, dataset_quality
from b2bkit.load.settings import Settings, map_settings, read_settings
from b2bkit.load.sources import RawTable, read_sql, sql_table_name
from b2bkit.load.validate import cross_table

__all__ = ["Dataset", "from_frames", "load_dataset", "load_sql", "sample_dataset"]


@dataclass(repr=False)
class Dataset:
    """Every table of a dataset folder, typed and validated.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        The tables present, by name, with the dtypes of
        :data:`b2bkit.core.schema.KINDS`.
    settings : Settings
        ``dataset.toml`` (and column map) with the contract's defaults.
    path : Path
        The folder.
    accounting : pandas.DataFrame
        Per table: file, rows read, loaded and set aside (read = loaded +
        set aside), and the source lines read (more than the rows where a
        column map combined lines).
    set_aside : pandas.DataFrame
        Rows set aside in lenient mode: table, file, line, key, reason.
    problems : pandas.DataFrame
        The violations found in lenient mode (the frame a strict load
        would have raised).
    links : dict of (str, str) to numpy.ndarray
        For each foreign key ``(table, column)`` present, the row of the
        parent table each row refers to (-1: none). Computed once at load,
        where the foreign keys are checked, so that metrics join by position
        instead of hashing ids again.
    quality : pandas.DataFrame
        One row per (table, severity, rule): rows set aside, warnings and
        files not read, with rows, amount and examples
        (:mod:`b2bkit.load.quality`).
    ignored_files : list of str
        Files of the folder that were not read.
    aside : dict of str to pandas.DataFrame
        Per table with rows set aside, those rows as parsed, with their
        ``reason`` (:func:`b2bkit.load.loading.aside_frames`).
    """

    tables: dict[str, pd.DataFrame]
    settings: Settings
    path: Path
    accounting: pd.DataFrame
    set_aside: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=SET_ASIDE_COLUMNS))
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=VIOLATION_COLUMNS))
    links: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False)
    quality: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=QUALITY_COLUMNS))
    ignored_files: list[str] = field(default_factory=list)
    aside: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        """``<Dataset 'Tiny Co': 14 tables, 51 rows, EUR, as_of 2025-03-15>``."""
        n, rows = len(self.tables), sum(len(frame) for frame in self.tables.values())
        as_of = ("no as_of (no dated rows)" if self.as_of is None
                 else f"as_of {self.as_of:%Y-%m-%d}")
        return (f"<Dataset {self.settings.name!r}: {n} table{'' if n == 1 else 's'}, "
                f"{rows:,} row{'' if rows == 1 else 's'}, {self.settings.currency}, "
                f"{as_of}>")

    def __contains__(self, table: str) -> bool:
        return table in self.tables

    def __getitem__(self, table: str) -> pd.DataFrame:
        try:
            return self.tables[table]
        except KeyError:
            raise KeyError(f"the dataset has no {table} table") from None

    @property
    def as_of(self) -> pd.Timestamp | None:
        """``as_of`` of the settings, else the latest event date in the data."""
        if self.settings.as_of is not None:
            return self.settings.as_of
        return latest_event(self.tables)

    def summary(self) -> pd.DataFrame:
        """One row per table: file, rows, columns, and the span of its first date."""
        rows = []
        for row in self.accounting.itertuples(index=False):
            frame, spec = self.tables[row.table], TABLES[row.table]
            dates = [c for c in spec.columns
                     if c in frame.columns and spec.field(c).kind == "datetime"]
            first = frame[dates[0]] if dates else pd.Series(dtype="datetime64[ns]")
            rows.append({"table": row.table, "file": Path(row.file).name, "rows": len(frame),
                         "set_aside": row.set_aside, "columns": frame.shape[1],
                         "from": _day(first.min()), "to": _day(first.max())})
        return pd.DataFrame(rows)


def _day(value: pd.Timestamp) -> str:
    return "" if pd.isna(value) else value.strftime("%Y-%m-%d")


def load_dataset(path: str | Path, *, lenient: bool | None = None,
                 column_map: str | None = None, cache: bool = True,
                 engine: str | None = None) -> Dataset:
    """Read, type and validate every table of a dataset folder.

    Parameters
    ----------
    path : str or Path
        The dataset folder: ``<table>.csv`` (``.csv.gz``, ``.parquet``,
        ``.xlsx``) files and an optional ``dataset.toml``.
    lenient : bool, optional
        Set offending rows aside instead of raising, and account for them
        in :attr:`Dataset.set_aside` and :attr:`Dataset.accounting`. None:
        ``lenient`` of ``dataset.toml`` (default false).
    column_map : str, optional
        A column map file or preset name, overriding ``column_map`` of
        ``dataset.toml``; paths are relative to ``path``.
    cache : bool
        Use the cache of validated datasets (:mod:`b2bkit.load.cache`): a folder
        whose files, settings and options are unchanged since a slow load
        is mapped back instead of read again. False: always read.
    engine : str, optional
        How a folder is read: ``pandas`` (in memory), ``duckdb`` (scanned in
        place and checked by embedded DuckDB, :mod:`b2bkit.load.engine`) or
        ``auto`` (DuckDB when the files are larger than
        :data:`b2bkit.load.engine.fetch.AUTO_SHARE` of memory, said on
        stderr). None: ``engine`` of ``dataset.toml`` (default ``auto``).
        Either gives the same dataset.

    Returns
    -------
    Dataset

    Raises
    ------
    DatasetError
        A file cannot be read, a required column is missing, or (strict
        mode) any row breaks a rule. The error lists every problem: file,
        column, rule, how many rows and the first offending keys and lines.
    """
    if is_database(path):
        return load_sql(str(path), lenient=lenient, column_map=column_map)
    slot, load = folder_load(path, lenient=lenient, column_map=column_map, cache=cache,
                             engine=engine)
    entry = slot.get() if slot is not None else None
    if entry is not None:
        return entry.dataset
    start = time.perf_counter()
    dataset = load()
    if slot is not None:
        slot.put(Entry(dataset), seconds=time.perf_counter() - start)
    return dataset


def folder_load(path: str | Path, *, lenient: bool | None, column_map: str | None,
                cache: bool = True, engine: str | None = None
                ) -> tuple[Slot | None, Callable[[], Dataset]]:
    """The cache slot of a folder's load (None: not cached) and the load itself.

    Only the settings and the folder's listing are read here; the tables
    are read when the load is called, by a caller that found nothing in
    the slot (:meth:`b2bkit.load.cache.Slot.get`).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DatasetError.single(table="", file=str(folder), column="",
                                  rule="no such dataset folder")
    settings = read_settings(folder, column_map)
    files, ignored = table_files(folder, settings)
    beside = canonical_beside(folder, settings)
    if beside:  # a canonical file read instead of a preset's: canonical columns, no map
        settings = replace(settings, tables={t: m for t, m in settings.tables.items()
                                             if t not in beside})
    slot = slot_for(folder, settings, files, ignored, lenient, enabled=cache)

    def load() -> Dataset:
        skipped: list[tuple[str, str]] = []
        tables = _engine_tables(folder, files, settings, engine, lenient)
        if tables is None:
            tables = read_tables(files, settings, folder, skipped)
        return _finish(tables, settings, folder, lenient=lenient, ignored=ignored,
                       skipped=skipped)

    return slot, load


def _engine_tables(folder: Path, files: dict[str, Path], settings: Settings,
                   engine: str | None, lenient: bool | None) -> dict[str, Table] | None:
    """The tables read by embedded DuckDB when the engine chosen is ``duckdb``, else None."""
    choice, note = choose_engine(engine or settings.engine, files)
    if note:
        print(note, file=sys.stderr)
    if choice != "duckdb":
        return None
    tables, reason = engine_load(folder, files, settings,
                                 lenient=settings.lenient if lenient is None else lenient)
    if tables is None:
        print(f"b2bkit: {folder} read in memory, not by DuckDB: {reason}", file=sys.stderr)
    return tables


def load_sql(url: str, *, schema: str | None = None, queries: dict[str, str] | None = None,
             lenient: bool | None = None, settings: Settings | None = None,
             column_map: str | None = None) -> Dataset:
    """Read the contract's tables from a SQL database, validated as files are.

    Parameters
    ----------
    url, schema, queries
        As for :func:`b2bkit.load.sources.read_sql` (a SQLAlchemy URL, the schema
        holding the tables, per table a query to run instead).
    lenient, settings
        As for :func:`load_dataset` (the contract's defaults when omitted).
    column_map : str, optional
        A map file or preset, applied to the database's tables as to a
        folder's files (CONTRACT section 4): a table's ``file`` names the
        database table or view it reads (a file suffix such as ``.csv`` is
        left off: ``Opportunity.csv`` reads ``Opportunity``), its columns,
        values, constants and scaling apply, and the map's dataset settings
        (currency, as_of, ...) are the dataset's, since a database has no
        dataset.toml. Overrides ``settings``.

    Messages name the table as ``<url>/<table>`` (password hidden) and rows by
    their position in the query result.
    """
    if column_map is not None:
        settings = map_settings(column_map)
    settings = settings or Settings()
    sources = {name: sql_table_name(m.file) for name, m in settings.tables.items() if m.file}
    optional = {name for name, m in settings.tables.items() if m.optional}
    frames, shown = read_sql(url, schema=schema, queries=queries, sources=sources,
                             optional=optional)
    return from_frames(frames, settings=settings, lenient=lenient, source=shown)


def from_frames(frames: dict[str, pd.DataFrame], *, settings: Settings | None = None,
                lenient: bool | None = None, source: str = "<memory>") -> Dataset:
    """A dataset from in-memory frames, checked exactly as files are.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Canonical tables by name; cells may be text or already typed.
    settings : Settings, optional
        Defaults of the contract when omitted.
    lenient : bool
        As for :func:`load_dataset`; rows are numbered from 1.
    source : str
        Shown as the "file" in messages (``<memory>/leads``).

    Examples
    --------
    >>> ds = from_frames({"orders": pd.DataFrame({
    ...     "order_id": ["O1"], "account_id": ["A1"], "date": ["2025-01-05"], "amount": [10]})})
    >>> ds["orders"]["date"].tolist(), str(ds.as_of.date())
    ([Timestamp('2025-01-05 00:00:00')], '2025-01-05')
    """
    unknown = sorted(set(frames) - set(TABLES))
    if unknown:
        raise DatasetError.single(table=unknown[0], file=source, column="",
                                  rule=f"unknown table; the tables are {', '.join(TABLES)}")
    tables = {}
    for name in TABLES:
        if name in frames:
            raw = RawTable(name, f"{source}/{name}", frames[name].reset_index(drop=True),
                           first_line=1, line_word="row", typed=True)
            tables[name] = typed_table(raw, (settings or Settings()).tables.get(name))
    if not tables:
        raise DatasetError.single(table="", file=source, column="", rule="no tables given")
    return _finish(tables, settings or Settings(), Path(source), lenient=lenient)


def _finish(tables: dict[str, Table], settings: Settings, folder: Path, *,
            lenient: bool | None, ignored: list[str] | None = None,
            skipped: list[tuple[str, str]] | None = None) -> Dataset:
    """Currencies, cross-table checks, strict failure or lenient accounting, and the link."""
    lenient = settings.lenient if lenient is None else lenient
    convert_amounts(tables, settings.currency)
    positions = positions_of({name: t.typed for name, t in tables.items()}, workers=workers())
    cross_table(tables, positions, lenient=lenient)
    problems = table_violations(tables)
    if not lenient and len(problems):
        raise DatasetError(problems)
    frames = {name: fixed_categories(kept_rows(t, renumber=True), t.spec)
              for name, t in tables.items()}
    links = final_links({name: t.keep.to_numpy() for name, t in tables.items()}, positions)
    fill_lead_link(frames, links)
    return Dataset(
        tables=frames,
        settings=settings,
        path=folder,
        accounting=accounting(tables),
        set_aside=set_aside_rows(tables),
        problems=problems,
        links=links,
        quality=dataset_quality(tables, ignored or [], workers=workers(), positions=positions,
                                skipped=skipped),
        ignored_files=list(ignored or []),
        aside=aside_frames(tables),
    )


def sample_dataset() -> Dataset:
    """The small hand-made dataset shipped with b2bkit, for examples and teaching.

    Tiny Co (EUR) in 2025-Q1: four leads, three opportunities (one won, one
    lost, one open), two accounts, two reps, every table of the contract;
    every number it gives can be checked on paper.

    >>> ds = sample_dataset()
    >>> ds.settings.name, len(ds.tables), str(ds.as_of.date())
    ('Tiny Co', 14, '2025-03-15')
    """
    loaded = _sample()
    # copies: a caller that changes its frames does not change the next caller's
    return replace(loaded, tables={name: frame.copy() for name, frame in loaded.tables.items()})


@cache
def _sample() -> Dataset:
    return load_dataset(Path(str(resources.files("b2bkit.load") / "sample")))
