"""Parsing text cells into typed columns, reporting every cell that fails.

Each column kind of :mod:`b2bkit.schema` has a parser that takes a column of
text (or of already typed values from Parquet or SQL) and returns the typed
column plus a mask of the cells that were filled but could not be parsed.
Nothing is guessed: a cell is either parsed exactly or reported.

Examples
--------
>>> import pandas as pd
>>> values, bad = parse_column(pd.Series(["1 234,50", "x", None]), "number", decimal=",")
>>> values.tolist(), bad.tolist()
([1234.5, <NA>, <NA>], [False, True, False])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.schema import KINDS

__all__ = ["FALSE_WORDS", "STRING", "TRUE_WORDS", "parse_column", "rule_for"]

#: The text dtype of ids, names and free text.
STRING = pd.StringDtype("pyarrow")

TRUE_WORDS = ("true", "t", "yes", "y", "1", "1.0")
FALSE_WORDS = ("false", "f", "no", "n", "0", "0.0")

#: Dates outside this range are typos (0202-01-01), not history.
EARLIEST, LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31")
_TZ_SUFFIX = r"(?:Z|[+-]\d\d:?\d\d)$"


def _text(values: pd.Series) -> pd.Series:
    """Stripped text with blanks as missing."""
    text = values.astype(STRING).str.strip()
    return text.mask(text == "")


def _parse_datetime(values: pd.Series, date_format: str | None) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        text = _text(values)
        fmt = date_format or "ISO8601"
        try:
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
    return parsed, values.notna() & parsed.isna()


def _parse_number(values: pd.Series, decimal: str) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("Float64")
        filled = values.notna()
    else:
        text = _text(values)
        filled = text.notna()
        if decimal != ".":
            text = text.str.replace(r"[\s\u00a0\u202f.]", "", regex=True).str.replace(
                decimal, ".", regex=False
            )
        numbers = pd.to_numeric(text, errors="coerce").astype("Float64")
    finite = pd.Series(np.isfinite(numbers.to_numpy(dtype=float, na_value=np.nan)),
                       index=numbers.index)
    numbers = numbers.where(finite)
    return numbers, filled & numbers.isna()


def _parse_boolean(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean"), pd.Series(False, index=values.index)
    text = _text(values).str.lower()
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[text.isin(TRUE_WORDS).fillna(False).astype(bool)] = True
    parsed[text.isin(FALSE_WORDS).fillna(False).astype(bool)] = False
    return parsed, text.notna() & parsed.isna()


_RULES = {
    "datetime": "not a date (write ISO 8601, e.g. 2025-07-31, "
                "or set date_format in the column map)",
    "number": "not a finite number",
    "integer": "not a whole number",
    "boolean": f"not a boolean (write one of {', '.join(TRUE_WORDS + FALSE_WORDS)})",
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
        The decimal mark of numbers; with ``","`` dots and spaces are read
        as thousands separators.
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
    no_failures = pd.Series(False, index=values.index)
    if kind == "category":
        return _text(values).astype("category"), no_failures
    return _text(values), no_failures


def rule_for(kind: str) -> str:
    """The words that describe a parse failure of ``kind``."""
    return _RULES.get(kind, f"not a {KINDS[kind]}")
