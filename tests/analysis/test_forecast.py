"""The pipeline forecast, on a pipeline small enough to work out by hand.

Closed deals (stage a entered on created_at; durations are days from entering a stage):

    deal  rep  created     b entered   closed      status  amount  a-days  b-days
    C1    R1   2025-01-01  2025-01-11  2025-01-21  won     300     20      10
    C2    R2   2025-02-01  -           2025-02-11  lost    -       10      -
    C3    R2   2025-03-01  2025-03-06  2025-03-16  won     500     15      10
    C4    R1   2025-04-01  2025-04-05  2025-04-25  lost    -       24      20
    C5    R1   2025-04-10  2025-04-20  2025-05-10  won     1000    30      20

Open on 2025-06-30 (the forecast of 2025-Q3 made at its start):

    X1  R1  a since 2025-06-20 (10 days)  1000   probability 0.3  expected_close 2025-06-01
    X2  R2  b since 2025-06-25 (5 days)   2000   probability 0.5  expected_close 2025-07-15
    X3  R1  a since 2025-06-29 (1 day)    4000   probability 0.2  expected_close 2025-09-01
    X4  R2  b since 2025-03-01 (121 days)  500   no probability   no expected_close

k = 5. Overall rate p0 = 3 won / 5 closed = 0.6. Stage a: 5 closed, 3 won:
(3 + 5 x 0.6) / (5 + 5) = 0.6. Stage b: 4 closed, 3 won: (3 + 3) / 9 = 2/3.

X1: deals still open 10 days into a: C1, C3, C4, C5 (4), won 3: (3 + 5 x 0.6) / 9 = 2/3;
    the 3 won ones close 10, 5 and 20 days later, inside Q3's 92 days: q = (3 + 5 x 1) / 8 = 1.
X2: 5 days into b: all 4 of b still open, 3 won: (3 + 5 x 2/3) / 9 = 19/27; q = 1.
X3: 1 day into a: all 5, 3 won: (3 + 3) / 10 = 0.6; q = 1.
X4: no deal stayed 121 days in b, nor won after so long in any stage: p = 2/3, q = 0.
New deals: created and won inside 2025-Q2: C5 1000; inside 2025-Q1: C1 + C3 = 800;
2024-Q4 ends before the first deal: run rate (1000 + 800) / 2 = 900 (3 deals / 2 periods).

Expected Q3 = 1000 x 2/3 + 2000 x 19/27 + 4000 x 0.6 + 0 + 900 = 5374.07.
"""

import numpy as np
import pandas as pd
import pytest

from b2bkit.analysis import forecast as fc
from b2bkit.metrics import weighted_pipeline

from ..metrics._build import build

OPPS = dict(
    opportunity_id=["C1", "C2", "C3", "C4", "C5", "X1", "X2", "X3", "X4"],
    created_at=["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-04-10",
                "2025-06-20", "2025-06-15", "2025-06-29", "2025-02-15"],
    status=["won", "lost", "won", "lost", "won", "open", "open", "open", "open"],
    amount=[300, None, 500, None, 1000, 1000, 2000, 4000, 500],
    account_id=["A1", None, "A1", None, "A1", None, None, None, None],
    rep_id=["R1", "R2", "R2", "R1", "R1", "R1", "R2", "R1", "R2"],
    closed_at=["2025-01-21", "2025-02-11", "2025-03-16", "2025-04-25", "2025-05-10",
               None, None, None, None],
    expected_close=[None, None, None, None, None, "2025-06-01", "2025-07-15", "2025-09-01",
                    None],
    probability=[1, 0, 1, 0, 1, 0.3, 0.5, 0.2, None],
)
HISTORY = dict(
    opportunity_id=["C1", "C1", "C2", "C3", "C3", "C4", "C4", "C5", "C5", "X1", "X2", "X2",
                    "X3", "X4", "X4"],
    stage=["a", "b", "a", "a", "b", "a", "b", "a", "b", "a", "a", "b", "a", "a", "b"],
    entered_at=["2025-01-01", "2025-01-11", "2025-02-01", "2025-03-01", "2025-03-06",
                "2025-04-01", "2025-04-05", "2025-04-10", "2025-04-20", "2025-06-20",
                "2025-06-15", "2025-06-25", "2025-06-29", "2025-02-15", "2025-03-01"],
)
FORECASTS = dict(rep_id=[None, "R1"], period_start=["2025-04-01", "2025-04-01"],
                 period_end=["2025-06-30", "2025-06-30"], forecast_amount=[900, 600])
