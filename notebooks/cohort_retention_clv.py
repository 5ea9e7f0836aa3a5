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
# # Cohort retention and customer lifetime value
#
# **Do the customers we win stay and keep buying, and what is a customer worth against what
# it costs to win one?** Cohorts of customers by their first order, the customer counts of the
# period, lifetime value with its inputs, and whether NPS warns of churn.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q4"  # period to report: 2025, 2025-Q4, 2025-11, ...
cohort_grain: str = "quarter"  # cohorts by month or quarter of the first order
gross_margin: float = 0.0  # margin for CLV (0: as in dataset.toml)
max_lifetime_years: float = 0.0  # cap on the lifetime in CLV (0: as in dataset.toml)
churn_after_days: int = 0  # inferred churn after days without orders (0: dataset.toml)
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)
language: str = ""  # language of the report: en or ru (empty: as in dataset.toml)

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import customers, quality
from b2bkit.analysis.funnel import summary_table
from b2bkit.core.i18n import _, ngettext, percent, plain
from b2bkit.metrics import cohorts
from b2bkit.reports import notebook as nb

ds, view, P, _before, currency = nb.start(
    data, period, as_of=as_of, column_map=column_map, lenient=lenient, snapshot=snapshot,
    language=language,
    settings={"gross_margin": gross_margin, "max_lifetime_years": max_lifetime_years,
              "churn_after_days": churn_after_days})
s = view.settings
years = f"{s.max_lifetime_years:g}"
cap = ngettext("lifetime cap {n} years", "lifetime cap {n} years", s.max_lifetime_years).format(
    n=plain(s.max_lifetime_years, len(years.partition(".")[2])))
churn_days = ngettext("churn after {n} days without orders", "churn after {n} days without orders",
                      s.churn_after_days).format(n=plain(s.churn_after_days, 0))
print(_("Gross margin {margin}, {cap}, {churn}").format(
    margin=percent(s.gross_margin, 0), cap=cap, churn=churn_days))

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. Cohorts
#
# A cohort is the customers whose first order fell in the same month or quarter.
#
# * **Logo retention** is the share of the cohort that ordered in the *k*-th calendar
#   month (quarter) after the one of its first order.
# * **Revenue retention** is the cohort's revenue in period *k* over its revenue in period
#   0, with periods counted **from each customer's first order date**: period *k* of a
#   customer runs from the first order + *k* months (3*k* for quarters) for one full month
#   (quarter). Counted by calendar quarter, a customer who first ordered late in a quarter
#   would have a short first quarter and a full second one, which inflates period 1. A cell
#   is shown once every customer of the cohort has completed that period; others are blank.
#   It can exceed 100% when customers buy more.
#
# $$\text{revenue retention}_{c,k} = \frac{\text{revenue}_{c,k}}{\text{revenue}_{c,0}}$$

# %%
orders = view.tables.get("orders")
if orders is None or orders.empty:
    display(nb.missing(_("Cohorts"), _("the dataset has no orders table.")))
    logo = None
else:
    logo = cohorts.cohort_matrix(orders, grain=cohort_grain, measure="logo", as_of=view.as_of)
    by_grain = {"month": _("{title}, by month"), "quarter": _("{title}, by quarter")}
    plots.heatmap(logo, unit="rate", title=by_grain.get(
        cohort_grain, f"{{title}}, by {cohort_grain}").format(title=_(cohorts.TITLES["logo"])))
    plt.show()
    revenue = cohorts.cohort_matrix(orders, grain=cohort_grain, measure="revenue",
                                    as_of=view.as_of)
    revenue_title = {
        "month": _("Revenue retention by month cohort, periods from each first order (%)"),
        "quarter": _("Revenue retention by quarter cohort, periods from each first order (%)")}
    plots.heatmap(revenue, unit="rate", title=revenue_title.get(
        cohort_grain, f"Revenue retention by {cohort_grain} cohort, periods from each "
                      "first order (%)"))
    plt.show()
    display(nb.say(_(cohorts.TITLES["revenue"])))
    display(nb.readable(customers.cohort_table(revenue, "rate")))

