"""The keep / optimize / drop rules: every branch and boundary, age-matched, with intervals."""

import math
from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.review import (
    DATA_QUESTION,
    NOT_JUDGED,
    TOO_EARLY,
    TOO_LITTLE,
    Thresholds,
    classify,
    data_questions,
    decision_table,
    lead_bookings,
    maturity_sentence,
    next_steps,
    projection_table,
    rules_text,
    summary_paragraph,
)
from b2bkit.analysis.review import (
    RULES as RULE_TEXT,
)

RULES = Thresholds(roi_target=0.0, quality_target=0.2, trend_margin=0.25)
NAN = math.nan


def evidence(leads=100, spend=1000.0, roi=0.5, roi_low=0.1, roi_high=0.9, quality=0.3,
             low=0.22, high=0.4, change=0.0, age=92) -> dict:
    return {"leads": leads, "spend": spend, "roi": roi, "roi_low": roi_low,
            "roi_high": roi_high, "lead_quality": quality, "quality_low": low,
            "quality_high": high, "roi_change": change, "age": age}


# lead quality against its target 20%: clearly above, clearly below, unclear
ABOVE = {"quality": 0.3, "low": 0.22, "high": 0.4}
BELOW = {"quality": 0.1, "low": 0.05, "high": 0.19}
STRADDLE = {"quality": 0.2, "low": 0.12, "high": 0.3}
# ROI against its target 0: clearly above, clearly below, unclear
PAYS = {"roi": 0.5, "roi_low": 0.0, "roi_high": 0.9}
LOSES = {"roi": -0.8, "roi_low": -1.0, "roi_high": -0.01}
EITHER = {"roi": -0.4, "roi_low": -1.0, "roi_high": 0.5}


@pytest.mark.parametrize(("case", "verdict"), [
    # rule 1, too early: the period is mature at fewer than 30 days (boundary 29 vs 30)
    (evidence(age=29), TOO_EARLY),
    (evidence(age=-5, **LOSES, **BELOW), TOO_EARLY),
    (evidence(age=30), "keep"),
    # spend without leads, leads without spend: a data question, not a verdict
    (evidence(leads=0), DATA_QUESTION),
    (evidence(spend=0.0), DATA_QUESTION),
    (evidence(spend=NAN), DATA_QUESTION),
    # rule 2, keep: the ROI interval at or above the target (inclusive), quality not below
    (evidence(**PAYS, **ABOVE), "keep"),
    (evidence(**PAYS, **STRADDLE), "keep"),
    (evidence(**PAYS, **BELOW), "optimize"),
    # rule 3, drop: ROI clearly below, quality not clearly above, no improvement of 25 pp
    (evidence(**LOSES, **STRADDLE), "drop"),          # the demo's trade shows: never excused
    (evidence(**LOSES, **BELOW), "drop"),
    (evidence(**LOSES, **BELOW, change=0.2499), "drop"),
    (evidence(**LOSES, **BELOW, change=NAN), "drop"),
    (evidence(**LOSES, **BELOW, change=0.25), "optimize"),
    (evidence(**LOSES, **ABOVE), "optimize"),         # good leads, the follow-up fails
    # rule 4, optimize: an unclear return with a clear lead quality
    (evidence(**EITHER, **BELOW), "optimize"),
    (evidence(**EITHER, **ABOVE), "optimize"),
    # rule 5, too little data: neither axis clear
    (evidence(**EITHER, **STRADDLE), TOO_LITTLE),
    (evidence(roi=NAN, roi_low=NAN, roi_high=NAN, **STRADDLE), TOO_LITTLE),
], ids=lambda v: v if isinstance(v, str) else None)
def test_each_branch_and_boundary(case, verdict) -> None:
    assert classify(case, RULES)[0] == verdict


def test_a_practice_without_a_target_is_judged_on_the_other_axis() -> None:
    rules = Thresholds(roi_target=NAN, quality_target=0.2, roi_source="no earlier quarter")
    assert classify(evidence(**LOSES, **BELOW), rules)[0] == "optimize"
    assert classify(evidence(**LOSES, **STRADDLE), rules)[0] == TOO_LITTLE


