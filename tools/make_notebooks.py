"""Write the report notebooks and store the outputs of a run on data/demo.

The notebooks are authored here as lists of cells so that their text is
reviewed like code; `make notebooks` rewrites them and executes them in
place (default parameters, no timing metadata), which is what nbval then
compares against on every test run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from b2bkit import parameters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, *tags: str):
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


SETUP = """
from IPython.display import display
import matplotlib.pyplot as plt
from b2bkit import notebook as nb, plots
nb.setup()
"""

FUNNEL = [
    md("""
# Funnel diagnosis

**Where do leads get stuck on their way to a won deal, and is it better or worse than
before?** This report follows the leads created in one period through the funnel
(lead → MQL → SQL → opportunity → won) as of the data's as_of, names the step that keeps the
smallest share, compares it with an earlier cohort seen at the same age, and breaks the
funnel down by channel and segment.
"""),
    code(parameters.cell("funnel_diagnosis"), "parameters"),
    code(SETUP + """
from b2bkit.analysis import funnel
from b2bkit.analysis.periods_note import header_line
ds, view = nb.load(data, as_of=as_of, column_map=column_map, lenient=lenient,
                   snapshot=snapshot)
P, before = nb.period_of(period, compare_to)
currency = ds.settings.currency
print(header_line(ds.settings.name, P, view.as_of, compare_to=before))
"""),
    code("nb.data_quality(ds)"),
    md("""
## 1. The cohort funnel: the period's leads, stage by stage

The leads created in the period, followed to as_of. A lead counts at a stage when it
reached that stage or a later one, so every step is a share of the same leads:

$$\\text{conversion}_k = \\frac{n_k}{n_{k-1}}, \\qquad
\\text{lead} \\to \\text{won} = \\frac{n_{\\text{won}}}{n_{\\text{lead}}}$$

Each conversion carries its 95% **Wilson interval**, the range of rates that the counts
cannot tell apart from the measured one:

$$\\frac{\\hat p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n} +
\\frac{z^2}{4n^2}}}{1 + \\frac{z^2}{n}}, \\qquad z = 1.96$$

A stage the dataset does not record is skipped with a note, and the conversion runs
across it.
"""),
    code("""
table = funnel.cohort_funnel(view, P)
display(nb.formatted(table, {"leads": "count", "conversion": "rate", "low": "rate",
                             "high": "rate", "from_lead": "rate"}))
plots.funnel_chart(table.dropna(subset=["leads"]).set_index("stage")["leads"],
                   title=f"The leads of {P}, followed to {view.as_of:%Y-%m-%d}")
plt.show()
"""),
    code("""
nb.say(funnel.bottleneck_sentence(table, P, as_of=view.as_of))
"""),
    md("""
## 2. Against an earlier cohort, at the same age

