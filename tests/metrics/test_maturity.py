"""metric@d, maturity ages and the chain-ladder projection, on tiny cohorts checked by hand."""

import math

import pandas as pd
import pytest

from b2bkit.metrics import (
    at_age,
    common_mature_days,
    development_factors,
    mature_days,
    project,
    too_early,
)
from tests.metrics._build import build

# Monthly lead cohorts seen from 2025-06-15; days from created_at to SQL (None: never):
#   Jan (4 leads, 01-10): 10, 40, -, -      reached by age 0/30/60: 0, 1, 2
#   Feb (4 leads, 02-10): 5, 20, 50, -      0, 2, 3
#   Mar (2 leads, 03-10): 10, -             0, 1, 1
#   Apr (2 leads, 04-10): 10, -             0, 1 (mature at 30 only: 04-30 + 60 > 06-15)
#   May (2 leads, 05-10): 10, -             mature at 0 only
DELAYS = {"2025-01-10": [10, 40, None, None], "2025-02-10": [5, 20, 50, None],
          "2025-03-10": [10, None], "2025-04-10": [10, None], "2025-05-10": [10, None]}


def _leads() -> dict:
    created, sql = [], []
    for day, delays in DELAYS.items():
        for delay in delays:
            created.append(day)
            sql.append("" if delay is None else
                       (pd.Timestamp(day) + pd.Timedelta(days=delay)).strftime("%Y-%m-%d"))
    ids = [f"L{i}" for i in range(len(created))]
    return {"lead_id": ids, "created_at": created, "sql_at": sql,
            "channel": ["web"] * 6 + ["ads"] * (len(ids) - 6)}


@pytest.fixture(scope="module")
def cohorts():
    return build({"as_of": "2025-06-15"}, leads=_leads())


def test_mature_days_and_too_early():
    assert mature_days("2025-Q1", "2025-06-15") == 76  # 03-31 + 76 = 06-15
    assert mature_days("2025-Q2", "2025-06-15") == -15
    assert common_mature_days("2025-Q1", "2024-Q4", "2025-06-15") == 76
    assert too_early("2025-05", "2025-06-29") is True   # 05-31 + 29
    assert too_early("2025-05", "2025-06-30") is False  # mature at exactly 30


def test_lead_quality_at_age(cohorts):
    # Q1: 10 leads; SQL within 10 days: 3 (10, 5, 10); within 40: 5; within 9.5: 1 (5)
    assert at_age("lead_quality", cohorts, "2025-Q1", 10) == 0.3
    assert at_age("lead_quality", cohorts, "2025-Q1", 40) == 0.5
    assert at_age("lead_quality", cohorts, "2025-Q1", 9.5) == 0.1
    split = at_age("lead_quality", cohorts, "2025-Q1", 10, by="channel")
    # web = the 4 Jan leads and 2 Feb leads: SQL within 10 days L0 (10), L4 (5)
    assert split.set_index("channel")["value"].round(4).to_dict() == {"ads": 0.25,
                                                                      "web": 0.3333}


def test_unknown_metric_is_refused(cohorts):
    with pytest.raises(ValueError, match="metric must be one of roi, lead_conversion_rate, "
                                         "lead_quality, opportunity_conversion_rate; not 'cpl'"):
        at_age("cpl", cohorts, "2025-Q1", 30)


def test_missing_reasons(cohorts):
    assert at_age("lead_quality", cohorts, "2024-Q1", 30).reason == "no leads created in 2024-Q1"
    assert at_age("roi", cohorts, "2025-Q1", 30).reason == "no opportunities table in the dataset"


def test_development_factors(cohorts):
    table = development_factors("lead_quality", cohorts, max_age=60)
    # 0 -> 30: Jan..Apr mature at 30, none had an SQL at age 0: no factor
    # 30 -> 60: Jan, Feb, Mar mature at 60: (2 + 3 + 1) / (1 + 2 + 1) = 1.5; singles 2, 1.5, 1
    assert table["cohorts"].tolist() == [4, 3]
    assert math.isnan(table["factor"].iloc[0])
    assert table.iloc[1][["factor", "low", "high"]].tolist() == [1.5, 1.0, 2.0]


def test_projection_of_a_young_quarter(cohorts):
    result = project("lead_quality", cohorts, "2025-Q2", max_age=60)
    # Apr: 1 SQL at age 30 (its age 46 rounds down to 30) x 1.5 = 1.5 (range 1 .. 2)
    # May: age 15 -> 0, no factor from 0: older cohorts' rate at 60, 6 / 10 = 0.6 per lead,
    #      x 2 leads = 1.2 (range: Jan 0.5, Mar 0.5 .. Feb 0.75 per lead -> 1.0 .. 1.5)
    # (1.5 + 1.2) / 4 = 0.675, range (1 + 1) / 4 = 0.5 .. (2 + 1.5) / 4 = 0.875
    assert result.label == "projection"
    assert result.observed == 0.5  # Apr and May: 1 SQL each of 2 leads
    assert (round(result.value, 4), result.low, result.high) == (0.675, 0.5, 0.875)
    assert result.age == 0 and result.ultimate_age == 60 and result.cohorts == 3


def test_projection_needs_older_cohorts(cohorts):
    result = project("lead_quality", cohorts, "2025-Q2", min_cohorts=5)
    assert result.reason == "fewer than 5 monthly cohorts mature at 30 days to project from"


def _deals():
    # leads created 01-01 (two, one won after 20 days for 1000, one won after 100 days for 500)
    # and 04-01 (one, won after 10 days for 300); opportunities created 10 days before closing
    return build(
        {"as_of": "2025-12-31"},
        leads={"lead_id": ["A", "B", "C"], "created_at": ["2025-01-01", "2025-01-01",
                                                          "2025-04-01"],
               "channel": ["web", "web", "web"]},
        opportunities={"opportunity_id": ["O1", "O2", "O3"], "lead_id": ["A", "B", "C"],
                       "created_at": ["2025-01-11", "2025-03-31", "2025-04-01"],
                       "status": ["won", "won", "lost"], "account_id": ["X", "Y", "Z"],
                       "closed_at": ["2025-01-21", "2025-04-11", "2025-04-11"],
                       "amount": ["1000", "500", "300"]},
        spend={"date": ["2025-01-15", "2025-04-15"], "amount": ["600", "100"],
               "channel": ["web", "web"]})


def test_roi_and_conversions_at_age():
    ds = _deals()
    # roi@30 of Q1: only O1 (20 days) counts: (1000 - 600) / 600; @100 both: (1500 - 600) / 600
    assert round(at_age("roi", ds, "2025-Q1", 30), 4) == 0.6667
    assert at_age("roi", ds, "2025-Q1", 100) == 1.5
    # lead_conversion_rate@d: A's opportunity after 10 days, B's after 89
    assert at_age("lead_conversion_rate", ds, "2025-Q1", 10) == 0.5
    assert at_age("lead_conversion_rate", ds, "2025-Q1", 89) == 1.0
    # opportunity_conversion_rate@10 of Q1: O1 won 10 days after creation, O2 11 days after
    assert at_age("opportunity_conversion_rate", ds, "2025-Q1", 10) == 0.5
    assert at_age("opportunity_conversion_rate", ds, "2025-Q1", 11) == 1.0
