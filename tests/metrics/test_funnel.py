"""Funnel metrics: the as_of cut, BANT, splits and reasons."""

import pytest

from b2bkit.metrics import (
    bant_qualified_share,
    lead_conversion_rate,
    lead_to_mql_rate,
    leads,
    mql_to_sql_rate,
    mqls,
    sqls,
)

from ._build import build

LEADS = dict(
    lead_id=["L1", "L2", "L3", "L4", "L5"],
    created_at=["2025-07-01T09:00:00", "2025-07-15", "2025-09-30T23:59:00", "2025-10-01",
                "2025-08-01"],
    channel=["webinar", "webinar", "content", "content", None],
    mql_at=["2025-07-02", "2025-10-05", None, "2025-10-02", "2025-08-02"],
    sql_at=["2025-07-03", None, None, None, "2025-08-20"],
    bant_budget=[True, True, None, None, True],
    bant_authority=[True, False, None, None, True],
    bant_need=[True, False, None, None, None],
    bant_timeline=[False, False, None, None, True],
)


def test_counts_by_calendar_day() -> None:
    ds = build(leads=LEADS)
    assert leads(ds, "2025-Q3") == 4           # L3 at 23:59 on 09-30 counts; L4 is Q4
    assert mqls(ds, "2025-Q3") == 2            # L1, L5 (L2's mql_at is in Q4)
    assert sqls(ds, "2025-Q3") == 2


def test_as_of_cut() -> None:
    ds = build(settings={"as_of": "2025-09-30"}, leads=LEADS)
    # L4 does not exist yet; L2's mql_at (10-05) counts as unset
    assert leads(ds, "2025") == 4
    assert lead_to_mql_rate(ds, "2025-Q3") == 2 / 4
    later = build(settings={"as_of": "2025-10-31"}, leads=LEADS)
    assert lead_to_mql_rate(later, "2025-Q3") == 3 / 4
    # --as-of overrides the dataset's
    assert lead_to_mql_rate(later, "2025-Q3", as_of="2025-09-30") == 2 / 4


def test_mql_to_sql_and_reasons() -> None:
    ds = build(leads=LEADS)
    assert mql_to_sql_rate(ds, "2025-Q3") == 2 / 2
    assert mql_to_sql_rate(ds, "2025-06").reason == "no MQLs in 2025-06"
    assert lead_to_mql_rate(ds, "2025-06").reason == "no leads created in 2025-06"


def test_bant_counts_empty_as_not_true() -> None:
    ds = build(leads=LEADS)
    # answered: L1 (3 true), L2 (1 true), L5 (3 true: budget, authority, timeline);
    # L3 has no answer and is left out
    assert bant_qualified_share(ds, "2025-Q3") == pytest.approx(2 / 3)


def test_split_with_unknown_group_and_totals() -> None:
    frame = leads(build(leads=LEADS), "2025-Q3", by="channel")
    assert frame["channel"].tolist() == ["(unknown)", "content", "webinar"]
    assert frame["value"].tolist() == [1, 1, 2]
    assert frame["note"].isna().all()


def test_missing_table_and_column() -> None:
    ds = build(orders=dict(order_id=["1"], account_id=["A"], date=["2025-01-01"], amount=[1]))
    assert leads(ds, "2025").reason == "no leads table in the dataset"
    bare = build(leads=dict(lead_id=["L1"], created_at=["2025-01-01"], channel=["x"]))
    assert sqls(bare, "2025").reason == "the leads carry no SQL dates"
    assert bant_qualified_share(bare, "2025").reason == "the leads carry no BANT qualification"


def test_lead_conversion_ignores_opportunities_after_as_of() -> None:
    ds = build(settings={"as_of": "2025-07-31"},
               leads=dict(lead_id=["L1", "L2"], created_at=["2025-07-01", "2025-07-02"],
                          channel=["x", "x"]),
               opportunities=dict(opportunity_id=["O1", "O2"],
                                  created_at=["2025-07-10", "2025-08-10"],
                                  status=["open", "open"], amount=[1, 1], lead_id=["L1", "L2"]))
    assert lead_conversion_rate(ds, "2025-07") == 1 / 2
