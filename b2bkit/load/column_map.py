"""Turning a foreign export's columns and values into a canonical table.

A :class:`~b2bkit.load.settings.TableMap` renames source columns to canonical
ones (one source column may feed several canonical ones), translates values
and fills constants. Columns already named canonically are taken as they are;
other source columns are left out (they are columns, not rows: nothing a
metric needs is lost).

Examples
--------
>>> import pandas as pd
>>> from b2bkit.load.settings import TableMap
>>> raw = pd.DataFrame({"deal": ["1", "2"], "stage": ["Won", "Engaging"]})
>>> m = TableMap("opportunities", columns={"opportunity_id": "deal", "status": "stage",
...              "stage": "stage"}, values={"status": {"Won": "won", "Engaging": "open"}})
>>> apply_map(raw, m, table="opportunities", file="deals.csv")
  opportunity_id status     stage
0              1    won       Won
1              2   open  Engaging
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

import pandas as pd

from b2bkit.core.errors import VIOLATION_COLUMNS, DatasetError
from b2bkit.core.i18n import N_
from b2bkit.core.schema import TABLES
from b2bkit.load.parsing import FALSE_WORDS, TRUE_WORDS, visible
from b2bkit.load.settings import Joined, TableMap

__all__ = ["CAUGHT_COLUMNS", "TableSkipped", "apply_map", "boolean_text", "canonical_columns",
           "map_table", "resolve_columns", "shown_name"]


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def canonical_columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Keep the columns of ``frame`` that belong to ``table``, in contract order."""
    spec = TABLES[table]
    return frame[[c for c in spec.columns if c in frame.columns]]


CAUGHT_COLUMNS = ["column", "value", "canonical", "rows"]


def _nulls(column: pd.Series, null_values: tuple[str, ...]) -> pd.Series:
    """``column`` with the cells that hold one of ``null_values`` (stripped) blanked."""
    if not null_values or column.dtype.kind in "biufcmM":
        return column
    text = column.astype("string").str.strip()
    wanted = {v.strip() for v in null_values}
    return column.mask(text.isin(wanted).fillna(False).astype(bool))


def _source(frame: pd.DataFrame, source: str | Joined, null_values: tuple[str, ...] = ()
            ) -> pd.Series:
    """One source column, or several joined: stripped texts joined by ``"|"`` (blank -> "")."""
    if isinstance(source, str):
        return _nulls(frame[source], null_values)
    parts = [_nulls(frame[c], null_values).astype("string").str.strip().fillna("")
             for c in source.columns]
    joined = parts[0].str.cat(parts[1:], sep="|")
    return joined.where(joined.str.replace("|", "", regex=False) != "", pd.NA)


_BOOLEAN = {w: "true" for w in TRUE_WORDS} | {w: "false" for w in FALSE_WORDS}


def _boolean_word(part: str) -> str | None:
    return _BOOLEAN.get(part.strip().lower())


def boolean_text(value: str) -> str | None:
    """``value`` with each ``"|"``-part that is a boolean word written true/false; None when
    a part is no boolean word (CONTRACT section 1: 1/0, yes/no, y/n, t/f, да/нет, any case).

    >>> boolean_text("1|0"), boolean_text("TRUE|нет"), boolean_text("1|maybe")
    ('true|false', 'true|false', None)
    """
    parts = [_boolean_word(p) for p in value.split("|")]
    return None if None in parts else "|".join(parts)  # type: ignore[arg-type]


def _boolean_keys(mapping: dict[str, str]) -> bool:
    """True when every source value of ``mapping`` (but ``"*"``) is made of boolean words."""
    keys = [k for k in mapping if k != "*"]
    return bool(keys) and all(boolean_text(k) is not None for k in keys)


def _as_boolean_words(text: pd.Series, mapping: dict[str, str]
                      ) -> tuple[pd.Series, dict[str, str]]:
    """Flags in any spelling matched to a map written with true/false (``1|0`` is ``true|false``).

    The distinct values are translated, not the rows (a flag column has few).
    """
    if not _boolean_keys(mapping):
        return text, mapping
    distinct = pd.Series(text.dropna().unique(), dtype="string")
    written = {v: boolean_text(v) for v in distinct.tolist()}
    normal = text.map(lambda v: v if pd.isna(v) or written.get(v) is None else written[v])
    keys = {boolean_text(k) or k: v for k, v in mapping.items()}
    return normal.astype("string"), keys


