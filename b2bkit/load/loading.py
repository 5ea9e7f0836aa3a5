"""One table on its way through the loader: read, mapped, parsed, checked.

:func:`read_table` reads a table's file (:mod:`b2bkit.load.sources`), maps its
columns (:mod:`b2bkit.load.column_map`), parses each cell into its declared type
(:mod:`b2bkit.load.parsing`), combines lines a map aggregates and checks the
rules of one table (:mod:`b2bkit.load.validate`); :func:`typed_table` does the
same for a frame already in memory. The result is a :class:`Table` that
carries its issues and the mask of the rows still in; the rules across
tables (:func:`b2bkit.load.validate.cross_table`), the currencies
(:func:`convert_amounts`) and the accounting (:func:`set_aside_rows`,
:func:`table_violations`) work on these.

Examples
--------
>>> raw = RawTable("orders", "orders.csv", pd.DataFrame({
...     "order_id": ["O1", "O2"], "account_id": ["A1", "A1"],
...     "date": ["2025-01-05", "2025-02-30"], "amount": ["100", "5"]}), first_line=2)
>>> t = typed_table(raw, None)
>>> [(i.column, i.rows) for i in t.issues], t.typed["amount"].tolist()
([('date', 1)], [100.0, 5.0])
"""

from __future__ import annotations

import operator
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path

import pandas as pd

from b2bkit.core.errors import VIOLATION_COLUMNS, DatasetError
from b2bkit.core.i18n import N_
from b2bkit.core.schema import KINDS, TABLES, TableSpec
from b2bkit.load.aggregate import Combined, any_line, combine_lines
from b2bkit.load.column_map import CAUGHT_COLUMNS, TableSkipped, map_table
from b2bkit.load.currency import convert, fx_code_issues
from b2bkit.load.parsing import (
    EARLIEST,
    RANGE_RULE,
    accounting_numbers,
    dates_in_formats,
    dates_outside_range,
    disproving_cells,
    looks_accounting,
    parse_column,
    rule_for,
)
from b2bkit.load.settings import ISO, Joined, Settings, TableMap
from b2bkit.load.sources import SUFFIXES, RawTable, near_miss, read_raw
from b2bkit.load.summary import LEFT_OUT_COLUMNS, left_out_rows, summary_rows
from b2bkit.load.validate import (
    Issue,
    column_issues,
    date_order_issues,
    examples,
    overlap_issues,
    required_when_issues,
    violations,
)

__all__ = ["ACCOUNTING_COLUMNS", "SET_ASIDE_COLUMNS", "Table", "accounting", "aside_frames",
           "convert_amounts",
           "fixed_categories", "kept_rows", "merge_issues", "read_table", "read_tables",
           "set_aside_rows",
           "table_violations", "typed_table", "workers"]

#: Columns of :attr:`b2bkit.load.dataset.Dataset.set_aside`.
SET_ASIDE_COLUMNS = ["table", "file", "line", "key", "reason"]
#: Columns of :attr:`b2bkit.load.dataset.Dataset.accounting`.
ACCOUNTING_COLUMNS = ["table", "file", "read", "loaded", "set_aside", "lines"]


@dataclass
class Table:
    """One table on its way through the loader."""

    spec: TableSpec
    raw: RawTable
    text: pd.DataFrame  # canonical columns as read (for messages)
    typed: pd.DataFrame
    issues: list[Issue]
    keep: pd.Series  # rows still in
    lines: int = 0  # source lines (more than rows when a map combines lines)
    caught: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CAUGHT_COLUMNS))
    warnings: list[Issue] = field(default_factory=list)  # found while parsing; rows kept
    #: title lines and summary rows left out (not rows of the table): one row per kind
    left_out: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=LEFT_OUT_COLUMNS))
    #: source columns a preset names that the file lacks: (column, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: a map combined lines (aggregate): the typed lines and how they combined, so that
    #: each line is converted to the dataset currency before the amounts combine
    line_rows: pd.DataFrame | None = None
    combined: Combined | None = None
    how: dict[str, str] = field(default_factory=dict)

    def add(self, issues: list[Issue]) -> None:
        self.issues.extend(issues)


