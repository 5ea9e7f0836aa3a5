r"""A forecast of a period's bookings that grades itself.

The question: *what will we book in the period, and how sure are we?* The
answer is learned from the dataset's own closed deals, as seen from the day
the forecast is made (``view.as_of``):

1. **Where each open deal stands.** Its stage is the last stage_history row
   entered on or before as_of (``basis = "stage_history"``); the
   opportunities' ``stage`` column is not used, since it holds today's stage
   even in a cut at an earlier date. Without a stage_history table every
   deal is in one group and its clock starts at created_at
   (``basis = "age"``: the forecast learns from the deals' age alone).
2. **Win probability**, from the deals that were in the same stage before
   as_of and have closed since, shrunk towards the overall rate where a
   stage has few deals (additive smoothing with :math:`k` pseudo-deals, the
   posterior mean of a beta-binomial with a Beta(:math:`k p_0, k(1-p_0)`)
   prior):

   .. math:: p_0 = \frac{\text{won}}{\text{closed}}, \qquad
             p_s = \frac{w_s + k\,p_0}{n_s + k}, \qquad
             p_i = \frac{w_s(t_i) + k\,p_s}{n_s(t_i) + k}

   :math:`n_s, w_s`: deals that entered stage :math:`s` and closed, and the
   won ones; :math:`n_s(t), w_s(t)`: those still open :math:`t` days after
   entering it. A deal :math:`t_i` days in its stage is compared with the
   deals that were still open after as long: a stale deal wins less often.
3. **When it closes.** The chance that a deal, if won, closes inside the
   forecast window (the days of the period after as_of), from the won deals
   of its stage that were still open after :math:`t_i` days, shrunk the
   same way towards all stages pooled:

   .. math:: q_i = \frac{c_s(t_i) + k\,q(t_i)}{m_s(t_i) + k}

   :math:`m_s(t)`: won deals of stage :math:`s` that took more than
   :math:`t` days from entering it; :math:`c_s(t)`: those whose remaining
   :math:`D - t` days fall in the window. The deal is won inside the window
   with probability :math:`\pi_i = p_i q_i`.
4. **Deals not created yet.** Deals created and won inside the same part
   of earlier periods (the last :math:`L` days of each of the
   ``run_rate_periods`` periods before, :math:`L` the window's share of the
   period): their mean total is the expected bookings from new deals.

Expected bookings = booked so far in the period + :math:`\sum_i a_i \pi_i`
+ the new-deal run rate. The 80% interval is the 10th to 90th percentile of
a seeded Monte Carlo simulation (:func:`simulate`): each open deal is won
(amount :math:`a_i`) with probability :math:`\pi_i`; new deals arrive in a
count with the earlier periods' mean (Poisson, or negative binomial when the
counts varied more than chance), their amounts drawn from the earlier new
deals. Deals are not independent in practice (a good quarter lifts them
all): the open deals' total is multiplied by a shared shock, lognormal with
mean 1 and the coefficient of variation of the win rate of the earlier
periods. Neither term moves the expectation; without them the interval of
thousands of deals would shrink to the luck of the single deals, far
narrower than the errors the backtest finds.

Why a simulation: an exact convolution is possible for the open deals
alone (:func:`exact_distribution`), but its support has up to :math:`2^n`
points, so it costs exponential time or a rounding grid, and the new-deal
term and the shared shock have no closed form with it; the simulation
handles all three in one vectorised pass, and its error is stated (the
standard error of the mean; with 4,000 draws the standard error of a 10th
percentile is about 0.03 standard deviations of the total, 1-2% of the
interval's width). The tests check the simulation against the exact
convolution on a three-deal case (no new deals, no shock).

Inputs that are **not historised** hold today's value even in a cut at an
earlier date: ``probability``, ``expected_close`` and ``stage`` of the
opportunities. The model does not use them (so its backtest is honest); the
CRM-weighted figure (amount x probability) that uses the first is shown
beside the forecast of today only, never backtested. ``amount`` is not
historised either: the model uses today's amount of each deal, which makes
its backtest slightly optimistic where amounts change before the close.

Examples
--------
>>> from b2bkit import sample_dataset
>>> f = forecast(forecast_view(sample_dataset(), "2025-03-31"), "2025-Q2")
>>> f.basis, round(f.expected, 2), len(f.deals)
('stage_history', 4117.17, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from b2bkit.analysis import with_units
from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import N_, _, date_text, ngettext, percent, period_text, pgettext, plain
from b2bkit.core.periods import Period
from b2bkit.core.schema import TABLES
from b2bkit.load.dataset import Dataset
from b2bkit.metrics import View, prepare

__all__ = [
    "BACKTEST_COLUMNS",
    "FORECAST_TABLES",
    "LARGE_COUNT",
    "LEVEL",
    "NOT_BACKTESTED",
    "Backtest",
    "Forecast",
    "ForecastReport",
    "K",
    "backtest",
    "backtest_display",
    "basis_sentence",
    "contributions",
    "deal_probabilities",
    "exact_distribution",
    "exact_quantile",
    "forecast",
    "forecast_report",
    "forecast_view",
    "headline",
    "headline_sentence",
    "outlook_sentence",
    "rep_scores",
    "simulate",
    "slippage",
    "stage_rates",
    "team_sentence",
    "trust_sentence",
]

#: Pseudo-deals of the shrinkage towards the overall rate.
K = 5.0
#: The interval's coverage: 80% (the 10th to the 90th percentile).
LEVEL = 0.8
#: Mean new-deal count from which their sum is drawn as normal, not deal by deal.
LARGE_COUNT = 50.0
#: The tables the forecast reads (the as_of cut of the others is not needed).
FORECAST_TABLES = ("opportunities", "stage_history", "forecasts", "reps")
#: What the backtest leaves out, and why.
NOT_BACKTESTED = N_(
    "Not backtested: the CRM-weighted figure (amount x probability), because the probability "
    "column holds today's value, not the value on the day of each past forecast; likewise "
    "the expected close date and the opportunities' stage column, which the model does not "
    "use (it reads the dated stage history instead). The model uses today's amount of each deal "
    "(amounts are not historised either), which flatters its backtest where amounts change "
    "before the close. The reps' forecasts are taken as made at the start of their period "
    "(the forecasts table does not say when they were made).")

_DAY = pd.Timedelta(days=1)
_OFFSET = 1e7  # days between two stages' blocks in one sorted key (no duration is longer)
NO_STAGE = "(no stage row)"


def forecast_view(dataset: Dataset | View, as_of: object) -> View:
    """The tables the forecast reads, seen from ``as_of`` (the as_of cut of CONTRACT 2).

    :func:`b2bkit.metrics.prepare` of the dataset reduced to
    :data:`FORECAST_TABLES`: the same cut, without the customers, leads,
    orders and events the forecast does not read (a tenth of the time on a
    large dataset). A View is returned as is when its as_of is ``as_of``.

    >>> from b2bkit import sample_dataset
    >>> forecast_view(sample_dataset(), "2025-02-28")
    <View 'Tiny Co' as of 2025-02-28: 4 tables, 11 rows, 1 customer>
    """
    if isinstance(dataset, View):
        return prepare(dataset, as_of)
    keep = {name: frame for name, frame in dataset.tables.items() if name in FORECAST_TABLES}
    links = {}
    for (child, column), positions in dataset.links.items():
        parent = next((fk.table for fk in TABLES[child].foreign_keys if fk.column == column),
                      None)
        if child in keep and parent in keep:
            links[(child, column)] = positions
    return prepare(replace(dataset, tables=keep, links=links), as_of)


def _days(later: pd.Series | pd.Timestamp, earlier: pd.Series | pd.Timestamp) -> np.ndarray:
    return np.asarray((later - earlier) / _DAY, dtype=float)


def _closed_mask(opps: pd.DataFrame) -> np.ndarray:
    closed = opps["closed_at"] if "closed_at" in opps else pd.Series(pd.NaT, index=opps.index)
    return (opps["status"].isin(["won", "lost"]) & closed.notna()).to_numpy(dtype=bool)


def _entries(view: View) -> tuple[pd.DataFrame, pd.Index, str]:
    """One row per (deal, stage entered up to as_of): position, stage code, entered_at.

    Also the stage names (a code is a position in them; the last is
    :data:`NO_STAGE`) and the basis. Stages are integer codes so that
    nothing iterates over the text of a large table.
    """
    opps = view.tables["opportunities"]
    history = view.tables.get("stage_history")
    if history is None or history.empty:
        frame = pd.DataFrame({"pos": np.arange(len(opps)), "code": 0,
                              "entered_at": opps["created_at"].to_numpy()})
        return frame, pd.Index(["(all deals)", NO_STAGE]), "age"
    link = view.links.get(("stage_history", "opportunity_id"))
    if link is None:
        ids = pd.Index(opps["opportunity_id"].astype(str))
        link = ids.get_indexer(history["opportunity_id"].astype(str))
    codes, names = pd.factorize(history["stage"], sort=True)
    frame = pd.DataFrame({"pos": np.asarray(link), "code": codes,
                          "entered_at": history["entered_at"].to_numpy()})
    frame = frame[(frame["pos"] >= 0) & (frame["code"] >= 0) & frame["entered_at"].notna()]
    # a repeated (deal, stage): its earliest entered_at counts (CONTRACT: warnings)
    frame = (frame.sort_values(["pos", "entered_at"], kind="stable")
             .drop_duplicates(["pos", "code"], keep="first").reset_index(drop=True))
    return frame, pd.Index([str(n) for n in names] + [NO_STAGE]), "stage_history"


@dataclass(frozen=True)
class _History:
    """The closed (deal, stage) pairs as sorted keys, for counting by searchsorted."""

    stages: pd.Index
    closed_keys: np.ndarray  # stage code * _OFFSET + days from entry to close, sorted
    won_keys: np.ndarray
    won_pool: np.ndarray  # days from entry to close of every won pair, sorted
    overall: float  # p0
    stage_table: pd.DataFrame
    basis: str
    entries: pd.DataFrame


def _history(view: View, k: float) -> _History:
    opps = view.tables["opportunities"]
    entries, stages, basis = _entries(view)
    closed = _closed_mask(opps)
    won = (opps["status"] == "won").to_numpy(dtype=bool) & closed
    n_closed = int(closed.sum())
    overall = float(won.sum() / n_closed) if n_closed else float("nan")
    code = entries["code"].to_numpy().astype(float)
    pos = entries["pos"].to_numpy()
    is_closed, is_won = closed[pos], won[pos]
    closed_at = opps["closed_at"].to_numpy()[pos] if "closed_at" in opps else None
    duration = (np.clip(_days(pd.Series(closed_at), pd.Series(entries["entered_at"])), 0, None)
                if closed_at is not None else np.zeros(len(pos)))
    keys = code * _OFFSET + duration
    table = pd.DataFrame({"code": entries["code"].to_numpy(), "closed": is_closed,
                          "won": is_won})
    table = table.groupby("code", sort=True).agg(entered=("closed", "size"),
                                                closed=("closed", "sum"), won=("won", "sum"))
    table = table.astype(float)
    table.index = pd.Index(stages[table.index.to_numpy()], name="stage")
    table["raw_rate"] = (table["won"] / table["closed"]).where(table["closed"] > 0)
    table["rate"] = (table["won"] + k * overall) / (table["closed"] + k)
    table = with_units(table, {"entered": "count", "closed": "count", "won": "count",
                               "raw_rate": "rate", "rate": "rate"})
    return _History(stages, np.sort(keys[is_closed]), np.sort(keys[is_won]),
                    np.sort(duration[is_won]), overall, table, basis, entries)


def stage_rates(view: View, *, k: float = K) -> pd.DataFrame:
    r"""Per stage: deals that entered it, of them closed and won, the raw and shrunk rate.

    .. math:: \text{rate}_s = \frac{w_s + k\,p_0}{n_s + k}

    Only deals closed by as_of count (the view's cut); ``raw_rate`` is
    :math:`w_s / n_s` (NaN when none closed). Without stage_history the one
    row ``(all deals)`` is the overall rate. The units of the columns are in
    ``attrs["units"]`` (also those of :attr:`Forecast.stages`).

    >>> from b2bkit import sample_dataset
    >>> stage_rates(prepare(sample_dataset()), k=1)[["closed", "won", "rate"]]
                 closed  won  rate
    stage
    lost            1.0  0.0  0.25
    opportunity     2.0  1.0  0.50
    proposal        1.0  1.0  0.75
    won             1.0  1.0  0.75
    >>> stage_rates(prepare(sample_dataset())).attrs["units"]["raw_rate"]
    'rate'
    """
    return _history(view, k).stage_table.copy()


def _count_above(keys: np.ndarray, query: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Keys of the same stage block above ``query`` (strictly)."""
    end = np.searchsorted(keys, (code + 1) * _OFFSET - 0.5, side="left")
    return end - np.searchsorted(keys, query, side="right")


def deal_probabilities(view: View, period: Period | str, *, k: float = K,
                       history: _History | None = None) -> pd.DataFrame:
    r"""Each deal open at as_of: its stage, days in it, :math:`p_i`, :math:`q_i`, expected.

    Columns: ``opportunity_id``, ``rep_id``, ``stage``, ``days_in_stage``,
    ``amount`` (blank as 0), ``p_win`` (:math:`p_i`), ``p_in_window``
    (:math:`q_i`), ``p`` (:math:`\pi_i = p_i q_i`), ``expected``
    (:math:`a_i \pi_i`), ``probability`` (the CRM's, NaN without it). See
    the module's formulas. Vectorised: one sorted key per (stage, days) and
    ``searchsorted`` counts, no loop over deals.

    >>> from b2bkit import sample_dataset
    >>> view = forecast_view(sample_dataset(), "2025-03-31")
    >>> deal_probabilities(view, "2025-Q2")[["opportunity_id", "stage", "p_win", "p"]]
      opportunity_id     stage     p_win         p
    0             O3  proposal  0.583333  0.583333
    """
    period = Period.parse(period)
    hist = history if history is not None else _history(view, k)
    opps = view.tables["opportunities"]
    now = view.as_of
    positions = np.flatnonzero((opps["status"] == "open").to_numpy(dtype=bool))
    # the current stage: the last stage entered up to as_of (entries are sorted per deal)
    entries = hist.entries
    pos = entries["pos"].to_numpy()
    last = np.r_[pos[1:] != pos[:-1], True] if len(pos) else np.zeros(0, dtype=bool)
    current = entries[last].set_index("pos")
    no_stage = len(hist.stages) - 1
    code_int = current["code"].reindex(positions).fillna(no_stage).to_numpy().astype(int)
    stage = hist.stages[code_int]
    entered = current["entered_at"].reindex(positions)
    entered = entered.fillna(pd.Series(opps["created_at"].to_numpy()[positions],
                                       index=positions))
    t = np.clip(_days(pd.Series(now, index=positions), entered), 0, None)
    code = code_int.astype(float)
    base = code * _OFFSET
    table = hist.stage_table
    p_stage = table["rate"].reindex(stage).fillna(hist.overall).to_numpy()
    n_t = _count_above(hist.closed_keys, base + t, code)
    w_t = _count_above(hist.won_keys, base + t, code)
    p_win = (w_t + k * p_stage) / (n_t + k)
    lo = max((period.start - now) / _DAY, 1.0)
    hi = (period.end_exclusive - now) / _DAY
    if hi <= lo:  # the period is over at as_of: nothing more closes in it
        q = np.zeros(len(positions))
    else:
        m_t = _count_above(hist.won_keys, base + t, code)
        c_t = (np.searchsorted(hist.won_keys, base + t + hi, side="left")
               - np.searchsorted(hist.won_keys, base + t + lo, side="left"))
        pool = hist.won_pool
        m_pool = len(pool) - np.searchsorted(pool, t, side="right")
        c_pool = (np.searchsorted(pool, t + hi, side="left")
                  - np.searchsorted(pool, t + lo, side="left"))
        q_pool = np.divide(c_pool, m_pool, out=np.zeros(len(t)), where=m_pool > 0)
        q = (c_t + k * q_pool) / (m_t + k)
    amount = opps["amount"].astype(float).fillna(0.0).to_numpy()[positions]
    rep = (opps["rep_id"].astype("string").to_numpy()[positions] if "rep_id" in opps
           else np.full(len(positions), pd.NA))
    crm = (opps["probability"].astype(float).to_numpy()[positions] if "probability" in opps
           else np.full(len(positions), np.nan))
    p_win = np.nan_to_num(p_win, nan=0.0)
    return pd.DataFrame({
        "opportunity_id": opps["opportunity_id"].astype(str).to_numpy()[positions],
        "rep_id": pd.array(rep, dtype="string"), "stage": stage.astype(str),
        "days_in_stage": t, "amount": amount, "p_win": p_win, "p_in_window": q,
        "p": p_win * q, "expected": amount * p_win * q, "probability": crm})


def _window_days(period: Period, now: pd.Timestamp) -> int:
    """Days of the period after ``now`` (all of it when it starts later)."""
    first = max(period.start, now + _DAY)
    return max(int((period.end_exclusive - first) / _DAY), 0)


def _new_deals(view: View, period: Period, periods: int
               ) -> tuple[pd.DataFrame, list[str], list[float]]:
    """Deals created and won inside the same last part of earlier periods.

    Returns the deals (period, rep_id, amount), the earlier periods used and
    the win rate of the deals closed in each of them (won / closed).
    """
    opps = view.tables["opportunities"]
    now = view.as_of
    share = _window_days(period, now) / period.days
    empty = pd.DataFrame({"period": [], "rep_id": [], "amount": []})
    if share == 0 or "closed_at" not in opps or opps.empty:
        return empty, [], []
    first = opps["created_at"].min()
    closed = _closed_mask(opps)
    is_won = (opps["status"] == "won").to_numpy(dtype=bool) & closed
    won = opps[is_won]
    parts, used, rates = [], [], []
    earlier = period
    while len(used) < periods:
        earlier = earlier.previous()
        if earlier.end < first:
            break
        if earlier.end > now:
            continue
        days = max(round(share * earlier.days), 1)
        start = earlier.end_exclusive - days * _DAY
        inside = ((won["created_at"] >= start) & (won["created_at"] < earlier.end_exclusive)
                  & (won["closed_at"] >= start) & (won["closed_at"] < earlier.end_exclusive))
        picked = won[inside.to_numpy(dtype=bool)]
        parts.append(pd.DataFrame({
            "period": str(earlier),
            "rep_id": (picked["rep_id"].astype("string") if "rep_id" in picked
                       else pd.Series(pd.NA, index=picked.index, dtype="string")).to_numpy(),
            "amount": picked["amount"].astype(float).fillna(0.0).to_numpy()}))
        used.append(str(earlier))
        in_period = np.asarray(earlier.mask(opps["closed_at"]), dtype=bool) & closed
        rates.append(float(is_won[in_period].sum() / in_period.sum()) if in_period.any()
                     else float("nan"))
    if not parts:
        return empty, [], []
    return pd.concat(parts, ignore_index=True), used, rates


def simulate(amounts: np.ndarray, probabilities: np.ndarray, *, simulations: int = 4000,
             seed: int = 0, new_rate: float = 0.0, new_amounts: np.ndarray | None = None,
             new_variance: float = 0.0, shock_cv: float = 0.0, chunk: int = 500) -> np.ndarray:
    r"""Simulated totals: each deal won with its probability, plus new deals.

    .. math:: T = \theta \sum_i a_i B_i + \sum_{j=1}^{N} A_j,\quad B_i \sim
              \text{Bernoulli}(\pi_i),\ A_j \sim \text{the new deals' amounts}

    :math:`N` is Poisson with mean :math:`\lambda` (``new_rate``), or, when
    ``new_variance`` exceeds it (counts that vary more from period to
    period than chance), negative binomial with that mean and variance.
    When :math:`\lambda \ge` :data:`LARGE_COUNT` the sum of the :math:`N`
    amounts is drawn as normal with mean :math:`N \bar A` and variance
    :math:`N s_A^2` (the central limit theorem; the same expectation, and
    no longer one draw per deal). :math:`\theta` is a shock shared by every
    open deal of a simulation (a good or a bad period), lognormal with mean 1
    and coefficient of variation ``shock_cv`` (0: none). Both keep the expectation
    :math:`\sum_i a_i \pi_i + \lambda\,\bar A`. Seeded
    (``numpy.random.default_rng(seed)``) and vectorised: the draws for
    ``chunk`` simulations at once, a matrix product for the sums.

    >>> totals = simulate(np.array([100.0]), np.array([0.25]), simulations=20000, seed=1)
    >>> print(round(totals.mean() / 100, 2))
    0.25
    """
    rng = np.random.default_rng(seed)
    amounts = np.asarray(amounts, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    live = (amounts > 0) & (probabilities > 0)
    amounts, probabilities = amounts[live], probabilities[live].astype(np.float32)
    totals = np.empty(simulations)
    for begin in range(0, simulations, chunk):  # chunks of simulations, never of deals
        size = min(chunk, simulations - begin)
        won = rng.random((size, len(amounts)), dtype=np.float32) < probabilities
        totals[begin:begin + size] = won.astype(float) @ amounts  # a float product is BLAS
    if shock_cv > 0:
        sigma = np.sqrt(np.log1p(shock_cv ** 2))
        totals *= rng.lognormal(-sigma ** 2 / 2, sigma, simulations)
    if new_rate > 0 and new_amounts is not None and len(new_amounts):
        if new_variance > new_rate:  # over-dispersed: negative binomial, same mean
            size = new_rate ** 2 / (new_variance - new_rate)
            counts = rng.negative_binomial(size, size / (size + new_rate), simulations)
        else:
            counts = rng.poisson(new_rate, simulations)
        pool = np.asarray(new_amounts, dtype=float)
        if new_rate < LARGE_COUNT:  # each new deal's amount drawn from the earlier ones
            draws = rng.choice(pool, counts.sum())
            totals += np.bincount(np.repeat(np.arange(simulations), counts), weights=draws,
                                  minlength=simulations)
        else:  # the sum of N such amounts, N large: normal given N (central limit)
            totals += (counts * pool.mean() + np.sqrt(counts) * pool.std()
                       * rng.standard_normal(simulations))
    return totals


def exact_distribution(amounts: np.ndarray, probabilities: np.ndarray) -> pd.DataFrame:
    r"""The exact distribution of :math:`\sum_i a_i B_i` by enumeration (a few deals only).

    Every one of the :math:`2^n` outcomes with its probability
    :math:`\prod_i \pi_i^{b_i} (1 - \pi_i)^{1 - b_i}`, equal totals merged;
    ``total``, ``probability``, ``cdf``. Meant for checking the simulation
    (n <= 20).

    >>> exact_distribution(np.array([100.0, 50.0]), np.array([0.5, 0.2]))
       total  probability  cdf
    0    0.0          0.4  0.4
    1   50.0          0.1  0.5
    2  100.0          0.4  0.9
    3  150.0          0.1  1.0
    """
    amounts = np.asarray(amounts, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    n = len(amounts)
    if n > 20:
        raise ValueError(f"exact_distribution enumerates 2**n outcomes; n={n} is too many")
    outcomes = (np.arange(2 ** n)[:, None] >> np.arange(n)) & 1
    chance = np.where(outcomes == 1, probabilities, 1 - probabilities).prod(axis=1)
    frame = (pd.DataFrame({"total": outcomes @ amounts, "probability": chance})
             .groupby("total", as_index=False)["probability"].sum())
    frame["cdf"] = frame["probability"].cumsum().round(12)
    frame["probability"] = frame["probability"].round(12)
    return frame


def exact_quantile(distribution: pd.DataFrame, q: float) -> float:
    """The smallest total whose cumulative probability reaches ``q`` (inverted CDF).

    >>> exact_quantile(exact_distribution(np.array([100.0, 50.0]), np.array([0.5, 0.2])), 0.9)
    100.0
    """
    return float(distribution["total"].to_numpy()[np.searchsorted(
        distribution["cdf"].to_numpy(), q - 1e-12, side="left")])


@dataclass(frozen=True)
class Forecast:
    """A forecast of one period's bookings, made on ``as_of``.

    Attributes
    ----------
    period : Period
    as_of : pandas.Timestamp
        The day it is made from (the view's as_of).
    basis : str
        ``stage_history`` or ``age`` (see the module).
    booked : float
        Won in the period up to as_of.
    open_expected, new_expected : float
        From the deals open at as_of, and from deals not created yet.
    expected, low, high : float
        Expected bookings and the interval (``level``, default 80%).
    std_error : float
        The simulation's standard error of the mean.
    simulated_mean : float
    deals : pandas.DataFrame
        :func:`deal_probabilities`.
    new_deals : pandas.DataFrame
        The earlier new deals of the run rate (period, rep_id, amount).
    run_rate_periods : list of str
    stages : pandas.DataFrame
        :func:`stage_rates`.
    crm_weighted : float
        Amount x probability of the deals open at as_of (NaN: no probability).
    crm_weighted_in_period : float
        The same for the deals whose expected_close is in the period.
    notes : list of str
    """

    period: Period
    as_of: pd.Timestamp
    basis: str
    booked: float
    open_expected: float
    new_expected: float
    expected: float
    low: float
    high: float
    std_error: float
    simulated_mean: float
    deals: pd.DataFrame
    new_deals: pd.DataFrame
    run_rate_periods: list[str]
    stages: pd.DataFrame
    crm_weighted: float
    crm_weighted_in_period: float
    level: float = LEVEL
    notes: list[str] = field(default_factory=list)


def forecast(view: View, period: Period | str, *, k: float = K, level: float = LEVEL,
             simulations: int = 4000, seed: int = 0, run_rate_periods: int = 4) -> Forecast:
    """The period's expected bookings and interval, seen from ``view.as_of``.

    Parameters
    ----------
    view : View
        The dataset as of the day of the forecast (:func:`forecast_view`).
    period : Period or str
        The period forecast: it may have started (what was won up to as_of
        counts as booked) or start later.
    k : float
        Pseudo-deals of the shrinkage (module formulas).
    level : float
        Coverage of the interval.
    simulations, seed : int
        Monte Carlo draws and their seed.
    run_rate_periods : int
        Earlier periods of the new-deal run rate.

    Returns
    -------
    Forecast
        See the module docstring for every formula.
    """
    period = Period.parse(period)
    notes: list[str] = []
    opps = view.tables.get("opportunities")
    if opps is None:
        raise ValueError("the forecast needs an opportunities table")
    now = view.as_of
    won = (opps["status"] == "won").to_numpy(dtype=bool) & _closed_mask(opps)
    closed_at = opps["closed_at"] if "closed_at" in opps else pd.Series(pd.NaT, index=opps.index)
    in_period = won & period.mask(closed_at)
    booked = float(opps["amount"].astype(float).fillna(0.0).to_numpy()[in_period].sum())
    hist = _history(view, k)
    deals = deal_probabilities(view, period, k=k, history=hist)
    if np.isnan(hist.overall):
        notes.append(_("no deal had closed by {date}: nothing to learn from").format(
            date=date_text(now)))
    new, used, rates = _new_deals(view, period, run_rate_periods)
    new_expected = float(new["amount"].sum() / len(used)) if used else 0.0
    if not used and _window_days(period, now):
        notes.append(_("no earlier period to learn the new-deal run rate from: new deals "
                       "count 0"))
    counts = new["period"].value_counts().reindex(used, fill_value=0).to_numpy(dtype=float)
    rate = float(counts.mean()) if used else 0.0
    variance = float(counts.var(ddof=1)) if len(used) > 1 else 0.0
    rates = np.array([r for r in rates if not np.isnan(r)])
    shock = float(rates.std(ddof=1) / rates.mean()) if len(rates) > 1 and rates.mean() else 0.0
    totals = booked + simulate(deals["amount"].to_numpy(), deals["p"].to_numpy(),
                               simulations=simulations, seed=seed, new_rate=rate,
                               new_amounts=new["amount"].to_numpy(), new_variance=variance,
                               shock_cv=shock)
    tail = (1 - level) / 2
    low, high = np.quantile(totals, [tail, 1 - tail], method="inverted_cdf")
    open_expected = float(deals["expected"].sum())
    crm = deals["probability"]
    crm_weighted = float((deals["amount"] * crm).sum()) if crm.notna().any() else float("nan")
    in_period_crm = float("nan")
    if crm.notna().any() and "expected_close" in opps:
        close = opps.set_index(opps["opportunity_id"].astype(str))["expected_close"]
        inside = period.mask(close.reindex(deals["opportunity_id"]).reset_index(drop=True))
        in_period_crm = float((deals["amount"] * crm.fillna(0.0))[np.asarray(inside)].sum())
    unset = int(crm.isna().sum())
    if unset and crm.notna().any():
        notes.append(ngettext("CRM-weighted: {n} open deal without a probability left out",
                              "CRM-weighted: {n} open deals without a probability left out",
                              unset).format(n=plain(unset, 0)))
    return Forecast(period=period, as_of=now, basis=hist.basis, booked=booked,
                    open_expected=open_expected, new_expected=new_expected,
                    expected=booked + open_expected + new_expected, low=float(low),
                    high=float(high), std_error=float(totals.std(ddof=1) / np.sqrt(len(totals))),
                    simulated_mean=float(totals.mean()), deals=deals, new_deals=new,
                    run_rate_periods=used, stages=hist.stage_table, crm_weighted=crm_weighted,
                    crm_weighted_in_period=in_period_crm, level=level, notes=notes)


def contributions(result: Forecast, by: str = "stage") -> pd.DataFrame:
    """Expected bookings per stage or per rep: open deals, plus the booked and new rows.

    Columns ``[by, deals, amount, expected]``; by ``stage`` the rows
    ``booked`` (already won in the period) and ``new deals`` (the run rate)
    follow the stages; by ``rep_id`` the booked and new amounts are each
    rep's own (the new deals' reps in the run rate). Sums to the expected total.
    The units of the columns are in ``attrs["units"]``.

    >>> from b2bkit import sample_dataset
    >>> f = forecast(forecast_view(sample_dataset(), "2025-03-31"), "2025-Q2")
    >>> contributions(f, "stage").attrs["units"]
    {'deals': 'count', 'amount': 'currency', 'expected': 'currency'}
    """
    deals = result.deals
    units = {"deals": "count", "amount": "currency", "expected": "currency"}
    if by not in ("stage", "rep_id"):
        raise ValueError(f"by must be 'stage' or 'rep_id'; not {by!r}")
    keys = deals[by].astype("string").fillna("(unknown)")
    table = (pd.DataFrame({by: keys, "amount": deals["amount"], "expected": deals["expected"]})
             .groupby(by, sort=True).agg(deals=("amount", "size"), amount=("amount", "sum"),
                                          expected=("expected", "sum")).reset_index())
    table["deals"] = table["deals"].astype(float)
    if by == "stage":
        extra = pd.DataFrame({by: [_("booked"), _("new deals")], "deals": [np.nan, np.nan],
                              "amount": [np.nan, np.nan],
                              "expected": [result.booked, result.new_expected]})
        return with_units(pd.concat([table, extra], ignore_index=True), units)
    per_rep_new = pd.Series(dtype=float)
    if result.run_rate_periods:
        new = result.new_deals
        per_rep_new = (new["amount"].groupby(new["rep_id"].astype("string")
                                             .fillna("(unknown)")).sum()
                       / len(result.run_rate_periods))
    table = table.set_index(by)
    table = table.reindex(table.index.union(per_rep_new.index))
    table["expected"] = table["expected"].fillna(0.0) + per_rep_new.reindex(
        table.index).fillna(0.0)
    return with_units(table.reset_index().rename(columns={"index": by}), units)


def _forecast_rows(forecasts: pd.DataFrame | None, period: Period) -> tuple[float, pd.Series]:
    """The team's forecast of exactly the period (team row, else the sum of reps), per rep."""
    if forecasts is None or forecasts.empty:
        return float("nan"), pd.Series(dtype=float)
    exact = ((forecasts["period_start"] == period.start)
             & (forecasts["period_end"] == period.end)).fillna(False).to_numpy(dtype=bool)
    amount = forecasts["forecast_amount"].astype(float)
    per_rep = (forecasts["rep_id"].notna().to_numpy(dtype=bool) if "rep_id" in forecasts
               else np.zeros(len(forecasts), dtype=bool))
    reps = (amount[exact & per_rep].groupby(forecasts["rep_id"].astype("string")[exact & per_rep])
            .sum() if per_rep.any() else pd.Series(dtype=float))
    if (exact & ~per_rep).any():
        team = float(amount[exact & ~per_rep].sum())
    elif (exact & per_rep).any():
        team = float(reps.sum())
    else:
        team = float("nan")
    return team, reps


#: Columns of :attr:`Backtest.table`.
BACKTEST_COLUMNS = ("period", "as_of", "expected", "low", "high", "actual", "error",
                    "abs_pct_error", "inside", "team_forecast", "team_error",
                    "team_abs_pct_error")


@dataclass(frozen=True)
class Backtest:
    """The forecast made at the start of each of the last periods, against what happened.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`BACKTEST_COLUMNS`, one row per period, oldest first. ``error``
        = expected - actual; ``abs_pct_error`` = \\|error\\| / actual; ``inside``:
        the actual within the interval; ``team_*`` the same for the team's
        own forecast (NaN without one).
    reps : pandas.DataFrame
        Per period and rep: ``period, rep_id, actual, model, rep_forecast``.
    mape, coverage, team_mape : float
        Mean absolute percentage error of the model, share of periods whose
        actual fell inside the interval, and the team's MAPE over the
        periods it forecast.
    skipped : list of str
        Periods left out, with the reason.
    """

    table: pd.DataFrame
    reps: pd.DataFrame
    mape: float
    coverage: float
    team_mape: float
    level: float = LEVEL
    skipped: list[str] = field(default_factory=list)


def _actuals(view: View, period: Period) -> tuple[float, pd.Series]:
    opps = view.tables["opportunities"]
    closed_at = opps["closed_at"] if "closed_at" in opps else pd.Series(pd.NaT, index=opps.index)
    won = (opps["status"] == "won").to_numpy(dtype=bool) & period.mask(closed_at)
    amount = opps["amount"].astype(float).fillna(0.0)[won]
    reps = (amount.groupby(opps["rep_id"].astype("string").fillna("(unknown)")[won]).sum()
            if "rep_id" in opps else pd.Series(dtype=float))
    return float(amount.sum()), reps


def backtest(dataset: Dataset, period: Period | str, *, view: View | None = None,
             periods: int = 4, k: float = K, level: float = LEVEL, simulations: int = 4000,
             seed: int = 0, run_rate_periods: int = 4) -> Backtest:
    r"""The forecast made at the start of each of the ``periods`` periods before ``period``.

    For each earlier period :math:`P_j`, the dataset is cut at the day before
    it starts (:func:`forecast_view`: what was known then), the forecast of
    :math:`P_j` is made from that cut, and compared with the bookings of
    :math:`P_j` as the report's view (``view``, default: the dataset's
    as_of) knows them:

    .. math:: \text{MAPE} = \frac{1}{J}\sum_j \frac{|F_j - A_j|}{A_j}, \qquad
              \text{coverage} = \frac{1}{J}\sum_j [\,L_j \le A_j \le H_j\,]

    A period with no bookings, or not over at the view's as_of, is skipped,
    with the reason. See :data:`NOT_BACKTESTED` for the inputs left out.
    """
    period = Period.parse(period)
    view = view if view is not None else forecast_view(dataset, None)
    targets = []
    earlier = period
    for _step in range(periods):
        earlier = earlier.previous()
        targets.append(earlier)
    targets.reverse()
    rows, rep_rows, skipped = [], [], []
    forecasts = view.tables.get("forecasts")
    for target in targets:  # a handful of periods, each one cut of the data
        if target.end > view.as_of:
            skipped.append(_("{period}: not over on {date}").format(
                period=period_text(target), date=date_text(view.as_of)))
            continue
        actual, actual_reps = _actuals(view, target)
        cut = forecast_view(dataset, target.day_before_start)
        if not _closed_mask(cut.tables["opportunities"]).any():
            skipped.append(_("{period}: no deal had closed before it started").format(
                period=period_text(target)))
            continue
        made = forecast(cut, target, k=k, level=level, simulations=simulations, seed=seed,
                        run_rate_periods=run_rate_periods)
        team, team_reps = _forecast_rows(forecasts, target)
        model_reps = contributions(made, "rep_id").set_index("rep_id")["expected"]
        names = actual_reps.index.union(model_reps.index).union(team_reps.index)
        rep_rows.append(pd.DataFrame({
            "period": str(target), "rep_id": names,
            "actual": actual_reps.reindex(names).fillna(0.0).to_numpy(),
            "model": model_reps.reindex(names).fillna(0.0).to_numpy(),
            "rep_forecast": team_reps.reindex(names).to_numpy(dtype=float)}))
        pct = abs(made.expected - actual) / actual if actual else float("nan")
        team_pct = abs(team - actual) / actual if actual else float("nan")
        rows.append({"period": str(target), "as_of": target.day_before_start,
                     "expected": made.expected, "low": made.low, "high": made.high,
                     "actual": actual, "error": made.expected - actual, "abs_pct_error": pct,
                     "inside": bool(made.low <= actual <= made.high),
                     "team_forecast": team, "team_error": team - actual,
                     "team_abs_pct_error": team_pct})
    table = pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS))
    reps = (pd.concat(rep_rows, ignore_index=True) if rep_rows else
            pd.DataFrame(columns=["period", "rep_id", "actual", "model", "rep_forecast"]))
    scored = table[table["actual"] > 0]
    return Backtest(table=table, reps=reps,
                    mape=float(scored["abs_pct_error"].mean()) if len(scored) else float("nan"),
                    coverage=float(scored["inside"].mean()) if len(scored) else float("nan"),
                    team_mape=float(scored["team_abs_pct_error"].mean())
                    if scored["team_abs_pct_error"].notna().any() else float("nan"),
                    level=level, skipped=skipped)


def rep_scores(result: Backtest) -> pd.DataFrame:
    """Per rep over the backtest: MAPE of their own forecast and of the model's share.

    Columns ``rep_id, periods, actual, rep_mape, model_mape, better``
    (``rep``, ``model`` or ``tie``); periods where the rep booked nothing are
    left out of both MAPEs (no percentage of zero). The units of the columns
    are in ``attrs["units"]``.

    >>> reps = pd.DataFrame({"period": ["2025-Q1"], "rep_id": ["R1"], "actual": [100.0],
    ...                      "model": [90.0], "rep_forecast": [120.0]})
    >>> scores = rep_scores(Backtest(pd.DataFrame(), reps, 0.1, 1.0, 0.2))
    >>> scores[["rep_mape", "model_mape", "better"]].values.tolist()
    [[0.2, 0.1, 'model']]
    >>> scores.attrs["units"]["actual"]
    'currency'
    """
    units = {"periods": "count", "actual": "currency", "rep_mape": "rate", "model_mape": "rate"}
    reps = result.reps
    scored = reps[(reps["actual"] > 0) & reps["rep_forecast"].notna()].copy()
    if scored.empty:
        return with_units(pd.DataFrame(columns=["rep_id", "periods", "actual", "rep_mape",
                                                "model_mape", "better"]), units)
    scored["rep_ape"] = (scored["rep_forecast"] - scored["actual"]).abs() / scored["actual"]
    scored["model_ape"] = (scored["model"] - scored["actual"]).abs() / scored["actual"]
    table = scored.groupby("rep_id", sort=True).agg(
        periods=("period", "size"), actual=("actual", "sum"), rep_mape=("rep_ape", "mean"),
        model_mape=("model_ape", "mean")).reset_index()
    table["periods"] = table["periods"].astype(float)
    table["better"] = np.select([table["rep_mape"] < table["model_mape"],
                                 table["rep_mape"] > table["model_mape"]], ["rep", "model"],
                                "tie")
    return with_units(table, units)


def basis_sentence(forecast: object) -> str:
    """Where the stages and the days in them come from, as the report says it.

    >>> from types import SimpleNamespace
    >>> basis_sentence(SimpleNamespace(basis="stage_history"))
    'Stages and days in them come from the dated stage history.'
    >>> basis_sentence(SimpleNamespace(basis="age"))  # doctest: +NORMALIZE_WHITESPACE
    "Stages and days in them come from the deals' age (the dataset has no stage history:
    every deal is in one group, its clock started when it was created)."
    """
    if getattr(forecast, "basis", "") == "stage_history":
        return _("Stages and days in them come from the dated stage history.")
    return _("Stages and days in them come from the deals' age (the dataset has no stage "
             "history: every deal is in one group, its clock started when it was created).")


def slippage(view: View, *, k: float = K) -> tuple[pd.DataFrame, str]:
    """Open deals whose expected_close has passed at as_of, with what they hold.

    Returns the deals (``opportunity_id, rep_id, stage, expected_close,
    days_overdue, amount, probability, p_win``; ``p_win`` is the model's
    :math:`p_i`, ``stage`` the stage_history one) most overdue first, and a
    sentence: how many, their amount, the CRM-weighted and the model-weighted
    amount. Whether an expected close *moved* needs its history, which the
    data model does not keep (stage_history has no close date); the sentence
    says so. ``expected_close`` is today's value: slippage is shown for the
    view's as_of, never backtested. The units of the deals' number columns are
    in ``attrs["units"]``.

    >>> from b2bkit import sample_dataset
    >>> late, _ = slippage(prepare(sample_dataset(), "2025-06-30"))
    >>> late.attrs["units"]["days_overdue"], late.attrs["units"]["p_win"]
    ('count', 'rate')
    """
    opps = view.tables["opportunities"]
    currency = getattr(view.settings, "currency", "") or ""
    moved = " " + _("Whether an expected close moved cannot be shown: the data keeps only "
                    "today's expected close date (the stage history has no close date).")
    if "expected_close" not in opps:
        return pd.DataFrame(), (_("The opportunities have no expected close date: slippage "
                                  "cannot be shown.") + moved)
    deals = deal_probabilities(view, Period.between(view.as_of + _DAY, view.as_of + _DAY), k=k)
    close = opps.set_index(opps["opportunity_id"].astype(str))["expected_close"]
    deals = deals.assign(expected_close=close.reindex(deals["opportunity_id"]).to_numpy())
    late = deals[(deals["expected_close"] < view.as_of).fillna(False).to_numpy(dtype=bool)]
    late = late.assign(days_overdue=_days(pd.Series(view.as_of, index=late.index),
                                          late["expected_close"]))
    late = late.sort_values(["days_overdue", "opportunity_id"], ascending=[False, True])
    columns = ["opportunity_id", "rep_id", "stage", "expected_close", "days_overdue", "amount",
               "probability", "p_win"]
    late = with_units(late[columns].reset_index(drop=True), {
        "days_overdue": "count", "amount": "currency", "probability": "rate", "p_win": "rate"})
    n_open = len(deals)
    if late.empty:
        return late, _("No open deal is past its expected close on {date} ({n} open).").format(
            date=date_text(view.as_of), n=plain(n_open, 0)) + moved
    amount = late["amount"].sum()
    crm = (late["amount"] * late["probability"]).sum() if late["probability"].notna().any() \
        else float("nan")
    model = (late["amount"] * late["p_win"]).sum()
    days = float(late["days_overdue"].median())
    median = ngettext("median {n} days", "median {n} days", round(days)).format(
        n=plain(days, 0))
    if np.isnan(crm):
        text = ngettext(
            "{late} of {n} open deals are past their expected close on {date} ({median}): "
            "they hold {amount}, {model} at the model's win probabilities.",
            "{late} of {n} open deals are past their expected close on {date} ({median}): "
            "they hold {amount}, {model} at the model's win probabilities.", n_open)
    else:
        text = ngettext(
            "{late} of {n} open deals are past their expected close on {date} ({median}): "
            "they hold {amount}, {crm} at the CRM's probabilities and {model} at the model's "
            "win probabilities.",
            "{late} of {n} open deals are past their expected close on {date} ({median}): "
            "they hold {amount}, {crm} at the CRM's probabilities and {model} at the model's "
            "win probabilities.", n_open)
    text = text.format(late=plain(len(late), 0), n=plain(n_open, 0),
                       date=date_text(view.as_of), median=median,
                       amount=format_value(amount, "currency", currency),
                       crm=format_value(crm, "currency", currency),
                       model=format_value(model, "currency", currency)) + moved
    return late, text


def trust_sentence(result: Backtest, *, currency: str = "") -> str:
    """How far to trust the forecast, from its backtest (and the team's, when it forecast).

    >>> table = pd.DataFrame({"actual": [100.0, 200.0], "abs_pct_error": [0.1, 0.3],
    ...                       "inside": [True, False], "team_abs_pct_error": [0.2, 0.2]})
    >>> text = trust_sentence(Backtest(table, pd.DataFrame(), 0.2, 0.5, 0.2))
    >>> text[:90]
    'Over the last 2 periods the model missed actual bookings by 20.0% on average (MAPE) and it'
    >>> text.endswith("give or take about 20%. 2 periods are too few to judge the interval.")
    True
    """
    table = result.table
    scored = table[table["actual"] > 0] if len(table) else table
    if not len(scored):
        return _("No earlier period could be backtested, so there is no record of how wrong "
                 "this forecast tends to be: read it as a rough guide only.")
    n = len(scored)
    inside = int(scored["inside"].sum())
    pct = percent(result.level, 0)
    text = ngettext(
        "Over the last {n} period the model missed actual bookings by {mape} on average (MAPE) "
        "and its {pct} interval held the actual in {inside} of {n} ({coverage})",
        "Over the last {n} periods the model missed actual bookings by {mape} on average "
        "(MAPE) and its {pct} interval held the actual in {inside} of {n} ({coverage})",
        n).format(n=plain(n, 0), mape=percent(result.mape), pct=pct, inside=plain(inside, 0),
                  coverage=percent(result.coverage, 0))
    if not np.isnan(result.team_mape):
        if abs(result.team_mape - result.mape) < 0.02:
            verdict = _("about as good")
        elif result.team_mape < result.mape:
            verdict = _("the team forecasts better")
        else:
            verdict = _("the model forecasts better")
        text += _("; the team's own forecast missed by {mape}: {verdict}").format(
            mape=percent(result.team_mape), verdict=verdict)
    text += _(". Read the expected figure as give or take about {mape}.").format(
        mape=percent(result.mape, 0))
    if n < 4:
        text += " " + ngettext("{n} period is too few to judge the interval.",
                               "{n} periods are too few to judge the interval.", n).format(
            n=plain(n, 0))
    elif result.coverage < result.level - 0.2:
        text += " " + _("Fewer actuals inside the interval than its {pct}: read the interval as "
                        "too narrow.").format(pct=pct)
    else:
        text += " " + _("The interval held about as often as an {pct} interval should.").format(
            pct=pct)
    return text


@dataclass(frozen=True)
class ForecastReport:
    """What the pipeline_forecast report shows for one period.

    Attributes
    ----------
    period : Period
    live : bool
        True when the period is not over at the view's as_of: the forecast
        is made from as_of (what is booked so far counts). False: the period
        is over, and the forecast is the one made at its start (from the cut
        at the day before), shown beside the actual.
    forecast : Forecast
    actual : float
        The period's bookings as the view knows them (NaN when live).
    team_forecast : float
        The team's own forecast of exactly the period (NaN: none).
    backtest : Backtest
    outlook : Forecast or None
        When the period is over: the next period, forecast from as_of (None
        when the next period is over too).
    view_as_of : pandas.Timestamp
    """

    period: Period
    live: bool
    forecast: Forecast
    actual: float
    team_forecast: float
    backtest: Backtest
    outlook: Forecast | None
    view_as_of: pd.Timestamp


def forecast_report(dataset: Dataset, view: View, period: Period | str, *, periods: int = 4,
                    k: float = K, level: float = LEVEL, simulations: int = 4000,
                    seed: int = 0) -> ForecastReport:
    """The forecast of ``period``, its backtest over ``periods`` earlier ones, the outlook.

    ``view`` is the report's view (its as_of is the report's); the cuts for
    the forecast made at the period's start and for the backtest come from
    ``dataset`` (:func:`forecast_view`).
    """
    period = Period.parse(period)
    live = view.as_of < period.end
    options = dict(k=k, level=level, simulations=simulations, seed=seed)
    small = forecast_view(dataset, view.as_of)
    if live:
        made = forecast(small, period, **options)
        actual = float("nan")
    else:
        made = forecast(forecast_view(dataset, period.day_before_start), period, **options)
        actual = _actuals(small, period)[0]
    team = _forecast_rows(small.tables.get("forecasts"), period)[0]
    tested = backtest(dataset, period, view=small, periods=periods, **options)
    outlook = None
    if not live and view.as_of < period.next().end:
        outlook = forecast(small, period.next(), **options)
    return ForecastReport(period=period, live=live, forecast=made, actual=actual,
                          team_forecast=team, backtest=tested, outlook=outlook,
                          view_as_of=view.as_of)


def headline(result: ForecastReport) -> pd.DataFrame:
    """The figures of the forecast, one row each: ``figure, value, how``.

    The model's expected bookings and interval with their parts, the CRM's
    amount x probability (only for a forecast made from today's data: the
    probability column is not historised), the team's own forecast and,
    when the period is over, the actual. ``value`` is money (``attrs["units"]``).
    """
    f = result.forecast
    pct = percent(f.level, 0)
    day = date_text(f.as_of)
    n_runs = len(f.run_rate_periods)
    rows = [
        (_("expected bookings (model)"), f.expected, _("made on {date}").format(date=day)),
        (_("{pct} interval, low").format(pct=pct), f.low,
         _("10th percentile of the simulation")),
        (_("{pct} interval, high").format(pct=pct), f.high,
         _("90th percentile of the simulation")),
        ("  " + _("booked so far"), f.booked, _("won up to {date}").format(date=day)),
        ("  " + _("from open deals"), f.open_expected,
         ngettext("{n} deals: amount x P(won in it)", "{n} deals: amount x P(won in it)",
                  len(f.deals)).format(n=plain(len(f.deals), 0))),
        ("  " + _("from new deals"), f.new_expected,
         ngettext("run rate of {n} earlier period", "run rate of {n} earlier periods",
                  n_runs).format(n=plain(n_runs, 0))),
    ]
    if f.as_of == result.view_as_of:
        rows += [(_("CRM-weighted, all open deals"), f.crm_weighted, _("amount x probability")),
                 (_("CRM-weighted, closing in the period"), f.crm_weighted_in_period,
                  _("the same, expected to close in the period"))]
    rows.append((_("team's own forecast"), result.team_forecast, _("the forecasts table")))
    if not result.live:
        rows.append((_("actual bookings"), result.actual,
                     _("won in {period}").format(period=period_text(f.period))))
    return with_units(pd.DataFrame(rows, columns=["figure", "value", "how"]),
                      {"value": "currency"})


def headline_sentence(result: ForecastReport, *, currency: str = "") -> str:
    """One sentence: the expected bookings, the interval, and the actual when known."""
    f = result.forecast

    def money(value: float) -> str:
        return format_value(value, "currency", currency)

    values = dict(pct=percent(f.level, 0), date=date_text(f.as_of),
                  period=period_text(f.period), expected=money(f.expected), low=money(f.low),
                  high=money(f.high), booked=money(f.booked), actual=money(result.actual),
                  off=_off(f.expected, result.actual))
    if result.live and f.period.start <= f.as_of:
        text = _("Seen from {date}, {period} should book about {expected} ({pct} interval {low} "
                 "to {high}), of which {booked} is already won.")
    elif result.live:
        text = _("Seen from {date}, {period} should book about {expected} ({pct} interval {low} "
                 "to {high}).")
    elif f.low <= result.actual <= f.high:
        text = _("Made at the start of {period} (data as of {date}), the forecast was "
                 "{expected} ({pct} interval {low} to {high}); {actual} was booked: the "
                 "forecast was {off}, inside the interval.")
    else:
        text = _("Made at the start of {period} (data as of {date}), the forecast was "
                 "{expected} ({pct} interval {low} to {high}); {actual} was booked: the "
                 "forecast was {off}, outside the interval.")
    text = text.format(**values)
    if not np.isnan(f.crm_weighted_in_period) and f.as_of == result.view_as_of:
        text += " " + _("The CRM's own weighting (amount x probability) of the deals closing in "
                        "the period gives {amount}.").format(
            amount=money(f.crm_weighted_in_period))
    return text


def outlook_sentence(result: ForecastReport, *, currency: str = "") -> str:
    """The next period's forecast from as_of, when the report's period is over."""
    if result.outlook is None:
        return ""
    ahead = replace(result, period=result.outlook.period, live=True, forecast=result.outlook,
                    actual=float("nan"))
    return _("Next: {sentence}").format(sentence=headline_sentence(ahead, currency=currency))


def _off(forecast_value: float, actual: float) -> str:
    """``4.9% below the actual`` / ``above``; without an actual, ``not comparable``."""
    if not actual:
        return _("not comparable (nothing booked)")
    error = (forecast_value - actual) / actual
    if error < 0:
        return _("{pct} below the actual").format(pct=percent(abs(error)))
    return _("{pct} above the actual").format(pct=percent(abs(error)))


def backtest_display(result: Backtest) -> pd.DataFrame:
    """The backtest table as shown: period, interval, actual, errors, the team's beside.

    Money in the currency, errors as rates of the actual (signed), in ``attrs["units"]``.
    """
    table = result.table
    return with_units(pd.DataFrame({
        "period": table["period"], "made on": [date_text(d) for d in table["as_of"]],
        "expected": table["expected"], "low": table["low"], "high": table["high"],
        "actual": table["actual"], "model error": table["error"] / table["actual"],
        "inside interval": np.where(table["inside"], pgettext("answer", "yes"),
                                    pgettext("answer", "no")),
        "team forecast": table["team_forecast"],
        "team error": table["team_error"] / table["actual"]}), {
        "expected": "currency", "low": "currency", "high": "currency", "actual": "currency",
        "model error": "rate", "team forecast": "currency", "team error": "rate"})


def team_sentence(result: Backtest, scores: pd.DataFrame) -> str:
    """Who forecasts better, the team or the model, and how many reps beat the model."""
    if np.isnan(result.team_mape) and scores.empty:
        return _("The dataset has no forecasts for these periods: the model cannot be compared.")
    parts = []
    if not np.isnan(result.team_mape) and not np.isnan(result.mape):
        if result.team_mape < result.mape:
            text = _("Over the backtest periods the team's own forecast missed by {team} on "
                     "average, the model by {model}: the team forecasts better.")
        else:
            text = _("Over the backtest periods the team's own forecast missed by {team} on "
                     "average, the model by {model}: the model forecasts better.")
        parts.append(text.format(team=percent(result.team_mape), model=percent(result.mape)))
    if not scores.empty:
        wins = int((scores["better"] == "rep").sum())
        parts.append(ngettext(
            "{wins} of {n} reps forecast their own bookings better than the model's share for "
            "them (median error {rep} against {model}).",
            "{wins} of {n} reps forecast their own bookings better than the model's share for "
            "them (median error {rep} against {model}).", len(scores)).format(
            wins=plain(wins, 0), n=plain(len(scores), 0),
            rep=percent(scores["rep_mape"].median()),
            model=percent(scores["model_mape"].median())))
    return " ".join(parts)
