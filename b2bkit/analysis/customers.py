"""Customer report blocks: S/N/L/E, CLV with its inputs, NPS against churn, young cohorts,
predictive CLV and the customers at risk.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import prepare
>>> states_table(prepare(sample_dataset()), "2025-03")["value"].tolist()[:4]
[1.0, 0.0, 0.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from b2bkit.analysis import with_units
from b2bkit.core.errors import UsageError
from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import _, ngettext, number, period_text, plain
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.metrics import (
    UNKNOWN,
    View,
    arpa,
    cac,
    cac_payback_months,
    churn_rate,
    clv,
    clv_cac_ratio,
    marketing_spend,
    nps,
    predictive,
    prepare,
    retention_rate,
)
from b2bkit.metrics.customers import lifetime_years
from b2bkit.view.customers import state_masks

__all__ = [
    "AT_RISK_COLUMNS",
    "AT_RISK_UNITS",
    "CHANNEL_COST",
    "CLV_UNITS",
    "MIN_PREDICTIVE_CUSTOMERS",
    "PREDICTIVE_UNITS",
    "PredictiveSection",
    "TooFewCustomersError",
    "clv_note",
    "clv_table",
    "cohort_table",
    "customer_states",
    "customers_at_risk",
    "next_steps",
    "no_cost_note",
    "nps_churn",
    "predictive_section",
    "refusal_sentence",
    "states_sentence",
    "states_table",
    "young_cohorts",
]


def states_table(view: View, period: Period | str) -> pd.DataFrame:
    """S, N, L, E (counted, :func:`b2bkit.view.customers.customer_states`) with retention_rate
    and churn_rate (values and reasons).

    Each row has its own unit, so ``shown`` holds the text and ``attrs["units"]`` is empty.
    """
    period = Period.parse(period)
    s, e, n, lost = customer_states(view, period).loc["all", ["S", "E", "N", "L"]].tolist()
    churn = churn_rate(view, period)
    rows = [(_("S: customers at the start"), float(s)), (_("N: new in the period"), float(n)),
            (_("L: of S, lost in the period"), float(lost)),
            (_("E: customers at the end"), float(e)),
            (_("customer retention = (E − N) / S"), float(retention_rate(view, period))),
            (_("churn = L / S"), float(churn))]
    table = pd.DataFrame(rows, columns=["measure", "value"])
    units = ["count"] * 4 + ["rate"] * 2
    table["shown"] = [format_value(v, u) for v, u in zip(table["value"], units, strict=True)]
    return with_units(table, {})


def states_sentence(table: pd.DataFrame, period: Period | str) -> str:
    """Why (E − N)/S and 1 − churn differ: new customers lost inside the period."""
    s, n, lost, e, retention, churn = table["value"].tolist()[:6]
    if not s:
        return _("There were no customers at the start of {period}, so neither rate exists."
                 ).format(period=period_text(period))
    new_and_lost = s - lost + n - e
    text = _("Retention (E − N)/S is {retention} while 1 − churn is {kept}.").format(
        retention=format_value(retention, "rate"), kept=format_value(1 - churn, "rate"))
    if new_and_lost > 0:
        text += " " + ngettext(
            "The gap is the {n} customers won and lost inside {period}: they are not in L, "
            "but E − N counts them against retention.",
            "The gap is the {n} customers won and lost inside {period}: they are not in L, "
            "but E − N counts them against retention.", round(new_and_lost)).format(
            n=plain(new_and_lost, 0), period=period_text(period))
    else:
        text += " " + _("No customer was won and lost inside the period, so the two agree.")
    return text


#: What CAC split by channel is, under its own name: the channel's marketing spend over
#: its new customers (CONTRACT: cac by channel), not the total CAC of the scorecard, which
#: adds the sales costs.
CHANNEL_COST = {"cac": "marketing_cost_per_new_customer",
                "clv_cac_ratio": "clv_to_marketing_cost",
                "cac_payback_months": "marketing_payback_months"}

#: The units of :func:`clv_table`'s columns (``attrs["units"]``).
CLV_UNITS = {"arpa": "currency", "gross_margin": "rate", "lifetime_years": "ratio",
             "clv": "currency", "marketing_cost_per_new_customer": "currency",
             "clv_to_marketing_cost": "ratio", "marketing_payback_months": "months"}


def clv_table(view: View, period: Period | str, by: str = "segment") -> pd.DataFrame:
    """ARPA, margin, lifetime (years), CLV and, by channel, the marketing cost per new customer.

    Split by channel the catalogue's CAC counts the channel's marketing spend
    only, so its columns carry the names of :data:`CHANNEL_COST`
    (``marketing_cost_per_new_customer``, ``clv_to_marketing_cost``,
    ``marketing_payback_months``), never "CAC", which the scorecard uses for
    marketing and sales costs together. A channel without spend has no cost
    (NaN, see :func:`no_cost_note`), never 0.00. Other splits have no cost
    columns. The units of the columns are in ``attrs["units"]``.

    >>> from b2bkit import sample_dataset
    >>> clv_table(prepare(sample_dataset()), "2025-Q1", by="channel").attrs["units"]["clv"]
    'currency'
    """
    period = Period.parse(period)

    def col(metric):
        return metric(view, period, by=by).set_index(by)["value"]

    value, per_year, years = col(clv), col(arpa), col(lifetime_years)
    margin = view.settings.gross_margin
    table = pd.DataFrame({"arpa": per_year, "gross_margin": margin, "lifetime_years": years,
                          "clv": value})
    if by == "channel":
        costs = pd.DataFrame({"cac": col(cac), "clv_cac_ratio": col(clv_cac_ratio),
                              "cac_payback_months": col(cac_payback_months)})
        spent = col(marketing_spend).astype(float).reindex(costs.index).fillna(0) > 0
        costs = costs.astype(float)
        costs.loc[~spent.to_numpy()] = np.nan  # no spend, no cost: n/a, not 0.00
        table = table.join(costs.rename(columns=CHANNEL_COST))
    table.index.name = by
    return with_units(table.reset_index(), CLV_UNITS)


def no_cost_note(view: View, period: Period | str, table: pd.DataFrame) -> str:
    """Why a channel of :func:`clv_table` shows n/a for its marketing cost per new customer:
    no spend recorded for it, or no new customer in the period (empty when none)."""
    column = CHANNEL_COST["cac"]
    if column not in table or "channel" not in table:
        return ""
    period = Period.parse(period)
    spent = marketing_spend(view, period, by="channel").set_index("channel")["value"]
    missing = table.loc[table[column].isna(), "channel"].astype(str)
    no_spend = [c for c in missing if not spent.get(c, 0) > 0]
    no_new = [c for c in missing if c not in no_spend]
    parts = []
    if no_spend:
        parts.append(_("no marketing spend is recorded for {channels}").format(
            channels=", ".join(no_spend)))
    if no_new:
        parts.append(_("{channels} won no new customer in {period}").format(
            channels=", ".join(no_new), period=period_text(period)))
    if not parts:
        return ""
    return _("n/a: {reasons}, so there is no marketing cost per new customer to show.").format(
        reasons="; ".join(parts))


def clv_note(view: View, period: Period | str) -> str:
    """Why no group of :func:`clv_table` has a value: the reason CLV is missing overall
    (e.g. "no orders table in the dataset"), for a report to say instead of an empty table.

    >>> from b2bkit import sample_dataset
    >>> clv_note(prepare(sample_dataset()), "2025-01")
    'no customers in 2025-01'
    """
    value = clv(view, Period.parse(period))
    return getattr(value, "reason", "") or _("no group has a value for this period")


def nps_churn(view: View) -> tuple[pd.DataFrame, str]:
    """Churn of accounts by their mean NPS answer: detractors (0-6) against promoters (9-10).

    The churn share is a rate (``attrs["units"]``); the counts are integers, shown as they are.
    """
    if "nps" not in view.tables:
        return pd.DataFrame(), _("The dataset has no NPS answers.")
    answers = view.tables["nps"]
    mean = answers["score"].astype(float).groupby(answers["account_id"].astype("string")).mean()
    customers = view.customers.set_index("account_id")
    gone = customers["stop"].notna().reindex(mean.index)
    group = pd.cut(mean, [-0.1, 6, 8.99, 10], labels=[_("detractor (0-6)"), _("passive (7-8)"),
                                                      _("promoter (9-10)")])
    table = pd.DataFrame({"accounts": mean.groupby(group, observed=False).size(),
                          "churned": gone.groupby(group, observed=False).sum()})
    table["churn share"] = table["churned"] / table["accounts"].where(table["accounts"] > 0)
    table.index.name = "mean NPS answer"
    table = with_units(table, {"churn share": "rate"})
    low, high = table["churn share"].iloc[0], table["churn share"].iloc[-1]
    if np.isnan(low) or np.isnan(high):
        return table.reset_index(), _("Too few answers to compare detractors and promoters.")
    n_low, n_high = table["accounts"].iloc[0], table["accounts"].iloc[-1]
    if low > high:
        sentence = ngettext(
            "Accounts whose answers average 6 or less churned more often: {low} of {n_low} "
            "against {high} of {n_high} promoters.",
            "Accounts whose answers average 6 or less churned more often: {low} of {n_low} "
            "against {high} of {n_high} promoters.", int(n_high))
    else:
        sentence = ngettext(
            "Accounts whose answers average 6 or less churned no more often: {low} of {n_low} "
            "against {high} of {n_high} promoters.",
            "Accounts whose answers average 6 or less churned no more often: {low} of {n_low} "
            "against {high} of {n_high} promoters.", int(n_high))
    sentence = sentence.format(low=format_value(low, "rate"), n_low=plain(n_low, 0),
                               high=format_value(high, "rate"), n_high=plain(n_high, 0))
    return table.reset_index(), sentence


def nps_by(view: View, period: Period | str, by: str = "segment") -> pd.DataFrame:
    """NPS of the period per group (a score, ``attrs["units"]``).

    >>> from b2bkit import sample_dataset
    >>> nps_by(prepare(sample_dataset()), "2025-Q1").attrs["units"]
    {'nps': 'score'}
    """
    frame = nps(view, Period.parse(period), by=by)
    return with_units(frame.rename(columns={"value": "nps"}).assign(note=frame["note"].fillna("")),
                      {"nps": "score"})


def young_cohorts(matrix: pd.DataFrame, *, min_periods: int = 3) -> list[str]:
    """Cohorts observed for fewer than ``min_periods`` periods after acquisition."""
    observed = matrix.notna().sum(axis=1)
    return [str(c) for c in matrix.index[observed < min_periods]]


def cohort_table(matrix: pd.DataFrame, unit: str, currency: str = "") -> pd.DataFrame:
    """A cohort matrix as text for display: values in ``unit``, NaN cells blank.

    The cells are text already (a blank is no ``n/a``), so ``attrs["units"]`` is empty.

    >>> m = pd.DataFrame({0: [1.0, 1.0], 1: [0.5, float("nan")]},
    ...                  index=pd.Index(["2025-01", "2025-02"], name="cohort"))
    >>> table = cohort_table(m, "rate")
    >>> table.values.tolist(), table.attrs["units"]
    ([['2025-01', '100.0%', '50.0%'], ['2025-02', '100.0%', '']], {})
    """
    text = matrix.apply(lambda column: [format_value(v, unit, currency) if pd.notna(v) else ""
                                        for v in column])  # cells of a small result table
    text.columns = [str(c) for c in matrix.columns]
    return with_units(text.reset_index(), {})


#: Fewer customers with orders than this: no model is fitted (too few to estimate four
#: parameters of a purchase process and three of spend).
MIN_PREDICTIVE_CUSTOMERS = 20


#: The units of the predictive section's table (``attrs["units"]``).
PREDICTIVE_UNITS = {"customers": "count", "p_alive": "rate", "expected_purchases": "ratio",
                    "expected_spend": "currency", "expected_value": "currency"}


class TooFewCustomersError(predictive.FitCheckError):
    """Too few customers with orders to fit the predictive model (exit 1).

    A :class:`~b2bkit.metrics.predictive.FitCheckError` whose ``check`` has
    one reason and the figure ``customers``: code that refuses an unreliable
    fit refuses this case with the same ``except``.
    """


def _too_few(view: View) -> predictive.FitCheck | None:
    """The failed check when fewer than :data:`MIN_PREDICTIVE_CUSTOMERS` accounts ordered."""
    orders = view.tables.get("orders")
    customers = 0 if orders is None else int(orders["account_id"].nunique())
    if customers >= MIN_PREDICTIVE_CUSTOMERS:
        return None
    return predictive.FitCheck(False, [
        f"it needs the orders of at least {MIN_PREDICTIVE_CUSTOMERS} customers; "
        f"the data has {customers}"], {"customers": float(customers)})


@dataclass(frozen=True)
class PredictiveSection:
    """The predictive-CLV section of a report: numbers, or why there are none.

    ``table`` (per segment: customers, mean P(alive), expected purchases,
    spend per purchase and value over the horizon, their units in
    ``attrs["units"]``: :data:`PREDICTIVE_UNITS`) and ``sentence`` are set
    only when the fits passed :func:`b2bkit.metrics.predictive.check_fit`,
    with ``parameters`` (the fitted parameters, for the collapsed technical
    note under the sentence); otherwise ``reasons`` says what failed and the
    report shows no number.
    """

    table: pd.DataFrame | None
    sentence: str
    reasons: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    too_few: bool = False  # refused for too few customers with orders

    @property
    def shown(self) -> bool:
        """Whether the section has numbers to show."""
        return self.table is not None


def refusal_sentence(section: PredictiveSection) -> str:
    """The one sentence a reader gets when the predictive CLV is not shown (the reasons go in
    a collapsed technical note)."""
    if section.too_few or any("at least" in r and "customers" in r for r in section.reasons):
        return _("Predictive CLV is not shown: there are too few customers with orders for the "
                 "model to learn their buying rhythm.")
    return _("Predictive CLV is not shown: the model could not be fitted reliably to these "
             "purchase histories, so any number from it would mislead; the simple CLV above "
             "stands.")


def predictive_section(view: View, *, horizon_weeks: int = 52,
                       gross_margin: float | None = None) -> PredictiveSection:
    """Predictive CLV per segment, checked before a number is shown.

    Fits BG/NBD and Gamma-Gamma on the orders up to as_of
    (:func:`b2bkit.metrics.predictive.checked_clv`, holdout included) and
    averages the per-customer predictions by the account's segment
    (``(unknown)`` for accounts without one). A fit that fails its check
    gives no table, only the reasons.

    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> predictive_section(prepare(sample_dataset())).reasons
    ('it needs the orders of at least 20 customers; the data has 1',)
    """
    too_few = _too_few(view)
    if too_few is not None:
        customers = int(too_few.figures["customers"])
        reason = _("it needs the orders of at least {minimum} customers; the data has {n}"
                   ).format(minimum=MIN_PREDICTIVE_CUSTOMERS, n=number(customers))
        return PredictiveSection(None, "", (reason,), too_few=True)
    orders = view.tables["orders"]
    margin = view.settings.gross_margin if gross_margin is None else gross_margin
    try:
        result = predictive.checked_clv(orders, as_of=view.as_of, horizon=horizon_weeks,
                                        gross_margin=margin)
    except predictive.FitCheckError as exc:  # e.g. no customer bought twice
        return PredictiveSection(None, "", tuple(exc.check.reasons))
    if not result.check.ok:
        return PredictiveSection(None, "", tuple(result.check.reasons))
    per_customer = result.frame
    segment = view.customers.set_index("account_id")["segment"].astype("string")
    per_customer = per_customer.assign(segment=segment.reindex(per_customer["account_id"])
                                       .fillna(UNKNOWN).to_numpy())
    table = per_customer.groupby("segment").agg(
        customers=("account_id", "size"), p_alive=("p_alive", "mean"),
        expected_purchases=("expected_purchases", "mean"),
        expected_spend=("expected_spend", "mean"),
        expected_value=("expected_value", "mean")).reset_index()
    table = pd.concat([table[table["segment"] != UNKNOWN], table[table["segment"] == UNKNOWN]],
                      ignore_index=True)
    table = with_units(table, PREDICTIVE_UNITS)
    p, s = result.purchases, result.spend
    mean = format_value(per_customer["expected_value"].mean(), "currency",
                        view.settings.currency)
    fitted = ngettext(
        "Fitted on {n} customers and checked: the fits converged, their parameters are "
        "plausible, their predictions stay within what the data supports, and a model fitted on "
        "the first part of the history predicted the purchases of the rest.",
        "Fitted on {n} customers and checked: the fits converged, their parameters are "
        "plausible, their predictions stay within what the data supports, and a model fitted on "
        "the first part of the history predicted the purchases of the rest.",
        len(per_customer)).format(n=number(len(per_customer)))
    margin_text = ngettext(
        "Mean expected margin per customer over {weeks} weeks: {mean}, beside the simple CLV, "
        "which covers the whole expected lifetime.",
        "Mean expected margin per customer over {weeks} weeks: {mean}, beside the simple CLV, "
        "which covers the whole expected lifetime.", horizon_weeks).format(
        weeks=horizon_weeks, mean=mean)
    sentence = fitted + " " + margin_text
    parameters = (f"BG/NBD r = {plain(p.r, 3)}, alpha = {plain(p.alpha, 3)}, "
                  f"a = {plain(p.a, 3)}, b = {plain(p.b, 3)}",
                  f"Gamma-Gamma p = {plain(s.p, 2)}, q = {plain(s.q, 2)}, "
                  f"gamma = {plain(s.gamma, 2)}")
    return PredictiveSection(table, sentence, parameters=parameters)


#: Columns of :func:`customers_at_risk`'s frame.
AT_RISK_COLUMNS = ("account_id", "p_alive", "last_order", "days_since", "orders", "total_value",
                   "expected_value", "value_at_risk")

#: The units of :func:`customers_at_risk`'s number columns (``attrs["units"]``).
AT_RISK_UNITS = {"p_alive": "rate", "days_since": "days", "orders": "count",
                 "total_value": "currency", "expected_value": "currency",
                 "value_at_risk": "currency"}


def customers_at_risk(data: Dataset | View, *, as_of: object = None, horizon_weeks: int = 52,
                      top: int | None = None) -> pd.DataFrame:
    r"""The customers most likely lost, weighted by what they have bought.

    Fits BG/NBD and Gamma-Gamma to the orders up to as_of and checks the fit
    (:func:`b2bkit.metrics.predictive.checked_clv`, holdout included); then,
    per account with orders,

    .. math:: \text{value at risk} = (1 - P(\text{alive})) \times \text{total value}

    where :math:`P(\text{alive})` is the BG/NBD probability that the account
    is still buying, given its repeat purchase days :math:`x`, the time of the
    last one :math:`t_x` and the time since its first order :math:`T`, and
    the total value is the sum of its order amounts (historical revenue, in
    the dataset's currency). An account that has bought once has
    :math:`P(\text{alive}) = 1` under BG/NBD (it drops out only after a
    repeat purchase), so its value at risk is 0.

    Parameters
    ----------
    data : Dataset or View
        The data; a View keeps its as_of.
    as_of : optional
        Overrides the dataset's as_of.
    horizon_weeks : int
        The horizon of ``expected_value``.
    top : int, optional
        Keep only the first ``top`` rows.

    Returns
    -------
    pandas.DataFrame
        One row per account with orders, largest value at risk first (ties by
        account id): ``account_id``, ``p_alive``, ``last_order`` (the date of
        the last order), ``days_since`` (days from it to as_of), ``orders``
        (order rows), ``total_value`` (their amounts), ``expected_value``
        (the expected margin over ``horizon_weeks``: expected purchases x
        expected spend per purchase x the dataset's gross margin) and
        ``value_at_risk``. The units of the number columns are in
        ``attrs["units"]`` (:data:`AT_RISK_UNITS`).

    Raises
    ------
    TooFewCustomersError
        Fewer than :data:`MIN_PREDICTIVE_CUSTOMERS` accounts have orders;
        a :class:`~b2bkit.metrics.predictive.FitCheckError` (exit 1).
    FitCheckError
        The fit failed its check; ``error.check.reasons`` says why, and no
        number is given.
    UsageError
        ``top`` or ``horizon_weeks`` is not a positive whole number.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> try:
    ...     customers_at_risk(sample_dataset())
    ... except TooFewCustomersError as error:
    ...     print(error.check.reasons)
    ['it needs the orders of at least 20 customers; the data has 1']
    """
    for name, value in (("top", top), ("horizon_weeks", horizon_weeks)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise UsageError(f"{name} must be a positive whole number; not {value!r}")
    view = prepare(data, as_of)
    too_few = _too_few(view)
    if too_few is not None:
        raise TooFewCustomersError(too_few)
    orders = view.tables["orders"]
    result = predictive.checked_clv(orders, as_of=view.as_of, horizon=horizon_weeks,
                                    gross_margin=view.settings.gross_margin)
    result.check.raise_for_failure()
    history = orders.groupby(orders["account_id"].astype("string"), observed=True).agg(
        last_order=("date", "max"), orders=("date", "size"), total_value=("amount", "sum"))
    model = result.frame.assign(account_id=result.frame["account_id"].astype("string"))
    frame = model[["account_id", "p_alive", "expected_value"]].merge(
        history, left_on="account_id", right_index=True, how="left")
    frame["last_order"] = frame["last_order"].dt.normalize()
    frame["days_since"] = (view.as_of - frame["last_order"]).dt.days
    frame["total_value"] = frame["total_value"].astype(float)
    frame["value_at_risk"] = (1.0 - frame["p_alive"]) * frame["total_value"]
    frame = frame.sort_values(["value_at_risk", "account_id"], ascending=[False, True],
                              kind="stable")
    frame = with_units(frame[list(AT_RISK_COLUMNS)].reset_index(drop=True), AT_RISK_UNITS)
    return frame if top is None else frame.head(top)


def customer_states(view: View, period: Period | str, by: str | None = None) -> pd.DataFrame:
    r"""S, E, N and L of a period, counted (per group of ``by``).

    .. math::
        S = \#\{a : \text{start} \le d_0 - 1 < \text{stop}\},\quad
        E = \#\{a : \text{start} \le d_1 < \text{stop}\},\\
        N = \#\{a : \text{start} \in P\},\quad
        L = \#\{a \in S : \text{stop} \in P\}

    Parameters
    ----------
    view : View
        A prepared dataset (:func:`b2bkit.metrics.prepare`).
    period : Period or str
        The period *P* (first day *d0*, last day *d1*).
    by : {"channel", "segment"}, optional
        Split by the account's acquisition channel or segment.

    Returns
    -------
    pandas.DataFrame
        Columns S, E, N, L (integers); one row ``all``, or one per group of
        ``by`` (``(unknown)`` for accounts without one).

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> customer_states(prepare(sample_dataset()), "2025-Q1")
         S  E  N  L
    all  0  1  1  0
    """
    period = period if isinstance(period, Period) else Period.parse(period)
    c = view.customers
    frame = pd.DataFrame(state_masks(c, period)).astype("int64")
    if by is None:
        return pd.DataFrame([frame.sum()], index=pd.Index(["all"])).astype("int64")
    if by not in ("channel", "segment"):
        raise UsageError(f"customers can be split by channel or segment, not {by!r}")
    labels = c[by].astype("string").fillna(UNKNOWN).to_numpy()
    return frame.groupby(labels).sum().reindex(view.groups(by), fill_value=0).astype("int64")


def next_steps(view: View, period: Period | str, by_channel: pd.DataFrame) -> str:
    """"What to look at next" from the CLV report: churn and the costliest new customers."""
    period = Period.parse(period)
    out = []
    churn = churn_rate(view, period)
    if not np.isnan(churn):
        out.append(_("{churn} of the customers at the start of {period} were lost in it; the "
                     "accounts at risk and their NPS answers show whom to call first.").format(
            churn=format_value(churn, "rate"), period=period_text(period)))
    column = CHANNEL_COST["cac"]
    if column in by_channel and by_channel[column].notna().any():
        named = by_channel[by_channel["channel"].astype(str) != UNKNOWN].dropna(subset=[column])
        if len(named):
            dear = named.loc[named[column].idxmax()]
            out.append(_("New customers cost the most marketing through {channel} ({cost} "
                         "each); compare that with their lifetime value before adding budget."
                         ).format(channel=dear["channel"], cost=format_value(
                             dear[column], "currency", view.settings.currency)))
    if not out:
        out.append(_("There are too few customers in {period} to point anywhere yet.").format(
            period=period_text(period)))
    return " ".join(out[:3])
