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
# # Strategy review: keep, optimize or drop
#
# **Which marketing practices should get more money, which need fixing, and which should
# stop?** Each practice (a campaign's practice, else its channel) is judged on two things —
# does it pay back (ROI) and does it bring leads that sales can work (lead quality) — both
# measured at the same age for the period and the one it is compared with, both with an
# interval, against the targets of the dataset; every verdict quotes the rule it follows.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q3"  # period under review (leads need time to mature: see metric@d)
compare_to: str = ""  # period to compare with (empty: the previous period)
trend_margin: float = 0.25  # ROI improvement that saves a failing practice from drop
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)
output_dir: str = ""  # where to write the decision table CSV (empty: do not write)
language: str = ""  # language of the report: en or ru (empty: as in dataset.toml)

# %%
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import campaigns, review
from b2bkit.core.formatting import safe_for_spreadsheets
from b2bkit.core.i18n import _, period_text
from b2bkit.reports import notebook as nb

ds, view, P, before, currency = nb.start(data, period, compare_to=compare_to, compared=True,
                                         as_of=as_of, column_map=column_map, lenient=lenient,
                                         snapshot=snapshot, language=language)
rules = review.Thresholds(trend_margin=trend_margin)

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. How old are the leads?
#
# ROI and lead quality follow the period's leads to their outcome and grow as the leads
# age, so a young period always looks worse than an older one. Both periods are therefore
# measured at the same age *d*, the largest at which both are complete (period end + *d* ≤
# the data's date): **metric@d** counts only what happened within *d* days of each lead's creation.
#
# $$\text{ROI@}d = \frac{\text{bookings won within } d \text{ days of the lead} -
# \text{spend}}{\text{spend}}, \qquad \text{lead quality@}d =
# \frac{\text{leads that reached SQL within } d \text{ days}}{\text{leads}}$$
#
# A period not complete for 30 days is too early to judge.

# %%
nb.say(review.maturity_sentence(view, P, before))

# %% [markdown]
# ## 2. The decision
#
# Each practice is judged on two axes, each with a 95% interval: the **return**, ROI at the
# age *d*, with an interval from resampling the period's leads (a bootstrap of what each lead
# booked within *d* days; the spend is known), and **lead quality**, the share of leads that
# reached SQL within *d* days, with its Wilson interval. An axis is *clearly* above or below
# its target when its whole interval is. The targets come from `[targets]` in the dataset's
# `dataset.toml`, else from the dataset's own median of the last four quarters at the same
# age; the rules, with this dataset's targets, are printed below and every verdict quotes its
# own. Spend with no lead traced to it is a question about the data, listed apart. Leads and
# spend without a practice, `(unknown)`, are shown and never judged.
#
# The Wilson interval of $x$ successes in $n$ leads, with $\hat p = x/n$ and $z = 1.96$:
#
# $$\frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1-\hat p)}{n} +
# \frac{z^2}{4n^2}}}{1 + \frac{z^2}{n}}$$

# %%
if "spend" not in view.tables or "leads" not in view.tables:
    display(nb.missing(_("Strategy review"), _("it needs the spend and leads tables.")))
    table = None
else:
    rules = review.rules_for(view, P, rules, before)  # the targets of this dataset
    table = review.decision_table(view, P, rules, before)
    display(nb.say_list(review.rules_text(rules), title=_("The rules")))
    display(nb.say_list([_("{practice} — {verdict}: {reasons}").format(
                             practice=row.practice, verdict=review.verdict_text(row.verdict),
                             reasons=row.reasons)
                         for row in table.itertuples()
                         if row.verdict != review.DATA_QUESTION], title=_("The verdicts")))
    questions = review.data_questions(table, currency)
    if questions:
        display(nb.say_list(questions, title=_("Questions about the data")))
    display(nb.readable(review.decision_shown(table, currency)))
    display(nb.say(campaigns.basis_sentence(view, P, currency=currency)))

# %%
if table is not None and table["roi_at_d"].notna().any():
    plots.quadrant(table, x="lead_quality_at_d", y="roi_at_d",
                   x_target=rules.quality_target, y_target=rules.roi_target,
                   title=_("Return against lead quality by practice, {period}, at {days} days "
                           "(bubble: spend)").format(period=period_text(P),
                                                     days=table["age"].iloc[0]))
    plt.show()
elif table is not None:
    display(nb.say(_("No chart: no practice has both spend and leads to place on it.")))

# %% [markdown]
# ### Which attribution model the return uses
#
# The return above gives each won deal to the practice of the campaign its lead came in
# through. A deal is often touched by several practices before it is won; the campaign ROI
# report's section "Who gets the credit" splits it under other models. Here the same deals
# are split under each rule-based model and every practice is judged again by the same
# rules and targets.

# %%
if table is not None:
    display(nb.say(review.attribution_sentence(
        review.model_verdicts(view, P, table, rules, before), table)))

# %% [markdown]
# ## 3. Projected to maturity
#
# What the period's leads are on course to reach, from the dataset's own older monthly
# cohorts (development factors by age, as in claims triangles):
# $f_j = \sum_c C_{c,a_{j+1}} / \sum_c C_{c,a_j}$ over the cohorts mature at age
# $a_{j+1}$. A projection, with its range, not an observation.

# %%
projection = review.projection_table(view, P)
if review.projection_gap(projection):
    display(nb.missing(_("Projection to maturity"), review.projection_gap(projection)))
else:
    display(nb.readable(review.projection_shown(projection)))

# %% [markdown]
# ## 4. What changed since the comparison period

# %%
if table is not None:
    display(nb.readable(review.verdict_changes(view, table, before, rules)))

# %% [markdown]
# ## 5. Summary

# %%
if table is not None:
    display(nb.say(review.summary_paragraph(table, P, currency=currency)))

# %% [markdown]
# ## What to look at next

# %%
if table is not None:
    display(nb.say(review.next_steps(table, P, currency=currency)))

# %%
if table is not None and output_dir:
    target = Path(output_dir) / "strategy_review_decisions.csv"
    # names cannot run as formulas; numbers rounded
    safe_for_spreadsheets(review.for_csv(table)).to_csv(target, index=False)
    print(_("decision table written to {name}").format(name=target.name))
