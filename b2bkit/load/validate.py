"""Checking typed tables against the data model, row by row.

Each rule of CONTRACT.md section 1 becomes an :class:`Issue`: a table, a
column, the words of the rule and a boolean mask of the offending rows.
Column rules (blank required cells, ranges, allowed values, key uniqueness)
are checked with `pandera <https://pandera.readthedocs.io>`_, which reports
every failing row at once (``lazy=True``); the rules that span columns
(required-when, date order) are vectorised masks here, and so are the rules
across tables (:func:`cross_table`: foreign keys, checked by the row
positions of :mod:`b2bkit.load.links`, and the lead/opportunity link).
:func:`violations` turns issues into the frame that
:class:`~b2bkit.core.errors.DatasetError` carries, with the first offending keys
and their line numbers in the source file.

Examples
--------
>>> import pandas as pd
>>> from b2bkit.core.schema import TABLES
>>> frame = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-02"]),
...                       "amount": pd.array([5.0, -1.0], dtype="Float64")})
>>> [(i.column, i.rule, i.rows) for i in column_issues(frame, TABLES["sales_costs"])]
[('amount', 'must be >= 0', 1)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b2bkit.core.errors import MAX_EXAMPLES, VIOLATION_COLUMNS
from b2bkit.core.i18n import N_
from b2bkit.core.schema import Field, TableSpec
from b2bkit.load.links import take_values
from b2bkit.load.parsing import string_buffers, visible

__all__ = [
    "Checked",
    "Issue",
    "column_issues",
    "cross_table",
    "date_order_issues",
    "duplicate_rows",
    "link_issues",
    "overlap_issues",
    "required_when_issues",
    "shown_cell",
    "shown_key",
    "violations",
]


@dataclass
class Issue:
    """Rows of one table that break one rule.

    ``mask`` is aligned with the table's frame (True = offending row);
    ``detail`` optionally gives, for offending rows, the text to show
    instead of the cell of ``column``.
    """

    table: str
    column: str
    rule: str
    mask: pd.Series
    detail: pd.Series | None = None

    @property
    def rows(self) -> int:
        """How many rows break the rule."""
        return int(self.mask.sum())


#: The rules of CONTRACT.md section 1 in words (:mod:`b2bkit.load.rules` translates them
#: for a report; the command line prints them as they are).
POSITIVE = N_("must be > 0")
AT_LEAST = N_("must be >= {minimum}")
AT_MOST = N_("must be <= {maximum}")
ONE_OF = N_("must be one of {values}")
DUPLICATE_KEY = N_("duplicate key ({key}): an earlier row has the same value")
BLANK = N_("required value is blank")
REQUIRED_WHEN = N_("required when {other} is {value}")
#: ``values`` are the first values joined by " or ", ``last`` the last one.
REQUIRED_WHEN_EITHER = N_("required when {other} is {values} or {last}")
BEFORE = N_("must not be before {earlier}")
OVERLAP = N_("overlaps another period of the same rep")
DISAGREES = N_("disagrees with opportunities.lead_id")
UNKNOWN = N_("unknown {target}: not in {parent}")
PARENT_SET_ASIDE = N_("refers to a row of {parent} that was set aside")

#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (POSITIVE, AT_LEAST, AT_MOST, ONE_OF, DUPLICATE_KEY, BLANK, REQUIRED_WHEN,
         REQUIRED_WHEN_EITHER, BEFORE, OVERLAP, DISAGREES, UNKNOWN, PARENT_SET_ASIDE)


def _fmt_number(value: float) -> str:
    return f"{value:g}"


#: How each check of :func:`_column_checks` holds, as a whole-column comparison of the
#: filled cells (the same meaning as the pandera Check of that name).
_HOLDS = {
    "gt": lambda values, arg: values > arg,
    "ge": lambda values, arg: values >= arg,
    "le": lambda values, arg: values <= arg,
    "isin": lambda values, arg: values.isin(arg),
}


def _column_checks(spec: Field) -> list[tuple[str, object, str]]:
    """The value checks of a field: (pandera Check name, its argument, the rule's words).

    The one list of a column's value rules: :func:`_passes` decides with it
    whether pandera must be run, and pandera describes the failures of the
    same checks (each name is also a key of :data:`_HOLDS`).
    """
    checks: list[tuple[str, object, str]] = []
    if spec.positive:
        checks.append(("gt", 0, POSITIVE))
    if spec.minimum is not None:
        checks.append(("ge", spec.minimum, AT_LEAST.format(minimum=_fmt_number(spec.minimum))))
    if spec.maximum is not None:
        checks.append(("le", spec.maximum, AT_MOST.format(maximum=_fmt_number(spec.maximum))))
    if spec.allowed is not None:
        checks.append(("isin", list(spec.allowed),
                       ONE_OF.format(values=", ".join(spec.allowed))))
    return checks


def _mask_of(frame: pd.DataFrame, index_values: Iterable) -> pd.Series:
    return pd.Series(frame.index.isin(list(index_values)), index=frame.index)


#: Odd 64-bit multipliers that mix the columns' sketches into one number per row.
_MIX, _SPREAD = np.uint64(0x100000001B3), np.uint64(0x9E3779B97F4A7C15)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


def _arrow_text(values: pd.Series) -> pa.ChunkedArray | None:
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return values.array.__arrow_array__()
    return None


def _text_sketch(array: pa.ChunkedArray) -> np.ndarray | None:
    """Per cell, its last 8 bytes and its length as one number (blank: as empty text)."""
    parts = string_buffers(array)
    if parts is None:
        return None
    sketches = []
    for offsets, data in parts:
        ends, lengths = offsets[1:], np.diff(offsets)
        padded = np.concatenate([np.zeros(8, dtype=np.uint8), data[:int(ends.max(initial=0))]])
        windows = np.lib.stride_tricks.as_strided(padded, shape=(len(padded) - 7, 8),
                                                  strides=(1, 1), writeable=False)
        last = np.ascontiguousarray(windows[ends]).view("<u8").ravel()  # data[end-8:end]
        kept = np.clip(lengths, 1, 8).astype(np.uint64)  # the cell's own bytes, on top
        own = np.where(lengths == 0, np.uint64(0), _ALL << (np.uint64(8) * (np.uint64(8) - kept)))
        sketches.append((last & own) ^ (lengths.astype(np.uint64) * _SPREAD))
    return np.concatenate(sketches) if sketches else np.zeros(0, dtype=np.uint64)


def _sketch(values: pd.Series) -> np.ndarray:
    """Per cell a number, equal for equal values (blanks equal blanks; not the reverse)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64).view(np.uint64)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.to_numpy(dtype="datetime64[ns]").view(np.int64).view(np.uint64)
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan) + 0.0  # -0.0 as 0.0
        return np.where(np.isnan(numbers), np.inf, numbers).view(np.uint64)
    array = _arrow_text(values)
    sketch = None if array is None else _text_sketch(array)
    if sketch is None:
        return pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64).view(np.uint64)
    return sketch


