"""Campaign and channel ROI: what each unit of spend bought, ranked.

Rankings (the "best" sentence, the chart title) use :func:`rank`: groups
with spend and an ROI, never ``(unknown)`` (shown in the tables, never
ranked), ordered by ROI descending with ties listed by the group's name
ascending, the same way for channels and campaigns; the "worst" sentence
is by money lost, and ties are named as ties.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> table = channel_table(prepare(sample_dataset()), "2025-Q1", by="channel")
>>> table.set_index("channel").loc["webinar", ["spend", "leads", "cpl"]].tolist()
[500.0, 2.0, 250.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.analysis import with_units
from b2bkit.analysis.quality import figure_note
from b2bkit.analysis.stats import wilson_interval
from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import NC_, _, current, date_text, ngettext, number, period_text, pgettext
from b2bkit.core.periods import Period
from b2bkit.metrics import (
    MIN_MATURE_DAYS,
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
from b2bkit.view.view import lookup

__all__ = ["CHANNEL_UNITS", "GROUP_NAMES", "attendance_table", "basis_sentence",
           "channel_table", "group_name", "immature_share", "next_steps", "no_spend_note",
           "rank", "ranking_sentences", "roi_title", "share_table", "unpriced_wins"]

#: The units of :func:`channel_table`'s columns (``attrs["units"]``).
CHANNEL_UNITS = {"spend": "currency", "leads": "count", "cpl": "currency", "sqls": "count",
                 "cost_per_sql": "currency", "attributed_won_deals": "count",
                 "attributed_bookings": "currency", "roi": "rate", "lead_quality": "rate",
                 "lead_quality_low": "rate", "lead_quality_high": "rate",
                 "marketing_cost_per_new_customer": "currency"}


#: The kinds of group a table is split by, as a reader names them (English: the column's name).
GROUP_NAMES = {"channel": NC_("group", "channel"), "campaign_id": NC_("group", "campaign id"),
               "campaign": NC_("group", "campaign"), "segment": NC_("group", "segment"),
               "practice": NC_("group", "practice"), "rep_id": NC_("group", "rep id")}


def group_name(by: str, raw: bool = False) -> str:
    """The kind of group ``by`` in a sentence: ``campaign id`` (``raw``: ``campaign_id``) in
    English, its translated name in another language.

    >>> group_name("campaign_id"), group_name("campaign_id", raw=True)
    ('campaign id', 'campaign_id')
    """
    english = by if raw else by.replace("_", " ")
    if current().english or by not in GROUP_NAMES:
        return english
    return pgettext("group", GROUP_NAMES[by])


def _values(metric, view: View, period: Period, by: str) -> pd.Series:
    return metric(view, period, by=by).set_index(by)["value"].astype(float)


def channel_table(view: View, period: Period | str, *, by: str = "channel") -> pd.DataFrame:
    """Spend, leads, CPL, SQLs, cost per SQL, attributed wins and bookings, ROI, and by channel
    the marketing cost per new customer (the channel's spend / its new customers: the
    catalogue's CAC split by channel, which leaves out the sales costs of the total CAC).

    ``attributed_won_deals`` and ``attributed_bookings`` are the wins and
    amounts of the period's leads (won as of as_of, whenever closed), the
    attribution of ROI; they differ from the catalogue's ``won_deals`` and
    ``bookings`` (deals closed in the period), hence their names.
    ``lead_quality`` (the share of the period's leads that reached SQL, as of
    as_of) comes with its 95% Wilson interval ``lead_quality_low`` /
    ``lead_quality_high``. The units of the columns are in ``attrs["units"]``
    (:data:`CHANNEL_UNITS`): ROI is shown as a rate, 100% = spend returned twice.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> table = channel_table(prepare(sample_dataset()), "2025-Q1")
    >>> table.attrs["units"]["cpl"], table.attrs["units"]["roi"]
    ('currency', 'rate')
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
    if by == "channel":  # the channel's spend / its new customers: not the total CAC
        table["marketing_cost_per_new_customer"] = _values(cac, view, period, by)
    # a group without spend has no cost per anything: n/a (see no_spend_note), never 0.00
    unpaid = ~(table["spend"].fillna(0) > 0)
    for column in ("cpl", "cost_per_sql", "marketing_cost_per_new_customer"):
        if column in table:
            table.loc[unpaid, column] = np.nan
    table.index.name = by
    table = table.reset_index()
    if by == "campaign_id" and "campaigns" in view.tables:
        names = view.tables["campaigns"].set_index("campaign_id")["name"].astype("string")
        table.insert(1, "campaign", [names.get(i, _("(no campaign)")) for i in table[by]])
    return with_units(table, CHANNEL_UNITS)


def no_spend_note(table: pd.DataFrame, *, by: str = "channel") -> str:
    """Why a group with leads shows n/a for its costs: no spend recorded for it (empty when none).

    >>> no_spend_note(pd.DataFrame({"channel": ["a", "(unknown)", "b"], "spend": [5.0, 0.0, 0.0],
    ...                             "leads": [3.0, 2.0, 0.0]}))
    'n/a: no spend is recorded for (unknown), so it has no cost per lead, per SQL or per customer and no ROI.'
    """  # noqa: E501
    leads = table["leads"].fillna(0) if "leads" in table else pd.Series(1.0, index=table.index)
    names = table.loc[~(table["spend"].fillna(0) > 0) & (leads > 0), by].astype(str).tolist()
    if not names:
        return ""
    return ngettext("n/a: no spend is recorded for {names}, so it has no cost per lead, per SQL "
                    "or per customer and no ROI.",
                    "n/a: no spend is recorded for {names}, so they have no cost per lead, per "
                    "SQL or per customer and no ROI.", len(names)).format(names=", ".join(names))


def basis_sentence(view: View, period: Period | str, *, currency: str = "") -> str:
    """How cost per SQL and ROI are attributed, and why channel, campaign and practice differ.

    Both reports credit a lead's SQL and bookings to the lead's own channel,
    campaign or practice (one touch: the lead's creation). The totals of the three splits
    differ by the spend and the leads without a campaign, which count by channel only.
    Then what the sums leave out: the won deals of the period's leads without an amount
    (0 in the attributed bookings), and the period's spend and leads with what their data
    leaves out (:func:`b2bkit.analysis.quality.figure_note`), when there is any.
    """
    period = Period.parse(period)
    spend, leads_frame = view.tables.get("spend"), view.tables.get("leads")
    loose_spend = loose_leads = 0.0
    if spend is not None and len(spend):
        blank = (spend["campaign_id"].isna() if "campaign_id" in spend
                 else pd.Series(True, index=spend.index))
        loose_spend = float(spend.loc[blank & period.mask(spend["date"]), "amount"].sum())
    if leads_frame is not None and len(leads_frame):
        blank = (leads_frame["campaign_id"].isna() if "campaign_id" in leads_frame
                 else pd.Series(True, index=leads_frame.index))
        loose_leads = float((blank & period.mask(leads_frame["created_at"])).sum())
    text = _("Cost per SQL and ROI are attributed the same way in the campaign ROI report and "
             "the strategy review: each lead, its SQL and its won deals count for the lead's "
             "own channel, campaign and practice (one touch, the lead's creation), and spend "
             "for its own channel and campaign.")
    if loose_spend or loose_leads:
        # Translators: "{leads} leads" is always the plural form in English ("1 leads").
        text += " " + ngettext(
            "By campaign or practice the figures differ from those by channel because {spend} "
            "of the spend and {leads} leads of {period} carry no campaign: they count by "
            "channel only.",
            "By campaign or practice the figures differ from those by channel because {spend} "
            "of the spend and {leads} leads of {period} carry no campaign: they count by "
            "channel only.", int(loose_leads)).format(
                spend=format_value(loose_spend, "currency", currency),
                leads=number(loose_leads), period=period_text(period))
    text += " " + _("ROI here counts everything the period's leads have booked up to {as_of}; "
                    "the strategy review counts what they booked within the same number of "
                    "days for both periods it compares, so its ROI is lower while deals are "
                    "still closing.").format(as_of=date_text(view.as_of))
    blank = unpriced_wins(view, period)
    if blank:
        text += " " + ngettext(
            "{n} won deal of these leads has no amount and counts 0 in the attributed bookings.",
            "{n} won deals of these leads have no amount and count 0 in the attributed "
            "bookings.", blank).format(n=number(blank))
    notes = [figure_note(view, period, figure) for figure in ("marketing_spend", "leads")]
    return text + "".join(f" {note}." for note in notes if note)


def unpriced_wins(view: View, period: Period | str) -> int:
    """Won deals (as of as_of) of leads created in the period that have no amount.

    They count as won and as 0 in the attributed bookings that ROI sums
    (CONTRACT section 1, revision 3: every sum says how many won deals it
    leaves out).

    >>> from b2bkit.load.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2"], "created_at": "2025-01-05",
    ...                       "channel": "ads"})
    >>> opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "lead_id": ["L1", "L2"],
    ...                      "created_at": "2025-01-06", "status": "won",
    ...                      "amount": [None, 10.0], "closed_at": "2025-02-01"})
    >>> unpriced_wins(prepare(from_frames({"leads": leads, "opportunities": opps})), "2025-Q1")
    1
    """
    period = Period.parse(period)
    opps, leads_frame = view.tables.get("opportunities"), view.tables.get("leads")
    if opps is None or leads_frame is None or "lead_id" not in opps or "amount" not in opps:
        return 0
    to_lead = view.links.get(("opportunities", "lead_id"), np.full(len(opps), -1))
    created = lookup(leads_frame, "created_at", to_lead)
    won = (opps["status"] == "won").to_numpy(dtype=bool)
    return int((won & period.mask(created).to_numpy(dtype=bool)
                & opps["amount"].isna().to_numpy(dtype=bool)).sum())


def share_table(table: pd.DataFrame, by: str = "channel") -> pd.DataFrame:
    """Each group's share of the spend and of the bookings, side by side (rates).

    >>> shares = share_table(pd.DataFrame({"channel": ["a", "b"], "spend": [1.0, 3.0],
    ...                                    "attributed_bookings": [2.0, 2.0]}))
    >>> shares["budget share"].tolist(), shares.attrs["units"]["bookings share"]
    ([0.25, 0.75], 'rate')
    """
    spend, booked = table["spend"].fillna(0), table["attributed_bookings"].fillna(0)
    return with_units(pd.DataFrame({
        by: table[by],
        "budget share": spend / spend.sum() if spend.sum() else np.nan,
        "bookings share": booked / booked.sum() if booked.sum() else np.nan,
    }), {"budget share": "rate", "bookings share": "rate"})


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


def _names(rows: pd.DataFrame, by: str) -> str:
    """The groups of ``rows`` by id, with the campaign name when there is one: "a and b"."""
    names = [f"{row[by]} ({row['campaign']})" if "campaign" in rows and pd.notna(
        row.get("campaign")) else str(row[by]) for _, row in rows.iterrows()]
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def ranking_sentences(table: pd.DataFrame, *, by: str = "channel", currency: str = "",
                      age: int | None = None, period: Period | str | None = None) -> str:
    """The best return and the worst loss named, with their figures, ties named as ties.

    "Best" is the highest ROI (:func:`rank`); "worst" is the largest money
    lost, spend - attributed bookings (a small campaign at -100% loses less
    than a large one at -80%). Groups tied on the figure are named together.
    ``age`` is the period's mature days
    (:func:`b2bkit.metrics.mature_days`): under
    :data:`~b2bkit.metrics.MIN_MATURE_DAYS` the leads are too young for
    "did not pay back", and the sentence says so instead of naming losers.

    >>> table = pd.DataFrame({"channel": ["a", "b", "c"], "spend": [100.0, 100.0, 400.0],
    ...                       "attributed_bookings": [300.0, 300.0, 100.0],
    ...                       "roi": [2.0, 2.0, -0.75]})
    >>> ranking_sentences(table)
    'Best return: a and b, tied at ROI 200.0% (300.00 booked from 100.00 spent each). Most money lost: c, 300.00 (ROI -75.0%: 100.00 booked from 400.00 spent). Spend did not pay back in: c.'
    >>> ranking_sentences(table, age=10, period="2025-Q4")
    'So far the best return: a and b, tied at ROI 200.0% (300.00 booked from 100.00 spent each). It is too early to say which spend did not pay back: the leads of 2025-Q4 are mature at 10 days only (a verdict needs 30).'
    """  # noqa: E501
    ranked = rank(table, by=by)
    if len(ranked) < 2:
        return _("Too few {what} values with spend to rank them.").format(what=group_name(by))

    def money(value: float) -> str:
        return format_value(value, "currency", currency)

    top = ranked[ranked["roi"] == ranked["roi"].iloc[0]]
    best = top.iloc[0]
    young = age is not None and age < MIN_MATURE_DAYS
    figures = {"names": _names(top, by), "roi": format_value(best["roi"], "rate"),
               "booked": money(best["attributed_bookings"]), "spent": money(best["spend"])}
    if len(top) > 1:
        text = (_("So far the best return: {names}, tied at ROI {roi} ({booked} booked from "
                  "{spent} spent each).") if young else
                _("Best return: {names}, tied at ROI {roi} ({booked} booked from {spent} spent "
                  "each).")).format(**figures)
    else:
        text = (_("So far the best return: {names}, ROI {roi} ({booked} booked from {spent} "
                  "spent).") if young else
                _("Best return: {names}, ROI {roi} ({booked} booked from {spent} "
                  "spent).")).format(**figures)
    if young:
        return text + " " + ngettext(
            "It is too early to say which spend did not pay back: the leads of {period} are "
            "mature at {days} day only (a verdict needs {needed}).",
            "It is too early to say which spend did not pay back: the leads of {period} are "
            "mature at {days} days only (a verdict needs {needed}).", max(age, 0)).format(
                period=period_text(Period.parse(period)) if period is not None else str(period),
                days=max(age, 0), needed=MIN_MATURE_DAYS)
    lost = ranked["spend"] - ranked["attributed_bookings"].fillna(0)
    if (lost > 0).any():
        worst_rows = ranked[lost == lost.max()]
        worst = worst_rows.iloc[0]
        figures = {"names": _names(worst_rows, by), "lost": money(lost.max()),
                   "roi": format_value(worst["roi"], "rate"),
                   "booked": money(worst["attributed_bookings"]), "spent": money(worst["spend"])}
        text += " " + (_("Most money lost: {names}, {lost} each (ROI {roi}: {booked} booked "
                         "from {spent} spent).") if len(worst_rows) > 1 else
                       _("Most money lost: {names}, {lost} (ROI {roi}: {booked} booked from "
                         "{spent} spent).")).format(**figures)
    losing = ranked[ranked["roi"] < 0][by].astype(str).tolist()
    if losing:
        text += " " + _("Spend did not pay back in: {names}.").format(names=", ".join(losing))
    return text


def roi_title(table: pd.DataFrame, period: Period | str, *, by: str = "channel") -> str:
    """A chart title that states the finding: which group returns the most."""
    ranked = rank(table, by=by)
    if ranked.empty:
        return _("No {what} with spend and a return in {period}").format(
            what=group_name(by, raw=True), period=period_text(Period.parse(period)))
    best = ranked.iloc[0]
    return _("{name} returns the most per unit of spend (leads of {period})").format(
        name=best[by], period=period_text(Period.parse(period)))



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


def next_steps(table: pd.DataFrame, period: Period | str, *, age: int, by: str = "channel",
               currency: str = "") -> str:
    """"What to look at next" from the channel table: where money is lost, where it returns.

    A period younger than :data:`~b2bkit.metrics.MIN_MATURE_DAYS` names no loser: it says
    when to look again.
    """
    ranked = rank(table, by=by)
    period = Period.parse(period)
    if ranked.empty:
        return _("No {what} has spend and a return in {period}; check that the spend and the "
                 "leads carry the same channels and campaigns.").format(
            what=group_name(by), period=period_text(period))
    out = []
    if age < MIN_MATURE_DAYS:
        when = period.end + pd.Timedelta(days=MIN_MATURE_DAYS)
        out.append(_("Look at this report again after {day}, when the leads of {period} are "
                     "{days} days past the period's end; until then a low return may only be "
                     "deals still open.").format(day=date_text(when), period=period_text(period),
                                                 days=MIN_MATURE_DAYS))
    else:
        lost = ranked["spend"] - ranked["attributed_bookings"].fillna(0)
        if (lost > 0).any():
            worst = ranked.loc[lost.idxmax()]
            out.append(_("Look first at {name}: its {spend} of spend brought back {booked}; the "
                         "strategy review says whether to drop or fix it.").format(
                name=worst[by], spend=format_value(worst["spend"], "currency", currency),
                booked=format_value(worst["attributed_bookings"], "currency", currency)))
    best = ranked.iloc[0]
    if best["roi"] > 0:
        out.append(_("{name} returns the most per unit of spend so far; before moving budget to "
                     "it, check in the strategy review that its lead quality holds up.").format(
            name=best[by]))
    return " ".join(out[:3])
