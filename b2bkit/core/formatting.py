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

from b2bkit.core.i18n import _, day_count, money, number, percent, pgettext, plain, points

__all__ = ["FORMULA_STARTS", "format_change", "format_value",
           "safe_for_spreadsheets"]



def format_value(value: float | None, unit: str, currency: str = "") -> str:
    """The text of a metric value of ``unit`` (see ``b2bkit.metrics.MetricInfo``), in the
    language of the report (:mod:`b2bkit.core.i18n`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    if unit == "count":
        return number(value)
    if unit == "currency":
        return money(value, currency)
    if unit == "currency_per_day":
        return _("{amount}/day").format(amount=money(value, currency))
    if unit == "rate":
        return percent(value)
    if unit == "ratio":
        return plain(value, 2)
    if unit == "days":
        return day_count(value)
    if unit == "months":
        return pgettext("fraction", "{n} months").format(n=number(value, 1))
    if unit == "score":
        return plain(value, 1)
    raise ValueError(f"unknown unit {unit!r}")


def format_change(value: float | None, unit: str, currency: str = "") -> str:
    """The text of a change of a metric of ``unit``, signed; rates in percentage points.

    A change of a rate is a difference of two percentages, so it is shown in
    percentage points (``pp``: 45.0% to 48.5% is +3.5 pp), never as ``%``,
    which would read as a relative change. Other units keep their own form,
    with a sign.

    >>> format_change(0.035, "rate"), format_change(-0.1234, "rate")
    ('+3.5 pp', '-12.3 pp')
    >>> format_change(-1500, "currency", "USD"), format_change(12, "count")
    ('-1,500.00 USD', '+12')
    >>> format_change(0.0, "rate"), format_change(float("nan"), "rate")
    ('±0.0 pp', 'n/a')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    if unit == "rate":
        return points(value)
    text = format_value(abs(float(value)), unit, currency)
    sign = "-" if value < 0 else ("+" if value > 0 else "±")
    return sign + text


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
