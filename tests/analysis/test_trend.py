"""trend: a metric over several periods, checked by hand on the sample; the analyst's tour.

The sample (b2bkit/load/sample, as_of 2025-03-15): leads L1, L2 (webinar, January),
L3 (trade_show, February), L4 (no channel, 2025-03-15); spend 300 + 200
webinar in January, 3,000 trade_show in February.
"""

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from b2bkit import load_dataset, sample_dataset
from b2bkit.analysis import customers_at_risk, trend
from b2bkit.analysis.trend import TREND_COLUMNS
from b2bkit.core.errors import UsageError
from b2bkit.core.periods import NotObservedError, Period
from b2bkit.metrics import cac, prepare
from b2bkit.metrics.cohorts import cohort_matrix, cohort_sizes

matplotlib.use("Agg")

DEMO = Path(__file__).parents[2] / "data" / "demo"
MARCH_NOTE = "2025-03 is incomplete: 15 of 31 days observed (as_of 2025-03-15)"


@pytest.fixture(scope="module")
def sample():
    return prepare(sample_dataset())


def test_leads_per_month_tidy_frame(sample) -> None:
    got = trend(sample, "leads", ["2025-01", "2025-02", "2025-03"])
    expected = pd.DataFrame({
        "period": ["2025-01", "2025-02", "2025-03"],
        "start": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
        "metric": "leads", "unit": "count", "value": [2.0, 1.0, 1.0],
        "note": pd.array([pd.NA, pd.NA, MARCH_NOTE], dtype="string")})
    pd.testing.assert_frame_equal(got, expected)
    assert tuple(got.columns) == TREND_COLUMNS


def test_count_of_periods_ends_with_end(sample) -> None:
    by_count = trend(sample, "leads", 3, end="2025-03")
    pd.testing.assert_frame_equal(by_count, trend(sample, "leads",
                                                  ["2025-01", "2025-02", Period.parse("2025-03")]))


def test_by_channel_keeps_unknown_and_reasons(sample) -> None:
    # cpl = spend / leads per channel; L4 has no channel and no spend: (unknown) 0 / 1 = 0
    got = trend(sample, "cpl", ["2025-01", "2025-02"], by="channel")
    assert list(got.columns) == ["period", "start", "channel", "metric", "unit", "value", "note"]
    assert got["channel"].tolist() == ["(unknown)", "trade_show", "webinar"] * 2
    np.testing.assert_array_equal(got["value"].to_numpy(),
                                  [np.nan, np.nan, 250.0, np.nan, 3000.0, np.nan])
    assert got["note"].tolist() == [
        "no leads in 2025-01", "no leads in 2025-01", pd.NA,
        "no leads in 2025-02", pd.NA, "no leads in 2025-02"]
    assert set(got["unit"]) == {"currency"}


def test_a_dataset_and_its_view_agree() -> None:
    ds = sample_dataset()
    pd.testing.assert_frame_equal(trend(ds, "marketing_spend", 2, end="2025-02"),
                                  trend(prepare(ds), "marketing_spend", 2, end="2025-02"))
    # as_of moves the cut: seen from 2025-01-31, January is complete and has 500 of spend
    early = trend(ds, "marketing_spend", ["2025-01"], as_of="2025-01-31")
    assert early["value"].tolist() == [500.0] and early["note"].isna().all()


@pytest.mark.parametrize(("metric", "message"), [
    ("cak", "unknown metric 'cak' (did you mean 'cac'?)"),
    ("revenu", "unknown metric 'revenu' (did you mean 'revenue' or 'revenue_growth'?)"),
    ("CAC", "unknown metric 'CAC' (did you mean 'cac'?)"),
    ("xyz", "unknown metric 'xyz'; the names are listed in b2bkit.metrics.CATALOGUE"),
], ids=["typo", "two-near", "case", "nothing-near"])
def test_unknown_metric_names_the_nearest(sample, metric: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        trend(sample, metric, ["2025-01"])
    assert str(error.value) == message


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(periods=4), "periods=4 needs end=, the last of them (e.g. end='2025-Q3')"),
    (dict(periods=0, end="2025-01"), "periods must be at least 1; not 0"),
    (dict(periods=["2025-01"], end="2025-01"),
     "end= goes with a count of periods; with a list, the list says which"),
    (dict(periods=[]), "periods is an empty list; name at least one period"),
    (dict(periods="2025-01"), "periods must be a list of periods or a count; not '2025-01'"),
    (dict(periods=["2025-01"], by="colour"),
     "by must be one of channel, campaign_id, segment, rep_id, practice; not 'colour'"),
], ids=["count-without-end", "zero", "list-with-end", "empty", "text", "by"])
def test_usage_errors(sample, kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError) as error:
        trend(sample, "leads", **kwargs)
    assert str(error.value) == message


