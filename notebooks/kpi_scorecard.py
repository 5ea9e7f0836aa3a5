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
# # KPI scorecard
#
# **How did the period go, at a glance?** The seven metrics of the source articles'
# checklist — lead conversion, average deal size, win rate, quota attainment, revenue growth,
# pipeline coverage and customer retention — plus CPL, CAC, CLV:CAC and NPS, and the overall
# bookings, revenue, CLV and marketing ROI, each against the previous period and its target,
# with the trend over the last eight periods.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q4"  # period to report: 2025, 2025-Q4, 2025-11, ...
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)
language: str = ""  # language of the report: en or ru (empty: as in dataset.toml)

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import quality, scorecard
from b2bkit.core.i18n import _, period_text
from b2bkit.reports import notebook as nb

ds, view, P, before, currency = nb.start(data, period, compared=True, as_of=as_of,
                                         column_map=column_map, lenient=lenient,
                                         snapshot=snapshot, language=language)

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. The scorecard
#
# Each metric with the previous period, the change and its target; misses are marked **▼**.
# Changes of rates are in percentage points (pp). A target comes from `[targets]` in the
# dataset's `dataset.toml` (stated per quarter; for a month, a week or a year, retention and
# growth compound to the period's length, the other targets hold as they are); a metric
# without one there is held to its own median of the last four periods of the same kind.
# Each row says which. The lead-cohort metrics (lead conversion, marketing ROI) show value,
# previous and change at the same age of the leads, so that value − previous = change.
# The definitions are in the metric glossary (`docs/metrics.md`).

# %%
card = scorecard.scorecard(view, P)
display(nb.readable(scorecard.shown(card, currency)))

# %%
display(nb.say(scorecard.verdict(card, P, notes=quality.headline_notes(view, P))))

# %% [markdown]
# ## 2. Trends over the last eight periods
#
# The red dot is the period of this report.

# %%
trend = scorecard.history(view, P)
drawn = scorecard.history_drawn(trend)
if drawn.empty:
    display(nb.missing(_("Trends"),
                       _("no metric of the scorecard has a value in these periods.")))
else:
    plots.sparklines(drawn, units=trend.attrs["units"], currency=currency,
                     title=_("Eight periods to {period}").format(period=period_text(P)))
    plt.show()
if scorecard.history_gaps(trend):
    display(nb.say(scorecard.history_gaps(trend)))

# %% [markdown]
# ## What to look at next

# %%
display(nb.say(scorecard.next_steps(card, P)))
