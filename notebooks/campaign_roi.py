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
# # Campaign ROI comparison
#
# **Which channels and campaigns earn back what they cost, and where should the next unit
# of budget go?** For the leads of one period: what was spent, how many leads and SQLs it
# bought, what they booked, and the return on the spend.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q4"  # period of the leads and spend: 2025, 2025-Q4, 2025-11, ...
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
top: int = 10  # campaigns to show in the ranking
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import campaigns, review
from b2bkit.metrics import mature_days
from b2bkit.reports import notebook as nb

ds, view, P, _, currency = nb.start(data, period, as_of=as_of, column_map=column_map,
                                    lenient=lenient, snapshot=snapshot)
age = mature_days(P, view.as_of)  # the age of its leads, before any "did not pay back"

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. Channels
#
# * **CPL** (cost per lead) = marketing spend / leads created.
# * **Cost per SQL** = marketing spend / leads that became SQL.
# * **Attributed bookings** (and **attributed won deals**) = the won deals whose lead was
#   created in the period, as of the data's date, whenever they closed; not the
#   catalogue's bookings and won deals, which count deals closed in the period. Then
#   $$\text{ROI} = \frac{\text{attributed bookings} - \text{spend}}{\text{spend}}$$
# * **Lead quality** = the share of the period's leads that reached SQL, with its 95%
#   Wilson interval (low, high).
# * **Marketing cost per new customer** = the channel's spend / new customers acquired
#   through it. It is not the scorecard's customer acquisition cost (CAC), which divides all
#   marketing spend *and* the sales costs by all new customers.
#
# Rankings leave out `(unknown)` (leads or spend without a channel: shown, never ranked) and
# name ties as ties; "most money lost" is spend minus attributed bookings. A period whose
# leads are younger than 30 days names no loser: its deals have not had time to close.

# %%
if "spend" not in view.tables:
    display(nb.missing("Channel ROI", "the dataset has no spend table."))
else:
    channels = campaigns.channel_table(view, P, by="channel")
    display(nb.readable(channels, currency=currency))
    if campaigns.no_spend_note(channels):
        display(nb.say(campaigns.no_spend_note(channels)))
    display(nb.say(campaigns.basis_sentence(view, P, currency=currency)))
    plots.ranked_bars(campaigns.rank(channels).set_index("channel")["roi"], unit="rate",
                      title=campaigns.roi_title(channels, P),
                      label="ROI (100% = spend returned twice)")
    plt.show()
    display(nb.say(campaigns.ranking_sentences(channels, by="channel", currency=currency,
                                               age=age, period=P)))

# %% [markdown]
# ## 2. Budget share against bookings share
#
# A channel whose share of the attributed bookings is far below its share of the budget is
# where money leaks; the reverse is where more budget may pay.

# %%
if "spend" in view.tables:
    shares = campaigns.share_table(channels, by="channel")
    long = shares.melt(id_vars="channel", var_name="share of", value_name="share")
    plots.grouped_bars(long, x="channel", y="share", hue="share of", unit="rate",
                       title=f"Budget share and attributed bookings share by channel, {P}")
    plt.show()

# %% [markdown]
# ## 3. Campaigns
#
# The campaigns with spend or leads, best return first (the same order as the sentences).

# %%
if "spend" in view.tables:
    by_campaign = campaigns.channel_table(view, P, by="campaign_id")
    ranked = campaigns.rank(by_campaign, by="campaign_id").head(top).reset_index(drop=True)
    display(nb.readable(ranked, currency=currency))
    if campaigns.no_spend_note(by_campaign, by="campaign_id"):
        display(nb.say(campaigns.no_spend_note(by_campaign, by="campaign_id")))
    display(nb.say(campaigns.ranking_sentences(by_campaign, by="campaign_id",
                                               currency=currency, age=age, period=P)))

# %% [markdown]
# ## 4. Event attendance
#
# Webinar and event attendances, each person counted once per event and day.

# %%
attendance = campaigns.attendance_table(view, P)
if attendance is None or attendance.empty:
    display(nb.missing("Event attendance", f"no webinar or event attendance in {P}."))
else:
    display(nb.readable(attendance))

# %% [markdown]
# ## 5. How mature are these numbers?
#
# ROI and lead quality follow the period's leads to their outcome, so they grow as the
# leads age. A period is *mature at d days* when period end + *d* ≤ the data's date. Beside the
# observed value, a **projection** to maturity from the dataset's own older monthly
# cohorts (the chain ladder of claims triangles): with $C_{c,a}$ what cohort $c$ reached by
# age $a$, the **development factor** from age $a_j$ to $a_{j+1}$ is
#
# $$f_j = \frac{\sum_c C_{c,a_{j+1}}}{\sum_c C_{c,a_j}}$$
#
# over the cohorts mature at $a_{j+1}$; each month of the period is developed from its own
# age by the product of the factors that remain. The range uses the lowest and highest
# single-cohort factors. It is a projection, not an observation.

# %%
display(nb.say(review.maturity_sentence(view, P, compared=False)))
display(nb.readable(review.projection_shown(review.projection_table(view, P))))

# %% [markdown]
# ## What to look at next

# %%
if "spend" in view.tables:
    display(nb.say(campaigns.next_steps(channels, P, age=age, currency=currency)))
