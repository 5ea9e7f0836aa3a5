"""Loading a dataset folder into typed, validated tables.

:func:`load_dataset` reads every table present (CSV, CSV.gz, Parquet, Excel;
through a column map when the folder holds a foreign export), parses each
cell into its declared type, checks every rule of CONTRACT.md section 1 and
fills in the lead/opportunity link on both sides.

Strict mode (the default) raises one :class:`~b2bkit.errors.DatasetError`
listing every violation. Lenient mode sets the offending rows aside, and
with them the rows that refer to a row set aside, and keeps going; it
accounts for every row: for each table, loaded + set aside = read.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "orders.csv").write_text(
...     "order_id,account_id,date,amount\\nO1,A1,2025-01-05,100\\nO2,A1,2025-02-05,x\\n")
>>> ds = load_dataset(folder, lenient=True)
>>> ds.accounting[["table", "read", "loaded", "set_aside"]].to_dict("records")
[{'table': 'orders', 'read': 2, 'loaded': 1, 'set_aside': 1}]
>>> ds.set_aside[["line", "key", "reason"]].to_dict("records")
[{'line': 3, 'key': 'O2', 'reason': 'amount: not a finite number'}]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from b2bkit.aggregate import any_line, combine_lines
from b2bkit.asof import latest_event
from b2bkit.column_map import CAUGHT_COLUMNS, map_table
from b2bkit.currency import convert
from b2bkit.errors import VIOLATION_COLUMNS, DatasetError
from b2bkit.layout import table_files
from b2bkit.links import cross_table, final_links, links_of, renumber_link
from b2bkit.parsing import parse_column, rule_for
from b2bkit.quality import QUALITY_COLUMNS, issue_rows
from b2bkit.schema import EVENT_DATE_COLUMNS, KINDS, TABLES, TableSpec
from b2bkit.settings import Settings, TableMap, read_settings
from b2bkit.sources import SUFFIXES, RawTable, read_raw
from b2bkit.validate import (
    Issue,
    column_issues,
    date_order_issues,
    examples,
    overlap_issues,
    required_when_issues,
    violations,
)
from b2bkit.warn import lead_after_won, table_warnings

__all__ = ["EVENT_DATE_COLUMNS", "Dataset", "from_frames", "load_dataset", "load_sql",
           "renumber_link", "sample_dataset"]

_links = links_of  # the name metrics._view imports
SET_ASIDE_COLUMNS = ["table", "file", "line", "key", "reason"]
ACCOUNTING_COLUMNS = ["table", "file", "read", "loaded", "set_aside", "lines"]


@dataclass
class Dataset:
    """Every table of a dataset folder, typed and validated.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        The tables present, by name, with the dtypes of
        :data:`b2bkit.schema.KINDS`.
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
        (:mod:`b2bkit.quality`).
    ignored_files : list of str
        Files of the folder that were not read.
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
            frame = self.tables[row.table]
            dates = [c for c in TABLES[row.table].columns
                     if c in frame.columns and TABLES[row.table].field(c).kind == "datetime"]
            first = frame[dates[0]] if dates else pd.Series(dtype="datetime64[ns]")
            rows.append({
                "table": row.table,
                "file": Path(row.file).name,
                "rows": len(frame),
                "set_aside": row.set_aside,
                "columns": frame.shape[1],
                "from": _day(first.min()),
                "to": _day(first.max()),
            })
        return pd.DataFrame(rows)


def _day(value: pd.Timestamp) -> str:
    return "" if pd.isna(value) else value.strftime("%Y-%m-%d")


@dataclass
class _Table:
    """One table on its way through the loader."""

    spec: TableSpec
    raw: RawTable
    text: pd.DataFrame  # canonical columns as read (for messages)
    typed: pd.DataFrame
    issues: list[Issue]
    keep: pd.Series  # rows still in
    lines: int = 0  # source lines (more than rows when a map combines lines)
    caught: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CAUGHT_COLUMNS))

    def add(self, issues: list[Issue]) -> None:
        self.issues.extend(issues)


def _read_table(path: Path, table: str, settings: Settings) -> _Table:
    table_map = settings.tables.get(table)
    options = {}
    if table_map is not None:
        options = {"encoding": table_map.encoding, "delimiter": table_map.delimiter,
                   "sheet": table_map.sheet}
    try:
        raw = read_raw(path, table, **options)
    except pd.errors.EmptyDataError:  # e.g. a file holding only a byte-order mark
        raise DatasetError.single(table=table, file=str(path), column="",
                                  rule="the file is empty: it needs at least a header line"
                                  ) from None
    return _typed_table(raw, table_map)


