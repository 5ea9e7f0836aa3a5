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

__all__ = ["MISSING_TEXT", "format_value"]

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
