"""Parsing text cells into typed columns, reporting every cell that fails.

Each column kind of :mod:`b2bkit.core.schema` has a parser that takes a column of
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

from b2bkit.core.i18n import N_
from b2bkit.core.schema import KINDS

__all__ = [
    "FALSE_WORDS",
    "INVISIBLE",
    "MAX_SHOWN",
    "STRING",
    "TRUE_WORDS",
    "disproving_cells",
    "ids_as_text",
    "number_pattern",
    "parse_column",
    "rule_for",
    "string_buffers",
    "visible",
]

#: The text dtype of ids, names and free text.
STRING = pd.StringDtype("pyarrow")

TRUE_WORDS = ("true", "t", "yes", "y", "1", "1.0", "да")
FALSE_WORDS = ("false", "f", "no", "n", "0", "0.0", "нет")

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
    """Stripped text with blanks as missing.

    On Arrow strings the first and last byte of every cell are looked at
    first (:func:`_edge_bytes`): a column where no cell can start or end in
    whitespace, and none is empty, is returned as it is (no copy).

    >>> _text(pd.Series([" a ", "b", "  ", None])).tolist()
    ['a', 'b', <NA>, <NA>]
    """
    text = values.astype(STRING)
    array = _arrow(text)
    if array is not None and not _edge_bytes(array, *_PRINTABLE):
        if not pc.any(pc.equal(pc.binary_length(array), 0)).as_py():
            return text
        return text.mask((text == "").fillna(False).astype(bool))
    text = text.str.strip()
    return text.mask(text == "")


def _arrow(text: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow strings behind a pyarrow-backed text column, else None."""
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        return text.array.__arrow_array__()
    return None


def _byte_table(allowed: bytes | None = None, *, ranges: tuple[tuple[int, int], ...] = ()
                ) -> np.ndarray:
    """A 256-entry lookup: True for the bytes in ``allowed`` or in the inclusive ``ranges``."""
    table = np.zeros(256, dtype=bool)
    if allowed:
        table[list(allowed)] = True
    for low, high in ranges:
        table[low:high + 1] = True
    return table


#: The bytes of printable ASCII but the space: a cell whose first and last
#: bytes are among them has no whitespace to strip (a character beyond ASCII,
#: U+00A0 or U+2003 among them, is encoded with bytes above).
_PRINTABLE = (0x21, 0x7E)
#: Bytes of an invisible character (:data:`INVISIBLE`): C0 controls, DEL and
#: every byte beyond ASCII (C1 controls, U+200B ... are encoded with those).
_INVISIBLE_BYTES = _byte_table(ranges=((0x00, 0x1F), (0x7F, 0xFF)))
#: Bytes of a plain number with ``.`` as decimal mark (digits, signs, exponent).
_PLAIN_NUMBER_BYTES = _byte_table(b"0123456789+-.eE")


