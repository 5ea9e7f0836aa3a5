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
language: str = ""  # language of the report: en or ru (empty: as in dataset.toml)

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import attribution, campaigns, review
from b2bkit.core.i18n import _, period_text
from b2bkit.metrics import mature_days
from b2bkit.reports import notebook as nb

ds, view, P, _before, currency = nb.start(data, period, as_of=as_of, column_map=column_map,
                                          lenient=lenient, snapshot=snapshot, language=language)
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
    display(nb.missing(_("Channel ROI"), _("the dataset has no spend table.")))
else:
    channels = campaigns.channel_table(view, P, by="channel")
    display(nb.readable(channels, currency=currency))
    if campaigns.no_spend_note(channels):
        display(nb.say(campaigns.no_spend_note(channels)))
    display(nb.say(campaigns.basis_sentence(view, P, currency=currency)))
    plots.ranked_bars(campaigns.rank(channels).set_index("channel")["roi"], unit="rate",
                      title=campaigns.roi_title(channels, P),
                      label=_("ROI (100% = spend returned twice)"))
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
                       title=_("Budget share and attributed bookings share by channel, "
                               "{period}").format(period=period_text(P)))
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
    display(nb.missing(_("Event attendance"), _("no webinar or event attendance in "
                                                "{period}.").format(period=period_text(P))))
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
projection = review.projection_table(view, P)
if review.projection_gap(projection):
    display(nb.missing(_("Projection to maturity"), review.projection_gap(projection)))
else:
    display(nb.readable(review.projection_shown(projection)))

# %% [markdown]
# ## 6. Who gets the credit
#
# **Which channels and campaigns earned the deals won in the period, and how much does the
# answer depend on the model?** A B2B deal is touched many times before it is won: a guide
# downloaded, a webinar, emails, a trade show. The ROI above gives each deal to the campaign
# its lead came in through. Here each deal won in the period (closed in it) is split over
# its *touchpoints*: the lead's creation, then every engagement of its lead that carries a
# campaign, from 365 days before the opportunity was created until the deal closed, in time
# order. With touchpoints $1, \dots, n$, $F$ the first touch, $C$ the lead's creation and $L$
# the last touch on or before the day the opportunity was created, a model gives touchpoint
# $i$ a share $s_i$ ($\sum_i s_i = 1$) and credits it $s_i \times$ the deal's amount:
#
# * **lead source** (what the ROI above uses): $s_C = 1$;
# * **first touch**: $s_F = 1$; **last touch**: $s_L = 1$;
# * **linear**: $s_i = 1/n$;
# * **U-shaped**: $s_F = 40\%$, $s_C = 40\%$, the other 20% shared equally by the other
#   touchpoints;
# * **W-shaped**: $s_F = s_C = s_L = 30\%$, the other 10% shared equally by the other
#   touchpoints;
# * **time decay**: with $d_i$ the days from touchpoint $i$ to the close and a half-life of 7
#   days, $$w_i = 2^{-d_i/7}, \qquad s_i = \frac{w_i}{\sum_j w_j}$$
# * **Markov** (learnt from the data): every lead created in the period is a path through the
#   channels (or campaigns) of its touchpoints, ending in a won deal or not. A first-order
#   Markov chain estimated from these paths gives $P(\text{won})$, the chance of reaching a
#   won deal from the start; removing channel $g$ (its visits lead nowhere) gives
#   $P_{-g}(\text{won})$. Its *removal effect* and a deal's split over the channels on its
#   own path are
#   $$E_g = 1 - \frac{P_{-g}(\text{won})}{P(\text{won})}, \qquad
#   s_g = \frac{E_g}{\sum_{h \text{ on the path}} E_h}$$
#
# When two roles fall on one touchpoint their shares add; when a role has no touchpoint its
# share goes to the others. Each deal's credits add up to its amount to the cent; a won
# deal without any touchpoint (no lead) is shown as "(no touchpoint)".
#
# **A worked example.** One deal of 10,000, its opportunity created on 2025-10-16 and won on
# 2025-10-29, with four touchpoints: (1) a buyer's guide downloaded on 2025-10-01 (content,
# 28 days before the close, the first touch), (2) the lead created at a webinar on
# 2025-10-08 (webinar, 21 days), (3) a follow-up email clicked on 2025-10-15 (email, 14
# days, the last touch before the opportunity), (4) a trade show attended on 2025-10-22
# (event, 7 days).
#
# | | lead source | first touch | last touch | linear | U-shaped | W-shaped | time decay | Markov |
# |---|---:|---:|---:|---:|---:|---:|---:|---:|
# | 1. guide (content) | 0 | 10,000 | 0 | 2,500 | 4,000 | 3,000 | 666.67 | 2,500 |
# | 2. webinar | 10,000 | 0 | 0 | 2,500 | 4,000 | 3,000 | 1,333.33 | 2,500 |
# | 3. email | 0 | 0 | 10,000 | 2,500 | 1,000 | 3,000 | 2,666.67 | 2,500 |
# | 4. trade show (event) | 0 | 0 | 0 | 2,500 | 1,000 | 1,000 | 5,333.33 | 2,500 |
#
# U-shaped: 40% of 10,000 to the first touch and 40% to the lead's creation, the remaining
# 2,000 split by the other two. W-shaped: 3,000 each to the first touch, the lead's creation
# and the email, the remaining 1,000 to the trade show. Time decay: the weights are
# $2^{-28/7}, 2^{-21/7}, 2^{-14/7}, 2^{-7/7}$ = 1/16, 2/16, 4/16, 8/16, so the shares are
# 1/15, 2/15, 4/15 and 8/15 of 10,000. Markov: alone, this deal's lead is the only path, and
# removing any of its four channels loses the only won deal, so every removal effect is 1
# and the four share equally; with so few paths the model says nothing the linear one does
# not, which is why it needs many paths to be trusted. The catalogue's own split of this
# deal:

# %%
display(nb.readable(attribution.shown(attribution.worked_example().set_index("touchpoint")),
                    currency=currency))

# %% [markdown]
# ### The models side by side on this data
#
# Credited bookings per channel under each model, the share of the period's bookings each
# model gives each channel, and attributed ROI = (credited bookings - spend dated in the
# period) / spend. Ranks leave out "(unknown)" and "(no touchpoint)".

# %%
reason = attribution.missing_reason(view, P)
credit = {}
if not reason:
    credit = {by: attribution.side_by_side(view, P, by=by) for by in ("channel", "campaign_id")}
    reason = attribution.missing_reason(view, P, credit["channel"], by="channel")
if reason:
    display(nb.missing(_("Who gets the credit"), reason))
else:
    long = credit["channel"]
    display(nb.readable(attribution.shown(attribution.credit_table(long, by="channel")),
                        currency=currency))
    plots.share_bars(attribution.share_frame(long, by="channel"),
                     title=attribution.chart_title(attribution.ranks(long, by="channel"), P,
                                                   by="channel"),
                     muted=attribution.SPECIAL)
    plt.show()
    display(nb.say_list(attribution.credit_sentences(long, by="channel", currency=currency),
                        title=_("How much the answer depends on the model")))
    display(nb.readable(attribution.shown(attribution.credit_table(long, by="channel",
                                                                   value="roi")),
                        currency=currency))

# %% [markdown]
# The campaigns with the most credit (their mean over the models), and each one's rank under
# each model.

# %%
if not reason:
    long = credit["campaign_id"]
    display(nb.readable(attribution.shown(attribution.credit_table(long, by="campaign_id",
                                                                   top=top)),
                        currency=currency))
    display(nb.readable(attribution.shown(attribution.ranks(long, by="campaign_id").head(top)),
                        currency=currency))
    display(nb.say_list(attribution.credit_sentences(long, by="campaign_id", currency=currency,
                                                     markov=False), title=_("By campaign")))

# %% [markdown]
# ## What to look at next

# %%
if "spend" in view.tables:
    display(nb.say(campaigns.next_steps(channels, P, age=age, currency=currency)))
