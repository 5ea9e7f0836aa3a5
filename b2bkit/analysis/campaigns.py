"""Campaign and channel ROI: what each unit of spend bought, ranked.

Rankings ("best", "worst", the chart title) use :func:`rank`: groups with
spend and an ROI, never ``(unknown)`` (shown in the tables, never ranked),
ordered by ROI descending with ties broken by the group's name ascending,
the same way for channels and campaigns, for best and worst.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> table = channel_table(prepare(sample_dataset()), "2025-Q1", by="channel")
>>> table.set_index("channel").loc["webinar", ["spend", "leads", "cpl"]].tolist()
[500.0, 2.0, 250.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.analysis.stats import wilson_interval
from b2bkit.core.formatting import format_value
from b2bkit.core.periods import Period
from b2bkit.metrics import (
    UNKNOWN,
    View,
    cac,
    cost_per_sql,
    cpl,
    cycle_days,
    event_attendance,
    lead_quality,
    leads,
    marketing_spend,
    roi,
    roi_attribution,
    sqls,
)

__all__ = ["attendance_table", "channel_table", "immature_share", "rank", "ranking_sentences",
           "roi_title", "share_table"]


def _values(metric, view: View, period: Period, by: str) -> pd.Series:
    return metric(view, period, by=by).set_index(by)["value"].astype(float)


def channel_table(view: View, period: Period | str, *, by: str = "channel") -> pd.DataFrame:
    """Spend, leads, CPL, SQLs, cost per SQL, attributed wins and bookings, ROI (CAC by channel).

    ``attributed_won_deals`` and ``attributed_bookings`` are the wins and
    amounts of the period's leads (won as of as_of, whenever closed), the
    attribution of ROI; they differ from the catalogue's ``won_deals`` and
    ``bookings`` (deals closed in the period), hence their names.
    ``lead_quality`` (the share of the period's leads that reached SQL, as of
    as_of) comes with its 95% Wilson interval ``lead_quality_low`` /
    ``lead_quality_high``.
    """
    period = Period.parse(period)
    credited = roi_attribution(view, period, by=by).set_index(by)
    table = pd.DataFrame({
        "spend": _values(marketing_spend, view, period, by),
        "leads": _values(leads, view, period, by),
        "cpl": _values(cpl, view, period, by),
        "sqls": _values(sqls, view, period, by),
        "cost_per_sql": _values(cost_per_sql, view, period, by),
        "attributed_won_deals": credited["attributed_won_deals"],
        "attributed_bookings": credited["attributed_bookings"],
        "roi": _values(roi, view, period, by),
    })
    reached = _values(lead_quality, view, period, by) * table["leads"]
    table["lead_quality"] = reached / table["leads"].where(table["leads"] > 0)
    table["lead_quality_low"], table["lead_quality_high"] = wilson_interval(
        reached.round().fillna(0).to_numpy(), table["leads"].fillna(0).to_numpy())
    if by == "channel":
        table["cac"] = _values(cac, view, period, by)
    table.index.name = by
    table = table.reset_index()
    if by == "campaign_id" and "campaigns" in view.tables:
        names = view.tables["campaigns"].set_index("campaign_id")["name"].astype("string")
        table.insert(1, "campaign", [names.get(i, "(no campaign)") for i in table[by]])
    return table


def share_table(table: pd.DataFrame, by: str = "channel") -> pd.DataFrame:
    """Each group's share of the spend and of the bookings, side by side."""
    spend, booked = table["spend"].fillna(0), table["attributed_bookings"].fillna(0)
    return pd.DataFrame({
        by: table[by],
        "budget share": spend / spend.sum() if spend.sum() else np.nan,
        "bookings share": booked / booked.sum() if booked.sum() else np.nan,
    })


