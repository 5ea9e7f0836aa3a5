r"""The funnel diagnosis: one cohort followed stage by stage, bottleneck, durations.

The main view is a **cohort funnel** (:func:`cohort_funnel`): the leads
created in the period, followed as of as_of through the stages the dataset
records, in the order of its ``stages`` setting (lead → mql → sql →
opportunity → won). A lead counts at a stage when it reached that stage or
any later one (a won lead without an sql_at passed SQL), so each step's
conversion is a share of the same leads, with its Wilson interval. A stage the
dataset does not record (its column absent or blank) is skipped with a note,
and the conversion runs across it. Counts of events dated in the period (the
catalogue's mqls, sqls, mql_to_sql_rate) follow other leads; they are shown
only in :func:`period_counts`, labelled "period counts (not a cohort)".

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> table = cohort_funnel(prepare(sample_dataset()), "2025-Q1")
>>> table[["stage", "leads"]].values.tolist()
[['lead', 4.0], ['mql', 3.0], ['sql', 2.0], ['opportunity', 2.0], ['won', 1.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.analysis import with_units
from b2bkit.analysis.quality import figure_note, figure_parts
from b2bkit.analysis.stats import change_sentence, wilson_interval
from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import (
    N_,
    NC_,
    _,
    current,
    date_text,
    ngettext,
    number,
    period_text,
    pgettext,
)
from b2bkit.core.periods import Period
from b2bkit.load.warn import earliest_stages
from b2bkit.metrics import (
    CATALOGUE,
    MIN_MATURE_DAYS,
    UNKNOWN,
    View,
    avg_deal_size,
    bant_qualified_share,
    common_mature_days,
    lead_quality,
    leads,
    mql_to_sql_rate,
    mqls,
    sqls,
    win_rate,
)

__all__ = [
    "COHORT_STAGES",
    "PERIOD_COUNTS_TITLE",
    "amount_caveat",
    "bottleneck_sentence",
    "cohort_funnel",
    "definitions_sentence",
    "durations_note",
    "funnel_by",
    "lead_reach",
    "next_steps",
    "period_counts",
    "quality_ranking",
    "quality_sentence",
    "recorded_stages",
    "stage_durations",
    "stage_label",
    "step_changes",
    "summary_table",
    "with_stage_labels",
]

#: The stages a lead can be followed through, in funnel order.
COHORT_STAGES = ("lead", "mql", "sql", "opportunity", "won")

#: The label of every table of counts dated in the period.
PERIOD_COUNTS_TITLE = N_("period counts (not a cohort)")

#: The cohort stages as a reader names them (the codes lead, mql, ... translated).
_STAGE_LABELS = {"lead": NC_("stage", "lead"), "mql": NC_("stage", "mql"),
                 "sql": NC_("stage", "sql"), "opportunity": NC_("stage", "opportunity"),
                 "won": NC_("stage", "won")}

_DAY = pd.Timedelta(days=1)


def stage_label(stage: object) -> str:
    """A cohort stage code as the report's language names it (``won``; «выигранная сделка»);
    any other name, from the data, as it is.

    >>> stage_label("won"), stage_label("proposal")
    ('won', 'proposal')
    """
    code = str(stage)
    return pgettext("stage", _STAGE_LABELS[code]) if code in _STAGE_LABELS else code



def with_stage_labels(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (a :func:`cohort_funnel`) with its ``stage`` codes as the report's language
    names them (:func:`stage_label`); the units and every other column as they are.

    >>> with_stage_labels(pd.DataFrame({"stage": ["lead", "won"]}))["stage"].tolist()
    ['lead', 'won']
    """
    out = table.copy()
    out["stage"] = [stage_label(stage) for stage in out["stage"]]
    return out