def read_table(path: Path, table: str, settings: Settings) -> Table:
    table_map = settings.tables.get(table)
    options: dict = {"expected": _expected_header(table, table_map)}
    if table_map is not None:
        options |= {"encoding": table_map.encoding, "delimiter": table_map.delimiter,
                    "sheet": table_map.sheet, "header_row": table_map.header_row}
    try:
        raw = read_raw(path, table, **options)
    except pd.errors.EmptyDataError:  # e.g. a file holding only a byte-order mark
        raise DatasetError.single(table=table, file=str(path), column="",
                                  rule="the file is empty: it needs at least a header line"
                                  ) from None
    # beside a column map (a foreign export), a canonical file of another shape (a dump's
    # activities.csv without minutes) is listed as not read rather than failing the load
    beside_map = table_map is None and bool(settings.tables)
    return typed_table(raw, table_map, skip_lacking=beside_map)


def _expected_header(table: str, table_map: TableMap | None) -> list[tuple[str, ...]]:
    """The header names that find the header line: per mapped column its alternatives
    (without a map: the table's required columns)."""
    if table_map is None or not table_map.columns:
        return [(c,) for c in TABLES[table].required]
    groups: list[tuple[str, ...]] = []
    for src in table_map.columns.values():
        if isinstance(src, str):
            groups.append((src,))
        elif isinstance(src, Joined):
            groups += [(c,) for c in src.columns]
        else:
            groups.append(src)
    return list(dict.fromkeys(groups))


