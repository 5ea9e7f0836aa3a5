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

from b2bkit.core.i18n import NC_, _, ngettext, pgettext, use
from b2bkit.metrics import CATALOGUE, maturity
from b2bkit.metrics.catalogue import ORDER

__all__ = ["LABELS", "TERMS", "UNITS", "label", "labelled", "render_glossary", "summaries",
           "write_glossary"]

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


#: The units of the metrics as a reader says them (the glossary in Russian).
UNITS = {"count": NC_("unit name", "count"), "rate": NC_("unit name", "rate (a fraction)"),
         "currency": NC_("unit name", "amount in the dataset's currency"),
         "currency_per_day": NC_("unit name", "amount per day"),
         "days": NC_("unit name", "days"), "months": NC_("unit name", "months"),
         "ratio": NC_("unit name", "ratio"), "score": NC_("unit name", "score")}

#: The terms of the seed articles, in English and as the Russian glossary and reports say them.
TERMS = (
    ("lead", "лид"), ("MQL", "MQL"), ("SQL", "SQL"),
    ("conversion", "конверсия"), ("sales funnel", "воронка продаж"),
    ("sales cycle", "цикл сделки"),
    ("average deal size", "средний чек"), ("churn", "отток"),
    ("retention", "удержание"), ("CAC", "CAC"),
    ("CLV", "CLV"), ("NPS", "NPS"), ("ROI", "ROI"),
    ("pipeline velocity", "скорость воронки"),
)

_HEADER_RU = """\
# Словарь метрик

Создан по docstring-ам `b2bkit.metrics` командой `make docs` из тех же определений, что
и английский [metrics.md](metrics.md); не редактируйте вручную. Каждая метрика вызывается
как `name(data, period, *, by=None, as_of=None)` и возвращает число или пропущенное
значение с причиной (`Missing`); с `by` (channel, campaign_id, segment, rep_id, practice) —
таблицу с одной строкой на группу. Доли — дроби (0,25 = 25 %), если единица не указана
иначе. Код метрики (заголовок раздела) остаётся латиницей: так она называется в CSV и
JSON; в отчётах читатель видит её название. Примеры выполняются на
`b2bkit.sample_dataset()` и проверяются как doctest-ы."""


def summaries() -> list[str]:
    """The one-line definition of every metric (the glossary's table), for the catalogue."""
    return [CATALOGUE[name].summary for name in ORDER]


def _formulas(doc: str) -> str:
    """The display formulas (``$$ ... $$``) of a docstring, as the English glossary shows them."""
    blocks = re.findall(r"^\$\$\n.*?\n\$\$$", _markdown(doc).split("\n\n```python")[0],
                        re.M | re.S)
    return "\n\n".join(blocks)


def _examples(doc: str) -> str:
    text = _markdown(doc)
    return text[text.index("```python"):] if "```python" in text else ""


def _render_ru() -> str:
    with use("ru"):
        chunks = [_HEADER_RU]
        chunks.append(_("## Terms") + "\n\n| English | " + _("in the reports") + " |\n|---|---|"
                      + "".join(f"\n| {en} | {ru} |" for en, ru in TERMS))
        head = "| {} | {} | {} | {} |\n|---|---|---|---|".format(
            _("metric"), _("name in the reports"), _("unit"), _("what it is"))
        chunks.append(head + "".join(
            f"\n| [{n}](#{n}) | {label(n)} | {pgettext('unit name', UNITS[CATALOGUE[n].unit])}"
            f" | {pgettext('glossary', CATALOGUE[n].summary)} |" for n in ORDER))
        for name in ORDER:
            info = CATALOGUE[name]
            doc = info.public.__doc__ or ""
            parts = [f"## {name}", f"**{label(name)}**. " + _(
                "Unit: {unit}. Module: `{module}`.").format(
                unit=pgettext("unit name", UNITS[info.unit]), module=info.compute.__module__),
                pgettext("glossary", info.summary)]
            formulas = _formulas(doc)
            if formulas:
                parts.append(_("Formula:") + "\n\n" + formulas)
            parts.append(_examples(doc))
            chunks.append("\n\n".join(p for p in parts if p))
        names = ", ".join(f"{n}@d" for n in maturity.LEAD_COHORT_METRICS)
        chunks.append("## metric@d\n\n" + _(
            "Age-matched lead-cohort metrics: {names}. Module: `b2bkit.metrics.maturity`. "
            "A metric@d counts only what happened within d days of each lead's creation, so "
            "that two cohorts of different ages can be compared; the English glossary "
            "describes the projection to maturity in full.").format(names=names))
    return "\n\n".join(chunks) + "\n"


def render_glossary(language: str = "en") -> str:
    """The whole glossary as Markdown, metrics in the contract's order; ``language="ru"``:
    the Russian glossary (``docs/metrics.ru.md``) from the same definitions: each metric's
    name, unit and definition through the catalogue, its formulas and examples as they are.
    """
    if language == "ru":
        return _render_ru()
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


def write_glossary(path: str | Path = "docs/metrics.md", language: str = "en") -> Path:
    """Write the glossary (in ``language``) to ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_glossary(language), encoding="utf-8")
    return target


if __name__ == "__main__":  # pragma: no cover
    print(write_glossary())
    print(write_glossary("docs/metrics.ru.md", "ru"))