def string_buffers(array: pa.ChunkedArray) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Per chunk, the offsets of its cells and its bytes (as numpy, no copy); None for a
    type other than (large) string."""
    parts = []
    for chunk in array.chunks:
        if chunk.type == pa.large_string():
            width = np.int64
        elif chunk.type == pa.string():
            width = np.int32
        else:
            return None
        _, offsets, data = chunk.buffers()
        offsets = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        parts.append((offsets, np.frombuffer(data, dtype=np.uint8) if data is not None
                      else np.zeros(0, dtype=np.uint8)))
    return parts


def _edge_bytes(array: pa.ChunkedArray, low: int, high: int) -> bool:
    """Whether the first or last byte of some cell is outside ``low..high`` (True when unsure).

    An empty cell reads a neighbour's byte: at worst a needless strip.

    >>> _edge_bytes(pa.chunked_array([["a b", None, "c"]]), *_PRINTABLE)
    False
    >>> _edge_bytes(pa.chunked_array([["a ", "c"]]), *_PRINTABLE)
    True
    """
    parts = string_buffers(array)
    if parts is None:
        return True
    for offsets, data in parts:
        if len(offsets) < 2 or not len(data):
            continue
        for edge in (data.take(offsets[:-1], mode="clip"), data.take(offsets[1:] - 1, mode="clip")):
            if int(edge.min()) < low or int(edge.max()) > high:
                return True
    return False


def _any_byte(array: pa.ChunkedArray, table: np.ndarray) -> bool:
    """Whether some byte of the cells is one of ``table`` (True when unsure).

    >>> _any_byte(pa.chunked_array([["A1", "B2"]]), _INVISIBLE_BYTES)
    False
    >>> _any_byte(pa.chunked_array([["A1\u200b"]]), _INVISIBLE_BYTES)
    True
    """
    parts = string_buffers(array)
    if parts is None:
        return True
    for offsets, data in parts:
        cells = data[offsets[0]:offsets[-1]]
        if not len(cells):
            continue
        low, high = int(cells.min()), int(cells.max())  # two fast passes decide most columns
        if table[low:high + 1].any() and table[cells].any():
            return True
    return False


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
    if array is not None and not _any_byte(array, _INVISIBLE_BYTES):
        return text, pd.Series(False, index=text.index)
    if array is not None:
        bad = _mask(pc.match_substring_regex(array, _INVISIBLE_RE2), text.index)
    else:
        bad = text.str.contains(_INVISIBLE_CLASS, regex=True).fillna(False).astype(bool)
    return (text.mask(bad) if bad.any() else text), bad


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
    if pc.all(pc.match_substring_regex(array, f"^{_PLAIN_ISO}$")).as_py() is False:
        return None
    return _cast_iso(text)


def _cast_iso(text: pd.Series) -> pd.Series | None:
    """Every cell cast by Arrow at once; None when a cell does not cast.

    Arrow casts only the shapes of ``_PLAIN_ISO`` that are real times
    (``2025-07-01``, ``2025-07-01T10:30:00.5``), never ``2025``, ``2025-07``,
    an offset or a space around, so a column that casts whole needs neither
    the shape checks nor pandas.

    >>> _cast_iso(pd.Series(["2025-01-02", None], dtype=STRING)).tolist()
    [Timestamp('2025-01-02 00:00:00'), NaT]
    >>> _cast_iso(pd.Series(["2025-01"], dtype=STRING)) is None
    True
    """
    array = _arrow(text)
    if array is None:
        return None
    try:
        stamps = pc.cast(array, pa.timestamp("ns"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(stamps.to_numpy(), index=text.index, dtype="datetime64[ns]")


#: Declared formats Arrow parses as pandas does: numeric fields and plain characters.
_ARROW_FORMAT = re.compile(r"(?:%[YmdHMS]|[^%])*")


def _strptime_by_arrow(text: pd.Series, date_format: str) -> pd.Series | None:
    """Dates in a declared format by Arrow; None unless every filled cell is written exactly
    as Arrow writes its date back (zero-padded, a real day), where pandas reads the same.

    Arrow reads ``30.02.2025`` as 2 March and ``1.2.2025`` as 1 February:
    such a column goes to pandas whole, as before.

    >>> _strptime_by_arrow(pd.Series(["31.07.2025", None], dtype=STRING), "%d.%m.%Y").tolist()
    [Timestamp('2025-07-31 00:00:00'), NaT]
    >>> _strptime_by_arrow(pd.Series(["30.02.2025"], dtype=STRING), "%d.%m.%Y") is None
    True
    """
    array = _arrow(text)
    if array is None or not _ARROW_FORMAT.fullmatch(date_format):
        return None
    try:
        stamps = pc.strptime(array, format=date_format, unit="ns", error_is_null=True)
        back = pc.strftime(stamps, format=date_format)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    same = pc.or_kleene(pc.is_null(array), pc.equal(back, array))
    if pc.all(pc.fill_null(same, False)).as_py() is not True:
        return None
    return pd.Series(stamps.to_numpy(), index=text.index, dtype="datetime64[ns]")


def _text_dates(text: pd.Series, date_format: str | None
                ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates of stripped text by the shape checks and pandas: the dates, the cells that
    are no full date (ISO only) and the text with those cells blanked."""
    reduced = pd.Series(False, index=text.index)
    if date_format is None:
        reduced = (text.notna() & ~_full_match(text, _FULL_DATE)).astype(bool)
        text = text.mask(reduced)
    fmt = date_format or "ISO8601"
    parsed = _iso_by_arrow(text) if date_format is None else _strptime_by_arrow(text, fmt)
    try:
        if parsed is None:
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    except ValueError:  # offsets mixed with naive times
        parsed = None
    if parsed is None or getattr(parsed.dt, "tz", None) is not None:
        # an offset is dropped: a timestamp counts at its own wall-clock time
        parsed = pd.to_datetime(text.str.replace(_TZ_SUFFIX, "", regex=True),
                                format=fmt, errors="coerce")
    return parsed, reduced, text


