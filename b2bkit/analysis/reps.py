r"""Sales-rep performance: leaderboard, quota attainment, who to coach and to learn from.

A rate on few deals is noise, not a result. Each rep's win rate is compared
with the rest of the team's (the deals the other reps closed in the period)
through the 95% interval of the difference, Newcombe's hybrid score interval
built from the two Wilson intervals :math:`(l_1, u_1)` and :math:`(l_2,
u_2)` (Newcombe 1998, method 10):

.. math::

    \delta = \hat p_1 - \hat p_2, \quad
    L = \delta - \sqrt{(\hat p_1 - l_1)^2 + (u_2 - \hat p_2)^2}, \quad
    U = \delta + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_2 - l_2)^2}.

The rule that names a rep (:data:`RULE`): *learn from* a rep with at least
``min_deals`` closed deals whose whole interval is above 0 (clearly better
than the rest of the team); *coach* one whose whole interval is below 0, and
any rep with a positive quota who booked nothing in the period (whatever the
number of deals). Every other rep is not named: no clear difference.
Deals without a rep are the ``(unknown)`` row: shown last, never ranked.

Many reps are compared at once, and by chance alone one rep in twenty would
show a 95% interval clear of 0 (500 of a team of 10,000 with the same true
win rate). So the 95% holds for the team as a whole: with :math:`k` reps
judged (at least ``min_deals`` closed deals each), each interval is built at
:math:`1 - 0.05 / k` (Bonferroni), and the rule and the sentences state the
level used.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> board = leaderboard(prepare(sample_dataset()), "2025-Q1")
>>> board[["rep_id", "bookings", "closed_deals"]].values.tolist()
[['R1', 1200.5, 1.0], ['R2', 0.0, 1.0]]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.analysis import with_units
from b2bkit.analysis.quality import figure_note
from b2bkit.analysis.stats import wilson_interval
from b2bkit.core.formatting import format_change, format_value
from b2bkit.core.i18n import N_, NC_, _, ngettext, number, percent, period_text, pgettext, plain
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

__all__ = [
    "BOARD_UNITS",
    "COACHING_UNITS",
    "MIN_DEALS",
    "RULE",
    "SHOWN",
    "Shown",
    "board_shown",
    "coaching_sentences",
    "coaching_shown",
    "coaching_table",
    "leaderboard",
    "left_out_sentence",
    "listed",
    "next_steps",
    "rep_labels",
    "rule_sentence",
    "shown_reps",
]

#: Closed deals below which a rep's rates are flagged as a small sample.
MIN_DEALS = 5

#: The rule that names a rep, printed above the names.
RULE = N_("A rep is named only on a clear difference: 'learn from' when they closed at least "
        "{min_deals} deals in the period and the interval of their win rate minus the rest "
        "of the team's lies wholly above 0; 'coach' when it lies wholly below 0, or when they "
        "have a quota for the period and booked nothing. Everyone else: no clear difference "
        "from the team. {reps} compared at once, so each interval is at {level} for "
        "a 95% chance that none of them names a rep by luck alone.")

#: The verdicts of :func:`coaching_table` (``named``) as a reader sees them, translated
#: with ``pgettext("rep verdict", code)``; the codes stay the table's values.
NAMED = (NC_("rep verdict", "learn from"), NC_("rep verdict", "coach"),
         NC_("rep verdict", "no clear difference"))

COLUMNS = {"bookings": bookings, "won_deals": won_deals, "win_rate": win_rate,
           "avg_deal_size": avg_deal_size, "sales_cycle_days": sales_cycle_days,
           "quota_attainment": quota_attainment, "selling_time_share": selling_time_share,
           "forecast_accuracy": forecast_accuracy}

#: The units of the leaderboard's columns (``attrs["units"]`` of :func:`leaderboard`,
#: :func:`board_shown` and :func:`shown_reps`' tables); changes are signed.
BOARD_UNITS = {"bookings": "currency", "won_deals": "count", "win_rate": "rate",
               "avg_deal_size": "currency", "sales_cycle_days": "days",
               "quota_attainment": "rate", "selling_time_share": "rate",
               "forecast_accuracy": "rate", "closed_deals": "count",
               "bookings_previous": "currency", "bookings_change": "currency_change",
               "win_rate_previous": "rate", "win_rate_change": "rate_change"}

#: The units of :func:`coaching_table`'s columns; the difference and its interval are
#: differences of rates (percentage points).
COACHING_UNITS = {"won": "count", "closed_deals": "count", "win_rate": "rate",
                  "rest_win_rate": "rate", "difference": "rate_change", "low": "rate_change",
                  "high": "rate_change", "quota": "currency", "bookings": "currency"}

#: :func:`coaching_shown`'s names for the columns of :func:`coaching_table`.
_COACHING_SHOWN = {"rest_win_rate": "rest of the team's win rate", "low": "interval low",
                   "high": "interval high"}


def leaderboard(view: View, period: Period | str, *, team: str = "",
                min_deals: int = MIN_DEALS) -> pd.DataFrame:
    """One row per rep, by bookings: the metrics of :data:`COLUMNS`, closed deals, a flag.

    ``attrs["left_out"]``: the sentence saying what the bookings leave out
    (:func:`left_out_sentence`), which :func:`shown_reps` passes on in its note.

    The units of the columns are in ``attrs["units"]`` (:data:`BOARD_UNITS`).

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> leaderboard(prepare(sample_dataset()), "2025-Q1").attrs["units"]["bookings_change"]
    'currency_change'
    """
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
    before = period.previous()
    for name, metric in (("bookings", bookings), ("win_rate", win_rate)):
        earlier = metric(view, before, by="rep_id").set_index("rep_id")["value"].astype(float)
        table[f"{name}_previous"] = earlier.reindex(table.index)
        table[f"{name}_change"] = table[name] - table[f"{name}_previous"]
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
    table = table.reset_index()
    table.attrs["left_out"] = left_out_sentence(view, period,
                                                table["rep_id"] if team else None)
    return with_units(table, BOARD_UNITS)


def left_out_sentence(view: View, period: Period | str, reps: pd.Series | None = None) -> str:
    """What the reps' bookings leave out: the won deals of the period without an amount.

    For the whole team, the sentence of the won deals and bookings with what
    their data leaves out (:func:`b2bkit.analysis.quality.figure_note`); for
    some reps (``reps``: their ids), the won deals of theirs without an
    amount, which count as won and as 0 in bookings. "" when none.

    >>> from b2bkit.load.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "created_at": "2025-01-02",
    ...                      "status": "won", "amount": [100, None], "account_id": "A1",
    ...                      "rep_id": ["R1", "R2"], "closed_at": "2025-02-01"})
    >>> view = prepare(from_frames({"opportunities": opps}))
    >>> left_out_sentence(view, "2025-Q1")
    'Bookings: 2 won deals in 2025-Q1 worth 100.00 USD; 1 of them has no amount and counts 0 \
in bookings.'
    >>> left_out_sentence(view, "2025-Q1", pd.Series(["R1"]))
    ''
    """
    period = Period.parse(period)
    if reps is None:
        note = figure_note(view, period, "won_deals")
        return _("Bookings: {note}.").format(note=note) if note else ""
    opps = view.tables.get("opportunities")
    if opps is None or "amount" not in opps or "rep_id" not in opps or "closed_at" not in opps:
        return ""
    theirs = opps["rep_id"].astype("string").isin(reps.astype("string")).fillna(False)
    blank = int(((opps["status"] == "won") & period.mask(opps["closed_at"]) & theirs
                 & opps["amount"].isna()).fillna(False).sum())
    if not blank:
        return ""
    return ngettext("Bookings: {n} won deal of these reps in {period} has no amount and "
                    "counts 0 in bookings.",
                    "Bookings: {n} won deals of these reps in {period} have no amount and "
                    "count 0 in bookings.", blank).format(n=number(blank),
                                                          period=period_text(period))


def _quota(view: View, period: Period, index: pd.Index) -> pd.Series:
    """Each rep's quota for the period: the quota rows inside it (CONTRACT, quota_attainment)."""
    quotas = view.tables.get("quotas")
    if quotas is None or not len(quotas):
        return pd.Series(np.nan, index=index)
    inside = ((quotas["period_start"] >= period.start) & (quotas["period_end"] <= period.end))
    return quotas[inside].groupby(quotas["rep_id"].astype("string"))["quota"].sum().astype(
        float).reindex(index)


