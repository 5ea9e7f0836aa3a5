"""Who gets the credit: the attribution models side by side, ranked, in plain sentences.

The models are those of :func:`b2bkit.metrics.attribution` (CONTRACT section 3,
"Attribution"); here they are compared: the credited bookings of each group under
every model (:func:`side_by_side`, :func:`credit_table`), each group's rank under
each model (:func:`ranks`), and sentences saying how much the answer depends on
the model (:func:`credit_sentences`). :func:`worked_example` is the teaching
example: one won deal of 10,000 with four touchpoints.

>>> ranks_table = pd.DataFrame({"first_touch": [1.0, 2.0], "last_touch": [2.0, 1.0]},
...                            index=pd.Index(["webinar", "content"], name="channel"))
>>> model_sentence(ranks_table, by="channel")
'The top channel changes with the model: webinar under first touch; content under last touch.'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import N_, NC_, _, current, date_text, ngettext, period_text, pgettext
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset, from_frames
from b2bkit.metrics import MODELS, NO_TOUCHPOINT, UNKNOWN, View, attributed_roi, attribution
from b2bkit.metrics.attribution import touchpoints

__all__ = ["MODEL_NAMES", "RULE_BASED", "SPECIAL", "chart_title", "credit_sentences",
           "credit_table", "markov_sentence", "missing_reason", "model_name", "model_sentence",
           "rank_sentence", "ranks", "share_frame", "shown", "side_by_side", "spread_sentence",
           "worked_example", "worked_example_dataset"]

#: Each model as a reader names it.
MODEL_NAMES = {"lead_source": NC_("model", "lead source"),
               "first_touch": NC_("model", "first touch"),
               "last_touch": NC_("model", "last touch"), "linear": NC_("model", "linear"),
               "u_shaped": NC_("model", "U-shaped"), "w_shaped": NC_("model", "W-shaped"),
               "time_decay": NC_("model", "time decay"), "markov": NC_("model", "Markov")}

#: The models defined by a rule (all but the data-driven Markov model).
RULE_BASED = tuple(m for m in MODELS if m != "markov")

#: Groups that are shown but never ranked (grey in the share chart).
SPECIAL = (UNKNOWN, NO_TOUCHPOINT)

_UNITS = {"credited_bookings": "currency", "spend": "currency", "share": "rate", "roi": "rate",
          "rank": "count"}


#: The kinds of group a model credits, as a reader names them in another language.
_KINDS = {"channel": NC_("group", "channel"), "campaign": NC_("group", "campaign")}


def _what(by: str, plural: bool = False) -> str:
    """The kind of group: ``channel``, ``campaigns`` in English; its translated name (one
    form, in sentences built around it) in another language."""
    word = by.removesuffix("_id")
    if not current().english:
        return pgettext("group", _KINDS[word]) if word in _KINDS else word
    return word + "s" if plural else word


def model_name(model: str) -> str:
    """A model as a reader names it in the report's language (``first touch``).

    >>> model_name("u_shaped"), model_name("custom")
    ('U-shaped', 'custom')
    """
    return pgettext("model", MODEL_NAMES[model]) if model in MODEL_NAMES else model


def _names(models: list[str] | pd.Index) -> str:
    """``a``, ``a and b``, ``a, b and c`` of the models' plain names."""
    names = [model_name(m) for m in models]
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _ordinal(n: float) -> str:
    """>>> [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 21)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '21st']
    """
    n = int(n)
    if not current().english:
        return pgettext("ordinal", "{n}th").format(n=n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def side_by_side(view: View, period: Period | str, *, by: str = "campaign_id",
                 level: str = "lead", models: tuple[str, ...] = MODELS) -> pd.DataFrame:
    r"""Credited bookings and attributed ROI per group under every model (long form).

    .. math:: \text{share}_{g,m} = \frac{\text{credited bookings}_{g,m}}
              {\sum_h \text{credited bookings}_{h,m}}

    the group's part of the period's bookings under model :math:`m`
    (:func:`b2bkit.metrics.attributed_roi` for the rest).

    Returns
    -------
    pandas.DataFrame
        ``[by, model, credited_bookings, share, spend, roi]``; ``attrs``: ``units``,
        and for the Markov model its ``paths`` and ``won_paths``.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> long = side_by_side(prepare(sample_dataset()), "2025-Q1", by="channel",
    ...                     models=("first_touch", "markov"))
    >>> long[long["credited_bookings"] > 0][["channel", "model", "share", "roi"]]
       channel        model  share    roi
    2  webinar  first_touch    1.0  1.401
    5  webinar       markov    1.0  1.401
    >>> long.attrs["paths"], long.attrs["won_paths"]
    (4, 1)
    """
    frames, attrs = [], {"units": dict(_UNITS)}
    for model in models:  # one catalogue call per model
        frame = attributed_roi(view, period, model=model, level=level, by=by)
        total = frame["credited_bookings"].sum()
        frames.append(frame.assign(model=model, share=frame["credited_bookings"] / total
                                   if total else float("nan")))
        if model == "markov":
            attrs.update(paths=frame.attrs["paths"], won_paths=frame.attrs["won_paths"])
    long = pd.concat(frames, ignore_index=True)[[by, "model", "credited_bookings", "share",
                                                 "spend", "roi"]]
    long.attrs.update(attrs)
    return long


def _order(long: pd.DataFrame, by: str) -> list[str]:
    """The groups by their mean credited bookings over the models (most first, ties by
    name), ``(unknown)`` and ``(no touchpoint)`` last."""
    mean = long.groupby(by)["credited_bookings"].mean()
    ranked = mean[~mean.index.isin(SPECIAL)]
    ranked = ranked.reset_index().sort_values(["credited_bookings", by],
                                              ascending=[False, True], kind="stable")
    return ranked[by].tolist() + [g for g in SPECIAL if g in mean.index]


def credit_table(long: pd.DataFrame, *, by: str = "campaign_id",
                 value: str = "credited_bookings", top: int | None = None) -> pd.DataFrame:
    """One row per group, one column per model: ``value`` (credited bookings, share, roi).

    Groups by their mean credited bookings over the models, most first;
    ``(unknown)`` and ``(no touchpoint)`` last, or left out when ``top``
    keeps only the first ``top`` groups credited under some model.

    >>> long = pd.DataFrame({"channel": ["ads", "web", "ads", "web"],
    ...                      "model": ["first_touch", "first_touch", "linear", "linear"],
    ...                      "credited_bookings": [10.0, 30.0, 20.0, 20.0]})
    >>> credit_table(long, by="channel")
             first_touch  linear
    channel
    web             30.0    20.0
    ads             10.0    20.0
    """
    order = _order(long, by)
    if top is not None:
        credited = set(long.loc[long["credited_bookings"] > 0, by])
        order = [g for g in order if g not in SPECIAL and g in credited][:top]
    table = long.pivot(index=by, columns="model", values=value)
    table = table[[m for m in MODELS if m in table.columns]].reindex(order)
    table.columns.name = None
    table.attrs["units"] = {m: _UNITS[value] for m in table.columns}
    return table


def ranks(long: pd.DataFrame, *, by: str = "campaign_id") -> pd.DataFrame:
    """Each group's rank by credited bookings under each model (1 = most; ties by name).

    Only groups credited with something under a model are ranked under it
    (NaN otherwise), and groups credited under no model are left out;
    ``(unknown)`` and ``(no touchpoint)`` are shown elsewhere, never ranked.
    Rows: by their rank under the first model, then by name.

    >>> long = pd.DataFrame({"channel": ["ads", "web", "ads", "web", "(unknown)"],
    ...                      "model": ["first_touch", "first_touch", "linear", "linear",
    ...                                "linear"],
    ...                      "credited_bookings": [10.0, 30.0, 20.0, 0.0, 50.0]})
    >>> ranks(long, by="channel")
             first_touch  linear
    channel
    web              1.0     NaN
    ads              2.0     1.0
    """
    ranked = long[~long[by].isin(SPECIAL)]
    credited = ranked[ranked["credited_bookings"] > 0]
    credited = credited.sort_values(["model", "credited_bookings", by],
                                    ascending=[True, False, True], kind="stable")
    credited = credited.assign(rank=(credited.groupby("model").cumcount() + 1).astype(float))
    table = credited.pivot(index=by, columns="model", values="rank")
    order = [m for m in MODELS if m in table.columns]
    table = table[order].sort_values(order[:1], kind="stable") if order else table
    table.columns.name = None
    table.attrs["units"] = {m: "count" for m in table.columns}
    return table


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`credit_table` or :func:`ranks` table for reading: the models by their plain
    names, the group a column, ``attrs["units"]`` kept (for ``nb.readable``).

    >>> table = pd.DataFrame({"u_shaped": [0.5]}, index=pd.Index(["ads"], name="channel"))
    >>> table.attrs["units"] = {"u_shaped": "rate"}
    >>> out = shown(table)
    >>> out.columns.tolist(), out.attrs["units"]
    (['channel', 'U-shaped'], {'U-shaped': 'rate'})
    """
    units = {model_name(k): v for k, v in table.attrs.get("units", {}).items()}
    out = table.rename(columns={m: model_name(m) for m in MODEL_NAMES})
    out = out.reset_index() if out.index.name is not None else out
    out.attrs["units"] = units
    return out


def share_frame(long: pd.DataFrame, *, by: str = "campaign_id") -> pd.DataFrame:
    """The credit shares for :func:`b2bkit.plots.share_bars`: one row per model (by its plain
    name), one column per group in :func:`credit_table`'s order.

    >>> long = pd.DataFrame({"channel": ["ads", "web"], "model": ["u_shaped"] * 2,
    ...                      "credited_bookings": [1.0, 3.0], "share": [0.25, 0.75]})
    >>> share_frame(long, by="channel")
              web   ads
    U-shaped  0.75  0.25
    """
    table = credit_table(long, by=by, value="share").T
    table.index = [model_name(m) for m in table.index]
    table.columns.name = None
    return table


def chart_title(ranks_table: pd.DataFrame, period: Period | str, *, by: str = "campaign_id"
                ) -> str:
    """The share chart's title: its finding (the same top group under every model, or not).

    >>> table = pd.DataFrame({"linear": [1.0]}, index=pd.Index(["web"], name="channel"))
    >>> chart_title(table, "2025-Q4", by="channel")
    'web gets the most credit under every model, 2025-Q4'
    """
    credited = ranks_table.loc[:, ranks_table.notna().any()]
    tops = credited.idxmin() if not credited.empty else pd.Series(dtype=object)
    when = period_text(Period.parse(period))
    if tops.nunique() == 1:
        return _("{top} gets the most credit under every model, {period}").format(
            top=tops.iloc[0], period=when)
    return _("Which {what} gets the most credit depends on the model, {period}").format(
        what=_what(by), period=when)


# --- sentences -------------------------------------------------------------------------------


def model_sentence(ranks_table: pd.DataFrame, *, by: str = "campaign_id") -> str:
    """Whether the top group depends on the model, named with the models that favour it.

    >>> table = pd.DataFrame({"linear": [1.0, 2.0], "markov": [1.0, 2.0]},
    ...                      index=pd.Index(["web", "ads"], name="channel"))
    >>> model_sentence(table, by="channel")
    'web ranks first under all 2 models: the top channel does not depend on the model.'
    """
    credited = ranks_table.loc[:, ranks_table.notna().any()]
    if credited.empty:
        return _("No {what} is credited with a won deal under any model.").format(
            what=_what(by))
    tops = credited.idxmin()
    if tops.nunique() == 1:
        return ngettext("{top} ranks first under all {n} models: the top {what} does not "
                        "depend on the model.",
                        "{top} ranks first under all {n} models: the top {what} does not "
                        "depend on the model.", len(tops)).format(
            top=tops.iloc[0], n=len(tops), what=_what(by))
    groups = tops.groupby(tops, sort=False)  # in the models' order
    named = "; ".join(_("{top} under {models}").format(top=top, models=_names(list(models.index)))
                      for top, models in groups)
    return _("The top {what} changes with the model: {named}.").format(what=_what(by),
                                                                        named=named)


def rank_sentence(ranks_table: pd.DataFrame, *, by: str = "campaign_id") -> str:
    """Which groups change rank with the model, from their best to their worst rank.

    >>> table = pd.DataFrame({"first_touch": [1.0, 2.0, 3.0], "linear": [1.0, 3.0, 2.0],
    ...                       "markov": [1.0, np.nan, 2.0]},
    ...                      index=pd.Index(["web", "ads", "tv"], name="channel"))
    >>> rank_sentence(table, by="channel")
    '2 of 3 channels change rank with the model: ads (2nd to 3rd, no credit under 1 model), tv (2nd to 3rd); web keeps its rank under every model.'
    """  # noqa: E501
    table = ranks_table[ranks_table.notna().any(axis=1)]
    if table.empty:
        return _("No {what} is credited with a won deal under any model.").format(
            what=_what(by))
    best, worst = table.min(axis=1), table.max(axis=1)
    unranked = table.isna().sum(axis=1)
    moves = (best != worst) | (unranked > 0)
    if not moves.any():
        return _("Every {what} keeps its rank under every model.").format(what=_what(by))
    moving = pd.DataFrame({"best": best, "worst": worst, "unranked": unranked})[moves]
    moving = moving.assign(_range=moving["worst"] - moving["best"])
    moving = moving.sort_values(["best", "_range"], ascending=[True, False], kind="stable")
    parts = []
    for name, row in moving.iterrows():  # the few groups that move, not data rows
        n = int(row.unranked)
        ranks_text = (_("{best} to {worst}").format(best=_ordinal(row.best),
                                                     worst=_ordinal(row.worst))
                      if row.best != row.worst else _ordinal(row.best))
        if n:
            ranks_text = ngettext("{ranks}, no credit under {n} model",
                                  "{ranks}, no credit under {n} models", n).format(
                ranks=ranks_text, n=n)
        parts.append(f"{name} ({ranks_text})")
    sentence = ngettext("{moving} of {total} {what} change rank with the model: {parts}",
                        "{moving} of {total} {what} change rank with the model: {parts}",
                        len(table)).format(moving=len(moving), total=len(table),
                                           what=_what(by, True), parts=", ".join(parts))
    kept = [str(g) for g in table.index[~moves]]
    if kept and len(kept) <= 3:
        names = kept[0]
        for name in kept[1:]:  # "a and b and c", as the sentence always said
            names = _("{first} and {last}").format(first=names, last=name)
        sentence += ngettext("; {names} keeps its rank under every model",
                             "; {names} keep their ranks under every model",
                             len(kept)).format(names=names)
    elif kept:
        sentence += ngettext("; the other {n} keep their ranks",
                             "; the other {n} keep their ranks", len(kept)).format(n=len(kept))
    return sentence + "."


def spread_sentence(long: pd.DataFrame, *, by: str = "campaign_id", currency: str = "") -> str:
    r"""How much of the bookings changes hands between the two most different models, and
    the group whose credit moves most.

    Between models :math:`a` and :math:`b` the bookings that go to another group are
    :math:`\frac{1}{2} \sum_g |\text{share}_{g,a} - \text{share}_{g,b}|` of the total.

    >>> long = pd.DataFrame({"channel": ["ads", "web"] * 3,
    ...                      "model": ["first_touch"] * 2 + ["last_touch"] * 2 + ["linear"] * 2,
    ...                      "credited_bookings": [100.0, 300.0, 300.0, 100.0, 200.0, 200.0]})
    >>> spread_sentence(long, by="channel", currency="EUR")
    "Between the two models that differ most, first touch and last touch, 50.0% of the period's bookings (200.00 EUR) go to another channel; ads moves the most: from 100.00 EUR under first touch to 300.00 EUR under last touch."
    """  # noqa: E501
    booked = long.pivot(index=by, columns="model", values="credited_bookings").fillna(0.0)
    booked = booked[[m for m in MODELS if m in booked.columns]]
    total = booked.sum().max()
    if not total > 0:
        return _("No won deal of the period to credit, so the models cannot differ.")
    shares = (booked / booked.sum().where(booked.sum() > 0)).fillna(0.0).to_numpy()
    apart = 0.5 * np.abs(shares[:, :, None] - shares[:, None, :]).sum(axis=0)
    a, b = np.unravel_index(np.argmax(apart), apart.shape)
    a, b = sorted((a, b))
    models = booked.columns
    ranked = booked[~booked.index.isin(SPECIAL)]
    head = _("Between the two models that differ most, {models}, {share} of the period's "
             "bookings ({amount}) go to another {what}").format(
        models=_names([models[a], models[b]]), share=format_value(apart[a, b], "rate"),
        amount=format_value(apart[a, b] * total, "currency", currency), what=_what(by))
    if apart[a, b] == 0:
        return _("Every model gives each {what} the same credit.").format(what=_what(by))
    if ranked.empty:
        return head + "."
    gap = ranked.max(axis=1) - ranked.min(axis=1)
    mover = gap.idxmax()
    low, high = ranked.loc[mover].idxmin(), ranked.loc[mover].idxmax()
    return head + _("; {mover} moves the most: from {low} under {low_model} to {high} under "
                    "{high_model}.").format(
        mover=mover, low=format_value(ranked.loc[mover, low], "currency", currency),
        low_model=model_name(low), high_model=model_name(high),
        high=format_value(ranked.loc[mover, high], "currency", currency))


def markov_sentence(long: pd.DataFrame) -> str:
    """The Markov model's number of paths, and that with few paths it is unstable.

    Empty when the Markov model is not among the models compared.

    >>> long = pd.DataFrame({"model": ["markov"]})
    >>> long.attrs.update(paths=40, won_paths=3)
    >>> markov_sentence(long)
    'The Markov model learns from 40 paths (every lead of the period, won or not), 3 of them ending in a won deal; with few paths, and fewer won ones, it is unstable: its credit can move a lot from one period to the next, so read it beside the rule-based models.'
    """  # noqa: E501
    if "paths" not in long.attrs:
        return ""
    paths, won = long.attrs["paths"], long.attrs["won_paths"]
    if not won:
        return ngettext("The Markov model has {paths} paths but none ending in a won deal, so "
                        "it has nothing to learn from: it shares each deal equally between the "
                        "groups on its path.",
                        "The Markov model has {paths} paths but none ending in a won deal, so "
                        "it has nothing to learn from: it shares each deal equally between the "
                        "groups on its path.", int(paths)).format(
            paths=format_value(paths, "count"))
    return ngettext("The Markov model learns from {paths} paths (every lead of the period, won "
                    "or not), {won} of them ending in a won deal; with few paths, and fewer won "
                    "ones, it is unstable: its credit can move a lot from one period to the "
                    "next, so read it beside the rule-based models.",
                    "The Markov model learns from {paths} paths (every lead of the period, won "
                    "or not), {won} of them ending in a won deal; with few paths, and fewer won "
                    "ones, it is unstable: its credit can move a lot from one period to the "
                    "next, so read it beside the rule-based models.", int(paths)).format(
        paths=format_value(paths, "count"), won=format_value(won, "count"))


def credit_sentences(long: pd.DataFrame, *, by: str = "campaign_id", currency: str = "",
                     markov: bool = True) -> list[str]:
    """How much the answer depends on the model: the top group, the ranks that change, the
    bookings that change hands, and (``markov``, when it is compared) the Markov model's
    paths."""
    table = ranks(long, by=by)
    out = [model_sentence(table, by=by), rank_sentence(table, by=by),
           spread_sentence(long, by=by, currency=currency),
           markov_sentence(long) if markov else ""]
    return [s for s in out if s]


def missing_reason(view: View, period: Period | str, long: pd.DataFrame | None = None,
                   *, by: str = "campaign_id") -> str:
    """Why the models cannot be compared (empty when they can).

    Without an engagement table a deal has one touchpoint, its lead's creation;
    with ``long`` (:func:`side_by_side`), no deal won in the period with a
    touchpoint leaves nothing to split.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> missing_reason(prepare(sample_dataset()), "2025-Q2")
    ''
    """
    if "engagement" not in view.tables:
        return _("the dataset has no engagement table: a deal's only touchpoint is its lead's "
                 "creation, so every model gives it to the campaign its lead came in through.")
    if long is not None:
        touched = long[(long[by] != NO_TOUCHPOINT) & (long["credited_bookings"] > 0)]
        if touched.empty:
            return _("no deal won in {period} has a touchpoint to credit.").format(
                period=period_text(Period.parse(period)))
    return ""


# --- the worked example ----------------------------------------------------------------------

#: The worked example's four touchpoints (one campaign each) and its deal.
_EXAMPLE = {
    "campaigns": {"campaign_id": ["K1", "K2", "K3", "K4"],
                  "name": [N_("Buyer's guide"), N_("Product webinar"), N_("Follow-up email"),
                           N_("Trade show")],
                  "channel": ["content", "webinar", "email", "event"]},
    "leads": {"lead_id": ["L1"], "created_at": ["2025-10-08"], "channel": ["webinar"],
              "campaign_id": ["K2"], "account_id": ["A1"]},
    "accounts": {"account_id": ["A1"]},
    "opportunities": {"opportunity_id": ["O1"], "lead_id": ["L1"], "account_id": ["A1"],
                      "created_at": ["2025-10-16"], "closed_at": ["2025-10-29"],
                      "status": ["won"], "amount": [10000.0]},
    "engagement": {"date": ["2025-10-01", "2025-10-15", "2025-10-22"],
                   "event_type": ["download", "email_click", "event_attended"],
                   "lead_id": ["L1"] * 3, "campaign_id": ["K1", "K3", "K4"]},
}


#: The kinds of the worked example's touchpoints, as a reader names them.
_TOUCHES = {"download": NC_("touch", "download"), "lead created": NC_("touch", "lead created"),
            "email_click": NC_("touch", "email click"),
            "event_attended": NC_("touch", "event attended")}


def _touch(kind: str) -> str:
    """A touchpoint's kind in the worked example's table (``email click``)."""
    return (pgettext("touch", _TOUCHES[kind]) if kind in _TOUCHES
            else kind.replace("_", " "))


def worked_example_dataset() -> Dataset:
    """The worked example as a dataset: one deal of 10,000 won on 2025-10-29.

    Its lead downloaded a guide on 2025-10-01 (content, the first touch), was
    created through a webinar on 2025-10-08, clicked an email on 2025-10-15
    (the last touch before the opportunity, created 2025-10-16) and attended a
    trade show (an event) on 2025-10-22: 28, 21, 14 and 7 days before the close.
    """
    from b2bkit.load.settings import Settings

    frames = {name: pd.DataFrame(columns) for name, columns in _EXAMPLE.items()}
    return from_frames(frames, settings=Settings.from_dict({"as_of": "2025-12-31"},
                                                           source="the worked example"))


def worked_example(models: tuple[str, ...] = MODELS) -> pd.DataFrame:
    r"""The credit every model gives each touchpoint of the worked example's deal.

    Computed by :func:`b2bkit.metrics.attribution` on
    :func:`worked_example_dataset` (each touchpoint has its own campaign, so a
    campaign's credit is its touchpoint's). Time decay weighs the touchpoints
    :math:`2^{-28/7}, 2^{-21/7}, 2^{-14/7}, 2^{-7/7}` = 1/16, 1/8, 1/4, 1/2:
    shares 1/15, 2/15, 4/15, 8/15 (a half-life of 7 days,
    :data:`~b2bkit.metrics.attribution.HALF_LIFE_DAYS`).

    Returns
    -------
    pandas.DataFrame
        ``[touchpoint, date, channel, <one column per model>]`` in time order,
        ``attrs["units"]`` for the models' columns.

    Examples
    --------
    >>> worked_example(("w_shaped", "time_decay")).iloc[:, 1:]
             date     channel  w_shaped  time_decay
    0  2025-10-01     content    3000.0      666.67
    1  2025-10-08     webinar    3000.0     1333.33
    2  2025-10-15       email    3000.0     2666.67
    3  2025-10-22       event    1000.0     5333.33
    """
    data = worked_example_dataset()
    touches = touchpoints(data, "2025-Q4")
    campaigns = pd.DataFrame(_EXAMPLE["campaigns"]).set_index("campaign_id")
    table = pd.DataFrame({
        "touchpoint": [f"{i + 1}. {_(campaigns.loc[c, 'name'])} ({_touch(w)})"
                       for i, (c, w) in enumerate(zip(touches["campaign_id"], touches["touch"],
                                                      strict=True))],
        "date": [date_text(day) for day in touches["touched_at"]],
        "channel": campaigns.loc[touches["campaign_id"], "channel"].to_numpy()})
    for model in models:
        credit = attribution(data, "2025-Q4", model=model).set_index("campaign_id")
        table[model] = credit["credited_bookings"].reindex(touches["campaign_id"]).to_numpy()
    table.attrs["units"] = {m: "currency" for m in models}
    return table

