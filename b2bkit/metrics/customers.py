"""Customers: who they are in a period, retention, churn, NPS, CAC, ARPA and CLV.

An account becomes a customer on its first order (or, without orders, its
first won opportunity's close) and stops on ``churned_at`` (if on or before
as_of) or on its last order + ``churn_after_days`` (if that day is on or
before as_of). It is a customer on day *d* when start <= d < stop. For a
period *P*: **S** = customers on the day before *P*, **E** = customers on
*P*'s last day, **N** = accounts whose start is in *P*, **L** = accounts in
S whose stop is in *P*. Customer metrics split by the account's acquisition
channel (the channel of its earliest lead) and segment only.

Examples use :func:`b2bkit.sample_dataset`: A1 became a customer with its
first order on 2025-02-11, so in 2025-Q1: S = 0, N = 1, E = 1, L = 0.
"""

from __future__ import annotations

import pandas as pd

from b2bkit.core.i18n import _, period_text
from b2bkit.core.periods import Period
from b2bkit.metrics._base import (
    ACCOUNT_DIMENSIONS,
    Result,
    Split,
    absent,
    combine,
    metric,
    prepare,
    ratio,
)
from b2bkit.metrics.marketing import spend_in
from b2bkit.metrics.revenue import revenue_in
from b2bkit.view.customers import state_masks

__all__ = [
    "arpa",
    "cac",
    "cac_payback_months",
    "churn_rate",
    "clv",
    "clv_cac_ratio",
    "customers_end",
    "customers_start",
    "new_customers",
    "nps",
    "retention_rate",
]


def _customers(split: Split) -> Result | None:
    if not ({"orders", "opportunities"} & set(split.view.tables)):
        return Result.missing(split.groups, _("no orders or opportunities table in the dataset"))
    if split.unsplittable("customers"):
        return split.not_split("customers")
    return None


def _states(split: Split, period: Period) -> dict[str, pd.Series] | Result:
    """S, E, N and L per group."""
    missing = _customers(split)
    if missing:
        return missing
    customers = split.view.customers
    return {name: split.count("customers", pd.Series(mask, index=customers.index))
            for name, mask in state_masks(customers, period).items()}


def _state(split: Split, period: Period, name: str) -> Result:
    states = _states(split, period)
    return states if isinstance(states, Result) else Result.of(states[name])


@metric("count", splits=ACCOUNT_DIMENSIONS, subject="customers")
def new_customers(split: Split, period: Period) -> Result:
    r"""Accounts that became customers in the period (N).

    .. math:: N = \#\{\text{account} : \text{start} \in P\}

    Units: accounts.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> new_customers(sample_dataset(), "2025-Q1"), new_customers(sample_dataset(), "2025-01")
    (1, 0)
    """
    return _state(split, period, "N")


@metric("count", splits=ACCOUNT_DIMENSIONS, subject="customers")
def customers_start(split: Split, period: Period) -> Result:
    r"""Customers on the day before the period starts (S).

    .. math:: S = \#\{\text{account} : \text{start} \le d_0 - 1 < \text{stop}\}

    Units: accounts.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> customers_start(sample_dataset(), "2025-Q1"), customers_start(sample_dataset(), "2025-03")
    (0, 1)
    """
    return _state(split, period, "S")


@metric("count", splits=ACCOUNT_DIMENSIONS, subject="customers")
def customers_end(split: Split, period: Period) -> Result:
    r"""Customers on the period's last day (E).

    .. math:: E = \#\{\text{account} : \text{start} \le d_1 < \text{stop}\}

    Units: accounts.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> customers_end(sample_dataset(), "2025-Q1")
    1
    """
    return _state(split, period, "E")


def churn_in(split: Split, period: Period) -> Result:
    states = _states(split, period)
    if isinstance(states, Result):
        return states
    return ratio(states["L"], states["S"], _("no customers at the start of {period}").format(
        period=period_text(period)))