def coaching_table(view: View, board: pd.DataFrame, period: Period | str, *,
                   min_deals: int = MIN_DEALS, confidence: float = 0.95) -> pd.DataFrame:
    """Each rep's win rate against the rest of the team, with the interval, and the verdict.

    Columns ``rep_id``, ``won``, ``closed_deals``, ``win_rate``,
    ``rest_win_rate`` (the other reps' won / closed, ``(unknown)`` left
    out), ``difference``, ``low`` / ``high`` (its interval, see the module),
    ``quota``, ``bookings`` and ``named`` ("learn from", "coach" or ""), their
    units in ``attrs["units"]`` (:data:`COACHING_UNITS`). ``attrs["level"]`` is
    the level of each interval: ``confidence`` shared by the :math:`k` reps
    judged, :math:`1 - (1 - \text{confidence}) / k`.
    """
    period = Period.parse(period)
    reps_only = board[board["rep_id"].astype(str) != UNKNOWN].set_index("rep_id")
    closed = reps_only["closed_deals"].astype(float)
    judged = int((closed >= min_deals).sum())
    confidence = 1 - (1 - confidence) / max(judged, 1)  # Bonferroni over the reps judged
    won = (reps_only["win_rate"].astype(float) * closed).round().fillna(0.0)
    rest_won, rest_closed = won.sum() - won, closed.sum() - closed
    p1 = won / closed.where(closed > 0)
    p2 = rest_won / rest_closed.where(rest_closed > 0)
    l1, u1 = wilson_interval(won.to_numpy(), closed.to_numpy(), confidence)
    l2, u2 = wilson_interval(rest_won.to_numpy(), rest_closed.to_numpy(), confidence)
    diff = (p1 - p2).to_numpy(dtype=float)
    a, b = p1.to_numpy(dtype=float), p2.to_numpy(dtype=float)
    low = diff - np.sqrt((a - l1) ** 2 + (u2 - b) ** 2)
    high = diff + np.sqrt((u1 - a) ** 2 + (b - l2) ** 2)
    quota = _quota(view, period, reps_only.index)
    booked = reps_only["bookings"].astype(float).fillna(0.0)
    enough = (closed >= min_deals).to_numpy()
    named = np.where(enough & (low > 0), "learn from",
                     np.where((enough & (high < 0)) | ((quota > 0) & (booked <= 0)).to_numpy(),
                              "coach", ""))
    table = with_units(pd.DataFrame({
        "rep_id": reps_only.index, "won": won.to_numpy(), "closed_deals": closed.to_numpy(),
        "win_rate": a, "rest_win_rate": b, "difference": diff, "low": low, "high": high,
        "quota": quota.to_numpy(), "bookings": booked.to_numpy(), "named": named,
    }).reset_index(drop=True), COACHING_UNITS)
    table.attrs["level"] = confidence
    return table


