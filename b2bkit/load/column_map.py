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

import pandas as pd

from b2bkit.core.errors import VIOLATION_COLUMNS, DatasetError
from b2bkit.core.schema import TABLES
from b2bkit.load.parsing import visible
from b2bkit.load.settings import TableMap

__all__ = ["CAUGHT_COLUMNS", "apply_map", "canonical_columns", "map_table", "shown_name"]


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def canonical_columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Keep the columns of ``frame`` that belong to ``table``, in contract order."""
    spec = TABLES[table]
    return frame[[c for c in spec.columns if c in frame.columns]]


CAUGHT_COLUMNS = ["column", "value", "canonical", "rows"]


def _source(frame: pd.DataFrame, source: str | tuple[str, ...]) -> pd.Series:
    """One source column, or several: stripped texts joined by ``"|"`` (blank -> "")."""
    if isinstance(source, str):
        return frame[source]
    parts = [frame[c].astype("string").str.strip().fillna("") for c in source]
    joined = parts[0].str.cat(parts[1:], sep="|")
    return joined.where(joined.str.replace("|", "", regex=False) != "", pd.NA)


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
              file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`apply_map`, and what each ``"*"`` catch-all took.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The canonical columns, and one row per source value that a ``"*"``
        took: column, value, canonical, rows (most rows first).

    Examples
    --------
    >>> from b2bkit.load.settings import TableMap
    >>> raw = pd.DataFrame({"Id": ["1", "2", "3"], "Closed": ["true", "true", "false"],
    ...                     "Won": ["true", "false", "false"]})
    >>> m = TableMap("opportunities", columns={"opportunity_id": "Id",
    ...              "status": ("Closed", "Won")},
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
        return canonical_columns(frame, table), caught
    named = [c for src in table_map.columns.values()
             for c in ((src,) if isinstance(src, str) else src)]
    missing = sorted({src for src in named if src not in frame.columns})
    if missing:  # every one at once, each name shown so that look-alikes differ
        found = ", ".join(shown_name(str(c)) for c in frame.columns)
        raise DatasetError(pd.DataFrame(
            [[table, file, shown_name(src)[1:-1],
              f"the column map names source column {shown_name(src)}, which "
                                f"the file lacks (its columns: {found})", 0, []]
             for src in missing], columns=VIOLATION_COLUMNS))
    out = {}
    for canonical in TABLES[table].columns:
        if canonical in table_map.constants:
            out[canonical] = pd.Series(_as_text(table_map.constants[canonical]),
                                       index=frame.index, dtype="string")
        elif canonical in table_map.columns:
            out[canonical] = _source(frame, table_map.columns[canonical])
        elif canonical in frame.columns:
            out[canonical] = frame[canonical]
    result = pd.DataFrame(out, index=frame.index)
    found = []
    for canonical, mapping in table_map.values.items():
        if canonical in result.columns:
            column = result[canonical]
            text = column.astype("string").str.strip()
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
