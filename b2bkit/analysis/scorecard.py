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

from b2bkit.analysis import with_units
from b2bkit.analysis.targets import FROM_SETTINGS, SHOWN_AS, Target, given_targets, target_of
from b2bkit.core.formatting import format_change, format_value
from b2bkit.core.i18n import (
    NC_,
    _,
    missing,
    ngettext,
    number,
    percent,
    period_text,
    pgettext,
    plain,
)
from b2bkit.core.periods import Period
from b2bkit.metrics import (
    CATALOGUE,
    LEAD_COHORT_METRICS,
    MIN_MATURE_DAYS,
    View,
    at_age,
    common_mature_days,
    mature_days,
)
from b2bkit.metrics.glossary import label

__all__ = [
    "COMPOUNDING",
    "SCORECARD",
    "TARGET_PERIOD",
    "history",
    "history_drawn",
    "history_gaps",
    "next_steps",
    "scorecard",
    "shown",
    "sources_sentence",
    "targets_for",
    "verdict",
]

#: The seeds' checklist (lead conversion ... retention), then CPL, CAC, CLV:CAC and NPS,
#: and the overall bookings, revenue, CLV and marketing ROI.
SCORECARD = ("lead_conversion_rate", "avg_deal_size", "win_rate", "quota_attainment",
             "revenue_growth", "pipeline_coverage", "retention_rate", "cpl", "cac",
             "clv_cac_ratio", "nps", "bookings", "revenue", "clv", "roi")

#: The period kind the targets are stated for (the notebook's defaults are quarterly).
TARGET_PERIOD = "quarter"

#: Targets that are a rate per period and compound with its length: the share of
#: customers kept over the period and the growth against the previous period. Every
#: other target is per unit (per lead, per deal, per customer), a ratio of two amounts
#: of the same period (win rate, quota attainment, coverage, CLV:CAC) or a score, and
#: holds for a period of any length.
COMPOUNDING = ("retention_rate", "revenue_growth")

#: The statuses of a scorecard row (the codes of ``status``), shown with
#: ``pgettext("status", code)``.
STATUSES = (NC_("status", "on target"), NC_("status", "below target"),
            NC_("status", "above target"), NC_("status", "no value"),
            NC_("status", "no target"), NC_("status", "too early to judge"))

_QUARTER_DAYS = 365.25 / 4
#: Length of each period kind in quarters (a range: its days over a quarter's).
_QUARTERS = {"year": 4.0, "quarter": 1.0, "month": 1 / 3, "week": 7 / _QUARTER_DAYS}


def _quarters(period: Period) -> float:
    return _QUARTERS.get(period.kind, period.days / _QUARTER_DAYS)


def targets_for(targets: dict[str, float], period: Period | str,
                per: str = TARGET_PERIOD) -> dict[str, float]:
    """``targets`` stated per ``per`` period, as they apply to ``period``.

    A per-period rate (:data:`COMPOUNDING`) compounds with the length:

    .. math::

        t_{period} = (1 + t_{per})^{L_{period} / L_{per}} - 1

    for growth, and :math:`t^{L_{period} / L_{per}}` for retention, with
    :math:`L` the length in quarters (a year 4, a month 1/3, a week
    7/91.3125, a range its days/91.3125). Every other target is kept as it is.

    >>> t = targets_for({"retention_rate": 0.9, "revenue_growth": 0.03, "cpl": 200.0},
    ...                 "2025-11")
    >>> round(t["retention_rate"], 4), round(t["revenue_growth"], 4), t["cpl"]
    (0.9655, 0.0099, 200.0)
    >>> round(targets_for({"retention_rate": 0.9}, "2025")["retention_rate"], 4)
    0.6561
    """
    period = Period.parse(period)
    share = _quarters(period) / _QUARTERS.get(per, 1.0)
    out = dict(targets)
    if "retention_rate" in out and np.isfinite(out["retention_rate"]):
        out["retention_rate"] = float(max(out["retention_rate"], 0.0) ** share)
    if "revenue_growth" in out and np.isfinite(out["revenue_growth"]):
        out["revenue_growth"] = float((1 + out["revenue_growth"]) ** share - 1)
    return out