def workers() -> int:
    """How many tables are read at once: the cores this process may run on.

    >>> workers() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _read_or_fail(file: Path, name: str, settings: Settings
                  ) -> Table | pd.DataFrame | TableSkipped:
    """The table read, or the violations of the :class:`DatasetError` it raised."""
    try:
        return read_table(file, name, settings)
    except TableSkipped as exc:
        return exc
    except DatasetError as exc:
        return exc.violations


def read_tables(files: dict[str, Path], settings: Settings, folder: Path,
                skipped: list[tuple[str, str]] | None = None) -> dict[str, Table]:
    """Every table file of a folder read (:func:`read_table`), or one error for them all.

    A preset's table whose file lacks a required column is not read; ``skipped``
    receives its (file, reason).

    The tables are read and typed in a pool of :func:`workers` threads
    (Arrow and numpy release the GIL while they read, cast and compare),
    the largest files first; the results are collected in the fixed order
    of ``files``, so the tables and every message come in the same order
    as a serial read.

    Raises
    ------
    DatasetError
        Every file that cannot be read, or a folder without any table file.
    """
    results: dict[str, Table | pd.DataFrame] = {}
    if len(files) > 1 and workers() > 1:
        largest = sorted(files, key=lambda n: -_size(files[n]))
        with ThreadPoolExecutor(max_workers=workers()) as pool:
            futures = {name: pool.submit(_read_or_fail, files[name], name, settings)
                       for name in largest}
            results = {name: futures[name].result() for name in files}
    else:
        results = {name: _read_or_fail(file, name, settings) for name, file in files.items()}
    tables = {name: r for name, r in results.items() if isinstance(r, Table)}
    if skipped is not None:
        skipped += [(str(r.violations["file"].iloc[0]), str(r.violations["rule"].iloc[0]))
                    for r in results.values() if isinstance(r, TableSkipped)]
    unreadable = [r for r in results.values() if isinstance(r, pd.DataFrame)]
    if unreadable:
        raise DatasetError(pd.concat(unreadable, ignore_index=True))
    if not tables:
        names = ", ".join(f"{t}{SUFFIXES[0]}" for t in TABLES)
        near = sorted(f"{p.name} (a near miss of {near_miss(p.name)})" for p in folder.iterdir()
                      if p.is_file() and near_miss(p.name)) if folder.is_dir() else []
        hint = (f"; canonical names match exactly, not read: {', '.join(near)}" if near
                else "")
        raise DatasetError.single(table="", file=str(folder), column="",
                                  rule=f"no table files found; expected some of {names} "
                                       f"(or {', '.join(SUFFIXES[1:])}), or a column map{hint}")
    return tables


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


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
                issues.append(Issue(table, column, ZERO_INVERTED, zero))
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


#: The start of an exchange rate (fx_rates.date): one before EARLIEST applies from EARLIEST.
RATE_START = ("fx_rates", "date")
EARLY_RATE = N_("a rate starting before {earliest} (such as Salesforce's 0001-01-01 start of a "
                "currency's first rate) applies from {earliest}, the first day b2bkit reads; no "
                "conversion changes")
EARLY_RATE_RULE = EARLY_RATE.format(earliest=f"{EARLIEST:%Y-%m-%d}")

#: The rules of reading a table's cells (:mod:`b2bkit.load.rules` translates them for a report).
ZERO_INVERTED = N_("0 cannot be inverted (invert in the map)")
DISPROVED = N_("read under the declared date_format {date_format}, but {count} other cell(s) of "
               "the column read only with day and month swapped (e.g. {example}): the format "
               "is wrong for this column, so none of its dates is trusted")
#: ``columns`` are the required columns the file lacks, joined by ", ".
LACKS_COLUMN = N_("as {table} it lacks the required column {columns}")
LACKS_COLUMNS = N_("as {table} it lacks the required columns {columns}")
NOT_IN_FORMATS = N_("not a date in any of the declared date_format {formats}")
AMBIGUOUS_DATE = N_("ambiguous date: the column holds cells of two of its date formats, and "
                    "this one reads as a different day in each; write it unambiguously or "
                    "declare one format")
NOT_AN_AMOUNT = N_("not an amount (number_format = \"accounting\": a sign or code, thousands "
                   "marks, K/M/B, (negative))")
CODE_DISAGREES = N_("the amount's currency code disagrees with the row's currency")
#: :data:`~b2bkit.load.parsing.NOT_A_NUMBER` of cells that look like accounting amounts.
NOT_A_NUMBER_ACCOUNTING = N_("not a finite number (currency signs, K/M/B suffixes or "
                             "(negatives) are read with number_format = \"accounting\" in the "
                             "column map)")
#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (EARLY_RATE, ZERO_INVERTED, DISPROVED, LACKS_COLUMN, LACKS_COLUMNS, NOT_IN_FORMATS,
         AMBIGUOUS_DATE, NOT_AN_AMOUNT, CODE_DISAGREES, NOT_A_NUMBER_ACCOUNTING)


def _dates_out_of_range(failed: Issue, cells: pd.Series, values: pd.Series,
                        date_format: str | None) -> tuple[pd.Series, list[Issue], list[Issue]]:
    """The date cells of ``failed`` that are real days outside the range b2bkit reads, named
    by :data:`~b2bkit.load.parsing.RANGE_RULE` instead of "not a date"; in fx_rates.date a rate
    start before :data:`~b2bkit.load.parsing.EARLIEST` is read as that day, with a warning.

    Returns the values (early starts filled in), the failures and the warnings.
    """
    table, column, bad = failed.table, failed.column, failed.mask
    found = dates_outside_range(cells[bad], date_format).reindex(bad.index)
    early = pd.Series(False, index=bad.index)
    if (table, column) == RATE_START:
        early = found < EARLIEST  # NaT compares False
        values = values.mask(early, EARLIEST)
    outside = found.notna() & ~early
    return values, [Issue(table, column, RANGE_RULE, outside),
                    Issue(table, column, failed.rule, bad & ~outside & ~early)], (
        [Issue(table, column, EARLY_RATE_RULE, early)] if early.any() else [])


def _decimal_of(cells: pd.Series, marks: str) -> str:
    """Of the decimal marks a map lists (``decimal = [",", "."]``), the first that reads every
    filled cell of the column; the first one when none does (its failures are reported).

    >>> _decimal_of(pd.Series(["150000.00", "1.5"]), ",."), _decimal_of(pd.Series(["1,5"]), ",.")
    ('.', ',')
    """
    if len(marks) == 1:
        return marks
    for mark in marks:
        if not parse_column(cells, "number", decimal=mark)[1].any():
            return mark
    return marks[0]


def _disproved(table: str, column: str, cells: pd.Series, values: pd.Series, bad: pd.Series,
               date_format: str) -> list[Issue]:
    """The cells read under a date_format that other cells of the column prove wrong.

    A cell that reads only with day and month swapped (25/07/2025 under
    ``%m/%d/%Y``) proves the column day-first: the cells the format did read
    (03/07/2025 as 7 March) are then not trusted either, and go aside with
    it in lenient mode (:func:`~b2bkit.load.parsing.disproving_cells`).
    """
    proof = disproving_cells(cells, bad, date_format)
    if not proof.any():
        return []
    suspect = (values.notna() & ~bad).astype(bool)
    first = cells[proof].iloc[0]
    rule = DISPROVED.format(date_format=date_format, count=int(proof.sum()),
                            example=repr(first))
    return [Issue(table, column, rule, suspect)]


def typed_table(raw: RawTable, table_map: TableMap | None, *,
                skip_lacking: bool = False) -> Table:
    """Map, parse, combine and check the rows of one table.

    ``skip_lacking``: a file without a required column raises
    :class:`~b2bkit.load.column_map.TableSkipped` (the table is listed as not read), as a
    preset's own tables do.
    """
    table = raw.table
    spec = TABLES[table]
    skipped: list[tuple[str, str]] = []
    text, caught = map_table(raw.frame, table_map, table=table, file=raw.file,
                             duplicated=raw.duplicated, skipped=skipped)
    missing = [c for c in spec.required if c not in text.columns]
    if missing and (skip_lacking or (table_map is not None and table_map.lacking_ok)):
        raise TableSkipped.single(
            table=table, file=raw.file, column=missing[0],
            rule=(LACKS_COLUMNS if len(missing) > 1 else LACKS_COLUMN).format(
                table=table, columns=", ".join(missing)))
    if missing:
        found = ", ".join(map(str, raw.frame.columns)) or "none"
        frame = pd.DataFrame(
            [[table, raw.file, c, f"required column is missing (the file has: {found})", 0, []]
             for c in missing],
            columns=VIOLATION_COLUMNS,
        )
        raise DatasetError(frame)
    decimal = table_map.decimal if table_map is not None else "."
    formats = table_map.date_formats if table_map is not None else None
    date_format = None if not formats or formats == (ISO,) else formats[0]
    accounting_ = table_map is not None and table_map.number_format == "accounting"
    typed, issues, unparsed, warnings = {}, [], {}, []
    marks = decimal
    for column in text.columns:
        kind = spec.field(column).kind
        decimal = _decimal_of(text[column], marks) if kind in ("number", "integer") else marks[0]
        if kind == "datetime" and formats and len(formats) > 1:
            values, bad, ambiguous, both = dates_in_formats(text[column], formats)
            failed = [Issue(table, column, NOT_IN_FORMATS.format(formats=", ".join(formats)),
                            bad),
                      Issue(table, column, AMBIGUOUS_DATE, ambiguous, both)]
        elif kind == "number" and accounting_:
            values, bad, code = accounting_numbers(text[column], decimal)
            failed = [Issue(table, column, NOT_AN_AMOUNT, bad)]
            if "currency" in text.columns:
                row_currency = text["currency"].astype("string").str.strip().str.upper()
                other = (code.notna() & row_currency.notna() & (code != row_currency)
                         ).fillna(False).astype(bool)
                failed.append(Issue(table, column, CODE_DISAGREES, other))
                values = values.mask(other)
        else:
            values, bad = parse_column(text[column], kind, decimal=decimal,
                                       date_format=date_format)
            rule = rule_for(kind, date_format)
            if kind == "number" and bad.any() and looks_accounting(text[column][bad]).any():
                rule = NOT_A_NUMBER_ACCOUNTING  # rule_for("number"), with the hint
            failed = [Issue(table, column, rule, bad)]
            if bad.any() and kind == "datetime":
                values, failed, early = _dates_out_of_range(failed[0], text[column], values,
                                                            date_format)
                warnings += early
            if bad.any() and kind == "datetime" and date_format is not None:
                failed += _disproved(table, column, text[column], values, bad, date_format)
        typed[column] = values.astype(KINDS[kind]) if kind not in ("id", "text") else values
        failed = [issue for issue in failed if issue.rows]
        issues += failed
        if failed:  # the cells not read, whatever the rule (early rate starts are read)
            unparsed[column] = reduce(operator.or_, [issue.mask for issue in failed])
    issues += _numbers(typed, table_map, table)
    frame = pd.DataFrame(typed, index=text.index)
    summary, how = summary_rows(raw.frame, text, frame, spec, table_map)
    left_out = left_out_rows(raw, text, frame, spec, summary, how)
    if summary.any():
        kept = ~summary
        frame, text = frame[kept], text[kept]
        for issue in issues + warnings:
            issue.mask = issue.mask[kept]
            if issue.detail is not None:
                issue.detail = issue.detail[kept]
        unparsed = {c: m[kept] for c, m in unparsed.items()}
    line_rows, combined = None, None
    if table_map is not None and table_map.aggregate_by:
        line_rows = frame if "currency" in frame else None
        combined = combine_lines(frame, table_map.aggregate_by, table_map.aggregate)
        frame, text = combined.rows, text.loc[combined.rows.index]
        for issue in issues + warnings:
            issue.mask = any_line(issue.mask, combined)
        unparsed = {c: any_line(m, combined) for c, m in unparsed.items()}
    if table == "opportunities":
        frame = _open_close_date(frame)
    issues += column_issues(frame, spec, unparsed)
    issues += required_when_issues(frame, spec)
    issues += date_order_issues(frame, spec)
    issues += overlap_issues(frame, spec)
    return Table(spec, raw, text, frame, issues, pd.Series(True, index=frame.index),
                  lines=len(raw.frame) - int(summary.sum()), caught=caught, warnings=warnings,
                  left_out=left_out, skipped=skipped, line_rows=line_rows,
                  combined=combined if line_rows is not None else None,
                  how=dict(table_map.aggregate) if line_rows is not None else {})


def merge_issues(issues: list[Issue]) -> list[Issue]:
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


def table_violations(tables: dict[str, Table]) -> pd.DataFrame:
    frames = []
    for table in tables.values():
        issues = merge_issues(table.issues)
        if not issues:
            continue
        lists = [examples(i, table.typed, table.spec, first_line=table.raw.first_line,
                          line_word=table.raw.line_word, raw=table.text) for i in issues]
        frames.append(violations(issues, table.raw.file, lists))
    if not frames:
        return pd.DataFrame(columns=VIOLATION_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def fixed_categories(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Enumerations (status, deal_type) get all their allowed values as categories."""
    for field_ in spec.fields:
        if field_.allowed is not None and field_.name in frame:
            frame[field_.name] = frame[field_.name].astype(
                pd.CategoricalDtype(list(field_.allowed)))
    return frame