def coaching_shown(table: pd.DataFrame, board: pd.DataFrame) -> pd.DataFrame:
    """:func:`coaching_table` for reading: reps by name, the verdict in words, the units
    (:data:`COACHING_UNITS`) under the columns' new names."""
    labels = dict(zip(board["rep_id"], rep_labels(board), strict=True))
    out = table.drop(columns="named").rename(columns=_COACHING_SHOWN)
    out.insert(0, "rep", [labels.get(r, str(r)) for r in table["rep_id"]])
    out["verdict"] = [pgettext("rep verdict", v or "no clear difference")
                      for v in table["named"]]
    return with_units(out.drop(columns="rep_id"),
                      {_COACHING_SHOWN.get(c, c): u for c, u in COACHING_UNITS.items()})


def board_shown(board: pd.DataFrame, min_deals: int = MIN_DEALS) -> pd.DataFrame:
    """The leaderboard for reading: the small-sample flag as a note in words, not True/False.

    The previous period's bookings and win rate are left out (their changes are shown: the
    previous value is the value minus the change), so that the table fits a 1280 px page.
    The units are :data:`BOARD_UNITS` (``attrs["units"]``), whatever table it is given.
    """
    out = board.drop(columns=["small_sample", "bookings_previous", "win_rate_previous"],
                     errors="ignore")
    for column in ("name", "team"):  # a rep without a name or team: blank, never <NA>
        if column in out:
            out[column] = out[column].astype("string").fillna("")
    few = ngettext("fewer than {n} closed deals", "fewer than {n} closed deals",
                   min_deals).format(n=number(min_deals))
    out["note"] = np.where(board["small_sample"], few, "")
    return with_units(out, BOARD_UNITS)


def rule_sentence(min_deals: int = MIN_DEALS, table: pd.DataFrame | None = None) -> str:
    """:data:`RULE` with the minimum number of closed deals and the level of ``table``'s
    intervals (:func:`coaching_table`).

    >>> table = pd.DataFrame({"closed_deals": [6.0, 9.0, 2.0]})
    >>> table.attrs["level"] = 0.975
    >>> rule_sentence(5, table).split(". ")[-1]
    '2 reps with at least 5 closed deals are compared at once, so each interval is at 97.5% \
for a 95% chance that none of them names a rep by luck alone.'
    """
    level = 0.95 if table is None else table.attrs.get("level", 0.95)
    judged = 0 if table is None else int((table["closed_deals"] >= min_deals).sum())
    reps = ngettext("{n} rep with at least {min_deals} closed deals is",
                    "{n} reps with at least {min_deals} closed deals are",
                    judged).format(n=number(judged), min_deals=number(min_deals))
    return _(RULE).format(min_deals=number(min_deals), reps=reps, level=_level(level))


