"""The strategy review: keep, optimize or drop each marketing practice.

For every practice (the campaign's ``practice``, else its channel) the
evidence is gathered from the metric catalogue: spend, leads, CPL, lead
quality (the share of leads that reached SQL), cost per SQL, attributed
bookings, ROI and its change against the comparison period. :func:`classify`
turns one practice's evidence into a verdict with explicit rules whose
thresholds are the parameters of :class:`Thresholds`:

1. **too little data** when the practice has fewer than ``min_leads`` leads
   or no spend: a verdict of its own, not a guess;
2. **keep** when ROI >= ``roi_target`` and lead quality >= ``quality_target``;
3. **optimize** when exactly one of the two clears its target, or when
   neither does but ROI improved by at least ``trend_margin`` since the
   comparison period;
4. **drop** when neither clears its target and ROI is flat or worse.

Every verdict carries its reasons, written from the numbers.

>>> rules = Thresholds(roi_target=0.0, quality_target=0.2, min_leads=30)
>>> classify({"leads": 120, "spend": 5000.0, "roi": -0.6, "lead_quality": 0.08,
...           "roi_change": -0.1}, rules)[0]
'drop'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.analysis.campaigns import channel_table
from b2bkit.formatting import format_value
from b2bkit.metrics import View, lead_quality
from b2bkit.metrics._base import as_period
from b2bkit.metrics._view import UNKNOWN
from b2bkit.periods import Period

__all__ = ["VERDICTS", "Thresholds", "classify", "decision_table", "summary_paragraph"]

VERDICTS = ("keep", "optimize", "drop", "too little data")


@dataclass(frozen=True)
class Thresholds:
    """The targets a practice is judged against (the review notebook's parameters)."""

    roi_target: float = 0.0          # bookings at least pay back the spend
    quality_target: float = 0.2      # a fifth of the leads reach SQL
    min_leads: int = 30              # fewer leads than this: too little data
    trend_margin: float = 0.25       # ROI up by this much counts as improving


def _rate(value: float) -> str:
    return format_value(value, "rate")


def classify(evidence: dict | pd.Series, rules: Thresholds) -> tuple[str, str]:
    """The verdict of one practice and its reasons, from its evidence.

    ``evidence`` needs ``leads``, ``spend``, ``roi``, ``lead_quality`` and
    ``roi_change`` (NaN when there is no comparison).
    """
    leads, spend = evidence["leads"], evidence["spend"]
    roi, quality, change = evidence["roi"], evidence["lead_quality"], evidence["roi_change"]
    if not leads or np.isnan(leads) or leads < rules.min_leads:
        count = 0 if not leads or np.isnan(leads) else int(leads)
        return "too little data", f"only {count} leads (fewer than {rules.min_leads} to judge)"
    if not spend or np.isnan(spend) or spend <= 0:
        return "too little data", "no spend recorded, so no return to judge"
    roi_ok = not np.isnan(roi) and roi >= rules.roi_target
    quality_ok = not np.isnan(quality) and quality >= rules.quality_target
    roi_text = (f"ROI {format_value(roi, 'ratio')} "
                f"{'≥' if roi_ok else '<'} target {format_value(rules.roi_target, 'ratio')}")
    quality_text = (f"lead quality {_rate(quality)} "
                    f"{'≥' if quality_ok else '<'} target {_rate(rules.quality_target)}")
    reasons = f"{roi_text}; {quality_text}"
    if roi_ok and quality_ok:
        return "keep", reasons
    if roi_ok or quality_ok:
        return "optimize", reasons
    improving = not np.isnan(change) and change >= rules.trend_margin
    if improving:
        return "optimize", f"{reasons}; but ROI improved by {format_value(change, 'ratio')}"
    trend = ("no earlier period to compare" if np.isnan(change)
             else f"ROI change {format_value(change, 'ratio')} is not an improvement of "
                  f"{format_value(rules.trend_margin, 'ratio')}")
    return "drop", f"{reasons}; {trend}"


def _practice_quality(view: View, period: Period) -> pd.Series:
    return lead_quality(view, period, by="practice").set_index("practice")["value"]


def decision_table(view: View, period: Period | str, rules: Thresholds,
                   compare_to: Period | str | None = None) -> pd.DataFrame:
    """One row per practice: evidence, verdict and reasons (practices with no activity left out)."""
    period = as_period(period)
    before = as_period(compare_to) if compare_to else period.previous()
    now = channel_table(view, period, by="practice").set_index("practice")
    then = channel_table(view, before, by="practice").set_index("practice")
    now["lead_quality"] = _practice_quality(view, period).reindex(now.index)
    now["roi_previous"] = then["roi"].reindex(now.index)
    now["roi_change"] = now["roi"] - now["roi_previous"]
    now = now[(now["spend"].fillna(0) > 0) | (now["leads"].fillna(0) > 0)]
    now = now.drop(index=UNKNOWN, errors="ignore")
    verdicts = [classify(row, rules) for _, row in now.iterrows()]  # one row per practice
    now["verdict"] = [v for v, _ in verdicts]
    now["reasons"] = [r for _, r in verdicts]
    order = {v: i for i, v in enumerate(VERDICTS)}
    now = now.assign(_order=now["verdict"].map(order)).sort_values(["_order", "roi"],
                                                                  ascending=[True, False])
    columns = ["verdict", "reasons", "spend", "leads", "cpl", "lead_quality", "cost_per_sql",
               "bookings", "roi", "roi_previous", "roi_change"]
    return now[columns].reset_index()


def summary_paragraph(table: pd.DataFrame, period: Period | str, *, currency: str = "") -> str:
    """What a marketing director can act on, in one paragraph."""
    def names(verdict: str) -> list[str]:
        return table.loc[table["verdict"] == verdict, "practice"].astype(str).tolist()

    spend = table.groupby("verdict")["spend"].sum()
    parts = [f"In {period}:"]
    if names("keep"):
        parts.append(f"keep {', '.join(names('keep'))} — they pay back and bring good leads.")
    if names("optimize"):
        parts.append(f"Optimize {', '.join(names('optimize'))}: one of return or lead quality "
                     "misses its target; fix that before adding budget.")
    if names("drop"):
        freed = format_value(spend.get("drop", 0.0), "currency", currency)
        parts.append(f"Drop {', '.join(names('drop'))}: neither return nor lead quality "
                     f"clears its target and the trend does not help; that frees {freed}.")
    if names("too little data"):
        parts.append(f"Not enough data yet for {', '.join(names('too little data'))}.")
    return " ".join(parts)
