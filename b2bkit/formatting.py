"""Numbers as a reader expects them: money with its currency, rates as percents.

Used by ``b2bkit kpis --format table`` and by the report notebooks, so a
figure reads the same everywhere.

>>> format_value(1234.5, "currency", "EUR")
'1,234.50 EUR'
>>> format_value(0.25, "rate"), format_value(-12.0, "score"), format_value(1200, "count")
('25.0%', '-12.0', '1,200')
>>> format_value(float("nan"), "rate")
'n/a'
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["FORMULA_STARTS", "MISSING_TEXT", "format_value", "safe_for_spreadsheets"]

MISSING_TEXT = "n/a"


def format_value(value: float | None, unit: str, currency: str = "") -> str:
    """The text of a metric value of ``unit`` (see ``b2bkit.metrics.MetricInfo``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT
    suffix = f" {currency}" if currency else ""
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "currency":
        return f"{value:,.2f}{suffix}"
    if unit == "currency_per_day":
        return f"{value:,.2f}{suffix}/day"
    if unit == "rate":
        return f"{100 * value:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "days":
        return f"{value:,.1f} days"
    if unit == "months":
        return f"{value:,.1f} months"
    if unit == "score":
        return f"{value:.1f}"
    raise ValueError(f"unknown unit {unit!r}")


#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (CSV injection).

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a leading ``'``; numbers are untouched.

    >>> safe_for_spreadsheets(pd.DataFrame({"name": ["=1+1", "ok"], "x": [-1, 2]}))
       name  x
    0  '=1+1 -1
    1    ok  2
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("string")
        risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
        if risky.any():
            out[column] = text.where(~risky, "'" + text)
    return out
