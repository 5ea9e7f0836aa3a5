"""Web and event engagement: visitors, attendance, engaged leads.

Events take their dimensions from their lead (channel, campaign_id, segment,
practice), else from their own campaign (channel, practice). Examples use
:func:`b2bkit.sample_dataset`: visitor V1 viewed a page on 2025-01-04 and, as
lead L1, attended webinar C1 on 2025-01-05 (scanned twice).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.metrics._base import Result, Split, metric
from b2bkit.periods import Period

__all__ = ["ATTENDANCE", "engaged_leads", "event_attendance", "unique_visitors"]

#: Event types that count as attendance.
ATTENDANCE = ("webinar_attended", "event_attended")


def _events(split: Split) -> Result | None:
    if split.unsplittable("engagement"):
        return split.not_split("engagement")
    return None


def _distinct(split: Split, table: str, keys: pd.Series, mask: pd.Series) -> pd.Series:
    """Distinct non-blank ``keys`` per group among rows in ``mask``."""
    mask = np.asarray(mask, dtype=bool)
    labels = split.labels(table)
    pairs = pd.DataFrame({"group": labels[mask].astype(str).to_numpy(),
                          "key": keys[mask].to_numpy()})
    pairs = pairs.dropna(subset=["key"]).drop_duplicates()
    return pairs.groupby("group").size().reindex(split.groups, fill_value=0).astype(float)


@metric("count", needs=("engagement",))
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
        return Result.missing(split.groups, "engagement has no visitor_id column")
    views = period.mask(events["date"]) & (events["event_type"] == "page_view")
    return Result.of(_distinct(split, "engagement", events["visitor_id"], views.astype(bool)))


@metric("count", needs=("engagement",))
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
    attended = (period.mask(events["date"]) & events["event_type"].isin(ATTENDANCE))
    attended = attended.to_numpy(dtype=bool)
    rows = events[attended]  # a small share of all events: build keys on these only
    person = pd.Series(pd.NA, index=rows.index, dtype="string")
    for column in ("account_id", "visitor_id", "lead_id"):  # later ones take precedence
        if column in rows:
            person = rows[column].astype("string").fillna(person)
    campaign = (rows["campaign_id"].astype("string") if "campaign_id" in rows
                else pd.Series(pd.NA, index=rows.index, dtype="string"))
    key = (person + "|" + campaign.fillna("") + "|" + rows["date"].dt.strftime("%Y-%m-%d")
           + "|" + rows["event_type"].astype("string"))
    key = key.mask(person.isna(), "row " + rows.index.astype(str))  # each counts alone
    full = pd.Series(pd.NA, index=events.index, dtype="string")
    full[attended] = key
    return Result.of(_distinct(split, "engagement", full, attended))


@metric("count", needs=("engagement", "leads"))
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
        return Result.missing(split.groups, "engagement has no lead_id column")
    to_lead = split.view.links.get(("engagement", "lead_id"))
    dated = period.mask(events["date"]).to_numpy(dtype=bool)
    engaged = np.zeros(len(leads), dtype=bool)
    if to_lead is not None:
        hit = to_lead[dated]
        engaged[hit[hit >= 0]] = True
    created = (leads["created_at"] < period.end_exclusive).fillna(False).to_numpy(dtype=bool)
    return Result.of(split.count("leads", created & engaged))
