"""The labels a report table shows: column headers and canonical row labels, by language.

Tables keep their English column names while they are computed (the units
of ``attrs["units"]`` are keyed by them); :func:`b2bkit.reports.notebook.readable`
and :func:`~b2bkit.reports.notebook.formatted` rename them last, through
:func:`header`, which looks the English header up in the catalogue under the
``column`` context. Row labels that are no data (the lines of a table of
figures, "80% interval, low") go through :func:`row` under the ``row``
context; every other row label (a channel, a rep, a stage as the data spells
it) is data and stays as it is. In English both return their text unchanged.

>>> from b2bkit.core.i18n import use
>>> with use("ru"):
...     header("campaign id"), header("ROI at 92 days (95% interval)"), row("paid_search")
('ID кампании', 'ROI через 92 дня (95% доверительный интервал)', 'paid_search')
>>> header("campaign id"), header("verdict in 2025-Q2")
('campaign id', 'verdict in 2025-Q2')
"""

from __future__ import annotations

import re

from b2bkit.core.errors import B2bkitError
from b2bkit.core.i18n import NC_, current, ngettext, period_text, pgettext
from b2bkit.core.periods import Period

__all__ = ["COLUMNS", "ROWS", "header", "row"]

#: Every column header (as :func:`b2bkit.metrics.glossary.label` writes it) that a report
#: shows and that is not a metric's label (those are translated by the glossary).
COLUMNS = (
    NC_("column", "80% interval, high"), NC_("column", "80% interval, low"),
    NC_("column", "ROI change since the comparison period"),
    NC_("column", "accounts"), NC_("column", "actual"), NC_("column", "actual bookings"),
    NC_("column", "amount"), NC_("column", "attendance"),
    NC_("column", "attributed bookings"), NC_("column", "attributed won deals"),
    NC_("column", "better"), NC_("column", "booked"), NC_("column", "booked so far"),
    NC_("column", "bookings change"), NC_("column", "campaign"), NC_("column", "campaign id"),
    NC_("column", "change"), NC_("column", "channel"), NC_("column", "churn share"),
    # the share chart's legend (campaign ROI): its title and entries are columns too
    NC_("column", "share of"), NC_("column", "budget share"), NC_("column", "bookings share"),
    NC_("column", "churned"), NC_("column", "closed"), NC_("column", "closed deals"),
    NC_("column", "clv to marketing cost"), NC_("column", "cohort"),
    NC_("column", "conversion"), NC_("column", "cost per lead"), NC_("column", "customers"),
    NC_("column", "date"), NC_("column", "days overdue"), NC_("column", "deals"),
    NC_("column", "difference"), NC_("column", "entered"), NC_("column", "expected"),
    NC_("column", "expected bookings (model)"), NC_("column", "expected close"),
    NC_("column", "expected purchases"), NC_("column", "expected spend"),
    NC_("column", "expected value"), NC_("column", "figure"),
    NC_("column", "first touch"), NC_("column", "from lead"),
    NC_("column", "from new deals"), NC_("column", "from open deals"),
    NC_("column", "gross margin"), NC_("column", "high"), NC_("column", "how"),
    NC_("column", "inside interval"), NC_("column", "interval high"),
    NC_("column", "interval low"), NC_("column", "last touch"), NC_("column", "lead"),
    NC_("column", "lead quality"), NC_("column", "lead quality high"),
    NC_("column", "lead quality low"), NC_("column", "lead source"),
    NC_("column", "lead → won"), NC_("column", "lifetime years"), NC_("column", "linear"),
    NC_("column", "lost"), NC_("column", "low"), NC_("column", "made on"),
    NC_("column", "marketing cost per new customer"),
    NC_("column", "marketing payback months"), NC_("column", "mean NPS answer"),
    NC_("column", "mean days"), NC_("column", "measure"), NC_("column", "median days"),
    NC_("column", "metric"), NC_("column", "model error"), NC_("column", "model mape"),
    NC_("column", "mql"), NC_("column", "mql to sql high"), NC_("column", "mql to sql low"),
    NC_("column", "name"), NC_("column", "new deals"), NC_("column", "note"),
    NC_("column", "observed"), NC_("column", "opportunity"), NC_("column", "opportunity id"),
    NC_("column", "p alive"), NC_("column", "p win"), NC_("column", "period"),
    NC_("column", "periods"), NC_("column", "practice"), NC_("column", "previous"),
    NC_("column", "probability"), NC_("column", "projection"),
    NC_("column", "projection range"), NC_("column", "proposal"), NC_("column", "quota"),
    NC_("column", "rate"), NC_("column", "raw rate"), NC_("column", "rep"),
    NC_("column", "rep id"), NC_("column", "rep mape"),
    NC_("column", "rest of the team's win rate"), NC_("column", "segment"),
    NC_("column", "spend"), NC_("column", "sql"), NC_("column", "stage"),
    NC_("column", "status"), NC_("column", "step"), NC_("column", "target"),
    NC_("column", "team"), NC_("column", "team error"), NC_("column", "team forecast"),
    NC_("column", "team's own forecast"), NC_("column", "touchpoint"),
    NC_("column", "U-shaped"), NC_("column", "W-shaped"), NC_("column", "Markov"),
    NC_("column", "time decay"), NC_("column", "value"), NC_("column", "verdict"),
    NC_("column", "win rate change"), NC_("column", "won"),
)