def _stage_times(view: View) -> tuple[pd.DataFrame, dict[str, str]]:
    """When each lead reached each stage (NaT: not reached) and the stages not recorded."""
    frame = view.tables.get("leads", pd.DataFrame({"created_at": pd.Series(dtype="M8[ns]")}))
    n = len(frame)
    times = pd.DataFrame({"lead": frame["created_at"].to_numpy()})
    skipped: dict[str, str] = {}
    for stage, column in (("mql", "mql_at"), ("sql", "sql_at")):
        if column not in frame:
            skipped[stage] = _("the leads carry no {stage} dates").format(stage=stage.upper())
        elif frame[column].isna().all():
            skipped[stage] = _("no lead has an {stage} date").format(stage=stage.upper())
        else:
            times[stage] = frame[column].to_numpy()
    opps = view.tables.get("opportunities")
    link = view.links.get(("opportunities", "lead_id"))
    if opps is None or link is None or not (link >= 0).any():
        for stage in ("opportunity", "won"):
            skipped[stage] = _("no opportunity is linked to a lead")
    else:
        linked = link >= 0
        first = pd.Series(opps["created_at"].to_numpy()[linked]).groupby(link[linked]).min()
        times["opportunity"] = first.reindex(range(n)).to_numpy()
        won = linked & (opps["status"] == "won").to_numpy()
        closed = opps["closed_at"] if "closed_at" in opps else pd.Series(pd.NaT, opps.index)
        first_won = pd.Series(closed.to_numpy()[won]).groupby(link[won]).min()
        times["won"] = first_won.reindex(range(n)).to_numpy()
    return times, skipped


def recorded_stages(view: View) -> tuple[list[str], dict[str, str]]:
    """The cohort stages the dataset records (in its ``stages`` order) and why others are not.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> recorded_stages(prepare(sample_dataset()))
    (['lead', 'mql', 'sql', 'opportunity', 'won'], {})
    """
    _, skipped = _stage_times(view)
    order = [s for s in view.settings.stages if s in COHORT_STAGES]
    for stage in COHORT_STAGES:
        if stage not in order:
            skipped.setdefault(stage, _("not in the dataset's stages setting"))
    return [s for s in order if s not in skipped], {s: skipped[s] for s in COHORT_STAGES
                                                    if s in skipped}


def lead_reach(view: View, period: Period | str, *, days: float | None = None) -> pd.DataFrame:
    """For each lead created in the period, whether it reached each recorded stage.

    A lead reached a stage when it reached it or a later recorded stage, on
    or before as_of and, with ``days``, within ``days`` of its created_at.
    Returns a boolean frame (one column per recorded stage) indexed by the
    lead's row.
    """
    period = Period.parse(period)
    times, _ = _stage_times(view)
    stages, _ = recorded_stages(view)
    created = times["lead"]
    cohort = period.mask(created).to_numpy(dtype=bool)
    limit = created + days * _DAY if days is not None else None
    reach = pd.DataFrame(index=times.index[cohort])
    later = np.zeros(int(cohort.sum()), dtype=bool)
    for stage in reversed(stages):
        at = times[stage]
        hit = at.notna() if limit is None else at.notna() & (at <= limit)
        later = later | hit.to_numpy(dtype=bool)[cohort]
        reach[stage] = later
    return reach[stages]


def cohort_funnel(view: View, period: Period | str, *, days: float | None = None,
                  confidence: float = 0.95) -> pd.DataFrame:
    r"""The leads created in the period, followed stage by stage as of as_of.

    .. math:: \text{conversion}_k = \frac{n_k}{n_{k-1}}, \qquad
              \text{lead} \to \text{won} = \frac{n_\text{won}}{n_\text{lead}}

    where :math:`n_k` is the number of the period's leads that reached stage
    :math:`k` (or a later one) and :math:`k - 1` the previous *recorded*
    stage. Columns: ``stage``, ``leads`` (:math:`n_k`), ``conversion`` with
    its Wilson interval ``low`` / ``high``, ``from_lead`` (:math:`n_k /
    n_\text{lead}`) and ``note`` (why a stage is skipped: its row has no
    numbers). With ``days``, only what happened within ``days`` of each
    lead's creation counts (the funnel at age d). ``attrs["left_out"]``: what
    the period's leads leave out (:func:`b2bkit.analysis.quality.figure_parts`),
    for :func:`bottleneck_sentence`. The units of the columns are in
    ``attrs["units"]``.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> cohort_funnel(prepare(sample_dataset()), "2025-Q1").attrs["units"]["conversion"]
    'rate'
    """
    reach = lead_reach(view, period, days=days)
    stages, skipped = recorded_stages(view)
    counts = reach.sum().astype(float)
    above = counts.shift(1)
    conversion = counts / above.where(above > 0)
    low, high = wilson_interval(counts.to_numpy(), above.fillna(0).to_numpy(), confidence)
    total = counts.get("lead", np.nan)
    table = pd.DataFrame({"stage": stages, "leads": counts.to_numpy(),
                          "conversion": conversion.to_numpy(), "low": low, "high": high,
                          "from_lead": (counts / total if total else counts * np.nan).to_numpy(),
                          "note": ""})
    order = [s for s in COHORT_STAGES if s in stages or s in skipped]
    gaps = pd.DataFrame({"stage": list(skipped), "note": [
        _("not recorded ({why}): skipped, the next conversion spans it").format(why=why)
        for why in skipped.values()]})
    table = pd.concat([table, gaps], ignore_index=True)
    table["_order"] = table["stage"].map({s: i for i, s in enumerate(order)})
    table = table.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    table.attrs["left_out"] = figure_parts(view, period, "leads")
    return with_units(table, {"leads": "count", "conversion": "rate", "low": "rate",
                              "high": "rate", "from_lead": "rate"})


