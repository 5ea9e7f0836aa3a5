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
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # KPI scorecard
#
# **How did the period go, at a glance?** The seven metrics of the source articles'
# checklist — lead conversion, average deal size, win rate, quota attainment, revenue growth,
# pipeline coverage and customer retention — plus CPL, CAC, CLV:CAC and NPS, each against the
# previous period and its target, with the trend over the last eight periods.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q4"  # period to report: 2025, 2025-Q4, 2025-11, ...
target_lead_conversion_rate: float = 0.15  # share of leads that get an opportunity
target_avg_deal_size: float = 8000.0  # average won deal, in the dataset currency
target_win_rate: float = 0.45  # won / (won + lost)
target_quota_attainment: float = 1.0  # bookings / quota
target_revenue_growth: float = 0.03  # growth against the previous period
target_pipeline_coverage: float = 1.0  # open pipeline / next quota
target_retention_rate: float = 0.9  # (E - N) / S
target_cpl: float = 200.0  # at most this cost per lead
target_cac: float = 15000.0  # at most this cost per new customer
target_clv_cac_ratio: float = 3.0  # lifetime value per acquisition cost
target_nps: float = 20.0  # net promoter score
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import scorecard
from b2bkit.reports import notebook as nb

ds, view, P, before, currency = nb.start(data, period, compared=True, as_of=as_of,
                                         column_map=column_map, lenient=lenient,
                                         snapshot=snapshot)
targets = {
    "lead_conversion_rate": target_lead_conversion_rate,
    "avg_deal_size": target_avg_deal_size,
    "win_rate": target_win_rate,
    "quota_attainment": target_quota_attainment,
    "revenue_growth": target_revenue_growth,
    "pipeline_coverage": target_pipeline_coverage,
    "retention_rate": target_retention_rate,
    "cpl": target_cpl,
    "cac": target_cac,
    "clv_cac_ratio": target_clv_cac_ratio,
    "nps": target_nps,
}

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. The scorecard
#
# Each metric with the previous period, the change and its target; misses are marked **▼**.
# Changes of rates are in percentage points (pp). The targets are stated per quarter; for a
# month, a week or a year, retention and growth compound to the period's length, and the
# other targets (per lead, per deal, ratios, scores) hold as they are.
# The definitions are in the metric glossary (`docs/metrics.md`).

# %%
card = scorecard.scorecard(view, P, targets)
display(nb.readable(scorecard.shown(card, currency), {}))

# %%
display(nb.say(scorecard.verdict(card, P)))

# %% [markdown]
# ## 2. Trends over the last eight periods
#
# The red dot is the period of this report.

# %%
trend = scorecard.history(view, P)
units = dict(zip(card["metric"], card["unit"], strict=True))
plots.sparklines(trend, units=units, currency=currency, title=f"Eight periods to {P}")
plt.show()