def scorecard(view: View, period: Period | str, targets: dict[str, float] | None = None,
              names: tuple[str, ...] = SCORECARD, per: str = TARGET_PERIOD) -> pd.DataFrame:
    """Value, previous period, change, target (with its source) and status of each metric.

    ``targets`` are stated per ``per`` period (quarterly by default; default:
    the dataset's ``[targets]``) and applied to ``period`` through
    :func:`targets_for`: a month is held to a month's retention and growth,
    not a quarter's. A metric without one is judged against its own median
    of the last four periods of the same kind
    (:func:`b2bkit.analysis.targets.target_of`); ``target_source`` says
    which, and a metric with neither is "not judged".

    For the lead-cohort metrics (:data:`~b2bkit.metrics.LEAD_COHORT_METRICS`)
    ``value``, ``previous`` and ``change`` are all on one basis, age-matched:
    both periods at ``d`` days, the largest age at which both are mature
    (``metric@d``, named in the note; the own-median target at ``d`` too),
    so that value - previous = change; when the period is not mature at 30
    days the value is as observed, previous and change are NaN and the
    status is "too early to judge".
    """
    period = Period.parse(period)
    given = targets_for(given_targets(view) if targets is None else targets, period, per)
    days = common_mature_days(period, period.previous(), view.as_of)
    young = mature_days(period, view.as_of) < MIN_MATURE_DAYS
    rows = []
    for name in names:
        info = CATALOGUE[name]
        now, before = info.public(view, period), info.public(view, period.previous())
        change, note = float(now) - float(before), getattr(now, "reason", "")
        cohort = name in LEAD_COHORT_METRICS
        if cohort:
            if young:
                before, change = np.nan, np.nan
                note = note or ngettext(
                    "too early to compare: {period} is mature at {days} days (needs "
                    "{needed})",
                    "too early to compare: {period} is mature at {days} days (needs "
                    "{needed})",
                    max(days, 0)).format(
                    period=period_text(period), days=plain(max(days, 0), 0),
                    needed=number(MIN_MATURE_DAYS))
            else:
                now = at_age(name, view, period, days)
                before = at_age(name, view, period.previous(), days)
                change = float(now) - float(before)
                note = getattr(now, "reason", "") or ngettext(
                    "value, previous and change on one basis: what each period's leads "
                    "did within {days} days of their creation",
                    "value, previous and change on one basis: what each period's leads "
                    "did within {days} days of their creation",
                    days).format(
                    days=plain(days, 0))
        if np.isnan(now):  # nothing to judge: no history to read
            target = (Target(given[name], FROM_SETTINGS) if name in given else Target.none(""))
        else:
            target = target_of(view, name, period, given=given,
                               days=days if cohort and not young else None)
        lower = info.better == "lower"  # a value under the target is good
        if np.isnan(now) or not target.given:
            status = "no value" if np.isnan(now) else "no target"
        elif (now <= target.value) if lower else (now >= target.value):
            status = "on target"
        else:
            status = "above target" if lower else "below target"
        if cohort and young and not np.isnan(now):
            status = "too early to judge"  # a young cohort is not held to its target
        rows.append({"metric": name, "unit": info.unit, "value": float(now),
                     "previous": float(before), "change": change,
                     "target": target.value, "target_source": target.source,
                     "status": status, "note": note})
    return pd.DataFrame(rows)


def history(view: View, period: Period | str, names: tuple[str, ...] = SCORECARD,
            periods: int = 8) -> pd.DataFrame:
    """Each metric over the last ``periods`` periods of the same kind (oldest first).

    One column per metric, its catalogue unit in ``attrs["units"]``.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> history(prepare(sample_dataset()), "2025-Q1", ("win_rate",), periods=2).attrs["units"]
    {'win_rate': 'rate'}
    """
    period = Period.parse(period)
    chain = [period]
    for _step in range(periods - 1):
        chain.append(chain[-1].previous())
    chain.reverse()
    data = {name: [float(CATALOGUE[name].public(view, p)) for p in chain] for name in names}
    return with_units(pd.DataFrame(data, index=pd.Index([str(p) for p in chain], name="period")),
                      {name: CATALOGUE[name].unit for name in names})


def history_drawn(trend: pd.DataFrame) -> pd.DataFrame:
    """The metrics of :func:`history` that have a value in at least one period: the ones a
    chart can draw (an empty panel says nothing and looks like a line at 0).

    >>> trend = pd.DataFrame({"win_rate": [0.4, 0.5], "nps": [np.nan, np.nan]})
    >>> history_drawn(trend).columns.tolist()
    ['win_rate']
    """
    return trend.loc[:, trend.notna().any()]