def kept_rows(table: Table, *, renumber: bool = False) -> pd.DataFrame:
    """The typed rows a table keeps; with ``renumber``, indexed 0, 1, ... .

    A table that keeps every row is not copied: a shallow copy shares its
    columns (copy-on-write: a column assigned to it later does not change
    the table).

    >>> raw = RawTable("orders", "orders.csv", pd.DataFrame({
    ...     "order_id": ["O1", "O2"], "account_id": ["A1", "A1"],
    ...     "date": ["2025-01-05", "2025-01-06"], "amount": ["100", "5"]}), first_line=2)
    >>> t = typed_table(raw, None)
    >>> t.keep.iloc[0] = False
    >>> kept_rows(t)["order_id"].to_dict(), kept_rows(t, renumber=True)["order_id"].to_dict()
    ({1: 'O2'}, {0: 'O2'})
    """
    keep = table.keep.to_numpy()
    if keep.all():
        frame = table.typed.copy(deep=False)
        if renumber:
            frame.index = pd.RangeIndex(len(frame))
        return frame
    frame = table.typed[keep]
    return frame.reset_index(drop=True) if renumber else frame


def _set_aside(table: Table) -> pd.DataFrame:
    parts = []
    for issue in merge_issues(table.issues):
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


def aside_frames(tables: dict[str, Table]) -> dict[str, pd.DataFrame]:
    """Per table with rows set aside, those typed rows (as parsed) with a ``reason`` column.

    The headline sentences of :mod:`b2bkit.analysis.quality` weigh them against
    a period's figures ("9 won deals worth ... were set aside: ...").
    """
    out = {}
    for name, table in tables.items():
        if table.keep.all():
            continue
        rows = _set_aside(table)
        reasons = pd.Series(rows["reason"].to_numpy(),
                            index=rows["line"].to_numpy() - table.raw.first_line)
        frame = table.typed[~table.keep.to_numpy()].copy()
        frame["reason"] = reasons.reindex(frame.index).to_numpy()
        out[name] = frame.reset_index(drop=True)
    return out


