"""BG/NBD and Gamma-Gamma against the published CDNOW figures, and on simulated data."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit.demo import generate
from b2bkit.metrics.predictive import (
    BGNBD,
    GammaGamma,
    fit_bgnbd,
    fit_gamma_gamma,
    predictive_clv,
    rfm_summary,
)

CDNOW = Path(__file__).parents[1] / "data" / "cdnow" / "cdnow_customers_summary.csv"
# Fader, Hardie and Lee (2005), "Counting your customers the easy way", table 1 / section 5
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "ll": -9582.4}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return pd.read_csv(CDNOW)


def test_bgnbd_fit_reproduces_the_published_cdnow_parameters(cdnow) -> None:
    model = fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    assert model.r == pytest.approx(PUBLISHED["r"], abs=5e-4)
    assert model.alpha == pytest.approx(PUBLISHED["alpha"], abs=5e-3)
    assert model.a == pytest.approx(PUBLISHED["a"], abs=5e-4)
    assert model.b == pytest.approx(PUBLISHED["b"], abs=5e-3)
    assert model.log_likelihood == pytest.approx(PUBLISHED["ll"], abs=0.05)


def test_conditional_expectation_of_the_papers_customer() -> None:
    # the paper's worked example: x = 2, t_x = 30.43, T = 38.86 -> 1.226 purchases in 39 weeks
    model = BGNBD(PUBLISHED["r"], PUBLISHED["alpha"], PUBLISHED["a"], PUBLISHED["b"])
    assert float(model.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=1e-3)
    # someone who never bought again is alive for sure under BG/NBD (no chance to drop out)
    assert float(model.probability_alive(0, 0, 38.86)) == 1.0
    # the longer since the last purchase, the less likely alive
    recent, stale = model.probability_alive([5, 5], [38.0, 10.0], [38.86, 38.86])
    assert 0 < stale < recent < 1


def test_gamma_gamma_reproduces_the_published_cdnow_parameters(cdnow) -> None:
    # Fader and Hardie (2013), "The Gamma-Gamma model of monetary value": p = 6.25,
    # q = 3.74, gamma = 15.44 on the 946 customers with repeat purchases
    repeaters = cdnow[cdnow["x"] > 0]
    assert len(repeaters) == 946
    model = fit_gamma_gamma(repeaters["x"], repeaters["zbar"])
    assert (model.p, model.q, model.gamma) == pytest.approx((6.25, 3.74, 15.44), abs=0.01)
    # shrinkage: one purchase of 100 is pulled towards the mean more than ten of 100
    one, ten = model.expected_spend([1, 10], [100.0, 100.0])
    assert model.mean < one < ten < 100


def test_fit_recovers_simulated_parameters() -> None:
    rng = np.random.default_rng(7)
    truth = GammaGamma(p=5.0, q=4.0, gamma=20.0)
    n = 4000
    x = rng.integers(1, 8, size=n)
    nu = rng.gamma(truth.q, 1 / truth.gamma, size=n)           # per-customer scale
    m_x = rng.gamma(truth.p * x, 1 / nu) / x                    # mean of x Gamma(p, nu) draws
    fitted = fit_gamma_gamma(x, m_x)
    assert fitted.mean == pytest.approx(truth.mean, rel=0.05)


def test_rfm_summary_and_predictive_clv_on_orders() -> None:
    orders = pd.DataFrame({
        "account_id": ["A", "A", "A", "B", "C", "C"],
        "date": pd.to_datetime(["2025-01-06", "2025-01-06", "2025-02-03", "2025-01-13",
                                "2025-01-06", "2025-03-03"]),
        "amount": [10.0, 5.0, 30.0, 20.0, 8.0, 12.0]})
    rfm = rfm_summary(orders, as_of=pd.Timestamp("2025-03-31")).set_index("account_id")
    # A: two purchase days (01-06 with 15, 02-03 with 30): x = 1, t_x = 4 weeks, T = 12 weeks
    assert rfm.loc["A", ["x", "t_x", "T", "m_x"]].tolist() == [1.0, 4.0, 12.0, 30.0]
    assert rfm.loc["B", "x"] == 0 and np.isnan(rfm.loc["B", "m_x"])
    demo = generate(seed=3, scale=0.3)["orders"]
    frame, purchases, spend = predictive_clv(demo, as_of=pd.Timestamp("2025-12-31"),
                                             horizon=52, gross_margin=0.5)
    assert np.isfinite(purchases.log_likelihood) and spend.p > 0
    assert (frame["expected_purchases"] >= 0).all() and (frame["p_alive"] <= 1).all()
    assert frame["expected_value"].tolist() == pytest.approx(
        (frame["expected_purchases"] * frame["expected_spend"] * 0.5).tolist())
