"""Warnings: rules that real CRMs break routinely without the data being wrong.

The rows are kept, counted and reported, never set aside (CONTRACT section
1, "Warnings"):

- a date that comes before the one it should follow, where the table
  declares the order a warning (closed_at before created_at: deals entered
  after the fact; a duration that would be negative counts as 0 days);
- exact duplicate rows in a table without a key (each later copy is counted);
- stage_history rows repeating an (opportunity_id, stage): the earliest
  entered_at is that stage's row, the later ones are counted
  (:func:`earliest_stages` keeps the earliest);
- grouping values that differ only in case or surrounding spaces
  (``Webinar`` / ``webinar ``): kept as they are, the variants named;
- a lead created after its won deal closed (the lead was entered after the
  fact): kept, its sales cycle counts as 0 days (:func:`lead_after_won`);
- a won deal without an amount (it counts as won, and as 0 in sums) or
  without an account (it counts in every opportunity metric and makes no
  customer): :func:`won_without`.

Examples
--------
>>> from b2bkit.core.schema import TABLES
>>> spend = pd.DataFrame({"date": pd.to_datetime(["2025-01-01"] * 3),
...                       "channel": pd.Categorical(["Webinar", "webinar", "Webinar"]),
...                       "amount": [5.0, 5.0, 5.0]})
>>> [(w.column, w.rule, w.rows) for w in table_warnings(spend, TABLES["spend"])]
[('', 'exact duplicate of an earlier row', 1), \
('channel', "'Webinar', 'webinar' differ only in case or spaces (kept as they are)", 3)]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from b2bkit.core.i18n import N_
from b2bkit.core.schema import TableSpec
from b2bkit.load.parsing import STRING
from b2bkit.load.validate import Issue, date_order_issues, duplicate_rows

__all__ = ["WON_WITHOUT_ACCOUNT", "WON_WITHOUT_AMOUNT", "earliest_stages", "lead_after_won",
           "repeated_stages", "table_warnings", "won_without"]

#: The rules of the two warnings on won deals (CONTRACT section 1, revision 3).
WON_WITHOUT_AMOUNT = N_("won deal without an amount (counts as won; 0 in every sum)")
WON_WITHOUT_ACCOUNT = N_("won deal without an account (counts as won; makes no customer)")
#: The other warnings' rules (:mod:`b2bkit.load.rules` translates them for a report).
BEFORE_KEPT = N_("{later} before {earlier} (kept; a negative duration counts as 0 days)")
DUPLICATE = N_("exact duplicate of an earlier row")
REPEATED_STAGE = N_("repeats a stage of the opportunity (the earliest entered_at counts)")
LEAD_AFTER_WON = N_("created after its won deal closed (kept; the sales cycle counts as 0 "
                    "days)")
#: ``names`` are the values, each quoted (``repr``), joined by ", ".
VARIANTS = N_("{names} differ only in case or spaces (kept as they are)")

#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (WON_WITHOUT_AMOUNT, WON_WITHOUT_ACCOUNT, BEFORE_KEPT, DUPLICATE, REPEATED_STAGE,
         LEAD_AFTER_WON, VARIANTS)


def won_without(frame: pd.DataFrame) -> list[Issue]:
    """Won deals without an amount or without an account: kept, one warning each.

    >>> opps = pd.DataFrame({"status": ["won", "won", "lost"], "amount": [None, 5.0, None],
    ...                      "account_id": ["A1", None, None]})
    >>> [(w.column, w.rows) for w in won_without(opps)]
    [('amount', 1), ('account_id', 1)]
    """
    if "status" not in frame:
        return []
    won = (frame["status"].astype("string") == "won").fillna(False).astype(bool)
    issues = []
    for column, rule in (("amount", WON_WITHOUT_AMOUNT), ("account_id", WON_WITHOUT_ACCOUNT)):
        mask = won & (frame[column].isna() if column in frame else True)
        if mask.any():
            issues.append(Issue("opportunities", column, rule, mask.astype(bool)))
    return issues


_STAGE_KEY = ["opportunity_id", "stage"]


def repeated_stages(history: pd.DataFrame) -> pd.Series:
    """Rows of stage_history that repeat an (opportunity_id, stage) entered earlier.

    Of the rows of one opportunity and stage, the one with the earliest
    entered_at (the first in the file among equal times) is not a repeat.

    >>> h = pd.DataFrame({"opportunity_id": ["O1", "O1", "O2"], "stage": ["sql"] * 3,
    ...                   "entered_at": pd.to_datetime(["2025-02-01", "2025-01-01",
    ...                                                 "2025-01-05"])})
    >>> repeated_stages(h).tolist()
    [True, False, False]
    """
    ordered = history.sort_values("entered_at", kind="stable", na_position="last")
    return ordered.duplicated(_STAGE_KEY).reindex(history.index)


def earliest_stages(history: pd.DataFrame) -> pd.DataFrame:
    """stage_history with one row per (opportunity_id, stage): the earliest entered_at.

    >>> h = pd.DataFrame({"opportunity_id": ["O1", "O1"], "stage": ["sql", "sql"],
    ...                   "entered_at": pd.to_datetime(["2025-02-01", "2025-01-01"])})
    >>> earliest_stages(h)["entered_at"].tolist()
    [Timestamp('2025-01-01 00:00:00')]
    """
    return history[~repeated_stages(history).to_numpy()]


def _variants(frame: pd.DataFrame, spec: TableSpec) -> list[Issue]:
    issues = []
    for field in spec.fields:
        if field.kind != "category" or field.allowed is not None or field.name not in frame:
            continue
        column = frame[field.name]
        # the distinct values, not the rows, are compared: a category has few
        text = pd.Series(column.dropna().unique()).astype("string")
        norm = text.str.strip().str.casefold()
        kinds = text.groupby(norm).nunique()
        for value in kinds.index[kinds > 1]:  # a loop over groups, not rows
            members = text[(norm == value).fillna(False).to_numpy(dtype=bool)]
            mask = pd.Series(column.astype("string").isin(members.tolist()).fillna(False)
                             .to_numpy(dtype=bool), index=frame.index)
            names = ", ".join(repr(v) for v in sorted(members.unique()))
            issues.append(Issue(spec.name, field.name,
                                VARIANTS.format(names=names), mask))
    return issues


def table_warnings(frame: pd.DataFrame, spec: TableSpec, *,
                   codes: Mapping[str, np.ndarray] | None = None,
                   variants: bool = True) -> list[Issue]:
    """The warnings of one typed table (the rows kept), one :class:`Issue` per rule.

    Parameters
    ----------
    frame : pandas.DataFrame
        The typed rows (in lenient mode: only the rows kept).
    spec : TableSpec
        Its declaration.
    codes : mapping of str to numpy.ndarray, optional
        Per foreign-key column, the parent row of each row of ``frame``
        (:func:`b2bkit.load.links.positions_of`): equal ids, equal rows, so the
        duplicate search compares those numbers instead of the text.
    variants : bool
        Also the grouping values that differ only in case or spaces (they bear
        on the groups, not on a total: the headline sentences leave them out).
    """
    issues = []
    for later, earlier in spec.date_order_warnings:
        issues += [Issue(i.table, later, BEFORE_KEPT.format(later=later, earlier=earlier),
                         i.mask, i.detail)
                   for i in date_order_issues(frame, spec, ((later, earlier),))]
    if not spec.key and len(frame):
        mask = pd.Series(duplicate_rows(frame, codes=codes), index=frame.index)
        if mask.any():
            issues.append(Issue(spec.name, "", DUPLICATE, mask,
                                pd.Series("", index=frame.index)))
    if not spec.unique_key and all(k in frame for k in _STAGE_KEY) and "entered_at" in frame:
        mask = repeated_stages(frame).astype(bool)
        if mask.any():
            issues.append(Issue(spec.name, "stage", REPEATED_STAGE, mask,
                                "entered_at=" + frame["entered_at"].dt.strftime("%Y-%m-%d")))
    if spec.name == "opportunities":
        issues += won_without(frame)
    return issues + (_variants(frame, spec) if variants else [])


def lead_after_won(leads: pd.DataFrame, opportunities: pd.DataFrame) -> list[Issue]:
    """Leads created after the won deal they led to had closed, linked either way.

    The link is read from ``leads.opportunity_id`` and from
    ``opportunities.lead_id`` (whichever the data gives); a lead counts once.

    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2"], "created_at": pd.to_datetime(
    ...     ["2025-02-10", "2025-01-01"])})
    >>> opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "lead_id": ["L1", "L2"],
    ...                      "status": ["won", "won"],
    ...                      "closed_at": pd.to_datetime(["2025-02-01", "2025-03-01"])})
    >>> [(w.table, w.column, w.rows) for w in lead_after_won(leads, opps)]
    [('leads', 'created_at', 1)]
    """
    needed = {"opportunity_id", "status", "closed_at"}
    if not len(leads) or not needed <= set(opportunities) or "created_at" not in leads:
        return []
    won = opportunities[(opportunities["status"] == "won").fillna(False).to_numpy()]
    closed = won.drop_duplicates("opportunity_id").set_index("opportunity_id")["closed_at"]
    by_lead = pd.Series(pd.NaT, index=leads.index, dtype="datetime64[ns]")
    if "opportunity_id" in leads:
        by_lead = _dates_of(leads["opportunity_id"], closed)
    if "lead_id" in won:
        first = won.dropna(subset=["lead_id"]).groupby("lead_id", observed=True)["closed_at"].min()
        by_lead = by_lead.fillna(_dates_of(leads["lead_id"], first))
    # on calendar days: a deal closed on the day the lead was entered is not "before" it
    mask = (by_lead.dt.normalize() < leads["created_at"].dt.normalize()).fillna(False)
    mask = mask.astype(bool)
    if not mask.any():
        return []
    detail = "won deal closed " + by_lead.dt.strftime("%Y-%m-%d")
    return [Issue("leads", "created_at", LEAD_AFTER_WON, mask, detail)]


def _dates_of(keys: pd.Series, dates: pd.Series) -> pd.Series:
    """``dates`` looked up by ``keys`` (its index), NaT where a key is blank or absent."""
    wanted = keys.astype(STRING).array.__arrow_array__()
    known = pd.Series(dates.index, dtype=object).astype(STRING).array.__arrow_array__()
    found = pc.fill_null(pc.index_in(wanted, value_set=known.combine_chunks(), skip_nulls=True),
                         -1).to_numpy(zero_copy_only=False)
    # -1 (not found) picks the NaT appended last
    values = np.append(dates.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    return pd.Series(values[found], index=keys.index, dtype="datetime64[ns]")
