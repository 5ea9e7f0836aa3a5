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
# # Sales-rep performance
#
# **Who is carrying the number, who needs help, and can we trust the forecast?** A
# leaderboard of the period, quota attainment, selling time, forecast accuracy, and the reps
# to learn from or to coach, with the numbers that make the case.

# %% tags=["parameters"]
data: str = "data/demo"  # dataset folder (absolute, or relative to the project)
period: str = "2025-Q4"  # period to report: 2025, 2025-Q4, 2025-11, ...
team: str = ""  # only this team (empty: everyone)
as_of: str = ""  # see the data as of this day (empty: the as_of of the dataset)
column_map: str = ""  # column map file or preset for a foreign export (empty: none)
lenient: bool = False  # set rows that break a rule aside (False: as in dataset.toml)
snapshot: str = ""  # the dataset as `b2bkit report` loaded it once (empty: load data)
language: str = ""  # language of the report: en or ru (empty: as in dataset.toml)

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from b2bkit import plots
from b2bkit.analysis import reps
from b2bkit.analysis.funnel import summary_table
from b2bkit.core.i18n import _, period_text
from b2bkit.metrics import glossary
from b2bkit.reports import notebook as nb

ds, view, P, _before, currency = nb.start(data, period, as_of=as_of, column_map=column_map,
                                          lenient=lenient, snapshot=snapshot,
                                          language=language,
                                          team=team)

# %%
nb.data_quality(ds, view)

# %% [markdown]
# ## 1. Leaderboard
#
# * **Bookings** = amount of the deals a rep won in the period; **win rate** = won / (won +
#   lost) of the deals closed in the period; **average deal** = bookings / won deals.
# * **Cycle** = mean days from first contact to the won close.
# * **Quota attainment** = bookings / the rep's quota for the period (the quota rows inside it).
#
# Reps with fewer than 5 closed deals are flagged: their rates rest on too few deals. Each
# rep's bookings and win rate are shown with their change since the previous period. With
# more than 20 reps, the top 10 and the bottom 10 by bookings are shown and the others are
# summed in one row (the charts show the 20).

# %%
board = reps.leaderboard(view, P, team=team)
shown = reps.shown_reps(board)
if board.empty:
    display(nb.missing(_("Leaderboard"), _("no rep closed a deal or had a quota in {period}.")
                       .format(period=period_text(P))))
else:
    if shown.note:
        display(nb.say(shown.note))
    display(nb.readable(reps.board_shown(shown.table), currency=currency))
    ranked = shown.ranked
    names = reps.rep_labels(ranked)
    plots.ranked_bars(ranked.set_index(names)["bookings"], unit="currency",
                      currency=currency,
                      title=_("Bookings by rep in {period}").format(period=period_text(P)),
                      highlight=names[ranked["small_sample"].to_numpy()].tolist())
    plt.show()

# %% [markdown]
# ## Who to learn from, who to coach
#
# Each rep's win rate against the rest of the team's, with the interval of the difference
# (Newcombe's score interval from the two Wilson intervals), and bookings against quota. With
# $k$ reps compared, each interval is at $1 - 0.05/k$ (Bonferroni), so that the whole team's
# picks hold at 95%: among many reps, some always look clearly better or worse by luck.

# %%
if not board.empty:
    coaching = reps.coaching_table(view, board, P)
    display(nb.say(reps.rule_sentence(table=coaching)))
    display(nb.say(reps.coaching_sentences(board, currency=currency, table=coaching)))
    display(nb.readable(reps.coaching_shown(coaching, board), currency=currency))

# %% [markdown]
# ## 2. Quota attainment
#
# $$\text{quota attainment rate} = \frac{\#\{\text{reps with attainment} \ge 1\}}
# {\#\{\text{reps with a positive quota}\}}$$

# %%
if board.empty or board["quota_attainment"].isna().all():
    display(nb.missing(_("Quota attainment"), _("no quotas for this period in the dataset.")))
else:
    plots.quota_chart(shown.ranked.set_index(reps.rep_labels(shown.ranked))["quota_attainment"],
                      title=_("Quota attainment by rep in {period} (dashed line: 100% of "
                              "quota)").format(period=period_text(P)))
    plt.show()
display(nb.readable(summary_table(
    view, P, ["quota_attainment", "quota_attainment_rate", "rep_productivity"])))

# %% [markdown]
# ## 3. Selling time and results
#
# Selling time share = minutes on selling activities / all logged minutes.

# %%
if board.empty or board["selling_time_share"].isna().all():
    display(nb.missing(_("Selling time"), _("no activities logged for this period.")))
else:
    ranked = shown.ranked.set_index(reps.rep_labels(shown.ranked))
    plots.scatter_labelled(ranked["selling_time_share"], ranked["bookings"], x_unit="rate",
                           y_unit="currency", currency=currency,
                           title=_("Selling time share against bookings, {period}").format(
                               period=period_text(P)),
                           x_label=_("selling time share"),
                           y_label=_("bookings ({currency})").format(currency=currency))
    plt.show()

# %% [markdown]
# ## 4. Forecast accuracy
#
# $$\text{forecast accuracy} = 1 - \frac{|\text{bookings} - \text{forecast}|}
# {\text{bookings}}$$ for the forecast made for exactly this period: the team's, and each rep's.

# %%
display(nb.readable(summary_table(view, P, ["forecast_accuracy", "bookings"])))
if not board.empty and board["forecast_accuracy"].notna().any():
    plots.ranked_bars(shown.ranked.set_index(reps.rep_labels(shown.ranked))["forecast_accuracy"],
                      unit="rate",
                      title=_("Forecast accuracy by rep, {period}").format(
                          period=period_text(P)),
                      label=f"{glossary.label('forecast_accuracy')} (%)")
    plt.show()

# %% [markdown]
# ## What to look at next

# %%
if not board.empty:
    display(nb.say(reps.next_steps(board, coaching, P, currency=currency)))
