"""Parsing text cells into typed columns, reporting every cell that fails.

Each column kind of :mod:`b2bkit.schema` has a parser that takes a column of
text (or of already typed values from Parquet or SQL) and returns the typed
column plus a mask of the cells that were filled but could not be parsed.
Nothing is guessed: a cell is either parsed exactly or reported.

Examples
--------
>>> import pandas as pd
>>> values, bad = parse_column(pd.Series(["1 234,50", "12.5", None]), "number", decimal=",")
>>> values.tolist(), bad.tolist()
([1234.5, <NA>, <NA>], [False, True, False])
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b2bkit.schema import KINDS

__all__ = [
    "FALSE_WORDS",
    "INVISIBLE",
    "MAX_SHOWN",
    "STRING",
    "TRUE_WORDS",
    "ids_as_text",
    "number_pattern",
    "parse_column",
    "rule_for",
    "visible",
]

#: The text dtype of ids, names and free text.
STRING = pd.StringDtype("pyarrow")

TRUE_WORDS = ("true", "t", "yes", "y", "1", "1.0")
FALSE_WORDS = ("false", "f", "no", "n", "0", "0.0")

#: Dates outside this range are typos (0202-01-01), not history.
EARLIEST, LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31")
_TZ_SUFFIX = r"(?:Z|[+-]\d\d:?\d\d)$"
#: A full calendar date at the start of an ISO cell: ``2025`` or ``2025-07`` are not dates.
_FULL_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\S.*)?"

#: Characters that cannot be seen in a cell: zero-width space, non-joiner and
#: joiner, word joiner, byte order mark, and every C0/C1 control character.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff" + "".join(map(chr, range(0x20))) + "\x7f" + "".join(
    map(chr, range(0x80, 0xA0)))
_INVISIBLE_CLASS = "[" + "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                                 for c in INVISIBLE) + "]"
#: The same class for RE2 (pyarrow.compute), which has no ``\\u`` escape.
_INVISIBLE_RE2 = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in INVISIBLE) + "]"
#: The longest cell :func:`visible` shows whole.
MAX_SHOWN = 80
#: Python's ``\s`` on ASCII text, spelled for RE2 (whose ``\s`` lacks \x0b and \x1c-\x1f).
_ASCII_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f "


def _text(values: pd.Series) -> pd.Series:
    """Stripped text with blanks as missing."""
    text = values.astype(STRING).str.strip()
    return text.mask(text == "")


def _arrow(text: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow strings behind a pyarrow-backed text column, else None."""
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        return text.array.__arrow_array__()
    return None