def test_reasons_quote_the_rule_and_the_numbers() -> None:
    assert classify(evidence(age=12), RULES)[1] == (
        "rule 1: the period ended fewer than 30 days before the data's date, so its leads "
        "have not had time to turn into deals (mature at 12 days, needs 30)")
    assert classify(evidence(**PAYS, **ABOVE), RULES)[1] == (
        "rule 2: the return is clearly at or above its target and lead quality is not clearly "
        "below its target. ROI at 92 days 50.0% (0.0% to 90.0%) is clearly at or above target "
        "0.0% as given; lead quality at 92 days 30.0% (22.0% to 40.0%, 100 leads) is clearly "
        "at or above target 20.0% as given.")
    assert classify(evidence(**LOSES, **STRADDLE, change=0.1), RULES)[1] == (
        "rule 3: the return is clearly below its target, lead quality is not clearly above its "
        "target, and ROI did not improve by the trend margin. ROI at 92 days -80.0% (-100.0% "
        "to -1.0%) is clearly below target 0.0% as given; lead quality at 92 days 20.0% "
        "(12.0% to 30.0%, 100 leads) could be on either side of target 20.0% as given; ROI "
        "changed +10.0 pp since the comparison period (not the +25.0 pp that counts as "
        "improving).")
    assert classify(evidence(leads=0, spend=500.0), RULES)[1] == (
        "spend with no lead traced to it: no lead carries these campaigns; check the leads' "
        "campaign_id")


def test_every_rule_is_printed_with_the_targets_and_their_source() -> None:
    rules = Thresholds(roi_target=0.0, quality_target=0.25, roi_source="dataset.toml",
                       quality_source="own median of the last 4 quarters at 92 days")
    lines = rules_text(rules)
    assert len(lines) == 6
    assert lines[2] == ("Rule 3, drop: the return is clearly below its target, lead quality is not "
                        "clearly above its target, and ROI did not improve by the trend margin "
                        "(+25.0 pp).")
    assert lines[-1] == (
        "The return is ROI at the judged age against target 0.0% from dataset.toml; lead "
        "quality the share of leads that reached SQL by then, against target 25.0% the own "
        "median of the last 4 quarters at 92 days. 'Clearly' means the whole 95% interval is "
        "on that side.")


def _table(verdicts: list[str], spend: list[float], age: int = 92) -> pd.DataFrame:
    return pd.DataFrame({"practice": [f"p{i}" for i in range(len(verdicts))],
                         "verdict": verdicts, "spend": spend, "age": age})


def test_summary_names_the_age_and_what_dropping_frees() -> None:
    text = summary_paragraph(_table(["keep", "drop", NOT_JUDGED], [1.0, 250.0, 9.0]), "2025-Q3",
                             currency="USD")
    assert text == ("In 2025-Q3, judged on what its leads did within 92 days: keep p0: the "
                    "return clearly meets its target and the leads are not clearly poor. Drop "
                    "p1: the return is clearly below its target, the leads do not make up for it "
                    "and ROI is not improving; that frees 250.00 USD. Leads and spend without a "
                    "practice are shown, not judged.")


def test_summary_of_a_young_period_never_drops() -> None:
    text = summary_paragraph(_table([TOO_EARLY, TOO_EARLY], [1.0, 2.0], age=0), "2025-Q4")
    assert text == ("It is too early to judge 2025-Q4: its leads have not had 30 days since the "
                    "period ended, so no practice is kept or dropped yet (p0, p1).")


@pytest.fixture(scope="module")
def demo():
    from b2bkit import load_dataset
    from b2bkit.metrics import prepare

    return prepare(load_dataset(Path(__file__).parents[2] / "data" / "demo"), "2025-12-31")


def test_demo_young_quarter_is_too_early(demo) -> None:
    table = decision_table(demo, "2025-Q4").set_index("practice")
    assert "drop" not in set(table["verdict"])
    assert table.loc["(unknown)", "verdict"] == NOT_JUDGED
    assert (table.drop(index="(unknown)")["verdict"] == TOO_EARLY).all()
    assert table.index[-1] == "(unknown)"
    text = summary_paragraph(table.reset_index(), "2025-Q4", currency="USD")
    assert "frees" not in text and "too early to judge 2025-Q4" in text
    assert maturity_sentence(demo, "2025-Q4") == (
        "It is too early to judge 2025-Q4: as of 2025-12-31 it is mature at 0 days only (a "
        "verdict needs 30 days after the period ends); its values below are compared with "
        "2025-Q3 at 0 days and will still grow.")


