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

from dataclasses import dataclass

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

__all__ = ["MIN_DEALS", "SHOWN", "Shown", "coaching_sentences", "leaderboard", "listed",
           "shown_reps"]

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
                 f"{listed(flagged)}.")
    return text


#: Reps shown at each end of a long leaderboard (the top and the bottom by bookings).
SHOWN = 10


def listed(names: list[str], most: int = 2 * SHOWN) -> str:
    """Names joined by commas, the first ``most`` of them and how many more.

    >>> listed(["R1", "R2"]), listed([f"R{i}" for i in range(1, 30)], most=3)
    ('R1, R2', 'R1, R2, R3 and 26 more')
    """
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most])} and {len(names) - most:,} more"


@dataclass
class Shown:
    """A leaderboard as a report shows it.

    ``ranked``: the reps shown one by one (all of them, or the top and the
    bottom :data:`SHOWN` by bookings, then ``(unknown)``), for the charts;
    ``table``: the same with one row summing the reps between them;
    ``note``: what was left out and how, empty when nothing was.
    """

    ranked: pd.DataFrame
    table: pd.DataFrame
    note: str = ""


def shown_reps(board: pd.DataFrame, n: int = SHOWN) -> Shown:
    """The top and bottom ``n`` reps of a :func:`leaderboard`, the rest summed in one row.

    A team of thousands of reps makes a table nobody reads and charts that
    take minutes to draw; with more than ``2 * n`` named reps, the middle
    ones are one row ``(other N reps)``: bookings, won and closed deals
    summed, win rate and average deal pooled (won / closed, bookings / won),
    the sales cycle averaged over their won deals; quota attainment, selling
    time and forecast accuracy, which the leaderboard cannot pool, are left
    blank. ``(unknown)`` is shown apart, as always.

    >>> board = pd.DataFrame({"rep_id": [f"R{i}" for i in range(1, 6)] + [UNKNOWN],
    ...                       "bookings": [50.0, 40.0, 30.0, 20.0, 10.0, 5.0],
    ...                       "won_deals": [5.0, 4.0, 3.0, 2.0, 1.0, 1.0],
    ...                       "win_rate": [0.5, 0.4, 0.3, 0.2, 0.1, 1.0],
    ...                       "avg_deal_size": [10.0, 10.0, 10.0, 10.0, 10.0, 5.0],
    ...                       "sales_cycle_days": [10.0, 20.0, 30.0, 40.0, 50.0, 1.0],
    ...                       "quota_attainment": [1.0, 0.8, 0.6, 0.4, 0.2, np.nan],
    ...                       "closed_deals": [10.0, 10.0, 10.0, 10.0, 10.0, 1.0],
    ...                       "small_sample": [False] * 5 + [True]})
    >>> shown = shown_reps(board, n=1)
    >>> shown.ranked["rep_id"].tolist(), shown.note
    (['R1', 'R5', '(unknown)'], 'Of 5 reps, the top 1 and the bottom 1 by bookings are shown; \
the other 3 are summed in one row.')
    >>> other = shown.table.iloc[1]  # R2..R4: 9 won of 30 closed; cycle (80 + 90 + 80) / 9
    >>> other["rep_id"], other[["bookings", "win_rate", "sales_cycle_days"]].astype(float).round(
    ...     2).tolist()
    ('(other 3 reps)', [90.0, 0.3, 27.78])
    """
    named = board[board["rep_id"].astype(str) != UNKNOWN]
    unknown = board[board["rep_id"].astype(str) == UNKNOWN]
    if len(named) <= 2 * n:
        return Shown(board, board)
    top, rest, bottom = named.iloc[:n], named.iloc[n:len(named) - n], named.iloc[len(named) - n:]
    won, closed = rest["won_deals"].sum(), rest["closed_deals"].sum()
    cycle_weight = rest["won_deals"].where(rest["sales_cycle_days"].notna(), 0.0)
    summary = {column: np.nan for column in board.columns if column != "rep_id"}
    summary.update({
        "rep_id": f"(other {len(rest):,} reps)",
        "bookings": rest["bookings"].sum(),
        "won_deals": won,
        "closed_deals": closed,
        "win_rate": won / closed if closed else np.nan,
        "avg_deal_size": rest["bookings"].sum() / won if won else np.nan,
        "sales_cycle_days": ((rest["sales_cycle_days"].fillna(0) * cycle_weight).sum()
                             / cycle_weight.sum() if cycle_weight.sum() else np.nan),
        "small_sample": False,
    })
    for column in ("name", "team"):
        if column in board:
            summary[column] = pd.NA
    row = pd.DataFrame([summary], columns=board.columns).astype(
        {c: board[c].dtype for c in board.columns if c in ("name", "team", "rep_id")})
    ranked = pd.concat([top, bottom, unknown])
    table = pd.concat([top, row, bottom, unknown], ignore_index=True)
    note = (f"Of {len(named):,} reps, the top {n} and the bottom {n} by bookings are shown; "
            f"the other {len(rest):,} are summed in one row.")
    return Shown(ranked.reset_index(drop=True), table, note)
