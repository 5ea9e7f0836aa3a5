"""The header line of every report: the period, and whether it is complete as of as_of.

A period that ends after as_of is incomplete (CONTRACT section 2): its
numbers cover the days up to as_of, and every output says so.

>>> header_line("Demo", "2025-Q3", "2025-11-14")
'Demo: 2025-Q3 (2025-07-01 to 2025-09-30), data as of 2025-11-14.'

The incomplete note itself is :func:`b2bkit.core.periods.incomplete_note`.
"""

from __future__ import annotations

from b2bkit.core.asof import parse_as_of
from b2bkit.core.periods import Period, incomplete_note

__all__ = ["header_line"]


def header_line(name: str, period: Period | str, as_of: object, *, compare_to: object = None
                ) -> str:
    """The first line of a report: dataset, period and its dates, comparison, as_of, and
    the incomplete note when there is one.

    >>> header_line("Demo", "2025-Q4", "2025-11-14", compare_to="2025-Q3")
    'Demo: 2025-Q4 (2025-10-01 to 2025-12-31), compared with 2025-Q3, data as of 2025-11-14. 2025-Q4 is incomplete: 45 of 92 days observed.'
    """  # noqa: E501
    period = Period.parse(period)
    moment = parse_as_of(as_of)
    text = f"{name}: {period} ({period.start:%Y-%m-%d} to {period.end:%Y-%m-%d})"
    if compare_to is not None and str(compare_to):
        text += f", compared with {compare_to}"
    text += f", data as of {moment:%Y-%m-%d}."
    note = incomplete_note(period, moment)
    return f"{text} {note}." if note else text
