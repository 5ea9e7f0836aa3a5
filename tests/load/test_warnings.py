"""Warnings (CONTRACT section 1): rows kept, counted and reported, never set aside."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.funnel import stage_durations
from b2bkit.analysis.quality import quality_lines
from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset
from b2bkit.load.warn import earliest_stages
from b2bkit.metrics import prepare, sales_cycle_days

AWKWARD = Path(__file__).parents[1] / "data" / "awkward"


def _warnings(ds) -> list[dict]:
    q = ds.quality[ds.quality["severity"] == "warning"]
    return q[["table", "column", "rule", "rows", "amount"]].to_dict("records")


def test_closed_before_created_is_kept_with_a_warning() -> None:
    ds = load_dataset(AWKWARD / "closed_before_created")  # strict: no error
    assert ds["opportunities"]["opportunity_id"].tolist() == ["O1"]
    assert _warnings(ds) == [{
        "table": "opportunities", "column": "closed_at",
        "rule": "closed_at before created_at (kept; a negative duration counts as 0 days)",
        "rows": 1, "amount": 100.0}]
    assert ds.quality["examples"].iloc[0] == [
        "opportunity_id=O1 (line 2): closed_at=2025-02-01 < created_at=2025-03-05"]
    assert quality_lines(ds)[0] == (
        "opportunities: 1 deal worth 100.00 USD kept with a warning: closed_at before "
        "created_at (kept; a negative duration counts as 0 days)")
    # 2025-03-05 -> 2025-02-01 would be -32 days: it counts as 0
    assert sales_cycle_days(ds, "2025-Q1") == 0.0


def test_a_lead_created_after_its_won_deal_gives_a_cycle_of_0(tmp_path: Path) -> None:
    (tmp_path / "leads.csv").write_text("lead_id,created_at,channel\nL1,2025-02-20,ads\n")
    (tmp_path / "opportunities.csv").write_text(
        "opportunity_id,created_at,status,amount,account_id,closed_at,lead_id\n"
        "O1,2025-01-05,won,10,A1,2025-02-10,L1\nO2,2025-01-05,won,10,A1,2025-01-15,\n")
    # O1: lead 2025-02-20 -> close 2025-02-10 = -10 -> 0; O2: 10 days; mean 5
    assert sales_cycle_days(load_dataset(tmp_path), "2025-Q1") == 5.0


def test_exact_duplicate_rows_of_a_keyless_table(tmp_path: Path) -> None:
    (tmp_path / "spend.csv").write_text("date,channel,amount\n2025-01-01,ads,5\n"
                                        "2025-01-01,ads,5\n2025-01-01,ads,7\n2025-01-01,ads,5\n")
    ds = load_dataset(tmp_path)
    assert len(ds["spend"]) == 4
    assert _warnings(ds) == [{"table": "spend", "column": "", "rows": 2, "amount": 10.0,
                              "rule": "exact duplicate of an earlier row"}]
    assert ds.quality["examples"].iloc[0] == ["line 3", "line 5"]


HISTORY = ("opportunity_id,stage,entered_at\nO1,sql,2025-02-01\nO1,lead,2025-01-01\n"
           "O1,sql,2025-01-10\nO1,proposal,2025-01-20\n")


def test_a_repeated_stage_keeps_the_earliest_entry(tmp_path: Path) -> None:
    (tmp_path / "stage_history.csv").write_text(HISTORY)
    ds = load_dataset(tmp_path)  # strict: not a duplicate-key error any more
    acc = ds.accounting.iloc[0]
    assert (acc["read"], acc["loaded"], acc["set_aside"]) == (4, 4, 0)
    (w,) = _warnings(ds)
    assert pd.isna(w.pop("amount"))  # stage_history has no amount
    assert w == {"table": "stage_history", "column": "stage", "rows": 1,
                 "rule": "repeats a stage of the opportunity (the earliest entered_at counts)"}
    assert ds.quality["examples"].iloc[0] == [
        "opportunity_id=O1, stage=sql (line 2): entered_at=2025-02-01"]
    assert earliest_stages(ds["stage_history"])["entered_at"].tolist() == [
        pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-10"), pd.Timestamp("2025-01-20")]
    # lead 01-01 -> sql 01-10 (9 days) -> proposal 01-20 (10 days); the later sql row unused
    steps = stage_durations(prepare(ds), "2025-01")
    assert steps[["step", "mean_days"]].to_dict("records") == [
        {"step": "lead → sql", "mean_days": 9.0}, {"step": "sql → proposal", "mean_days": 10.0}]
    assert quality_lines(ds)[0] == (
        "stage_history: 1 stage row kept with a warning: stage: repeats a stage of the "
        "opportunity (the earliest entered_at counts)")


def test_grouping_values_differing_in_case_or_spaces(tmp_path: Path) -> None:
    (tmp_path / "leads.csv").write_text(
        'lead_id,created_at,channel\nL1,2025-01-01,Webinar\nL2,2025-01-02," webinar"\n'
        "L3,2025-01-03,Ads\nL4,2025-01-04,Webinar\n")
    ds = load_dataset(tmp_path)
    # the values are kept as they are (the parser strips the spaces of every cell)
    assert ds["leads"]["channel"].astype(str).tolist() == ["Webinar", "webinar", "Ads",
                                                           "Webinar"]
    assert [(w["column"], w["rule"], w["rows"]) for w in _warnings(ds)] == [
        ("channel", "'Webinar', 'webinar' differ only in case or spaces (kept as they are)", 3)]


def test_overlapping_quota_periods_of_one_rep_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "quotas.csv").write_text(
        "rep_id,period_start,period_end,quota\nR1,2025-01-01,2025-03-31,100\n"
        "R1,2025-03-01,2025-05-31,100\nR2,2025-03-01,2025-05-31,100\n")
    with pytest.raises(DatasetError) as caught:
        load_dataset(tmp_path)
    v = caught.value.violations.iloc[0]
    assert (v["column"], v["rule"], v["rows"]) == (
        "period_start", "overlaps another period of the same rep", 1)
    assert v["examples"] == ["rep_id=R1, period_start=2025-03-01, period_end=2025-05-31 "
                             "(line 3): period 2025-03-01..2025-05-31"]


def test_adjacent_quota_periods_do_not_overlap(tmp_path: Path) -> None:
    (tmp_path / "quotas.csv").write_text(
        "rep_id,period_start,period_end,quota\nR1,2025-01-01,2025-03-31,100\n"
        "R1,2025-04-01,2025-06-30,100\n")
    assert len(load_dataset(tmp_path)["quotas"]) == 2
