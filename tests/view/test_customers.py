"""The customer lifecycle (b2bkit.view.customers): one acquisition rule, S/E/N/L counted."""

import pandas as pd
import pytest

from b2bkit.analysis.customers import customer_states, states_table
from b2bkit.core.errors import UsageError
from b2bkit.load.dataset import from_frames
from b2bkit.metrics import churn_rate, prepare


def _two_leads(created_at: list[str], channels: list[str], ids=("L2", "L1"),
               accounts: pd.DataFrame | None = None):
    """Account A1 with two leads and one order (2025-02-01), seen through prepare."""
    frames = {
        "leads": pd.DataFrame({"lead_id": list(ids), "account_id": ["A1", "A1"],
                               "created_at": created_at, "channel": channels}),
        "orders": pd.DataFrame({"order_id": ["O1"], "account_id": ["A1"],
                                "date": ["2025-02-01"], "amount": [100]}),
    }
    if accounts is not None:
        frames["accounts"] = accounts
    return prepare(from_frames(frames))


@pytest.mark.parametrize("with_accounts", [True, False], ids=["accounts", "no-accounts"])
def test_a_tie_goes_to_the_lower_lead_id(with_accounts):
    # two leads created at the same moment; the lower lead_id is on the second row.
    # The old code gave webinar (the lower ROW) with an accounts table, content without
    accounts = pd.DataFrame({"account_id": ["A1"], "segment": ["smb"]})
    view = _two_leads(["2025-01-05", "2025-01-05"], ["webinar", "content"],
                      accounts=accounts if with_accounts else None)
    assert view.customers["channel"].tolist() == ["content"]
    assert view.dims["customer_orders"]["channel"].tolist() == ["content"]


def test_the_earliest_lead_wins_over_a_lower_id():
    view = _two_leads(["2025-01-06", "2025-01-05"], ["content", "webinar"], ids=("L1", "L2"),
                      accounts=pd.DataFrame({"account_id": ["A1"]}))
    assert view.customers["channel"].tolist() == ["webinar"]


def _many(n: int):
    """n customers since 2024-12-01; A0 churns on 2025-02-01."""
    ids = [f"A{i}" for i in range(n)]
    return prepare(from_frames({
        "accounts": pd.DataFrame({"account_id": ids, "segment": ["smb"] * (n - 1) + ["ent"],
                                  "churned_at": ["2025-02-01"] + [None] * (n - 1)}),
        "orders": pd.DataFrame({"order_id": [f"O{i}" for i in range(n)], "account_id": ids,
                                "date": ["2024-12-01"] * (n - 1) + ["2025-03-01"],
                                "amount": [10] * n}),
    }), "2025-06-30")


def test_states_are_counted():
    # 49 accounts: A0..A47 customers since 2024-12-01 (A0 lost on 2025-02-01), A48 new in March
    view = _many(49)
    states = customer_states(view, "2025-Q1")
    assert states.to_dict("index") == {"all": {"S": 48, "E": 48, "N": 1, "L": 1}}
    assert customer_states(view, "2025-Q1", by="segment").to_dict("index") == {
        "ent": {"S": 0, "E": 1, "N": 1, "L": 0}, "smb": {"S": 48, "E": 47, "N": 0, "L": 1}}


def test_states_table_lost_is_a_count_not_a_rate_times_s():
    view = _many(50)  # S = 49: 1/49 * 49 = 0.9999999999999999 in floating point
    assert churn_rate(view, "2025-Q1") * 49 != 1.0
    table = states_table(view, "2025-Q1")
    assert table["value"].tolist()[:4] == [49.0, 1.0, 1.0, 49.0]


def test_states_split_only_by_customer_dimensions():
    with pytest.raises(UsageError, match="customers can be split by channel or segment, "
                                         "not 'rep_id'"):
        customer_states(_many(2), "2025-Q1", by="rep_id")


def test_short_reprs():
    from b2bkit import sample_dataset

    ds = sample_dataset()
    assert repr(ds) == "<Dataset 'Tiny Co': 14 tables, 40 rows, EUR, as_of 2025-03-15>"
    assert repr(prepare(ds, "2025-02-28")) == (
        "<View 'Tiny Co' as of 2025-02-28: 14 tables, 32 rows, 1 customer>")
    empty = from_frames({"reps": pd.DataFrame({"rep_id": ["R1"], "name": ["Ann"]})})
    assert repr(empty) == "<Dataset '': 1 table, 1 row, USD, no as_of (no dated rows)>"


def _lifecycle_tables():
    """A2's first event is a won close (no orders); A1 orders twice; A3 is not an account."""
    orders = pd.DataFrame({
        "account_id": pd.array(["A1", "A3", "A1", None], dtype="string"),
        "date": pd.to_datetime(["2025-03-01", "2025-01-20", "2025-01-10", "2025-01-01"]),
    })
    opps = pd.DataFrame({
        "account_id": pd.array(["A2", "A1", "A2"], dtype="string"),
        "status": ["won", "won", "lost"],
        "closed_at": pd.to_datetime(["2025-02-15", "2025-01-02", "2025-01-01"]),
    })
    accounts = pd.DataFrame({"account_id": pd.array(["A2", "A1"], dtype="string"),
                             "churned_at": pd.to_datetime([None, "2025-04-01"])})
    return {"orders": orders, "opportunities": opps, "accounts": accounts}


def _rows(frame):
    days = {c: frame[c].dt.strftime("%Y-%m-%d").fillna("-") for c in ("start", "stop")}
    return frame[["account_id"]].assign(**days).values.tolist()


def test_lifecycle_by_the_links_equals_lifecycle_by_the_ids():
    from b2bkit.load.links import parent_positions
    from b2bkit.view.customers import lifecycle

    tables = _lifecycle_tables()
    ids = tables["accounts"]["account_id"]
    links = {(name, "account_id"): parent_positions(ids, tables[name]["account_id"])
             for name in ("orders", "opportunities")}
    as_of = pd.Timestamp("2025-06-30")
    # A3 is in no accounts row: the ids decide; without A3 the links do
    with_a3 = lifecycle(tables, links, churn_after_days=30, as_of=as_of)
    assert _rows(with_a3) == [["A1", "2025-01-10", "2025-04-01"],
                              ["A3", "2025-01-20", "2025-02-19"], ["A2", "2025-02-15", "-"]]
    tables["orders"] = tables["orders"][tables["orders"]["account_id"] != "A3"]
    tables["orders"] = tables["orders"].reset_index(drop=True)
    links[("orders", "account_id")] = parent_positions(ids, tables["orders"]["account_id"])
    by_links = lifecycle(tables, links, churn_after_days=30, as_of=as_of)
    by_ids = lifecycle({**tables, "accounts": tables["accounts"].copy()},
                       {k: v for k, v in links.items() if k[0] != "orders"},
                       churn_after_days=30, as_of=as_of)
    assert _rows(by_links) == [["A1", "2025-01-10", "2025-04-01"], ["A2", "2025-02-15", "-"]]
    pd.testing.assert_frame_equal(by_links[["account_id", "start", "stop"]],
                                  by_ids[["account_id", "start", "stop"]])