EXPECTED_Q3 = 1000 * 2 / 3 + 2000 * 19 / 27 + 4000 * 0.6 + 900


@pytest.fixture(scope="module")
def ds():
    return build(settings={"as_of": "2025-06-30", "currency": "EUR"},
                 accounts=dict(account_id=["A1"]), opportunities=OPPS,
                 stage_history=HISTORY, forecasts=FORECASTS)


@pytest.fixture(scope="module")
def view(ds):
    return fc.forecast_view(ds, "2025-06-30")


def test_stage_rates_shrink_towards_the_overall_rate(view) -> None:
    rates = fc.stage_rates(view)
    assert rates.loc["a", ["entered", "closed", "won"]].tolist() == [9.0, 5.0, 3.0]
    assert rates.loc["a", "rate"] == pytest.approx(0.6)
    assert rates.loc["b", "raw_rate"] == pytest.approx(3 / 4)
    assert rates.loc["b", "rate"] == pytest.approx(2 / 3)
    # k = 0: no shrinkage, the raw rate
    assert fc.stage_rates(view, k=0).loc["b", "rate"] == pytest.approx(3 / 4)


def test_deal_probabilities_by_hand(view) -> None:
    deals = fc.deal_probabilities(view, "2025-Q3").set_index("opportunity_id")
    assert deals["stage"].to_dict() == {"X1": "a", "X2": "b", "X3": "a", "X4": "b"}
    assert deals["days_in_stage"].tolist() == [10.0, 5.0, 1.0, 121.0]
    assert deals["p_win"].tolist() == pytest.approx([2 / 3, 19 / 27, 0.6, 2 / 3])
    assert deals["p_in_window"].tolist() == pytest.approx([1, 1, 1, 0])
    assert deals["expected"].sum() == pytest.approx(1000 * 2 / 3 + 2000 * 19 / 27 + 2400)


def test_window_outside_the_remaining_days(view) -> None:
    # a one-week period: X1's won peers closed 5..20 days after its 10 days; only the
    # 5 days of C3 (day 15 of a) fall in July 1-7: c = 1 of m = 3; pool: C3 a 15 -> 5 days,
    # of 4 won pairs longer than 10 days (a 20, 15, 30; b 20): q = (1 + 5 x 1/4) / (3 + 5)
    deals = fc.deal_probabilities(view, "2025-07-01..2025-07-07").set_index("opportunity_id")
    assert deals.loc["X1", "p_in_window"] == pytest.approx((1 + 5 * 0.25) / 8)


def test_forecast_expected_value_and_the_simulation_mean(view) -> None:
    result = fc.forecast(view, "2025-Q3", simulations=20000, seed=3)
    assert result.basis == "stage_history"
    assert result.booked == 0
    assert result.new_expected == pytest.approx(900)
    assert result.run_rate_periods == ["2025-Q2", "2025-Q1"]
    assert result.expected == pytest.approx(EXPECTED_Q3)
    assert abs(result.simulated_mean - result.expected) < 4 * result.std_error
    assert result.low < result.expected < result.high
    # the CRM's figure beside it: X1..X3 (X4 has no probability), and those closing in Q3
    assert result.crm_weighted == pytest.approx(300 + 1000 + 800)
    assert result.crm_weighted_in_period == pytest.approx(1000 + 800)
    assert result.notes == ["CRM-weighted: 1 open deal without a probability left out"]


def test_interval_equals_the_exact_convolution_of_three_deals(view) -> None:
    result = fc.forecast(view, "2025-Q3", simulations=20000, seed=7, run_rate_periods=0)
    deals = result.deals[result.deals["p"] > 0]
    assert len(deals) == 3
    exact = fc.exact_distribution(deals["amount"].to_numpy(), deals["p"].to_numpy())
    # no atom of the CDF within 0.01 of 0.1 or 0.9: the simulated quantile is unambiguous
    assert (np.abs(exact["cdf"].to_numpy()[:, None] - [0.1, 0.9]) > 0.01).all()
    assert (result.low, result.high) == (fc.exact_quantile(exact, 0.1),
                                         fc.exact_quantile(exact, 0.9))
    assert (exact["total"] * exact["probability"]).sum() == pytest.approx(result.expected)


