"""Web and event engagement: visitors, attendance, engaged leads.

Events take their dimensions from their lead (channel, campaign_id, segment,
practice), else from their own campaign (channel, practice). Examples use
:func:`b2bkit.sample_dataset`: visitor V1 viewed a page on 2025-01-04 and, as
lead L1, attended webinar C1 on 2025-01-05 (scanned twice).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.i18n import _
from b2bkit.core.periods import Period
from b2bkit.metrics._base import ALL_DIMENSIONS, ENGAGEMENT_DIMENSIONS, Result, Split, metric

__all__ = ["ATTENDANCE", "engaged_leads", "event_attendance", "unique_visitors"]

#: Event types that count as attendance.
ATTENDANCE = ("webinar_attended", "event_attended")


def _events(split: Split) -> Result | None:
    if split.unsplittable("engagement"):
        return split.not_split("engagement")
    return None


def _distinct(split: Split, table: str, mask: np.ndarray, keys: np.ndarray) -> pd.Series:
    """Distinct keys per group among the rows of ``table`` in ``mask``.

    ``keys`` holds an integer code per row in ``mask`` (equal codes: the same
    key; -1: blank, not counted). A (group, key) pair counts once.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> split = Split(prepare(sample_dataset()), None)
    >>> n = len(split.view.tables["engagement"])
    >>> _distinct(split, "engagement", np.ones(n, dtype=bool), np.arange(n) % 2).tolist()
    [2.0]
    """
    labels = split.labels(table)
    groups = labels.cat.codes.to_numpy()[mask].astype(np.int64)
    known = keys >= 0
    groups, keys = groups[known], keys[known]
    per_group = _distinct_per_code(groups, keys, len(labels.cat.categories))
    counts = pd.Series(per_group, index=labels.cat.categories.astype(str))
    return counts.reindex(split.groups, fill_value=0).astype(float)


def _distinct_per_code(groups: np.ndarray, keys: np.ndarray, size: int) -> np.ndarray:
    """For each group code 0..size-1, the number of distinct key codes (both >= 0).

    A table of (group, key) seen flags when it is small (no sort), else the
    distinct pairs by :func:`numpy.unique`.

    >>> _distinct_per_code(np.array([0, 0, 2, 0]), np.array([5, 5, 5, 1]), 3).tolist()
    [2, 0, 1]
    """
    width = int(keys.max(initial=0)) + 1
    pairs = groups * width + keys
    if size * width <= 4 * len(keys) + 4096:
        seen = np.zeros(size * width, dtype=bool)
        seen[pairs] = True
        return seen.reshape(size, width).sum(axis=1)
    return np.bincount(np.unique(pairs) // width, minlength=size)


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes of ``values``: equal values, equal codes; -1 where blank.

    >>> _codes(pd.Series(["b", None, "a", "b"], dtype="string")).tolist()
    [0, -1, 1, 0]
    """
    return pd.factorize(values)[0].astype(np.int64)


