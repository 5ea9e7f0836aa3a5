"""Every table a report notebook shows carries its units (``attrs["units"]``), and keeps them
through what the notebooks do to it; the notebooks pass no unit dicts of their own.

The expected units are those the notebooks passed to ``nb.readable`` before the tables
carried them, so the rendered numbers are the same.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit import load_dataset
from b2bkit.analysis import campaigns, customers, funnel, review, scorecard, with_units
from b2bkit.analysis import forecast as fc
from b2bkit.analysis import reps as rp
from b2bkit.metrics import cohorts, prepare
from b2bkit.reports import notebook as nb

ROOT = Path(__file__).parents[2]
PERIOD = "2025-Q4"

CHANNEL = {"spend": "currency", "cpl": "currency", "cost_per_sql": "currency",
           "attributed_bookings": "currency", "roi": "rate",
           "marketing_cost_per_new_customer": "currency",
           "leads": "count", "sqls": "count", "attributed_won_deals": "count",
           "lead_quality": "rate", "lead_quality_low": "rate", "lead_quality_high": "rate"}
CLV = {"arpa": "currency", "gross_margin": "rate", "lifetime_years": "ratio", "clv": "currency"}
CLV_BY_CHANNEL = {**CLV, "marketing_cost_per_new_customer": "currency",
                  "clv_to_marketing_cost": "ratio", "marketing_payback_months": "months"}
BOARD = {"bookings": "currency", "won_deals": "count", "win_rate": "rate",
         "avg_deal_size": "currency", "sales_cycle_days": "days", "quota_attainment": "rate",
         "selling_time_share": "rate", "forecast_accuracy": "rate", "closed_deals": "count",
         "bookings_previous": "currency", "bookings_change": "currency_change",
         "win_rate_previous": "rate", "win_rate_change": "rate_change"}
COACHING = {"won": "count", "closed_deals": "count", "win_rate": "rate",
            "rest of the team's win rate": "rate", "difference": "rate_change",
            "interval low": "rate_change", "interval high": "rate_change",
            "quota": "currency", "bookings": "currency"}
CONTRIBUTIONS = {"deals": "count", "amount": "currency", "expected": "currency"}


@pytest.fixture(scope="module")
def demo():
    ds = load_dataset(ROOT / "data" / "demo")
    return ds, prepare(ds)


@pytest.fixture(scope="module")
def report(demo):
    ds, view = demo
    return fc.forecast_report(ds, view, PERIOD, periods=2, simulations=500)


def _board(view):
    return rp.leaderboard(view, PERIOD)


#: name -> (the table as the notebook shows it, its expected units).
CASES: dict[str, tuple[Callable, dict[str, str]]] = {
    "campaigns.channel_table": (lambda ds, v, r: campaigns.channel_table(v, PERIOD), CHANNEL),
    "campaigns.channel_table by campaign": (
        lambda ds, v, r: campaigns.channel_table(v, PERIOD, by="campaign_id"),
        {k: u for k, u in CHANNEL.items() if k != "marketing_cost_per_new_customer"}),
    "campaigns.share_table": (
        lambda ds, v, r: campaigns.share_table(campaigns.channel_table(v, PERIOD)),
        {"budget share": "rate", "bookings share": "rate"}),
    "review.projection_shown": (
        lambda ds, v, r: review.projection_shown(review.projection_table(v, PERIOD)), {}),
    "review.decision_shown": (
        lambda ds, v, r: review.decision_shown(review.decision_table(v, "2025-Q3"), "USD"), {}),
    "review.verdict_changes": (
        lambda ds, v, r: review.verdict_changes(
            v, review.decision_table(v, "2025-Q3"), "2025-Q2",
            review.rules_for(v, "2025-Q3", None, "2025-Q2")), {}),
    "customers.cohort_table": (
        lambda ds, v, r: customers.cohort_table(cohorts.cohort_matrix(
            v.tables["orders"], grain="quarter", measure="revenue", as_of=v.as_of), "rate"), {}),
    "customers.states_table": (lambda ds, v, r: customers.states_table(v, PERIOD), {}),
    "customers.clv_table by segment": (
        lambda ds, v, r: customers.clv_table(v, PERIOD, by="segment"), CLV),
    "customers.clv_table by channel": (
        lambda ds, v, r: customers.clv_table(v, PERIOD, by="channel"), CLV_BY_CHANNEL),
    "customers.predictive_section": (
        lambda ds, v, r: customers.predictive_section(v).table,
        {"customers": "count", "p_alive": "rate", "expected_purchases": "ratio",
         "expected_spend": "currency", "expected_value": "currency"}),
    "customers.nps_by": (lambda ds, v, r: customers.nps_by(v, PERIOD, "segment"),
                         {"nps": "score"}),
    "customers.nps_churn": (lambda ds, v, r: customers.nps_churn(v)[0], {"churn share": "rate"}),
    "funnel.cohort_funnel": (
        lambda ds, v, r: funnel.cohort_funnel(v, PERIOD),
        {"leads": "count", "conversion": "rate", "low": "rate", "high": "rate",
         "from_lead": "rate"}),
    "funnel.period_counts": (
        lambda ds, v, r: funnel.period_counts(v, PERIOD),
        {"leads": "count", "mqls": "count", "sqls": "count", "mql_to_sql_rate": "rate",
         "mql_to_sql_low": "rate", "mql_to_sql_high": "rate"}),
    "funnel.funnel_by": (
        lambda ds, v, r: funnel.funnel_by(v, PERIOD, "channel"),
        {"lead": "count", "mql": "count", "sql": "count", "opportunity": "count",
         "won": "count", "lead → won": "rate", "low": "rate", "high": "rate",
         "lead quality": "rate"}),
    "funnel.stage_durations": (
        lambda ds, v, r: funnel.stage_durations(v, PERIOD),
        {"mean_days": "days", "median_days": "days"}),
    "funnel.summary_table": (lambda ds, v, r: funnel.summary_table(v, PERIOD, ["win_rate"]), {}),
    "scorecard.shown": (
        lambda ds, v, r: scorecard.shown(scorecard.scorecard(v, PERIOD), "USD"), {}),
    "scorecard.history": (
        lambda ds, v, r: scorecard.history(v, PERIOD, ("win_rate", "roi", "cpl"), periods=2),
        {"win_rate": "rate", "roi": "ratio", "cpl": "currency"}),
    "forecast.headline": (lambda ds, v, r: fc.headline(r), {"value": "currency"}),
    "forecast.stages": (
        lambda ds, v, r: r.forecast.stages.reset_index(),
        {"entered": "count", "closed": "count", "won": "count", "raw_rate": "rate",
         "rate": "rate"}),
    "forecast.contributions by stage": (lambda ds, v, r: fc.contributions(r.forecast, "stage"),
                                        CONTRIBUTIONS),
    "forecast.contributions by rep": (lambda ds, v, r: fc.contributions(r.forecast, "rep_id"),
                                      CONTRIBUTIONS),
    "forecast.backtest_display": (
        lambda ds, v, r: fc.backtest_display(r.backtest),
        {"expected": "currency", "low": "currency", "high": "currency", "actual": "currency",
         "model error": "rate", "team forecast": "currency", "team error": "rate"}),
    "forecast.rep_scores": (
        lambda ds, v, r: fc.rep_scores(r.backtest),
        {"periods": "count", "actual": "currency", "rep_mape": "rate", "model_mape": "rate"}),
    "forecast.slippage": (
        lambda ds, v, r: fc.slippage(fc.forecast_view(ds, v.as_of))[0],
        {"days_overdue": "count", "amount": "currency", "probability": "rate", "p_win": "rate"}),
    "reps.leaderboard": (lambda ds, v, r: _board(v), BOARD),
    "reps.board_shown": (lambda ds, v, r: rp.board_shown(rp.shown_reps(_board(v)).table),
                         {k: u for k, u in BOARD.items() if not k.endswith("_previous")}),
    "reps.coaching_shown": (
        lambda ds, v, r: rp.coaching_shown(rp.coaching_table(v, _board(v), PERIOD), _board(v)),
        COACHING),
}

#: Tables whose cells are their display text: no number column, nothing to format.
TEXT = ("review.projection_shown", "review.decision_shown", "review.verdict_changes",
        "customers.cohort_table", "funnel.summary_table", "scorecard.shown")


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_shown_table_carries_its_units(name, demo, report) -> None:
    make, expected = CASES[name]
    table = make(*demo, report)
    assert len(table), "an empty table proves nothing"
    assert table.attrs["units"] == expected


#: Integer columns the notebooks have always shown as they are (a "count" unit would add a
#: thousands separator from 1,000 on and realign the plain-text output).
AS_THEY_ARE = {"deals", "accounts", "churned"}


@pytest.mark.parametrize("name", sorted(set(CASES) - set(TEXT) - {"customers.states_table"}))
def test_every_number_column_has_a_unit(name, demo, report) -> None:
    make, _ = CASES[name]
    table = make(*demo, report)
    numbers = set(table.select_dtypes("number").columns) - set(table.attrs["units"])
    assert numbers <= AS_THEY_ARE


@pytest.mark.parametrize("name", TEXT)
def test_a_table_without_units_is_text(name, demo, report) -> None:
    table = CASES[name][0](*demo, report)
    assert table.select_dtypes("number").columns.tolist() == []


def test_decision_table_and_customers_at_risk_carry_units(demo) -> None:
    view = demo[1]
    table = review.decision_table(view, "2025-Q3")
    units = table.attrs["units"]
    assert units["roi_at_d"] == "rate" and units["roi_change_at_d"] == "rate_change"
    assert set(table.select_dtypes("number").columns) <= set(units)
    risk = customers.customers_at_risk(view, top=5)
    assert risk.attrs["units"] == customers.AT_RISK_UNITS
    assert set(risk.select_dtypes("number").columns) <= set(customers.AT_RISK_UNITS)


def test_units_survive_what_the_notebooks_do(demo) -> None:
    ds, view = demo
    by_campaign = campaigns.channel_table(view, PERIOD, by="campaign_id")
    ranked = campaigns.rank(by_campaign, by="campaign_id").head(3).reset_index(drop=True)
    assert ranked.attrs["units"] == by_campaign.attrs["units"]
    clv = customers.clv_table(view, PERIOD, by="channel").dropna(
        subset=["clv", "marketing_cost_per_new_customer"], how="all")
    assert clv.attrs["units"] == CLV_BY_CHANNEL
    states = customers.states_table(view, PERIOD)
    assert states[["measure", "shown"]].rename(columns={"shown": PERIOD}).attrs["units"] == {}
    late, _ = fc.slippage(fc.forecast_view(ds, view.as_of))
    shown = late.head(10).assign(expected_close=late["expected_close"].head(10).dt.strftime(
        "%Y-%m-%d"))
    assert shown.attrs["units"] == late.attrs["units"]
    assert nb.formatted(shown, currency="USD")["amount"].str.endswith(" USD").all()


def test_a_summed_leaderboard_row_keeps_the_units() -> None:
    # more than 2 x 10 reps: the middle ones are one row built apart, and concat keeps attrs
    # only when every part has the same
    n = 25
    board = with_units(pd.DataFrame({
        "rep_id": [f"R{i:02d}" for i in range(n)], "bookings": np.arange(n, 0, -1.0),
        "won_deals": np.ones(n), "win_rate": np.full(n, 0.5), "avg_deal_size": np.ones(n),
        "sales_cycle_days": np.ones(n), "quota_attainment": np.ones(n),
        "closed_deals": np.full(n, 2.0), "small_sample": np.ones(n, dtype=bool)}), BOARD)
    shown = rp.shown_reps(board)
    assert len(shown.table) == 21
    assert shown.table.attrs["units"] == shown.ranked.attrs["units"] == board.attrs["units"]


def test_readable_formats_by_the_tables_units(demo) -> None:
    table = funnel.period_counts(demo[1], PERIOD)
    shown = nb.readable(table)
    assert shown.iloc[0].tolist()[:3] == [f"{v:,.0f}" for v in table.iloc[0, 1:4]]
    assert shown.iloc[0].tolist()[3].endswith("%")


def _unit_arguments(path: Path) -> tuple[int, list[str]]:
    """The ``nb.readable`` / ``nb.formatted`` calls of a notebook source, and those that pass
    units (the second positional argument or ``units=``)."""
    calls, found = 0, []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("readable", "formatted")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "nb"):
            calls += 1
            units = node.args[1:2] + [k.value for k in node.keywords if k.arg == "units"]
            found += [f"{path.name}:{node.lineno}: {ast.unparse(u)}" for u in units]
    return calls, found


def test_notebooks_pass_no_unit_dicts() -> None:
    """The units come with the tables: a notebook passes none (a literal dict, or a name
    holding one), only the currency. A unit that truly depends on the notebook would need
    its reason here."""
    sources = sorted((ROOT / "notebooks").glob("*.py"))
    assert len(sources) >= 7
    scans = [_unit_arguments(path) for path in sources]
    assert sum(calls for calls, _ in scans) >= 30  # the scan sees the calls
    assert [hit for _, hits in scans for hit in hits] == []


def test_the_scan_finds_a_unit_dict(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text('nb.readable(t, {"a": "rate"}, currency)\nnb.formatted(t, units=u)\n'
                      "nb.readable(t, currency=c)\n")
    assert _unit_arguments(source) == (3, ["x.py:1: {'a': 'rate'}", "x.py:2: u"])
