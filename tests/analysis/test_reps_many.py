"""A leaderboard of thousands of reps stays readable (issue 28): the top and bottom N shown."""

import numpy as np
import pandas as pd

from b2bkit.analysis import reps
from b2bkit.analysis.stats import wilson_interval
from b2bkit.load.dataset import from_frames
from b2bkit.metrics import prepare


def _view(n: int):
    reps_ = pd.DataFrame({"rep_id": [f"R{i:05d}" for i in range(n)],
                          "name": [f"Rep {i}" for i in range(n)]})
    # rep i wins one deal of 1000 + i and loses one: bookings rank the reps by number
    opps = pd.DataFrame({
        "opportunity_id": [f"D{i}" for i in range(2 * n)],
        "created_at": pd.Timestamp("2025-04-01"),
        "status": ["won", "lost"] * n,
        "amount": np.repeat(1000.0 + np.arange(n), 2),
        "account_id": "A1",
        "rep_id": np.repeat(reps_["rep_id"].to_numpy(), 2),
        "closed_at": pd.Timestamp("2025-04-11"),
    })
    return prepare(from_frames({"reps": reps_, "opportunities": opps}))


def test_ten_thousand_reps_show_the_top_and_bottom_ten_and_sum_the_rest() -> None:
    view = _view(10_000)
    board = reps.leaderboard(view, "2025-Q2")
    assert len(board) == 10_000
    shown = reps.shown_reps(board)
    assert shown.ranked["rep_id"].tolist() == (
        [f"R{i:05d}" for i in range(9999, 9989, -1)] + [f"R{i:05d}" for i in range(9, -1, -1)])
    other = shown.table.iloc[reps.SHOWN]
    assert other["rep_id"] == "(other 9,980 reps)" and len(shown.table) == 21
    # reps 10..9989: bookings sum(1000 + i), one won of two closed each
    assert other["bookings"] == sum(1000.0 + i for i in range(10, 9990))
    assert (other["won_deals"], other["closed_deals"], other["win_rate"]) == (9980, 19960, 0.5)
    assert shown.note == ("Of 10,000 reps, the top 10 and the bottom 10 by bookings are shown; "
                          "the other 9,980 are summed in one row.")
    # every rep has 2 closed deals (< 5): none is judged, and the sentence counts them
    text = reps.coaching_sentences(board, table=reps.coaching_table(view, board, "2025-Q2"))
    assert text == ("No rep differs clearly from the rest of the team this period. 10,000 other "
                    "reps: no clear difference from the team (10,000 with fewer than 5 closed "
                    "deals).")


def test_a_small_team_is_shown_whole() -> None:
    board = reps.leaderboard(_view(20), "2025-Q2")
    shown = reps.shown_reps(board)
    assert shown.note == "" and shown.table is board and len(shown.ranked) == 20


def test_a_team_of_equal_reps_names_nobody_by_luck() -> None:
    # 2,000 reps with the same true win rate (each of 10 deals won with probability 0.5):
    # per-rep 95% intervals would name dozens by chance; shared by the team, none
    rng = np.random.default_rng(7)
    n, deals = 2000, 10
    reps_ = pd.DataFrame({"rep_id": [f"R{i:05d}" for i in range(n)],
                          "name": [f"Rep {i}" for i in range(n)]})
    opps = pd.DataFrame({
        "opportunity_id": [f"D{i}" for i in range(n * deals)],
        "created_at": pd.Timestamp("2025-04-01"),
        "status": np.where(rng.random(n * deals) < 0.5, "won", "lost"),
        "amount": 1000.0, "account_id": "A1",
        "rep_id": np.repeat(reps_["rep_id"].to_numpy(), deals),
        "closed_at": pd.Timestamp("2025-04-11"),
    })
    view = prepare(from_frames({"reps": reps_, "opportunities": opps}))
    board = reps.leaderboard(view, "2025-Q2")
    table = reps.coaching_table(view, board, "2025-Q2")
    assert table.attrs["level"] == 1 - 0.05 / 2000
    assert (table["named"] == "").all()
    # at 95% per rep, the Wilson interval of a rep's own rate alone leaves 0.5 for dozens
    low, high = wilson_interval(table["won"].to_numpy(), table["closed_deals"].to_numpy(), 0.95)
    assert ((high < 0.5) | (low > 0.5)).sum() > 20
    text = reps.rule_sentence(table=table)
    assert text.endswith("2,000 reps with at least 5 closed deals are compared at once, so "
                         "each interval is at 99.9975% for a 95% chance that none of them "
                         "names a rep by luck alone.")
