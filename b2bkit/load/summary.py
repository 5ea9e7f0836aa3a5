"""Summary rows and title lines of an export: not data, left out with their count and amount.

CONTRACT section 1 ("Summary rows"): a row whose key cell, or first
non-empty cell, is a total (``Total``, ``Totals``, ``Grand total``,
``Итого``, ``Всего``, ``Gesamt``, ``Total general``, optionally followed by
``:`` and more text), a row matching the map's ``drop_rows``, and a row
with a blank key whose amount equals the sum of the rows above it. Title
lines above the header are found by :func:`b2bkit.load.sources.read_raw`.
Both are warnings: left out, with their count and the amount they held.

Examples
--------
>>> from b2bkit.core.schema import TABLES
>>> raw = pd.DataFrame({"Campaign": ["A", "B", "Total: 2 campaigns"], "Cost": ["5", "7", "12"]})
>>> text = pd.DataFrame({"channel": raw["Campaign"], "amount": raw["Cost"]})
>>> frame = pd.DataFrame({"amount": [5.0, 7.0, 12.0]})
>>> mask, how = summary_rows(raw, text, frame, TABLES["spend"], None)
>>> mask.tolist()
[False, False, True]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.errors import MAX_EXAMPLES, DatasetError
from b2bkit.core.i18n import N_
from b2bkit.core.schema import TableSpec
from b2bkit.load.parsing import visible
from b2bkit.load.settings import TableMap

__all__ = ["LEFT_OUT_COLUMNS", "TOTAL", "left_out_rows", "summary_rows"]

#: The words of a total row (any case), optionally followed by ":" and more text.
TOTAL = (r"(?i)^\s*(?:grand\s+total|total\s+general|totals?|итого|всего|gesamt)\s*(?::.*)?$")

#: Columns of :attr:`b2bkit.load.loading.Table.left_out`.
LEFT_OUT_COLUMNS = ["column", "rule", "rows", "amount", "examples"]

_TOTAL_RULE = N_("a total of the export (Total, Grand total, Итого, ...)")
_DROP_RULE = N_("matches drop_rows of the column map")
_SUM_RULE = N_("blank key, amount equal to the sum of the rows above")
#: The title lines of a report above its header (``line`` is the header's line number).
TITLE_RULE = N_("title lines above the header (line {line})")
#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (_TOTAL_RULE, _DROP_RULE, _SUM_RULE, TITLE_RULE)


def _first_filled(raw: pd.DataFrame) -> pd.Series:
    """Each row's first non-empty cell (the first column, else the rows still blank filled)."""
    if raw.shape[1] == 0:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    first = raw.iloc[:, 0].astype("string").str.strip().replace("", pd.NA)
    blank = first.isna().to_numpy()
    if blank.any() and raw.shape[1] > 1:
        rest = raw.iloc[blank, 1:].astype("string").replace(r"^\s*$", pd.NA, regex=True)
        first[blank] = rest.bfill(axis=1).iloc[:, 0].str.strip()
    return first


def _key_columns(spec: TableSpec, text: pd.DataFrame) -> list[str]:
    """The key, or for a table without one its required columns other than the amount."""
    key = list(spec.key) if spec.key else [c for c in spec.required if c != spec.amount]
    return [k for k in key if k in text.columns]


def summary_rows(raw: pd.DataFrame, text: pd.DataFrame, frame: pd.DataFrame, spec: TableSpec,
                 table_map: TableMap | None) -> tuple[pd.Series, dict[str, pd.Series]]:
    """The summary rows of a table, and per rule the rows it found.

    Parameters
    ----------
    raw : pandas.DataFrame
        The file's cells as read.
    text : pandas.DataFrame
        The canonical columns as text (after the map).
    frame : pandas.DataFrame
        The parsed canonical columns (the amount, for the sum rule).
    spec : TableSpec
        The table's declaration.
    table_map : TableMap, optional
        Its ``drop_rows``.

    Raises
    ------
    DatasetError
        ``drop_rows`` names a column the file lacks.
    """
    index = text.index
    none = pd.Series(False, index=index)
    keys = _key_columns(spec, text)
    total = none.copy()
    if keys:
        total |= text[keys[0]].astype("string").str.fullmatch(TOTAL).fillna(False).astype(bool)
    total |= _first_filled(raw).str.fullmatch(TOTAL).fillna(False).astype(bool).to_numpy()
    dropped = none.copy()
    for column, pattern in (table_map.drop_rows.items() if table_map is not None else []):
        if column not in raw.columns:
            raise DatasetError.single(table=spec.name, file="", column=column,
                                      rule="drop_rows names a column the file lacks")
        found = raw[column].astype("string").str.contains(pattern, regex=True)
        dropped |= found.fillna(False).astype(bool).to_numpy()
    summed = none.copy()
    money = spec.amount
    if keys and money in frame and len(frame) > 1:
        blank_key = text[keys].isna().all(axis=1).to_numpy()
        amount = frame[money].astype(float).to_numpy(na_value=np.nan)
        ordinary = ~(blank_key | total.to_numpy() | dropped.to_numpy())
        above = np.concatenate([[0.0], np.cumsum(np.where(ordinary, np.nan_to_num(amount), 0))
                                [:-1]])
        rows_above = np.concatenate([[0], np.cumsum(ordinary)[:-1]])
        summed[:] = (blank_key & ~np.isnan(amount) & (rows_above > 0)
                     & np.isclose(amount, above, rtol=1e-9, atol=0.005))
    summed &= ~(total | dropped)
    dropped &= ~total
    how = {_TOTAL_RULE: total, _DROP_RULE: dropped, _SUM_RULE: summed}
    return total | dropped | summed, how


def left_out_rows(raw, text: pd.DataFrame, frame: pd.DataFrame, spec: TableSpec,
                  summary: pd.Series, how: dict[str, pd.Series]) -> pd.DataFrame:
    """One row per kind of line left out (title lines, each summary rule): rows, amount, examples.

    ``raw`` is the :class:`~b2bkit.load.sources.RawTable` (its title lines and line numbers).
    """
    rows = []
    title = getattr(raw, "title_lines", 0)
    if title:
        rows.append(["", TITLE_RULE.format(line=title + 1), title, np.nan,
                     [f"lines 1-{title}" if title > 1 else "line 1"]])
    if summary.any():
        first = _first_filled(raw.frame.loc[summary[summary].index])
        money = spec.amount
        for rule, mask in how.items():
            if not mask.any():
                continue
            index = mask[mask].index
            amount = (float(frame.loc[index, money].astype(float).sum(min_count=1))
                      if money in frame else np.nan)
            shown = [f"{raw.line_word} {i + raw.first_line}: {visible(str(first.get(i, '')))!r}"
                     for i in index[:MAX_EXAMPLES]]
            rows.append(["", rule, int(mask.sum()), amount, shown])
    return pd.DataFrame(rows, columns=LEFT_OUT_COLUMNS)
