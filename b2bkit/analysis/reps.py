"""Sales-rep performance: leaderboard, quota attainment, who to coach and to learn from.

A rate on few deals is noise, not a result: reps with fewer than
``min_deals`` closed deals in the period are flagged and left out of the
coach / learn-from sentences. Deals without a rep are the ``(unknown)`` row:
shown last, never ranked.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> board = leaderboard(prepare(sample_dataset()), "2025-Q1")
>>> board[["rep_id", "bookings", "closed_deals"]].values.tolist()
[['R1', 1200.5, 1.0], ['R2', 0.0, 1.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.formatting import format_value
from b2bkit.core.periods import Period
from b2bkit.metrics import (
    UNKNOWN,
    View,
    avg_deal_size,
    bookings,
    forecast_accuracy,
    quota_attainment,
    sales_cycle_days,
    selling_time_share,
    win_rate,
    won_deals,
)

__all__ = ["MIN_DEALS", "coaching_sentences", "leaderboard"]

#: Closed deals below which a rep's rates are flagged as a small sample.
MIN_DEALS = 5

COLUMNS = {"bookings": bookings, "won_deals": won_deals, "win_rate": win_rate,
           "avg_deal_size": avg_deal_size, "sales_cycle_days": sales_cycle_days,
           "quota_attainment": quota_attainment, "selling_time_share": selling_time_share,
           "forecast_accuracy": forecast_accuracy}


def leaderboard(view: View, period: Period | str, *, team: str = "",
                min_deals: int = MIN_DEALS) -> pd.DataFrame:
    """One row per rep, by bookings: the metrics of :data:`COLUMNS`, closed deals, a flag."""
    period = Period.parse(period)
    table = pd.DataFrame({name: metric(view, period, by="rep_id").set_index("rep_id")["value"]
                          for name, metric in COLUMNS.items()})
    opps = view.tables.get("opportunities")
    closed = pd.Series(0.0, index=table.index)
    if opps is not None and "rep_id" in opps and "closed_at" in opps:
        done = period.mask(opps["closed_at"]) & opps["status"].isin(["won", "lost"])
        closed = done.groupby(opps["rep_id"].astype("string")).sum().reindex(
            table.index, fill_value=0).astype(float)
    table["closed_deals"] = closed
    table["small_sample"] = table["closed_deals"] < min_deals
    reps = view.tables.get("reps")
    if reps is not None:
        info = reps.set_index(reps["rep_id"].astype("string"))
        table.insert(0, "name", info["name"].reindex(table.index).astype("string"))
        team_of = (info["team"].astype("string") if "team" in info
                   else pd.Series(pd.NA, index=info.index, dtype="string"))
        table.insert(1, "team", team_of.reindex(table.index))
        if team:
            table = table[table["team"] == team]
    active = (table["bookings"].fillna(0) > 0) | (table["closed_deals"] > 0) | table[
        "quota_attainment"].notna()
    table = table[active]
    table = table.assign(_unknown=table.index == UNKNOWN)
    table = table.sort_values(["_unknown", "bookings", "won_deals"],
                              ascending=[True, False, False]).drop(columns="_unknown")
    table.index.name = "rep_id"
    return table.reset_index()


def _who(row: pd.Series) -> str:
    name = row.get("name")
    rep = str(row["rep_id"])
    return f"{rep} ({name})" if isinstance(name, str) and name and name != rep else rep


def coaching_sentences(board: pd.DataFrame, *, currency: str = "") -> str:
    """The reps to learn from and to coach, with the numbers that make the case."""
    named = board[board["rep_id"].astype(str) != UNKNOWN]  # shown, never ranked
    solid = named[~named["small_sample"]].dropna(subset=["win_rate"])
    flagged = named[named["small_sample"]]["rep_id"].astype(str).tolist()
    if len(solid) < 2:
        text = "Too few reps with enough closed deals to compare."
    else:
        score = solid["win_rate"].rank(pct=True) + solid["quota_attainment"].fillna(
            solid["win_rate"]).rank(pct=True)
        best, worst = solid.loc[score.idxmax()], solid.loc[score.idxmin()]

        def case(row: pd.Series) -> str:
            parts = [f"win rate {format_value(row['win_rate'], 'rate')} over "
                     f"{row['closed_deals']:.0f} closed deals",
                     f"{format_value(row['bookings'], 'currency', currency)} booked"]
            if not np.isnan(row["quota_attainment"]):
                parts.append(f"quota attainment {format_value(row['quota_attainment'], 'rate')}")
            return ", ".join(parts)

        text = (f"Learn from {_who(best)}: {case(best)}. "
                f"Coach {_who(worst)}: {case(worst)}.")
    if flagged:
        text += (f" Too few closed deals to judge (under {MIN_DEALS}): "
                 f"{', '.join(flagged)}.")
    return text