#: An odd multiplier that spreads numbers over the buckets of :func:`_paired`.
_SPREAD_BUCKETS = np.uint64(0x9E3779B97F4A7C15)


def _paired(numbers: np.ndarray) -> np.ndarray:
    """The positions of the numbers that occur more than once, in order.

    The numbers are sorted (numpy sorts 64-bit integers with SIMD: 5 M in
    about 0.06 s) to find the repeated values; a bitmap of their buckets
    (the top bits of the number times an odd constant) picks the few rows
    that may hold one, and a binary search among the repeated values keeps
    the rows that do.

    >>> _paired(np.array([5, 7, 5, 9], dtype=np.uint64)).tolist()
    [0, 2]
    """
    none = np.zeros(0, dtype=np.intp)
    if len(numbers) < 2:
        return none
    ordered = np.sort(numbers)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeated):
        return none
    repeated = np.unique(repeated)
    bits = min(max(len(repeated).bit_length() + 4, 8), 26)
    shift = np.uint64(64 - bits)
    marked = np.zeros(1 << bits, dtype=bool)
    marked[((repeated * _SPREAD_BUCKETS) >> shift).astype(np.intp)] = True
    rows = np.flatnonzero(marked[((numbers * _SPREAD_BUCKETS) >> shift).astype(np.intp)])
    left = numbers[rows]
    at = np.minimum(np.searchsorted(repeated, left), len(repeated) - 1)
    return rows[repeated[at] == left]


