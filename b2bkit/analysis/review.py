r"""The strategy review: keep, optimize or drop each marketing practice.

For every practice (the campaign's ``practice``, else its channel) the
evidence is gathered from the metric catalogue: spend, leads, CPL, cost per
SQL, attributed bookings, and the lead-cohort metrics ROI and lead quality
*age-matched*: both the period and the comparison period are measured at
``d``, the largest age at which both are mature
(:func:`b2bkit.metrics.common_mature_days`), as ``roi@d`` and
``lead_quality@d``. Both axes carry an interval, so sample size counts
through the interval rather than a bare minimum of leads: lead quality its
Wilson interval, ROI a percentile bootstrap over the period's leads of what
each booked within ``d`` days (:func:`b2bkit.analysis.stats.bootstrap_total`;
the spend is known, the bookings are the sample). An axis is *clearly
above* its target when its whole interval is at or above it, *clearly
below* when its whole interval is below, else *unclear*.

The targets come from ``[targets]`` of dataset.toml (``roi``,
``lead_quality``), else the dataset's own median of the last four periods at
the same age (:func:`b2bkit.analysis.targets.target_of`); each verdict names
its target's source. :func:`classify` applies the rules of :data:`RULES`,
in order, and quotes the rule it used:

1. **too early to judge** when the period is not mature at 30 days;
2. **keep** when the return is clearly at or above its target and lead
   quality is not clearly below its target;
3. **drop** when the return is clearly below its target, lead quality is
   not clearly above its target and ROI did not improve by ``trend_margin``
   (25 percentage points) since the comparison period;
4. **optimize** when one axis is clear and the rules above do not apply
   (a return clearly below target with good leads or an improving ROI; a
   return met with poor leads; an unclear return with a clear lead
   quality);
5. **too little data** when neither axis is clear.

Spend with no lead traced to it, or leads with no spend, is a **data
question** shown beside the verdicts, not a verdict. The ``(unknown)``
practice is shown but never judged.

>>> rules = Thresholds(roi_target=0.0, quality_target=0.2)
>>> classify({"leads": 120, "spend": 5000.0, "roi": -0.6, "roi_low": -0.8, "roi_high": -0.3,
...           "lead_quality": 0.08, "quality_low": 0.04, "quality_high": 0.15,
...           "roi_change": -0.1, "age": 92}, rules)[0]
'drop'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from b2bkit.analysis import with_units
from b2bkit.analysis.attribution import RULE_BASED, model_name
from b2bkit.analysis.campaigns import channel_table
from b2bkit.analysis.stats import bootstrap_total, wilson_interval
from b2bkit.analysis.targets import FROM_SETTINGS, SHOWN_AS, target_of
from b2bkit.core.formatting import format_change, format_value
from b2bkit.core.i18n import (
    N_,
    NC_,
    _,
    date_text,
    missing,
    ngettext,
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
    UNKNOWN,
    View,
    at_age,
    common_mature_days,
    mature_days,
    project,
)
from b2bkit.metrics.attribution import deal_credits
from b2bkit.metrics.marketing import marketing_spend

__all__ = [
    "DATA_QUESTION",
    "NOT_JUDGED",
    "RULES",
    "TOO_EARLY",
    "TOO_LITTLE",
    "VERDICTS",
    "Thresholds",
    "attribution_sentence",
    "classify",
    "data_questions",
    "decision_shown",
    "decision_table",
    "for_csv",
    "lead_bookings",
    "maturity_sentence",
    "model_verdicts",
    "next_steps",
    "projection_gap",
    "projection_shown",
    "projection_table",
    "rules_for",
    "rules_text",
    "summary_paragraph",
    "verdict_changes",
]

TOO_EARLY = NC_("verdict", "too early to judge")
TOO_LITTLE = NC_("verdict", "too little data")
DATA_QUESTION = NC_("verdict", "data question")
NOT_JUDGED = NC_("verdict", "not judged: no practice recorded")
#: The verdict codes (the values of the decision table and its CSV); a reader sees
#: ``pgettext("verdict", code)`` (:func:`verdict_text`).
VERDICTS = (NC_("verdict", "keep"), NC_("verdict", "optimize"), NC_("verdict", "drop"),
            TOO_LITTLE, TOO_EARLY, DATA_QUESTION, NOT_JUDGED)

#: The rules, in the order they are tried, as messages of the catalogue
#: (``{days}``: :data:`MIN_MATURE_DAYS`); every verdict quotes its own.
_RULE_MESSAGES = {
    TOO_EARLY: N_("rule 1: the period ended fewer than {days} days before the data's date, so "
                  "its leads have not had time to turn into deals"),
    "keep": N_("rule 2: the return is clearly at or above its target and lead quality is not "
               "clearly below its target"),
    "drop": N_("rule 3: the return is clearly below its target, lead quality is not clearly "
               "above its target, and ROI did not improve by the trend margin"),
    "optimize": N_("rule 4: one of the two is clear and rules 2 and 3 do not apply"),
    TOO_LITTLE: N_("rule 5: neither the return nor lead quality is clearly on one side of its "
                   "target"),
}

#: The rules in English (the decision table's CSV and the code read them).
RULES = {verdict: text.format(days=MIN_MATURE_DAYS) for verdict, text in _RULE_MESSAGES.items()}


def _rule(verdict: str) -> str:
    """The rule of ``verdict`` (:data:`RULES`) in the reader's language."""
    return _(_RULE_MESSAGES[verdict]).format(days=MIN_MATURE_DAYS)


