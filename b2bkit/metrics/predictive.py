r"""Predictive customer lifetime value: BG/NBD purchases and Gamma-Gamma spend.

The simple CLV of the catalogue multiplies an average revenue by an average
lifetime. These models predict per customer from their own history:

- **BG/NBD** (Fader, Hardie and Lee 2005, "Counting your customers the easy
  way"): while alive a customer buys at a Poisson rate :math:`\lambda \sim
  \text{Gamma}(r, \alpha)`; after each purchase they drop out with
  probability :math:`p \sim \text{Beta}(a, b)`. From the repeat purchases
  :math:`x`, the time of the last one :math:`t_x` and the time observed
  :math:`T` it gives the expected purchases in the next :math:`t` periods.
- **Gamma-Gamma** (Fader, Hardie and Lee 2005, "RFM and CLV"; Fader and
  Hardie 2013 note): the average value of a customer's purchases, shrunk
  towards the population mean when they bought only a few times.

Implemented here with NumPy and SciPy (maximum likelihood, log-parameters):
the ``lifetimes`` library that popularised these models is unmaintained
(last release 2020) and does not support pandas 3, and PyMC-Marketing would
add a probabilistic-programming stack for two closed-form likelihoods. The
implementation is checked against the published CDNOW figures in
``tests/metrics/test_predictive.py``.

Time is measured in **weeks** by default (``unit_days=7``), as in the papers.

Examples
--------
>>> model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)   # published CDNOW fit
>>> round(float(model.expected_purchases(39, x=2, t_x=30.43, T=38.86)), 3)
1.226
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

__all__ = ["BGNBD", "GammaGamma", "fit_bgnbd", "fit_gamma_gamma", "predictive_clv",
           "rfm_summary"]


def _arrays(*values: object) -> list[np.ndarray]:
    return [np.asarray(v, dtype=float) for v in values]


@dataclass(frozen=True)
class BGNBD:
    """A fitted BG/NBD model; ``log_likelihood`` is the total at the fit."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")

    def expected_purchases(self, t: float, x: object, t_x: object, T: object) -> np.ndarray:
        r"""Expected purchases in the next ``t`` periods, given the history.

        .. math:: E[Y(t) \mid x, t_x, T] = \frac{\frac{a+b+x-1}{a-1}\left[1 -
                  \left(\frac{\alpha+T}{\alpha+T+t}\right)^{r+x}
                  {}_2F_1\!\left(r+x, b+x; a+b+x-1; \frac{t}{\alpha+T+t}\right)\right]}
                  {1 + \delta_{x>0} \frac{a}{b+x-1}
                  \left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}}
        """
        x, t_x, T = _arrays(x, t_x, T)
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        z = t / (alpha + T + t)
        head = (a + b + x - 1) / (a - 1)
        body = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x,
                                                                         a + b + x - 1, z)
        return head * body / (1 + self._odds_dead(x, t_x, T))

    def probability_alive(self, x: object, t_x: object, T: object) -> np.ndarray:
        r"""The probability the customer is still active at ``T``.

        .. math:: P(\text{alive} \mid x, t_x, T) = \left[1 + \delta_{x>0}
                  \frac{a}{b+x-1}\left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}\right]^{-1}
        """
        x, t_x, T = _arrays(x, t_x, T)
        return 1 / (1 + self._odds_dead(x, t_x, T))

    def _odds_dead(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            odds = (self.a / (self.b + x - 1)) * ((self.alpha + T) / (self.alpha + t_x)) ** (
                self.r + x)
        return np.where(x > 0, odds, 0.0)


def _bgnbd_loglik(r: float, alpha: float, a: float, b: float, x: np.ndarray, t_x: np.ndarray,
                  T: np.ndarray) -> np.ndarray:
    """Log-likelihood of each customer (Fader, Hardie and Lee 2005, eq. 6)."""
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1)
                      - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def fit_bgnbd(x: object, t_x: object, T: object) -> BGNBD:
    """Maximum-likelihood BG/NBD parameters for customers' (x, t_x, T).

    Parameters
    ----------
    x : array-like
        Repeat purchases (purchases after the first).
    t_x : array-like
        Time of the last purchase, from the first.
    T : array-like
        Time observed, from the first purchase to the end of the data.
    """
    x, t_x, T = _arrays(x, t_x, T)

    def negative(log_params: np.ndarray) -> float:
        return -float(_bgnbd_loglik(*np.exp(log_params), x, t_x, T).sum())

    best = minimize(negative, x0=np.zeros(4), method="Nelder-Mead",
                    options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-8})
    r, alpha, a, b = np.exp(best.x)
    return BGNBD(float(r), float(alpha), float(a), float(b), -float(best.fun))