def test_a_view_keeps_its_as_of(sample) -> None:
    with pytest.raises(UsageError) as error:
        trend(sample, "leads", ["2025-01"], as_of="2025-01-31")
    assert str(error.value) == ("as_of 2025-01-31: a View keeps its own as_of (2025-03-15); "
                                "prepare the Dataset at the as_of wanted")
    assert trend(sample, "leads", ["2025-01"], as_of="2025-03-15")["value"].tolist() == [2.0]


def test_bad_period_text_says_which_argument(sample) -> None:
    with pytest.raises(UsageError, match=r"^end: period '2025-Q5': "):
        trend(sample, "leads", 2, end="2025-Q5")


def test_a_period_after_as_of_is_refused(sample) -> None:
    with pytest.raises(NotObservedError, match="period 2025-04 starts after as_of 2025-03-15"):
        trend(sample, "leads", ["2025-03", "2025-04"])


# -- the analyst's tour (docs/analyst-tour.md), on the demo data -------------------------


@pytest.fixture(scope="module")
def demo():
    return prepare(load_dataset(DEMO))


def test_tour_best_cac_in_q3_and_its_trend(demo) -> None:
    q3 = cac(demo, "2025-Q3", by="channel").dropna(subset=["value"])
    named = q3[q3["channel"] != "(unknown)"].sort_values("value")
    assert named["channel"].iloc[0] == "referral"
    assert named["value"].iloc[0] == pytest.approx(628.2525)

    cac4 = trend(demo, "cac", 4, end="2025-Q3", by="channel")
    assert cac4["period"].unique().tolist() == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
    table = cac4.pivot(index="period", columns="channel", values="value")
    assert table["referral"].round(2).tolist() == [178.09, 423.39, 192.55, 628.25]
    assert table["webinar"].round(2).tolist() == [595.58, 889.15, 654.24, 862.72]
    assert table.loc["2025-Q2", "trade_show"] != table.loc["2025-Q2", "trade_show"]  # NaN
    reason = cac4.set_index(["period", "channel"]).loc[("2025-Q2", "trade_show"), "note"]
    assert reason == "no new customers in 2025-Q2"

    from b2bkit.plots import grouped_bars

    ax = grouped_bars(cac4.dropna(subset=["value"]), x="period", y="value", hue="channel",
                      unit="currency", currency="USD", title="Referral stays the cheapest")
    heights = np.array([p.get_height() for p in ax.patches])
    assert np.nanmax(heights) == pytest.approx(36171.29)   # trade_show, 2024-Q4
    plt.close("all")


def test_tour_cohorts_by_quarter_and_customers_at_risk(demo) -> None:
    matrix = cohort_matrix(demo, grain="quarter")
    assert matrix.index.tolist()[:2] == ["2024-Q1", "2024-Q2"]
    assert matrix.loc["2024-Q1"].round(2).tolist() == [1.0, 0.87, 0.74, 0.83, 0.7, 0.52,
                                                       0.57, 0.48]
    assert matrix.loc["2025-Q4", 0] == 1.0 and matrix.loc["2025-Q4", 1] != matrix.loc[
        "2025-Q4", 1]
    assert cohort_sizes(demo, grain="quarter").to_dict()["2024-Q1"] == 23

    from b2bkit.plots import heatmap

    ax = heatmap(matrix, unit="rate", title="Logo retention by quarter")
    drawn = np.ma.filled(ax.images[0].get_array().astype(float), np.nan)
    np.testing.assert_array_equal(drawn, matrix.to_numpy(dtype=float))
    plt.close("all")

    # the demo's repeat orders follow BG/NBD's process: the checked fit passes
    at_risk = customers_at_risk(demo, top=10)
    assert len(at_risk) == 10
    assert at_risk["value_at_risk"].is_monotonic_decreasing
    assert at_risk["p_alive"].between(0, 1).all()