def history_gaps(trend: pd.DataFrame) -> str:
    """The sentence naming the metrics of :func:`history` without a value in any period
    (empty when every metric has one).

    >>> trend = pd.DataFrame({"win_rate": [0.4, 0.5], "nps": [np.nan, np.nan],
    ...                       "cpl": [np.nan, np.nan]}, index=["2025-Q1", "2025-Q2"])
    >>> history_gaps(trend)
    'No value in 2025-Q1 to 2025-Q2, so not drawn: Net Promoter Score, Cost per lead.'
    """
    empty = [label(name) for name in trend.columns[trend.isna().all()]]
    if not empty or trend.empty:
        return ""
    return _("No value in {first} to {last}, so not drawn: {metrics}.").format(
        first=_period(trend.index[0]), last=_period(trend.index[-1]), metrics=", ".join(empty))


def _period(text: object) -> str:
    """A period label of :func:`history`'s index as the reader's language writes it."""
    try:
        return period_text(Period.parse(str(text)))
    except ValueError:
        return str(text)


def _target_text(value: float, unit: str, source: str, currency: str) -> str:
    if np.isnan(value):
        return _("none: {reason}").format(reason=source) if source else missing()
    text = format_value(value, unit, currency)
    if source == FROM_SETTINGS:
        return _("{value} from {file}").format(value=text, file=FROM_SETTINGS)
    return _("{value} ({source})").format(value=text, source=source)


def shown(card: pd.DataFrame, currency: str = "") -> pd.DataFrame:
    """The scorecard for reading: metrics by their labels, values in their units (changes
    of rates in percentage points), each target with where it came from, misses marked
    with ▼. Each row is in its metric's unit, so the cells are text and ``attrs["units"]``
    is empty."""
    card = card.assign(unit=[SHOWN_AS.get(m, u) for m, u in
                             zip(card["metric"], card["unit"], strict=True)])
    out = card.copy()
    out["metric"] = card["metric"].map(label)
    for column in ("value", "previous"):
        out[column] = [format_value(v, u, currency)
                       for v, u in zip(card[column], card["unit"], strict=True)]
    sources = card["target_source"] if "target_source" in card else [FROM_SETTINGS] * len(card)
    out["target"] = [_target_text(v, u, s, currency) for v, u, s in
                     zip(card["target"], card["unit"], sources, strict=True)]
    out["change"] = [format_change(v, u, currency)
                     for v, u in zip(card["change"], card["unit"], strict=True)]
    out["status"] = [("▼ " if s in ("below target", "above target") else "")
                     + pgettext("status", s) for s in card["status"]]
    return with_units(out.drop(columns=[c for c in ("unit", "target_source") if c in out]), {})


def sources_sentence(card: pd.DataFrame) -> str:
    """Where the card's targets came from, in one sentence (every judged metric named once).

    >>> card = pd.DataFrame({"metric": ["win_rate", "cpl", "nps"],
    ...                      "target": [0.45, 180.0, float("nan")],
    ...                      "target_source": ["dataset.toml",
    ...                                        "own median of the last 4 quarters",
    ...                                        "no earlier quarter has a value"]})
    >>> sources_sentence(card)
    'Targets: Win rate from dataset.toml; Cost per lead own median of the last 4 quarters.'
    """
    if "target_source" not in card:
        return ""
    judged = card[card["target"].notna()]
    if judged.empty:
        return _("No metric has a target: dataset.toml gives none and no earlier period has "
                 "a value.")
    groups = judged.groupby("target_source", sort=False)["metric"].agg(list)
    parts = []
    for source, metrics in groups.items():
        names = ", ".join(label(m) for m in metrics)
        parts.append(_("{metrics} from {file}").format(metrics=names, file=source)
                     if source == FROM_SETTINGS else
                     _("{metrics} {source}").format(metrics=names, source=source))
    return _("Targets: {sources}.").format(sources="; ".join(parts))