def set_aside_rows(tables: dict[str, Table]) -> pd.DataFrame:
    """The rows set aside, with file, line, key and every reason (:data:`SET_ASIDE_COLUMNS`)."""
    parts = [_set_aside(t) for t in tables.values() if not t.keep.all()]
    return (pd.concat(parts, ignore_index=True) if parts
            else pd.DataFrame(columns=SET_ASIDE_COLUMNS))


def accounting(tables: dict[str, Table]) -> pd.DataFrame:
    """Per table: file, rows read, loaded, set aside and source lines (:data:`ACCOUNTING_COLUMNS`).

    Read = loaded + set aside; the lines are more than the rows where a
    column map combined lines.
    """
    return pd.DataFrame(
        [[name, t.raw.file, len(t.typed), int(t.keep.sum()), int((~t.keep).sum()),
          t.lines or len(t.typed)] for name, t in tables.items()],
        columns=ACCOUNTING_COLUMNS,
    )


def convert_amounts(tables: dict[str, Table], currency: str) -> None:
    """Amounts in another currency converted with the valid fx_rates rows.

    A fx_rates row whose currency is not an ISO 4217 code ("Euro") is an
    issue of fx_rates and converts nothing. In a table whose map combined
    lines, each line is converted on its own date before the amounts
    combine (:func:`_convert_lines`).
    """
    fx = tables.get("fx_rates")
    rates = None
    if fx is not None:
        fx.add(fx_code_issues(fx.typed))
        bad = pd.Series(False, index=fx.typed.index)
        for issue in fx.issues:
            bad |= issue.mask
        rates = fx.typed[~bad.to_numpy()]
    for name, table in tables.items():
        if table.line_rows is not None and table.combined is not None:
            table.typed, issues = _convert_lines(table, rates, currency)
        else:
            table.typed, issues = convert(table.typed, name, rates, currency)
        table.add(issues)


