"""Properties that hold for any data: rates in [0, 1], additive splits, shift invariance."""

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bkit.core.periods import Period
from b2bkit.load.dataset import from_frames
from b2bkit.load.settings import Settings
from b2bkit.metrics import DIMENSIONS, compute_all, prepare
from b2bkit.metrics.catalogue import ORDER

BASE = pd.Timestamp("2025-01-01")
AS_OF = pd.Timestamp("2025-12-31")
# derandomize: the same examples on every machine, so CI cannot flake
SLOW = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

maybe = st.one_of(st.none(), st.integers(0, 40))
channel = st.sampled_from(["webinar", "content", None])
lead_rows = st.lists(st.tuples(st.integers(0, 330), channel, st.sampled_from(["C1", "C2", None]),
                               st.sampled_from(["SMB", "ENT", None]),
                               st.sampled_from(["R1", "R2", None]), maybe, maybe,
                               st.sampled_from(["none", "open", "won", "lost"]),
                               st.integers(0, 5000), st.integers(0, 60),
                               st.sampled_from(["A1", "A2", "A3"])),
                     max_size=12)
spend_rows = st.lists(st.tuples(st.integers(0, 364), channel, st.sampled_from(["C1", "C2", None]),
                                st.integers(0, 3000)), max_size=8)
order_rows = st.lists(st.tuples(st.sampled_from(["A1", "A2", "A3"]), st.integers(0, 364),
                                st.integers(1, 900)), max_size=10)


def _frames(leads, spend, orders, shift: int = 0) -> dict[str, pd.DataFrame]:
    day = pd.Timedelta(days=1)
    start = BASE + shift * day
    lead_frame = pd.DataFrame({
        "lead_id": [f"L{i}" for i in range(len(leads))],
        "created_at": [start + r[0] * day for r in leads],
        "channel": [r[1] for r in leads],
        "campaign_id": [r[2] for r in leads],
        "segment": [r[3] for r in leads],
        "owner_rep_id": [r[4] for r in leads],
        "mql_at": [None if r[5] is None else start + (r[0] + r[5]) * day for r in leads],
        "sql_at": [None if r[5] is None or r[6] is None else start + (r[0] + r[5] + r[6]) * day
                   for r in leads],
    }, columns=["lead_id", "created_at", "channel", "campaign_id", "segment", "owner_rep_id",
                "mql_at", "sql_at"])
    opps = [(i, r) for i, r in enumerate(leads) if r[7] != "none"]
    opp_frame = pd.DataFrame({
        "opportunity_id": [f"O{i}" for i, _ in opps],
        "created_at": [start + (r[0] + 1) * day for _, r in opps],
        "status": [r[7] for _, r in opps],
        "amount": [r[8] for _, r in opps],
        "account_id": [r[10] for _, r in opps],
        "rep_id": [r[4] for _, r in opps],
        "lead_id": [f"L{i}" for i, _ in opps],
        "closed_at": [None if r[7] == "open" else start + (r[0] + 1 + r[9]) * day
                      for _, r in opps],
    }, columns=["opportunity_id", "created_at", "status", "amount", "account_id", "rep_id",
                "lead_id", "closed_at"])
    return {
        "leads": lead_frame,
        "opportunities": opp_frame,
        "campaigns": pd.DataFrame({"campaign_id": ["C1", "C2"], "name": ["a", "b"],
                                   "channel": ["webinar", "content"],
                                   "practice": ["webinars", None]}),
        "accounts": pd.DataFrame({"account_id": ["A1", "A2", "A3"],
                                  "segment": ["SMB", None, "ENT"]}),
        "spend": pd.DataFrame({"date": [start + r[0] * day for r in spend],
                               "channel": [r[1] for r in spend],
                               "campaign_id": [r[2] for r in spend],
                               "amount": [r[3] for r in spend]},
                              columns=["date", "channel", "campaign_id", "amount"]),
        "orders": pd.DataFrame({"order_id": [f"X{i}" for i in range(len(orders))],
                                "account_id": [r[0] for r in orders],
                                "date": [start + r[1] * day for r in orders],
                                "amount": [r[2] for r in orders]},
                               columns=["order_id", "account_id", "date", "amount"]),
    }


def _dataset(leads, spend, orders, shift: int = 0):
    as_of = (AS_OF + pd.Timedelta(days=shift)).strftime("%Y-%m-%d")
    return from_frames(_frames(leads, spend, orders, shift),
                       settings=Settings.from_dict({"as_of": as_of}, source="test"))


RATES = ["lead_to_mql_rate", "mql_to_sql_rate", "lead_conversion_rate", "lead_quality",
         "win_rate", "opportunity_conversion_rate", "repeat_sales_share", "churn_rate"]


@SLOW
@given(leads=lead_rows, spend=spend_rows, orders=order_rows, month=st.integers(1, 12))
def test_rates_stay_in_unit_interval(leads, spend, orders, month) -> None:
    table = compute_all(_dataset(leads, spend, orders), f"2025-{month:02d}", metrics=tuple(RATES))
    values = table["value"].dropna()
    assert ((values >= 0) & (values <= 1)).all(), table


ADDITIVE = ("leads", "bookings", "marketing_spend", "revenue")


@SLOW
@given(leads=lead_rows, spend=spend_rows, orders=order_rows, quarter=st.integers(1, 4))
def test_additive_metrics_sum_over_groups(leads, spend, orders, quarter) -> None:
    view = prepare(_dataset(leads, spend, orders))
    period = f"2025-Q{quarter}"
    total = compute_all(view, period, metrics=ADDITIVE).set_index("metric")["value"]
    for by in DIMENSIONS:
        split = compute_all(view, period, by=by, metrics=ADDITIVE)
        for name, rows in split.groupby("metric"):
            if rows["value"].isna().all():  # cannot be split by this dimension
                assert rows["note"].str.contains("cannot be split").all()
                continue
            assert rows["value"].sum() == pytest.approx(total[name]), (name, by)


@SLOW
@given(leads=lead_rows, spend=spend_rows, orders=order_rows, shift=st.integers(-400, 400),
       first=st.integers(0, 300), length=st.integers(1, 60))
@pytest.mark.slow
def test_shifting_every_date_changes_nothing(leads, spend, orders, shift, first, length) -> None:
    period = Period.between(BASE + pd.Timedelta(days=first),
                            BASE + pd.Timedelta(days=first + length - 1))
    moved = Period.between(period.start + pd.Timedelta(days=shift),
                           period.end + pd.Timedelta(days=shift))
    names = ORDER
    before = compute_all(_dataset(leads, spend, orders), period, metrics=names)
    after = compute_all(_dataset(leads, spend, orders, shift), moved, metrics=names)
    for a, b, name in zip(before["value"], after["value"], before["metric"], strict=True):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b), name
