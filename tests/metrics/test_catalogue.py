"""The whole catalogue on the sample dataset (b2bkit/load/sample), values worked out by hand."""

import math

import pytest

from b2bkit import sample_dataset
from b2bkit.metrics import CATALOGUE, Missing, compute_all, prepare
from b2bkit.metrics.catalogue import ORDER

# 2025-Q1, as_of 2025-03-15 (the latest event: lead L4 created that day).
# Leads: L1 webinar (mql 01-06, sql 01-10, -> O1), L2 webinar (mql 01-25),
#        L3 trade_show (mql 02-10, sql 02-20, -> O2), L4 no channel.
# Opportunities: O1 won 1200.50 (created 01-12, closed 02-11, lead L1 created 01-05),
#                O2 lost (closed 03-05), O3 open 5000.
# Spend 300 + 200 (webinar) + 3000 (trade show) = 3500; sales costs 1000 + 1000.
# Orders: A1 1200.50 on 02-11 (its first: A1 becomes a customer), 100 on 03-11.
EXPECTED_Q1 = {
    "leads": 4,
    "mqls": 3,                               # L1, L2, L3
    "sqls": 2,                               # L1, L3
    "lead_to_mql_rate": 3 / 4,
    "mql_to_sql_rate": 2 / 3,
    "lead_conversion_rate": 2 / 4,           # L1 (via O1.lead_id), L3
    "lead_quality": 2 / 4,
    "bant_qualified_share": 2 / 3,           # L1 (3 true), L3 (3 true) of L1..L3 answered
    "marketing_spend": 3500.0,
    "cpl": 3500 / 4,                         # 875
    "cost_per_sql": 3500 / 2,                # 1750
    "opportunities_created": 3,
    "won_deals": 1,
    "win_rate": 1 / 2,                       # O1 won, O2 lost
    "opportunity_conversion_rate": 1 / 3,
    "bookings": 1200.50,
    "avg_deal_size": 1200.50,
    "sales_cycle_days": 37.0,                # 2025-01-05 -> 2025-02-11
    "sales_cycle_days_median": 37.0,
    "revenue": 1300.50,
    "revenue_growth": "no revenue in 2024-Q4",
    "orders": 2,
    "aov": 1300.50 / 2,                      # 650.25
    "repeat_sales_share": 100 / 1300.50,     # the 03-11 order follows A1's 02-11 one
    "new_customers": 1,
    "customers_start": 0,
    "customers_end": 1,
    "retention_rate": "no customers at the start of 2025-Q1",
    "churn_rate": "no customers at the start of 2025-Q1",
    "nps": 0.0,                              # scores 9 and 6: 100 * (1/2 - 1/2)
    "roi": (1200.50 - 3500) / 3500,          # -0.657
    "cac": (3500 + 2000) / 1,
    "arpa": 1300.50 / 1 * 365 / 90,          # 5274.25
    "clv": "no customers at the start of 2025-Q1",
    "clv_cac_ratio": "no customers at the start of 2025-Q1",
    "cac_payback_months": 5500 / (1300.50 * 365 / 90 / 12 * 0.5),   # 25.03 (margin 0.5)
    "pipeline_velocity": 2 * 0.5 * 1200.50 / 37,                    # 32.45 per day
    "open_pipeline": 5000.0,                 # O3
    "pipeline_coverage": "no quota for 2025-Q2",
    "weighted_pipeline": 2000.0,             # O3: 5000 x 0.4
    "forecast_accuracy": 1 - abs(1200.50 - 1500) / 1200.50,         # team row 1500
    "quota_attainment": 1200.50 / (1000 + 2000),
    "quota_attainment_rate": 1 / 2,          # R1 1.2005 >= 1, R2 0
    "rep_productivity": 1200.50 / 2,
    "selling_time_share": (60 + 45) / (60 + 30 + 45),
    "unique_visitors": 1,                    # V1
    "event_attendance": 1,                   # L1 at C1 on 01-05, scanned twice
    "engaged_leads": 1,                      # L1
}


def test_catalogue_has_every_metric_of_the_contract() -> None:
    assert set(CATALOGUE) == set(ORDER) == set(EXPECTED_Q1)
    assert len(ORDER) == 48


@pytest.mark.parametrize("name", ORDER)
def test_sample_q1(name: str) -> None:
    got = CATALOGUE[name].public(sample_dataset(), "2025-Q1")
    expected = EXPECTED_Q1[name]
    if isinstance(expected, str):
        assert isinstance(got, Missing) and math.isnan(got)
        assert got.reason == expected
    else:
        assert got == pytest.approx(expected, rel=1e-12)
        assert type(got) is (int if CATALOGUE[name].unit == "count" else float)


def test_compute_all_matches_the_single_functions() -> None:
    view = prepare(sample_dataset())
    table = compute_all(view, "2025-Q1").set_index("metric")
    assert list(table.index) == list(ORDER)
    for name, expected in EXPECTED_Q1.items():
        if isinstance(expected, str):
            assert math.isnan(table.loc[name, "value"]) and table.loc[name, "note"] == expected
        else:
            assert table.loc[name, "value"] == pytest.approx(expected, rel=1e-12)


def test_every_metric_has_a_formula_units_and_a_doctest() -> None:
    for name, info in CATALOGUE.items():
        doc = info.public.__doc__ or ""
        assert ".. math::" in doc, name
        assert "Units" in doc, name
        assert ">>> " in doc, name