def test_simulate_is_seeded() -> None:
    one = fc.simulate(np.array([1.0, 2.0]), np.array([0.5, 0.5]), simulations=50, seed=1)
    assert np.array_equal(one, fc.simulate(np.array([1.0, 2.0]), np.array([0.5, 0.5]),
                                           simulations=50, seed=1))


def test_contributions_sum_to_the_expected(view) -> None:
    result = fc.forecast(view, "2025-Q3")
    by_stage = fc.contributions(result, "stage").set_index("stage")["expected"]
    assert by_stage.to_dict() == pytest.approx({
        "a": 1000 * 2 / 3 + 2400, "b": 2000 * 19 / 27, "booked": 0, "new deals": 900})
    by_rep = fc.contributions(result, "rep_id").set_index("rep_id")["expected"]
    # new deals per rep: R1 (C5 1000 + C1 300) / 2, R2 C3 500 / 2
    assert by_rep.to_dict() == pytest.approx({"R1": 1000 * 2 / 3 + 2400 + 650,
                                              "R2": 2000 * 19 / 27 + 250})
    assert by_rep.sum() == pytest.approx(result.expected)


def test_without_stage_history_the_deals_age_is_the_clock(ds) -> None:
    tables = {k: v for k, v in ds.tables.items() if k != "stage_history"}
    from dataclasses import replace
    view = fc.forecast_view(replace(ds, tables=tables, links={}), "2025-06-30")
    result = fc.forecast(view, "2025-Q3")
    assert result.basis == "age"
    deals = result.deals.set_index("opportunity_id")
    assert deals.loc["X1", "p_win"] == pytest.approx(2 / 3)   # as stage a: a starts at created
    assert deals.loc["X1", "stage"] == "(all deals)"


def test_a_deal_won_before_as_of_is_booked(ds) -> None:
    view = fc.forecast_view(ds, "2025-05-15")
    result = fc.forecast(view, "2025-Q2")
    assert result.booked == 1000            # C5 won 2025-05-10
    assert result.expected >= 1000


def test_backtest_by_hand(ds) -> None:
    # Q1: cut at 2024-12-31, nothing had closed: skipped. Q2, cut at 2025-03-31: X4 (b for
    # 30 days, no deal stayed so long) adds 0; the run rate of Q1 is C1 + C3 = 800; actual
    # Q2 = C5 1000; the team said 900, R1 600
    result = fc.backtest(ds, "2025-Q3", periods=2)
    assert result.skipped == ["2025-Q1: no deal had closed before it started"]
    row = result.table.iloc[0]
    assert row["period"] == "2025-Q2"
    assert row["expected"] == pytest.approx(800)
    assert row["actual"] == 1000
    assert row["abs_pct_error"] == pytest.approx(0.2)
    assert row["team_forecast"] == 900 and row["team_abs_pct_error"] == pytest.approx(0.1)
    assert result.mape == pytest.approx(0.2) and result.team_mape == pytest.approx(0.1)
    assert bool(row["inside"]) == bool(row["low"] <= 1000 <= row["high"])
    scores = fc.rep_scores(result).set_index("rep_id")
    # R1: own 600 vs 1000 -> 0.4; the model's R1 share: C1's 300 -> 0.7
    assert scores.loc["R1", ["rep_mape", "model_mape"]].tolist() == pytest.approx([0.4, 0.7])
    assert scores.loc["R1", "better"] == "rep"
    assert "the team forecasts better" in fc.trust_sentence(result)
    assert "too few to judge" in fc.trust_sentence(result)


def test_backtest_leaves_out_the_probability() -> None:
    assert "probability column holds today's value" in fc.NOT_BACKTESTED


def test_slippage(view) -> None:
    late, text = fc.slippage(view)
    assert late["opportunity_id"].tolist() == ["X1"]
    assert late["days_overdue"].tolist() == [29.0]
    assert text.startswith("1 of 4 open deals are past their expected close on 2025-06-30 "
                           "(median 29 days): they hold 1,000.00 EUR, 300.00 EUR at the "
                           "CRM's probabilities")
    assert "cannot be shown" in text


def test_crm_weighted_agrees_with_the_catalogue(ds, view) -> None:
    result = fc.forecast(view, "2025-Q3")
    assert weighted_pipeline(ds, "2025-Q2") == pytest.approx(result.crm_weighted)