#: A preset's column absent from an export (``shown``: the source names, each quoted,
#: joined by " / "): for a required column the table is not read, else the column.
NO_REQUIRED_COLUMN = N_("the file has no {shown} column for the required {canonical} (an export "
                        "version the preset does not know)")
NO_COLUMN = N_("the file has no {shown} column: {canonical} not read")
#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (NO_REQUIRED_COLUMN, NO_COLUMN)


class TableSkipped(DatasetError):
    """A preset's table whose file lacks a required column: not read, and listed."""


def resolve_columns(table_map: TableMap, present: Collection[str], *, table: str,
                    file: str, skipped: list[tuple[str, str]] | None = None
                    ) -> dict[str, str | Joined]:
    """Each canonical column's source: of alternatives, the first one the file has.

    With :attr:`~b2bkit.load.settings.TableMap.lacking_ok` (a preset), a
    canonical column whose sources the file lacks is left out and appended
    to ``skipped`` as (source, reason); a required one raises
    :class:`TableSkipped`.

    Raises
    ------
    DatasetError
        A source column (or every alternative of one) is not in the file.
    """
    resolved: dict[str, str | Joined] = {}
    found_columns = ", ".join(shown_name(str(c)) for c in present)
    lacks: list[list[object]] = []  # every source column the file lacks, reported at once
    for canonical, src in table_map.columns.items():
        names = [src] if isinstance(src, str) else list(
            src.columns if isinstance(src, Joined) else src)
        lacking = (not any(c in present for c in names) if isinstance(src, tuple)
                   else any(c not in present for c in names))
        if lacking and table_map.lacking_ok:
            shown = " / ".join(repr(c) for c in names)
            if canonical in TABLES[table].required:
                raise TableSkipped.single(
                    table=table, file=file, column=names[0],
                    rule=NO_REQUIRED_COLUMN.format(shown=shown, canonical=canonical))
            if skipped is not None:
                skipped.append((names[0], NO_COLUMN.format(shown=shown, canonical=canonical)))
            continue
        if isinstance(src, tuple):
            found = next((c for c in src if c in present), None)
            if found is None:
                lacks.append([table, file, shown_name(src[0])[1:-1],
                              f"the column map names source column {shown_name(src[0])} (or "
                              f"one of {', '.join(shown_name(c) for c in src[1:])}) for "
                              f"{canonical}, which the file lacks (its columns: "
                              f"{found_columns})", 0, []])
            resolved[canonical] = found
            continue
        lacks += [[table, file, shown_name(c)[1:-1],
                   f"the column map names source column {shown_name(c)}, which the file lacks "
                   f"(its columns: {found_columns})", 0, []]
                  for c in names if c not in present]
        resolved[canonical] = src
    if lacks:  # each name shown so that look-alikes (a no-break space, a Cyrillic о) differ
        raise DatasetError(pd.DataFrame(lacks, columns=VIOLATION_COLUMNS).drop_duplicates(
            subset=["column", "rule"]).sort_values("column", kind="stable"))
    return resolved


def _repeated(read: list[str], duplicated: Collection[str], table_map: TableMap | None, *,
              table: str, file: str) -> None:
    """A header named twice is an error only when that column is read (CONTRACT section 1)."""
    if table_map is not None and table_map.duplicate_header == "first":
        return
    twice = [c for c in read if c in duplicated]
    if twice:
        raise DatasetError.single(
            table=table, file=file, column=twice[0],
            rule="the header names this column more than once, and it is read; set "
                 "duplicate_header = \"first\" in the column map to read its first column")


def apply_map(frame: pd.DataFrame, table_map: TableMap | None, *, table: str,
              file: str) -> pd.DataFrame:
    """The canonical columns of ``table`` built from a source ``frame``.

    Raises
    ------
    DatasetError
        A mapped source column is not in the file.
    """
    return map_table(frame, table_map, table=table, file=file)[0]