@dataclass(frozen=True)
class GammaGamma:
    """A fitted Gamma-Gamma spend model."""

    p: float
    q: float
    gamma: float
    log_likelihood: float = float("nan")

    def expected_spend(self, x: object, m_x: object) -> np.ndarray:
        r"""Expected value of a purchase given ``x`` repeat purchases of mean value ``m_x``.

        .. math:: E[M \mid x, m_x] = \frac{p(\gamma + x\,m_x)}{p\,x + q - 1}
        """
        x, m_x = _arrays(x, m_x)
        return self.p * (self.gamma + x * m_x) / (self.p * x + self.q - 1)

    @property
    def mean(self) -> float:
        r"""Mean purchase value in the population, :math:`p\gamma / (q - 1)`."""
        return self.p * self.gamma / (self.q - 1)


def _gg_loglik(p: float, q: float, gamma: float, x: np.ndarray, m_x: np.ndarray) -> np.ndarray:
    return (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(gamma)
            + (p * x - 1) * np.log(m_x) + p * x * np.log(x) - (p * x + q) * np.log(gamma + m_x * x))


def fit_gamma_gamma(x: object, m_x: object) -> GammaGamma:
    """Maximum-likelihood Gamma-Gamma parameters for customers with ``x > 0`` purchases."""
    x, m_x = _arrays(x, m_x)
    keep = (x > 0) & (m_x > 0)
    x, m_x = x[keep], m_x[keep]

    def negative(log_params: np.ndarray) -> float:
        return -float(_gg_loglik(*np.exp(log_params), x, m_x).sum())

    best = minimize(negative, x0=np.zeros(3), method="Nelder-Mead",
                    options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-8})
    p, q, gamma = np.exp(best.x)
    return GammaGamma(float(p), float(q), float(gamma), -float(best.fun))


def rfm_summary(orders: pd.DataFrame, *, as_of: pd.Timestamp, unit_days: float = 7.0
                ) -> pd.DataFrame:
    """Per account: repeat purchase days ``x``, ``t_x``, ``T`` (in units) and ``m_x``.

    Orders on the same calendar day are one purchase (their amounts added);
    ``m_x`` is the mean value of the repeat purchases (NaN when ``x = 0``).
    """
    days = orders.assign(day=orders["date"].dt.normalize())
    days = days[days["day"] <= pd.Timestamp(as_of)]
    daily = days.groupby(["account_id", "day"], observed=True)["amount"].sum().reset_index()
    first = daily.groupby("account_id", observed=True)["day"].transform("min")
    daily["repeat"] = daily["day"] > first
    unit = pd.Timedelta(days=unit_days)
    per = daily.groupby("account_id", observed=True).agg(
        first=("day", "min"), last=("day", "max"), purchases=("day", "size"))
    repeat_value = daily[daily["repeat"]].groupby("account_id", observed=True)["amount"].mean()
    out = pd.DataFrame({
        "x": (per["purchases"] - 1).astype(float),
        "t_x": (per["last"] - per["first"]) / unit,
        "T": (pd.Timestamp(as_of) - per["first"]) / unit,
        "m_x": repeat_value.reindex(per.index),
    })
    out.index.name = "account_id"
    return out.reset_index()


def predictive_clv(orders: pd.DataFrame, *, as_of: pd.Timestamp, horizon: float = 52.0,
                   gross_margin: float = 1.0, unit_days: float = 7.0
                   ) -> tuple[pd.DataFrame, BGNBD, GammaGamma]:
    """Expected purchases, spend per purchase and value over ``horizon`` units, per account.

    Returns the per-account frame (``x, t_x, T, m_x, p_alive,
    expected_purchases, expected_spend, expected_value``; value = purchases x
    spend x margin over the horizon, undiscounted) and the two fitted models.
    """
    rfm = rfm_summary(orders, as_of=as_of, unit_days=unit_days)
    purchases = fit_bgnbd(rfm["x"], rfm["t_x"], rfm["T"])
    repeaters = rfm["x"] > 0
    spend = fit_gamma_gamma(rfm.loc[repeaters, "x"], rfm.loc[repeaters, "m_x"])
    rfm["p_alive"] = purchases.probability_alive(rfm["x"], rfm["t_x"], rfm["T"])
    rfm["expected_purchases"] = purchases.expected_purchases(horizon, rfm["x"], rfm["t_x"],
                                                             rfm["T"])
    rfm["expected_spend"] = np.where(repeaters, spend.expected_spend(rfm["x"], rfm["m_x"].fillna(
        0)), spend.mean)
    rfm["expected_value"] = rfm["expected_purchases"] * rfm["expected_spend"] * gross_margin
    return rfm, purchases, spend
