"""A file's columns as the canonical table, written as one query.

The map's projection (CONTRACT section 4: renames, constants, value maps) and
the casts to each column's kind run in the engine. Beside every canonical
column ``c`` parsed from text the query carries ``_bad_c``: the cell was
filled but did not parse (the loader's rule for the kind names it). Maps that
need the reading machinery of :mod:`b2bkit.load` (header rows, date formats,
decimal commas, joined or alternative columns, line aggregation, summary rows)
are not projected here: :func:`unsupported` names the first such option so the
caller can read that dataset in memory instead.

Examples
--------
>>> import ibis
>>> raw = ibis.memtable({"Stage": ["Closed Won", "Open", None], "Amount": ["10", "x", ""],
...                      "Id": ["O1", "O2", "O3"], "_line": [2, 3, 4]})
>>> from b2bkit.load.settings import TableMap
>>> m = TableMap("opportunities", columns={"opportunity_id": "Id", "status": "Stage",
...              "amount": "Amount"}, values={"status": {"Closed Won": "won", "*": "open"}})
>>> t = canonical(raw, m, "opportunities")
>>> out = t.order_by("_line").execute()
>>> out["status"].tolist(), out["_bad_amount"].tolist()
(['won', 'open', nan], [False, True, False])
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
from ibis.expr.types import Column, Table

from b2bkit.core.schema import TABLES
from b2bkit.load.engine.scan import LINE
from b2bkit.load.parsing import FALSE_WORDS, TRUE_WORDS
from b2bkit.load.settings import TableMap

__all__ = ["BAD", "TEXT", "canonical", "unsupported"]

#: Prefix of the column flagging a cell that did not parse.
BAD = "_bad_"

#: Prefix of the column holding a parsed column's cell as text (shown in examples).
TEXT = "_text_"

#: The TableMap options this layer projects; any other set option is read in memory.
_PROJECTED = {"table", "file", "columns", "values", "constants", "optional", "lacking_ok"}
_DEFAULTS = TableMap("leads")


def unsupported(table_map: TableMap | None) -> str | None:
    """The first map option the query layer does not project (None: all are).

    >>> unsupported(TableMap("leads", columns={"lead_id": "Id"})) is None
    True
    >>> unsupported(TableMap("leads", date_format="%d.%m.%Y"))
    'date_format'
    """
    if table_map is None:
        return None
    for name in TableMap.__dataclass_fields__:
        if name not in _PROJECTED and getattr(table_map, name) != getattr(_DEFAULTS, name):
            return name
    for source in table_map.columns.values():
        if not isinstance(source, str):
            return "columns (alternatives or joined columns)"
    return None


def _text(column: Column) -> Column:
    """Stripped text; blank is NULL."""
    text = column.cast("string").strip()
    return ibis.ifelse(text == "", ibis.null("string"), text)


def _mapped(text: Column, mapping: dict[str, str]) -> Column:
    """Source values replaced by canonical ones (``"*"``: every other filled value)."""
    other = mapping.get("*")
    pairs = {k: v for k, v in mapping.items() if k != "*"}
    rest = ibis.literal(other, "string") if other is not None else text
    return text.substitute(pairs, else_=ibis.ifelse(text.isnull(), text, rest))


def _typed(text: Column, kind: str) -> tuple[Column, Column | None]:
    """The column cast to ``kind`` and the flag of filled cells that did not parse."""
    if kind in ("id", "text", "category"):
        return text, None
    if kind == "boolean":
        low = text.lower()
        value = ibis.cases((low.isin(TRUE_WORDS), True), (low.isin(FALSE_WORDS), False),
                           else_=ibis.null("boolean"))
        return value, text.notnull() & value.isnull()
    if kind == "datetime":
        value = text.try_cast(dt.timestamp)
        return value, text.notnull() & value.isnull()
    number = text.try_cast(dt.float64)
    finite = number.notnull() & ~number.isnan() & ~number.isinf()
    if kind == "integer":
        whole = finite & (number == number.floor())
        return ibis.ifelse(whole, number.cast("int64"), ibis.null("int64")), text.notnull() & ~whole
    return ibis.ifelse(finite, number, ibis.null("float64")), text.notnull() & ~finite


def canonical(raw: Table, table_map: TableMap | None, table: str) -> Table:
    """The canonical columns of ``table`` found in ``raw``, typed, with ``_line`` and flags.

    Parameters
    ----------
    raw : ibis Table
        The file's rows (:func:`b2bkit.load.engine.scan.scan_file`) or a database table.
    table_map : TableMap, optional
        How the source names the canonical columns; None: canonical names.
    table : str
        The canonical table.
    """
    spec = TABLES[table]
    columns = dict(table_map.columns) if table_map is not None else {}
    values = table_map.values if table_map is not None else {}
    constants = table_map.constants if table_map is not None else {}
    present = set(raw.columns)
    out: dict[str, Column] = {LINE: raw[LINE]}
    for name in spec.columns:
        source = columns.get(name, name if not columns or name not in columns.values() else None)
        if name in constants:
            text = ibis.literal(str(constants[name]), "string")
        elif source in present:
            column = raw[source]
            kind = spec.field(name).kind
            if not column.type().is_string() and name not in values:
                typed = (column.cast(dt.timestamp) if kind == "datetime" else column)
                out[name] = typed
                continue
            text = _text(column)
        else:
            continue
        if name in values:
            text = _mapped(text, values[name])
        value, bad = _typed(text, spec.field(name).kind)
        out[name] = value
        if bad is not None:
            out[BAD + name] = bad
            out[TEXT + name] = text
    return raw.select(**out)
