r"""Multi-touch attribution: which campaigns earned the won deals (CONTRACT section 3).

A won deal's *touchpoints* are its lead's creation (the lead's campaign_id
and channel), then every engagement event that carries a campaign_id, of
the deal's lead (``level="lead"``) or of any lead or of the account of the
deal's account (``level="account"``), dated from ``lookback_days`` before the
opportunity's created_at up to its closed_at (calendar days, both ends
inclusive), in time order. A model gives each touchpoint a share of the deal;
the deal's amount is split by the shares into cents that add up to the
amount exactly (largest remainders), and the credits are summed per group of
``by``: the touchpoint's campaign_id, channel or practice (an event's from
its campaign, the lead's creation from the lead).

Rules of this implementation where the contract leaves a choice:

- the lead's creation is a touchpoint whatever its date (it is the deal's own
  origin; the lookback window cuts events only); on the same calendar day it
  comes before the events;
- a role's share (first touch, lead creation, last touch on or before the
  opportunity's creation) goes to the touchpoint that holds it, shares of two
  roles on one touchpoint add; whatever the roles held leave (the model's
  share of "the others", and the share of a role no touchpoint holds) is
  spread equally over the touchpoints that hold no role, or over all the
  touchpoints when every one holds a role;
- ``time_decay`` weighs a touchpoint by :math:`2^{-d/7}` with :math:`d` the
  days from it to closed_at (fractional, at least 0);
- ``lead_source`` is the one-touch credit of :func:`~b2bkit.metrics.roi`: the
  whole deal to its lead's campaign / channel, but for the deals *won in the
  period* like every model here (``roi`` follows the period's leads instead);
- ``markov`` (data-driven): a first-order Markov chain over the ordered
  touchpoint groups of every lead created in the period, converting or not
  (:func:`removal_effects`); each deal is split over the distinct groups on its
  own path in proportion to their removal effects (equally over them when
  none has one), a group's share equally over its touchpoints.

A won deal without any touchpoint is credited to ``(no touchpoint)``.
These are not catalogue metrics: they return a frame per model, not a value.

Examples use :func:`b2bkit.sample_dataset`: one deal won in 2025-Q1
(1,200.50 EUR), whose lead came from the webinar campaign.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.core.errors import UsageError, did_you_mean
from b2bkit.core.i18n import _, period_text
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.load.links import as_category, link
from b2bkit.metrics._base import Split, prepare
from b2bkit.metrics.marketing import spend_in
from b2bkit.view.view import UNKNOWN, View

__all__ = ["ATTRIBUTION_BY", "HALF_LIFE_DAYS", "LEVELS", "MODELS", "NO_TOUCHPOINT", "RULES",
           "attributed_roi", "attribution", "deal_credits", "removal_effects",
           "removal_effects_of_paths", "touchpoints"]

#: Every model, the one-touch credit of today's ROI first and the data-driven one last.
MODELS = ("lead_source", "first_touch", "last_touch", "linear", "u_shaped", "w_shaped",
          "time_decay", "markov")

#: Each model's rule in one sentence (the report's teaching section shows them).
RULES = {
    "lead_source": "The whole deal goes to the campaign its lead came in through "
                   "(what today's ROI credits).",
    "first_touch": "The whole deal goes to the earliest touchpoint in the window.",
    "last_touch": "The whole deal goes to the last touchpoint on or before the day the "
                  "opportunity was created.",
    "linear": "Every touchpoint gets an equal share.",
    "u_shaped": "40% to the first touch, 40% to the lead's creation, 20% shared by the others.",
    "w_shaped": "30% each to the first touch, the lead's creation and the last touch before "
                "the opportunity, 10% shared by the others.",
    "time_decay": "Each touchpoint weighs half as much for every 7 days between it and the "
                  "close.",
    "markov": "Each group gets what the deals would lose without it: its removal effect in a "
              "Markov chain of every lead's path, won or not.",
}

#: Role shares per rule-based model: (first touch, lead creation, last touch before the
#: opportunity); what they leave is spread over the touchpoints that hold no role.
_ROLES = {
    "lead_source": (0.0, 1.0, 0.0),
    "first_touch": (1.0, 0.0, 0.0),
    "last_touch": (0.0, 0.0, 1.0),
    "linear": (0.0, 0.0, 0.0),
    "u_shaped": (0.4, 0.4, 0.0),
    "w_shaped": (0.3, 0.3, 0.3),
}

#: The dimensions credit can be grouped by (a touchpoint has no segment or rep).
ATTRIBUTION_BY = ("campaign_id", "channel", "practice")

#: Whose touchpoints count: the deal's lead's, or every lead's and the account's own.
LEVELS = ("lead", "account")

#: The group of won deals without a touchpoint.
NO_TOUCHPOINT = "(no touchpoint)"

#: time_decay's half-life in days.
HALF_LIFE_DAYS = 7.0

_DAY = 86_400 * 10**9  # nanoseconds


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"{name} must be one of {', '.join(allowed)}; not {value!r}"
                         + did_you_mean(str(value), allowed))
    return str(value)


# --- the touchpoints ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Touches:
    """Touchpoints of some won deals (or leads), sorted by owner then time order.

    ``owner`` numbers the deals (or leads) 0..n-1; ``label`` codes ``labels``
    (the group of ``by``); ``creation`` marks the lead's creation.
    """

    owner: np.ndarray
    day: np.ndarray  # calendar day number
    at: np.ndarray  # nanoseconds
    creation: np.ndarray
    label: np.ndarray
    event: np.ndarray  # engagement row, -1 for the lead's creation
    labels: list[str]
    n: int  # owners


def _ns(values: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").astype(np.int64)


def _labelled(view: View, by: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The groups, and each lead's and each engagement row's code among them (-1: blank).

    A lead takes ``by`` from its own dimensions (channel, its campaign's id and
    practice); an event from its campaign (its own campaign_id when there is
    no campaigns table).
    """
    leads = view.tables.get("leads")
    lead_values = (view.dims["leads"][by] if leads is not None
                   else pd.Series(pd.Categorical([])))
    events = view.tables.get("engagement")
    n_events = 0 if events is None else len(events)
    campaigns = view.tables.get("campaigns")
    if campaigns is not None and ("engagement", "campaign_id") in view.links:
        column = campaigns[by] if by in campaigns else campaigns["channel"]
        if by == "practice" and "practice" in campaigns:
            column = campaigns["practice"].astype("string").fillna(
                campaigns["channel"].astype("string"))
        parent = as_category(column.astype("string"))
        at = view.links[("engagement", "campaign_id")]
    elif events is not None and by == "campaign_id" and "campaign_id" in events:
        parent, at = as_category(events["campaign_id"].astype("string")), np.arange(n_events)
    else:
        parent, at = pd.Series(pd.Categorical([])), np.full(n_events, -1)
    lead_values = as_category(lead_values.astype("string"))
    labels = pd.Index(lead_values.cat.categories).union(pd.Index(parent.cat.categories))
    lead_codes = _codes(lead_values, labels)
    parent_codes = np.append(_codes(parent, labels), -1)
    event_codes = parent_codes[at] if n_events else np.array([], dtype=np.int64)
    return [str(x) for x in labels], lead_codes, event_codes