def bottleneck_sentence(table: pd.DataFrame, period: Period | str, *, as_of: object = None
                        ) -> str:
    """The step that keeps the smallest share of the leads that reached it, and lead → won.

    True on any dataset: it names the skipped stages, and never claims that
    no step lost leads. The leads counted are followed by what their data
    leaves out (the table's ``attrs["left_out"]``, from :func:`cohort_funnel`),
    in the same sentence.

    >>> table = pd.DataFrame({"stage": ["lead", "won"], "leads": [20.0, 5.0],
    ...                       "conversion": [np.nan, 0.25], "low": np.nan, "high": np.nan,
    ...                       "from_lead": [1.0, 0.25]})
    >>> table.attrs["left_out"] = ["2 leads were set aside: created_at: not a date (2)"]
    >>> bottleneck_sentence(table, "2025-Q1").split(". ")[0]
    'Of the 20 leads created in 2025-Q1 (2 leads were set aside: created_at: not a date (2)), \
5 (25.0%) reached won'
    """
    period = Period.parse(period)
    seen = (_(" as of {day}").format(day=date_text(as_of)) if as_of is not None else "")
    rows = table.dropna(subset=["leads"]).reset_index(drop=True)
    skipped = table.loc[table["leads"].isna(), "stage"].tolist()
    gaps = (ngettext(" ({stages} not recorded in this dataset: the steps span it)",
                     " ({stages} not recorded in this dataset: the steps span them)",
                     len(skipped)).format(stages=", ".join(stage_label(s) for s in skipped))
            if skipped else "")
    if rows.empty or not rows["leads"].iloc[0]:
        return _("No lead was created in {period}, so there is no funnel to follow.").format(
            period=period_text(period))
    total = rows["leads"].iloc[0]
    last = rows.iloc[-1]
    left_out = "; ".join(table.attrs.get("left_out", []))
    left_out = f" ({left_out})" if left_out else ""
    overall = ngettext(
        "Of the {total} lead created in {period}{left_out}, {reached} ({share}) reached "
        "{stage}{seen}",
        "Of the {total} leads created in {period}{left_out}, {reached} ({share}) reached "
        "{stage}{seen}", int(total)).format(
            total=number(total), period=period_text(period), left_out=left_out,
            reached=number(last["leads"]), share=format_value(last["from_lead"], "rate"),
            stage=stage_label(last["stage"]), seen=seen)
    steps = rows.iloc[1:].dropna(subset=["conversion"])
    if steps.empty:
        return overall + gaps + "."
    worst = steps.loc[steps["conversion"].idxmin()]
    above = rows["stage"].iloc[worst.name - 1]
    if worst["conversion"] >= 1:
        return _("{overall}: every one of them{gaps}.").format(overall=overall, gaps=gaps)
    return _("{overall}{gaps}. The step that keeps the smallest share is {above} → "
             "{stage}: {rate} (95% interval {low}–{high}) of the leads that reached "
             "{above}.").format(
        overall=overall, gaps=gaps, above=stage_label(above), stage=stage_label(worst["stage"]),
        rate=format_value(worst["conversion"], "rate"), low=format_value(worst["low"], "rate"),
        high=format_value(worst["high"], "rate"))


