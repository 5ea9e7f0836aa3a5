r"""The strategy review: keep, optimize or drop each marketing practice.

For every practice (the campaign's ``practice``, else its channel) the
evidence is gathered from the metric catalogue: spend, leads, CPL, cost per
SQL, attributed bookings, and the lead-cohort metrics ROI and lead quality
*age-matched*: both the period and the comparison period are measured at
``d``, the largest age at which both are mature
(:func:`b2bkit.metrics.common_mature_days`), as ``roi@d`` and
``lead_quality@d``. Lead quality carries its Wilson interval, so sample size
counts through the interval rather than a bare minimum of leads.
:func:`classify` turns one practice's evidence into a verdict with explicit
rules whose thresholds are the parameters of :class:`Thresholds`:

1. **too early to judge** when the period is not mature at 30 days (period
   end + 30 > as_of): its leads have not had time to turn into deals;
2. **too little data** when there is no spend or no lead, or when lead
   quality's interval straddles its target and ROI misses its target (the
   leads are too few to tell);
3. **keep** when ROI@d >= ``roi_target`` and lead quality's interval lies
   at or above ``quality_target``;
4. **drop** when ROI@d misses its target, the whole quality interval lies
   below its target, and ROI@d did not improve by ``trend_margin``;
5. **optimize** otherwise (one of the two clears its target, or neither
   does but ROI@d improved).

The ``(unknown)`` practice (campaigns or leads with none recorded) is shown
but never judged: "not judged: no practice recorded". Every verdict carries
its reasons, written from the numbers.

>>> rules = Thresholds(roi_target=0.0, quality_target=0.2)
>>> classify({"leads": 120, "spend": 5000.0, "roi": -0.6, "lead_quality": 0.08,
...           "quality_low": 0.04, "quality_high": 0.15, "roi_change": -0.1, "age": 92},
...          rules)[0]
'drop'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.analysis.campaigns import channel_table
from b2bkit.analysis.stats import wilson_interval
from b2bkit.core.formatting import format_value
from b2bkit.core.periods import Period
from b2bkit.metrics import (
    CATALOGUE,
    LEAD_COHORT_METRICS,
    MIN_MATURE_DAYS,
    UNKNOWN,
    View,
    at_age,
    common_mature_days,
    mature_days,
    project,
)

__all__ = ["NOT_JUDGED", "TOO_EARLY", "VERDICTS", "Thresholds", "classify", "decision_table",
           "maturity_sentence", "projection_shown", "projection_table", "summary_paragraph",
           "verdict_changes"]

TOO_EARLY = "too early to judge"
NOT_JUDGED = "not judged: no practice recorded"
VERDICTS = ("keep", "optimize", "drop", "too little data", TOO_EARLY, NOT_JUDGED)


@dataclass(frozen=True)
class Thresholds:
    """The targets a practice is judged against (the review notebook's parameters)."""

    roi_target: float = 0.0          # bookings at least pay back the spend
    quality_target: float = 0.2      # a fifth of the leads reach SQL
    trend_margin: float = 0.25       # ROI up by this much counts as improving
    confidence: float = 0.95         # coverage of lead quality's Wilson interval


def _rate(value: float) -> str:
    return format_value(value, "rate")


def _nan(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def classify(evidence: dict | pd.Series, rules: Thresholds) -> tuple[str, str]:
    """The verdict of one practice and its reasons, from its evidence.

    ``evidence`` needs ``leads``, ``spend``, ``roi`` and ``lead_quality`` (at
    age ``age``, in days), ``quality_low`` / ``quality_high`` (the Wilson
    interval of lead quality) and ``roi_change`` (NaN without a comparison);
    ``age`` below :data:`~b2bkit.metrics.MIN_MATURE_DAYS` means the period
    is too young to judge.
    """
    leads, spend, age = evidence["leads"], evidence["spend"], evidence["age"]
    roi, quality, change = evidence["roi"], evidence["lead_quality"], evidence["roi_change"]
    low, high = evidence["quality_low"], evidence["quality_high"]
    if age < MIN_MATURE_DAYS:
        return TOO_EARLY, (f"the period is mature at {max(age, 0)} days only; a verdict needs "
                           f"{MIN_MATURE_DAYS} days after its end")
    if _nan(spend) or spend <= 0:
        return "too little data", "no spend recorded, so no return to judge"
    if _nan(leads) or leads <= 0:
        return "too little data", "no leads, so no lead quality to judge"
    at = f"@{age}"
    roi_ok = not _nan(roi) and roi >= rules.roi_target
    roi_text = (f"ROI{at} {format_value(roi, 'ratio')} "
                f"{'≥' if roi_ok else '<'} target {format_value(rules.roi_target, 'ratio')}")
    interval = f"{_rate(quality)} ({_rate(low)}–{_rate(high)})"
    target = _rate(rules.quality_target)
    if not _nan(low) and low >= rules.quality_target:
        quality_state, quality_text = "above", f"lead quality{at} {interval} ≥ target {target}"
    elif not _nan(high) and high < rules.quality_target:
        quality_state, quality_text = "below", f"lead quality{at} {interval} < target {target}"
    else:
        quality_state = "unclear"
        quality_text = (f"lead quality{at} {interval} could be on either side of target "
                        f"{target} ({int(leads)} leads)")
    reasons = f"{roi_text}; {quality_text}"
    if roi_ok and quality_state == "above":
        return "keep", reasons
    if quality_state == "unclear" and not roi_ok:
        return "too little data", f"{reasons}: too few leads to tell"
    if roi_ok or quality_state != "below":
        return "optimize", reasons
    if not _nan(change) and change >= rules.trend_margin:
        return "optimize", f"{reasons}; but ROI{at} improved by {format_value(change, 'ratio')}"
    trend = ("no earlier period to compare" if _nan(change)
             else f"ROI{at} change {format_value(change, 'ratio')} is not an improvement of "
                  f"{format_value(rules.trend_margin, 'ratio')}")
    return "drop", f"{reasons}; {trend}"


def _by_practice(name: str, view: View, period: Period, days: int) -> pd.Series:
    return at_age(name, view, period, days, by="practice").set_index("practice")["value"]


def decision_table(view: View, period: Period | str, rules: Thresholds,
                   compare_to: Period | str | None = None) -> pd.DataFrame:
    """One row per practice: evidence at age ``d``, verdict and reasons.

    ``d`` (column ``age``) is the largest age at which the period and the
    comparison period are both mature (at least 0). ``roi`` and
    ``lead_quality`` are as of as_of (still growing for a young period);
    ``roi_at_d``, ``lead_quality_at_d`` with its interval, ``roi_previous_at_d``
    and ``roi_change_at_d`` are age-matched. Practices with neither spend nor
    leads are left out; ``(unknown)`` comes last, not judged.
    """
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to else period.previous()
    days = max(common_mature_days(period, before, view.as_of), 0)
    now = channel_table(view, period, by="practice").set_index("practice")
    now = now.rename(columns={"lead_quality_low": "_low", "lead_quality_high": "_high"})
    now["age"] = days
    now["roi_at_d"] = _by_practice("roi", view, period, days).reindex(now.index)
    quality = _by_practice("lead_quality", view, period, days).reindex(now.index)
    now["lead_quality_at_d"] = quality
    low, high = wilson_interval((quality * now["leads"]).round().fillna(0).to_numpy(),
                                now["leads"].fillna(0).to_numpy(), rules.confidence)
    now["quality_low"], now["quality_high"] = low, high
    now["roi_previous_at_d"] = _by_practice("roi", view, before, days).reindex(now.index)
    now["roi_change_at_d"] = now["roi_at_d"] - now["roi_previous_at_d"]
    now = now[(now["spend"].fillna(0) > 0) | (now["leads"].fillna(0) > 0)]
    mature = mature_days(period, view.as_of)
    evidence = pd.DataFrame({
        "leads": now["leads"], "spend": now["spend"], "roi": now["roi_at_d"],
        "lead_quality": now["lead_quality_at_d"], "quality_low": now["quality_low"],
        "quality_high": now["quality_high"], "roi_change": now["roi_change_at_d"],
        "age": mature if mature < MIN_MATURE_DAYS else days})
    verdicts = [classify(row, rules) for row in evidence.to_dict("records")]  # per practice
    now["verdict"] = [v for v, _ in verdicts]
    now["reasons"] = [r for _, r in verdicts]
    unknown = now.index == UNKNOWN
    now.loc[unknown, "verdict"] = NOT_JUDGED
    now.loc[unknown, "reasons"] = ("campaigns or leads without a practice: shown for their "
                                   "spend and leads, never ranked or judged")
    order = {v: i for i, v in enumerate(VERDICTS)}
    now = now.assign(_order=now["verdict"].map(order), _name=now.index.astype(str))
    now = now.sort_values(["_order", "roi_at_d", "_name"], ascending=[True, False, True],
                          kind="stable")
    columns = ["verdict", "reasons", "spend", "leads", "age", "cpl", "cost_per_sql",
               "attributed_bookings", "roi", "lead_quality", "roi_at_d", "lead_quality_at_d",
               "quality_low", "quality_high", "roi_previous_at_d", "roi_change_at_d"]
    return now[columns].reset_index()


def maturity_sentence(view: View, period: Period | str, compare_to: Period | str | None = None
                      ) -> str:
    """How old the period's leads are and the age the comparison uses, in one sentence.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> maturity_sentence(prepare(sample_dataset(), "2025-06-30"), "2025-Q1")
    '2025-Q1 and 2024-Q4 are compared at the same age: 91 days after each period ends (roi@91, lead_quality@91).'
    """  # noqa: E501
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to else period.previous()
    mature = mature_days(period, view.as_of)
    days = max(common_mature_days(period, before, view.as_of), 0)
    if mature < MIN_MATURE_DAYS:
        return (f"It is too early to judge {period}: as of {view.as_of:%Y-%m-%d} it is mature "
                f"at {max(mature, 0)} days only (a verdict needs {MIN_MATURE_DAYS} days after "
                f"the period ends); its values below are compared with {before} at "
                f"{days} days and will still grow.")
    return (f"{period} and {before} are compared at the same age: {days} days after each "
            f"period ends (roi@{days}, lead_quality@{days}).")


def projection_table(view: View, period: Period | str) -> pd.DataFrame:
    """Each lead-cohort metric of the period: observed, and projected to maturity with a range.

    Columns ``metric``, ``unit``, ``observed`` (as of as_of), ``projection``,
    ``low``, ``high``, ``label`` (always "projection") and ``note`` (how, or
    why there is none).
    """
    period = Period.parse(period)
    rows = []
    for name in LEAD_COHORT_METRICS:
        result = project(name, view, period)
        observed = CATALOGUE[name].public(view, period)
        if hasattr(result, "reason"):
            rows.append({"metric": name, "observed": observed, "projection": np.nan,
                         "low": np.nan, "high": np.nan, "note": result.reason})
        else:
            rows.append({"metric": name, "observed": result.observed,
                         "projection": result.value, "low": result.low, "high": result.high,
                         "note": result.note})
    table = pd.DataFrame(rows)
    table.insert(1, "unit", [CATALOGUE[n].unit for n in table["metric"]])
    table["label"] = "projection"
    return table


def projection_shown(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`projection_table` for reading: each row in its own unit, the range as one text.

    >>> table = pd.DataFrame({"metric": ["roi"], "unit": ["ratio"], "observed": [-0.5],
    ...                       "projection": [0.4], "low": [0.1], "high": [0.9],
    ...                       "note": ["how"], "label": ["projection"]})
    >>> projection_shown(table).values.tolist()
    [['roi', '-0.50', '0.40', '0.10 to 0.90', 'how']]
    """
    def text(column: str) -> list[str]:
        return [format_value(v, u) for v, u in zip(table[column], table["unit"], strict=True)]

    low, high = text("low"), text("high")
    return pd.DataFrame({"metric": table["metric"], "observed": text("observed"),
                         "projection": text("projection"),
                         "projection range": [f"{a} to {b}" for a, b in zip(low, high,
                                                                           strict=True)],
                         "how": table["note"]})


def verdict_changes(view: View, table: pd.DataFrame, before: Period | str,
                    rules: Thresholds) -> pd.DataFrame:
    """Each practice's verdict beside its verdict in ``before`` (judged against the period
    before that), so a reader sees what moved.

    Parameters
    ----------
    view : View
    table : pandas.DataFrame
        :func:`decision_table` of the current period.
    before : Period or str
        The comparison period.
    rules : Thresholds

    Returns
    -------
    pandas.DataFrame
        ``practice``, ``verdict`` and ``verdict in <before>`` (blank for a
        practice not judged then).
    """
    before = Period.parse(before)
    earlier = decision_table(view, before, rules, before.previous())
    return table[["practice", "verdict"]].merge(earlier[["practice", "verdict"]],
                                                on="practice", how="left",
                                                suffixes=("", f" in {before}"))


def summary_paragraph(table: pd.DataFrame, period: Period | str, *, currency: str = "") -> str:
    """What a marketing director can act on, in one paragraph (named age, no drop when young)."""
    def names(verdict: str) -> list[str]:
        return table.loc[table["verdict"] == verdict, "practice"].astype(str).tolist()

    spend = table.groupby("verdict")["spend"].sum()
    days = int(table["age"].iloc[0]) if len(table) else 0
    parts = [f"In {period}, judged at {days} days after the period end (roi@{days}, "
             f"lead_quality@{days}):"]
    if names(TOO_EARLY):
        parts = [f"It is too early to judge {period}: its leads have not had "
                 f"{MIN_MATURE_DAYS} days since the period ended, so no practice is kept or "
                 f"dropped yet ({', '.join(names(TOO_EARLY))})."]
    if names("keep"):
        parts.append(f"keep {', '.join(names('keep'))} — they pay back and bring good leads.")
    if names("optimize"):
        parts.append(f"Optimize {', '.join(names('optimize'))}: return or lead quality "
                     "misses its target, or both do but the return improves; fix that before "
                     "adding budget.")
    if names("drop"):
        freed = format_value(spend.get("drop", 0.0), "currency", currency)
        parts.append(f"Drop {', '.join(names('drop'))}: neither return nor lead quality "
                     f"clears its target and the trend does not help; that frees {freed}.")
    if names("too little data"):
        parts.append(f"Too few leads or no spend to judge {', '.join(names('too little data'))}.")
    if names(NOT_JUDGED):
        parts.append("Leads and spend without a practice are shown, not judged.")
    return " ".join(parts)
