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

from b2bkit.column_map import apply_map
from b2bkit.errors import VIOLATION_COLUMNS, DatasetError
from b2bkit.parsing import parse_column, rule_for
from b2bkit.periods import as_of_default
from b2bkit.schema import KINDS, TABLES, TableSpec
from b2bkit.settings import Settings, TableMap, read_settings
from b2bkit.sources import SUFFIXES, RawTable, find_table_file, read_raw
from b2bkit.validate import (
    Issue,
    column_issues,
    date_order_issues,
    examples,
    required_when_issues,
    violations,
)

__all__ = ["EVENT_DATE_COLUMNS", "Dataset", "from_frames", "load_dataset", "load_sql",
           "sample_dataset"]

#: The dates that make the default as_of (CONTRACT section 2): events, not plans.
EVENT_DATE_COLUMNS = {
    "leads": ("created_at", "mql_at", "sql_at"),
    "opportunities": ("created_at", "closed_at"),
    "stage_history": ("entered_at",),
    "orders": ("date",),
    "spend": ("date",),
    "sales_costs": ("date",),
    "activities": ("date",),
    "nps": ("date",),
    "engagement": ("date",),
}

SET_ASIDE_COLUMNS = ["table", "file", "line", "key", "reason"]
ACCOUNTING_COLUMNS = ["table", "file", "read", "loaded", "set_aside"]


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
        Per table: file, rows read, loaded and set aside.
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
        return as_of_default(
            self.tables[t][c]
            for t, columns in EVENT_DATE_COLUMNS.items() if t in self.tables
            for c in columns if c in self.tables[t].columns
        )

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

    def add(self, issues: list[Issue]) -> None:
        self.issues.extend(issues)


def _table_file(folder: Path, table: str, settings: Settings) -> Path | None:
    table_map = settings.tables.get(table)
    if table_map is not None and table_map.file:
        path = folder / table_map.file
        if not path.is_file() and table_map.optional:
            return None
        if not path.is_file():
            raise DatasetError.single(table=table, file=str(path), column="",
                                      rule=f"the column map names {table_map.file!r} for "
                                           f"{table}, but there is no such file")
        return path
    return find_table_file(folder, table)


def _read_table(folder: Path, table: str, settings: Settings) -> _Table | None:
    path = _table_file(folder, table, settings)
    if path is None:
        return None
    table_map = settings.tables.get(table)
    options = {}
    if table_map is not None:
        options = {"encoding": table_map.encoding, "delimiter": table_map.delimiter,
                   "sheet": table_map.sheet}
    raw = read_raw(path, table, **options)
    loaded = _typed_table(raw, table_map)
    loaded.add(_currency_issues(raw, table, settings.currency))
    return loaded


def _currency_issues(raw: RawTable, table: str, currency: str) -> list[Issue]:
    """A ``currency`` column naming another currency than the dataset's (one per dataset)."""
    column = next((c for c in raw.frame.columns if str(c).strip().lower() == "currency"), None)
    if column is None:
        return []
    codes = raw.frame[column].astype("string").str.strip().str.upper()
    other = (codes.notna() & (codes != currency.upper())).fillna(False).astype(bool)
    if not other.any():
        return []
    found = ", ".join(sorted(codes[other].unique().tolist()))
    detail = "currency=" + codes.where(other)
    return [Issue(table, str(column), f"one currency per dataset: {currency} in dataset.toml, "
                  f"{found} in the file (convert the amounts first)", other, detail)]


def _typed_table(raw: RawTable, table_map: TableMap | None) -> _Table:
    """Map, parse and check the rows of one table."""
    table = raw.table
    spec = TABLES[table]
    text = apply_map(raw.frame, table_map, table=table, file=raw.file)
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
            issues.append(Issue(table, column, rule_for(kind), bad))
            unparsed[column] = bad
    frame = pd.DataFrame(typed, index=text.index)
    issues += column_issues(frame, spec, unparsed)
    issues += required_when_issues(frame, spec)
    issues += date_order_issues(frame, spec)
    return _Table(spec, raw, text, frame, issues, pd.Series(True, index=frame.index))


