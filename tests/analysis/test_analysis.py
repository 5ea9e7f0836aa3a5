"""Report building blocks on the sample dataset, values checked by hand."""

import math

import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.analysis import campaigns, funnel
from b2bkit.metrics import prepare, sales_cycle_days_median


@pytest.fixture(scope="module")
def view():
    return prepare(sample_dataset())


def test_cohort_funnel_and_bottleneck(view) -> None:
    table = funnel.cohort_funnel(view, "2025-Q1")
    # L1..L4; MQL: L1-L3; SQL: L1, L3; opportunity: L1 (O1), L3 (O2); won: L1
    assert table["leads"].tolist() == [4, 3, 2, 2, 1]
    assert table["conversion"].tolist()[1:] == pytest.approx([3 / 4, 2 / 3, 1, 1 / 2])
    assert table["from_lead"].tolist()[-1] == 0.25
    # Wilson 1 of 2: centre 0.5, half-width 1.96 * sqrt(0.125 + 0.2401) / 2.9207 = 0.4055
    assert table[["low", "high"]].iloc[-1].round(4).tolist() == [0.0945, 0.9055]
    assert funnel.bottleneck_sentence(table, "2025-Q1", as_of=view.as_of) == (
        "Of the 4 leads created in 2025-Q1, 1 (25.0%) reached won as of 2025-03-15. The step "
        "that keeps the smallest share is opportunity → won: 50.0% (95% interval 9.5%–90.5%) "
        "of the leads that reached opportunity.")


def test_period_counts_are_labelled_and_explained(view) -> None:
    counts = funnel.period_counts(view, "2025-Q1")
    assert counts.attrs["title"] == "period counts (not a cohort)"
    assert counts.iloc[0][["leads", "mqls", "sqls"]].tolist() == [4, 3, 2]
    cohort = funnel.cohort_funnel(view, "2025-Q1")
    assert funnel.definitions_sentence(cohort, counts) == (
        "Two MQL → SQL figures, two definitions: the cohort's 66.7% is, of the leads created "
        "in the period that reached MQL, the share that reached SQL (or further); "
        "the period's MQL → SQL conversion 66.7% takes the leads that became MQL in the "
        "period, whenever they were created, and counts those that became SQL.")


def test_a_missing_rate_has_no_interval() -> None:
    # without sql_at (Olist's export) mql_to_sql_rate is missing, and so is its range
    ds = sample_dataset()
    ds.tables["leads"] = ds.tables["leads"].drop(columns="sql_at")
    counts = funnel.period_counts(prepare(ds), "2025-Q1").set_index("period")
    assert counts.loc["2025-Q1", "mqls"] == 3
    assert counts.loc["2025-Q1", ["mql_to_sql_rate", "mql_to_sql_low",
                                  "mql_to_sql_high"]].isna().tolist() == [True] * 3


def test_stage_durations(view) -> None:
    steps = funnel.stage_durations(view, "2025-Q1").set_index("step")
    # O1: opportunity 01-12 -> proposal 01-30 (18 d) -> won 02-11 (12 d);
    # O2: opportunity 02-21 -> lost (not a stage of the funnel); O3: 03-01 -> proposal 03-10 (9 d)
    assert steps.loc["opportunity → proposal", "deals"] == 2
    assert steps.loc["opportunity → proposal", "mean_days"] == pytest.approx((18 + 9) / 2)
    assert steps.loc["proposal → won", "median_days"] == 12


def test_channel_table_and_sentences(view) -> None:
    table = campaigns.channel_table(view, "2025-Q1").set_index("channel")
    assert table.loc["webinar", ["spend", "leads", "attributed_won_deals",
                                 "attributed_bookings"]].tolist() == [500.0, 2.0, 1.0, 1200.5]
    # webinar leads L1 (SQL) and L2 (none): 1 of 2, Wilson 95% = 0.0945 .. 0.9055
    assert table.loc["webinar", ["lead_quality", "lead_quality_low", "lead_quality_high"]
                     ].round(4).tolist() == [0.5, 0.0945, 0.9055]
    assert table.loc["webinar", "roi"] == pytest.approx((1200.5 - 500) / 500)
    assert table.loc["trade_show", "roi"] == -1.0
    text = campaigns.ranking_sentences(table.reset_index(), currency="EUR")
    assert text.startswith("Best return: webinar, ROI 140.1% (1,200.50 EUR booked from "
                           "500.00 EUR spent). Most money lost: trade_show, 3,000.00 EUR (ROI "
                           "-100.0%")
    shares = campaigns.share_table(table.reset_index()).set_index("channel")
    assert shares.loc["trade_show", "budget share"] == pytest.approx(3000 / 3500)


