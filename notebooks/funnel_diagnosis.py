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
# # Funnel diagnosis
#
# **Where do leads get stuck on their way to a won deal, and is it better or worse than
# before?** This report follows the leads created in one period through the funnel
# (lead → MQL → SQL → opportunity → won) as of the data's date, names the step that keeps the
# smallest share, compares it with an earlier cohort seen at the same age, and breaks the
# funnel down by channel and segment.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q4"  # period to report: 2025, 2025-Q4, 2025-11, 2025-W47 or A..B
compare_to: str = ""  # period to compare with (empty: the previous period)
segment_by: str = "channel"  # breakdown: channel, campaign_id, segment, rep_id, practice
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)
language: str = ""  # language of the report: en or ru (empty: as in dataset.toml)

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import campaigns, funnel
from b2bkit.core.i18n import _, date_text, period_text
from b2bkit.metrics import too_early
from b2bkit.reports import notebook as nb

ds, view, P, before, currency = nb.start(data, period, compare_to=compare_to, compared=True,
                                         as_of=as_of, column_map=column_map, lenient=lenient,
                                         snapshot=snapshot, language=language)

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. The cohort funnel: the period's leads, stage by stage
#
# The leads created in the period, followed to the data's date. A lead counts at a stage when it
# reached that stage or a later one, so every step is a share of the same leads:
#
# $$\text{conversion}_k = \frac{n_k}{n_{k-1}}, \qquad
# \text{lead} \to \text{won} = \frac{n_{\text{won}}}{n_{\text{lead}}}$$
#
# Each conversion carries its 95% **Wilson interval**, the range of rates that the counts
# cannot tell apart from the measured one:
#
# $$\frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1-\hat p)}{n} +
# \frac{z^2}{4n^2}}}{1 + \frac{z^2}{n}}, \qquad z = 1.96$$
#
# A stage the dataset does not record is skipped with a note, and the conversion runs
# across it.

# %%
NO_LEADS = _("the dataset has no leads table, so there is no funnel to follow.")
table = funnel.cohort_funnel(view, P)
if "leads" not in view.tables:
    display(nb.missing(_("The cohort funnel"), NO_LEADS))
else:
    display(nb.readable(funnel.with_stage_labels(table)))
if table["leads"].fillna(0).iloc[0] > 0:  # a chart of no lead says nothing
    shown = funnel.with_stage_labels(table.dropna(subset=["leads"]))
    plots.funnel_chart(shown.set_index("stage")["leads"],
                       title=_("The leads of {period}, followed to {day}").format(
                           period=period_text(P), day=date_text(view.as_of)))
    plt.show()

# %%
if "leads" in view.tables:
    display(nb.say(funnel.bottleneck_sentence(table, P, as_of=view.as_of)))

# %% [markdown]
# ## 2. Against an earlier cohort, at the same age
#
# A young cohort has had less time to move on, so both cohorts are seen at the same age
# *d*: only what happened within *d* days of each lead's creation counts (*metric@d*), with
# *d* the largest age at which both periods are complete
# (period end + *d* ≤ the data's date). A step is called up or down only when a two-proportion test
# (Fisher's exact test for small counts) puts the change beyond noise (p < 0.05).

# %%
if "leads" not in view.tables:
    display(nb.missing(_("Against an earlier cohort"), NO_LEADS))
else:
    display(nb.say_list(funnel.step_changes(view, P, before)))

# %% [markdown]
# ## 3. Period counts (not a cohort)
#
# The catalogue's counts of events *dated in the period*: leads created, leads that became
# MQL in the period and SQL in the period, and **MQL → SQL conversion** = of the leads that
# became MQL in the period, the share that became SQL. These follow different
# leads than the cohort above (an SQL of this period may be a lead of an earlier one).

# %%
counts = funnel.period_counts(view, P, before)
if "leads" not in view.tables:
    display(nb.missing(_("Period counts"), NO_LEADS))
else:
    display(nb.say(_(counts.attrs["title"])))
    display(nb.readable(counts))
    display(nb.say(funnel.definitions_sentence(table, counts)))

# %% [markdown]
# ## 4. The cohort funnel by channel and by segment
#
# The same cohort per group: how many of the group's leads reached each stage, **lead → won**
# (with its Wilson interval) and the **lead quality** (the share that reached SQL). Leads
# with no value for the group are `(unknown)`: shown, never ranked.

# %%
by_group = funnel.funnel_by(view, P, segment_by)
quality = funnel.quality_ranking(by_group, segment_by)
if "leads" not in view.tables:
    display(nb.missing(_("The cohort funnel by group"), NO_LEADS))
else:
    display(nb.readable(by_group))
    if quality.empty:
        display(nb.missing(_("Lead quality chart"),
                           _("no lead reached SQL, or the leads carry no SQL dates.")))
    else:
        plots.ranked_bars(quality, unit="rate",
                          title=_("Lead quality by {group} in {period}").format(
                              group=campaigns.group_name(segment_by, raw=True),
                              period=period_text(P)),
                          label=_("leads that reached SQL"))
        plt.show()

# %%
by_segment = funnel.funnel_by(view, P, "segment")
if "leads" in view.tables:
    display(nb.readable(by_segment))

# %% [markdown]
# ## 5. How long each step takes
#
# From the stage history: the days between entering a stage and entering the next, for the
# steps completed in the period (mean and median; the median is less swayed by a few slow
# deals).

# %%
steps = funnel.stage_durations(view, P)
if steps is None or steps.empty:
    display(nb.missing(_("Stage durations"), funnel.durations_note(view, P)))
else:
    display(nb.readable(steps))
    plots.ranked_bars(steps.set_index("step")["median_days"], unit="days",
                      title=_("Median days per step in {period}").format(
                          period=period_text(P)))
    plt.show()

# %% [markdown]
# ## 6. Sales cycle, velocity and coverage
#
# * **Sales cycle**: days from first contact (the lead's creation) to the won close.
# * **Pipeline velocity**: how much revenue the pipeline moves per day,
#   $$\text{velocity} = \frac{\text{SQLs} \times \text{win rate} \times
#   \text{average deal}}{\text{sales cycle (days)}}$$
# * **Pipeline coverage**: open pipeline at the end of the period over the next period's
#   quota; below 1 the pipeline cannot meet the quota even if every deal is won.

# %%
display(nb.readable(funnel.summary_table(view, P, ["sales_cycle_days", "sales_cycle_days_median",
                                       "win_rate", "avg_deal_size", "pipeline_velocity",
                                       "open_pipeline", "pipeline_coverage"])))
nb.say(funnel.amount_caveat(view, P))

# %% [markdown]
# ## 7. Lead quality
#
# * **Lead quality** = leads created in the period that reached SQL / leads created (as of
#   the data's date; a lead-cohort rate, still growing for a young period).
# * **BANT-qualified share** = of the leads with at least one BANT answer (budget,
#   authority, need, timeline), the share with at least three of the four true.

# %%
nb.say(funnel.quality_sentence(view, P))

# %% [markdown]
# ## What to look at next

# %%
display(nb.say(funnel.next_steps(funnel.cohort_funnel(view, P), P,
                                young=too_early(P, view.as_of))))
