"""check_fit: a fit that broke down is refused with its reasons, a healthy one passes."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit.core.errors import B2bkitError
from b2bkit.metrics.predictive import (
    BGNBD,
    FitCheckError,
    GammaGamma,
    check_fit,
    checked_clv,
    fit_bgnbd,
    fit_gamma_gamma,
    holdout_summary,
    simulate_summary,
)

CDNOW = Path(__file__).parents[1] / "data" / "cdnow" / "cdnow_customers_summary.csv"
PUBLISHED = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
SPEND = GammaGamma(p=6.25, q=3.74, gamma=15.44)
START = pd.Timestamp("2024-01-01")
AS_OF = START + pd.Timedelta(days=728)             # 104 weeks
CALIBRATION_END = START + pd.Timedelta(days=364)   # 52 + 52 weeks


def breakdown_orders() -> pd.DataFrame:
    """2,000 customers who buy once, and 5 who buy every second day, 300 times each."""
    once = pd.DataFrame({"account_id": [f"O{i:04d}" for i in range(2000)],
                         "date": START + pd.to_timedelta(np.arange(2000) % 70 * 10, unit="D"),
                         "amount": 100.0})
    days = np.tile(np.arange(300) * 2, 5) + np.repeat(np.arange(5), 300)
    heavy = pd.DataFrame({"account_id": np.repeat([f"H{i}" for i in range(5)], 300),
                          "date": START + pd.to_timedelta(days, unit="D"),
                          "amount": 50.0 + np.tile(np.arange(300) % 9, 5)})
    return pd.concat([once, heavy], ignore_index=True)


def simulated_orders(n: int, seed: int) -> pd.DataFrame:
    """An order log from the BG/NBD and Gamma-Gamma stories with the CDNOW parameters.

    First purchases in the first 12 weeks, then 104 weeks of purchases at
    whole days; one loop round per purchase number, all customers at once.
    """
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 84, size=n).astype(float)
    rate = rng.gamma(PUBLISHED.r, 1 / PUBLISHED.alpha, size=n) / 7        # per day
    drop = rng.beta(PUBLISHED.a, PUBLISHED.b, size=n)
    nu = rng.gamma(SPEND.q, 1 / SPEND.gamma, size=n)
    accounts, days = [np.arange(n)], [first]
    now, active = first.copy(), np.arange(n)
    while active.size:
        now[active] += rng.exponential(1 / rate[active])
        active = active[now[active] <= 728]
        accounts.append(active)
        days.append(np.floor(now[active]))
        active = active[rng.random(active.size) >= drop[active]]
    account = np.concatenate(accounts)
    return pd.DataFrame({"account_id": account,
                         "date": START + pd.to_timedelta(np.concatenate(days), unit="D"),
                         "amount": rng.gamma(SPEND.p, 1 / nu[account])})


def test_holdout_summary_counts_purchase_days_after_the_calibration_end() -> None:
    orders = pd.DataFrame({
        "account_id": ["A", "A", "A", "A", "B", "C"],
        "date": pd.to_datetime(["2025-01-06", "2025-01-20", "2025-02-10", "2025-02-10",
                                "2025-01-13", "2025-02-17"]),
        "amount": [10.0, 20.0, 30.0, 5.0, 8.0, 9.0]})
    table = holdout_summary(orders, calibration_end=pd.Timestamp("2025-02-03"),
                            as_of=pd.Timestamp("2025-03-03")).set_index("account_id")
    # A: two days before (x = 1, t_x = 2, T = 4 weeks), two orders on one day after: 1 purchase;
    # B: nothing after; C first bought after the calibration end: not in the table
    assert table.index.tolist() == ["A", "B"]
    assert table.loc["A", ["x", "t_x", "T", "x_holdout", "duration"]].tolist() == [
        1.0, 2.0, 4.0, 1, 4.0]
    assert table.loc["B", ["x", "x_holdout"]].tolist() == [0.0, 0]


def test_a_fit_that_broke_down_is_refused_with_what_broke() -> None:
    result = checked_clv(breakdown_orders(), as_of=AS_OF, calibration_end=CALIBRATION_END)
    check = result.check
    assert check.ok is False
    # the likelihood runs off to a, b, p, q -> infinity: no maximum, Nelder-Mead stops somewhere
    assert (result.purchases.method, result.spend.method) == ("Nelder-Mead", "Nelder-Mead")
    outside = [reason.split(" = ")[0] for reason in check.reasons if "plausible" in reason]
    assert outside == ["BG/NBD a", "BG/NBD b", "Gamma-Gamma p", "Gamma-Gamma q"]
    # on paper: the heavy buyers H0..H4 buy 117, 118, 119, 118 and 119 days after day 364
    assert check.figures["holdout_actual"] == 591
    # refitted on the first 52 weeks, the model predicts an absurd holdout (-9.3e13 purchases)
    predicted, error = check.figures["holdout_predicted"], check.figures["holdout_error"]
    assert error > 1e6
    assert check.reasons[-1] == (
        f"fitted before the holdout, it predicts {predicted:,.4g} purchases in the 52-unit "
        f"holdout where 591 happened (error {error:,.3g} times the actual, above 25%)")
    with pytest.raises(FitCheckError,
                       match=r"^the predictive CLV fit is not reliable: .*BG/NBD a = ") as raised:
        check.raise_for_failure()
    assert isinstance(raised.value, B2bkitError) and raised.value.check is check


def test_a_healthy_population_passes_with_its_holdout_close() -> None:
    result = checked_clv(simulated_orders(3000, seed=5), as_of=AS_OF,
                         calibration_end=CALIBRATION_END)
    assert result.check.reasons == []
    assert result.check.ok is True
    assert result.check.figures["holdout_error"] < 0.1
    result.check.raise_for_failure()
    assert (result.purchases.method, result.spend.method) == ("BFGS", "BFGS")


def test_the_cdnow_fit_passes() -> None:
    cdnow = pd.read_csv(CDNOW).rename(columns={"zbar": "m_x"})
    repeat = cdnow[cdnow["x"] > 0]
    check = check_fit(fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"]),
                      fit_gamma_gamma(repeat["x"], repeat["m_x"]), cdnow, horizon=39)
    assert (check.ok, check.reasons) == (True, [])
    # the largest prediction over 39 weeks is far below what the fastest buyer supports
    assert check.figures["max_expected_purchases"] < check.figures["purchase_bound"]


SUMMARY = pd.DataFrame({"x": [0.0, 2.0, 5.0], "t_x": [0.0, 30.0, 36.0], "T": [38.0, 40.0, 39.0],
                        "m_x": [np.nan, 20.0, 30.0]})


def test_predictions_that_are_not_numbers_fail() -> None:
    # a + b = 1 puts a zero third argument into 2F1 for x = 0: the prediction is NaN
    check = check_fit(BGNBD(0.2, 1.0, 0.5, 0.5), None, SUMMARY)
    assert check.reasons == [
        "expected purchases over 52 units are not finite or negative for 1 of 3 customers"]


def test_unconverged_optimisers_and_an_infinite_mean_fail() -> None:
    purchases = BGNBD(0.243, 4.414, 0.793, 2.426, converged=False, method="Nelder-Mead")
    check = check_fit(purchases, GammaGamma(6.25, 0.9, 15.44), SUMMARY)
    assert check.reasons[0] == "the BG/NBD optimiser (Nelder-Mead) did not converge"
    assert "Gamma-Gamma q = 0.90 is not above 1: the mean purchase value is infinite" in (
        check.reasons)


def test_spend_beyond_twice_the_largest_observed_mean_fails() -> None:
    # population mean p gamma / (q - 1) = 6 x 100 / 2 = 300, above 2 x 30
    check = check_fit(PUBLISHED, GammaGamma(6.0, 3.0, 100.0), SUMMARY)
    assert check.reasons == ["expected spend per purchase reaches 300, beyond 2 x the largest "
                             "observed mean value (60)"]
    assert check.figures["spend_bound"] == 60.0


def test_a_holdout_missed_by_more_than_a_quarter_fails() -> None:
    summary = simulate_summary(2000, purchases=PUBLISHED, spend=SPEND, seed=2)
    holdout = summary.assign(x_holdout=0, duration=39.0)   # nobody bought again
    check = check_fit(PUBLISHED, None, summary, holdout=holdout)
    predicted = check.figures["holdout_predicted"]
    assert predicted > 100 and check.figures["holdout_error"] == predicted
    # relative to max(actual, 1) = 1; ten times or more is said as "times the actual"
    assert check.reasons == [f"fitted before the holdout, it predicts {predicted:,.4g} purchases "
                             f"in the 39-unit holdout where 0 happened (error "
                             f"{predicted:,.3g} times the actual, above 25%)"]
    missed = summary.assign(x_holdout=np.round(summary["x"]).astype(int), duration=39.0)
    check = check_fit(PUBLISHED, None, summary, holdout=missed)
    predicted, error = check.figures["holdout_predicted"], check.figures["holdout_error"]
    assert 0.25 < error < 10
    assert check.reasons == [f"fitted before the holdout, it predicts {predicted:,.4g} purchases "
                             f"in the 39-unit holdout where {summary['x'].sum():,.0f} happened "
                             f"(error {error:.0%}, above 25%)"]
