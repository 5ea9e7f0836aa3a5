"""Data quality as data: the frame of what a load set aside, warned about or did not read.

:attr:`b2bkit.load.dataset.Dataset.quality` has one row per (table, severity,
rule): ``severity`` is ``"set aside"`` (lenient mode: the rows are not
loaded), ``"warning"`` (the rows are kept, CONTRACT section 1 "Warnings"), ``"left out"``
(title lines and summary rows of an export: not data, with their count and amount) or
``"ignored"`` (a file of the folder that was not read); ``rows`` counts the
rows, ``amount`` sums the table's money column over them in the dataset
currency (NaN for a table without one), ``examples`` lists the first rows.
:mod:`b2bkit.analysis.quality` turns it, with the accounting, into sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from b2bkit.core.i18n import N_
from b2bkit.core.schema import TABLES
from b2bkit.load.loading import Table, kept_rows, merge_issues
from b2bkit.load.sources import near_miss
from b2bkit.load.validate import Issue, examples
from b2bkit.load.warn import lead_after_won, table_warnings

__all__ = ["QUALITY_COLUMNS", "dataset_quality", "issue_rows", "look_alike_columns"]

QUALITY_COLUMNS = ["table", "file", "severity", "column", "rule", "rows", "amount", "examples"]

#: Why a file or a column was not read, and a value a catch-all took (:mod:`b2bkit.load.rules`
#: translates them for a report). ``value``, ``canonical`` and ``name`` are quoted (``repr``).
NEAR_MISS = N_("canonical file names match exactly: a near miss of {canonical}; rename it")
NOT_A_TABLE = N_("not a table file of the dataset or of its column map")
CAUGHT = N_("{value} taken by \"*\" as {canonical}")
LOOK_ALIKE = N_("the table reads {canonical} from the column named {name}")
#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (NEAR_MISS, NOT_A_TABLE, CAUGHT, LOOK_ALIKE)


def issue_rows(issues: list[Issue], frame: pd.DataFrame, *, file: str, severity: str,
               examples: list[list[str]]) -> pd.DataFrame:
    """Quality rows for issues of one table: rows, amount involved and examples.

    >>> frame = pd.DataFrame({"amount": [10.0, 2.5, 4.0]})
    >>> issue = Issue("orders", "amount", "a rule", pd.Series([True, False, True]))
    >>> issue_rows([issue], frame, file="orders.csv", severity="warning",
    ...            examples=[["line 2"]])[["rows", "amount"]].to_dict("records")
    [{'rows': 2, 'amount': 14.0}]
    """
    rows = []
    for issue, shown in zip(issues, examples, strict=True):
        money = TABLES[issue.table].amount
        amount = (float(frame.loc[issue.mask.to_numpy(), money].astype(float).sum(min_count=1))
                  if money in frame else np.nan)
        rows.append([issue.table, file, severity, issue.column, issue.rule, issue.rows, amount,
                     shown])
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


def dataset_quality(tables: Mapping[str, Table], ignored: list[str], *, workers: int = 1,
                    positions: Mapping[tuple[str, str], tuple[str, np.ndarray]] | None = None,
                    skipped: list[tuple[str, str]] | None = None) -> pd.DataFrame:
    """The quality frame of a load: rows set aside and warnings per rule, the values a
    catch-all ``"*"`` of a column map took, and the files not read.

    Parameters
    ----------
    tables : mapping of str to Table
        The tables loaded (:class:`b2bkit.load.loading.Table`), checked.
    ignored : list of str
        The files of the folder that were not read.
    workers : int
        Tables checked at once (threads); the rows come in the order of
        ``tables`` whatever the number.
    positions : mapping, optional
        The foreign keys' parent rows (:func:`b2bkit.load.links.positions_of` of
        the tables' typed rows): the duplicate-row warning compares them
        instead of the ids' text.
    skipped : list of (str, str), optional
        Files of a preset's table not read, with the reason.
    """
    kept = {name: kept_rows(t) for name, t in tables.items()}
    codes: dict[str, dict[str, np.ndarray]] = {name: {} for name in tables}
    for (child, column), (_, pos) in (positions or {}).items():
        keep = tables[child].keep.to_numpy()
        codes[child][column] = pos if keep.all() else pos[keep]

    def rows_of(name: str) -> list[pd.DataFrame]:
        return _table_quality(name, tables[name], kept, codes[name])

    if workers > 1 and len(tables) > 1:
        from concurrent.futures import ThreadPoolExecutor

        largest = sorted(tables, key=lambda n: -len(kept[n]))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {name: pool.submit(rows_of, name) for name in largest}
            parts = [p for name in tables for p in futures[name].result()]
    else:
        parts = [p for name in tables for p in rows_of(name)]
    parts.append(pd.DataFrame([["", f, "ignored", "", _ignored_rule(f), 0, np.nan, []]
                               for f in ignored], columns=QUALITY_COLUMNS))
    parts.append(pd.DataFrame([["", f, "ignored", "", rule, 0, np.nan, []]
                               for f, rule in skipped or []], columns=QUALITY_COLUMNS))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def _ignored_rule(name: str) -> str:
    """Why a file was not read; a near miss of a canonical name is named.

    >>> _ignored_rule("Leads.csv")
    'canonical file names match exactly: a near miss of leads.csv; rename it'
    """
    canonical = near_miss(name)
    if canonical is not None:
        return NEAR_MISS.format(canonical=canonical)
    return NOT_A_TABLE


def _table_quality(name: str, t: Table, kept_rows: Mapping[str, pd.DataFrame],
                   codes: Mapping[str, np.ndarray]) -> list[pd.DataFrame]:
    """The quality rows of one table: set aside, warnings, values taken by ``"*"``."""
    parts = []
    kept = kept_rows[name]
    keep = t.keep.to_numpy()
    warned = [Issue(i.table, i.column, i.rule, i.mask[keep]) for i in t.warnings]
    warned += table_warnings(kept, t.spec, codes=codes)
    if name == "leads" and "opportunities" in kept_rows:
        warned += lead_after_won(kept, kept_rows["opportunities"])
    for severity, issues, frame in (
            ("set aside", merge_issues(t.issues) if not t.keep.all() else [], t.typed),
            ("warning", warned, kept)):
        shown = [examples(i, frame, t.spec, first_line=t.raw.first_line,
                          line_word=t.raw.line_word, raw=t.text) for i in issues]
        parts.append(issue_rows(issues, frame, file=t.raw.file, severity=severity,
                                examples=shown))
    parts.append(pd.DataFrame([[name, t.raw.file, "ignored", column, rule, 0, np.nan, []]
                               for column, rule in t.skipped], columns=QUALITY_COLUMNS))
    parts.append(pd.DataFrame([[name, t.raw.file, "left out", r.column, r.rule, r.rows,
                                r.amount, r.examples] for r in t.left_out.itertuples()],
                              columns=QUALITY_COLUMNS))
    parts += [pd.DataFrame([[name, t.raw.file, "warning", c.column,
                             CAUGHT.format(value=repr(c.value), canonical=repr(c.canonical)),
                             c.rows,
                             np.nan, []] for c in t.caught.itertuples()],
                           columns=QUALITY_COLUMNS)]
    parts.append(pd.DataFrame([[name, t.raw.file, "ignored", column, rule, 0, np.nan, []]
                               for column, rule in look_alike_columns(t.raw.frame.columns,
                                                                      t.text.columns)],
                              columns=QUALITY_COLUMNS))
    return parts


def look_alike_columns(source: Iterable[object], read: Iterable[object]) -> list[tuple[str, str]]:
    """Columns of a file not read although their name differs from a read one only by case or
    spaces (``amount`` read, ``Amount`` beside it): each with the reason it was not read.

    Nothing of a file is dropped silently: a reader who sees two amount
    columns should learn which one the numbers use.

    >>> look_alike_columns(["order_id", "amount", "Amount ", "notes"], ["order_id", "amount"])
    [('Amount ', "the table reads amount from the column named 'amount'")]
    """
    read = {str(c) for c in read}
    used = {str(c) for c in source} & read  # canonical columns read from a same-named column
    by_folded = {c.strip().casefold(): c for c in used}
    return [(str(c), LOOK_ALIKE.format(canonical=by_folded[key], name=repr(by_folded[key])))
            for c in source
            if str(c) not in read and (key := str(c).strip().casefold()) in by_folded]
