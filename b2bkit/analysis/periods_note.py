"""The header line of every report: the period, and whether it is complete as of as_of.

A period that ends after as_of is incomplete (CONTRACT section 2): its
numbers cover the days up to as_of, and every output says so.

>>> header_line("Demo", "2025-Q3", "2025-11-14")
'Demo: 2025-Q3 (2025-07-01 to 2025-09-30), data as of 2025-11-14.'
>>> header_line("", "2025-Q3", "2025-11-14")
'2025-Q3 (2025-07-01 to 2025-09-30), data as of 2025-11-14.'

The incomplete note is :func:`b2bkit.core.periods.incomplete_note`, in the
report's language.
"""

from __future__ import annotations

from b2bkit.core.asof import parse_as_of
from b2bkit.core.i18n import _, current, date_text, period_text
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
    values = {"name": name, "period": period_text(period), "start": date_text(period.start),
              "end": date_text(period.end), "as_of": date_text(moment)}
    # a week or a range said as its days (Russian) needs no second span of the same days
    spanned = current().english or period.kind not in ("week", "range")
    if compare_to is not None and str(compare_to):
        try:
            before = period_text(Period.parse(compare_to))
        except (ValueError, TypeError):
            before = str(compare_to)
        text = (_("{period} ({start} to {end}), compared with {before}, data as of {as_of}.")
                if spanned else
                _("{period}, compared with {before}, data as of {as_of}.")
                ).format(before=before, **values)
    else:
        text = (_("{period} ({start} to {end}), data as of {as_of}.") if spanned else
                _("{period}, data as of {as_of}.")).format(**values)
    if name:  # a dataset without a name starts with its period
        text = f"{name}: {text}"
    note = incomplete_note(period, moment)
    return f"{text} {note}." if note else text
