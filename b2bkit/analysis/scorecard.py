"""The KPI scorecard: the seeds' seven-metric checklist and four more, against targets.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> card = scorecard(prepare(sample_dataset()), "2025-Q1", {"win_rate": 0.6})
>>> row = card.set_index("metric").loc["win_rate"]
>>> float(row["value"]), float(row["target"]), row["status"]
(0.5, 0.6, 'below target')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.formatting import format_value
from b2bkit.metrics import (
    CATALOGUE,
    LEAD_COHORT_METRICS,
    MIN_MATURE_DAYS,
    View,
    at_age,
    common_mature_days,
    mature_days,
)
from b2bkit.metrics._base import as_period
from b2bkit.periods import Period

__all__ = ["LOWER_IS_BETTER", "SCORECARD", "history", "scorecard", "shown", "verdict"]

#: The seeds' checklist (lead conversion ... retention), then CPL, CAC, CLV:CAC and NPS.
SCORECARD = ("lead_conversion_rate", "avg_deal_size", "win_rate", "quota_attainment",
             "revenue_growth", "pipeline_coverage", "retention_rate", "cpl", "cac",
             "clv_cac_ratio", "nps")

#: Metrics where a value under the target is good.
LOWER_IS_BETTER = ("cpl", "cac")


def scorecard(view: View, period: Period | str, targets: dict[str, float],
              names: tuple[str, ...] = SCORECARD) -> pd.DataFrame:
    """Value, previous period, change, target and status of each metric.

    For the lead-cohort metrics (:data:`~b2bkit.metrics.LEAD_COHORT_METRICS`)
    ``previous`` and ``change`` are age-matched: both periods at ``d`` days,
    the largest age at which both are mature (``metric@d``, named in the
    note); when the period is not mature at 30 days they are NaN and the
    status is "too early to judge" instead of a verdict against the target.
    """
    period = as_period(period)
    days = common_mature_days(period, period.previous(), view.as_of)
    young = mature_days(period, view.as_of) < MIN_MATURE_DAYS
    rows = []
    for name in names:
        info = CATALOGUE[name]
        now, before = info.public(view, period), info.public(view, period.previous())
        change, note = float(now) - float(before), getattr(now, "reason", "")
        if name in LEAD_COHORT_METRICS:
            if young:
                before, change = np.nan, np.nan
                note = note or (f"too early to compare: {period} is mature at "
                                f"{max(days, 0)} days (needs {MIN_MATURE_DAYS})")
            else:
                before = at_age(name, view, period.previous(), days)
                change = float(at_age(name, view, period, days)) - float(before)
                note = note or f"previous and change at the same age: {name}@{days}"
        target = targets.get(name, np.nan)
        if np.isnan(now) or np.isnan(target):
            status = "no value" if np.isnan(now) else "no target"
        elif (now <= target) if name in LOWER_IS_BETTER else (now >= target):
            status = "on target"
        else:
            status = "below target" if name not in LOWER_IS_BETTER else "above target"
        if name in LEAD_COHORT_METRICS and young and not np.isnan(now):
            status = "too early to judge"  # a young cohort is not held to its target
        rows.append({"metric": name, "unit": info.unit, "value": float(now),
                     "previous": float(before), "change": change,
                     "target": target, "status": status, "note": note})
    return pd.DataFrame(rows)


def history(view: View, period: Period | str, names: tuple[str, ...] = SCORECARD,
            periods: int = 8) -> pd.DataFrame:
    """Each metric over the last ``periods`` periods of the same kind (oldest first)."""
    period = as_period(period)
    chain = [period]
    for _ in range(periods - 1):
        chain.append(chain[-1].previous())
    chain.reverse()
    data = {name: [float(CATALOGUE[name].public(view, p)) for p in chain] for name in names}
    return pd.DataFrame(data, index=pd.Index([str(p) for p in chain], name="period"))


def shown(card: pd.DataFrame, currency: str = "") -> pd.DataFrame:
    """The scorecard for reading: values in their units, misses marked with ▼."""
    out = card.copy()
    for column in ("value", "previous", "change", "target"):
        out[column] = [format_value(v, u, currency)
                       for v, u in zip(card[column], card["unit"], strict=True)]
    out["status"] = ["▼ " + s if s in ("below target", "above target") else s
                     for s in card["status"]]
    return out.drop(columns="unit")


def verdict(card: pd.DataFrame, period: Period | str) -> str:
    """How many metrics are on target, and which were missed."""
    misses = card[card["status"].isin(["below target", "above target"])]
    met = card[card["status"] == "on target"]
    return (f"{len(met)} of {len(card)} metrics are on target in {period}."
            + (f" Missed: {', '.join(misses['metric'])}." if len(misses) else ""))