def shown_name(name: str) -> str:
    r"""A column name as a message quotes it: what would pass for another name escaped.

    Invisible characters (:func:`~b2bkit.load.parsing.visible`), spaces other
    than the plain one (a no-break space) and, in a name that mixes ASCII
    letters with others, the non-ASCII letters (a Cyrillic ``о`` in
    ``Stоge``) are written as their escapes; a name in one script (``Сумма``)
    is shown as it is.

    >>> shown_name("Amount\xa0"), shown_name("St\u043ege"), shown_name("Сумма")
    ("'Amount\\xa0'", "'St\\u043ege'", "'Сумма'")
    >>> shown_name("Amount\u200b")
    "'Amount\\u200b'"
    """
    mixed = any(c.isascii() and c.isalpha() for c in name)

    def escaped(c: str) -> str:
        odd = (c != " " and unicodedata.category(c) == "Zs") or (
            mixed and not c.isascii() and c.isalpha())
        if not odd:
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    text = visible("".join(escaped(c) for c in name))
    return f"'{text}'" if "'" not in text else f'"{text}"'


def map_table(frame: pd.DataFrame, table_map: TableMap | None, *, table: str,
              file: str, duplicated: Collection[str] = (),
              skipped: list[tuple[str, str]] | None = None
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`apply_map`, and what each ``"*"`` catch-all took.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The canonical columns, and one row per source value that a ``"*"``
        took: column, value, canonical, rows (most rows first).

    Examples
    --------
    >>> from b2bkit.load.settings import Joined, TableMap
    >>> raw = pd.DataFrame({"Id": ["1", "2", "3"], "Closed": ["1", "true", "false"],
    ...                     "Won": ["1", "false", "false"]})
    >>> m = TableMap("opportunities", columns={"opportunity_id": "Id",
    ...              "status": Joined(("Closed", "Won"))},
    ...              values={"status": {"true|true": "won", "*": "open"}})
    >>> frame, caught = map_table(raw, m, table="opportunities", file="o.csv")
    >>> frame["status"].tolist()
    ['won', 'open', 'open']
    >>> caught.to_dict("records")
    [{'column': 'status', 'value': 'true|false', 'canonical': 'open', 'rows': 1}, \
{'column': 'status', 'value': 'false|false', 'canonical': 'open', 'rows': 1}]
    """
    caught = pd.DataFrame(columns=CAUGHT_COLUMNS)
    if table_map is None:
        result = canonical_columns(frame, table)
        _repeated(list(result.columns), duplicated, None, table=table, file=file)
        return result, caught
    columns = resolve_columns(table_map, list(frame.columns), table=table, file=file,
                              skipped=skipped)
    read = [c for src in columns.values()
            for c in ([src] if isinstance(src, str) else list(src.columns))]
    out = {}
    nulls = table_map.null_values
    for canonical in TABLES[table].columns:
        if canonical in table_map.constants:
            out[canonical] = pd.Series(_as_text(table_map.constants[canonical]),
                                       index=frame.index, dtype="string")
        elif canonical in columns:
            out[canonical] = _source(frame, columns[canonical], nulls)
        elif canonical in frame.columns:
            out[canonical] = _nulls(frame[canonical], nulls)
            read.append(canonical)
    _repeated(read, duplicated, table_map, table=table, file=file)
    result = pd.DataFrame(out, index=frame.index)
    found = []
    for canonical, mapping in table_map.values.items():
        if canonical in result.columns:
            column = result[canonical]
            text = column.astype("string").str.strip()
            text, mapping = _as_boolean_words(text, mapping)
            other = mapping.get("*")
            translated = text.map(mapping)
            hit = text.isin(list(mapping))
            if other is not None:  # "*" = every other filled value
                took = text[~hit & text.notna()]
                if len(took):
                    counts = took.value_counts(sort=True)
                    found.append(pd.DataFrame({"column": canonical,
                                               "value": counts.index.astype(str),
                                               "canonical": other,
                                               "rows": counts.to_numpy().astype(int)}))
                translated = translated.where(hit | text.isna(), other)
                hit = hit | text.notna()
            # a value mapped to "" becomes blank
            result[canonical] = text.where(~hit, translated).replace("", pd.NA)
    if found:
        caught = pd.concat(found, ignore_index=True)
    return result, caught