def _convert_lines(table: Table, rates: pd.DataFrame | None,
                   currency: str) -> tuple[pd.DataFrame, list[Issue]]:
    """The combined rows of a line-level table, each line converted before they combine.

    Order lines in USD and EUR of one order are not summed as they stand:
    each line takes its own rate (on its own date), then the converted
    amounts combine as the map says. A row whose lines are all in one
    currency keeps it, with its original amount combined the same way; a
    row of lines in several currencies is in the dataset currency (its
    original amount is the converted one). The issues name the row's first
    line.
    """
    name, combined = table.spec.name, table.combined
    amount = table.spec.amount
    lines, issues = convert(table.line_rows, name, rates, currency)
    if amount is None or amount not in lines or combined is None:
        return table.typed, issues
    for issue in issues:
        issue.mask = any_line(issue.mask, combined)
        if issue.detail is not None:  # the first line's detail shows for its row
            detail = pd.Series(issue.detail.to_numpy(), dtype="string")
            issue.detail = pd.Series(
                detail.groupby(combined.group, sort=False).first().to_numpy(),
                index=combined.rows.index)
    grouped = lines.groupby(combined.group, sort=False)
    function = table.how.get(amount, "first")
    out = table.typed.copy()
    for column in (amount, f"{amount}_original"):
        values = grouped[column]
        combined_values = (values.sum(min_count=1) if function == "sum"
                           else getattr(values, function)())
        out[column] = pd.Series(combined_values.to_numpy(), index=out.index,
                                dtype=lines[column].dtype)
    codes = grouped["currency"]
    mixed = pd.Series((codes.nunique() > 1).to_numpy(), index=out.index)
    out["currency"] = pd.Series(codes.first().to_numpy(), index=out.index,
                                dtype="string").mask(mixed, currency.strip().upper())
    out[f"{amount}_original"] = out[f"{amount}_original"].mask(mixed, out[amount])
    return out, issues