@metric("rate", splits=ACCOUNT_DIMENSIONS, subject="customers")
def retention_rate(split: Split, period: Period) -> Result:
    r"""Customers kept: the seeds' formula (E - N) / S.

    .. math:: \text{retention\_rate} = \frac{E - N}{S}

    Units: fraction. Customers won and lost inside the period count against
    retention, so it can fall below 0 when many new customers churn. Missing
    when there were no customers at the start.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> retention_rate(sample_dataset(), "2025-03")     # S=1, E=1, N=0
    1.0
    >>> retention_rate(sample_dataset(), "2025-Q1")
    Missing('no customers at the start of 2025-Q1')
    """
    states = _states(split, period)
    if isinstance(states, Result):
        return states
    return ratio(states["E"] - states["N"], states["S"],
                 _("no customers at the start of {period}").format(
        period=period_text(period)))


@metric("rate", better="lower", splits=ACCOUNT_DIMENSIONS, subject="customers")
def churn_rate(split: Split, period: Period) -> Result:
    r"""Share of the customers at the start that stopped in the period.

    .. math:: \text{churn\_rate} = \frac{L}{S}

    Units: fraction. Customers won and lost inside the period are not in L.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> churn_rate(sample_dataset(), "2025-03")
    0.0
    """
    return churn_in(split, period)


@metric("score", needs=("nps",), splits=ACCOUNT_DIMENSIONS)
def nps(split: Split, period: Period) -> Result:
    r"""Net Promoter Score of the answers dated in the period.

    .. math:: \text{nps} = 100 \times \left(\frac{\#\{9, 10\}}{n} - \frac{\#\{0..6\}}{n}\right)

    Units: points from -100 to 100. Missing without answers.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> nps(sample_dataset(), "2025-Q1")      # one 9 and one 6
    0.0
    """
    if split.unsplittable("nps"):
        return split.not_split("nps")
    frame = split.view.tables["nps"]
    dated = period.mask(frame["date"])
    score = frame["score"].astype(float)
    net = (score >= 9).astype(float) - (score <= 6).astype(float)
    answers = split.count("nps", dated)
    return ratio(100 * split.sum("nps", net, dated), answers,
                 _("no NPS answers in {period}").format(period=period_text(period)))


def _acquisition_cost(split: Split, period: Period) -> Result:
    if absent(split, "spend") and absent(split, "sales_costs"):
        return Result.missing(split.groups, _("the dataset has no marketing spend or sales costs"))
    total = split.empty(0.0)
    if "spend" in split.view.tables:
        total = total + spend_in(split, period).values
    if split.by is None and "sales_costs" in split.view.tables:
        costs = split.view.tables["sales_costs"]
        total = total + costs["amount"].astype(float)[period.mask(costs["date"])].sum()
    return Result.of(total)


@metric("currency", better="lower", splits=("channel",))
def cac(split: Split, period: Period) -> Result:
    r"""Customer acquisition cost: spend and sales costs per new customer.

    .. math:: \text{cac} = \frac{\text{marketing\_spend} + \text{sales costs}}{N}

    By channel: that channel's marketing spend over the new customers
    acquired through it (sales costs are not split). An absent ``spend`` or
    ``sales_costs`` table counts as no cost; with neither, cac is missing.
    Units: currency per customer.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> cac(sample_dataset(), "2025-Q1")     # (3500 + 2000) / 1
    5500.0
    """
    cost = _acquisition_cost(split, period)
    new = new_customers.compute(split, period)
    return combine(ratio(cost.values, new.values, _("no new customers in {period}").format(
        period=period_text(period))), cost, new)


def _active(split: Split, period: Period) -> pd.Series:
    c = split.view.customers
    alive = (c["start"] <= period.end) & ~(c["stop"] <= c["start"].clip(lower=period.start))
    return split.count("customers", alive.astype(bool))