def _link_issues(tables: dict[str, _Table], *, kept_only: bool) -> list[Issue]:
    """A lead and an opportunity that name each other differently."""
    if "leads" not in tables or "opportunities" not in tables:
        return []
    leads, opps = tables["leads"], tables["opportunities"]
    if "opportunity_id" not in leads.typed or "lead_id" not in opps.typed:
        return []
    o = opps.typed[opps.keep] if kept_only else opps.typed
    lead_of = o.dropna(subset=["lead_id"]).drop_duplicates("opportunity_id").set_index(
        "opportunity_id")["lead_id"]
    named = leads.typed["opportunity_id"].map(lead_of)
    mask = (named.notna() & (named != leads.typed["lead_id"])).fillna(False).astype(bool)
    if not mask.any():
        return []
    detail = ("opportunity_id=" + leads.typed["opportunity_id"] + ", whose lead_id is " + named)
    return [Issue("leads", "opportunity_id", "disagrees with opportunities.lead_id", mask,
                  detail)]


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


def _parent_positions(keys: pd.Series, refs: pd.Series) -> np.ndarray:
    """The row of ``keys`` (its first filled occurrence) that each ``ref`` names; -1 if none."""
    valid = (keys.notna() & ~keys.duplicated()).to_numpy()
    rows = np.flatnonzero(valid)
    if not len(rows):
        return np.full(len(refs), -1, dtype=np.int64)
    found = pd.Index(keys[valid].array).get_indexer(refs.array)
    found = np.where(found >= 0, rows[np.maximum(found, 0)], -1)
    return np.where(refs.notna().to_numpy(), found, -1).astype(np.int64)


def _positions(tables: dict[str, _Table]) -> dict[tuple[str, str], tuple[str, np.ndarray]]:
    """Every foreign key whose parent table is present: the parent and the row positions.

    Computed once; the key checks, the lenient cascade and the final links all use them.
    """
    positions = {}
    for name, table in tables.items():
        for fk in table.spec.foreign_keys:
            parent = tables.get(fk.table)
            if parent is None or fk.column not in table.typed or fk.target not in parent.typed:
                continue
            positions[(name, fk.column)] = (fk.table, _parent_positions(
                parent.typed[fk.target], table.typed[fk.column]))
    return positions


def _cross_table(tables: dict[str, _Table], *, lenient: bool
                 ) -> dict[tuple[str, str], tuple[str, np.ndarray]]:
    """Foreign keys and the lead/opportunity link; in lenient mode until nothing changes."""
    positions = _positions(tables)

    def fk_target(child: str, column: str) -> str:
        return next(fk.target for fk in tables[child].spec.foreign_keys if fk.column == column)

    if not lenient:
        for (child, column), (parent, pos) in positions.items():
            table = tables[child]
            mask = pd.Series(table.typed[column].notna().to_numpy() & (pos < 0),
                             index=table.typed.index)
            if mask.any():
                table.add([Issue(child, column,
                                 f"unknown {fk_target(child, column)}: not in {parent}", mask)])
        if "leads" in tables:
            tables["leads"].add(_link_issues(tables, kept_only=False))
        return positions
    for table in tables.values():
        for issue in table.issues:
            table.keep &= ~issue.mask
    unknown_done: set[tuple[str, str]] = set()
    while True:
        changed = False
        for (child, column), (parent, pos) in positions.items():
            table = tables[child]
            keep = table.keep.to_numpy()
            found = []
            if (child, column) not in unknown_done:
                unknown = keep & table.typed[column].notna().to_numpy() & (pos < 0)
                unknown_done.add((child, column))
                if unknown.any():
                    found.append(Issue(child, column,
                                       f"unknown {fk_target(child, column)}: not in {parent}",
                                       pd.Series(unknown, index=table.typed.index)))
            parent_keep = tables[parent].keep.to_numpy()
            cascade = keep & (pos >= 0) & ~parent_keep[np.maximum(pos, 0)]
            if cascade.any():
                found.append(Issue(child, column,
                                   f"refers to a row of {parent} that was set aside",
                                   pd.Series(cascade, index=table.typed.index)))
            for issue in found:
                table.keep &= ~issue.mask
            table.add(found)
            changed |= bool(found)
        if "leads" in tables:
            leads = tables["leads"]
            found = [i for i in _link_issues(tables, kept_only=True)
                     if (i.mask & leads.keep).any()]
            for issue in found:
                leads.keep &= ~issue.mask
            leads.add(found)
            changed |= bool(found)
        if not changed:
            return positions


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


