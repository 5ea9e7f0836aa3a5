"""Data quality as data, and the sentences every output prints about it.

:attr:`b2bkit.dataset.Dataset.quality` has one row per (table, severity,
rule): ``severity`` is ``"set aside"`` (lenient mode: the rows are not
loaded), ``"warning"`` (the rows are kept, CONTRACT section 1 "Warnings") or
``"ignored"`` (a file of the folder that was not read); ``rows`` counts the
rows, ``amount`` sums the table's money column over them in the dataset
currency (NaN for a table without one), ``examples`` lists the first rows.
:func:`quality_lines` turns it, with the accounting, into sentences.

Examples
--------
>>> from b2bkit.dataset import from_frames
>>> ds = from_frames({"spend": pd.DataFrame({"date": ["2025-01-01", "2025-01-01"],
...                                          "channel": ["ads", "ads"], "amount": [5, 5]})})
>>> for line in quality_lines(ds):
...     print(line)
spend: 1 row worth 5.00 USD kept with a warning: exact duplicate of an earlier row
rows read 2 = loaded 2 + set aside 0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bkit.cut import dropped
from b2bkit.loading import Table, kept_rows, merge_issues
from b2bkit.schema import TABLES
from b2bkit.validate import Issue, examples
from b2bkit.warn import lead_after_won, table_warnings

if TYPE_CHECKING:
    from b2bkit.dataset import Dataset
    from b2bkit.metrics import View

__all__ = ["CLEAN", "QUALITY_COLUMNS", "as_of_lines", "dataset_quality", "issue_rows",
           "look_alike_columns", "quality_lines", "statement"]

QUALITY_COLUMNS = ["table", "file", "severity", "column", "rule", "rows", "amount", "examples"]

#: The one line of a dataset with nothing set aside, warned about or ignored.
CLEAN = "No rows were set aside and nothing was warned about."

_NOUNS = {"opportunities": ("deal", "deals"), "leads": ("lead", "leads"),
          "orders": ("order", "orders"), "stage_history": ("stage row", "stage rows"),
          "accounts": ("account", "accounts"), "reps": ("rep", "reps"),
          "campaigns": ("campaign", "campaigns")}


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


def _count(table: str, n: int) -> str:
    one, many = _NOUNS.get(table, ("row", "rows"))
    return f"{n:,} {one if n == 1 else many}"


def _sentence(row: pd.Series, currency: str) -> str:
    if row["severity"] == "ignored" and row["column"]:
        file = str(row["file"]).rsplit("/", 1)[-1]
        return f"{file}, column {row['column']!r}: not read ({row['rule']})"
    if row["severity"] == "ignored":
        return f"{row['file']}: not read ({row['rule']})"
    worth = "" if pd.isna(row["amount"]) else f" worth {row['amount']:,.2f} {currency}"
    what = "set aside" if row["severity"] == "set aside" else "kept with a warning"
    rule = row["rule"]
    if row["column"] and not rule.startswith(row["column"]):
        rule = f"{row['column']}: {rule}"
    return f"{row['table']}: {_count(row['table'], row['rows'])}{worth} {what}: {rule}"


def quality_lines(ds: Dataset) -> list[str]:
    """The sentences about a dataset's data quality that every output prints.

    One per rule set aside or warned about ("opportunities: 4 deals worth
    1,540,000.00 MXN set aside: ..."), the accounting "rows read R = loaded L
    + set aside S" when anything was set aside or warned about, one per
    line-level file combined by a map ("order_lines.csv: 1,204 lines
    combined into 512 orders"), one per file not read; for a dataset with
    none of these, the single line :data:`CLEAN`.
    """
    quality, accounting = ds.quality, ds.accounting
    lines = [_sentence(row, ds.settings.currency) for _, row in quality.iterrows()
             if row["severity"] != "ignored"]
    if lines:
        read, loaded = int(accounting["read"].sum()), int(accounting["loaded"].sum())
        aside = int(accounting["set_aside"].sum())
        lines.append(f"rows read {read:,} = loaded {loaded:,} + set aside {aside:,}")
    if "lines" in accounting:
        combined = accounting[accounting["lines"] != accounting["read"]]
        lines += [f"{r.file.rsplit('/', 1)[-1]}: {r.lines:,} lines combined into "
                  f"{_count(r.table, r.read)}" for r in combined.itertuples()]
    lines += [_sentence(row, ds.settings.currency) for _, row in quality.iterrows()
              if row["severity"] == "ignored"]
    if not (quality["severity"] != "ignored").any():
        lines.append(CLEAN)
    return lines


def as_of_lines(view: View) -> list[str]:
    """One sentence per table whose rows dated after as_of are not counted.

    The rows are those :attr:`b2bkit.metrics._view.View.cut` counts: leads
    and opportunities created after as_of, and the dated rows (orders,
    spend, ...) after it. Nothing is said of a table that lost none.

    Examples
    --------
    >>> from b2bkit.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> ds = from_frames({"spend": pd.DataFrame({"date": ["2025-01-01", "2025-03-01"],
    ...                                          "channel": ["ads", "ads"], "amount": [5, 7]})})
    >>> as_of_lines(prepare(ds, "2025-01-31"))
    ['spend: 1 row dated after as_of 2025-01-31 not counted']
    """
    return _cut_lines(view.cut, view.as_of)


def _cut_lines(cut: pd.DataFrame, as_of: pd.Timestamp) -> list[str]:
    day = as_of.strftime("%Y-%m-%d")
    return [f"{r.table}: {r.rows:,} row{'' if r.rows == 1 else 's'} "
            f"{'created' if r.column == 'created_at' else 'dated'} after as_of {day} not counted"
            for r in cut.itertuples(index=False)]


def statement(ds: Dataset, view: View | None = None) -> list[str]:
    """Every output's data-quality sentences: :func:`quality_lines`, then :func:`as_of_lines`.

    ``view`` defaults to the dataset seen from its own as_of; a dataset
    without dated rows has no as_of and nothing cut.

    >>> from b2bkit.dataset import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> ds = sample_dataset()
    >>> statement(ds, prepare(ds, "2025-03-14"))[-1]
    'leads: 1 row created after as_of 2025-03-14 not counted'
    """
    if ds.as_of is None:
        return quality_lines(ds)
    if view is None:  # the rows the View of the dataset's own as_of leaves out
        return quality_lines(ds) + _cut_lines(dropped(ds.tables, ds.as_of), ds.as_of)
    return quality_lines(ds) + as_of_lines(view)


def dataset_quality(tables: Mapping[str, Table], ignored: list[str], *, workers: int = 1,
                    positions: Mapping[tuple[str, str], tuple[str, np.ndarray]] | None = None
                    ) -> pd.DataFrame:
    """The quality frame of a load: rows set aside and warnings per rule, the values a
    catch-all ``"*"`` of a column map took, and the files not read.

    Parameters
    ----------
    tables : mapping of str to Table
        The tables loaded (:class:`b2bkit.loading.Table`), checked.
    ignored : list of str
        The files of the folder that were not read.
    workers : int
        Tables checked at once (threads); the rows come in the order of
        ``tables`` whatever the number.
    positions : mapping, optional
        The foreign keys' parent rows (:func:`b2bkit.links.positions_of` of
        the tables' typed rows): the duplicate-row warning compares them
        instead of the ids' text.
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
    parts.append(pd.DataFrame([["", f, "ignored", "", "not a table file of the dataset or "
                                "of its column map", 0, np.nan, []] for f in ignored],
                              columns=QUALITY_COLUMNS))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    return pd.concat(parts, ignore_index=True)


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
    parts += [pd.DataFrame([[name, t.raw.file, "warning", c.column,
                             f"{c.value!r} taken by \"*\" as {c.canonical!r}", c.rows,
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
    return [(str(c), f"the table reads {by_folded[key]} from the column named "
                     f"{by_folded[key]!r}")
            for c in source
            if str(c) not in read and (key := str(c).strip().casefold()) in by_folded]