def _level(level: float) -> str:
    """A confidence level as a percent: the chance it misses to two significant digits,
    "about" when that rounds.

    >>> _level(0.95), _level(0.975), _level(1 - 0.05 / 2000), _level(1 - 0.05 / 11)
    ('95%', '97.5%', '99.9975%', 'about 99.55%')
    """
    miss = (1 - level) * 100
    shown = float(f"{miss:.2g}")
    digits = max(0, -math.floor(math.log10(shown)) + 1) if shown > 0 else 0
    text = f"{100 - shown:.{digits}f}".rstrip("0").rstrip(".")
    places = len(text.partition(".")[2])
    text = percent(float(text) / 100, places)
    return text if abs(shown - miss) < 1e-9 else _("about {level}").format(level=text)


def rep_labels(board: pd.DataFrame) -> pd.Index:
    """The name each rep is shown by in charts: the reps table's name, else the id."""
    names = board["name"] if "name" in board else pd.Series(pd.NA, index=board.index)
    return pd.Index([str(n) if isinstance(n, str) and n else str(r)
                     for n, r in zip(names, board["rep_id"], strict=True)], name="rep")


def _who(row: pd.Series) -> str:
    name = row.get("name")
    rep = str(row["rep_id"])
    return f"{rep} ({name})" if isinstance(name, str) and name and name != rep else rep


def coaching_sentences(board: pd.DataFrame, *, currency: str = "",
                       table: pd.DataFrame | None = None, min_deals: int = MIN_DEALS) -> str:
    """The reps to learn from and to coach by the rule of :data:`RULE`, with their numbers.

    ``table`` is :func:`coaching_table` of the board; the sentence names only
    the reps it names, and says how many others show no clear difference.
    """
    if table is None:
        raise ValueError("coaching_sentences needs table=coaching_table(view, board, period)")
    rows = table.merge(board[["rep_id"] + [c for c in ("name", "quota_attainment")
                                           if c in board]], on="rep_id", how="left")
    level = _level(table.attrs.get("level", 0.95))

    def case(row: pd.Series) -> str:
        if row["closed_deals"] > 0:
            parts = [ngettext(
                "won {won} of {closed} closed deals ({rate}, the rest of the team {rest}; "
                "difference {difference}, {level} interval {low} to {high})",
                "won {won} of {closed} closed deals ({rate}, the rest of the team {rest}; "
                "difference {difference}, {level} interval {low} to {high})",
                int(row["closed_deals"])).format(
                won=plain(row["won"], 0), closed=plain(row["closed_deals"], 0),
                rate=format_value(row["win_rate"], "rate"),
                rest=format_value(row["rest_win_rate"], "rate"),
                difference=format_change(row["difference"], "rate"), level=level,
                low=format_change(row["low"], "rate"), high=format_change(row["high"], "rate"))]
        else:
            parts = [_("closed no deal")]
        amount = format_value(row["bookings"], "currency", currency)
        if np.isnan(row["quota"]):
            parts.append(_("{amount} booked").format(amount=amount))
        else:
            parts.append(_("{amount} booked against a quota of {quota}").format(
                amount=amount, quota=format_value(row["quota"], "currency", currency)))
        return ", ".join(parts)

    out = []
    heads = {"learn from": N_("Learn from {who}: {case}."), "coach": N_("Coach {who}: {case}.")}
    for verdict, head in heads.items():
        chosen = rows[rows["named"] == verdict]  # a team of thousands: the first SHOWN named
        for _index, row in chosen.head(SHOWN).iterrows():
            out.append(_(head).format(who=_who(row), case=case(row)))
        if len(chosen) > SHOWN:
            extra = len(chosen) - SHOWN
            more = (ngettext("{n} more to learn from (in the table).",
                             "{n} more to learn from (in the table).", extra)
                    if verdict == "learn from" else
                    ngettext("{n} more to coach (in the table).",
                             "{n} more to coach (in the table).", extra))
            out.append(more.format(n=number(extra)))
    others = rows[rows["named"] == ""]
    if not out:
        out.append(_("No rep differs clearly from the rest of the team this period."))
    if len(others):
        few = int((others["closed_deals"] < min_deals).sum())
        if few:
            text = ngettext("{n} other rep: no clear difference from the team ({few} with "
                            "fewer than {min_deals} closed deals).",
                            "{n} other reps: no clear difference from the team ({few} with "
                            "fewer than {min_deals} closed deals).", len(others))
        else:
            text = ngettext("{n} other rep: no clear difference from the team.",
                            "{n} other reps: no clear difference from the team.", len(others))
        out.append(text.format(n=number(len(others)), few=number(few),
                               min_deals=min_deals))
    return " ".join(out)