def _roi_rows(by: str, rows: list) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[by, "spend", "attributed_bookings", "roi"])


@pytest.mark.parametrize("by", ["channel", "campaign_id"])
def test_ties_are_broken_by_name_for_best_and_worst(by) -> None:
    table = _roi_rows(by, [["c", 100.0, 300.0, 2.0], ["a", 100.0, 300.0, 2.0],
                           ["(unknown)", 10.0, 500.0, 49.0], ["z", 50.0, 0.0, -1.0],
                           ["y", 80.0, 0.0, -1.0], ["idle", 0.0, 0.0, float("nan")]])
    assert campaigns.rank(table, by=by)[by].tolist() == ["a", "c", "y", "z"]
    text = campaigns.ranking_sentences(table, by=by)
    # a and c tie at the top; y loses 80, z 50: y lost the most money
    assert text == ("Best return: a and c, tied at ROI 200.0% (300.00 booked from 100.00 spent "
                    "each). Most money lost: y, 80.00 (ROI -100.0%: 0.00 booked from 80.00 "
                    "spent). Spend did not pay back in: y, z.")
    # a young period names no loser
    young = campaigns.ranking_sentences(table, by=by, age=0, period="2025-Q4")
    assert "did not pay back in" not in young and "Most money lost" not in young
    assert young.endswith("It is too early to say which spend did not pay back: the leads of "
                          "2025-Q4 are mature at 0 days only (a verdict needs 30).")
    assert campaigns.roi_title(table, "2025-Q1", by=by) == (
        "a returns the most per unit of spend (leads of 2025-Q1)")


def test_unknown_alone_is_not_ranked() -> None:
    table = _roi_rows("channel", [["(unknown)", 10.0, 500.0, 49.0], ["a", 10.0, 0.0, -1.0]])
    assert campaigns.ranking_sentences(table) == "Too few channel values with spend to rank them."


def test_the_worst_campaign_is_the_one_that_lost_most() -> None:
    # C024 at -100% lost 24,714; C016 at -80% lost 38,668: C016 is the worst
    table = pd.DataFrame({"campaign_id": ["C016", "C024", "C030"],
                          "campaign": ["Trade Show 2025 Q4", "Webinar 2025 Q4", "Referral"],
                          "spend": [48335.0, 24714.0, 100.0],
                          "attributed_bookings": [9667.0, 0.0, 500.0],
                          "roi": [9667 / 48335 - 1, -1.0, 4.0]})
    text = campaigns.ranking_sentences(table, by="campaign_id", currency="USD")
    assert "Most money lost: C016 (Trade Show 2025 Q4), 38,668.00 USD (ROI -80.0%" in text


def test_immature_share(view) -> None:
    young, cycle = campaigns.immature_share(view, "2025-Q1")
    # one won deal O1: first contact (lead L1) 01-05, closed 02-11 = 37 days, the catalogue's
    # median cycle; as_of 03-15: only L4 (03-15) is younger
    assert cycle == 37.0 == sales_cycle_days_median(view, "2025-Q1")
    assert young == pytest.approx(1 / 4)


def test_immature_share_counts_the_cycle_from_first_contact() -> None:
    # as_of 03-10: L1, L2, L3 are 64, 49 and 35 days old. From the opportunity's created_at
    # (01-12) the cycle was 30 days and no lead was younger; from first contact it is 37,
    # and L3 (02-03) is
    young, cycle = campaigns.immature_share(prepare(sample_dataset(), "2025-03-10"), "2025-Q1")
    assert (young, cycle) == (pytest.approx(1 / 3), 37.0)