def verdict_text(code: str) -> str:
    """A verdict code (:data:`VERDICTS`) as a reader sees it: keep; «сохранить»."""
    return pgettext("verdict", code) if isinstance(code, str) and code else code


@dataclass(frozen=True)
class Thresholds:
    """The targets and margins a practice is judged against.

    A NaN target is taken from the dataset when the table is built
    (:func:`decision_table`: ``[targets]`` of dataset.toml, else the own
    median); ``*_source`` says where a target came from.
    """

    roi_target: float = math.nan       # ROI the return must reach
    quality_target: float = math.nan   # share of leads that must reach SQL
    trend_margin: float = 0.25         # ROI up by this much (25 pp) counts as improving
    confidence: float = 0.95           # coverage of both intervals
    roi_source: str = "given"
    quality_source: str = "given"
    draws: int = 2000                  # bootstrap resamples of the ROI interval
    seed: int = 0                      # the bootstrap's seed: the same data, the same interval

    def resolved(self, view: View, period: Period | str, days: int) -> Thresholds:
        """These rules with every NaN target taken from the dataset, at age ``days``."""
        changes = {}
        for field_, name, source in (("roi_target", "roi", "roi_source"),
                                     ("quality_target", "lead_quality", "quality_source")):
            if math.isnan(getattr(self, field_)):
                target = target_of(view, name, period, days=days)
                changes[field_], changes[source] = target.value, target.source
        return replace(self, **changes)


def _rate(value: float) -> str:
    return format_value(value, "rate")


