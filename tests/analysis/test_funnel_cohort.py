"""The cohort funnel on an Olist-like export: no SQL stage, only won deals, amounts 0."""

import pytest

from b2bkit.analysis import funnel
from b2bkit.metrics import prepare
from tests.metrics._build import build

# 10 MQLs created in January 2018 (Olist's marketing-qualified leads: mql_at = created_at),
# no sql_at column, 3 closed deals (all won, amount 0), like 3,343 leads and 333 wins.
DAYS = [f"2018-01-{d:02d}" for d in range(1, 11)]


@pytest.fixture(scope="module")
def olist():
    ds = build(
        {"as_of": "2018-03-31", "currency": "BRL"},
        leads={"lead_id": [f"M{i}" for i in range(10)], "created_at": DAYS, "mql_at": DAYS,
               "channel": ["paid_search"] * 5 + ["organic_search"] * 4 + [""]},
        opportunities={"opportunity_id": ["D1", "D2", "D3"], "lead_id": ["M0", "M5", "M9"],
                       "created_at": ["2018-01-20", "2018-01-25", "2018-02-01"],
                       "closed_at": ["2018-02-01", "2018-02-10", "2018-02-15"],
                       "status": ["won", "won", "won"], "account_id": ["S1", "S2", "S3"],
                       "amount": ["0", "0", "0"]})
    return prepare(ds)


def test_missing_stage_is_skipped_and_spanned(olist) -> None:
    stages, skipped = funnel.recorded_stages(olist)
    assert stages == ["lead", "mql", "opportunity", "won"]
    assert skipped == {"sql": "the leads carry no SQL dates"}
    table = funnel.cohort_funnel(olist, "2018-Q1").set_index("stage")
    assert table["leads"].tolist()[:2] == [10, 10]
    assert table.loc["opportunity", "conversion"] == 0.3  # mql -> opportunity across sql
    assert table.loc["won", "from_lead"] == 0.3
    assert table.loc["sql", "note"] == (
        "not recorded (the leads carry no SQL dates): skipped, the next conversion spans it")


def test_bottleneck_sentence_is_true(olist) -> None:
    table = funnel.cohort_funnel(olist, "2018-Q1")
    # Wilson 3 of 10: centre 0.4921 / 1.3841 = 0.3555, half-width 0.2477 -> 10.8% .. 60.3%
    text = funnel.bottleneck_sentence(table, "2018-Q1", as_of=olist.as_of)
    assert text == (
        "Of the 10 leads created in 2018-Q1, 3 (30.0%) reached won as of 2018-03-31 (sql not "
        "recorded in this dataset: the steps span it). The step that keeps the smallest share "
        "is mql → opportunity: 30.0% (95% interval 10.8%–60.3%) of the leads that reached mql.")
    assert "no step" not in text.lower()


def test_amounts_missing_caveat(olist) -> None:
    assert funnel.amount_caveat(olist, "2018-Q1") == (
        "Caution: in 2018-Q1 every closed deal is won and the average deal is 0.00 BRL: the "
        "dataset records no lost deals and no amounts, so the win rate and the deal size say "
        "nothing about performance.")


def test_by_group_keeps_unknown_last(olist) -> None:
    table = funnel.funnel_by(olist, "2018-Q1", "channel")
    assert table["channel"].tolist() == ["organic_search", "paid_search", "(unknown)"]
    # organic M5..M8: one win (M5) of 4; paid M0..M4: one (M0) of 5; unknown M9: won
    assert table["lead → won"].tolist() == [0.25, 0.2, 1.0]


def test_step_changes_too_early(olist) -> None:
    assert funnel.step_changes(olist, "2018-Q1") == [
        "Too early to compare the cohorts of 2018-Q1 and 2017-Q4: 2018-Q1 is mature at 0 "
        "days only (a comparison needs 30)."]


def test_quality_ranking_leaves_unknown_out() -> None:
    import pandas as pd

    table = pd.DataFrame({"channel": ["b", "a", "(unknown)"], "lead quality": [0.2, 0.2, 0.9]})
    assert funnel.quality_ranking(table, "channel").index.tolist() == ["a", "b"]


def test_one_lead_is_one_lead() -> None:
    import pandas as pd

    from b2bkit.load.dataset import from_frames

    leads = pd.DataFrame({"lead_id": ["L1"], "created_at": pd.to_datetime(["2025-02-01"]),
                          "channel": ["ads"]})
    view = prepare(from_frames({"leads": leads}))
    table = funnel.cohort_funnel(view, "2025-Q1")
    text = funnel.bottleneck_sentence(table, "2025-Q1")
    assert text.startswith("Of the 1 lead created in 2025-Q1,")