def next_steps(board: pd.DataFrame, table: pd.DataFrame, period: Period | str, *,
               currency: str = "") -> str:
    """"What to look at next": two or three sentences from the leaderboard and the coaching."""
    named = board[board["rep_id"].astype(str) != UNKNOWN]
    out = []
    coach = table[table["named"] == "coach"]
    if len(coach):
        out.append(_("Sit down with {reps}: the numbers above show a clear gap, so look at "
                     "their deals lost and their pipeline.").format(
                         reps=listed(coach["rep_id"].astype(str).tolist())))
    behind = named[named["quota_attainment"] < 0.5] if "quota_attainment" in named else named[:0]
    who = [_who(r) for _i, r in behind.head(2 * SHOWN).iterrows()]  # no loop over a whole team
    if len(behind):
        out.append(ngettext(
            "{n} rep is below half of quota in {period} ({reps}); check whether their open "
            "pipeline can close the gap.",
            "{n} reps are below half of quota in {period} ({reps}); check whether their open "
            "pipeline can close the gap.", len(behind)).format(
                n=plain(len(behind), 0), period=period_text(period),
                reps=listed(who, total=len(behind))))
    if "bookings_change" in named and named["bookings_change"].notna().any():
        drop = named.loc[named["bookings_change"].idxmin()]
        if drop["bookings_change"] < 0:
            out.append(_("The largest fall in bookings since the period before is {rep}'s "
                         "({change}).").format(
                             rep=_who(drop),
                             change=format_change(drop["bookings_change"], "currency",
                                                  currency)))
    if not out:
        out.append(_("No rep stands out in {period}; compare again over a longer period, "
                     "where more closed deals make differences clear.").format(
                         period=period_text(period)))
    return " ".join(out[:3])


#: Reps shown at each end of a long leaderboard (the top and the bottom by bookings).
SHOWN = 10


def listed(names: list[str], most: int = 2 * SHOWN, *, total: int | None = None) -> str:
    """Names joined by commas, the first ``most`` of them and how many more of ``total``
    (default: ``len(names)``).

    >>> listed(["R1", "R2"]), listed([f"R{i}" for i in range(1, 30)], most=3)
    ('R1, R2', 'R1, R2, R3 and 26 more')
    >>> listed(["R1", "R2"], total=5)
    'R1, R2 and 3 more'
    """
    total = len(names) if total is None else total
    shown = names[:most]
    if total <= len(shown):
        return ", ".join(shown)
    more = total - len(shown)
    return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
        names=", ".join(shown), n=number(more))


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
    blank. ``(unknown)`` is shown apart, as always. Both tables carry
    :data:`BOARD_UNITS` in ``attrs["units"]``.

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
    left_out = board.attrs.get("left_out", "")
    if len(named) <= 2 * n:
        return Shown(board, board, left_out)
    top, rest, bottom = named.iloc[:n], named.iloc[n:len(named) - n], named.iloc[len(named) - n:]
    won, closed = rest["won_deals"].sum(), rest["closed_deals"].sum()
    cycle_weight = rest["won_deals"].where(rest["sales_cycle_days"].notna(), 0.0)
    summary = {column: np.nan for column in board.columns if column != "rep_id"}
    summary.update({
        "rep_id": ngettext("(other {n} reps)", "(other {n} reps)", len(rest)).format(
            n=number(len(rest))),
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
    ranked = with_units(pd.concat([top, bottom, unknown]), BOARD_UNITS)
    table = with_units(pd.concat([top, row, bottom, unknown], ignore_index=True), BOARD_UNITS)
    note = ngettext("Of {total} reps, the top {n} and the bottom {n} by bookings are shown; "
                    "the other {rest} are summed in one row.",
                    "Of {total} reps, the top {n} and the bottom {n} by bookings are shown; "
                    "the other {rest} are summed in one row.", len(named)).format(
                        total=number(len(named)), n=number(n), rest=number(len(rest)))
    note += f" {left_out}" if left_out else ""
    return Shown(ranked.reset_index(drop=True), table, note)
