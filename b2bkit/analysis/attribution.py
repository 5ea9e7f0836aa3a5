"""Who gets the credit: the attribution models side by side, ranked, in one sentence.

>>> ranks = pd.DataFrame({"first_touch": [1, 2], "last_touch": [2, 1]},
...                      index=pd.Index(["webinar", "content"], name="channel"))
>>> model_sentence(ranks, by="channel")
'The top channel changes with the model: first touch favours webinar, last touch favours content.'
"""

from __future__ import annotations

import pandas as pd

from b2bkit.core.periods import Period
from b2bkit.metrics import MODELS, NO_TOUCHPOINT, UNKNOWN, View, attributed_roi

__all__ = ["model_sentence", "ranks", "side_by_side"]


def side_by_side(view: View, period: Period | str, *, by: str = "campaign_id",
                 level: str = "lead", models: tuple[str, ...] = MODELS) -> pd.DataFrame:
    """Credited bookings and attributed ROI per group under every model (long form).

    ``[by, model, credited_bookings, share, spend, roi]``; ``share`` is the group's
    part of the period's bookings under that model.
    """
    frames = []
    for model in models:
        frame = attributed_roi(view, period, model=model, level=level, by=by)
        total = frame["credited_bookings"].sum()
        frames.append(frame.assign(model=model, share=frame["credited_bookings"] / total
                                   if total else float("nan")))
    long = pd.concat(frames, ignore_index=True)
    return long[[by, "model", "credited_bookings", "share", "spend", "roi"]]


def ranks(long: pd.DataFrame, *, by: str = "campaign_id") -> pd.DataFrame:
    """Each group's rank by credited bookings under each model (1 = most; ties by name).

    ``(unknown)`` and ``(no touchpoint)`` are shown elsewhere, never ranked.
    """
    ranked = long[~long[by].isin([UNKNOWN, NO_TOUCHPOINT])]
    ranked = ranked.sort_values(["model", "credited_bookings", by],
                                ascending=[True, False, True], kind="stable")
    ranked = ranked.assign(rank=ranked.groupby("model").cumcount() + 1)
    table = ranked.pivot(index=by, columns="model", values="rank")
    order = [m for m in MODELS if m in table.columns]
    return table[order].sort_values(order[0])


def model_sentence(ranks_table: pd.DataFrame, *, by: str = "campaign_id") -> str:
    """Whether the top group depends on the model, named."""
    tops = ranks_table.idxmin()
    what = by.replace("_id", "")
    if tops.nunique() == 1:
        return (f"{tops.iloc[0]} ranks first under all {len(tops)} models: the answer "
                "does not depend on the model.")
    named = ", ".join(f"{m.replace('_', ' ')} favours {g}" for m, g in tops.items())
    return f"The top {what} changes with the model: {named}."