def step_changes(view: View, period: Period | str, compare_to: Period | str | None = None
                 ) -> list[str]:
    """Each step against the comparison period's cohort at the same age, beyond noise or not.

    Both cohorts are seen at ``d`` days after creation, the largest age at
    which both periods are mature; the test is
    :func:`b2bkit.analysis.stats.two_proportion_test`. A period not mature at 30 days
    gets one "too early" sentence instead.
    """
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to is not None else period.previous()
    days = common_mature_days(period, before, view.as_of)
    if days < MIN_MATURE_DAYS:
        return [ngettext(
            "Too early to compare the cohorts of {period} and {before}: {period} is mature at "
            "{days} day only (a comparison needs {needed}).",
            "Too early to compare the cohorts of {period} and {before}: {period} is mature at "
            "{days} days only (a comparison needs {needed}).", max(days, 0)).format(
                period=period_text(period), before=period_text(before), days=max(days, 0),
                needed=MIN_MATURE_DAYS)]
    now = cohort_funnel(view, period, days=days).dropna(subset=["leads"]).reset_index()
    then = cohort_funnel(view, before, days=days).dropna(subset=["leads"]).reset_index()
    sentences = [ngettext("Both cohorts seen {days} day after each lead's creation:",
                          "Both cohorts seen {days} days after each lead's creation:",
                          days).format(days=days)]
    for k in range(1, len(now)):
        step = (f"{stage_label(now['stage'][k - 1])} → {stage_label(now['stage'][k])}"
                f"@{days}")
        sentences.append(change_sentence(step, now["leads"][k], now["leads"][k - 1],
                                         then["leads"][k], then["leads"][k - 1],
                                         now=period_text(period), before=period_text(before)))

    return sentences


def period_counts(view: View, period: Period | str, compare_to: Period | str | None = None,
                  confidence: float = 0.95) -> pd.DataFrame:
    """The catalogue's counts dated in the period: leads, mqls, sqls, mql_to_sql_rate.

    Labelled :data:`PERIOD_COUNTS_TITLE` (``attrs["title"]``): an SQL of this
    period may be a lead of an earlier one. mql_to_sql_rate carries its
    Wilson interval (of the MQLs dated in the period, the share with sql_at).
    The units of the columns are in ``attrs["units"]``.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> counts = period_counts(prepare(sample_dataset()), "2025-Q1")
    >>> counts.attrs["title"], counts.attrs["units"]["mqls"]
    ('period counts (not a cohort)', 'count')
    """
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to is not None else period.previous()
    rows = []
    for when in (period, before):
        m = mqls(view, when)
        rate = mql_to_sql_rate(view, when)
        if np.isnan(rate):  # no rate, no interval: a range around nothing is no claim
            low = high = np.nan
        else:
            low, high = wilson_interval(round(rate * m), m, confidence)
        rows.append({"period": str(when), "leads": leads(view, when), "mqls": m,
                     "sqls": sqls(view, when), "mql_to_sql_rate": rate,
                     "mql_to_sql_low": low, "mql_to_sql_high": high})
    table = pd.DataFrame(rows)
    table.attrs["title"] = PERIOD_COUNTS_TITLE
    return with_units(table, {"leads": "count", "mqls": "count", "sqls": "count",
                              "mql_to_sql_rate": "rate", "mql_to_sql_low": "rate",
                              "mql_to_sql_high": "rate"})


def definitions_sentence(cohort: pd.DataFrame, counts: pd.DataFrame) -> str:
    """Why the cohort's MQL → SQL and the catalogue's mql_to_sql_rate differ (when both show)."""
    stages = cohort.dropna(subset=["leads"]).set_index("stage")
    rate = counts["mql_to_sql_rate"].iloc[0]
    if "mql" not in stages.index or "sql" not in stages.index or np.isnan(rate):
        return ""
    mine = stages.loc["sql", "conversion"]
    return _("Two MQL → SQL figures, two definitions: the cohort's {mine} is, of the leads "
             "created in the period that reached MQL, the share that reached SQL (or "
             "further); the period's MQL → SQL conversion {rate} takes the leads that became "
             "MQL in the period, whenever they were created, and counts those that became "
             "SQL.").format(mine=format_value(mine, "rate"), rate=format_value(rate, "rate"))