def _pair_codes(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Codes of the pairs ``(first, second)`` of two non-negative codes, renumbered
    from 0 (so that a third code can be paired with them without overflow).

    >>> _pair_codes(np.array([0, 1, 0, 0]), np.array([2, 0, 2, 1])).tolist()
    [0, 1, 0, 2]
    """
    width = int(second.max(initial=0)) + 1
    return pd.factorize(first * width + second)[0].astype(np.int64)


@metric("count", needs=("engagement",), splits=ENGAGEMENT_DIMENSIONS)
def unique_visitors(split: Split, period: Period) -> Result:
    r"""Distinct visitors with a page view in the period.

    .. math:: \#\{\text{visitor\_id} : \text{page\_view in } P\}

    Units: visitors. Split by the dimensions of the event's lead or campaign.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> unique_visitors(sample_dataset(), "2025-Q1")
    1
    """
    missing = _events(split)
    if missing:
        return missing
    events = split.view.tables["engagement"]
    if "visitor_id" not in events:
        return Result.missing(split.groups, _("engagement has no visitor_id column"))
    views = (period.mask(events["date"]).to_numpy(dtype=bool)
             & (events["event_type"] == "page_view").to_numpy(dtype=bool))
    visitors = _codes(events["visitor_id"][views])
    return Result.of(_distinct(split, "engagement", views, visitors))


@metric("count", needs=("engagement",), splits=ENGAGEMENT_DIMENSIONS)
def event_attendance(split: Split, period: Period) -> Result:
    r"""Webinar and event attendances in the period, each person once per event and day.

    .. math:: \#\{(\text{person}, \text{campaign\_id}, \text{date}, \text{event\_type})\}

    over ``webinar_attended`` and ``event_attended`` events; person = lead_id,
    else visitor_id, else account_id. Attendances with no person at all count
    one each. Units: attendances.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> event_attendance(sample_dataset(), "2025-Q1")   # the double scan counts once
    1
    """
    missing = _events(split)
    if missing:
        return missing
    events = split.view.tables["engagement"]
    attended = (period.mask(events["date"]).to_numpy(dtype=bool)
                & _one_of(events["event_type"], ATTENDANCE))
    rows = events[attended]  # a small share of all events: build keys on these only
    return Result.of(_distinct(split, "engagement", attended, _attendance_keys(rows)))


def _one_of(values: pd.Series, choices: tuple[str, ...]) -> np.ndarray:
    """True where a value is one of ``choices``; a categorical is looked up by its codes
    (the few categories are compared, not the rows).

    >>> _one_of(pd.Series(["a", "b", None, "c"], dtype="category"), ("a", "c")).tolist()
    [True, False, False, True]
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.isin(choices).to_numpy(dtype=bool)
    chosen = values.cat.categories.isin(choices)
    return np.append(chosen, False)[values.cat.codes.to_numpy()]  # code -1: blank, False


def _attendance_keys(rows: pd.DataFrame) -> np.ndarray:
    """One code per distinct (person, campaign_id, day, event_type) of attendance ``rows``.

    The person is the lead_id, else the visitor_id, else the account_id (one
    text: the same id in two of these columns is the same person); a row
    with no person has a code of its own. A blank campaign is one campaign.

    >>> rows = pd.DataFrame({
    ...     "lead_id": pd.array(["L1", None, "L1", None], dtype="string"),
    ...     "visitor_id": pd.array(["V1", "L1", "V2", None], dtype="string"),
    ...     "date": pd.to_datetime(["2025-01-05 09:00", "2025-01-05 17:00", "2025-01-06 10:00",
    ...                             "2025-01-06 11:00"]),
    ...     "event_type": ["webinar_attended"] * 4})
    >>> _attendance_keys(rows).tolist()
    [0, 0, 1, 2]
    """
    person = pd.Series(pd.NA, index=rows.index, dtype="string")
    for column in ("account_id", "visitor_id", "lead_id"):  # later ones take precedence
        if column in rows:
            person = rows[column].astype("string").fillna(person)
    campaign = (rows["campaign_id"].astype("string") if "campaign_id" in rows
                else pd.Series(pd.NA, index=rows.index, dtype="string"))
    dates = rows["date"]
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)  # the wall-clock day, as Period.mask sees it
    day = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    keys = _codes(person)
    nobody = keys < 0
    for part in (_codes(campaign.fillna("")), _codes(pd.Series(day)),
                 _codes(rows["event_type"].astype("string"))):
        keys = _pair_codes(np.maximum(keys, 0), part)
    keys = np.where(nobody, -1, keys)
    alone = keys.max(initial=-1) + 1 + np.arange(int(nobody.sum()))  # each counts alone
    keys[nobody] = alone
    return keys


@metric("count", needs=("engagement", "leads"), splits=ALL_DIMENSIONS)
def engaged_leads(split: Split, period: Period) -> Result:
    r"""Leads created by the period's end with at least one engagement event in it.

    .. math:: \#\{\text{lead} : \text{created\_at} \le d_1,\ \exists \text{ event in } P\}

    Units: leads. Split by the lead's own dimensions.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> engaged_leads(sample_dataset(), "2025-Q1")
    1
    """
    if split.unsplittable("leads"):
        return split.not_split("leads")
    events, leads = split.view.tables["engagement"], split.view.tables["leads"]
    if "lead_id" not in events:
        return Result.missing(split.groups, _("engagement has no lead_id column"))
    to_lead = split.view.links.get(("engagement", "lead_id"))
    dated = period.mask(events["date"]).to_numpy(dtype=bool)
    engaged = np.zeros(len(leads), dtype=bool)
    if to_lead is not None:
        hit = to_lead[dated]
        engaged[hit[hit >= 0]] = True
    created = (leads["created_at"] < period.end_exclusive).fillna(False).to_numpy(dtype=bool)
    return Result.of(split.count("leads", created & engaged))
