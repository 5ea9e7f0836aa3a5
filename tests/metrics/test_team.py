"""Quota attainment, productivity and selling time."""

import pytest

from b2bkit.metrics import (
    quota_attainment,
    quota_attainment_rate,
    rep_productivity,
    selling_time_share,
)

from ._build import build

TEAM = dict(
    reps=dict(rep_id=["R1", "R2", "R3", "R4"], name=["Ann", "Bob", "Cy", "Di"]),
    # R1: two monthly quotas inside Q1 (500 + 500) and one spanning Q1-Q2 (ignored for Q1)
    quotas=dict(rep_id=["R1", "R1", "R1", "R2", "R3"],
                period_start=["2025-01-01", "2025-02-01", "2025-03-01", "2025-01-01",
                              "2025-01-01"],
                period_end=["2025-01-31", "2025-02-28", "2025-06-30", "2025-03-31",
                            "2025-03-31"],
                quota=[500, 500, 9999, 2000, 0]),
    opportunities=dict(opportunity_id=["O1", "O2", "O3", "O4"],
                       created_at=["2025-01-05"] * 4, status=["won", "won", "won", "lost"],
                       amount=[1200, 1000, 300, 50], account_id=["A", "A", "A", "A"],
                       rep_id=["R1", "R2", "R4", "R2"],
                       closed_at=["2025-02-01", "2025-03-01", "2025-03-15", "2025-03-20"]),
    activities=dict(rep_id=["R1", "R1", "R2", "R2"],
                    date=["2025-01-10", "2025-01-10", "2025-02-01", "2025-04-01"],
                    minutes=[90, 30, 60, 1000], is_selling=[True, False, False, True]),
)


@pytest.fixture(scope="module")
def ds():
    return build(**TEAM)


def test_quota_attainment(ds) -> None:
    # reps with a quota in Q1: R1 (1000), R2 (2000), R3 (0); R4 has none
    # bookings of those reps: 1200 + 1000 + 0 = 2200 over 3000
    assert quota_attainment(ds, "2025-Q1") == pytest.approx(2200 / 3000)
    by_rep = quota_attainment(ds, "2025-Q1", by="rep_id").set_index("rep_id")
    assert by_rep.loc["R1", "value"] == 1.2 and by_rep.loc["R2", "value"] == 0.5
    assert by_rep.loc["R3", "note"] == "no quota for 2025-Q1"   # a zero quota
    assert by_rep.loc["R4", "note"] == "no quota for 2025-Q1"


def test_quota_attainment_rate_leaves_out_zero_quotas(ds) -> None:
    # positive quotas: R1 (met), R2 (not met) -> 1/2
    assert quota_attainment_rate(ds, "2025-Q1") == 0.5
    assert quota_attainment_rate(ds, "2025-Q3").reason == (
        "no rep with a positive quota for 2025-Q3")


def test_rep_productivity_counts_reps_with_quota_or_win(ds) -> None:
    # R1, R2, R3 (quota rows) and R4 (won deal): 2500 / 4
    assert rep_productivity(ds, "2025-Q1") == 2500 / 4


def test_selling_time_share(ds) -> None:
    assert selling_time_share(ds, "2025-Q1") == pytest.approx(90 / 180)
    frame = selling_time_share(ds, "2025-Q1", by="rep_id").set_index("rep_id")["value"]
    assert frame["R1"] == 0.75 and frame["R2"] == 0.0
    assert selling_time_share(ds, "2025-Q1", by="channel")["note"].unique().tolist() == [
        "activities cannot be split by channel"]


def test_a_quota_ending_during_the_last_day_lies_inside_the_period() -> None:
    # "in the period" is one rule (Period.mask: a timestamp counts on its calendar
    # date): a quota exported with period_end 2025-03-31T18:00 is a Q1 quota. The
    # old comparison period_end <= 2025-03-31 00:00 left it out (attainment missing).
    team = dict(TEAM, quotas=dict(rep_id=["R2"], period_start=["2025-01-01"],
                                  period_end=["2025-03-31T18:00:00"], quota=[2000]))
    assert quota_attainment(build(**team), "2025-Q1") == pytest.approx(1000 / 2000)
