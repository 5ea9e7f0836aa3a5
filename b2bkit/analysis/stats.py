"""Uncertainty of rates: Wilson intervals, a two-proportion test, honest change sentences.

A rate measured on few leads moves a lot by chance. The reports show each
proportion with its Wilson score interval and call a change between two
periods a change only when a test says it is beyond noise.

>>> lo, hi = wilson_interval(8, 10)
>>> round(float(lo), 4), round(float(hi), 4)
(0.4902, 0.9433)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from b2bkit.core.i18n import NC_, _, percent, pgettext, plain

__all__ = ["TestResult", "bootstrap_total", "change_sentence", "two_proportion_test",
           "wilson_interval"]


def wilson_interval(successes, trials, confidence: float = 0.95):
    r"""The Wilson score interval of a proportion, vectorised.

    .. math:: \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p (1 - \hat p)}{n}
              + \frac{z^2}{4 n^2}}}{1 + \frac{z^2}{n}}

    with :math:`\hat p = x / n` and :math:`z` the normal quantile of
    ``(1 + confidence) / 2`` (1.96 at 95%). Unlike the normal approximation it
    stays inside [0, 1] and is sensible for 0 or n successes.

    Parameters
    ----------
    successes, trials : float or array-like
        Counts; ``trials`` of 0 (or NaN) gives a NaN interval.
    confidence : float
        Coverage, between 0 and 1.

    Returns
    -------
    tuple of (float or numpy.ndarray)
        ``(low, high)``, scalars for scalar input.

    Examples
    --------
    8 of 10 (Newcombe 1998, Table I, gives 0.4902 to 0.9433):

    >>> [round(float(v), 4) for v in wilson_interval(8, 10)]
    [0.4902, 0.9433]
    >>> low, high = wilson_interval([0, 5], [10, 0])
    >>> [round(float(v), 4) for v in low], bool(np.isnan(high[1]))
    ([0.0, nan], True)
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1; not {confidence!r}")
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_ok = np.where(n > 0, n, np.nan)
        p = x / n_ok
        denom = 1 + z**2 / n_ok
        centre = (p + z**2 / (2 * n_ok)) / denom
        half = z * np.sqrt(p * (1 - p) / n_ok + z**2 / (4 * n_ok**2)) / denom
    low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def bootstrap_total(values, *, confidence: float = 0.95, draws: int = 2000,
                    seed: int = 0) -> tuple[float, float]:
    r"""Percentile bootstrap interval of the total of ``values`` (one value per member).

    The members (a period's leads, each with what it booked) are resampled
    with replacement, as many as there are, ``draws`` times; the interval is
    the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of
    the resampled totals. Only the members with a non-zero value add to a
    total, so the resample is drawn in two exact steps: how many of the
    :math:`n` draws hit one of the :math:`k` non-zero members,
    :math:`m \sim \mathrm{Binomial}(n, k / n)`, then which, uniformly among
    the :math:`k`. That is the same distribution as drawing :math:`n`
    members, at a cost of :math:`O(	ext{draws} \cdot k)` instead of
    :math:`O(	ext{draws} \cdot n)`: a channel with 100,000 leads and 40
    won deals costs what 40 leads cost. Seeded, so the same data gives the
    same interval.

    With no non-zero member the interval is the single point 0: the
    bootstrap cannot see deals that did not happen, so a caller should read
    it together with the number of members.

    Examples
    --------
    Ten leads, one of which booked 100:

    >>> bootstrap_total([100.0] + [0.0] * 9)
    (0.0, 300.0)
    >>> bootstrap_total([])
    (nan, nan)
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1; not {confidence!r}")
    a = np.asarray(values, dtype=float)
    a = np.where(np.isnan(a), 0.0, a)
    n = a.size
    if n == 0:
        return math.nan, math.nan
    hits = a[a != 0]
    k = hits.size
    if k == 0:
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    m = rng.binomial(n, k / n, size=draws)
    picked = hits[rng.integers(0, k, size=int(m.sum()))]
    totals = np.bincount(np.repeat(np.arange(draws), m), weights=picked, minlength=draws)
    low, high = np.quantile(totals, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)


#: The names of the tests of :func:`two_proportion_test`, shown with ``pgettext("test", name)``.
TESTS = (NC_("test", "two-proportion z-test"), NC_("test", "Fisher's exact test"))


@dataclass(frozen=True)
class TestResult:
    """The outcome of comparing two proportions."""

    __test__ = False  # not a pytest class

    p1: float
    p2: float
    p_value: float
    test: str  # "two-proportion z-test" or "Fisher's exact test" (TESTS)

    @property
    def difference(self) -> float:
        """p1 - p2, in fractions."""
        return self.p1 - self.p2


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> TestResult:
    r"""Whether x1/n1 and x2/n2 differ by more than chance, two-sided.

    The pooled two-proportion z-test,

    .. math:: z = \frac{\hat p_1 - \hat p_2}{\sqrt{\bar p (1 - \bar p)
              (\frac{1}{n_1} + \frac{1}{n_2})}}, \quad \bar p = \frac{x_1 + x_2}{n_1 + n_2}

    and, when an expected cell count of the 2x2 table is below 5, Fisher's
    exact test instead (scipy). A zero trial count gives a NaN p-value.

    Examples
    --------
    >>> r = two_proportion_test(60, 100, 40, 100)
    >>> r.test, round(r.p_value, 4)
    ('two-proportion z-test', 0.0047)
    >>> r = two_proportion_test(3, 4, 1, 4)
    >>> r.test, round(r.p_value, 4)
    ("Fisher's exact test", 0.4857)
    """
    x1, n1, x2, n2 = (float(v) for v in (x1, n1, x2, n2))
    if not n1 > 0 or not n2 > 0:
        return TestResult(np.nan, np.nan, np.nan, "two-proportion z-test")
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    expected = np.outer([n1, n2], [pooled, 1 - pooled])
    if expected.min() < 5:
        from scipy.stats import fisher_exact  # only for small counts: not paid for otherwise

        table = [[round(x1), round(n1 - x1)], [round(x2), round(n2 - x2)]]
        return TestResult(p1, p2, float(fisher_exact(table).pvalue), "Fisher's exact test")
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (p1 - p2) / se
    # two-sided normal tail: 2 * (1 - Phi(|z|)) = erfc(|z| / sqrt 2), exact in the far tail
    return TestResult(p1, p2, math.erfc(abs(z) / math.sqrt(2)), "two-proportion z-test")


def change_sentence(label: str, x1: float, n1: float, x2: float, n2: float, *,
                    now: str, before: str, alpha: float = 0.05) -> str:
    """A change of a rate between two periods, called a change only beyond noise.

    The difference is in percentage points (pp); the test is
    :func:`two_proportion_test`, named with its p-value.

    Examples
    --------
    >>> change_sentence("lead quality", 60, 100, 40, 100, now="2025-Q2", before="2025-Q1")
    'lead quality 60.0% in 2025-Q2, up 20.0 pp from 40.0% in 2025-Q1 (two-proportion z-test, p = 0.005).'
    >>> change_sentence("lead quality", 3, 4, 1, 4, now="2025-Q2", before="2025-Q1")
    "lead quality 75.0% in 2025-Q2 against 25.0% in 2025-Q1: within noise (Fisher's exact test, p = 0.486)."
    """  # noqa: E501
    result = two_proportion_test(x1, n1, x2, n2)
    if np.isnan(result.p_value):
        return _("{label}: no comparison of {now} with {before} (no trials in one of "
                 "them).").format(label=label, now=now, before=before)
    test = _("{test}, p = {p}").format(test=pgettext("test", result.test),
                                       p=plain(result.p_value, 3))
    values = {"label": label, "now": now, "before": before, "test": test,
              "pct": percent(result.p1), "old": percent(result.p2),
              "change": plain(100 * abs(result.difference), 1)}
    if result.p_value >= alpha:
        return _("{label} {pct} in {now} against {old} in {before}: within noise "
                 "({test}).").format(**values)
    if result.difference > 0:
        return _("{label} {pct} in {now}, up {change} pp from {old} in {before} "
                 "({test}).").format(**values)
    return _("{label} {pct} in {now}, down {change} pp from {old} in {before} "
             "({test}).").format(**values)