def _parse_datetime(values: pd.Series, date_format: str | None) -> tuple[pd.Series, pd.Series]:
    reduced = pd.Series(False, index=values.index)
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        text = _text(values)
        parsed = _cast_iso(text) if date_format is None else None
        if parsed is None:
            parsed, reduced, text = _text_dates(text, date_format)
        values = text
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    implausible = ((parsed < EARLIEST) | (parsed > LATEST)).to_numpy(dtype=bool)
    if implausible.any():
        parsed = parsed.mask(implausible)
    parsed = parsed.astype("datetime64[ns]")
    return parsed, (values.notna() & parsed.isna()) | reduced


def disproving_cells(values: pd.Series, bad: pd.Series, date_format: str | None) -> pd.Series:
    """The cells not read under ``date_format`` that read with its day and month swapped.

    One such cell (25/07/2025 under ``%m/%d/%Y``) proves the declared format
    wrong for the whole column: the cells it did read (03/07/2025) would be
    the wrong day, so lenient mode must not keep them (issue 28). All False
    when the format has no ``%d`` and ``%m`` to swap.

    >>> cells = pd.Series(["03/07/2025", "25/07/2025", "n/a"], dtype=STRING)
    >>> disproving_cells(cells, pd.Series([False, True, True]), "%m/%d/%Y").tolist()
    [False, True, False]
    """
    none = pd.Series(False, index=values.index)
    if not date_format or "%d" not in date_format or "%m" not in date_format or not bad.any():
        return none
    swapped = date_format.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
    text = _text(values)[bad.to_numpy(dtype=bool)]
    read = pd.to_datetime(text, format=swapped, errors="coerce").notna()
    return none | read.reindex(values.index, fill_value=False).astype(bool)


#: The words of a real date outside :data:`EARLIEST`..:data:`LATEST`.
RANGE = N_("a date outside {earliest}..{latest}, the dates b2bkit reads (a typo such as 0202 "
           "for 2020, or a placeholder such as 0001-01-01)")
RANGE_RULE = RANGE.format(earliest=f"{EARLIEST:%Y-%m-%d}", latest=f"{LATEST:%Y-%m-%d}")


