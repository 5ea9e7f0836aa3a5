"""The fast BG/NBD and Gamma-Gamma fits: distinct rows, analytic gradients, same optimum.

"Before" is the derivative-free search the module used until the gradient fit
(Nelder-Mead from the origin over log-parameters, one term per customer); the
new fit must land on the same parameters to 1e-6 relative.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from b2bkit.metrics.predictive import (
    BGNBD,
    GammaGamma,
    _bgnbd_loglik,
    _bgnbd_objective,
    _Distinct,
    _gg_loglik,
    _gg_objective,
    fit_bgnbd,
    fit_gamma_gamma,
    simulate_summary,
)

CDNOW = Path(__file__).parents[1] / "data" / "cdnow" / "cdnow_customers_summary.csv"
PUBLISHED = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
SPEND = GammaGamma(p=6.25, q=3.74, gamma=15.44)


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return pd.read_csv(CDNOW)


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    return simulate_summary(5000, purchases=PUBLISHED, spend=SPEND, seed=11)


def nelder_mead(loglik, n_params: int, *columns: np.ndarray) -> np.ndarray:
    """The fit as it was: Nelder-Mead over log-parameters, summed per customer."""
    best = minimize(lambda v: -float(loglik(*np.exp(v), *columns).sum()), x0=np.zeros(n_params),
                    method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-8})
    return np.exp(best.x)


def test_distinct_rows_carry_their_counts() -> None:
    # five customers, three distinct rows: (0, 0, 10) twice, (1, 2, 10) twice, (2, 5, 12) once
    d = _Distinct.of(np.array([1.0, 0, 2, 0, 1]), np.array([2.0, 0, 5, 0, 2]),
                     np.array([10.0, 10, 12, 10, 10]))
    assert d.rows.tolist() == [[0, 0, 10], [1, 2, 10], [2, 5, 12]]
    assert d.weight.tolist() == [2, 2, 1]
    assert d.xs.tolist() == [0, 1, 2] and d.at.tolist() == [0, 1, 2]


def test_weighted_objectives_equal_the_per_customer_sums(cdnow) -> None:
    x, t_x, T, m = (cdnow[c].to_numpy(dtype=float) for c in ("x", "t_x", "T", "zbar"))
    params = np.array([0.3, 5.0, 0.9, 2.0])
    value, _ = _bgnbd_objective(np.log(params), _Distinct.of(x, t_x, T))
    assert value == pytest.approx(-_bgnbd_loglik(*params, x, t_x, T).sum(), rel=1e-12)
    repeat = x > 0
    value, _ = _gg_objective(np.log([6.0, 3.0, 15.0]), _Distinct.of(x[repeat], m[repeat]))
    assert value == pytest.approx(-_gg_loglik(6.0, 3.0, 15.0, x[repeat], m[repeat]).sum(),
                                  rel=1e-12)


@pytest.mark.parametrize("params", [[1.0, 1.0, 1.0, 1.0], [0.243, 4.414, 0.793, 2.426],
                                    [2.7, 0.13, 7.4, 0.6]], ids=["origin", "cdnow", "far"])
def test_bgnbd_gradient_matches_central_differences(cdnow, params) -> None:
    d = _Distinct.of(*(cdnow[c].to_numpy(dtype=float) for c in ("x", "t_x", "T")))
    point = np.log(params)
    _, gradient = _bgnbd_objective(point, d)
    step = 1e-5
    numeric = [(_bgnbd_objective(point + step * e, d)[0] - _bgnbd_objective(point - step * e, d)[0])
               / (2 * step) for e in np.eye(4)]
    assert gradient == pytest.approx(numeric, rel=1e-5, abs=1e-4)


@pytest.mark.parametrize("params", [[1.0, 1.0, 1.0], [6.25, 3.74, 15.44], [0.4, 12.0, 90.0]],
                         ids=["origin", "cdnow", "far"])
def test_gamma_gamma_gradient_matches_central_differences(cdnow, params) -> None:
    repeat = cdnow[cdnow["x"] > 0]
    d = _Distinct.of(repeat["x"].to_numpy(dtype=float), repeat["zbar"].to_numpy(dtype=float))
    point = np.log(params)
    _, gradient = _gg_objective(point, d)
    step = 1e-5
    numeric = [(_gg_objective(point + step * e, d)[0] - _gg_objective(point - step * e, d)[0])
               / (2 * step) for e in np.eye(3)]
    assert gradient == pytest.approx(numeric, rel=1e-5, abs=1e-4)


@pytest.mark.parametrize("data", ["cdnow", "simulated"])
def test_gradient_fits_land_where_the_derivative_free_search_did(data, request) -> None:
    summary = request.getfixturevalue(data)
    value = "zbar" if data == "cdnow" else "m_x"
    x, t_x, T = (summary[c].to_numpy(dtype=float) for c in ("x", "t_x", "T"))
    model = fit_bgnbd(x, t_x, T)
    assert (model.converged, model.method) == (True, "BFGS")
    before = nelder_mead(_bgnbd_loglik, 4, x, t_x, T)
    assert [model.r, model.alpha, model.a, model.b] == pytest.approx(before, rel=1e-6)
    repeat = x > 0
    m_x = summary[value].to_numpy(dtype=float)[repeat]
    spend = fit_gamma_gamma(x[repeat], m_x)
    assert (spend.converged, spend.method) == (True, "BFGS")
    before = nelder_mead(_gg_loglik, 3, x[repeat], m_x)
    assert [spend.p, spend.q, spend.gamma] == pytest.approx(before, rel=1e-6)


def test_the_derivative_free_search_takes_over_when_the_maximum_is_at_infinity() -> None:
    # 2,000 customers who never bought again and 5 who bought 299 more times: the likelihood
    # keeps rising as b grows, the gradient search runs past 1e5, and the
    # derivative-free search of earlier versions gives the answer
    x = np.r_[np.zeros(2000), np.full(5, 299.0)]
    t_x = np.r_[np.zeros(2000), np.full(5, 598 / 7)]
    T = np.r_[np.full(2000, 50.0), np.full(5, 104.0)]
    model = fit_bgnbd(x, t_x, T)
    assert model.method == "Nelder-Mead"
    assert model.b > 1e4