def amount_caveat(view: View, period: Period | str) -> str:
    """A warning when a 100% win rate meets an average deal of 0 (lost deals or amounts missing),
    then the won deals and bookings that the deal size and velocity sum, with what their data
    leaves out (:func:`b2bkit.analysis.quality.figure_note`; "" when it leaves nothing out).

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> amount_caveat(prepare(sample_dataset()), "2025-Q1")
    ''
    """
    period = Period.parse(period)
    rate, deal = win_rate(view, period), avg_deal_size(view, period)
    note = figure_note(view, period, "won_deals")
    note = f" {note}." if note else ""
    if rate == 1 and (deal == 0 or np.isnan(deal)):
        return _("Caution: in {period} every closed deal is won and the average deal is "
                 "{deal}: the dataset records no lost deals and no amounts, so the win rate "
                 "and the deal size say nothing about performance.").format(
            period=period_text(period),
            deal=format_value(deal, "currency", view.settings.currency)) + note
    return note.strip()


def funnel_by(view: View, period: Period | str, by: str, *, confidence: float = 0.95
              ) -> pd.DataFrame:
    """The cohort funnel per group of ``by``: leads reaching each stage, lead → won, quality.

    ``lead → won`` (with its Wilson interval) is the share of the group's
    leads of the period that were won as of as_of; ``lead quality`` the share
    that reached SQL (the catalogue's lead_quality). Groups are sorted with
    ``(unknown)`` last; it is shown, never ranked. The table carries the unit
    of each column in ``attrs["units"]`` (stage counts, rates), which
    :func:`b2bkit.reports.notebook.readable` formats by.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> table = funnel_by(prepare(sample_dataset()), "2025-Q1", "channel")
    >>> table.attrs["units"]["lead → won"], table.attrs["units"]["lead"]
    ('rate', 'count')
    """
    period = Period.parse(period)
    reach = lead_reach(view, period)
    labels = view.dims.get("leads", {}).get(by)
    if labels is None:
        return pd.DataFrame(columns=[by])
    labels = labels.astype("string").fillna(UNKNOWN).iloc[reach.index].to_numpy()
    table = reach.astype(float).groupby(labels).sum()
    table.index.name = by
    last = table.columns[-1]
    table["lead → won" if last == "won" else f"lead → {last}"] = table[last] / table["lead"]
    low, high = wilson_interval(table[last].to_numpy(), table["lead"].to_numpy(), confidence)
    table["low"], table["high"] = low, high
    quality = lead_quality(view, period, by=by).set_index(by)["value"]
    table["lead quality"] = quality.reindex(table.index).astype(float)
    table = table.assign(_unknown=table.index == UNKNOWN).sort_values(["_unknown", by])
    table = table.drop(columns="_unknown").reset_index()
    return with_units(table, {**{stage: "count" for stage in reach.columns},
                              **{c: "rate" for c in table.columns[len(reach.columns) + 1:]}})


def quality_ranking(table: pd.DataFrame, by: str) -> pd.Series:
    """Lead quality per named group of :func:`funnel_by`, best first; ``(unknown)`` is not ranked.

    Ties are broken by the group's name, ascending. Empty when the dataset
    has no leads to rank (no lead-quality column).
    """
    if "lead quality" not in table or by not in table:
        return pd.Series(dtype=float, name="lead quality")
    named = table[table[by].astype(str) != UNKNOWN].dropna(subset=["lead quality"])
    named = named.assign(_name=named[by].astype(str)).sort_values(
        ["lead quality", "_name"], ascending=[False, True], kind="stable")
    return named.set_index(by)["lead quality"]


def stage_durations(view: View, period: Period | str) -> pd.DataFrame | None:
    """Days from entering each stage to entering the next, for steps completed in the period.

    Columns ``step``, ``deals`` (an integer, shown as it is), ``mean_days``,
    ``median_days``, the units of the days in ``attrs["units"]``. None without a
    stage_history table.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> stage_durations(prepare(sample_dataset()), "2025-Q1").attrs["units"]["median_days"]
    'days'
    """
    if "stage_history" not in view.tables:
        return None
    period = Period.parse(period)
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
    units = {"mean_days": "days", "median_days": "days"}
    if steps.empty:
        return with_units(pd.DataFrame(columns=["step", "deals", "mean_days", "median_days"]),
                          units)
    table = steps.groupby(["rank", "step"])["days"].agg(["size", "mean", "median"])
    table = table.reset_index().drop(columns="rank")
    table.columns = ["step", "deals", "mean_days", "median_days"]
    return with_units(table, units)