def dates_outside_range(values: pd.Series, date_format: str | None = None) -> pd.Series:
    """The cells that are real dates, in the declared format or ISO 8601, but outside
    :data:`EARLIEST`..:data:`LATEST` (:data:`RANGE_RULE`, not "not a date"), as dates
    (microseconds reach year 1); NaT for every other cell.

    Meant for the few cells :func:`parse_column` could not read.

    >>> dates_outside_range(pd.Series(["0001-01-01", "0202-01-05", "2025-13-01", "2025-07",
    ...                                None], dtype=STRING)).notna().tolist()
    [True, True, False, False, False]
    >>> dates_outside_range(pd.Series(["01.01.0001"], dtype=STRING), "%d.%m.%Y").tolist()
    [Timestamp('0001-01-01 00:00:00')]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        text = _text(values)
        if date_format is None:
            text = text.where(_full_match(text, _FULL_DATE).fillna(False).astype(bool))
        try:
            parsed = pd.to_datetime(text.str.replace(_TZ_SUFFIX, "", regex=True),
                                    format=date_format or "ISO8601", errors="coerce")
        except (ValueError, OverflowError):  # shapes pandas refuses whole: not dates
            return pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.where((parsed < EARLIEST) | (parsed > LATEST)).astype("datetime64[us]")


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
        numbers = _plain_numbers(text) if decimal == "." else None
        if numbers is None:
            shaped = _full_match(text, number_pattern(decimal))
            thousands = "," if decimal == "." else "."
            text = text.where(shaped).str.replace(
                f"[{re.escape(thousands)} \u00a0\u202f]", "", regex=True)
            if decimal != ".":
                text = text.str.replace(decimal, ".", regex=False)
            numbers = _to_float(text)
    infinite = ~(np.isfinite(numbers.to_numpy(dtype=float, na_value=np.nan))
                 | numbers.isna().to_numpy(dtype=bool))
    if infinite.any():
        numbers = numbers.mask(infinite)
    return numbers, filled & numbers.isna()


def _plain_numbers(text: pd.Series) -> pd.Series | None:
    """Numbers with ``.`` as decimal mark cast by Arrow at once; None when unsure.

    Taken only when every byte is a digit, a sign, ``.``, ``e`` or ``E`` and
    every cell casts: of such text, Arrow reads exactly the cells
    :func:`number_pattern` accepts (``+1``, ``1.``, ``.5``, ``1.e5``; not
    ``1e``, ``.e5`` or ``1..5``, which fail the cast and the column goes
    the long way).

    >>> _plain_numbers(pd.Series(["+1", ".5", "1e3", None], dtype=STRING)).tolist()
    [1.0, 0.5, 1000.0, <NA>]
    >>> _plain_numbers(pd.Series(["1,5"], dtype=STRING)) is None
    True
    """
    array = _arrow(text)
    if array is None or _any_byte(array, ~_PLAIN_NUMBER_BYTES):
        return None
    try:
        doubles = pc.cast(array, pa.float64())
    except pa.ArrowInvalid:
        return None
    return pd.Series(pd.arrays.FloatingArray(
        pc.fill_null(doubles, 0.0).to_numpy(zero_copy_only=False),
        pc.is_null(doubles).to_numpy(zero_copy_only=False)), index=text.index)


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
    text = _text(values)
    array = _arrow(text)
    if array is not None:  # the position of each cell among the words, -1: none
        found = pc.index_in(pc.utf8_lower(array), value_set=pa.array(TRUE_WORDS + FALSE_WORDS))
        position = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
        parsed = pd.Series(pd.arrays.BooleanArray(position < len(TRUE_WORDS), position < 0),
                           index=values.index)
        return parsed, pd.Series((position < 0) & text.notna().to_numpy(dtype=bool),
                                 index=values.index)
    text = text.str.lower()
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[text.isin(TRUE_WORDS).fillna(False).astype(bool)] = True
    parsed[text.isin(FALSE_WORDS).fillna(False).astype(bool)] = False
    return parsed, text.notna() & parsed.isna()


#: The words of a cell that does not parse, by kind (:func:`rule_for`).
NOT_A_DATE = N_("not a date: a full date is needed, e.g. 2025-07-31 or 2025-07-31T14:05:00 "
                "(or set date_format in the column map)")
NOT_A_NUMBER = N_("not a finite number")
NOT_WHOLE = N_("not a whole number")
#: ``words`` are the words a boolean cell may hold, joined by ", ".
NOT_A_BOOLEAN = N_("not a boolean (write one of {words})")
INVISIBLE_RULE = N_("contains an invisible character (zero-width, NUL or another control "
                    "character; shown escaped, e.g. \\u200b)")
NOT_IN_FORMAT = N_("not a date in the declared date_format {date_format} (e.g. {example}), or "
                   "not a real day")
#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (RANGE, NOT_A_DATE, NOT_A_NUMBER, NOT_WHOLE, NOT_A_BOOLEAN, INVISIBLE_RULE, NOT_IN_FORMAT)

_RULES = {
    "datetime": NOT_A_DATE,
    "number": NOT_A_NUMBER,
    "integer": NOT_WHOLE,
    "boolean": NOT_A_BOOLEAN.format(words=", ".join(TRUE_WORDS + FALSE_WORDS)),
    "id": INVISIBLE_RULE,
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
        A kind of :data:`b2bkit.core.schema.KINDS`.
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
    if kind == "integer" and values.dtype.kind == "i":  # int64, Int64: no float round trip
        return values.astype("Int64"), pd.Series(False, index=values.index)
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
        return NOT_IN_FORMAT.format(date_format=date_format, example=example)
    return _RULES.get(kind, f"not a {KINDS[kind]}")


#: Currency signs an accounting amount may carry (``$22,700.00``, ``€1.234,50``).
CURRENCY_SIGNS = "$€£¥₽₹₩₺₴₸₦₱"
_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9}
_ACCOUNTING = re.compile(
    r"^(?P<open>\()?\s*(?P<lead>-)?\s*(?P<code1>[A-Z]{3})?\s*(?P<sign>[" + CURRENCY_SIGNS
    + r"])?\s*(?P<lead2>-)?\s*(?P<number>[0-9][0-9.,\s\u00a0\u202f]*|[.,][0-9]+)\s*"
    r"(?P<suffix>[KkMmBb])?\s*(?P<code2>[A-Z]{3})?\s*(?P<trail>-)?\s*(?P<close>\))?$")


def accounting_numbers(values: pd.Series, decimal: str = "."
                       ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Amounts written for people: currency signs or codes, thousands marks, K/M/B,
    parentheses or a trailing minus for negatives (``number_format = "accounting"``).

    Returns the numbers, the mask of filled cells that are no such amount, and the
    currency code a cell names (``<NA>`` when none: a sign such as ``$`` names no
    single currency).

    >>> n, bad, code = accounting_numbers(pd.Series(["$22,700.00", "$115.00K", "(1,234)",
    ...                                              "12.5-", "EUR 3", "x", None]))
    >>> n.tolist()
    [22700.0, 115000.0, -1234.0, -12.5, 3.0, <NA>, <NA>]
    >>> bad.tolist(), code.tolist()[4]
    ([False, False, False, False, False, True, False], 'EUR')
    """
    text = _text(values)
    parts = text.str.extract(_ACCOUNTING)
    opened, closed = parts["open"].notna(), parts["close"].notna()
    shaped = text.notna() & (opened == closed) & parts["number"].notna()
    both_codes = parts["code1"].notna() & parts["code2"].notna()
    shaped &= ~both_codes
    minus = (parts["lead"].notna().astype(int) + parts["lead2"].notna().astype(int)
             + parts["trail"].notna().astype(int) + opened.astype(int))
    shaped &= minus <= 1
    numbers = _parse_number(parts["number"].where(shaped).str.strip(), decimal)[0]
    factor = parts["suffix"].str.upper().map(_SUFFIX).astype("Float64").fillna(1.0)
    sign = pd.Series(np.where(minus.to_numpy() > 0, -1.0, 1.0), index=text.index)
    numbers = (numbers * factor * sign).astype("Float64")
    failed = (text.notna() & numbers.isna()).astype(bool)
    code = parts["code1"].fillna(parts["code2"]).astype("string").where(~failed)
    return numbers.mask(failed), failed, code


