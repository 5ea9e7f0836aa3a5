"""The lead funnel: leads, MQLs, SQLs and the rates between them.

Every example uses the sample dataset shipped with b2bkit
(:func:`b2bkit.sample_dataset`): four leads in 2025-Q1, three of them MQLs,
two SQLs, two with an opportunity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.i18n import N_, _, period_text
from b2bkit.core.periods import Period
from b2bkit.metrics._base import ALL_DIMENSIONS, Result, Split, metric, ratio

__all__ = [
    "bant_qualified_share",
    "lead_conversion_rate",
    "lead_quality",
    "lead_to_mql_rate",
    "leads",
    "mql_to_sql_rate",
    "mqls",
    "sqls",
]

BANT = ("bant_budget", "bant_authority", "bant_need", "bant_timeline")


def _dated(split: Split, column: str) -> pd.Series | None:
    frame = split.view.tables["leads"]
    return frame[column] if column in frame else None


#: What a missing lead column is, in the words of a report (its notes are read by managers).
_WORDS = {"mql_at": N_("the leads carry no MQL dates"),
          "sql_at": N_("the leads carry no SQL dates"),
          "bant_*": N_("the leads carry no BANT qualification")}


def _no_column(split: Split, column: str) -> Result:
    if column in _WORDS:
        return Result.missing(split.groups, _(_WORDS[column]))
    return Result.missing(split.groups, _("the leads carry no {column}").format(column=column))


def _count_leads(split: Split, period: Period, column: str) -> Result:
    dates = _dated(split, column)
    if dates is None:
        return _no_column(split, column)
    return Result.of(split.count("leads", period.mask(dates)))


@metric("count", needs=("leads",), splits=ALL_DIMENSIONS)
def leads(split: Split, period: Period) -> Result:
    r"""Leads created in the period.

    .. math:: \text{leads} = \#\{\text{lead} : \text{created\_at} \in P\}

    Units: leads. Split by the lead's own channel, campaign_id, segment,
    owner (rep_id) and its campaign's practice.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> leads(sample_dataset(), "2025-Q1")
    4
    >>> leads(sample_dataset(), "2025-Q1", by="channel")
         channel  value  note
    0  (unknown)      1  <NA>
    1 trade_show      1  <NA>
    2    webinar      2  <NA>
    """
    return _count_leads(split, period, "created_at")


@metric("count", needs=("leads",), splits=ALL_DIMENSIONS)
def mqls(split: Split, period: Period) -> Result:
    r"""Leads that became marketing-qualified (mql_at) in the period.

    .. math:: \text{mqls} = \#\{\text{lead} : \text{mql\_at} \in P\}

    Units: leads. An mql_at after as_of counts as unset.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> mqls(sample_dataset(), "2025-Q1"), mqls(sample_dataset(), "2025-01")
    (3, 2)
    """
    return _count_leads(split, period, "mql_at")


@metric("count", needs=("leads",), splits=ALL_DIMENSIONS)
def sqls(split: Split, period: Period) -> Result:
    r"""Leads that became sales-qualified (sql_at) in the period.

    .. math:: \text{sqls} = \#\{\text{lead} : \text{sql\_at} \in P\}

    Units: leads. An sql_at after as_of counts as unset.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> sqls(sample_dataset(), "2025-Q1")
    2
    """
    return _count_leads(split, period, "sql_at")


def _share_of_created(split: Split, period: Period, reached: str) -> Result:
    frame = split.view.tables["leads"]
    if reached not in frame:
        return _no_column(split, reached)
    created = period.mask(frame["created_at"])
    return ratio(split.count("leads", created & frame[reached].notna()),
                 split.count("leads", created), _("no leads created in {period}").format(
                     period=period_text(period)))


@metric("rate", needs=("leads",), splits=ALL_DIMENSIONS)
def lead_to_mql_rate(split: Split, period: Period) -> Result:
    r"""Of the leads created in the period, the share with mql_at set (as of as_of).

    .. math:: \frac{\#\{\text{created in } P,\ \text{mql\_at set}\}}
              {\#\{\text{created in } P\}}

    Units: fraction (0.25 = 25%). Missing when no lead was created in the
    period.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> lead_to_mql_rate(sample_dataset(), "2025-Q1")
    0.75
    >>> lead_to_mql_rate(sample_dataset(), "2025-Q2")
    Missing('no leads created in 2025-Q2')
    """
    return _share_of_created(split, period, "mql_at")


@metric("rate", needs=("leads",), splits=ALL_DIMENSIONS)
def mql_to_sql_rate(split: Split, period: Period) -> Result:
    r"""Of the leads with mql_at in the period, the share with sql_at set.

    .. math:: \frac{\#\{\text{mql\_at} \in P,\ \text{sql\_at set}\}}
              {\#\{\text{mql\_at} \in P\}}

    Units: fraction. Missing when no lead became an MQL in the period.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(mql_to_sql_rate(sample_dataset(), "2025-Q1"), 4)
    0.6667
    """
    frame = split.view.tables["leads"]
    for column in ("mql_at", "sql_at"):
        if column not in frame:
            return _no_column(split, column)
    mql = period.mask(frame["mql_at"])
    return ratio(split.count("leads", mql & frame["sql_at"].notna()),
                 split.count("leads", mql),
                 _("no MQLs in {period}").format(period=period_text(period)))


@metric("rate", needs=("leads",), splits=ALL_DIMENSIONS)
def lead_conversion_rate(split: Split, period: Period) -> Result:
    r"""Of the leads created in the period, the share with an opportunity.

    .. math:: \frac{\#\{\text{created in } P,\ \text{with an opportunity}\}}
              {\#\{\text{created in } P\}}

    Units: fraction. The link may come from either side
    (``leads.opportunity_id`` or ``opportunities.lead_id``); an opportunity
    created after as_of does not count.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> lead_conversion_rate(sample_dataset(), "2025-Q1")
    0.5
    """
    return _share_of_created(split, period, "opportunity_id")


@metric("rate", needs=("leads",), splits=ALL_DIMENSIONS)
def lead_quality(split: Split, period: Period) -> Result:
    r"""Of the leads created in the period, the share that reached SQL.

    .. math:: \frac{\#\{\text{created in } P,\ \text{sql\_at set}\}}
              {\#\{\text{created in } P\}}

    Units: fraction.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> lead_quality(sample_dataset(), "2025-Q1")
    0.5
    """
    return _share_of_created(split, period, "sql_at")


@metric("rate", needs=("leads",), splits=ALL_DIMENSIONS)
def bant_qualified_share(split: Split, period: Period) -> Result:
    r"""Of the leads created in the period with a BANT answer, the share with 3+ true.

    .. math:: \frac{\#\{\text{created in } P,\ \ge 3 \text{ of 4 BANT true}\}}
              {\#\{\text{created in } P,\ \ge 1 \text{ BANT value filled}\}}

    Units: fraction. BANT = budget, authority, need, timeline; an empty
    value counts as not true, a missing column as empty.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(bant_qualified_share(sample_dataset(), "2025-Q1"), 4)
    0.6667
    """
    frame = split.view.tables["leads"]
    present = [c for c in BANT if c in frame]
    if not present:
        return _no_column(split, "bant_*")
    created = period.mask(frame["created_at"]).to_numpy(dtype=bool)
    answers = frame.loc[created, present]  # the leads of the period only
    filled = np.zeros(len(frame), dtype=bool)
    filled[created] = answers.notna().any(axis=1).to_numpy(dtype=bool)
    qualified = np.zeros(len(frame), dtype=bool)
    qualified[created] = (answers.fillna(False).astype(bool).sum(axis=1) >= 3).to_numpy()
    return ratio(split.count("leads", qualified), split.count("leads", filled),
                 _("no leads created in {period} with a BANT answer").format(
                     period=period_text(period)))