def _increasing(values: pd.Series) -> bool:
    """Whether filled text strictly increases down the column (so no value repeats)."""
    array = _arrow_text(values)
    if array is None or len(array) < 2 or array.null_count:
        return False
    return bool(pc.all(pc.greater(array[1:], array[:-1])).as_py())


def duplicate_rows(frame: pd.DataFrame, columns: list[str] | None = None, *,
                   codes: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Rows equal in ``columns`` (default all) to an earlier row: ``frame.duplicated()``.

    Blanks equal blanks, as in pandas. Each row gets one number mixed from
    a sketch of each cell (a date's or number's bits, a category's code,
    a text's length and last 8 bytes): equal rows have equal numbers, so
    only the rows whose number repeats can be copies, and pandas compares
    those few in full. A key column of text that strictly increases (ids
    written in order) has no duplicate at all. ``codes`` may give, for some
    columns, a number per row already known to be equal for equal cells
    (the parent row of a foreign key, :mod:`b2bkit.load.links`): it stands for
    the sketch of those columns.

    >>> frame = pd.DataFrame({"a": ["x", "x", "y", "x"], "b": [1.0, 1.0, 1.0, None]})
    >>> duplicate_rows(frame).tolist(), duplicate_rows(frame, ["a"]).tolist()
    ([False, True, False, False], [False, True, False, True])
    """
    names = list(frame.columns if columns is None else columns)
    mask = np.zeros(len(frame), dtype=bool)
    if len(names) == 1 and _increasing(frame[names[0]]):
        return mask
    row = np.zeros(len(frame), dtype=np.uint64)
    for name in names:
        known = None if codes is None else codes.get(name)
        sketch = (_sketch(frame[name]) if known is None
                  else np.asarray(known, dtype=np.int64).view(np.uint64))
        row = row * _MIX ^ sketch
    paired = _paired(row)
    if len(paired):
        mask[paired] = frame.iloc[paired][names].duplicated(keep="first").to_numpy()
    return mask


def _passes(frame: pd.DataFrame, fields: list[Field], unique: list[str] | None) -> bool:
    """Whether every check of :func:`_column_checks`, the blanks and the key hold.

    The same rules as the pandera schema (a check ignores blank cells), as
    whole-column comparisons; False when any fails, or cannot be compared.

    >>> from b2bkit.core.schema import Field
    >>> frame = pd.DataFrame({"n": pd.array([1.0, None], dtype="Float64")})
    >>> _passes(frame, [Field("n", "number", minimum=0)], None)
    True
    >>> _passes(frame, [Field("n", "number", nullable=False)], None)
    False
    """
    try:
        for field in fields:
            column = frame[field.name]
            filled = column.notna().to_numpy(dtype=bool)
            if not field.nullable and not filled.all():
                return False
            checks = _column_checks(field)
            if not checks:
                continue  # nothing more to check: no copy of the filled cells
            values = column if filled.all() else column[filled]  # no copy of a full column
            if not all(bool(_HOLDS[kind](values, arg).all()) for kind, arg, _ in checks):
                return False
        return not (unique and duplicate_rows(frame, unique).any())
    except (TypeError, ValueError):
        return False


def column_issues(frame: pd.DataFrame, spec: TableSpec,
                  unparsed: dict[str, pd.Series] | None = None) -> list[Issue]:
    """Blank required cells, ranges, allowed values and duplicate keys.

    Parameters
    ----------
    frame : pandas.DataFrame
        The typed table (columns of ``spec`` that are present).
    spec : TableSpec
        Its declaration.
    unparsed : dict of str to pandas.Series, optional
        Per column, the cells that could not be parsed; they are reported
        by the parser, so they are not reported again as blanks here.
    """
    unparsed = unparsed or {}
    columns, rules = {}, {}
    for field in spec.fields:
        if field.name not in frame.columns:
            continue
        checks = _column_checks(field)
        columns[field.name] = (checks, field.nullable)
        rules[field.name] = [rule for *_, rule in checks]
    key = [k for k in spec.key if k in frame.columns]
    unique = key if key and len(key) == len(spec.key) and spec.unique_key else None
    if _passes(frame, [f for f in spec.fields if f.name in columns], unique):
        return []  # pandera would find nothing: it is run to describe failures
    # imported here: a dataset that passes (and a report reading a snapshot) never pays for it
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    schema = pa.DataFrameSchema(
        {name: pa.Column(checks=[getattr(pa.Check, kind)(arg) for kind, arg, _ in checks],
                         nullable=nullable) for name, (checks, nullable) in columns.items()},
        unique=unique, report_duplicates="exclude_first")
    try:
        schema.validate(frame, lazy=True)
        return []
    except SchemaErrors as exc:
        cases = exc.failure_cases
    issues = []
    key_cases = cases[cases["check"].astype(str).str.endswith("uniqueness")]
    if len(key_cases):
        rule = DUPLICATE_KEY.format(key=", ".join(key))
        mask = _mask_of(frame, key_cases["index"].unique())
        # the key is already in the example's prefix; no cell to repeat
        issues.append(Issue(spec.name, ", ".join(key), rule, mask,
                            pd.Series("", index=frame.index)))
    cases = cases[~cases.index.isin(key_cases.index)]
    for (column, check, number), group in cases.groupby(
        ["column", "check", "check_number"], dropna=False, sort=False
    ):
        mask = _mask_of(frame, group["index"])
        if check == "not_nullable":
            rule = BLANK
            if column in unparsed:
                mask &= ~unparsed[column]
        elif pd.notna(number):
            rule = rules[column][int(number)]
        else:  # a check pandera runs on its own (e.g. dtype); show its words
            rule = str(check)
        if mask.any():
            issues.append(Issue(spec.name, str(column), rule, mask))
    return issues


def required_when_issues(frame: pd.DataFrame, spec: TableSpec) -> list[Issue]:
    """Cells required by the value of another column (a won deal's amount)."""
    issues = []
    for field in spec.fields:
        if field.required_when is None:
            continue
        other, values = field.required_when
        if other not in frame.columns:
            continue
        needed = frame[other].astype("string").isin(values).fillna(False).astype(bool)
        if field.name in frame.columns:
            blank = frame[field.name].isna()
        else:
            blank = pd.Series(True, index=frame.index)
        mask = needed & blank
        if mask.any():
            rule = (REQUIRED_WHEN.format(other=other, value=values[0]) if len(values) == 1
                    else REQUIRED_WHEN_EITHER.format(other=other,
                                                     values=" or ".join(values[:-1]),
                                                     last=values[-1]))
            detail = frame[other].astype("string").radd(f"{other}=").where(mask)
            issues.append(Issue(spec.name, field.name, rule, mask, detail))
    return issues


def date_order_issues(frame: pd.DataFrame, spec: TableSpec,
                      pairs: tuple[tuple[str, str], ...] | None = None) -> list[Issue]:
    """Dates that come before the date they must follow (calendar days).

    ``pairs`` defaults to the table's ``date_order`` (errors).
    """
    issues = []
    for later, earlier in spec.date_order if pairs is None else pairs:
        if later not in frame.columns or earlier not in frame.columns:
            continue
        late, early = frame[later].dt.normalize(), frame[earlier].dt.normalize()
        mask = (late < early).fillna(False).astype(bool)
        if mask.any():
            detail = (later + "=" + frame[later].dt.strftime("%Y-%m-%d") + " < " + earlier
                      + "=" + frame[earlier].dt.strftime("%Y-%m-%d"))
            issues.append(Issue(spec.name, later, BEFORE.format(earlier=earlier), mask, detail))
    return issues


def overlap_issues(frame: pd.DataFrame, spec: TableSpec) -> list[Issue]:
    """Quota periods of one rep that intersect an earlier-starting one (both ends inclusive).

    Two such rows would add up to twice the quota of the days they share. Rows
    repeating the whole key are reported as duplicate keys, not here.

    >>> q = pd.DataFrame({"rep_id": ["R1", "R1", "R2"],
    ...                   "period_start": pd.to_datetime(["2025-01-01", "2025-03-01",
    ...                                                   "2025-03-01"]),
    ...                   "period_end": pd.to_datetime(["2025-03-31", "2025-05-31",
    ...                                                 "2025-05-31"])})
    >>> from b2bkit.core.schema import TABLES
    >>> [(i.rule, i.mask.tolist()) for i in overlap_issues(q, TABLES["quotas"])]
    [('overlaps another period of the same rep', [False, True, False])]
    """
    key = ["rep_id", "period_start", "period_end"]
    if spec.name != "quotas" or not all(k in frame for k in key):
        return []
    rows = frame[key].dropna().drop_duplicates()
    if rows.empty:
        return []
    rows = rows.sort_values(["rep_id", "period_start", "period_end"], kind="stable")
    # the latest end among the rep's earlier-starting periods
    reach = rows.groupby("rep_id", observed=True)["period_end"].cummax()
    ends = reach.groupby(rows["rep_id"], observed=True).shift()
    late = rows.index[(rows["period_start"] <= ends).fillna(False).to_numpy()]
    mask = pd.Series(frame.index.isin(late), index=frame.index)
    if not mask.any():
        return []
    detail = ("period " + frame["period_start"].dt.strftime("%Y-%m-%d") + ".."
              + frame["period_end"].dt.strftime("%Y-%m-%d"))
    return [Issue(spec.name, "period_start", OVERLAP, mask, detail)]


def _plain(value: object) -> object:
    """A cell as a person would write it: dates without a time of midnight."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d" if value == value.normalize() else "%Y-%m-%dT%H:%M:%S")
    return value


def shown_cell(value: object) -> str:
    r"""A cell as a message quotes it: text through :func:`~b2bkit.load.parsing.visible`.

    Text is quoted (``'...'``, or ``"..."`` when it holds a ``'``), its
    invisible characters escaped and cut at
    :data:`~b2bkit.load.parsing.MAX_SHOWN` characters; a blank cell is
    ``blank``; numbers and dates are written plainly.

    >>> shown_cell("A1\u200b"), shown_cell(None), shown_cell(12.5)
    ("'A1\\u200b'", 'blank', '12.5')
    >>> shown_cell("x" * 90)[-21:]
    "x... (90 characters)'"
    """
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return "blank"
    value = _plain(value)
    if not isinstance(value, str):
        return repr(value)
    quote = '"' if "'" in value else "'"
    return f"{quote}{visible(value)}{quote}"


def shown_key(value: object) -> str:
    r"""A key cell in an example's prefix: as it is written, invisible characters escaped.

    >>> shown_key("A1\u200b"), shown_key(pd.Timestamp("2025-01-05")), shown_key(pd.NA)
    ('A1\\u200b', '2025-01-05', '<NA>')
    """
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return "<NA>"
    return visible(str(_plain(value)))


def _line_text(lines: pd.Index, word: str) -> list[str]:
    return [f"{word} {n}" for n in lines]


def examples(issue: Issue, frame: pd.DataFrame, spec: TableSpec, *, first_line: int,
             line_word: str, raw: pd.DataFrame | None = None,
             limit: int = MAX_EXAMPLES) -> list[str]:
    """The first offending rows of ``issue`` as ``"key (line N): value"``.

    Cells are shown through :func:`shown_cell` and keys through
    :func:`shown_key`; a key that did not parse (an id with a zero-width
    space) is taken from the raw text, so the prefix names the row as the
    file writes it.
    """
    index = issue.mask[issue.mask].index[:limit]
    lines = _line_text(index + first_line, line_word)
    source = raw if raw is not None else frame
    if issue.detail is not None:
        shown = issue.detail.loc[index].astype("string").fillna("")
    elif issue.column in source.columns:
        cells = source.loc[index, issue.column].astype(object).tolist()
        shown = pd.Series([f"{issue.column}={shown_cell(c)}" for c in cells], index=index)
    else:
        shown = pd.Series("", index=index)
    key = [k for k in spec.key if k in frame.columns]
    out = []
    for position, (row, line) in enumerate(zip(index, lines, strict=True)):
        if key:
            cells = [frame.at[row, k] for k in key]
            if raw is not None and row in raw.index:  # a key that did not parse: as written
                cells = [raw.at[row, k] if pd.isna(c) and k in raw.columns else c
                         for c, k in zip(cells, key, strict=True)]
            keys = ", ".join(f"{k}={shown_key(c)}" for k, c in zip(key, cells, strict=True))
            prefix = f"{keys} ({line})"
        else:
            prefix = line
        text = shown.iloc[position]
        out.append(f"{prefix}: {text}" if text else prefix)
    return out


def violations(issues: list[Issue], file: str, example_lists: list[list[str]]) -> pd.DataFrame:
    """The frame of :class:`~b2bkit.core.errors.DatasetError` for issues of one file."""
    rows = [[i.table, file, i.column, i.rule, i.rows, ex]
            for i, ex in zip(issues, example_lists, strict=True)]
    return pd.DataFrame(rows, columns=VIOLATION_COLUMNS)


class Checked(Protocol):
    """A table being loaded (:class:`b2bkit.load.loading.Table`), as cross-table checks see it."""

    spec: TableSpec
    typed: pd.DataFrame
    keep: pd.Series

    def add(self, issues: list[Issue]) -> None:
        """Record issues of this table."""


def link_issues(tables: Mapping[str, Checked],
                positions: dict[tuple[str, str], tuple[str, np.ndarray]], *,
                kept_only: bool) -> list[Issue]:
    """A lead and an opportunity that name each other differently.

    The opportunity a lead names is found by the link's positions
    (:func:`b2bkit.load.links.positions_of`); with ``kept_only``, an opportunity
    set aside names nobody.
    """
    if "leads" not in tables or "opportunities" not in tables:
        return []
    leads, opps = tables["leads"], tables["opportunities"]
    if "opportunity_id" not in leads.typed or "lead_id" not in opps.typed:
        return []
    pos = positions[("leads", "opportunity_id")][1]
    if kept_only:
        pos = np.where((pos >= 0) & opps.keep.to_numpy()[np.maximum(pos, 0)], pos, -1)
    named = take_values(opps.typed["lead_id"], pos)
    named.index = leads.typed.index
    mask = (named.notna() & (named != leads.typed["lead_id"])).fillna(False).astype(bool)
    if not mask.any():
        return []
    detail = ("opportunity_id=" + leads.typed["opportunity_id"] + ", whose lead_id is " + named)
    return [Issue("leads", "opportunity_id", DISAGREES, mask, detail)]


def _unknown_rule(tables: Mapping[str, Checked], child: str, column: str, parent: str) -> str:
    target = next(fk.target for fk in tables[child].spec.foreign_keys if fk.column == column)
    return UNKNOWN.format(target=target, parent=parent)


def cross_table(tables: Mapping[str, Checked],
                positions: dict[tuple[str, str], tuple[str, np.ndarray]], *,
                lenient: bool) -> None:
    """Foreign keys and the lead/opportunity link; in lenient mode until nothing changes.

    Strict mode records an issue per foreign key naming an unknown row and
    one for the leads and opportunities that name each other differently.
    Lenient mode sets aside the rows with any issue, then, round after round,
    the rows naming an unknown row, the rows referring to a row set aside and
    the leads whose link disagrees, until a round sets nothing aside.

    Parameters
    ----------
    tables : mapping of str to Table
        The tables being loaded; their issues and ``keep`` masks are updated.
    positions : dict
        :func:`b2bkit.load.links.positions_of` of their typed frames.
    lenient : bool
        Set rows aside (True) or only record the issues (False).
    """
    if not lenient:
        for (child, column), (parent, pos) in positions.items():
            table = tables[child]
            mask = pd.Series(table.typed[column].notna().to_numpy() & (pos < 0),
                             index=table.typed.index)
            if mask.any():
                table.add([Issue(child, column, _unknown_rule(tables, child, column, parent),
                                 mask)])
        if "leads" in tables:
            tables["leads"].add(link_issues(tables, positions, kept_only=False))
        return
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
                                       _unknown_rule(tables, child, column, parent),
                                       pd.Series(unknown, index=table.typed.index)))
            parent_keep = tables[parent].keep.to_numpy()
            cascade = keep & (pos >= 0) & ~parent_keep[np.maximum(pos, 0)]
            if cascade.any():
                found.append(Issue(child, column,
                                   PARENT_SET_ASIDE.format(parent=parent),
                                   pd.Series(cascade, index=table.typed.index)))
            for issue in found:
                table.keep &= ~issue.mask
            table.add(found)
            changed |= bool(found)
        if "leads" in tables:
            leads = tables["leads"]
            found = [i for i in link_issues(tables, positions, kept_only=True)
                     if (i.mask & leads.keep).any()]
            for issue in found:
                leads.keep &= ~issue.mask
            leads.add(found)
            changed |= bool(found)
        if not changed:
            return