def verdict(card: pd.DataFrame, period: Period | str, *, notes: list[str] | None = None
            ) -> str:
    """How many metrics are on target, which were missed and which were not judged, and why,
    then where the targets came from (:func:`sources_sentence`), then ``notes``: the
    sentences of :func:`b2bkit.analysis.quality.headline_notes`, which state the card's
    won deals, bookings, revenue, spend and leads with what their data leaves out.

    Every metric of the card is in exactly one of the three, so the
    sentence accounts for all of them.

    >>> card = pd.DataFrame({"metric": ["win_rate", "cpl", "nps", "roi"],
    ...                      "status": ["on target", "above target", "no value",
    ...                                 "too early to judge"]})
    >>> verdict(card, "2025-Q1")
    '1 of 4 metrics are on target in 2025-Q1. Missed: Cost per lead. Not judged: \
Net Promoter Score (no value), Marketing ROI (too early to judge).'
    >>> verdict(card.head(1), "2025-Q1", notes=["2 won deals in 2025-Q1 worth 100.00 USD; "
    ...                                         "1 of them has no amount"])
    '1 of 1 metrics are on target in 2025-Q1. 2 won deals in 2025-Q1 worth 100.00 USD; 1 of \
them has no amount.'
    """
    judged = card["status"].isin(["on target", "below target", "above target"])
    misses = card[judged & (card["status"] != "on target")]
    met = card[card["status"] == "on target"]
    unjudged = card[~judged]  # a few rows of a scorecard, not rows of data
    reasons = [_("{metric} ({status})").format(metric=label(m), status=pgettext("status", s))
               for m, s in zip(unjudged["metric"], unjudged["status"], strict=True)]
    sources = sources_sentence(card)
    head = ngettext("{met} of {n} metrics are on target in {period}.",
                    "{met} of {n} metrics are on target in {period}.", len(card))
    return (head.format(met=plain(len(met), 0), n=plain(len(card), 0), period=period_text(period))
            + (" " + _("Missed: {metrics}.").format(
                metrics=", ".join(misses["metric"].map(label))) if len(misses) else "")
            + (" " + _("Not judged: {metrics}.").format(metrics=", ".join(reasons))
               if reasons else "")
            + (f" {sources}" if sources else "")
            + "".join(f" {note}." for note in notes or []))


def next_steps(card: pd.DataFrame, period: Period | str) -> str:
    """"What to look at next": the widest misses against their targets, then what is not judged.

    A miss's gap is relative to its target, so an amount and a rate compare.

    >>> card = pd.DataFrame({"metric": ["win_rate", "cpl", "nps"], "value": [0.3, 250.0, 10.0],
    ...                      "target": [0.45, 200.0, 20.0], "status": ["below target",
    ...                      "above target", "on target"]})
    >>> next_steps(card, "2025-Q1")
    'Start with Win rate, the widest miss in 2025-Q1 (33% short of its target), then Cost per lead (25% over). The report on that metric shows where the gap comes from.'
    """  # noqa: E501
    misses = card[card["status"].isin(["below target", "above target"])].copy()
    out = []
    if len(misses):
        misses["gap"] = ((misses["value"] - misses["target"]).abs()
                         / misses["target"].abs().where(misses["target"] != 0))
        misses = misses.sort_values("gap", ascending=False, na_position="last")

        def how(row: pd.Series) -> str:
            if pd.isna(row["gap"]):
                return _("missed")
            word = (_("{gap} short of its target") if row["status"] == "below target"
                    else _("{gap} over"))
            return word.format(gap=percent(row["gap"], 0))

        first = misses.iloc[0]
        if len(misses) > 1:
            second = misses.iloc[1]
            text = _("Start with {metric}, the widest miss in {period} ({how}), then {second} "
                     "({second_how}). The report on that metric shows where the gap comes "
                     "from.").format(metric=label(first["metric"]), period=period_text(period),
                                     how=how(first), second=label(second["metric"]),
                                     second_how=how(second))
        else:
            text = _("Start with {metric}, the widest miss in {period} ({how}). The report on "
                     "that metric shows where the gap comes from.").format(
                         metric=label(first["metric"]), period=period_text(period),
                         how=how(first))
        out.append(text)
    else:
        out.append(_("Every judged metric is on target in {period}; watch the trends below for "
                     "one turning.").format(period=period_text(period)))
    early = card[card["status"] == "too early to judge"]
    if len(early):
        out.append(_("{metrics}: look again once the period's leads are 30 days past its "
                     "end.").format(metrics=", ".join(early["metric"].map(label))))
    return " ".join(out[:3])