def _codes(values: pd.Series, labels: pd.Index) -> np.ndarray:
    mapping = np.append(labels.get_indexer(values.cat.categories), -1)
    return mapping[values.cat.codes.to_numpy()].astype(np.int64)


def _pairs(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (row of ``keys``, row of ``wanted``) with the same key (>= 0), by sorting.

    >>> [a.tolist() for a in _pairs(np.array([5, 7, 5, -1]), np.array([5, -1, 7]))]
    [[0, 2, 1], [0, 0, 2]]
    """
    rows = np.flatnonzero(keys >= 0)
    order = rows[np.argsort(keys[rows], kind="stable")]
    ordered = keys[order]
    lo = np.searchsorted(ordered, wanted, "left")
    hi = np.searchsorted(ordered, wanted, "right")
    counts = np.where(wanted >= 0, hi - lo, 0)
    owner = np.repeat(np.arange(len(wanted)), counts)
    starts = np.cumsum(counts) - counts
    offset = np.arange(counts.sum()) - np.repeat(starts, counts)
    return order[np.repeat(lo, counts) + offset], owner


def _lead_accounts(view: View) -> np.ndarray:
    """Each lead's account: leads.account_id, else its opportunity's account (-1: none)."""
    leads, opps = view.tables["leads"], view.tables.get("opportunities")
    own = link(view.links, "leads", "account_id", len(leads))
    if opps is None:
        return own
    to_opp = link(view.links, "leads", "opportunity_id", len(leads))
    opp_account = np.append(link(view.links, "opportunities", "account_id", len(opps)), -1)
    return np.where(own >= 0, own, opp_account[to_opp])


def _touches(view: View, by: str, *, lead: np.ndarray, account: np.ndarray | None,
             start_day: np.ndarray, end_day: np.ndarray, events: bool = True) -> _Touches:
    """The touchpoints of owners (deals or leads) given their lead, account and window.

    ``lead`` / ``account``: row positions per owner (-1: none; ``account`` None at
    lead level); an event counts when its day lies in ``start_day..end_day``.
    """
    labels, lead_codes, event_codes = _labelled(view, by)
    n = len(lead)
    has_lead = lead >= 0
    owner = [np.flatnonzero(has_lead)]
    leads = view.tables.get("leads")
    created = _ns(leads["created_at"]) if leads is not None else np.array([], dtype=np.int64)
    at = [created[lead[has_lead]]]
    label = [lead_codes[lead[has_lead]] if len(lead_codes) else np.array([], dtype=np.int64)]
    event = [np.full(len(owner[0]), -1)]
    frame = view.tables.get("engagement")
    if events and frame is not None and "campaign_id" in frame and len(frame):
        carry = np.flatnonzero(frame["campaign_id"].notna().to_numpy(dtype=bool))
        ev_lead = link(view.links, "engagement", "lead_id", len(frame))[carry]
        if account is None:
            rows, owners = _pairs(ev_lead, lead)
        else:
            rows, owners = _account_pairs(view, carry, ev_lead, lead, account)
        rows = carry[rows]
        day = _ns(frame["date"])[rows] // _DAY
        inside = (day >= start_day[owners]) & (day <= end_day[owners])
        rows, owners = rows[inside], owners[inside]
        owner.append(owners)
        at.append(_ns(frame["date"])[rows])
        label.append(event_codes[rows])
        event.append(rows)
    owner_a, at_a, label_a, event_a = (np.concatenate(x).astype(np.int64)
                                       for x in (owner, at, label, event))
    day_a = np.floor_divide(at_a, _DAY)
    order = np.lexsort((event_a, day_a, owner_a))  # creation (-1) first on its day
    return _Touches(owner_a[order], day_a[order], at_a[order], event_a[order] < 0,
                    label_a[order], event_a[order], labels, n)


def _account_pairs(view: View, carry: np.ndarray, ev_lead: np.ndarray, lead: np.ndarray,
                   account: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(event, owner) pairs at account level: events of the owner's account (their own
    account_id, or their lead's account), and of its lead when it has no account."""
    frame = view.tables["engagement"]
    own = link(view.links, "engagement", "account_id", len(frame))[carry]
    lead_account = np.append(_lead_accounts(view), -1) if "leads" in view.tables else \
        np.array([-1])
    via_lead = lead_account[ev_lead]
    a_rows, a_owner = _pairs(own, account)
    b_rows, b_owner = _pairs(np.where(via_lead != own, via_lead, -1), account)
    c_rows, c_owner = _pairs(ev_lead, np.where(account < 0, lead, -1))
    rows = np.concatenate([a_rows, b_rows, c_rows])
    owners = np.concatenate([a_owner, b_owner, c_owner])
    return rows, owners


@dataclass(frozen=True)
class _Deals:
    """The won deals of a period, by opportunity row."""

    row: np.ndarray
    cents: np.ndarray
    lead: np.ndarray
    account: np.ndarray
    created_day: np.ndarray
    closed_at: np.ndarray


def _won_deals(view: View, period: Period) -> _Deals:
    opps = view.tables.get("opportunities")
    if opps is None:
        empty = np.array([], dtype=np.int64)
        return _Deals(empty, empty, empty, empty, empty, empty)
    won = (opps["status"] == "won").to_numpy(dtype=bool) & period.mask(
        opps["closed_at"]).to_numpy(dtype=bool)
    row = np.flatnonzero(won)
    amount = opps["amount"].astype(float).fillna(0.0).to_numpy()[row]
    lead = link(view.links, "opportunities", "lead_id", len(opps))[row]
    if "leads" not in view.tables:
        lead = np.full(len(row), -1)
    account = link(view.links, "opportunities", "account_id", len(opps))[row]
    if "leads" in view.tables:  # no account of its own: its lead's
        lead_account = np.append(_lead_accounts(view), -1)
        account = np.where(account >= 0, account, lead_account[lead])
    return _Deals(row, np.rint(amount * 100).astype(np.int64), lead, account,
                  _ns(opps["created_at"])[row] // _DAY, _ns(opps["closed_at"])[row])


def _deal_touches(view: View, deals: _Deals, by: str, level: str, lookback_days: int,
                  events: bool = True) -> _Touches:
    return _touches(view, by, lead=deals.lead,
                    account=deals.account if level == "account" else None,
                    start_day=deals.created_day - lookback_days,
                    end_day=np.floor_divide(deals.closed_at, _DAY), events=events)


# --- the shares -----------------------------------------------------------------------------


def _first(owner: np.ndarray) -> np.ndarray:
    return np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.array([], dtype=bool)


def _role_shares(t: _Touches, roles: tuple[float, float, float],
                 opp_day: np.ndarray) -> np.ndarray:
    """Each touchpoint's share under role shares (first, creation, last before the opp)."""
    first = _first(t.owner)
    eligible = np.flatnonzero(t.day <= opp_day[t.owner])
    last = np.zeros(len(t.owner), dtype=bool)
    if len(eligible):
        last[eligible[np.r_[t.owner[eligible][1:] != t.owner[eligible][:-1], True]]] = True
    held = roles[0] * first + roles[1] * t.creation + roles[2] * last
    has_role = held > 0
    rest = 1.0 - np.bincount(t.owner, held, minlength=t.n)
    others = np.bincount(t.owner, ~has_role, minlength=t.n)
    count = np.bincount(t.owner, minlength=t.n)
    spread = np.where(others > 0, rest / np.maximum(others, 1), rest / np.maximum(count, 1))
    return held + np.where(~has_role | (others[t.owner] == 0), spread[t.owner], 0.0)


def _decay_shares(t: _Touches, closed_at: np.ndarray) -> np.ndarray:
    days = np.maximum((closed_at[t.owner] - t.at) / _DAY, 0.0)
    latest = np.full(t.n, np.inf)
    np.minimum.at(latest, t.owner, days)
    weight = np.exp2(-(days - latest[t.owner]) / HALF_LIFE_DAYS)  # 1 for the latest touch
    return weight / np.bincount(t.owner, weight, minlength=t.n)[t.owner]


def _group_shares(t: _Touches, effect: np.ndarray) -> np.ndarray:
    """Shares by the ``effect`` of each touchpoint's group (distinct groups per owner),
    a group's share equally over its touchpoints; equal per group when none has one."""
    k = len(t.labels) + 1
    key = t.owner * k + (t.label + 1)
    _, inverse, repeats = np.unique(key, return_inverse=True, return_counts=True)
    per_touch = repeats[inverse]
    value = np.append(effect, 0.0)[np.where(t.label >= 0, t.label, len(effect))]
    distinct = 1.0 / per_touch  # each group counted once per owner
    total = np.bincount(t.owner, value * distinct, minlength=t.n)
    groups = np.bincount(t.owner, distinct, minlength=t.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total[t.owner] > 0, value / total[t.owner],
                          1.0 / groups[t.owner]) / per_touch
    return shares


def _cents(t: _Touches, share: np.ndarray, cents: np.ndarray) -> np.ndarray:
    """Each touchpoint's credit in cents: the share of its deal's cents, floored, the
    cents left given one each to the largest remainders (ties: the earlier touchpoint).

    >>> t = _Touches(np.array([0, 0, 0]), *[np.zeros(3, dtype=np.int64)] * 2,
    ...              np.zeros(3, dtype=bool), *[np.zeros(3, dtype=np.int64)] * 2, ["a"], 1)
    >>> _cents(t, np.full(3, 1 / 3), np.array([100])).tolist()
    [34, 33, 33]
    """
    raw = share * cents[t.owner]
    floor = np.floor(raw + 1e-9)
    left = cents - np.rint(np.bincount(t.owner, floor, minlength=t.n)).astype(np.int64)
    order = np.lexsort((-(raw - floor), t.owner))
    starts = np.cumsum(np.bincount(t.owner, minlength=t.n)) - np.bincount(t.owner,
                                                                          minlength=t.n)
    rank = np.arange(len(order)) - starts[t.owner[order]]
    extra = np.zeros(len(order), dtype=np.int64)
    extra[order] = rank < left[t.owner[order]]
    return floor.astype(np.int64) + extra


# --- the Markov chain -----------------------------------------------------------------------


def _chain_effects(owner: np.ndarray, state: np.ndarray, converted: np.ndarray,
                   k: int, weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Removal effects of ``k`` states from paths (``owner`` sorted, states 0..k-1).

    ``converted[p]`` (and ``weight[p]``, default 1) per path: the path ends in
    "won" (else "null"), counted ``weight`` times. Transitions start > s1 >
    ... > sn > won/null are counted, the chain's probabilities estimated by
    their shares, the probability of reaching "won" from start solved exactly
    (:math:`h = (I - Q)^{-1} r`), and again with each state removed (its
    visits go to "null"): effect = 1 - P(won without it) / P(won).
    """
    n = len(converted)
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    start, won, null = k, k + 1, k + 2
    if len(owner) == 0 or n == 0:
        return np.zeros(k), 0.0
    first = _first(owner)
    last = np.r_[owner[1:] != owner[:-1], True]
    frm = np.concatenate([np.full(first.sum(), start), state[:-1][~last[:-1]], state[last]])
    to = np.concatenate([state[first], state[1:][~first[1:]],
                         np.where(converted[owner[last]], won, null)])
    w = np.concatenate([weight[owner[first]], weight[owner[:-1][~last[:-1]]],
                        weight[owner[last]]])
    counts = np.bincount(frm * (k + 3) + to, w, minlength=(k + 1) * (k + 3)).reshape(
        k + 1, k + 3)
    rows = counts.sum(axis=1, keepdims=True)
    p = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    q, r, p0 = p[:k, :k], p[:k, won], p[start, :k]

    def reach(keep: np.ndarray) -> float:
        if not keep.any():
            return 0.0
        sub = np.eye(int(keep.sum())) - q[np.ix_(keep, keep)]
        return float(p0[keep] @ np.linalg.solve(sub, r[keep]))

    every = np.ones(k, dtype=bool)
    base = reach(every)
    if base <= 0:
        return np.zeros(k), base
    effects = np.array([1.0 - reach(every & (np.arange(k) != s)) / base for s in range(k)])
    return np.clip(effects, 0.0, None), base


def removal_effects_of_paths(paths: pd.Series, conversions: pd.Series,
                             nulls: pd.Series | None = None, *, sep: str = ">"
                             ) -> pd.DataFrame:
    r"""Removal effects of a first-order Markov chain over paths written as text.

    Each path (``"webinar > email > demo"``) was followed ``conversions`` times to
    a conversion and ``nulls`` times to none. With :math:`P(\text{won})` the
    probability of reaching "won" from "start" in the chain estimated from the
    transitions, a state's removal effect is
    :math:`1 - P_{-s}(\text{won}) / P(\text{won})`, where :math:`P_{-s}` sends
    every visit of :math:`s` to "null". The conversions credited to a state
    are the total conversions times its effect over the sum of the effects
    (the ``total_conversions`` of the ChannelAttribution package).

    Returns
    -------
    pandas.DataFrame
        ``[state, removal_effect, total_conversions]``, sorted by state, with
        ``attrs["conversion_probability"]``.

    Examples
    --------
    >>> paths = pd.Series(["a > b", "b", "a"])
    >>> removal_effects_of_paths(paths, pd.Series([1, 1, 0]), pd.Series([0, 0, 1]))
      state  removal_effect  total_conversions
    0     a             0.5           0.666667
    1     b             1.0           1.333333

    By hand: start goes to a 2 times in 3, to b 1 in 3; a to b or null half
    the time each; b always converts. P(won) = 2/3 * 1/2 + 1/3 = 2/3; without
    a, 1/3 (effect 1 - 1/2); without b, 0 (effect 1).
    """
    nulls = pd.Series(0, index=paths.index) if nulls is None else nulls
    steps = paths.astype(str).str.split(sep).explode().str.strip()
    states = pd.Index(sorted(steps.unique()))
    path_no = pd.factorize(steps.index)[0]
    state = states.get_indexer(steps.to_numpy())
    conv = conversions.to_numpy(dtype=float)
    null = nulls.to_numpy(dtype=float)
    # a path with both outcomes is counted twice: once per outcome, with its weight
    owner = np.concatenate([path_no, path_no + len(paths)])
    both = np.concatenate([state, state])
    converted = np.r_[np.ones(len(paths), dtype=bool), np.zeros(len(paths), dtype=bool)]
    effects, base = _chain_effects(owner, both, converted, len(states), np.r_[conv, null])
    total = conv.sum()
    credited = total * effects / effects.sum() if effects.sum() > 0 else np.zeros(len(states))
    frame = pd.DataFrame({"state": states.astype(str), "removal_effect": effects,
                          "total_conversions": credited})
    frame.attrs["conversion_probability"] = base
    return frame


def _period_leads(view: View, period: Period, by: str, lookback_days: int
                  ) -> tuple[_Touches, np.ndarray]:
    """The touchpoints of every lead created in the period (lead level), and whether each
    lead's opportunity was won (as of as_of).

    A lead's window runs from ``lookback_days`` before its opportunity's
    created_at (without one: its own created_at) to the opportunity's closed_at
    when won, else to as_of.
    """
    leads = view.tables["leads"]
    rows = np.flatnonzero(period.mask(leads["created_at"]).to_numpy(dtype=bool))
    opps = view.tables.get("opportunities")
    as_of_day = _ns(np.array([view.as_of]))[0] // _DAY
    start = _ns(leads["created_at"])[rows] // _DAY
    end = np.full(len(rows), as_of_day)
    won = np.zeros(len(rows), dtype=bool)
    if opps is not None and ("leads", "opportunity_id") in view.links:
        to_opp = view.links[("leads", "opportunity_id")][rows]
        has = to_opp >= 0
        at = np.maximum(to_opp, 0)
        start = np.where(has, _ns(opps["created_at"])[at] // _DAY, start)
        won = has & (opps["status"].to_numpy() == "won")[at]
        closed = np.floor_divide(_ns(opps["closed_at"])[at], _DAY)
        end = np.where(won, closed, end)
    touches = _touches(view, by, lead=rows, account=None, start_day=start - lookback_days,
                       end_day=end)
    return touches, won


def removal_effects(data: Dataset | View, period: Period | str, *, by: str = "channel",
                    lookback_days: int = 365, as_of: object = None) -> pd.DataFrame:
    r"""The data-driven model's removal effect of each group, from the period's leads.

    Every lead created in the period is a path: its touchpoints' groups in time
    order (its creation, then its events with a campaign, lead level), ending
    in "won" when its opportunity was won as of as_of, else in "null". A
    first-order Markov chain is estimated from the transitions, and each
    group's removal effect is :math:`1 - P_{-g}(\text{won}) / P(\text{won})`
    (:func:`removal_effects_of_paths`). With few paths, and fewer won ones, the
    effects move a lot from one period to the next: the number of paths is
    in ``attrs["paths"]`` (won ones in ``attrs["won_paths"]``).

    Returns
    -------
    pandas.DataFrame
        ``[by, removal_effect, share]`` (share: the effect over the sum of the
        effects), one row per group on any path.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> effects = removal_effects(sample_dataset(), "2025-Q1")
    >>> effects.attrs["paths"], effects.attrs["won_paths"]
    (4, 1)
    """
    view = prepare(data, as_of)
    period = Period.parse(period)
    by = _choice("by", by, ATTRIBUTION_BY)
    if "leads" not in view.tables:
        frame = pd.DataFrame({by: [], "removal_effect": [], "share": []})
        frame.attrs.update(paths=0, won_paths=0)
        return frame
    touches, won = _period_leads(view, period, by, lookback_days)
    k = len(touches.labels) + 1  # the last state: (unknown)
    state = np.where(touches.label >= 0, touches.label, k - 1)
    effects, _ = _chain_effects(touches.owner, state, won, k)
    seen = np.bincount(state, minlength=k) > 0
    names = np.array([*touches.labels, UNKNOWN], dtype=object)
    total = effects.sum()
    frame = pd.DataFrame({by: names[seen].astype(str), "removal_effect": effects[seen],
                          "share": effects[seen] / total if total > 0 else np.nan})
    frame = frame.sort_values(by, kind="stable").reset_index(drop=True)
    frame.attrs.update(paths=int(touches.n), won_paths=int(won.sum()))
    return frame


# --- the public functions -------------------------------------------------------------------


def _shares(view: View, t: _Touches, deals: _Deals, model: str, period: Period, by: str,
            lookback_days: int) -> tuple[np.ndarray, dict]:
    info: dict = {}
    if model == "time_decay":
        return _decay_shares(t, deals.closed_at), info
    if model == "markov":
        effects = removal_effects(view, period, by=by, lookback_days=lookback_days)
        info.update(paths=effects.attrs["paths"], won_paths=effects.attrs["won_paths"])
        effect = effects.set_index(by)["removal_effect"].reindex(t.labels).fillna(0.0)
        unknown = effects.set_index(by)["removal_effect"].get(UNKNOWN, 0.0)
        value = np.append(effect.to_numpy(dtype=float), unknown)
        return _group_shares(_Touches(t.owner, t.day, t.at, t.creation,
                                      np.where(t.label >= 0, t.label, len(t.labels)),
                                      t.event, [*t.labels, UNKNOWN], t.n), value), info
    return _role_shares(t, _ROLES[model], deals.created_day), info


def attribution(data: Dataset | View, period: Period | str, *, model: str = "linear",
                level: str = "lead", by: str = "campaign_id", lookback_days: int = 365,
                as_of: object = None) -> pd.DataFrame:
    r"""Won deals and bookings of the period credited to each group under a model.

    A deal won in the period (closed_at in it) is split over its touchpoints
    by the model's shares :math:`s_i` (summing to 1); group :math:`g` is
    credited

    .. math:: \text{credited\_bookings}_g = \sum_{\text{deals}} \sum_{i \in g} s_i
              \cdot \text{amount}, \qquad
              \text{credited\_won\_deals}_g = \sum_{\text{deals}} \sum_{i \in g} s_i

    with each deal's credits rounded to cents that add up to its amount
    exactly, so the groups' credited bookings add up to the period's
    ``bookings`` and the credited won deals to its ``won_deals``.

    Parameters
    ----------
    data : Dataset or View
    period : Period or str
        The deals won in it are credited, whatever their touchpoints' dates.
    model : str
        One of :data:`MODELS` (their rules: :data:`RULES` and the module's docstring).
    level : "lead" or "account"
        The deal's lead's touchpoints, or also those of every lead of its account
        and the account's own events.
    by : "campaign_id", "channel" or "practice"
        The touchpoint's group.
    lookback_days : int
        How many days before the opportunity's created_at an event still counts.
    as_of : optional
        As for every metric.

    Returns
    -------
    pandas.DataFrame
        ``[by, credited_won_deals, credited_bookings, touched_won_deals]``: one row
        per group of ``by`` in the data (every campaign, and the groups of
        :meth:`View.groups`), plus ``(no touchpoint)`` when a won deal
        had none; ``touched_won_deals`` counts the deals with a touchpoint in
        the group. ``attrs``: the model, level, the deals credited and (markov)
        the number of paths.

    Raises
    ------
    UsageError
        An unknown model, level or ``by``, or a negative ``lookback_days``.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> credit = attribution(sample_dataset(), "2025-Q1", model="linear", by="channel")
    >>> credit[credit["credited_won_deals"] > 0]
       channel  credited_won_deals  credited_bookings  touched_won_deals
    2  webinar                 1.0             1200.5                  1
    """
    view = prepare(data, as_of)
    period = Period.parse(period)
    model = _choice("model", model, MODELS)
    level = _choice("level", level, LEVELS)
    by = _choice("by", by, ATTRIBUTION_BY)
    if not isinstance(lookback_days, (int, np.integer)) or lookback_days < 0:
        raise UsageError(f"lookback_days must be a whole number of days >= 0; "
                         f"not {lookback_days!r}")
    deals = _won_deals(view, period)
    t = _deal_touches(view, deals, by, level, int(lookback_days),
                      events=model != "lead_source")
    share, info = _shares(view, t, deals, model, period, by, int(lookback_days))
    cents = _cents(t, share, deals.cents)
    k = len(t.labels) + 1
    code = np.where(t.label >= 0, t.label, k - 1)
    names = [*t.labels, UNKNOWN]
    booked = np.bincount(code, cents, minlength=k)
    credited = np.bincount(code, share, minlength=k)
    touched = np.bincount(np.unique(t.owner * k + code) % k, minlength=k)
    frame = pd.DataFrame({by: names, "credited_won_deals": credited,
                          "credited_cents": booked.astype(np.int64), "touched_won_deals": touched})
    frame = frame.groupby(by, sort=False).sum().reset_index()  # (unknown) may be a label too
    alone = np.bincount(t.owner, minlength=t.n) == 0
    if alone.any():
        frame.loc[len(frame)] = [NO_TOUCHPOINT, float(alone.sum()),
                                 int(deals.cents[alone].sum()), int(alone.sum())]
    groups = sorted(set(view.groups(by)) | set(t.labels)
                    | set(frame.loc[frame["touched_won_deals"] > 0, by]))
    frame = frame.set_index(by).reindex(groups, fill_value=0).rename_axis(by).reset_index()
    frame.insert(2, "credited_bookings", frame.pop("credited_cents").astype(np.int64) / 100)
    frame = frame.astype({"credited_won_deals": float, "touched_won_deals": np.int64})
    frame.attrs.update(model=model, level=level, deals=len(deals.row),
                       cents=int(deals.cents.sum()), **info)
    return frame


def attributed_roi(data: Dataset | View, period: Period | str, *, model: str = "linear",
                   level: str = "lead", by: str = "campaign_id", lookback_days: int = 365,
                   as_of: object = None) -> pd.DataFrame:
    r"""Attributed ROI per group: credited bookings against the group's spend.

    .. math:: \text{attributed\_roi}_g = \frac{\text{credited\_bookings}_g - S_g}{S_g}

    with :math:`S_g` the spend of group :math:`g` dated in the period (its own
    channel or campaign_id, its campaign's practice). Missing (NaN, with a
    note) without spend; ``(no touchpoint)`` has none.

    Returns
    -------
    pandas.DataFrame
        :func:`attribution`'s columns and ``spend``, ``roi``, ``note``.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> roi = attributed_roi(sample_dataset(), "2025-Q1", model="first_touch", by="channel")
    >>> roi.set_index("channel").loc["webinar", ["credited_bookings", "spend", "roi"]].tolist()
    [1200.5, 500.0, 1.401]
    """
    view = prepare(data, as_of)
    period = Period.parse(period)
    frame = attribution(view, period, model=model, level=level, by=by,
                        lookback_days=lookback_days)
    if "spend" in view.tables:
        spend = spend_in(Split(view, by), period).values
        spend = spend.reindex(frame[by]).fillna(0.0).to_numpy()
        note = _("no spend in {period}").format(period=period_text(period))
    else:
        spend = np.full(len(frame), np.nan)
        note = _("no {table} table in the dataset").format(table="spend")
    out = frame.assign(spend=spend)
    with np.errstate(invalid="ignore", divide="ignore"):
        roi = (out["credited_bookings"] - spend) / np.where(spend > 0, spend, np.nan)
    out["roi"] = roi.astype(float)
    out["note"] = pd.Series(np.where(out["roi"].isna(), note, None), dtype="string")
    out.attrs.update(frame.attrs)
    return out


def deal_credits(data: Dataset | View, period: Period | str, *, model: str = "linear",
                 level: str = "lead", by: str = "campaign_id", lookback_days: int = 365,
                 as_of: object = None) -> pd.DataFrame:
    r"""Each won deal's credit per group under a model: the pieces :func:`attribution` sums.

    For a deal won in the period and a group :math:`g`,
    :math:`\text{credited\_bookings} = \sum_{i \in g} s_i \cdot \text{amount}`
    in cents that add up to the deal's amount exactly; a deal without a touchpoint
    is one row of ``(no touchpoint)``. A caller that judges another set of
    deals (the deals of a period's leads, say) selects them here.

    Returns
    -------
    pandas.DataFrame
        ``[opportunity_id, by, credited_bookings]``, one row per deal and group
        with a touchpoint, in the opportunities' order, groups sorted.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> deal_credits(sample_dataset(), "2025-Q1", by="channel")
      opportunity_id  channel  credited_bookings
    0             O1  webinar             1200.5
    """
    view = prepare(data, as_of)
    period = Period.parse(period)
    model = _choice("model", model, MODELS)
    level = _choice("level", level, LEVELS)
    by = _choice("by", by, ATTRIBUTION_BY)
    deals = _won_deals(view, period)
    t = _deal_touches(view, deals, by, level, int(lookback_days),
                      events=model != "lead_source")
    share, _ = _shares(view, t, deals, model, period, by, int(lookback_days))
    cents = _cents(t, share, deals.cents)
    names = np.array([*t.labels, UNKNOWN, NO_TOUCHPOINT], dtype=object)
    k = len(names)
    code = np.where(t.label >= 0, t.label, k - 2)
    alone = np.flatnonzero(np.bincount(t.owner, minlength=t.n) == 0)
    key = np.concatenate([t.owner * k + code, alone * k + k - 1])
    keys, inverse = np.unique(key, return_inverse=True)
    booked = np.bincount(inverse, np.concatenate([cents, deals.cents[alone]]),
                         minlength=len(keys))
    ids = (view.tables["opportunities"]["opportunity_id"].to_numpy()[deals.row[keys // k]]
           if len(keys) else np.array([], dtype=object))
    return pd.DataFrame({"opportunity_id": ids, by: names[keys % k],
                         "credited_bookings": np.rint(booked).astype(np.int64) / 100})


def touchpoints(data: Dataset | View, period: Period | str, *, level: str = "lead",
                by: str = "campaign_id", lookback_days: int = 365, as_of: object = None
                ) -> pd.DataFrame:
    """The touchpoints of the deals won in the period, in time order: what the models split.

    Returns
    -------
    pandas.DataFrame
        ``[opportunity_id, touched_at, touch, by]``: ``touch`` is
        ``lead created`` or the event's type.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> touchpoints(sample_dataset(), "2025-Q1")
      opportunity_id touched_at             touch campaign_id
    0             O1 2025-01-05      lead created          C1
    1             O1 2025-01-05  webinar_attended          C1
    2             O1 2025-01-05  webinar_attended          C1
    """
    view = prepare(data, as_of)
    period = Period.parse(period)
    level = _choice("level", level, LEVELS)
    by = _choice("by", by, ATTRIBUTION_BY)
    deals = _won_deals(view, period)
    t = _deal_touches(view, deals, by, level, int(lookback_days))
    opps = view.tables["opportunities"] if "opportunities" in view.tables else None
    ids = (opps["opportunity_id"].to_numpy()[deals.row[t.owner]] if opps is not None
           else np.array([], dtype=object))
    names = np.array([*t.labels, UNKNOWN], dtype=object)
    kind = np.full(len(t.owner), "lead created", dtype=object)
    if "engagement" in view.tables and len(t.event):
        types = view.tables["engagement"]["event_type"].astype("string").to_numpy()
        kind[~t.creation] = types[t.event[~t.creation]]
    return pd.DataFrame({"opportunity_id": ids, "touched_at": pd.to_datetime(t.at),
                         "touch": kind, by: names[np.where(t.label >= 0, t.label, -1)]})