#: A cell that would be an accounting amount: worth naming the setting in the message.
def looks_accounting(values: pd.Series) -> pd.Series:
    """Cells that only ``number_format = "accounting"`` reads.

    >>> looks_accounting(pd.Series(["$5", "(12)", "1.5K", "abc", "7"])).tolist()
    [True, True, True, False, False]
    """
    text = _text(values)
    found = text.str.contains(r"[" + CURRENCY_SIGNS + r"()]|\d\s*[KkMmBb]$|[A-Z]{3}\s*\d"
                              r"|\d\s*[A-Z]{3}$|\d-$", regex=True)
    return found.fillna(False).astype(bool)


def dates_in_formats(values: pd.Series, formats: tuple[str, ...]
                     ) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Dates read with the first of ``formats`` that reads each cell (``"ISO"``: ISO 8601),
    and the cells that are *ambiguous* (CONTRACT section 1, "Dates in several formats").

    A cell is ambiguous when two formats read it as different days while other
    cells read under only the first of them and others only under the second
    (``03/04/2026`` beside ``25/04/2026`` and ``04/25/2026``).

    Returns the dates, the mask of filled cells no format reads, the mask of
    ambiguous cells and, for those, both readings.

    >>> d, bad, amb, both = dates_in_formats(pd.Series(["25/04/2026", "04/25/2026",
    ...                                                 "03/04/2026"]), ("%d/%m/%Y", "%m/%d/%Y"))
    >>> d.dt.strftime("%Y-%m-%d").tolist()[:2], amb.tolist()
    (['2026-04-25', '2026-04-25'], [False, False, True])
    >>> both[2]
    "'03/04/2026' reads as 2026-04-03 (%d/%m/%Y) and as 2026-03-04 (%m/%d/%Y)"
    """
    readings = [_parse_datetime(values, None if f == "ISO" else f)[0] for f in formats]
    result = readings[0]
    for reading in readings[1:]:
        result = result.fillna(reading)
    filled = _text(values).notna()
    bad = (filled & result.isna()).astype(bool)
    ambiguous = pd.Series(False, index=values.index)
    detail = pd.Series(pd.NA, index=values.index, dtype="string")
    text = values.astype("string")
    for i, a in enumerate(readings):
        for j in range(i + 1, len(readings)):
            b = readings[j]
            only_a, only_b = (a.notna() & b.isna()).any(), (b.notna() & a.isna()).any()
            differ = (a.notna() & b.notna() & (a != b)).fillna(False).astype(bool)
            if only_a and only_b and differ.any():
                new = differ & ~ambiguous
                detail = detail.mask(new, "'" + text + "' reads as " + a.dt.strftime("%Y-%m-%d")
                                     + f" ({formats[i]}) and as " + b.dt.strftime("%Y-%m-%d")
                                     + f" ({formats[j]})")
                ambiguous |= differ
    return result.mask(ambiguous), bad, ambiguous, detail