# %%
if logo is not None:
    young = customers.young_cohorts(logo)
    too_young = {"month": _("Too young to judge (fewer than 3 months observed): {cohorts}."),
                 "quarter": _("Too young to judge (fewer than 3 quarters observed): {cohorts}.")}
    display(nb.say(too_young.get(
        cohort_grain, f"Too young to judge (fewer than 3 {cohort_grain}s observed): {{cohorts}}."
    ).format(cohorts=", ".join(young) or _("none"))))
    per_customer = cohorts.cumulative_revenue_per_customer(orders, grain=cohort_grain,
                                                           as_of=view.as_of)
    display(nb.say(_(cohorts.TITLES["cumulative"]).format(currency=currency)))
    display(nb.readable(customers.cohort_table(per_customer, "currency", currency)))

# %% [markdown]
# ## 2. Customers in the period: S, N, L, E
#
# * **S** customers the day before the period, **E** on its last day, **N** new in the period,
#   **L** customers of S who stopped in the period.
#
# $$\text{retention} = \frac{E - N}{S}, \qquad \text{churn} = \frac{L}{S}$$

# %%
states = customers.states_table(view, P)
display(nb.readable(states[["measure", "shown"]].rename(columns={"shown": str(P)})))
nb.say(customers.states_sentence(states, P))

# %%
display(nb.readable(summary_table(view, P, ["repeat_sales_share", "aov", "revenue", "orders"])))
nb.say(quality.figure_note(view, P, "revenue"))

# %% [markdown]
# ## 3. Customer lifetime value
#
# $$\text{CLV} = \text{ARPA} \times \text{margin} \times \min\left(
# \frac{1}{c_{yr}}, T_{max}\right), \quad c_{yr} = 1 - (1 - \text{churn})^{365/\text{days}}$$
#
# ARPA is the annual revenue per account that was a customer in the period. By acquisition
# channel: the **marketing cost per new customer** = the channel's marketing spend / its new
# customers (not the scorecard's customer acquisition cost, which adds the sales costs and
# divides by all new customers); the marketing payback = that cost / (ARPA / 12 × margin)
# months.

# %%
by_segment = customers.clv_table(view, P, by="segment").dropna(subset=["clv", "arpa"], how="all")
by_channel = customers.clv_table(view, P, by="channel").dropna(
    subset=["clv", "marketing_cost_per_new_customer"], how="all")
if by_segment.empty and by_channel.empty:
    display(nb.missing(_("Customer lifetime value"), customers.clv_note(view, P)))
else:
    display(nb.readable(by_segment, currency=currency))
    display(nb.readable(by_channel, currency=currency))
    if customers.no_cost_note(view, P, by_channel):
        display(nb.say(customers.no_cost_note(view, P, by_channel)))

# %% [markdown]
# ## 4. Predictive CLV: BG/NBD and Gamma-Gamma
#
# The formula above averages over everyone. The **BG/NBD** model predicts each customer's
# purchases from their own rhythm (how often they bought, how long ago they last bought);
# the **Gamma-Gamma** model predicts the value of a purchase, pulling customers with few
# purchases towards the average. Expected value over the horizon:
#
# $$\text{value}_i = E[\text{purchases}_i(h)] \times E[\text{spend per purchase}_i]
# \times \text{margin}$$
#
# in the dataset currency, undiscounted, with time in weeks (orders on one day are one
# purchase). A fit is shown only when it passes its checks: the optimisers converged, the
# parameters are plausible, the predictions stay within what the data can support, and a
# model fitted on the first half of the history predicts the purchases of the second half
# within 25%. Otherwise the section says which check failed, and shows no number.

# %%
horizon_weeks = 52
section = customers.predictive_section(view, horizon_weeks=horizon_weeks,
                                       gross_margin=s.gross_margin)
if section.shown:
    display(nb.readable(section.table, currency=currency))
    display(nb.details(section.sentence, list(section.parameters)))
else:
    display(nb.details(customers.refusal_sentence(section), section.reasons))

# %% [markdown]
# ## 5. NPS and churn
#
# $$\text{NPS} = 100 \times (\text{share of 9-10} - \text{share of 0-6})$$

# %%
table, sentence = customers.nps_churn(view)
if table.empty:
    display(nb.missing(_("NPS"), sentence))
else:
    display(nb.readable(customers.nps_by(view, P, "segment")))
    display(nb.readable(table))
    display(nb.say(sentence))

# %% [markdown]
# ## What to look at next

# %%
display(nb.say(customers.next_steps(view, P, by_channel)))