@metric("currency", splits=ACCOUNT_DIMENSIONS, subject="customers")
def arpa(split: Split, period: Period) -> Result:
    r"""Annual revenue per account that was a customer on any day of the period.

    .. math:: \text{arpa} = \frac{\text{revenue}}{\#\text{customers in } P}
              \times \frac{365}{\text{days in } P}

    Units: currency per account per year. Split by the account's
    acquisition channel and segment.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(arpa(sample_dataset(), "2025-Q1"), 2)    # 1300.5 / 1 * 365 / 90
    5274.25
    """
    missing = _customers(split)
    if missing:
        return missing
    money = revenue_in(split, period, table="customer_orders")
    result = ratio(money.values * 365 / period.days, _active(split, period),
                   _("no customers in {period}").format(period=period_text(period)))
    return combine(result, money)


def lifetime_years(data: object, period: Period | str, *, by: str | None = None,
                   as_of: object = None) -> float | pd.DataFrame:
    r"""The expected customer lifetime that :func:`clv` uses, in years.

    .. math:: \min\left(\frac{1}{c_{yr}}, T_{max}\right), \quad
              c_{yr} = 1 - (1 - \text{churn\_rate})^{365 / \text{days}}

    Not a catalogue metric: an input of clv, shown beside it in reports.

    >>> from b2bkit import sample_dataset
    >>> lifetime_years(sample_dataset(), "2025-03")   # no churn: the 10-year cap
    10.0
    """
    split = Split(prepare(data, as_of), by)
    return _lifetime_years(split, Period.parse(period)).output(by)


def _lifetime_years(split: Split, period: Period) -> Result:
    churn = churn_in(split, period)
    cap = split.view.settings.max_lifetime_years
    annual = 1 - (1 - churn.values) ** (365 / period.days)
    years = (1 / annual.where(annual > 0)).clip(upper=cap).where(annual > 0, cap)
    return Result(years.where(churn.values.notna()), churn.notes)


@metric("currency", splits=ACCOUNT_DIMENSIONS, subject="customers")
def clv(split: Split, period: Period) -> Result:
    r"""Customer lifetime value: margin per account per year times the expected years.

    .. math:: \text{clv} = \text{arpa} \times m \times
              \min\left(\frac{1}{c_{yr}}, T_{max}\right),\quad
              c_{yr} = 1 - (1 - \text{churn\_rate})^{365 / \text{days}}

    :math:`m` is ``gross_margin`` and :math:`T_{max}` ``max_lifetime_years``
    of ``dataset.toml``; with zero churn the lifetime is the cap. Units:
    currency per customer. Missing when churn or arpa is.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(clv(sample_dataset(), "2025-03"), 2)  # 100*365/31 * 0.5 * 10 years
    5887.1
    """
    per_year, years = arpa.compute(split, period), _lifetime_years(split, period)
    margin = split.view.settings.gross_margin
    return combine(Result.of(per_year.values * margin * years.values), per_year, years)


@metric("ratio", splits=ACCOUNT_DIMENSIONS, subject="customers")
def clv_cac_ratio(split: Split, period: Period) -> Result:
    r"""Lifetime value over acquisition cost.

    .. math:: \frac{\text{clv}}{\text{cac}}

    Units: a ratio (3 means a customer brings three times what it cost).

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> clv_cac_ratio(sample_dataset(), "2025-Q1")
    Missing('no customers at the start of 2025-Q1')
    """
    value, cost = clv.compute(split, period), cac.compute(split, period)
    return combine(ratio(value.values, cost.values, _("a zero cac in {period}").format(
        period=period_text(period))), value, cost)


@metric("months", better="lower", splits=("channel",), subject="cac")
def cac_payback_months(split: Split, period: Period) -> Result:
    r"""Months of gross margin it takes to earn back the acquisition cost.

    .. math:: \frac{\text{cac}}{\text{arpa} / 12 \times m}

    Units: months.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> round(cac_payback_months(sample_dataset(), "2025-Q1"), 2)  # 5500 / (5274.25/12*0.5)
    25.03
    """
    cost, per_year = cac.compute(split, period), arpa.compute(split, period)
    monthly = per_year.values / 12 * split.view.settings.gross_margin
    return combine(ratio(cost.values, monthly, _("no revenue per account in {period}").format(
        period=period_text(period))),
                   cost, per_year)