def rank(table: pd.DataFrame, *, by: str = "channel") -> pd.DataFrame:
    """The rows that can be ranked, best first: ROI descending, ties by name ascending.

    A row is ranked when it has spend and an ROI and is not ``(unknown)``.

    >>> table = pd.DataFrame({"channel": ["b", "(unknown)", "a", "c"],
    ...                       "spend": [1.0, 1.0, 1.0, 0.0], "roi": [0.5, 9.0, 0.5, 2.0]})
    >>> rank(table)["channel"].tolist()
    ['a', 'b']
    """
    ranked = table[(table["spend"].fillna(0) > 0) & (table[by].astype(str) != UNKNOWN)]
    ranked = ranked.dropna(subset=["roi"]).assign(_name=lambda t: t[by].astype(str))
    return ranked.sort_values(["roi", "_name"], ascending=[False, True],
                              kind="stable").drop(columns="_name")


def ranking_sentences(table: pd.DataFrame, *, by: str = "channel", currency: str = "") -> str:
    """The best and worst ROI named, with their figures (ranked by :func:`rank`).

    With ties, "best" is the first name of the highest ROI and "worst" the
    last name of the lowest, so one documented order serves both.
    """
    ranked = rank(table, by=by)
    if len(ranked) < 2:
        return f"Too few {by} values with spend to rank them."
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    text = (f"Best return: {best[by]}, ROI {format_value(best['roi'], 'ratio')} "
            f"({format_value(best['attributed_bookings'], 'currency', currency)} booked from "
            f"{format_value(best['spend'], 'currency', currency)} spent). "
            f"Worst: {worst[by]}, ROI {format_value(worst['roi'], 'ratio')} "
            f"({format_value(worst['attributed_bookings'], 'currency', currency)} from "
            f"{format_value(worst['spend'], 'currency', currency)}).")
    losing = ranked[ranked["roi"] < 0][by].astype(str).tolist()
    if losing:
        text += f" Spend did not pay back in: {', '.join(losing)}."
    return text


def roi_title(table: pd.DataFrame, period: Period | str, *, by: str = "channel") -> str:
    """A chart title that states the finding: which group returns the most."""
    ranked = rank(table, by=by)
    if ranked.empty:
        return f"No {by} with spend and a return in {period}"
    best = ranked.iloc[0]
    return f"{best[by]} returns the most per unit of spend (leads of {period})"


def attendance_table(view: View, period: Period | str) -> pd.DataFrame | None:
    """Webinar and event attendance per campaign, with the campaign's channel (None if absent)."""
    if "engagement" not in view.tables or "campaigns" not in view.tables:
        return None
    period = Period.parse(period)
    counts = _values(event_attendance, view, period, "campaign_id")
    campaigns = view.tables["campaigns"].set_index("campaign_id")
    table = pd.DataFrame({"attendance": counts})
    table = table[table["attendance"] > 0].astype({"attendance": int})
    names = campaigns["name"].astype("string")
    table["campaign"] = [names.get(i, i) for i in table.index]
    table["channel"] = [campaigns["channel"].get(i, "") for i in table.index]
    table.index.name = "campaign_id"
    return table.reset_index()[["campaign_id", "campaign", "channel", "attendance"]]


def immature_share(view: View, period: Period | str) -> tuple[float, float]:
    """Share of the period's leads younger than the median sales cycle at as_of, and that cycle.

    The cycle is the catalogue's (:func:`~b2bkit.metrics.cycle_days`: first
    contact to close) over every deal won up to as_of, not only those won
    in the period. The period's leads younger than it have had less time
    than a typical deal needs, so their ROI will still grow.
    """
    period = Period.parse(period)
    leads_frame = view.tables.get("leads")
    if leads_frame is None:
        return float("nan"), float("nan")
    cycle = cycle_days(view).median()
    if np.isnan(cycle):
        return float("nan"), float("nan")
    created = leads_frame["created_at"][period.mask(leads_frame["created_at"])]
    if created.empty:
        return float("nan"), float(cycle)
    young = (view.as_of - created.dt.normalize()) / pd.Timedelta(days=1) < cycle
    return float(young.mean()), float(cycle)