def _nan(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _side(low: float, high: float, target: float) -> str:
    """"above", "below" or "unclear": where an interval lies against a target."""
    if _nan(target) or _nan(low) or _nan(high):
        return "unclear"
    if low >= target:
        return "above"
    return "below" if high < target else "unclear"


def _source(value: float, source: str) -> str:
    if _nan(value):
        return _("no target ({reason})").format(reason=source)
    if source == FROM_SETTINGS:
        return _("target {value} from {file}").format(value=_rate(value), file=FROM_SETTINGS)
    if source == "given":
        return _("target {value} as given").format(value=_rate(value))
    return _("target {value} the {source}").format(value=_rate(value), source=source)


def rules_text(rules: Thresholds) -> list[str]:
    """The rules as a reader sees them above the verdicts, with the targets and margin."""
    lines = []
    for verdict in RULES:
        rule, text = _rule(verdict).split(": ", 1)
        margin = (" ({})".format(format_change(rules.trend_margin, "rate"))
                  if verdict == "drop" else "")
        lines.append(_("{rule}, {verdict}: {text}{margin}.").format(
            rule=rule.capitalize(), verdict=verdict_text(verdict), text=text, margin=margin))
    lines.append(_(
        "The return is ROI at the judged age against {roi_target}; lead quality the share of "
        "leads that reached SQL by then, against {quality_target}. 'Clearly' means the whole "
        "{confidence} interval is on that side.").format(
            roi_target=_source(rules.roi_target, rules.roi_source),
            quality_target=_source(rules.quality_target, rules.quality_source),
            confidence=percent(rules.confidence, 0)))
    return lines


def classify(evidence: dict | pd.Series, rules: Thresholds) -> tuple[str, str]:
    """The verdict of one practice and its reasons, quoting the rule used.

    ``evidence`` needs ``leads``, ``spend``, ``roi`` with its interval
    ``roi_low`` / ``roi_high``, ``lead_quality`` with ``quality_low`` /
    ``quality_high`` (all at age ``age``, in days) and ``roi_change`` (NaN
    without a comparison); ``age`` below
    :data:`~b2bkit.metrics.MIN_MATURE_DAYS` means the period is too young
    to judge. Spend without leads, or leads without spend, is a
    :data:`DATA_QUESTION`.
    """
    leads, spend, age = evidence["leads"], evidence["spend"], evidence["age"]
    roi, quality, change = evidence["roi"], evidence["lead_quality"], evidence["roi_change"]
    if age < MIN_MATURE_DAYS:
        return TOO_EARLY, ngettext(
            "{rule} (mature at {days} days, needs {needed})",
            "{rule} (mature at {days} days, needs {needed})",
            max(int(age), 0)).format(
            rule=_rule(TOO_EARLY), days=plain(max(int(age), 0), 0), needed=MIN_MATURE_DAYS)
    no_spend, no_leads = _nan(spend) or spend <= 0, _nan(leads) or leads <= 0
    if no_leads and not no_spend:
        return DATA_QUESTION, _("spend with no lead traced to it: no lead carries these "
                                "campaigns; check the leads' campaign_id")
    if no_spend:
        return DATA_QUESTION, _("leads with no spend recorded, so no return to judge: check "
                                "the spend rows' campaign_id and channel")
    at = ngettext(" at {days} days", " at {days} days", int(age)).format(days=plain(age, 0))
    roi_side = _side(evidence["roi_low"], evidence["roi_high"], rules.roi_target)
    q_side = _side(evidence["quality_low"], evidence["quality_high"], rules.quality_target)
    words = {"above": _("is clearly at or above"), "below": _("is clearly below"),
             "unclear": _("could be on either side of")}
    roi_text = _("ROI{at} {value} ({low} to {high}) {side} {target}").format(
        at=at, value=_rate(roi), low=_rate(evidence["roi_low"]),
        high=_rate(evidence["roi_high"]), side=words[roi_side],
        target=_source(rules.roi_target, rules.roi_source))
    quality_text = ngettext(
        "lead quality{at} {value} ({low} to {high}, {leads} leads) {side} {target}",
        "lead quality{at} {value} ({low} to {high}, {leads} leads) {side} {target}",
        int(leads)).format(
            at=at, value=_rate(quality), low=_rate(evidence["quality_low"]),
            high=_rate(evidence["quality_high"]), leads=plain(int(leads), 0),
            side=words[q_side], target=_source(rules.quality_target, rules.quality_source))
    improving = not _nan(change) and change >= rules.trend_margin
    if _nan(change):
        trend = _("no earlier period to compare ROI with")
    elif improving:
        trend = _("ROI changed {change} since the comparison period (an improvement)").format(
            change=format_change(change, "rate"))
    else:
        trend = _("ROI changed {change} since the comparison period (not the {margin} that "
                  "counts as improving)").format(change=format_change(change, "rate"),
                                                 margin=format_change(rules.trend_margin,
                                                                      "rate"))
    evidence_text = f"{roi_text}; {quality_text}"
    if roi_side == "above" and q_side != "below":
        verdict = "keep"
    elif roi_side == "below" and q_side != "above" and not improving:
        verdict, evidence_text = "drop", f"{evidence_text}; {trend}"
    elif roi_side == "unclear" and q_side == "unclear":
        verdict = TOO_LITTLE
    else:
        verdict = "optimize"
        if roi_side == "below":
            evidence_text = f"{evidence_text}; {trend}"
    return verdict, _("{rule}. {evidence}.").format(
        rule=_rule(verdict), evidence=evidence_text[0].upper() + evidence_text[1:])


def _by_practice(name: str, view: View, period: Period, days: int) -> pd.Series:
    return at_age(name, view, period, days, by="practice").set_index("practice")["value"]


def _won_within(view: View, days: float) -> tuple[np.ndarray, np.ndarray]:
    """Each opportunity's lead row (-1: none) and whether it was won on or before its lead's
    created_at + ``days`` (and as_of): the deals ``roi@days`` counts."""
    opps, leads = view.tables.get("opportunities"), view.tables.get("leads")
    if opps is None or leads is None or ("opportunities", "lead_id") not in view.links:
        n = 0 if opps is None else len(opps)
        return np.full(n, -1), np.zeros(n, dtype=bool)
    to_lead = np.asarray(view.links[("opportunities", "lead_id")])
    linked = to_lead >= 0
    born = leads["created_at"].to_numpy()[np.where(linked, to_lead, 0)]
    closed = (opps["closed_at"].to_numpy() if "closed_at" in opps
              else np.full(len(opps), np.datetime64("NaT"), dtype="datetime64[ns]"))
    delay = (closed - born) / np.timedelta64(1, "D")
    counted = (linked & (opps["status"] == "won").to_numpy()
               & np.nan_to_num(delay <= days, nan=False).astype(bool))
    return to_lead, counted


def lead_bookings(view: View, period: Period | str, days: float, *, by: str = "practice"
                  ) -> pd.DataFrame:
    """Each lead created in ``period`` with its group and what it booked within ``days``.

    The won amount of the lead's opportunities won on or before created_at +
    ``days`` (and as_of), 0 for a lead that booked nothing: the members the
    ROI interval resamples, and exactly what ``roi@days`` sums per group.
    Columns ``[by, booked]``.
    """
    period = Period.parse(period)
    leads = view.tables.get("leads")
    if leads is None or not len(leads):
        return pd.DataFrame({by: pd.Series(dtype=object), "booked": pd.Series(dtype=float)})
    booked = np.zeros(len(leads))
    to_lead, counted = _won_within(view, days)
    if counted.any():
        amounts = view.tables["opportunities"]["amount"].astype(float).fillna(0.0).to_numpy()
        booked = np.bincount(to_lead[counted], weights=amounts[counted], minlength=len(leads))
    groups = view.dims.get("leads", {}).get(by)
    labels = (groups.astype(object).where(groups.notna(), UNKNOWN).to_numpy()
              if groups is not None else np.full(len(leads), UNKNOWN, dtype=object))
    inside = period.mask(leads["created_at"]).to_numpy(dtype=bool)
    return pd.DataFrame({by: labels[inside], "booked": booked[inside]})


def _roi_intervals(view: View, period: Period, days: int, spend: pd.Series,
                   rules: Thresholds) -> pd.DataFrame:
    """ROI@days interval per practice: (bootstrapped bookings - spend) / spend."""
    members = lead_bookings(view, period, days, by="practice")
    rows = {}
    for name, spent in spend.items():
        booked = members.loc[members["practice"] == name, "booked"].to_numpy()
        low, high = bootstrap_total(booked, confidence=rules.confidence, draws=rules.draws,
                                    seed=rules.seed)
        ok = not _nan(spent) and spent > 0
        rows[name] = ((low - spent) / spent if ok else np.nan,
                      (high - spent) / spent if ok else np.nan)
    return pd.DataFrame.from_dict(rows, orient="index", columns=["roi_low", "roi_high"])


def rules_for(view: View, period: Period | str, rules: Thresholds | None = None,
              compare_to: Period | str | None = None) -> Thresholds:
    """``rules`` with their targets taken from the dataset at the age the review uses."""
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to else period.previous()
    days = max(common_mature_days(period, before, view.as_of), 0)
    return (rules or Thresholds()).resolved(view, period, days)


def decision_table(view: View, period: Period | str, rules: Thresholds | None = None,
                   compare_to: Period | str | None = None) -> pd.DataFrame:
    """One row per practice: evidence at age ``d`` with both intervals, verdict and reasons.

    ``d`` (column ``age``) is the largest age at which the period and the
    comparison period are both mature (at least 0). ``roi`` and
    ``lead_quality`` are as of as_of (still growing for a young period);
    ``roi_at_d`` with its bootstrap interval ``roi_low`` / ``roi_high``,
    ``lead_quality_at_d`` with its Wilson interval, ``roi_previous_at_d``
    and ``roi_change_at_d`` are age-matched. ``roi_target`` /
    ``quality_target`` and their sources are the rules' (resolved from the
    dataset when not given). Practices with neither spend nor leads are left
    out; ``(unknown)`` comes last, not judged. The units of the number columns
    are in ``attrs["units"]`` (ROI as a rate, its change in percentage points).
    """
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to else period.previous()
    days = max(common_mature_days(period, before, view.as_of), 0)
    rules = rules_for(view, period, rules, before)
    now = channel_table(view, period, by="practice").set_index("practice")
    now = now.rename(columns={"lead_quality_low": "_low", "lead_quality_high": "_high"})
    now["age"] = days
    now["roi_at_d"] = _by_practice("roi", view, period, days).reindex(now.index)
    intervals = _roi_intervals(view, period, days, now["spend"], rules)
    now["roi_low"], now["roi_high"] = intervals["roi_low"], intervals["roi_high"]
    quality = _by_practice("lead_quality", view, period, days).reindex(now.index)
    now["lead_quality_at_d"] = quality
    low, high = wilson_interval((quality * now["leads"]).round().fillna(0).to_numpy(),
                                now["leads"].fillna(0).to_numpy(), rules.confidence)
    now["quality_low"], now["quality_high"] = low, high
    now["roi_previous_at_d"] = _by_practice("roi", view, before, days).reindex(now.index)
    now["roi_change_at_d"] = now["roi_at_d"] - now["roi_previous_at_d"]
    now = now[(now["spend"].fillna(0) > 0) | (now["leads"].fillna(0) > 0)]
    mature = mature_days(period, view.as_of)
    evidence = pd.DataFrame({
        "leads": now["leads"], "spend": now["spend"], "roi": now["roi_at_d"],
        "roi_low": now["roi_low"], "roi_high": now["roi_high"],
        "lead_quality": now["lead_quality_at_d"], "quality_low": now["quality_low"],
        "quality_high": now["quality_high"], "roi_change": now["roi_change_at_d"],
        "age": mature if mature < MIN_MATURE_DAYS else days})
    verdicts = [classify(row, rules) for row in evidence.to_dict("records")]  # per practice
    now["verdict"] = [v for v, _r in verdicts]
    now["reasons"] = [r for _v, r in verdicts]
    unknown = now.index == UNKNOWN
    now.loc[unknown, "verdict"] = NOT_JUDGED
    now.loc[unknown, "reasons"] = _("campaigns or leads without a practice: shown for their "
                                    "spend and leads, never ranked or judged")
    now["roi_target"], now["roi_target_source"] = rules.roi_target, rules.roi_source
    now["quality_target"], now["quality_target_source"] = (rules.quality_target,
                                                           rules.quality_source)
    order = {v: i for i, v in enumerate(VERDICTS)}
    now = now.assign(_order=now["verdict"].map(order), _name=now.index.astype(str))
    now = now.sort_values(["_order", "roi_at_d", "_name"], ascending=[True, False, True],
                          kind="stable")
    columns = ["verdict", "reasons", "spend", "leads", "age", "cpl", "cost_per_sql",
               "attributed_bookings", "roi", "lead_quality", "roi_at_d", "roi_low", "roi_high",
               "lead_quality_at_d", "quality_low", "quality_high", "roi_previous_at_d",
               "roi_change_at_d", "roi_target", "roi_target_source", "quality_target",
               "quality_target_source"]
    rates = ("roi", "lead_quality", "roi_at_d", "roi_low", "roi_high", "lead_quality_at_d",
             "quality_low", "quality_high", "roi_previous_at_d", "roi_target", "quality_target")
    return with_units(now[columns].reset_index(), {
        "spend": "currency", "leads": "count", "age": "days", "cpl": "currency",
        "cost_per_sql": "currency", "attributed_bookings": "currency",
        **dict.fromkeys(rates, "rate"), "roi_change_at_d": "rate_change"})


def decision_shown(table: pd.DataFrame, currency: str = "") -> pd.DataFrame:
    """The decision table as a reader sees it: plain headers, rates (ROI too) in %.

    One column per finding, intervals as one text, so the table fits a page: every cell
    is text already, so ``attrs["units"]`` is empty.
    """
    def rate(column: str) -> list[str]:
        return [format_value(v, "rate") for v in table[column]]

    def money(column: str) -> list[str]:
        return [format_value(v, "currency", currency) for v in table[column]]

    age = int(table["age"].iloc[0]) if len(table) else 0
    return with_units(pd.DataFrame({
        "practice": table["practice"].astype(str),
        "verdict": [verdict_text(v) for v in table["verdict"]],
        "spend": money("spend"),
        "leads": [format_value(v, "count") for v in table["leads"]],
        "cost per lead": money("cpl"),
        f"ROI at {age} days (95% interval)": [
            _("{value} ({low} to {high})").format(value=a, low=b, high=c)
            if b != missing() else a
            for a, b, c in zip(rate("roi_at_d"), rate("roi_low"), rate("roi_high"),
                               strict=True)],
        f"lead quality at {age} days (95% interval)": [
            _("{value} ({low} to {high})").format(value=a, low=b, high=c)
            if b != missing() else a
            for a, b, c in zip(rate("lead_quality_at_d"), rate("quality_low"),
                               rate("quality_high"), strict=True)],
        "ROI change since the comparison period": [format_change(v, "rate")
                                                   for v in table["roi_change_at_d"]],
    }), {})


def for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """The decision table for a CSV file: numbers rounded to 6 decimals (no 1.7e-18 left by
    floating point where the value is 0)."""
    numbers = table.select_dtypes("number").columns
    return table.assign(**{c: table[c].round(6) for c in numbers})


def data_questions(table: pd.DataFrame, currency: str = "") -> list[str]:
    """One sentence per practice whose data, not its performance, needs a look."""
    rows = table[table["verdict"] == DATA_QUESTION]
    return [ngettext("{practice}: {spend} of spend, {leads} leads — {reasons}.",
                     "{practice}: {spend} of spend, {leads} leads — {reasons}.",
                     0 if _nan(row.leads) else int(row.leads)).format(
                practice=row.practice, spend=format_value(row.spend, "currency", currency),
                leads=format_value(row.leads, "count"), reasons=row.reasons)
            for row in rows.itertuples()]


def maturity_sentence(view: View, period: Period | str, compare_to: Period | str | None = None,
                      *, compared: bool = True) -> str:
    """How old the period's leads are and the age the comparison uses, in one sentence.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> maturity_sentence(prepare(sample_dataset(), "2025-06-30"), "2025-Q1")
    "2025-Q1 and 2024-Q4 are compared at the same age: what each period's leads did within 91 days of their creation (91 days is how long 2025-Q1 has been over)."
    """  # noqa: E501
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to else period.previous()
    mature = mature_days(period, view.as_of)
    days = max(common_mature_days(period, before, view.as_of), 0)
    if mature < MIN_MATURE_DAYS:
        head = ngettext(
            "It is too early to judge {period}: as of {as_of} it is mature at "
            "{days} days only (a verdict needs {needed} days after the period "
            "ends); ",
            "It is too early to judge {period}: as of {as_of} it is mature at "
            "{days} days only (a verdict needs {needed} days after the period "
            "ends); ",
            max(mature, 0)).format(
            period=period_text(period), as_of=date_text(view.as_of), days=plain(max(mature, 0), 0),
            needed=MIN_MATURE_DAYS)
        if not compared:
            return head + _("its values below will still grow.")
        return head + ngettext(
            "its values below are compared with {before} at {days} days and "
            "will still grow.",
            "its values below are compared with {before} at {days} days and "
            "will still grow.",
            days).format(before=period_text(before),
                                                         days=plain(days, 0))
    if not compared:
        return ngettext(
            "The leads of {period} are {days} days past the period's end, old "
            "enough to judge; their values below will still grow a little.",
            "The leads of {period} are {days} days past the period's end, old "
            "enough to judge; their values below will still grow a little.",
            mature).format(period=period_text(period),
                                                 days=plain(mature, 0))
    return ngettext(
        "{period} and {before} are compared at the same age: what each "
        "period's leads did within {days} days of their creation ({days} "
        "days is how long {period} has been over).",
        "{period} and {before} are compared at the same age: what each "
        "period's leads did within {days} days of their creation ({days} "
        "days is how long {period} has been over).",
        days).format(period=period_text(period),
                                             before=period_text(before), days=plain(days, 0))


def projection_table(view: View, period: Period | str) -> pd.DataFrame:
    """Each lead-cohort metric of the period: observed, and projected to maturity with a range.

    Columns ``metric``, ``unit``, ``observed`` (as of as_of), ``projection``,
    ``low``, ``high``, ``label`` (always "projection") and ``note`` (how, or
    why there is none).
    """
    period = Period.parse(period)
    rows = []
    for name in LEAD_COHORT_METRICS:
        result = project(name, view, period)
        observed = CATALOGUE[name].public(view, period)
        if hasattr(result, "reason"):
            rows.append({"metric": name, "observed": observed, "projection": np.nan,
                         "low": np.nan, "high": np.nan, "note": result.reason})
        else:
            rows.append({"metric": name, "observed": result.observed,
                         "projection": result.value, "low": result.low, "high": result.high,
                         "note": result.note})
    table = pd.DataFrame(rows)
    table.insert(1, "unit", [CATALOGUE[n].unit for n in table["metric"]])
    table["label"] = "projection"
    return table


def projection_gap(table: pd.DataFrame) -> str:
    """Why :func:`projection_table` has nothing to show ("" when a metric has a value): a
    table of n/a rows says less than one sentence.

    >>> table = pd.DataFrame({"observed": [np.nan, np.nan],
    ...                       "note": ["no leads table in the dataset"] * 2})
    >>> projection_gap(table)
    'no leads table in the dataset.'
    >>> projection_gap(table.assign(observed=[0.2, np.nan]))
    ''
    """
    if len(table) and table["observed"].notna().any():
        return ""
    notes = [str(n) for n in table.get("note", pd.Series(dtype=object)).dropna() if str(n)]
    return (f"{notes[0].rstrip('.')}." if notes
            else _("no metric has a value for the period."))


def projection_shown(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`projection_table` for reading: each row in its own unit, the range as one text
    (text already: ``attrs["units"]`` is empty).

    >>> table = pd.DataFrame({"metric": ["roi"], "unit": ["ratio"], "observed": [-0.5],
    ...                       "projection": [0.4], "low": [0.1], "high": [0.9],
    ...                       "note": ["how"], "label": ["projection"]})
    >>> shown = projection_shown(table)
    >>> shown.values.tolist(), shown.attrs["units"]
    ([['roi', '-50.0%', '40.0%', '10.0% to 90.0%', 'how']], {})
    """
    def text(column: str) -> list[str]:
        return [format_value(v, u) for v, u in zip(table[column], table["unit"], strict=True)]

    table = table.assign(unit=[SHOWN_AS.get(m, u) for m, u in
                               zip(table["metric"], table["unit"], strict=True)])
    low, high = text("low"), text("high")
    return with_units(pd.DataFrame({"metric": table["metric"], "observed": text("observed"),
                                    "projection": text("projection"),
                                    "projection range": [
                                        _("{low} to {high}").format(low=a, high=b)
                                        for a, b in zip(low, high, strict=True)],
                                    "how": table["note"]}), {})


def verdict_changes(view: View, table: pd.DataFrame, before: Period | str,
                    rules: Thresholds) -> pd.DataFrame:
    """Each practice's verdict beside its verdict in ``before`` (judged against the period
    before that), so a reader sees what moved.

    Parameters
    ----------
    view : View
    table : pandas.DataFrame
        :func:`decision_table` of the current period.
    before : Period or str
        The comparison period.
    rules : Thresholds

    Returns
    -------
    pandas.DataFrame
        ``practice``, ``verdict`` and ``verdict in <before>`` (blank for a
        practice not judged then); text only, so ``attrs["units"]`` is empty.
    """
    before = Period.parse(before)
    earlier = decision_table(view, before, rules, before.previous())
    out = table[["practice", "verdict"]].merge(
        earlier[["practice", "verdict"]], on="practice", how="left",
        suffixes=("", f" in {before}"))
    for column in out.columns[1:]:  # the codes as a reader reads them
        out[column] = [verdict_text(v) for v in out[column]]
    return with_units(out, {})


def summary_paragraph(table: pd.DataFrame, period: Period | str, *, currency: str = "") -> str:
    """What a marketing director can act on, in one paragraph (named age, no drop when young).

    Dropping frees the dropped practices' spend; the data questions are
    counted, not judged.
    """
    def names(verdict: str) -> list[str]:
        return table.loc[table["verdict"] == verdict, "practice"].astype(str).tolist()

    spend = table.groupby("verdict")["spend"].sum()
    def joined(verdict: str) -> str:
        return ", ".join(names(verdict))

    days = int(table["age"].iloc[0]) if len(table) else 0
    parts = [ngettext(
        "In {period}, judged on what its leads did within {days} days:",
        "In {period}, judged on what its leads did within {days} days:",
        days).format(period=period_text(period), days=plain(days, 0))]
    if names(TOO_EARLY):
        parts = [_("It is too early to judge {period}: its leads have not had {days} days since "
                   "the period ended, so no practice is kept or dropped yet ({practices}).")
                 .format(period=period_text(period), days=MIN_MATURE_DAYS,
                         practices=joined(TOO_EARLY))]
    if names("keep"):
        parts.append(_("keep {practices}: the return clearly meets its target and the leads "
                       "are not clearly poor.").format(practices=joined("keep")))
    if names("optimize"):
        parts.append(_("Optimize {practices}: one of return and lead quality clearly misses its "
                       "target while the other holds up or improves; fix that before adding "
                       "budget.").format(practices=joined("optimize")))
    if names("drop"):
        freed = format_value(spend.get("drop", 0.0), "currency", currency)
        parts.append(_("Drop {practices}: the return is clearly below its target, the leads do "
                       "not make up for it and ROI is not improving; that frees {amount}.")
                     .format(practices=joined("drop"), amount=freed))
    if names(TOO_LITTLE):
        parts.append(_("Too little data to judge {practices}: neither return nor lead quality "
                       "is clearly on one side of its target.").format(
                           practices=joined(TOO_LITTLE)))
    if names(DATA_QUESTION):
        count = len(names(DATA_QUESTION))
        parts.append(ngettext("{n} practice(s) need a look at the data first ({practices}).",
                              "{n} practice(s) need a look at the data first ({practices}).",
                              count).format(n=plain(count, 0), practices=joined(DATA_QUESTION)))
    if names(NOT_JUDGED):
        parts.append(_("Leads and spend without a practice are shown, not judged."))
    return " ".join(parts)


def next_steps(table: pd.DataFrame, period: Period | str, *, currency: str = "") -> str:
    """"What to look at next": two or three sentences from the decision table's findings."""
    judged = table[table["verdict"].isin(["keep", "optimize", "drop"])]
    out = []
    drops = judged[judged["verdict"] == "drop"]
    if len(drops):
        lost = (drops["spend"] - drops["attributed_bookings"].fillna(0)).sort_values(
            ascending=False)
        worst = drops.loc[lost.index[0]]
        out.append(_("Start with {practice}: of {spend} spent in {period}, its leads have "
                     "booked {booked} so far; decide whether to stop it or what would have to "
                     "change.").format(
                         practice=worst["practice"],
                         spend=format_value(worst["spend"], "currency", currency),
                         period=period_text(period),
                         booked=format_value(worst["attributed_bookings"], "currency",
                                             currency)))
    fixes = judged[judged["verdict"] == "optimize"]
    if len(fixes):
        out.append(_("For {practices}, look at the weaker of the two axes in the table: poor "
                     "lead quality points to targeting, a poor return with good leads to the "
                     "sales follow-up.").format(
                         practices=", ".join(fixes["practice"].astype(str))))
    unclear = table[table["verdict"].isin([TOO_LITTLE, DATA_QUESTION])]
    if len(unclear):
        out.append(_("{practices} cannot be judged yet: check the data questions, or review "
                     "again when more leads have matured.").format(
                         practices=", ".join(unclear["practice"].astype(str))))
    if not out:
        out.append(_("Nothing in {period} calls for a change; review the next period when its "
                     "leads are {days} days old.").format(period=period_text(period),
                                                          days=MIN_MATURE_DAYS))
    return " ".join(out[:3])


# --- the attribution model of the return ---------------------------------------------------


def _credited_members(view: View, period: Period, days: float, model: str) -> pd.DataFrame:
    """``[practice, lead, booked]``: what each lead created in ``period`` earned each practice
    under ``model``, from its deals won within ``days`` (those ``roi@days`` counts), and 0
    for the practice's own leads that earned it nothing; by lead row."""
    leads = view.tables["leads"]
    inside = period.mask(leads["created_at"]).to_numpy(dtype=bool)
    own = lead_bookings(view, period, days).assign(lead=np.flatnonzero(inside), booked=0.0)
    to_lead, counted = _won_within(view, days)
    chosen = np.flatnonzero(counted & inside[np.maximum(to_lead, 0)])
    if not len(chosen):
        return own
    opps = view.tables["opportunities"]
    closed = opps["closed_at"].iloc[chosen]
    credits = deal_credits(view, Period.between(closed.min(), closed.max()), model=model,
                           by="practice")
    lead_of = pd.Series(to_lead[chosen], index=opps["opportunity_id"].iloc[chosen].to_numpy())
    credits = credits[credits["opportunity_id"].isin(lead_of.index)]
    earned = credits.assign(lead=lead_of.reindex(credits["opportunity_id"]).to_numpy())
    members = pd.concat([own, earned[["practice", "lead", "credited_bookings"]].rename(
        columns={"credited_bookings": "booked"})], ignore_index=True)
    return members.groupby(["practice", "lead"], as_index=False)["booked"].sum()


def _model_evidence(view: View, period: Period, before: Period, days: int, model: str,
                    table: pd.DataFrame, rules: Thresholds) -> pd.DataFrame:
    """The decision table's evidence with the return (ROI@d, its interval and its change)
    credited under ``model`` instead of the lead's own practice."""
    now = _credited_members(view, period, days, model)
    earlier = _credited_members(view, before, days, model).groupby("practice")["booked"].sum()
    spend_before = marketing_spend(view, before, by="practice").set_index("practice")[
        "value"].astype(float)
    rows = []
    for row in table.itertuples():  # one per practice, as _roi_intervals
        booked = now.loc[now["practice"] == row.practice, "booked"].to_numpy()
        low, high = bootstrap_total(booked, confidence=rules.confidence, draws=rules.draws,
                                    seed=rules.seed)
        spent, spent_before = row.spend, spend_before.get(row.practice, np.nan)
        ok = not _nan(spent) and spent > 0
        ok_before = not _nan(spent_before) and spent_before > 0
        roi = (booked.sum() - spent) / spent if ok else np.nan
        previous = ((earlier.get(row.practice, 0.0) - spent_before) / spent_before
                    if ok_before else np.nan)
        rows.append({"leads": row.leads, "spend": spent, "roi": roi,
                     "roi_low": (low - spent) / spent if ok else np.nan,
                     "roi_high": (high - spent) / spent if ok else np.nan,
                     "lead_quality": row.lead_quality_at_d, "quality_low": row.quality_low,
                     "quality_high": row.quality_high, "roi_change": roi - previous})
    evidence = pd.DataFrame(rows, index=table["practice"])
    mature = mature_days(period, view.as_of)
    return evidence.assign(age=mature if mature < MIN_MATURE_DAYS else days)


def model_verdicts(view: View, period: Period | str, table: pd.DataFrame,
                   rules: Thresholds, compare_to: Period | str | None = None, *,
                   models: tuple[str, ...] = RULE_BASED) -> pd.DataFrame:
    r"""Each practice's verdict if its return credited the deals under another model.

    The return of :func:`decision_table` credits each deal to its lead's practice
    (the ``lead_source`` model of :func:`b2bkit.metrics.attribution`). Under a model
    :math:`m`, the same deals (won by the period's leads within ``d`` days) are
    split over their touchpoints' practices, and

    .. math:: \text{ROI@}d_{g,m} = \frac{\sum_{\text{deals}} \text{credit}_{g,m} -
              S_g}{S_g}

    with its bootstrap interval over the period's leads (the practice's own and those
    whose deals credit it) and its change since the comparison period under the same
    model; lead quality, spend and the rules (:data:`RULES`, the same targets) are
    unchanged. ``lead_source`` gives back the table's verdicts.

    Returns
    -------
    pandas.DataFrame
        One row per practice of ``table`` (same order), one column of verdicts per model.
    """
    period = Period.parse(period)
    before = Period.parse(compare_to) if compare_to else period.previous()
    days = int(table["age"].iloc[0]) if len(table) else 0
    out = pd.DataFrame(index=pd.Index(table["practice"], name="practice"))
    for model in models:  # a few models, each a vectorised credit of every deal
        evidence = _model_evidence(view, period, before, days, model, table, rules)
        out[model] = [classify(row, rules)[0] for row in evidence.to_dict("records")]
    out.loc[out.index == UNKNOWN] = NOT_JUDGED
    return out


def attribution_sentence(verdicts: pd.DataFrame, table: pd.DataFrame) -> str:
    """Which attribution model the return uses, and whether another one would change a verdict.

    ``verdicts``: :func:`model_verdicts`; ``table``: :func:`decision_table`.

    >>> table = pd.DataFrame({"practice": ["webinars", "events"],
    ...                       "verdict": ["keep", "drop"]})
    >>> verdicts = pd.DataFrame({"first_touch": ["optimize", "drop"],
    ...                          "linear": ["optimize", "drop"]},
    ...                         index=pd.Index(["webinars", "events"], name="practice"))
    >>> attribution_sentence(verdicts, table)
    'The return credits each won deal to the practice of the campaign its lead came in through (the lead source model). Under another rule-based model the verdict of 1 practice would change: webinars would be optimize under first touch and linear (keep here).'
    """  # noqa: E501
    head = _("The return credits each won deal to the practice of the campaign its lead came "
             "in through (the lead source model).")
    others = verdicts.drop(columns=[c for c in verdicts.columns if c == "lead_source"])
    listed = _listed([_model(m) for m in others.columns])
    here = table.set_index("practice")["verdict"].reindex(others.index)
    changed = others.ne(here, axis=0)
    if not changed.to_numpy().any():
        return head + " " + _("Under the other rule-based models ({models}) no verdict would "
                              "change.").format(models=listed)
    parts = []
    for practice, row in others[changed.any(axis=1)].iterrows():  # the few that change
        moved = row[changed.loc[practice]]
        by_verdict = moved.groupby(moved, sort=False)
        said = "; ".join(_("{verdict} under {models}").format(
            verdict=verdict_text(verdict), models=_listed([_model(m) for m in models.index]))
                         for verdict, models in by_verdict)
        parts.append(_("{practice} would be {verdicts} ({verdict} here)").format(
            practice=practice, verdicts=said, verdict=verdict_text(here[practice])))
    count = len(parts)
    return head + " " + ngettext(
        "Under another rule-based model the verdict of {n} practice would change: {changes}.",
        "Under another rule-based model the verdict of {n} practices would change: {changes}.",
        count).format(n=plain(count, 0), changes="; ".join(parts))


def _model(model: str) -> str:
    """An attribution model's name for the reader (the names of
    :data:`b2bkit.analysis.attribution.MODEL_NAMES`, translated where the catalogue has them)."""
    return model_name(model)


def _listed(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])