def test_demo_mature_quarter_has_keep_optimize_and_drop(demo) -> None:
    table = decision_table(demo, "2025-Q3").set_index("practice")
    assert (table["age"] == 92).all()  # Q3 ends 09-30: 92 days before 12-31; Q2 is older
    verdicts = table["verdict"].to_dict()
    assert verdicts == {"referral_program": "keep", "webinars": "keep",
                        "content_marketing": "optimize", "paid_search": "drop",
                        "trade_shows": "drop", "outbound_calls": TOO_LITTLE,
                        "(unknown)": NOT_JUDGED}
    # the demo's targets come from its dataset.toml, and every verdict quotes its rule
    assert set(table["roi_target_source"]) == {"dataset.toml"}
    for verdict, reasons in zip(table["verdict"], table["reasons"], strict=True):
        if verdict != NOT_JUDGED:
            assert reasons.startswith(RULE_TEXT[verdict]), verdict
    # trade shows: 5,140 booked within 92 days of 32,947.68 spent; the whole interval < 0
    shows = table.loc["trade_shows"]
    assert round(shows["roi_at_d"], 4) == round(5140 / 32947.68 - 1, 4)
    assert shows["roi_low"] <= shows["roi_at_d"] <= shows["roi_high"] < 0
    assert maturity_sentence(demo, "2025-Q3").startswith(
        "2025-Q3 and 2025-Q2 are compared at the same age: what each period's leads did "
        "within 92 days")
    assert next_steps(table.reset_index(), "2025-Q3", currency="USD").startswith(
        "Start with trade_shows: of 32,947.68 USD spent in 2025-Q3")


def test_the_roi_interval_is_seeded(demo) -> None:
    one = decision_table(demo, "2025-Q3")
    two = decision_table(demo, "2025-Q3")
    assert one["roi_low"].equals(two["roi_low"]) and one["roi_high"].equals(two["roi_high"])


def test_lead_bookings_sum_to_roi_at_d(demo) -> None:
    from b2bkit.metrics import at_age, marketing_spend

    members = lead_bookings(demo, "2025-Q3", 92)
    booked = members.groupby("practice")["booked"].sum()
    spend = marketing_spend(demo, "2025-Q3", by="practice").set_index("practice")["value"]
    roi = at_age("roi", demo, "2025-Q3", 92, by="practice").set_index("practice")["value"]
    for name in ("webinars", "trade_shows", "paid_search"):
        assert math.isclose((booked[name] - spend[name]) / spend[name], roi[name])


def test_spend_without_leads_is_a_data_question() -> None:
    table = pd.DataFrame({"practice": ["pr"], "verdict": [DATA_QUESTION], "spend": [311760.0],
                          "leads": [0.0], "reasons": ["spend with no lead traced to it: no "
                                                      "lead carries these campaigns; check "
                                                      "the leads' campaign_id"]})
    assert data_questions(table, "USD") == [
        "pr: 311,760.00 USD of spend, 0 leads — spend with no lead traced to it: no lead "
        "carries these campaigns; check the leads' campaign_id."]


def test_projection_table_is_labelled(demo) -> None:
    table = projection_table(demo, "2025-Q4")
    assert table["metric"].tolist() == ["roi", "lead_conversion_rate", "lead_quality",
                                        "opportunity_conversion_rate"]
    assert (table["label"] == "projection").all()
    assert (table["low"] <= table["projection"]).all() and (
        table["projection"] <= table["high"]).all()


def test_verdict_changes_put_the_earlier_verdict_beside_each_practice() -> None:
    from b2bkit import load_dataset
    from b2bkit.analysis.review import Thresholds, decision_table, verdict_changes
    from b2bkit.core.periods import Period
    from b2bkit.metrics import prepare

    view = prepare(load_dataset(Path(__file__).parents[2] / "data" / "demo"))
    rules = Thresholds()
    table = decision_table(view, "2025-Q3", rules)
    moved = verdict_changes(view, table, "2025-Q2", rules)
    earlier = decision_table(view, "2025-Q2", rules, Period.parse("2025-Q1"))
    assert list(moved.columns) == ["practice", "verdict", "verdict in 2025-Q2"]
    assert moved["practice"].tolist() == table["practice"].tolist()
    assert moved["verdict in 2025-Q2"].tolist() == earlier.set_index("practice")[
        "verdict"].reindex(table["practice"]).tolist()