def test_attendance_table(view) -> None:
    table = campaigns.attendance_table(view, "2025-Q1")
    assert table.to_dict("records") == [{"campaign_id": "C1", "campaign": "Spring webinar",
                                         "channel": "webinar", "attendance": 1}]
    assert isinstance(table, pd.DataFrame)


def test_leaderboard_and_coaching(view) -> None:
    from b2bkit.analysis import reps

    board = reps.leaderboard(view, "2025-Q1")
    assert board[["rep_id", "name", "team", "bookings", "won_deals"]].values.tolist() == [
        ["R1", "Ann", "North", 1200.5, 1], ["R2", "Bob", "South", 0.0, 0]]
    assert board["small_sample"].tolist() == [True, True]          # one closed deal each
    table = reps.coaching_table(view, board, "2025-Q1")
    # one deal each: no clear difference; but Bob has a quota of 2,000 and booked nothing
    assert table["named"].tolist() == ["", "coach"]
    assert reps.coaching_sentences(board, table=table) == (
        "Coach R2 (Bob): won 0 of 1 closed deals (0.0%, the rest of the team 100.0%; "
        "difference -100.0 pp, 95% interval -100.0 pp to +12.2 pp), 0.00 booked against a "
        "quota of 2,000.00. 1 other rep: no clear difference from the team (1 with fewer than "
        "5 closed deals).")
    assert reps.rep_labels(board).tolist() == ["Ann", "Bob"]
    assert reps.leaderboard(view, "2025-Q1", team="South")["rep_id"].tolist() == ["R2"]


def test_customer_states_and_sentence(view) -> None:
    from b2bkit.analysis import customers

    table = customers.states_table(view, "2025-03")
    # S = A1 (first order 02-11), N = 0, L = 0, E = A1
    assert table["value"].tolist() == [1.0, 0.0, 0.0, 1.0, 1.0, 0.0]
    assert customers.states_sentence(table, "2025-03") == (
        "Retention (E − N)/S is 100.0% while 1 − churn is 100.0%. No customer was won and "
        "lost inside the period, so the two agree.")
    assert customers.young_cohorts(pd.DataFrame([[1.0, 0.5, 0.2], [1.0, None, None]],
                                                index=["a", "b"])) == ["b"]


def _coaching_view():
    """R1 won 8 of 10, R2 won 2 of 10, R3 has a quota of 1,000 for 2025-Q1 and closed nothing."""
    from tests.metrics._build import build

    rep = ["R1"] * 10 + ["R2"] * 10
    status = ["won"] * 8 + ["lost"] * 2 + ["won"] * 2 + ["lost"] * 8
    return prepare(build(
        reps={"rep_id": ["R1", "R2", "R3"], "name": ["Ann", "Bob", "Cy"]},
        quotas={"rep_id": ["R3"], "period_start": ["2025-01-01"], "period_end": ["2025-03-31"],
                "quota": [1000.0]},
        opportunities={"opportunity_id": [f"O{i}" for i in range(20)],
                       "created_at": ["2025-01-02"] * 20, "closed_at": ["2025-02-01"] * 20,
                       "status": status, "amount": [100.0] * 20, "rep_id": rep,
                       "account_id": [f"A{i}" for i in range(20)]}))