def load_dataset(path: str | Path, *, lenient: bool = False,
                 column_map: str | None = None) -> Dataset:
    """Read, type and validate every table of a dataset folder.

    Parameters
    ----------
    path : str or Path
        The dataset folder: ``<table>.csv`` (``.csv.gz``, ``.parquet``,
        ``.xlsx``) files and an optional ``dataset.toml``.
    lenient : bool
        Set offending rows aside instead of raising, and account for them
        in :attr:`Dataset.set_aside` and :attr:`Dataset.accounting`.
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
    tables: dict[str, _Table] = {}
    unreadable = []
    for name in TABLES:
        try:
            table = _read_table(folder, name, settings)
        except DatasetError as exc:
            unreadable.append(exc.violations)
            continue
        if table is not None:
            tables[name] = table
    if unreadable:
        raise DatasetError(pd.concat(unreadable, ignore_index=True))
    if not tables:
        names = ", ".join(f"{t}{SUFFIXES[0]}" for t in TABLES)
        raise DatasetError.single(table="", file=str(folder), column="",
                                  rule=f"no table files found; expected some of {names} "
                                       f"(or {', '.join(SUFFIXES[1:])}), or a column map")
    return _finish(tables, settings, folder, lenient=lenient)


def load_sql(url: str, *, schema: str | None = None, queries: dict[str, str] | None = None,
             lenient: bool = False, settings: Settings | None = None) -> Dataset:
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
                lenient: bool = False, source: str = "<memory>") -> Dataset:
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


def _finish(tables: dict[str, _Table], settings: Settings, folder: Path, *,
            lenient: bool) -> Dataset:
    """Cross-table checks, strict failure or lenient accounting, and the link."""
    positions = _cross_table(tables, lenient=lenient)
    problems = _violations(tables)
    if not lenient and len(problems):
        raise DatasetError(problems)
    frames = {name: _fixed_categories(t.typed[t.keep].reset_index(drop=True), t.spec)
              for name, t in tables.items()}
    _fill_link(frames)
    links = _final_links(tables, frames, positions)
    accounting = pd.DataFrame(
        [[name, t.raw.file, len(t.typed), int(t.keep.sum()), int((~t.keep).sum())]
         for name, t in tables.items()],
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
    )


def renumber_link(positions: np.ndarray, child_keep: np.ndarray,
                  parent_keep: np.ndarray) -> np.ndarray:
    """A link's parent rows after both tables keep only some rows (-1: none or dropped).

    >>> renumber_link(np.array([2, 0, -1, 1]), np.array([True, True, True, False]),
    ...               np.array([True, False, True])).tolist()
    [1, 0, -1]
    """
    kept = positions[child_keep]
    new = np.where(parent_keep, np.cumsum(parent_keep) - 1, -1)
    if not len(new):
        return np.full(len(kept), -1, dtype=np.int64)
    return np.where(kept >= 0, new[np.maximum(kept, 0)], -1)


def _final_links(tables: dict[str, _Table], frames: dict[str, pd.DataFrame],
                 positions: dict[tuple[str, str], tuple[str, np.ndarray]]
                 ) -> dict[tuple[str, str], np.ndarray]:
    """The checked positions renumbered for the rows kept; the filled link columns anew."""
    keep = {name: t.keep.to_numpy() for name, t in tables.items()}
    links = {(child, column): renumber_link(pos, keep[child], keep[parent])
             for (child, column), (parent, pos) in positions.items()}
    # the lead/opportunity link was filled in after the checks: locate it on the final rows
    for child, column, parent, target in (("leads", "opportunity_id", "opportunities",
                                           "opportunity_id"),
                                          ("opportunities", "lead_id", "leads", "lead_id")):
        if child in frames and parent in frames and column in frames[child]:
            links[(child, column)] = _parent_positions(frames[parent][target],
                                                       frames[child][column])
    return links


def _links(frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str], np.ndarray]:
    """Row positions of every foreign key's parent (keys are unique once validated)."""
    links = {}
    for name, frame in frames.items():
        for fk in TABLES[name].foreign_keys:
            if fk.table in frames and fk.column in frame:
                links[(name, fk.column)] = _parent_positions(frames[fk.table][fk.target],
                                                             frame[fk.column])
    return links


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