def test_no_closed_deal_is_said(ds) -> None:
    view = fc.forecast_view(ds, "2025-01-10")
    result = fc.forecast(view, "2025-Q1")
    assert "no deal had closed by 2025-01-10: nothing to learn from" in result.notes
    assert not pd.isna(result.expected)


def test_shared_shock_and_overdispersed_counts_keep_the_expectation() -> None:
    amounts, probabilities = np.array([1000.0, 2000.0, 500.0]), np.array([0.3, 0.6, 0.9])
    new = np.array([100.0, 300.0])          # mean new deal 200, 2.5 deals a period
    totals = fc.simulate(amounts, probabilities, simulations=40000, seed=11, new_rate=2.5,
                         new_amounts=new, new_variance=6.0, shock_cv=0.3)
    exact = 1000 * 0.3 + 2000 * 0.6 + 500 * 0.9 + 2.5 * 200
    assert abs(totals.mean() - exact) < 4 * totals.std(ddof=1) / np.sqrt(len(totals))
    plain = fc.simulate(amounts, probabilities, simulations=40000, seed=11, new_rate=2.5,
                        new_amounts=new)
    assert totals.std() > plain.std()       # both terms widen the spread


def test_report_of_a_period_that_is_over(ds, view) -> None:
    # 2025-Q2 is over on 2025-06-30: the forecast made on 2025-03-31 beside the actual
    # (C5 1000), the team's 900; the outlook is 2025-Q3 from 2025-06-30
    report = fc.forecast_report(ds, view, "2025-Q2", periods=2)
    assert not report.live
    assert report.forecast.as_of == pd.Timestamp("2025-03-31")
    assert report.forecast.expected == pytest.approx(800)
    assert (report.actual, report.team_forecast) == (1000, 900)
    assert report.outlook.expected == pytest.approx(EXPECTED_Q3)
    table = fc.headline(report).set_index("figure")["value"]
    assert table["actual bookings"] == 1000
    assert "CRM-weighted, all open deals" not in table   # not today's data: not shown
    text = fc.headline_sentence(report, currency="EUR")
    assert text.startswith("Made at the start of 2025-Q2 (data as of 2025-03-31), the "
                           "forecast was 800.00 EUR")
    assert "1,000.00 EUR was booked: the forecast was 20.0% below the actual" in text
    assert fc.outlook_sentence(report, currency="EUR").startswith(
        "Next: Seen from 2025-06-30, 2025-Q3 should book about 5,374.07 EUR")
    assert report.backtest.skipped == ["2024-Q4: no deal had closed before it started",
                                       "2025-Q1: no deal had closed before it started"]


def test_report_of_a_live_period(ds, view) -> None:
    report = fc.forecast_report(ds, view, "2025-Q3", periods=2)
    assert report.live and report.outlook is None and np.isnan(report.actual)
    table = fc.headline(report).set_index("figure")["value"]
    assert table["CRM-weighted, closing in the period"] == pytest.approx(1800)
    assert "actual bookings" not in table
    shown = fc.backtest_display(report.backtest)
    assert shown["model error"].tolist() == pytest.approx([-0.2])
    assert shown["team error"].tolist() == pytest.approx([-0.1])
    assert fc.team_sentence(report.backtest, fc.rep_scores(report.backtest)).startswith(
        "Over the backtest periods the team's own forecast missed by 10.0% on average, the "
        "model by 20.0%: the team forecasts better. 1 of 1 reps")


def test_before_the_first_deal_everything_is_zero_and_said(ds) -> None:
    view = fc.forecast_view(ds, "2024-12-15")
    result = fc.forecast(view, "2025-Q1")
    assert result.expected == 0 and len(result.deals) == 0
    assert result.notes[0] == "no deal had closed by 2024-12-15: nothing to learn from"


def test_many_new_deals_are_summed_by_the_central_limit_with_the_same_mean() -> None:
    new = np.array([100.0, 300.0, 500.0])   # mean 300
    totals = fc.simulate(np.array([]), np.array([]), simulations=20000, seed=2,
                         new_rate=fc.LARGE_COUNT * 2, new_amounts=new)
    exact = fc.LARGE_COUNT * 2 * 300
    assert abs(totals.mean() - exact) < 4 * totals.std(ddof=1) / np.sqrt(len(totals))
    # variance of a compound Poisson sum: lambda E[A^2]
    assert totals.var() == pytest.approx(fc.LARGE_COUNT * 2 * (new ** 2).mean(), rel=0.05)