def _numbers(typed: dict[str, pd.Series], table_map: TableMap | None,
             table: str) -> list[Issue]:
    """``scale`` and ``invert`` of the map, on the parsed numbers (0 cannot be inverted)."""
    issues = []
    if table_map is None:
        return issues
    for column, factor in table_map.scale.items():
        if column in typed:
            typed[column] = typed[column] * factor
    for column in table_map.invert:
        if column in typed:
            zero = (typed[column] == 0).fillna(False).astype(bool)
            if zero.any():
                issues.append(Issue(table, column, "0 cannot be inverted (invert in the map)",
                                    zero))
            typed[column] = (1 / typed[column].mask(zero)).astype(typed[column].dtype)
    return issues


def _open_close_date(frame: pd.DataFrame) -> pd.DataFrame:
    """An open deal's close date is its expected close, never its closed_at."""
    if "closed_at" not in frame or "status" not in frame:
        return frame
    moved = (frame["status"].astype("string") == "open").fillna(False).astype(bool)
    moved &= frame["closed_at"].notna()
    if moved.any():
        expected = (frame["expected_close"] if "expected_close" in frame else
                    pd.Series(pd.NaT, index=frame.index, dtype=frame["closed_at"].dtype))
        frame["expected_close"] = expected.mask(moved & expected.isna(), frame["closed_at"])
        frame["closed_at"] = frame["closed_at"].mask(moved)
    return frame


def _typed_table(raw: RawTable, table_map: TableMap | None) -> _Table:
    """Map, parse, combine and check the rows of one table."""
    table = raw.table
    spec = TABLES[table]
    text, caught = map_table(raw.frame, table_map, table=table, file=raw.file)
    missing = [c for c in spec.required if c not in text.columns]
    if missing:
        found = ", ".join(map(str, raw.frame.columns)) or "none"
        frame = pd.DataFrame(
            [[table, raw.file, c, f"required column is missing (the file has: {found})", 0, []]
             for c in missing],
            columns=VIOLATION_COLUMNS,
        )
        raise DatasetError(frame)
    decimal = table_map.decimal if table_map is not None else "."
    date_format = table_map.date_format if table_map is not None else None
    typed, issues, unparsed = {}, [], {}
    for column in text.columns:
        kind = spec.field(column).kind
        values, bad = parse_column(text[column], kind, decimal=decimal, date_format=date_format)
        typed[column] = values.astype(KINDS[kind]) if kind not in ("id", "text") else values
        if bad.any():
            issues.append(Issue(table, column, rule_for(kind, date_format), bad))
            unparsed[column] = bad
    issues += _numbers(typed, table_map, table)
    frame = pd.DataFrame(typed, index=text.index)
    if table_map is not None and table_map.aggregate_by:
        combined = combine_lines(frame, table_map.aggregate_by, table_map.aggregate)
        frame, text = combined.rows, text.loc[combined.rows.index]
        for issue in issues:
            issue.mask = any_line(issue.mask, combined)
        unparsed = {c: any_line(m, combined) for c, m in unparsed.items()}
    if table == "opportunities":
        frame = _open_close_date(frame)
    issues += column_issues(frame, spec, unparsed)
    issues += required_when_issues(frame, spec)
    issues += date_order_issues(frame, spec)
    issues += overlap_issues(frame, spec)
    return _Table(spec, raw, text, frame, issues, pd.Series(True, index=frame.index),
                  lines=len(raw.frame), caught=caught)


def _merge(issues: list[Issue]) -> list[Issue]:
    """One issue per (table, column, rule), masks OR-ed (lenient rounds repeat rules)."""
    merged: dict[tuple[str, str, str], Issue] = {}
    for issue in issues:
        key = (issue.table, issue.column, issue.rule)
        if key in merged:
            old = merged[key]
            old.mask = old.mask | issue.mask
            if issue.detail is not None:
                old.detail = issue.detail if old.detail is None else old.detail.fillna(
                    issue.detail)
        else:
            merged[key] = Issue(issue.table, issue.column, issue.rule, issue.mask, issue.detail)
    return list(merged.values())