def durations_note(view: View, period: Period | str) -> str:
    """Why :func:`stage_durations` has no step to show, as the report says it.

    Only stages named in ``stages`` of dataset.toml (the funnel order) can be
    timed: a stage_history whose names are all elsewhere (an export's own
    stage names) has steps, but none in that order.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> view = prepare(sample_dataset())
    >>> durations_note(view, "2024-Q1")
    'no step was completed in 2024-Q1.'
    >>> from dataclasses import replace
    >>> durations_note(replace(view, settings=replace(view.settings, stages=("a", "b"))),
    ...                "2025-Q1")  # doctest: +ELLIPSIS
    "the stage history's stage names ('lost', 'opportunity', 'proposal', ...) are not in ...
    """
    if "stage_history" not in view.tables:
        return _("the dataset has no stage history.")
    names = view.tables["stage_history"]["stage"].dropna().astype(str).unique()
    if len(names) and not set(names) & set(view.settings.stages):
        shown = ", ".join(repr(n) for n in sorted(names)[:3]) + (", ..." if len(names) > 3
                                                                   else "")
        return _("the stage history's stage names ({shown}) are not in the funnel order, "
                 "`stages` of dataset.toml ({stages}), so no step can be timed; list the "
                 "export's stages there in order.").format(
            shown=shown, stages=", ".join(view.settings.stages))
    return _("no step was completed in {period}.").format(period=period_text(Period.parse(period)))


def summary_table(view: View, period: Period | str, names: list[str]) -> pd.DataFrame:
    """Metrics of the period and the previous one, formatted, with the reason if missing.

    Each row is in its metric's unit, so the cells are text and ``attrs["units"]`` is empty.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> table = summary_table(prepare(sample_dataset()), "2025-Q1", ["win_rate"])
    >>> table.columns.tolist(), table.attrs["units"]
    (['metric', '2025-Q1', '2024-Q4', 'note'], {})
    """
    period = Period.parse(period)
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
    return with_units(pd.DataFrame(rows), {})


def quality_sentence(view: View, period: Period | str) -> str:
    """Lead quality and BANT share in one sentence."""
    period = Period.parse(period)
    quality, bant = lead_quality(view, period), bant_qualified_share(view, period)
    parts = [_("{share} of the leads created in {period} reached SQL").format(
                 share=format_value(quality, "rate"), period=period_text(period))
             if not np.isnan(quality) else
             _("no lead quality for {period} ({reason})").format(
                 period=period_text(period), reason=quality.reason)]
    if not np.isnan(bant):
        parts.append(_("{share} of those with BANT answers met 3 of the 4 criteria").format(
            share=format_value(bant, "rate")))
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:] if not current().english else text


def next_steps(table: pd.DataFrame, period: Period | str, *, young: bool) -> str:
    """"What to look at next" from the cohort funnel: the weakest step and when to look again."""
    rows = table.dropna(subset=["leads"]).reset_index(drop=True)
    steps = rows.iloc[1:].dropna(subset=["conversion"])
    if rows.empty or not rows["leads"].iloc[0] or steps.empty:
        return _("There is no funnel to follow in {period}; check that the leads carry their "
                 "MQL and SQL dates.").format(period=period_text(Period.parse(period)))
    worst = steps.loc[steps["conversion"].idxmin()]
    above = rows["stage"].iloc[worst.name - 1]
    out = [_("Look first at the step {above} → {stage}, which keeps the smallest share of the "
             "leads; the breakdown by channel and segment above shows which groups lose most "
             "there.").format(above=stage_label(above), stage=stage_label(worst["stage"]))]
    if young:
        out.append(_("The period is young: its leads are still moving down the funnel, so "
                     "compare it again at the same age as the period before it."))
    return " ".join(out)
