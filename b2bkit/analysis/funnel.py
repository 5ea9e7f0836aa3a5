"""The funnel diagnosis: stage counts, conversion between stages, bottleneck, durations.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> table = funnel_table(prepare(sample_dataset()), "2025-Q1")
>>> table[["stage", "count"]].values.tolist()
[['lead', 4.0], ['mql', 3.0], ['sql', 2.0], ['opportunity', 3.0], ['won', 1.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.formatting import format_value
from b2bkit.metrics import (
    CATALOGUE,
    View,
    bant_qualified_share,
    lead_quality,
    leads,
    mqls,
    opportunities_created,
    sqls,
    won_deals,
)
from b2bkit.metrics._base import as_period
from b2bkit.periods import Period
from b2bkit.warn import earliest_stages

__all__ = ["bottleneck_sentence", "funnel_by", "funnel_table", "stage_durations",
           "summary_table"]

#: The funnel's stages and the metric that counts each in a period.
STAGES = {"lead": leads, "mql": mqls, "sql": sqls, "opportunity": opportunities_created,
          "won": won_deals}


def _count(metric, view: View, period: Period, by: str | None = None):
    value = metric(view, period, by=by)
    return value


def funnel_table(view: View, period: Period | str, compare_to: Period | str | None = None
                 ) -> pd.DataFrame:
    """Stage counts of the period and of ``compare_to`` (default: the previous period).

    Columns: ``stage``, ``count``, ``conversion`` (count / count of the stage
    above), ``previous``, ``previous_conversion`` and ``change`` (conversion
    minus previous conversion, in fractions).
    """
    period = as_period(period)
    before = as_period(compare_to) if compare_to is not None else period.previous()
    rows = []
    for stage, metric in STAGES.items():
        now, then = metric(view, period), metric(view, before)
        rows.append({"stage": stage, "count": float(now), "previous": float(then)})
    table = pd.DataFrame(rows)  # a stage without data is NaN (shown n/a), never 0
    for column, source in (("conversion", "count"), ("previous_conversion", "previous")):
        above = table[source].shift(1)
        table[column] = (table[source] / above.where(above > 0)).astype(float)
    table["change"] = table["conversion"] - table["previous_conversion"]
    return table[["stage", "count", "conversion", "previous", "previous_conversion", "change"]]


def bottleneck_sentence(table: pd.DataFrame, period: Period | str,
                        compare_to: Period | str | None = None) -> str:
    """Name the step with the lowest conversion, and how it moved against the comparison."""
    period = as_period(period)
    before = as_period(compare_to) if compare_to is not None else period.previous()
    steps = table.iloc[1:].dropna(subset=["conversion"])
    if steps.empty:
        return f"There is not enough data in {period} to compare the funnel's stages."
    worst = steps.loc[steps["conversion"].idxmin()]
    above = table["stage"].iloc[table.index.get_loc(worst.name) - 1]
    blank = table.loc[table["count"].isna(), "stage"].tolist()
    gaps = f" (no data for {', '.join(blank)})" if blank else ""
    if worst["conversion"] >= 1:
        return (f"No step of the funnel lost leads in {period}{gaps}: the lowest conversion "
                f"is {above} → {worst['stage']} at {format_value(worst['conversion'], 'rate')}.")
    text = (f"The bottleneck in {period} is {above} → {worst['stage']}: only "
            f"{format_value(worst['conversion'], 'rate')} moved on")
    if pd.notna(worst["previous_conversion"]):
        direction = "up from" if worst["change"] > 0 else "down from" if worst[
            "change"] < 0 else "the same as"
        text += f", {direction} {format_value(worst['previous_conversion'], 'rate')} in {before}"
    return text + gaps + "."


def funnel_by(view: View, period: Period | str, by: str) -> pd.DataFrame:
    """Stage counts and the conversion from lead to won, per group of ``by``."""
    period = as_period(period)
    columns = {}
    for stage, metric in STAGES.items():
        frame = metric(view, period, by=by)
        columns[stage] = frame.set_index(by)["value"]
    table = pd.DataFrame(columns)
    table["lead → won"] = (table["won"] / table["lead"].where(table["lead"] > 0)).astype(float)
    quality = lead_quality(view, period, by=by).set_index(by)["value"]
    table["lead quality"] = quality.reindex(table.index).astype(float)
    table.index.name = by
    table = table[table[list(STAGES)].fillna(0).sum(axis=1) > 0]  # no funnel activity
    return table.reset_index()


def stage_durations(view: View, period: Period | str) -> pd.DataFrame | None:
    """Days from entering each stage to entering the next, for steps completed in the period.

    None without a stage_history table.
    """
    if "stage_history" not in view.tables:
        return None
    period = as_period(period)
    order = {stage: i for i, stage in enumerate(view.settings.stages)}
    history = earliest_stages(view.tables["stage_history"]).copy()
    history["rank"] = history["stage"].astype(str).map(order)
    history = history.dropna(subset=["rank"]).sort_values(["opportunity_id", "rank"])
    nxt = history.groupby("opportunity_id", observed=True)[["stage", "entered_at"]].shift(-1)
    steps = pd.DataFrame({
        "step": history["stage"].astype(str) + " → " + nxt["stage"].astype(str),
        "days": ((nxt["entered_at"] - history["entered_at"]) / pd.Timedelta(days=1)).clip(lower=0),
        "done": period.mask(nxt["entered_at"]),
        "rank": history["rank"],
    }).dropna(subset=["days"])
    steps = steps[steps["done"]]
    if steps.empty:
        return pd.DataFrame(columns=["step", "deals", "mean_days", "median_days"])
    table = steps.groupby(["rank", "step"])["days"].agg(["size", "mean", "median"])
    table = table.reset_index().drop(columns="rank")
    table.columns = ["step", "deals", "mean_days", "median_days"]
    return table


def summary_table(view: View, period: Period | str, names: list[str]) -> pd.DataFrame:
    """Metrics of the period and the previous one, formatted, with the reason if missing."""
    period = as_period(period)
    currency = view.settings.currency
    rows = []
    for name in names:
        info = CATALOGUE[name]
        now, before = info.public(view, period), info.public(view, period.previous())
        rows.append({
            "metric": name,
            str(period): format_value(now, info.unit, currency),
            str(period.previous()): format_value(before, info.unit, currency),
            "note": getattr(now, "reason", ""),
        })
    return pd.DataFrame(rows)


def quality_sentence(view: View, period: Period | str) -> str:
    """Lead quality and BANT share in one sentence."""
    period = as_period(period)
    quality, bant = lead_quality(view, period), bant_qualified_share(view, period)
    parts = [f"{format_value(quality, 'rate')} of the leads created in {period} reached SQL"
             if not np.isnan(quality) else f"no lead quality for {period} ({quality.reason})"]
    if not np.isnan(bant):
        parts.append(f"{format_value(bant, 'rate')} of those with BANT answers met 3 of the 4 "
                     "criteria")
    return "; ".join(parts) + "."