def test_coaching_names_only_clear_differences() -> None:
    from b2bkit.analysis import reps

    view = _coaching_view()
    board = reps.leaderboard(view, "2025-Q1")
    table = reps.coaching_table(view, board, "2025-Q1").set_index("rep_id")
    # R1 8/10 against the rest 2/10 (R2; R3 closed none): difference +0.6. Two reps judged
    # (10 closed deals each), so each interval is at 1 - 0.05 / 2 = 97.5%: z = 2.24140,
    # z^2 / n = 0.502389. Wilson for 8/10: centre (0.8 + 0.251194) / 1.502389 = 0.699682,
    # half-width 2.24140 * sqrt(0.016 + 0.012560) / 1.502389 = 0.252126 -> (0.447556,
    # 0.951808); for 2/10 the mirror (0.048192, 0.552444). Newcombe:
    # low = 0.6 - sqrt((0.8 - 0.447556)^2 + (0.552444 - 0.2)^2) = 0.6 - 0.498431 = 0.101569;
    # high = 0.6 + sqrt((0.951808 - 0.8)^2 + (0.2 - 0.048192)^2) = 0.6 + 0.214689 = 0.814689
    assert table.attrs["level"] == 0.975
    assert round(table.loc["R1", "difference"], 4) == 0.6
    assert round(table.loc["R1", "low"], 4) == 0.1016
    assert round(table.loc["R1", "high"], 4) == 0.8147
    assert round(table.loc["R2", "high"], 4) == -0.1016
    assert table["named"].to_dict() == {"R1": "learn from", "R2": "coach", "R3": "coach"}
    text = reps.coaching_sentences(board, table=table.reset_index(), currency="EUR")
    assert text == (
        "Learn from R1 (Ann): won 8 of 10 closed deals (80.0%, the rest of the team 20.0%; "
        "difference +60.0 pp, 97.5% interval +10.2 pp to +81.5 pp), 800.00 EUR booked. "
        "Coach R2 (Bob): won 2 of 10 closed deals (20.0%, the rest of the team 80.0%; "
        "difference -60.0 pp, 97.5% interval -81.5 pp to -10.2 pp), 200.00 EUR booked. "
        "Coach R3 (Cy): closed no deal, 0.00 EUR booked against a quota of 1,000.00 EUR.")


def test_unknown_rep_is_shown_last_and_never_coached() -> None:
    from b2bkit.analysis import reps

    view = _coaching_view()
    board = pd.DataFrame({"rep_id": ["R1", "R2", "(unknown)"], "win_rate": [0.8, 0.2, 0.9],
                          "quota_attainment": [1.0, 0.5, float("nan")],
                          "bookings": [10.0, 5.0, 50.0], "closed_deals": [10.0, 10.0, 10.0],
                          "small_sample": [False, False, False]})
    table = reps.coaching_table(view, board, "2025-Q1")
    assert table["rep_id"].tolist() == ["R1", "R2"]   # (unknown) never compared or named


def test_scorecard_compares_lead_cohorts_at_the_same_age() -> None:
    from b2bkit.analysis.scorecard import scorecard

    young = scorecard(prepare(sample_dataset()), "2025-Q1", {}).set_index("metric")
    # as_of 2025-03-15: Q1 has not ended, too early to compare
    assert math.isnan(young.loc["lead_conversion_rate", "previous"])
    assert young.loc["lead_conversion_rate", "status"] == "too early to judge"
    assert young.loc["lead_conversion_rate", "note"] == (
        "too early to compare: 2025-Q1 is mature at 0 days (needs 30)")
    older = scorecard(prepare(sample_dataset(), "2025-06-30"), "2025-Q1", {}).set_index("metric")
    # Q1 ends 03-31: mature at 91 days; L1 and L3 had their opportunity within 18 days
    assert older.loc["lead_conversion_rate", "value"] == 0.5
    assert older.loc["lead_conversion_rate", "note"] == (
        "value, previous and change on one basis: what each period's leads did within 91 days "
        "of their creation")
    assert older.loc["win_rate", "note"] == ""


def test_durations_note_says_why_no_step_is_timed(view) -> None:
    from dataclasses import replace

    assert funnel.durations_note(view, "2024-Q1") == "no step was completed in 2024-Q1."
    renamed = replace(view, settings=replace(view.settings, stages=("Prospección", "Cerrada")))
    assert funnel.stage_durations(renamed, "2025-Q1").empty
    assert funnel.durations_note(renamed, "2025-Q1") == (
        "the stage history's stage names ('lost', 'opportunity', 'proposal', ...) are not in the "
        "funnel order, `stages` of dataset.toml (Prospección, Cerrada), so no step can be "
        "timed; list the export's stages there in order.")
    no_history = replace(view, tables={k: v for k, v in view.tables.items()
                                       if k != "stage_history"})
    assert funnel.durations_note(no_history, "2025-Q1") == (
        "the dataset has no stage history.")
