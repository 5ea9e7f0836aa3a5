"""The metric glossary (``docs/metrics.md``), generated from the metric docstrings.

The docstrings are the one place a metric is defined in words; the glossary
is rendered from them (``make docs``) and a test fails when the committed
file differs, so the two cannot drift.

>>> text = render_glossary()
>>> text.splitlines()[0]
'# Metric glossary'
>>> "## cpl" in text
True
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from b2bkit.core.i18n import NC_, ngettext, pgettext
from b2bkit.metrics import CATALOGUE, maturity
from b2bkit.metrics.catalogue import ORDER

__all__ = ["LABELS", "label", "labelled", "render_glossary", "write_glossary"]

_SECTION = re.compile(r"^(Examples|Parameters|Returns|Raises|Notes)\n-+\n", re.M)

HEADER = """\
# Metric glossary

Generated from the docstrings of `b2bkit.metrics` by `make docs`; do not edit
by hand. Every metric is called as `name(data, period, *, by=None, as_of=None)`
and returns a number, or a missing value with its reason (`Missing`); with
`by` (channel, campaign_id, segment, rep_id, practice) a frame with one row
per group. Rates are fractions (0.25 = 25%) unless the unit says otherwise.
The examples run on `b2bkit.sample_dataset()` and are tested as doctests.
"""


#: The name a reader sees for each metric (charts, tables, sentences); the code name
#: stays in the glossary headings, the CSV and JSON outputs. One entry per metric of
#: the catalogue (a test checks that none is missing).
LABELS = {
    "leads": NC_("metric", "Leads"),
    "mqls": NC_("metric", "MQLs"),
    "sqls": NC_("metric", "SQLs"),
    "lead_to_mql_rate": NC_("metric", "Lead → MQL conversion"),
    "mql_to_sql_rate": NC_("metric", "MQL → SQL conversion"),
    "lead_conversion_rate": NC_("metric", "Lead → opportunity conversion"),
    "lead_quality": NC_("metric", "Lead quality (share reaching SQL)"),
    "bant_qualified_share": NC_("metric", "BANT-qualified share"),
    "marketing_spend": NC_("metric", "Marketing spend"),
    "cpl": NC_("metric", "Cost per lead"),
    "cost_per_sql": NC_("metric", "Cost per SQL"),
    "roi": NC_("metric", "Marketing ROI"),
    "revenue": NC_("metric", "Revenue"),
    "revenue_growth": NC_("metric", "Revenue growth"),
    "orders": NC_("metric", "Orders"),
    "aov": NC_("metric", "Average order value"),
    "repeat_sales_share": NC_("metric", "Repeat-sales share"),
    "new_customers": NC_("metric", "New customers"),
    "customers_start": NC_("metric", "Customers at start"),
    "customers_end": NC_("metric", "Customers at end"),
    "retention_rate": NC_("metric", "Customer retention"),
    "churn_rate": NC_("metric", "Customer churn"),
    "nps": NC_("metric", "Net Promoter Score"),
    "cac": NC_("metric", "Customer acquisition cost"),
    "arpa": NC_("metric", "Annual revenue per account"),
    "clv": NC_("metric", "Customer lifetime value"),
    "clv_cac_ratio": NC_("metric", "CLV : CAC"),
    "cac_payback_months": NC_("metric", "CAC payback"),
    "unique_visitors": NC_("metric", "Unique visitors"),
    "event_attendance": NC_("metric", "Event attendance"),
    "engaged_leads": NC_("metric", "Engaged leads"),
    "opportunities_created": NC_("metric", "Opportunities created"),
    "won_deals": NC_("metric", "Won deals"),
    "win_rate": NC_("metric", "Win rate"),
    "opportunity_conversion_rate": NC_("metric", "Opportunity → won conversion"),
    "bookings": NC_("metric", "Bookings"),
    "avg_deal_size": NC_("metric", "Average deal size"),
    "sales_cycle_days": NC_("metric", "Sales cycle (mean)"),
    "sales_cycle_days_median": NC_("metric", "Sales cycle (median)"),
    "pipeline_velocity": NC_("metric", "Pipeline velocity"),
    "open_pipeline": NC_("metric", "Open pipeline"),
    "pipeline_coverage": NC_("metric", "Pipeline coverage"),
    "weighted_pipeline": NC_("metric", "Weighted pipeline"),
    "forecast_accuracy": NC_("metric", "Forecast accuracy"),
    "quota_attainment": NC_("metric", "Quota attainment"),
    "quota_attainment_rate": NC_("metric", "Reps at quota"),
    "rep_productivity": NC_("metric", "Bookings per rep"),
    "selling_time_share": NC_("metric", "Selling-time share"),
}


def label(metric: str) -> str:
    """The human name of ``metric`` (a catalogue name, or ``name@d`` age-matched).

    A name that is not a metric (a column of a table, say) is returned with
    its underscores as spaces, so any table header can go through it.

    >>> label("mql_to_sql_rate")
    'MQL → SQL conversion'
    >>> label("roi@90")
    'Marketing ROI at 90 days'
    >>> label("won_in_period")
    'won in period'
    """
    name, _, days = str(metric).partition("@")
    if name in LABELS:
        text = pgettext("metric", LABELS[name])
        if not days.isdigit():
            return text
        return ngettext("{label} at {days} days", "{label} at {days} days", int(days)).format(
            label=text, days=days)
    return str(metric).replace("_", " ")


def labelled(frame: object, *, columns: bool = True, index: bool = False) -> object:
    """A copy of a table (or Series) with metric names as readers see them (:func:`label`).

    Column headers are relabelled (``columns``); with ``index`` the row
    labels that are metrics too (a table with one metric per row), while
    other row labels (channels, reps: data) stay exactly as they are.

    >>> import pandas as pd
    >>> labelled(pd.DataFrame({"win_rate": [0.5, 0.4]}, index=["cpl", "paid_search"]),
    ...          index=True)
                   Win rate
    Cost per lead       0.5
    paid_search         0.4
    """
    out = frame.copy()
    if index:
        out.index = out.index.map(
            lambda name: label(name) if str(name).partition("@")[0] in LABELS else name)
    if columns and hasattr(out, "columns"):
        out.columns = out.columns.map(label)
    return out


def _markdown(doc: str) -> str:
    """A numpydoc docstring as Markdown: math blocks, examples as code."""
    text = inspect.cleandoc(doc)
    parts = _SECTION.split(text)
    body, sections = parts[0], dict(zip(parts[1::2], parts[2::2], strict=True))
    lines, in_math = [], False
    for line in body.splitlines():
        if line.startswith(".. math::"):
            lines.append("$$")
            formula = line[len(".. math::"):].strip()
            if formula:
                lines.append(formula)
            in_math = True
        elif in_math and (line.startswith("   ") or not line.strip()):
            if line.strip():
                lines.append(line.strip())
            else:
                lines.append("$$")
                lines.append("")
                in_math = False
        else:
            if in_math:
                lines += ["$$", ""]
                in_math = False
            lines.append(line)
    if in_math:
        lines.append("$$")
    out = "\n".join(lines).strip()
    out = re.sub(r":math:`([^`]*)`", r"$\1$", out)
    out = re.sub(r":(?:func|class|data|meth|attr):`~?([^`]*)`", r"`\1`", out)
    if "Examples" in sections:
        out += "\n\n```python\n" + sections["Examples"].strip() + "\n```"
    return out


def _age_matched() -> str:
    """The section on ``metric@d`` and projections, from ``b2bkit.metrics.maturity``."""
    names = ", ".join(f"{n}@d" for n in maturity.LEAD_COHORT_METRICS)
    parts = [f"## metric@d\n\nAge-matched lead-cohort metrics: {names}. "
             "Module: `b2bkit.metrics.maturity`.", _markdown(maturity.__doc__ or "")]
    for function in (maturity.at_age, maturity.mature_days, maturity.development_factors,
                     maturity.project):
        parts.append(f"### {function.__name__}\n\n{_markdown(function.__doc__ or '')}")
    return "\n\n".join(parts)


def render_glossary() -> str:
    """The whole glossary as Markdown, metrics in the contract's order."""
    chunks = [HEADER.strip()]
    chunks.append("| metric | unit | what it is |\n|---|---|---|")
    chunks[-1] += "".join(f"\n| [{n}](#{n}) | {CATALOGUE[n].unit} | {CATALOGUE[n].summary} |"
                          for n in ORDER)
    for name in ORDER:
        info = CATALOGUE[name]
        chunks.append(f"## {name}\n\nUnit: {info.unit}. Module: `{info.compute.__module__}`."
                      f"\n\n{_markdown(info.public.__doc__ or '')}")
    chunks.append(_age_matched())
    return "\n\n".join(chunks) + "\n"


def write_glossary(path: str | Path = "docs/metrics.md") -> Path:
    """Write the glossary to ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_glossary(), encoding="utf-8")
    return target


if __name__ == "__main__":  # pragma: no cover
    print(write_glossary())