A young cohort has had less time to move on, so both cohorts are seen at the same age
*d*: only what happened within *d* days of each lead's creation counts (*metric@d*), with
*d* the largest age at which both periods are complete
(period end + *d* ≤ as_of). A step is called up or down only when a two-proportion test
(Fisher's exact test for small counts) puts the change beyond noise (p < 0.05).
"""),
    code("""
display(nb.say_list(funnel.step_changes(view, P, before)))
"""),
    md("""
## 3. Period counts (not a cohort)

The catalogue's counts of events *dated in the period*: leads created, leads that became
MQL (mql_at in the period) and SQL (sql_at in the period), and **mql_to_sql_rate** = of the
leads whose mql_at falls in the period, the share with an sql_at. These follow different
leads than the cohort above (an SQL of this period may be a lead of an earlier one).
"""),
    code("""
counts = funnel.period_counts(view, P, before)
display(nb.say(counts.attrs["title"]))
display(nb.formatted(counts, {"leads": "count", "mqls": "count", "sqls": "count",
                              "mql_to_sql_rate": "rate", "mql_to_sql_low": "rate",
                              "mql_to_sql_high": "rate"}))
nb.say(funnel.definitions_sentence(table, counts))
"""),
    md("""
## 4. The cohort funnel by channel and by segment

The same cohort per group: how many of the group's leads reached each stage, **lead → won**
(with its Wilson interval) and the **lead quality** (the share that reached SQL). Leads
with no value for the group are `(unknown)`: shown, never ranked.
"""),
    code("""
by_group = funnel.funnel_by(view, P, segment_by)
stage_units = {stage: "count" for stage in funnel.COHORT_STAGES}
display(nb.formatted(by_group, {**stage_units, "lead → won": "rate", "low": "rate",
                                "high": "rate", "lead quality": "rate"}))
quality = funnel.quality_ranking(by_group, segment_by)
if quality.empty:
    display(nb.missing("Lead quality chart", "no lead reached SQL or sql_at is not recorded."))
else:
    plots.ranked_bars(quality, unit="rate", title=f"Lead quality by {segment_by} in {P}",
                      label="leads that reached SQL")
    plt.show()
"""),
    code("""
by_segment = funnel.funnel_by(view, P, "segment")
display(nb.formatted(by_segment, {**stage_units, "lead → won": "rate", "low": "rate",
                                  "high": "rate", "lead quality": "rate"}))
"""),
    md("""
## 5. How long each step takes

From the stage history: the days between entering a stage and entering the next, for the
steps completed in the period (mean and median; the median is less swayed by a few slow
deals).
"""),
    code("""
steps = funnel.stage_durations(view, P)
if steps is None:
    display(nb.missing("Stage durations", "the dataset has no stage_history table."))
elif steps.empty:
    display(nb.missing("Stage durations", f"no step was completed in {P}."))
else:
    display(nb.formatted(steps, {"mean_days": "days", "median_days": "days"}))
    plots.ranked_bars(steps.set_index("step")["median_days"], unit="days",
                      title=f"Median days per step in {P}")
    plt.show()
"""),
    md("""
## 6. Sales cycle, velocity and coverage

* **Sales cycle**: days from first contact (the lead's creation) to the won close.
* **Pipeline velocity**: how much revenue the pipeline moves per day,
  $$\\text{velocity} = \\frac{\\text{SQLs} \\times \\text{win rate} \\times
  \\text{average deal}}{\\text{sales cycle (days)}}$$
* **Pipeline coverage**: open pipeline at the end of the period over the next period's
  quota; below 1 the pipeline cannot meet the quota even if every deal is won.
"""),
    code("""
display(nb.formatted(funnel.summary_table(view, P, ["sales_cycle_days", "sales_cycle_days_median",
                                       "win_rate", "avg_deal_size", "pipeline_velocity",
                                       "open_pipeline", "pipeline_coverage"]), {}))
nb.say(funnel.amount_caveat(view, P))
"""),
    md("""
## 7. Lead quality

* **Lead quality** = leads created in the period that reached SQL / leads created (as of
  as_of; a lead-cohort rate, still growing for a young period).
* **BANT-qualified share** = of the leads with at least one BANT answer (budget,
  authority, need, timeline), the share with at least three of the four true.
"""),
    code("""
nb.say(funnel.quality_sentence(view, P))
"""),
]

CAMPAIGNS = [
    md("""
# Campaign ROI comparison

**Which channels and campaigns earn back what they cost, and where should the next unit
of budget go?** For the leads of one period: what was spent, how many leads and SQLs it
bought, what they booked, and the return on the spend.
"""),
    code(parameters.cell("campaign_roi"), "parameters"),
    code(SETUP + """
from b2bkit.analysis import campaigns, review
from b2bkit.analysis.periods_note import header_line
ds, view = nb.load(data, as_of=as_of, column_map=column_map, lenient=lenient,
                   snapshot=snapshot)
P, _ = nb.period_of(period)
currency = ds.settings.currency
print(header_line(ds.settings.name, P, view.as_of))
"""),
    code("nb.data_quality(ds)"),
    md("""
## 1. Channels

* **CPL** (cost per lead) = marketing spend / leads created.
* **Cost per SQL** = marketing spend / leads that became SQL.
* **Attributed bookings** (and **attributed won deals**) = the won deals whose lead was
  created in the period, as of the report's as_of, whenever they closed; not the
  catalogue's bookings and won_deals, which count deals closed in the period. Then
  $$\\text{ROI} = \\frac{\\text{attributed bookings} - \\text{spend}}{\\text{spend}}$$
* **Lead quality** = the share of the period's leads that reached SQL, with its 95%
  Wilson interval (low, high).
* **CAC** = the channel's spend / new customers acquired through it.

Rankings leave out `(unknown)` (leads or spend without a channel: shown, never ranked) and
break ties by name, ascending.
"""),
    code("""
units = {"spend": "currency", "cpl": "currency", "cost_per_sql": "currency",
         "attributed_bookings": "currency", "roi": "ratio", "cac": "currency",
         "leads": "count", "sqls": "count", "attributed_won_deals": "count",
         "lead_quality": "rate", "lead_quality_low": "rate", "lead_quality_high": "rate"}
if "spend" not in view.tables:
    display(nb.missing("Channel ROI", "the dataset has no spend table."))
else:
    channels = campaigns.channel_table(view, P, by="channel")
    display(nb.formatted(channels, units, currency))
    plots.ranked_bars(campaigns.rank(channels).set_index("channel")["roi"], unit="ratio",
                      title=campaigns.roi_title(channels, P),
                      label="ROI (1.0 = spend returned twice)")
    plt.show()
    display(nb.say(campaigns.ranking_sentences(channels, by="channel", currency=currency)))
"""),
    md("""
## 2. Budget share against bookings share

A channel whose share of the attributed bookings is far below its share of the budget is
where money leaks; the reverse is where more budget may pay.
"""),
    code("""
if "spend" in view.tables:
    shares = campaigns.share_table(channels, by="channel")
    long = shares.melt(id_vars="channel", var_name="share of", value_name="share")
    plots.grouped_bars(long, x="channel", y="share", hue="share of", unit="rate",
                       title=f"Budget share and attributed bookings share by channel, {P}")
    plt.show()
"""),
    md("""
## 3. Campaigns

The campaigns with spend or leads, best return first (the same order as the sentences).
"""),
    code("""
if "spend" in view.tables:
    by_campaign = campaigns.channel_table(view, P, by="campaign_id")
    ranked = campaigns.rank(by_campaign, by="campaign_id").head(top).reset_index(drop=True)
    display(nb.formatted(ranked, units, currency))
    display(nb.say(campaigns.ranking_sentences(by_campaign, by="campaign_id",
                                               currency=currency)))
"""),
    md("""
## 4. Event attendance

Webinar and event attendances, each person counted once per event and day.
"""),
    code("""
attendance = campaigns.attendance_table(view, P)
if attendance is None or attendance.empty:
    display(nb.missing("Event attendance", f"no webinar or event attendance in {P}."))
else:
    display(nb.formatted(attendance, {}))
"""),
    md("""
## 5. How mature are these numbers?

ROI and lead quality follow the period's leads to their outcome, so they grow as the
leads age. A period is *mature at d days* when period end + *d* ≤ as_of. Beside the
observed value, a **projection** to maturity from the dataset's own older monthly
cohorts (the chain ladder of claims triangles): with $C_{c,a}$ what cohort $c$ reached by
age $a$, the **development factor** from age $a_j$ to $a_{j+1}$ is

$$f_j = \\frac{\\sum_c C_{c,a_{j+1}}}{\\sum_c C_{c,a_j}}$$

over the cohorts mature at $a_{j+1}$; each month of the period is developed from its own
age by the product of the factors that remain. The range uses the lowest and highest
single-cohort factors. It is a projection, not an observation.
"""),
    code("""
display(nb.say(review.maturity_sentence(view, P)))
display(nb.formatted(review.projection_shown(review.projection_table(view, P)), {}))
"""),
]

REPS = [
    md("""
# Sales-rep performance

**Who is carrying the number, who needs help, and can we trust the forecast?** A
leaderboard of the period, quota attainment, selling time, forecast accuracy, and the reps
to learn from or to coach, with the numbers that make the case.
"""),
    code(parameters.cell("rep_performance"), "parameters"),
    code(SETUP + """
from b2bkit.analysis import reps
ds, view = nb.load(data, as_of=as_of, column_map=column_map, lenient=lenient,
                   snapshot=snapshot)
P, _ = nb.period_of(period)
currency = ds.settings.currency
print(f"{ds.settings.name}: {P} ({P.start:%Y-%m-%d} to {P.end:%Y-%m-%d}), "
      f"as of {view.as_of:%Y-%m-%d}" + (f", team {team}" if team else ""))
"""),
    code("nb.data_quality(ds)"),
    md("""
## 1. Leaderboard

* **Bookings** = amount of the deals a rep won in the period; **win rate** = won / (won +
  lost) of the deals closed in the period; **average deal** = bookings / won deals.
* **Cycle** = mean days from first contact to the won close.
* **Quota attainment** = bookings / the rep's quota for the period (the quota rows inside it).

Reps with fewer than 5 closed deals are flagged: their rates rest on too few deals.
"""),
    code("""
board = reps.leaderboard(view, P, team=team)
if board.empty:
    display(nb.missing("Leaderboard", f"no rep closed a deal or had a quota in {P}."))
else:
    display(nb.formatted(board, {"bookings": "currency", "won_deals": "count",
                                 "win_rate": "rate", "avg_deal_size": "currency",
                                 "sales_cycle_days": "days", "quota_attainment": "rate",
                                 "selling_time_share": "rate", "forecast_accuracy": "rate",
                                 "closed_deals": "count"}, currency))
    plots.ranked_bars(board.set_index("rep_id")["bookings"], unit="currency",
                      currency=currency, title=f"Bookings by rep in {P}",
                      highlight=board.loc[board["small_sample"], "rep_id"].tolist())
    plt.show()
"""),
    code("""
if not board.empty:
    display(nb.say(reps.coaching_sentences(board, currency=currency)))
"""),
    md("""
## 2. Quota attainment

$$\\text{quota attainment rate} = \\frac{\\#\\{\\text{reps with attainment} \\ge 1\\}}
{\\#\\{\\text{reps with a positive quota}\\}}$$
"""),
    code("""
if board.empty or board["quota_attainment"].isna().all():
    display(nb.missing("Quota attainment", "no quotas for this period in the dataset."))
else:
    plots.ranked_bars(board.set_index("rep_id")["quota_attainment"], unit="rate",
                      title=f"Quota attainment by rep in {P}", label="bookings / quota")
    plt.show()
display(nb.formatted(nb.metric_table(
    view, P, ["quota_attainment", "quota_attainment_rate", "rep_productivity"]), {}))
"""),
    md("""
## 3. Selling time and results

Selling time share = minutes on selling activities / all logged minutes.
"""),
    code("""
if board.empty or board["selling_time_share"].isna().all():
    display(nb.missing("Selling time", "no activities logged for this period."))
else:
    plots.scatter_labelled(board.set_index("rep_id")["selling_time_share"],
                           board.set_index("rep_id")["bookings"], x_unit="rate",
                           y_unit="currency", currency=currency,
                           title=f"Selling time share against bookings, {P}",
                           x_label="selling time share", y_label=f"bookings ({currency})")
    plt.show()
"""),
    md("""
## 4. Forecast accuracy

$$\\text{forecast accuracy} = 1 - \\frac{|\\text{bookings} - \\text{forecast}|}
{\\text{bookings}}$$ for the forecast made for exactly this period: the team's, and each rep's.
"""),
    code("""
display(nb.formatted(nb.metric_table(view, P, ["forecast_accuracy", "bookings"]), {}))
if not board.empty and board["forecast_accuracy"].notna().any():
    plots.ranked_bars(board.set_index("rep_id")["forecast_accuracy"], unit="rate",
                      title=f"Forecast accuracy by rep, {P}")
    plt.show()
"""),
]

COHORTS = [
    md("""
# Cohort retention and customer lifetime value

**Do the customers we win stay and keep buying, and what is a customer worth against what
it costs to win one?** Cohorts of customers by their first order, the customer counts of the
period, lifetime value with its inputs, and whether NPS warns of churn.
"""),
    code(parameters.cell("cohort_retention_clv"), "parameters"),
    code(SETUP + """
from b2bkit.analysis import customers
from b2bkit.analysis.periods_note import header_line
from b2bkit.metrics import cohorts
ds, view = nb.load(data, as_of=as_of, column_map=column_map, lenient=lenient,
                   snapshot=snapshot,
                   settings={"gross_margin": gross_margin,
                             "max_lifetime_years": max_lifetime_years,
                             "churn_after_days": churn_after_days})
P, _ = nb.period_of(period)
currency = ds.settings.currency
s = view.settings
print(header_line(ds.settings.name, P, view.as_of))
print(f"Gross margin {s.gross_margin:.0%}, lifetime cap {s.max_lifetime_years:g} years, "
      f"churn after {s.churn_after_days} days without orders")
"""),
    code("nb.data_quality(ds)"),
    md("""
## 1. Cohorts

A cohort is the customers whose first order fell in the same month or quarter.

* **Logo retention** is the share of the cohort that ordered in the *k*-th calendar
  month (quarter) after the one of its first order.
* **Revenue retention** is the cohort's revenue in period *k* over its revenue in period
  0, with periods counted **from each customer's first order date**: period *k* of a
  customer runs from the first order + *k* months (3*k* for quarters) for one full month
  (quarter). Counted by calendar quarter, a customer who first ordered late in a quarter
  would have a short first quarter and a full second one, which inflates period 1. A cell
  is shown once every customer of the cohort has completed that period; others are blank.
  It can exceed 100% when customers buy more.

$$\\text{revenue retention}_{c,k} = \\frac{\\text{revenue}_{c,k}}{\\text{revenue}_{c,0}}$$
"""),
    code("""
orders = view.tables.get("orders")
if orders is None or orders.empty:
    display(nb.missing("Cohorts", "the dataset has no orders table."))
    logo = None
else:
    logo = cohorts.cohort_matrix(orders, grain=cohort_grain, measure="logo", as_of=view.as_of)
    plots.heatmap(logo, unit="rate", title=f"{cohorts.TITLES['logo']}, by {cohort_grain}")
    plt.show()
    revenue = cohorts.cohort_matrix(orders, grain=cohort_grain, measure="revenue",
                                    as_of=view.as_of)
    plots.heatmap(revenue, unit="rate",
                  title=f"Revenue retention by {cohort_grain} cohort, periods from each "
                        "first order (%)")
    plt.show()
    display(nb.say(cohorts.TITLES["revenue"]))
    display(nb.formatted(customers.cohort_table(revenue, "rate"), {}))
"""),
    code("""
if logo is not None:
    young = customers.young_cohorts(logo)
    display(nb.say(f"Too young to judge (fewer than 3 {cohort_grain}s observed): "
                   f"{', '.join(young) or 'none'}."))
    per_customer = cohorts.cumulative_revenue_per_customer(orders, grain=cohort_grain,
                                                           as_of=view.as_of)
    display(nb.say(cohorts.TITLES["cumulative"].format(currency=currency)))
    display(nb.formatted(customers.cohort_table(per_customer, "currency", currency), {}))
"""),
    md("""
## 2. Customers in the period: S, N, L, E

* **S** customers the day before the period, **E** on its last day, **N** new in the period,
  **L** customers of S who stopped in the period.
* $$\\text{retention} = \\frac{E - N}{S}, \\qquad \\text{churn} = \\frac{L}{S}$$
"""),
    code("""
states = customers.states_table(view, P)
display(nb.formatted(states[["measure", "shown"]].rename(columns={"shown": str(P)}), {}))
nb.say(customers.states_sentence(states, P))
"""),
    code("""
display(nb.formatted(nb.metric_table(view, P, ["repeat_sales_share", "aov", "revenue",
                                                "orders"]), {}))
"""),
    md("""
## 3. Customer lifetime value

$$\\text{CLV} = \\text{ARPA} \\times \\text{margin} \\times \\min\\left(
\\frac{1}{c_{yr}}, T_{max}\\right), \\quad c_{yr} = 1 - (1 - \\text{churn})^{365/\\text{days}}$$

ARPA is the annual revenue per account that was a customer in the period. CAC (by
acquisition channel) = the channel's spend / its new customers; payback = CAC / (ARPA / 12 ×
margin) months.
"""),
    code("""
by_segment = customers.clv_table(view, P, by="segment").dropna(subset=["clv", "arpa"], how="all")
display(nb.formatted(by_segment.drop(columns=["cac", "clv_cac_ratio", "cac_payback_months"]),
                     {"arpa": "currency", "gross_margin": "rate", "lifetime_years": "ratio",
                      "clv": "currency"}, currency))
by_channel = customers.clv_table(view, P, by="channel").dropna(subset=["clv", "cac"], how="all")
display(nb.formatted(by_channel, {"arpa": "currency", "gross_margin": "rate",
                                  "lifetime_years": "ratio", "clv": "currency",
                                  "cac": "currency", "clv_cac_ratio": "ratio",
                                  "cac_payback_months": "months"}, currency))
"""),
    md("""
## 4. Predictive CLV: BG/NBD and Gamma-Gamma

The formula above averages over everyone. The **BG/NBD** model predicts each customer's
purchases from their own rhythm (how often they bought, how long ago they last bought);
the **Gamma-Gamma** model predicts the value of a purchase, pulling customers with few
purchases towards the average. Expected value over the horizon:

$$\\text{value}_i = E[\\text{purchases}_i(h)] \\times E[\\text{spend per purchase}_i]
\\times \\text{margin}$$

in the dataset currency, undiscounted, with time in weeks (orders on one day are one
purchase).
"""),
    code("""
horizon_weeks = 52
if orders is None or orders.empty or orders["account_id"].nunique() < 20:
    display(nb.missing("Predictive CLV", "it needs the orders of at least 20 customers."))
else:
    from b2bkit.metrics.predictive import predictive_clv
    per_customer, purchases, spend = predictive_clv(orders, as_of=view.as_of,
                                                    horizon=horizon_weeks,
                                                    gross_margin=s.gross_margin)
    segment = view.customers.set_index("account_id")["segment"].astype("string")
    per_customer["segment"] = segment.reindex(per_customer["account_id"]).fillna(
        "(unknown)").to_numpy()
    summary = per_customer.groupby("segment").agg(
        customers=("account_id", "size"), p_alive=("p_alive", "mean"),
        expected_purchases=("expected_purchases", "mean"),
        expected_spend=("expected_spend", "mean"), expected_value=("expected_value", "mean"))
    display(nb.formatted(summary.reset_index(), {"customers": "count", "p_alive": "rate",
                                                 "expected_purchases": "ratio",
                                                 "expected_spend": "currency",
                                                 "expected_value": "currency"}, currency))
    display(nb.say(
        f"Fitted on {len(per_customer):,} customers: BG/NBD r = {purchases.r:.3f}, "
        f"alpha = {purchases.alpha:.3f}, a = {purchases.a:.3f}, b = {purchases.b:.3f}; "
        f"Gamma-Gamma p = {spend.p:.2f}, q = {spend.q:.2f}, gamma = {spend.gamma:.2f}. "
        f"Mean expected margin per customer over {horizon_weeks} weeks: "
        f"{per_customer['expected_value'].mean():,.2f} {currency}, beside the simple CLV "
        f"above, which covers the whole expected lifetime."))
"""),
    md("""
## 5. NPS and churn

$$\\text{NPS} = 100 \\times (\\text{share of 9-10} - \\text{share of 0-6})$$
"""),
    code("""
table, sentence = customers.nps_churn(view)
if table.empty:
    display(nb.missing("NPS", sentence))
else:
    display(nb.formatted(customers.nps_by(view, P, "segment"), {"nps": "score"}))
    display(nb.formatted(table, {"churn share": "rate"}))
    display(nb.say(sentence))
"""),
]

REVIEW = [
    md("""
# Strategy review: keep, optimize or drop

**Which marketing practices should get more money, which need fixing, and which should
stop?** Each practice (a campaign's practice, else its channel) is judged on two things —
does it pay back (ROI) and does it bring leads that sales can work (lead quality) — both
measured at the same age for the period and the one it is compared with, with the
thresholds below; every verdict says why.
"""),
    code(parameters.cell("strategy_review"), "parameters"),
    code(SETUP + """
from pathlib import Path
from b2bkit.analysis import review
from b2bkit.analysis.periods_note import header_line
from b2bkit.formatting import safe_for_spreadsheets
ds, view = nb.load(data, as_of=as_of, column_map=column_map, lenient=lenient,
                   snapshot=snapshot)
P, before = nb.period_of(period, compare_to)
currency = ds.settings.currency
rules = review.Thresholds(roi_target=roi_target, quality_target=quality_target,
                          trend_margin=trend_margin)
print(header_line(ds.settings.name, P, view.as_of, compare_to=before))
"""),
    code("nb.data_quality(ds)"),
    md("""
## 1. How old are the leads?

ROI and lead quality follow the period's leads to their outcome and grow as the leads
age, so a young period always looks worse than an older one. Both periods are therefore
measured at the same age *d*, the largest at which both are complete (period end + *d* ≤
as_of): **metric@d** counts only what happened within *d* days of each lead's creation.

$$\\text{ROI@}d = \\frac{\\text{bookings won within } d \\text{ days of the lead} -
\\text{spend}}{\\text{spend}}, \\qquad \\text{lead quality@}d =
\\frac{\\text{leads that reached SQL within } d \\text{ days}}{\\text{leads}}$$

A period not complete for 30 days is too early to judge.
"""),
    code("""
nb.say(review.maturity_sentence(view, P, before))
"""),
    md("""
## 2. The decision

The rules, in order:

1. **too early to judge** — the period ended fewer than 30 days before as_of;
2. **too little data** — no spend or no leads, or lead quality's 95% **Wilson interval**
   contains `quality_target` while ROI@d misses `roi_target` (too few leads to tell);
3. **keep** — ROI@d ≥ `roi_target` **and** the whole interval of lead quality@d is at or
   above `quality_target`;
4. **drop** — ROI@d < `roi_target`, the whole interval below `quality_target`, and ROI@d
   did not improve by `trend_margin` against the comparison period;
5. **optimize** — everything else.

Leads and spend without a practice, `(unknown)`, are shown and never judged. The Wilson
interval of $x$ successes in $n$ leads, with $\\hat p = x/n$ and $z = 1.96$:

$$\\frac{\\hat p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n} +
\\frac{z^2}{4n^2}}}{1 + \\frac{z^2}{n}}$$
"""),
    code("""
if "spend" not in view.tables or "leads" not in view.tables:
    display(nb.missing("Strategy review", "it needs the spend and leads tables."))
    table = None
else:
    table = review.decision_table(view, P, rules, before)
    display(nb.say_list([f"{row.practice} — {row.verdict}: {row.reasons}"
                         for row in table.itertuples()]))  # one line per practice
    display(nb.formatted(table.drop(columns="reasons"), {
        "spend": "currency", "leads": "count", "cpl": "currency", "cost_per_sql": "currency",
        "attributed_bookings": "currency", "roi": "ratio", "lead_quality": "rate",
        "roi_at_d": "ratio", "lead_quality_at_d": "rate", "quality_low": "rate",
        "quality_high": "rate", "roi_previous_at_d": "ratio", "roi_change_at_d": "ratio"},
        currency))
"""),
    code("""
if table is not None:
    plots.quadrant(table, x="lead_quality_at_d", y="roi_at_d", x_target=quality_target,
                   y_target=roi_target,
                   title=f"Return against lead quality by practice, {P}, at "
                         f"{table['age'].iloc[0]} days (bubble: spend)")
    plt.show()
"""),
    md("""
## 3. Projected to maturity

What the period's leads are on course to reach, from the dataset's own older monthly
cohorts (development factors by age, as in claims triangles):
$f_j = \\sum_c C_{c,a_{j+1}} / \\sum_c C_{c,a_j}$ over the cohorts mature at age
$a_{j+1}$. A projection, with its range, not an observation.
"""),
    code("""
display(nb.formatted(review.projection_shown(review.projection_table(view, P)), {}))
"""),
    md("""
## 4. What changed since the comparison period
"""),
    code("""
if table is not None:
    earlier = review.decision_table(view, before, rules, before.previous())
    moved = table[["practice", "verdict"]].merge(
        earlier[["practice", "verdict"]], on="practice", how="left",
        suffixes=("", f" in {before}"))
    display(nb.formatted(moved, {}))
"""),
    md("""
## 5. Summary
"""),
    code("""
if table is not None:
    display(nb.say(review.summary_paragraph(table, P, currency=currency)))
"""),
    code("""
if table is not None and output_dir:
    target = Path(output_dir) / "strategy_review_decisions.csv"
    safe_for_spreadsheets(table).to_csv(target, index=False)  # names cannot run as formulas
    print(f"decision table written to {target.name}")
"""),
]

SCORECARD = [
    md("""
# KPI scorecard

**How did the period go, at a glance?** The seven metrics of the source articles'
checklist — lead conversion, average deal size, win rate, quota attainment, revenue growth,
pipeline coverage and customer retention — plus CPL, CAC, CLV:CAC and NPS, each against the
previous period and its target, with the trend over the last eight periods.
"""),
    code(parameters.cell("kpi_scorecard"), "parameters"),
    code(SETUP + """
from b2bkit.analysis import scorecard
ds, view = nb.load(data, as_of=as_of, column_map=column_map, lenient=lenient,
                   snapshot=snapshot)
P, before = nb.period_of(period)
currency = ds.settings.currency
targets = {name: value for name, value in globals().items() if name.startswith("target_")}
targets = {name[len("target_"):]: value for name, value in targets.items()}
print(f"{ds.settings.name}: {P} against {before}, as of {view.as_of:%Y-%m-%d}")
"""),
    code("nb.data_quality(ds)"),
    md("""
## 1. The scorecard

Each metric with the previous period, the change and its target; misses are marked **▼**.
The definitions are in the metric glossary (`docs/metrics.md`).
"""),
    code("""
card = scorecard.scorecard(view, P, targets)
display(nb.formatted(scorecard.shown(card, currency), {}))
"""),
    code("""
display(nb.say(scorecard.verdict(card, P)))
"""),
    md("""
## 2. Trends over the last eight periods

The red dot is the period of this report.
"""),
    code("""
trend = scorecard.history(view, P)
units = dict(zip(card["metric"], card["unit"]))
plots.sparklines(trend, units=units, currency=currency, title=f"Eight periods to {P}")
plt.show()
"""),
]


def build(name: str, cells: list) -> Path:
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    path = NOTEBOOKS / f"{name}.ipynb"
    NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    nbformat.write(notebook, path)
    return path


def main() -> None:
    NOTEBOOKS.mkdir(exist_ok=True)
    wanted = set(sys.argv[1:])
    for name, cells in (("funnel_diagnosis", FUNNEL), ("campaign_roi", CAMPAIGNS),
                        ("rep_performance", REPS), ("cohort_retention_clv", COHORTS),
                        ("strategy_review", REVIEW), ("kpi_scorecard", SCORECARD)):
        if not wanted or name in wanted:
            print(build(name, cells))


if __name__ == "__main__":
    main()
