"""customers_at_risk: P(alive) from the checked BG/NBD fit, history per account, value at risk."""

import numpy as np
import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.analysis import TooFewCustomersError, customers_at_risk
from b2bkit.analysis.customers import AT_RISK_COLUMNS
from b2bkit.core.errors import UsageError
from b2bkit.load.dataset import from_frames
from b2bkit.load.settings import Settings
from b2bkit.metrics import predictive, prepare
from b2bkit.metrics.predictive import BGNBD, CheckedCLV, FitCheck, FitCheckError, GammaGamma

AS_OF = "2025-12-30"


def _dataset(orders: pd.DataFrame, **settings) -> object:
    frame = orders.assign(order_id=[f"X{i:04d}" for i in range(len(orders))],
                          date=orders["date"].dt.strftime("%Y-%m-%d"))
    return from_frames({"orders": frame}, settings=Settings.from_dict(
        {"as_of": AS_OF, **settings}, source="test"))


def simulated_orders(n: int, seed: int) -> pd.DataFrame:
    """Orders of ``n`` customers drawn from the BG/NBD and Gamma-Gamma stories over 2025."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 120, size=n)                   # day of the first order
    rate = rng.gamma(1.0, 1 / 6.0, size=n)                  # purchases per week while alive
    drop = rng.beta(1.0, 4.0, size=n)                       # dropout after a repeat purchase
    scale = 1 / rng.gamma(4.0, 1 / 400.0, size=n)           # spend scale per customer
    accounts, days = [np.arange(n)], [first.astype(float)]
    now, alive = first.astype(float), np.arange(n)
    while alive.size:                                       # one round per purchase number
        now[alive] += rng.exponential(7 / rate[alive])
        alive = alive[now[alive] < 52 * 7]
        accounts.append(alive)
        days.append(np.floor(now[alive]))
        alive = alive[rng.random(alive.size) >= drop[alive]]
    account, day = np.concatenate(accounts), np.concatenate(days)
    return pd.DataFrame({"account_id": [f"A{i:03d}" for i in account],
                         "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(day, unit="D"),
                         "amount": np.round(rng.gamma(6.0, scale[account]), 2)})


# -- the table, on 20 hand-made accounts with a stated P(alive) -------------------------
#
# Accounts C00..C19; C00 ordered 100 on 2025-12-01 and 300 on 2025-12-20 (2 orders, 400),
# C01 ordered 1,000 on 2025-06-30 (1 order), every other account one order of 10 on
# 2025-11-30. The model is replaced by fixed P(alive): C00 0.9, C01 0.5, others 1.0, so
# value at risk = (1 - P) x total: C01 500, C00 40, the others 0 (ties by account id).

def _hand_made() -> pd.DataFrame:
    ids = ["C00", "C00", "C01"] + [f"C{i:02d}" for i in range(2, 20)]
    return pd.DataFrame({"account_id": ids,
                         "date": pd.to_datetime(["2025-12-01", "2025-12-20", "2025-06-30"]
                                                + ["2025-11-30"] * 18),
                         "amount": [100.0, 300.0, 1000.0] + [10.0] * 18})


@pytest.fixture
def fixed_model(monkeypatch):
    def checked_clv(orders, *, as_of, horizon, gross_margin):
        ids = [f"C{i:02d}" for i in range(20)]
        frame = pd.DataFrame({"account_id": ids, "p_alive": [0.9, 0.5] + [1.0] * 18,
                              "expected_value": [horizon * gross_margin] * 20})
        return CheckedCLV(frame, BGNBD(1, 1, 1, 1), GammaGamma(1, 2, 1), FitCheck(True, [], {}))
    monkeypatch.setattr(predictive, "checked_clv", checked_clv)


def test_table_from_a_stated_p_alive(fixed_model) -> None:
    got = customers_at_risk(_dataset(_hand_made(), gross_margin=0.5), horizon_weeks=10, top=3)
    expected = pd.DataFrame({
        "account_id": pd.array(["C01", "C00", "C02"], dtype="string"),
        "p_alive": [0.5, 0.9, 1.0],
        "last_order": pd.to_datetime(["2025-06-30", "2025-12-20", "2025-11-30"]),
        "days_since": [183, 10, 30],
        "orders": [1, 2, 1],
        "total_value": [1000.0, 400.0, 10.0],
        "expected_value": [5.0, 5.0, 5.0],          # 10 weeks x margin 0.5, as the stub gives
        "value_at_risk": [500.0, 400.0 * (1 - 0.9), 0.0]})
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert tuple(got.columns) == AT_RISK_COLUMNS


def test_as_of_cuts_the_orders(fixed_model) -> None:
    # seen from 2025-12-10, C00's order of 2025-12-20 does not exist yet
    got = customers_at_risk(_dataset(_hand_made()), as_of="2025-12-10").set_index("account_id")
    assert got.loc["C00", ["orders", "total_value", "days_since"]].tolist() == [1, 100.0, 9]


# -- the real fit ----------------------------------------------------------------------


def test_p_alive_is_the_bgnbd_formula_of_the_checked_fit() -> None:
    orders = simulated_orders(40, seed=0)
    ds = _dataset(orders)
    got = customers_at_risk(ds)
    fit = predictive.checked_clv(prepare(ds).tables["orders"], as_of=pd.Timestamp(AS_OF))
    assert fit.check.ok
    # P(alive) = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)), x > 0
    rfm = fit.frame.set_index("account_id")
    m = fit.purchases
    x, t_x, T = rfm["x"], rfm["t_x"], rfm["T"]
    odds = m.a / (m.b + x - 1) * ((m.alpha + T) / (m.alpha + t_x)) ** (m.r + x)
    expected = (1 / (1 + odds)).where(x > 0, 1.0)
    by_account = got.set_index("account_id")
    np.testing.assert_allclose(by_account["p_alive"], expected.reindex(by_account.index),
                               rtol=1e-9)
    totals = orders.groupby("account_id")["amount"].sum()
    np.testing.assert_allclose(by_account["total_value"], totals.reindex(by_account.index))
    np.testing.assert_allclose(by_account["value_at_risk"],
                               (1 - by_account["p_alive"]) * by_account["total_value"])
    assert got["value_at_risk"].is_monotonic_decreasing
    assert len(got) == 40 and got["orders"].sum() == len(orders)


def test_a_fit_that_fails_its_check_gives_no_numbers() -> None:
    # the clockwork buyers of checked_clv's docstring: sixty customers, ten orders a year each
    days = pd.Timestamp("2025-01-01") + pd.to_timedelta(np.arange(600) * 37 % 360, unit="D")
    orders = pd.DataFrame({"account_id": [f"A{i:02d}" for i in np.arange(600) % 60],
                           "date": days, "amount": 10.0 + np.arange(600) % 7})
    with pytest.raises(FitCheckError) as error:
        customers_at_risk(_dataset(orders), as_of="2025-12-31")
    # r runs off to infinity; whether the search also reports no convergence depends on the
    # processor's last bits, so only the implausible parameter is asserted
    assert [r for r in error.value.check.reasons if r.startswith("BG/NBD r = ")]
    assert str(error.value).startswith("the predictive CLV fit is not reliable: ")
    assert "BG/NBD r = " in str(error.value)


def test_too_few_customers() -> None:
    with pytest.raises(TooFewCustomersError) as error:
        customers_at_risk(sample_dataset())
    assert str(error.value) == ("the predictive CLV fit is not reliable: it needs the orders "
                                "of at least 20 customers; the data has 1")
    assert error.value.check.figures == {"customers": 1.0}
    assert isinstance(error.value, FitCheckError) and error.value.exit_code == 1


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(top=0), "top must be a positive whole number; not 0"),
    (dict(horizon_weeks=2.5), "horizon_weeks must be a positive whole number; not 2.5"),
], ids=["top", "horizon"])
def test_usage_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError) as error:
        customers_at_risk(sample_dataset(), **kwargs)
    assert str(error.value) == message
