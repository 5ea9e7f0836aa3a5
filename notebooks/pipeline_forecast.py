# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Pipeline forecast
#
# **What will we book this period, and how sure are we?** A forecast of the period's
# bookings learned from the dataset's own closed deals, with an 80% interval, the CRM's
# amount x probability beside it, and the same forecast made at the start of each of the
# earlier periods, graded against what was then booked, and against the team's own
# forecasts.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q4"  # period to forecast: 2025, 2025-Q4, 2025-11, ...
backtest_periods: int = 4  # earlier periods the forecast is backtested on
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)
language: str = ""  # language of the report: en or ru (empty: as in dataset.toml)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import forecast as fc
from b2bkit.core.i18n import _, date_text, period_text, pgettext
from b2bkit.reports import notebook as nb

ds, view, P, _before, currency = nb.start(data, period, as_of=as_of, column_map=column_map,
                                          lenient=lenient, snapshot=snapshot, language=language)
has_deals = "opportunities" in view.tables and len(view.tables["opportunities"]) > 0
report = fc.forecast_report(ds, view, P, periods=backtest_periods) if has_deals else None

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. The forecast
#
# For each deal $i$ open on the day the forecast is made, $\pi_i$ is the chance that it is
# won inside the period; with amount $a_i$,
#
# $$\text{expected bookings} = \text{booked so far} + \sum_i a_i\,\pi_i +
# \overline{B}_{\text{new}}, \qquad \pi_i = p_i\,q_i$$
#
# * $p_i$: the share of the deals that were in the same stage, at least as long, and have
#   closed since, that were won, shrunk towards the stage's rate with $k = 5$ pseudo-deals:
#   $p_i = \dfrac{w_s(t_i) + k\,p_s}{n_s(t_i) + k}$, and
#   $p_s = \dfrac{w_s + k\,p_0}{n_s + k}$ towards the overall win rate $p_0$.
# * $q_i$: the share of those won deals that closed inside the period's remaining days,
#   shrunk the same way towards all stages pooled.
# * $\overline{B}_{\text{new}}$: the mean bookings of deals created **and** won inside
#   the same part of the four earlier periods (deals that do not exist yet).
#
# The **80% interval** runs from the 10th to the 90th percentile of 4,000 seeded
# simulations: each deal won with probability $\pi_i$; the open deals' total times a
# shock shared by all of them (a good or a bad period: mean 1, as variable as the earlier
# periods' win rates); new deals a count as variable as in the earlier periods, with
# amounts drawn from theirs. A period that is already over is shown as the forecast made at
# its start, beside what was then booked.

# %%
if report is None:
    display(nb.missing(_("Forecast"), _("the dataset has no opportunities.")))
else:
    f = report.forecast
    display(nb.say(fc.headline_sentence(report, currency=currency)))
    display(nb.readable(fc.headline(report), currency=currency))
    model_bar = _("forecast (model)")
    bars = {model_bar: f.expected, _("team's forecast"): report.team_forecast}
    if f.as_of == report.view_as_of:
        bars[_("CRM-weighted, closing in period")] = f.crm_weighted_in_period
    if not report.live:
        bars[pgettext("bookings", "actual")] = report.actual
    plots.interval_bars(
        pd.Series(bars), intervals={model_bar: (f.low, f.high)}, currency=currency,
        title=_("{period}: forecast with its 80% interval").format(period=period_text(P)))
    plt.show()
    for line in f.notes:
        display(nb.say(line))

# %% [markdown]
# ## 2. Where the forecast comes from
#
# Win rate per stage, learned from the deals that entered the stage before the forecast was
# made and have closed since (raw: won / closed; shrunk: towards the overall rate), and what
# each stage and each rep is expected to bring.

# %%
if report is None:
    display(nb.missing(_("Stage win rates"), _("the dataset has no opportunities.")))
else:
    display(nb.say(fc.basis_sentence(f)))
    display(nb.readable(f.stages.reset_index()))
    display(nb.readable(fc.contributions(f, "stage"), currency=currency))
    display(nb.readable(fc.contributions(f, "rep_id"), currency=currency))

# %% [markdown]
# ## 3. Backtest: how wrong was the same forecast before?
#
# The forecast made at the start of each earlier period, from the data cut at the day
# before (what was known then), against the bookings of that period:
#
# $$\text{error}_j = \frac{F_j - A_j}{A_j}, \qquad
# \text{MAPE} = \frac{1}{J}\sum_j \left|\text{error}_j\right|, \qquad
# \text{coverage} = \frac{\#\{j : L_j \le A_j \le H_j\}}{J}$$

# %%
if report is None or report.backtest.table.empty:
    reason = (_("the dataset has no opportunities.") if report is None else
              _("no earlier period could be backtested: {reasons}").format(
                  reasons="; ".join(report.backtest.skipped)))
    display(nb.missing(_("Backtest"), reason))
else:
    tested = report.backtest
    display(nb.readable(fc.backtest_display(tested), currency=currency))
    plots.backtest_chart(tested.table, currency=currency,
                         title=_("The forecast made at each period's start against the "
                                 "actual"))
    plt.show()
    for line in tested.skipped:
        display(nb.say(_("Left out: {reason}.").format(reason=line)))
display(nb.say(_(fc.NOT_BACKTESTED)))

# %% [markdown]
# ## 4. The team's and the reps' own forecasts against the model
#
# The same errors for the forecasts table (the team's row, else the sum of the reps'), and
# per rep: each rep's own forecast against the model's share for that rep (their open deals
# and their new-deal run rate).

# %%
if report is None or report.backtest.table.empty:
    display(nb.missing(_("Reps' forecasts"), _("no backtest to compare with.")))
else:
    scores = fc.rep_scores(report.backtest)
    display(nb.say(fc.team_sentence(report.backtest, scores)))
    if scores.empty:
        display(nb.missing(_("Reps' forecasts"),
                           _("no rep forecast and booked in these periods.")))
    else:
        better = {"rep": pgettext("forecasts better", "rep"),
                  "model": pgettext("forecasts better", "model"),
                  "tie": pgettext("forecasts better", "tie")}
        display(nb.readable(scores.assign(better=scores["better"].map(better)),
                            currency=currency))

# %% [markdown]
# ## 5. Slippage
#
# Open deals whose expected close has already passed on the data's as-of day, and what
# they hold: at their full amount, at the CRM's probability and at the model's win
# probability $p_i$.

# %%
if report is None:
    display(nb.missing(_("Slippage"), _("the dataset has no opportunities.")))
else:
    late, slip_text = fc.slippage(fc.forecast_view(ds, view.as_of))
    display(nb.say(slip_text))
    if len(late):
        display(nb.readable(late.head(10).assign(
            expected_close=[date_text(d) for d in late["expected_close"].head(10)]),
            currency=currency))

# %% [markdown]
# ## 6. How far to trust it

# %%
if report is None:
    display(nb.missing(_("Trust"), _("the dataset has no opportunities.")))
else:
    display(nb.say(fc.trust_sentence(report.backtest, currency=currency)))
    if report.outlook is not None:
        display(nb.say(fc.outlook_sentence(report, currency=currency)))