#: The row labels a report's tables show that are no data: the lines of a table of
#: figures or of a formula, the attribution models, the NPS groups.
ROWS = (
    NC_("row", "S: customers at the start"), NC_("row", "N: new in the period"),
    NC_("row", "L: of S, lost in the period"), NC_("row", "E: customers at the end"),
    NC_("row", "customer retention = (E − N) / S"), NC_("row", "churn = L / S"),
    NC_("row", "expected bookings (model)"), NC_("row", "80% interval, low"),
    NC_("row", "80% interval, high"), NC_("row", "booked so far"),
    NC_("row", "from open deals"), NC_("row", "from new deals"),
    NC_("row", "team's own forecast"), NC_("row", "actual bookings"),
    NC_("row", "booked"), NC_("row", "new deals"),
    NC_("row", "detractor (0-6)"), NC_("row", "passive (7-8)"),
    NC_("row", "promoter (9-10)"),
    NC_("row", "lead source"), NC_("row", "first touch"), NC_("row", "last touch"),
    NC_("row", "linear"),
    NC_("row", "U-shaped"), NC_("row", "W-shaped"), NC_("row", "time decay"),
    NC_("row", "Markov"),
)
_ROWS = frozenset(ROWS)

#: Headers with a number or a period in them: (pattern, message; ``{what}`` is a header).
_AT_DAYS = re.compile(r"^(?P<what>.+) at (?P<days>\d+) days \(95% interval\)$")
_VERDICT_IN = re.compile(r"^verdict in (?P<period>\S+)$")


def _period(text: str) -> str:
    """A period's text as the language says it (``2025-Q2``: «2-й квартал 2025 г.»)."""
    try:
        return period_text(Period.parse(text))
    except B2bkitError:
        return text


def header(text: object) -> object:
    """A column header (or an index name) in the report's language; not a string: as it is."""
    if not isinstance(text, str) or current().english:
        return text
    found = _AT_DAYS.match(text)
    if found:
        days = int(found["days"])
        return ngettext("{what} at {days} day (95% interval)",
                        "{what} at {days} days (95% interval)", days).format(
            what=header(found["what"]), days=days)
    found = _VERDICT_IN.match(text)
    if found:
        return pgettext("column", "verdict in {period}").format(
            period=_period(found["period"]))
    if text == "ROI":
        return text
    return pgettext("column", text)


def row(text: object) -> object:
    """A row label in the report's language when it is a canonical one (:data:`ROWS`);
    a label from the data (every other) exactly as it is."""
    if isinstance(text, str) and text.strip() in _ROWS and not current().english:
        indent = text[:len(text) - len(text.lstrip())]  # "  booked so far": a part of the above
        return indent + pgettext("row", text.strip())
    return text