def _mask(found: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    """An Arrow boolean result as a mask (missing: False)."""
    return pd.Series(pc.fill_null(found, False).to_numpy(zero_copy_only=False), index=index,
                     dtype=bool)


def _full_match(text: pd.Series, pattern: str) -> pd.Series:
    r"""``text.str.fullmatch(pattern)`` with missing as False.

    On a column of ASCII text the pattern runs in RE2 (pyarrow.compute),
    ``\d`` and ``\S`` spelled as Python reads them on ASCII; other text
    goes through Python's ``re`` as before.

    >>> _full_match(pd.Series(["2025-01-02", "2025-1-2", None], dtype=STRING),
    ...             r"\d{4}-\d{2}-\d{2}").tolist()
    [True, False, False]
    """
    array = _arrow(text)
    if array is not None and pc.all(pc.string_is_ascii(array)).as_py() is not False:
        re2 = pattern.replace(r"\d", "[0-9]").replace(r"\S", f"[^{_ASCII_SPACE}]")
        return _mask(pc.match_substring_regex(array, f"^(?:{re2})$"), text.index)
    return text.str.fullmatch(pattern).fillna(False).astype(bool)


def visible(text: str, *, limit: int = MAX_SHOWN) -> str:
    r"""A cell as a message shows it: invisible characters escaped, long cells cut.

    Each character of :data:`INVISIBLE` becomes its escape (``\u200b``,
    ``\x00``); a text longer than ``limit`` characters is cut to ``limit``
    and followed by ``... (N characters)`` where N is the whole length.

    Examples
    --------
    >>> visible("A1\u200b")
    'A1\\u200b'
    >>> visible("x" * 100, limit=5)
    'xxxxx... (100 characters)'
    """
    shown = text[:limit]
    if any(c in INVISIBLE for c in shown):
        shown = "".join(
            (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") if c in INVISIBLE else c
            for c in shown)
    return shown + (f"... ({len(text)} characters)" if len(text) > limit else "")


def ids_as_text(values: pd.Series) -> pd.Series:
    """Identifiers as text; whole floats lose their ``.0`` (Parquet, nullable SQL keys).

    A numeric column of ids is written as integers when every filled value
    is whole (``7.0`` -> ``"7"``), as the numbers' own text otherwise
    (``7.5`` stays ``"7.5"``: an id is never rounded). Text is stripped and
    blanks become missing.

    Examples
    --------
    >>> ids_as_text(pd.Series([7.0, None, 12.0])).tolist()
    ['7', <NA>, '12']
    >>> ids_as_text(pd.Series([" A1 ", ""])).tolist()
    ['A1', <NA>]
    """
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in (
            "floating", "integer", "mixed-integer-float"):
        values = pd.to_numeric(values)  # numbers from a SQL driver, in an object column
    if pd.api.types.is_float_dtype(values):
        floats = values.astype("Float64")
        finite = floats.dropna()
        whole = bool((finite == finite.round()).all() & (finite.abs() < 2**63).all())
        if whole:
            values = floats.astype("Int64")
    return _text(values)


def _parse_id(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = ids_as_text(values)
    array = _arrow(text)
    if array is not None:
        bad = _mask(pc.match_substring_regex(array, _INVISIBLE_RE2), text.index)
    else:
        bad = text.str.contains(_INVISIBLE_CLASS, regex=True).fillna(False).astype(bool)
    return text.mask(bad), bad


#: The ISO 8601 shapes an Arrow cast reads exactly as pandas does (no offset, no week dates).
_PLAIN_ISO = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
              r"(?:[T ][0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?)?)?")


def _iso_by_arrow(text: pd.Series) -> pd.Series | None:
    """Naive ISO 8601 dates and times cast by Arrow; None when a cell is of another shape
    or is no calendar date (``2025-02-30``): pandas reads the column then, as before.

    >>> _iso_by_arrow(pd.Series(["2025-01-02", "2025-01-02T10:30", None], dtype=STRING)).tolist()
    [Timestamp('2025-01-02 00:00:00'), Timestamp('2025-01-02 10:30:00'), NaT]
    >>> _iso_by_arrow(pd.Series(["2025-02-30"], dtype=STRING)) is None
    True
    """
    array = _arrow(text)
    if array is None:
        return None
    shaped = pc.match_substring_regex(array, f"^{_PLAIN_ISO}$")
    if pc.all(shaped).as_py() is False:
        return None
    try:
        stamps = pc.cast(array, pa.timestamp("ns"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(stamps.to_numpy(), index=text.index, dtype="datetime64[ns]")


def _parse_datetime(values: pd.Series, date_format: str | None) -> tuple[pd.Series, pd.Series]:
    reduced = pd.Series(False, index=values.index)
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        text = _text(values)
        if date_format is None:
            reduced = (text.notna() & ~_full_match(text, _FULL_DATE)).astype(bool)
            text = text.mask(reduced)
        fmt = date_format or "ISO8601"
        parsed = _iso_by_arrow(text) if date_format is None else None
        try:
            if parsed is None:
                parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        except ValueError:  # offsets mixed with naive times
            parsed = None
        if parsed is None or getattr(parsed.dt, "tz", None) is not None:
            # an offset is dropped: a timestamp counts at its own wall-clock time
            parsed = pd.to_datetime(text.str.replace(_TZ_SUFFIX, "", regex=True),
                                    format=fmt, errors="coerce")
        values = text
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    implausible = (parsed < EARLIEST) | (parsed > LATEST)
    parsed = parsed.mask(implausible).astype("datetime64[ns]")
    return parsed, (values.notna() & parsed.isna()) | reduced


def number_pattern(decimal: str) -> str:
    r"""The regular expression a number cell must match in full.

    The thousands mark is the other of ``.`` and ``,``, or a space, a
    no-break space (U+00A0) or a narrow no-break space (U+202F); it may
    stand only between digit groups where the first group has one to three
    digits (not starting with 0) and every later group exactly three:
    ``1.234.567,89`` with ``decimal=","``, ``1,234.50`` with ``decimal="."``.
    One number uses one thousands mark.

    Examples
    --------
    >>> import re
    >>> [bool(re.fullmatch(number_pattern(","), t)) for t in ["1.234,5", "12.5", "0.001"]]
    [True, False, False]
    >>> [bool(re.fullmatch(number_pattern("."), t)) for t in ["1,234.50", "1,23", "12,5"]]
    [True, False, False]
    """
    thousands = ["," if decimal == "." else ".", " ", "\u00a0", "\u202f"]
    grouped = "|".join(rf"[1-9]\d{{0,2}}(?:{re.escape(t)}\d{{3}})+" for t in thousands)
    mark = re.escape(decimal)
    return rf"[+-]?(?:(?:\d+|{grouped})(?:{mark}\d*)?|{mark}\d+)(?:[eE][+-]?\d+)?"


def _parse_number(values: pd.Series, decimal: str) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("Float64")
        filled = values.notna()
    else:
        text = _text(values)
        filled = text.notna()
        shaped = _full_match(text, number_pattern(decimal))
        thousands = "," if decimal == "." else "."
        text = text.where(shaped).str.replace(
            f"[{re.escape(thousands)} \u00a0\u202f]", "", regex=True)
        if decimal != ".":
            text = text.str.replace(decimal, ".", regex=False)
        numbers = _to_float(text)
    finite = pd.Series(np.isfinite(numbers.to_numpy(dtype=float, na_value=np.nan)),
                       index=numbers.index)
    numbers = numbers.where(finite)
    return numbers, filled & numbers.isna()


def _to_float(text: pd.Series) -> pd.Series:
    """Numbers of the shape :func:`number_pattern` checked, with ``.`` as decimal mark.

    An Arrow cast where it reads every cell (it gives the same doubles as
    :func:`pandas.to_numeric`, both correctly rounded), else pandas.

    >>> _to_float(pd.Series(["+1", ".5", "1e3", None], dtype=STRING)).tolist()
    [1.0, 0.5, 1000.0, <NA>]
    """
    array = _arrow(text)
    if array is not None:
        try:
            doubles = pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            pass
        else:
            return pd.Series(doubles, index=text.index).astype("Float64")
    return pd.to_numeric(text, errors="coerce").astype("Float64")


def _parse_boolean(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean"), pd.Series(False, index=values.index)
    text = _text(values).str.lower()
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[text.isin(TRUE_WORDS).fillna(False).astype(bool)] = True
    parsed[text.isin(FALSE_WORDS).fillna(False).astype(bool)] = False
    return parsed, text.notna() & parsed.isna()


_RULES = {
    "datetime": "not a date: a full date is needed, e.g. 2025-07-31 or 2025-07-31T14:05:00 "
                "(or set date_format in the column map)",
    "number": "not a finite number",
    "integer": "not a whole number",
    "boolean": f"not a boolean (write one of {', '.join(TRUE_WORDS + FALSE_WORDS)})",
    "id": "contains an invisible character (zero-width, NUL or another control character; "
          "shown escaped, e.g. \\u200b)",
}


def parse_column(
    values: pd.Series, kind: str, *, decimal: str = ".", date_format: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse one column into the dtype of ``kind``.

    Parameters
    ----------
    values : pandas.Series
        Text cells (blanks as missing), or values already typed.
    kind : str
        A kind of :data:`b2bkit.schema.KINDS`.
    decimal : str
        The decimal mark of numbers. The other of ``.`` and ``,``, a space,
        U+00A0 or U+202F is read as a thousands mark only before groups of
        exactly three digits (:func:`number_pattern`): ``12.5`` with
        ``decimal=","`` is reported, not read as 125.
    date_format : str, optional
        A ``strftime`` format; default ISO 8601.

    Returns
    -------
    (pandas.Series, pandas.Series)
        The typed column and a boolean mask of cells that were filled but
        could not be parsed (those are missing in the typed column).
    """
    if kind == "datetime":
        return _parse_datetime(values, date_format)
    if kind in ("number", "integer"):
        numbers, bad = _parse_number(values, decimal)
        if kind == "number":
            return numbers, bad
        fractional = numbers.notna() & (numbers != numbers.round())
        return numbers.mask(fractional).astype("Int64"), bad | fractional.fillna(False)
    if kind == "boolean":
        return _parse_boolean(values)
    if kind == "id":
        return _parse_id(values)
    no_failures = pd.Series(False, index=values.index)
    if kind == "category":
        return _text(values).astype("category"), no_failures
    return _text(values), no_failures


def rule_for(kind: str, date_format: str | None = None) -> str:
    """The words that describe a parse failure of ``kind``.

    With a declared ``date_format``, a date that fails is named against it.

    >>> rule_for("datetime", "%d.%m.%Y")
    'not a date in the declared date_format %d.%m.%Y (e.g. 31.07.2025), or not a real day'
    """
    if kind == "datetime" and date_format:
        import datetime as dt

        example = dt.date(2025, 7, 31).strftime(date_format)
        return (f"not a date in the declared date_format {date_format} (e.g. {example}), "
                "or not a real day")
    return _RULES.get(kind, f"not a {KINDS[kind]}")