def _violations(tables: dict[str, _Table]) -> pd.DataFrame:
    frames = []
    for table in tables.values():
        issues = _merge(table.issues)
        if not issues:
            continue
        lists = [examples(i, table.typed, table.spec, first_line=table.raw.first_line,
                          line_word=table.raw.line_word, raw=table.text) for i in issues]
        frames.append(violations(issues, table.raw.file, lists))
    if not frames:
        return pd.DataFrame(columns=VIOLATION_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _fixed_categories(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Enumerations (status, deal_type) get all their allowed values as categories."""
    for field_ in spec.fields:
        if field_.allowed is not None and field_.name in frame:
            frame[field_.name] = frame[field_.name].astype(
                pd.CategoricalDtype(list(field_.allowed)))
    return frame


def _fill_link(tables: dict[str, pd.DataFrame]) -> None:
    """Fill leads.opportunity_id and opportunities.lead_id from each other."""
    if "leads" not in tables or "opportunities" not in tables:
        return
    leads, opps = tables["leads"], tables["opportunities"]
    if "lead_id" in opps:
        first_opp = (opps.dropna(subset=["lead_id"]).sort_values(["created_at", "opportunity_id"])
                     .drop_duplicates("lead_id").set_index("lead_id")["opportunity_id"])
        from_opps = leads["lead_id"].map(first_opp).astype(leads["lead_id"].dtype)
        leads["opportunity_id"] = (leads["opportunity_id"].fillna(from_opps)
                                   if "opportunity_id" in leads else from_opps)
    if "opportunity_id" in leads:
        first_lead = (leads.dropna(subset=["opportunity_id"])
                      .sort_values(["created_at", "lead_id"])
                      .drop_duplicates("opportunity_id").set_index("opportunity_id")["lead_id"])
        from_leads = opps["opportunity_id"].map(first_lead).astype(opps["opportunity_id"].dtype)
        opps["lead_id"] = (opps["lead_id"].fillna(from_leads) if "lead_id" in opps
                           else from_leads)


def _set_aside(table: _Table) -> pd.DataFrame:
    parts = []
    for issue in _merge(table.issues):
        rows = issue.mask[issue.mask].index
        parts.append(pd.Series(f"{issue.column}: {issue.rule}", index=rows))
    if not parts:
        return pd.DataFrame(columns=SET_ASIDE_COLUMNS)
    reasons = pd.concat(parts).groupby(level=0).agg("; ".join)
    key_columns = [k for k in table.spec.key if k in table.typed.columns]
    if key_columns:
        key = table.typed.loc[reasons.index, key_columns].astype("string").fillna("").agg(
            "|".join, axis=1)
    else:
        key = pd.Series("", index=reasons.index)
    return pd.DataFrame({
        "table": table.spec.name,
        "file": table.raw.file,
        "line": reasons.index + table.raw.first_line,
        "key": key.to_numpy(),
        "reason": reasons.to_numpy(),
    })


def load_dataset(path: str | Path, *, lenient: bool | None = None,
                 column_map: str | None = None) -> Dataset:
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
    if isinstance(path, str) and "://" in path:  # a database, not a folder
        return load_sql(path, lenient=lenient)
    folder = Path(path)
    if not folder.is_dir():
        raise DatasetError.single(table="", file=str(folder), column="",
                                  rule="no such dataset folder")
    settings = read_settings(folder, column_map)
    files, ignored = table_files(folder, settings)
    tables: dict[str, _Table] = {}
    unreadable = []
    for name, file in files.items():
        try:
            tables[name] = _read_table(file, name, settings)
        except DatasetError as exc:
            unreadable.append(exc.violations)
    if unreadable:
        raise DatasetError(pd.concat(unreadable, ignore_index=True))
    if not tables:
        names = ", ".join(f"{t}{SUFFIXES[0]}" for t in TABLES)
        raise DatasetError.single(table="", file=str(folder), column="",
                                  rule=f"no table files found; expected some of {names} "
                                       f"(or {', '.join(SUFFIXES[1:])}), or a column map")
    return _finish(tables, settings, folder, lenient=lenient, ignored=ignored)


def load_sql(url: str, *, schema: str | None = None, queries: dict[str, str] | None = None,
             lenient: bool | None = None, settings: Settings | None = None) -> Dataset:
    """Read the contract's tables from a SQL database, validated as files are.

    Parameters
    ----------
    url : str
        A SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db`` or
        ``duckdb:///path/to/file.duckdb``.
    schema : str, optional
        The schema holding tables named as in the contract (``leads``, ...).
    queries : dict of str to str, optional
        Per table, a query to run instead (``{"orders": "SELECT ... FROM erp.invoices"}``);
        its columns must carry the contract's names.
    lenient, settings
        As for :func:`load_dataset` (the contract's defaults when omitted).

    Messages name the table as ``<url>/<table>`` (password hidden) and rows by
    their position in the query result.
    """
    import warnings

    import sqlalchemy as sa

    warnings.filterwarnings("ignore", message=".*reflection on indices.*")  # duckdb-engine
    try:
        engine = sa.create_engine(url)
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise DatasetError.single(table="", file=url.split("@")[-1], column="",
                                  rule=f"cannot use this database URL: {exc} (is its driver "
                                       "installed?)") from None
    shown = engine.url.render_as_string(hide_password=True)
    frames: dict[str, pd.DataFrame] = {}
    try:
        with engine.connect() as connection:
            present = set(sa.inspect(connection).get_table_names(schema=schema))
            for name in TABLES:
                if queries and name in queries:
                    statement = sa.text(queries[name])
                elif name in present:
                    reflected = sa.Table(name, sa.MetaData(), schema=schema,
                                         autoload_with=connection)
                    statement = sa.select(reflected)
                else:
                    continue
                frames[name] = pd.read_sql(statement, connection)
    except sa.exc.SQLAlchemyError as exc:
        raise DatasetError.single(table="", file=shown, column="",
                                  rule=f"cannot read the database: {exc.__class__.__name__}: "
                                       f"{str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
    if not frames:
        raise DatasetError.single(table="", file=shown, column="",
                                  rule=f"no table of the contract found (schema {schema!r}); "
                                       f"expected some of {', '.join(TABLES)}")
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
            tables[name] = _typed_table(raw, None)
    if not tables:
        raise DatasetError.single(table="", file=source, column="", rule="no tables given")
    return _finish(tables, settings or Settings(), Path(source), lenient=lenient)


def _convert(tables: dict[str, _Table], currency: str) -> None:
    """Amounts in another currency converted with the valid fx_rates rows."""
    fx = tables.get("fx_rates")
    rates = None
    if fx is not None:
        bad = pd.Series(False, index=fx.typed.index)
        for issue in fx.issues:
            bad |= issue.mask
        rates = fx.typed[~bad.to_numpy()]
    for name, table in tables.items():
        table.typed, issues = convert(table.typed, name, rates, currency)
        table.add(issues)


def _quality(tables: dict[str, _Table], ignored: list[str]) -> pd.DataFrame:
    """Rows set aside and warnings per rule, catch-all values, and the files not read."""
    parts = []
    kept_rows = {name: t.typed[t.keep.to_numpy()] for name, t in tables.items()}
    for name, t in tables.items():
        kept = kept_rows[name]
        warned = table_warnings(kept, t.spec)
        if name == "leads" and "opportunities" in kept_rows:
            warned += lead_after_won(kept, kept_rows["opportunities"])
        for severity, issues, frame in (
                ("set aside", _merge(t.issues) if not t.keep.all() else [], t.typed),
                ("warning", warned, kept)):
            shown = [examples(i, frame, t.spec, first_line=t.raw.first_line,
                              line_word=t.raw.line_word, raw=t.text) for i in issues]
            parts.append(issue_rows(issues, frame, file=t.raw.file, severity=severity,
                                    examples=shown))
        parts += [pd.DataFrame([[name, t.raw.file, "warning", c.column,
                                 f"{c.value!r} taken by \"*\" as {c.canonical!r}", c.rows,
                                 np.nan, []] for c in t.caught.itertuples()],
                               columns=QUALITY_COLUMNS)]
    parts.append(pd.DataFrame([["", f, "ignored", "", "not a table file of the dataset or "
                                "of its column map", 0, np.nan, []] for f in ignored],
                              columns=QUALITY_COLUMNS))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def _finish(tables: dict[str, _Table], settings: Settings, folder: Path, *,
            lenient: bool | None, ignored: list[str] | None = None) -> Dataset:
    """Currencies, cross-table checks, strict failure or lenient accounting, and the link."""
    lenient = settings.lenient if lenient is None else lenient
    _convert(tables, settings.currency)
    positions = cross_table(tables, lenient=lenient)
    problems = _violations(tables)
    if not lenient and len(problems):
        raise DatasetError(problems)
    frames = {name: _fixed_categories(t.typed[t.keep].reset_index(drop=True), t.spec)
              for name, t in tables.items()}
    _fill_link(frames)
    links = final_links(tables, frames, positions)
    accounting = pd.DataFrame(
        [[name, t.raw.file, len(t.typed), int(t.keep.sum()), int((~t.keep).sum()),
          t.lines or len(t.typed)] for name, t in tables.items()],
        columns=ACCOUNTING_COLUMNS,
    )
    set_aside = [_set_aside(t) for t in tables.values() if not t.keep.all()]
    return Dataset(
        tables=frames,
        settings=settings,
        path=folder,
        accounting=accounting,
        set_aside=(pd.concat(set_aside, ignore_index=True) if set_aside
                   else pd.DataFrame(columns=SET_ASIDE_COLUMNS)),
        problems=problems,
        links=links,
        quality=_quality(tables, ignored or []),
        ignored_files=list(ignored or []),
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
    return load_dataset(Path(str(resources.files("b2bkit") / "sample")))
