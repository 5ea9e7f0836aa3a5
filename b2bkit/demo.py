"""A deterministic synthetic B2B dataset with every table of the contract.

Demo Co sells software subscriptions to small, mid-market and enterprise
companies through six channels over the calendar years 2024 and 2025
(as_of 2025-12-31). The data is made to tell a story an analyst can find:

- **Channels differ in cost and lead quality.** Trade shows are the most
  expensive per lead and their leads rarely convert: the practice worth
  *dropping* (ROI clearly below zero). Webinars cost a moderate amount and
  bring strong leads: worth *keeping*. Paid search brings decent leads at a
  high price and follows them up slowly (long MQL to SQL lag, many lost to
  no decision), so its money does not come back either. Content is cheap
  and pays back on a few deals, but its leads rarely reach SQL: worth
  *optimizing*. Referrals are few and excellent. At the strategy review's
  default period (2025-Q3, judged at 92 days) that gives keep, optimize and
  drop verdicts, each clear on the evidence (tests/test_demo.py).
- **Seasonality**: fewer leads in July, August and late December, more in
  Q1 and in autumn.
- **Twelve reps of uneven skill** in three teams (R03 the star, R10
  struggling), with quarterly quotas (2024-Q1 to 2026-Q1) that follow the
  bookings trend so most attainments fall between 0.6 and 1.3, weekly
  activities with a selling-time share of 30-45%, and forecasts (a team row
  and one row per rep per quarter of 2024-2025) that miss actual bookings by
  5-20%.
- **Customers** order after their first won deal (a Poisson process with a
  rate of their own, about once a month on average: what BG/NBD assumes, so
  the predictive CLV fits), renew or churn
  (some with ``churned_at``, some just stop ordering, so the inferred
  churn after ``churn_after_days`` applies); NPS answers of accounts that
  later churn are clearly lower. Accounts include the prospects of lost and
  open deals.
- **Blanks on purpose**: about 1.5% of the leads have no channel (the
  "(unknown)" group), 2% no campaign, and a small monthly content retainer
  in ``spend`` has no campaign; attendance rows are sometimes scanned twice.
- **Stage history** for every opportunity, and web **engagement** events
  (page views, e-mails, downloads, webinar and event attendance).

Same seed and scale, same bytes: only ``numpy.random.default_rng(seed)``
draws, in a fixed order, and rows sorted by key before writing. Everything is
vectorised: ``scale=10`` (50,000 leads) takes a few seconds.

Examples
--------
>>> tables = generate(seed=1, scale=0.05)
>>> sorted(tables)[:4]
['accounts', 'activities', 'campaigns', 'engagement']
>>> len(tables["leads"])
250
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from b2bkit.core.schema import TABLES

__all__ = ["CHANNELS", "DATASET_TOML", "generate", "write_demo"]

START, END = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31")
_DAYS = (END - START).days + 1

#: Per channel: share of leads, cost per lead, P(MQL), P(SQL | MQL),
#: P(opportunity | SQL), P(win), deal-size factor, MQL->SQL lag (days), practice.
CHANNELS = pd.DataFrame(
    [
        ("webinar", 0.18, 150, 0.60, 0.55, 0.85, 0.45, 1.00, 8, "webinars"),
        ("trade_show", 0.10, 650, 0.45, 0.25, 0.70, 0.12, 0.90, 12, "trade_shows"),
        ("content", 0.30, 25, 0.35, 0.18, 0.75, 0.22, 0.70, 10, "content_marketing"),
        ("paid_search", 0.22, 400, 0.50, 0.40, 0.80, 0.16, 0.90, 35, "paid_search"),
        ("referral", 0.08, 60, 0.70, 0.60, 0.90, 0.50, 1.10, 5, "referral_program"),
        ("outbound", 0.12, 90, 0.40, 0.35, 0.75, 0.25, 1.00, 9, "outbound_calls"),
    ],
    columns=["channel", "share", "cpl", "p_mql", "p_sql", "p_opp", "p_win", "size", "lag",
             "practice"],
).set_index("channel")

SEGMENTS = pd.DataFrame(
    [("SMB", 0.50, 3_000, 30), ("Mid-Market", 0.35, 8_000, 50), ("Enterprise", 0.15, 24_000, 80)],
    columns=["segment", "share", "deal", "cycle"],
).set_index("segment")

INDUSTRIES = np.array(["software", "manufacturing", "retail", "finance", "healthcare",
                       "logistics"])
TEAMS = {"North": "Maria Lopez", "South": "Tom Becker", "West": "Aiko Tanaka"}
REP_NAMES = ["Ann Fischer", "Ben Okafor", "Chloe Martin", "Dmitri Ivanov", "Elena Rossi",
             "Farid Haddad", "Grace Kim", "Hugo Silva", "Ines Novak", "Jack Murphy",
             "Kavya Rao", "Liam Walsh"]
#: Skill multiplies the win probability and the deal size; R03 is the star, R10 struggles.
REP_SKILL = np.array([1.0, 1.1, 1.6, 0.9, 1.2, 0.8, 1.0, 1.15, 0.95, 0.55, 1.05, 0.85])
#: Share of a rep's logged minutes that is selling time.
REP_SELLING = np.array([0.38, 0.41, 0.45, 0.33, 0.40, 0.30, 0.36, 0.42, 0.35, 0.31, 0.39, 0.34])
#: Relative lead volume by calendar month (Jan..Dec).
SEASON = np.array([1.25, 1.2, 1.15, 1.0, 1.0, 0.9, 0.6, 0.55, 1.1, 1.2, 1.15, 0.8])
LOST_REASONS = np.array(["price", "competitor", "no decision", "timing", "no budget"])

DATASET_TOML = """\
name = "Demo Co"
currency = "USD"
as_of = "2025-12-31"
stages = ["lead", "mql", "sql", "opportunity", "proposal", "won"]
churn_after_days = 365
gross_margin = 0.8
max_lifetime_years = 10

# The demo's example targets, per quarter (CONTRACT section 1): a metric without
# one here is judged against its own median of the last four periods.
[targets]
lead_conversion_rate = 0.15
avg_deal_size = 8000
win_rate = 0.45
quota_attainment = 1.0
revenue_growth = 0.03
pipeline_coverage = 1.0
retention_rate = 0.9
cpl = 200
cac = 15000
clv_cac_ratio = 3.0
nps = 20
roi = 0.0
lead_quality = 0.2
"""


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """``prefix`` and 1..n zero-padded to ``width`` digits: ``_ids("C", 2, 3)`` = C001, C002."""
    if n == 0:
        return np.array([], dtype=f"<U{len(prefix) + width}")
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def _days(values: np.ndarray) -> pd.TimedeltaIndex:
    return pd.to_timedelta(np.round(values), unit="D")


def _daily_weights() -> tuple[pd.DatetimeIndex, np.ndarray]:
    days = pd.date_range(START, END, freq="D")
    weights = SEASON[days.month - 1].copy()
    weights[(days.month == 12) & (days.day >= 20)] *= 0.4
    weights[days.day_of_week >= 5] *= 0.25
    return days, weights / weights.sum()


def _campaigns() -> pd.DataFrame:
    """Quarterly webinar and trade-show campaigns, half-yearly ones for the rest."""
    rows = []
    for channel, practice in CHANNELS["practice"].items():
        months = 3 if channel in ("webinar", "trade_show") else 6
        starts = pd.date_range(START, END, freq=f"{months}MS")
        for i, start in enumerate(starts, 1):
            end = start + pd.DateOffset(months=months) - pd.Timedelta(days=1)
            half = f"H{(i - 1) % 2 + 1}"
            label = f"{start.year} " + (f"Q{start.quarter}" if months == 3 else half)
            title = channel.replace("_", " ").title()
            rows.append((channel, practice, start, end, f"{title} {label}"))
    frame = pd.DataFrame(rows, columns=["channel", "practice", "start_date", "end_date", "name"])
    frame.insert(0, "campaign_id", _ids("C", len(frame), 3))
    return frame


def _leads(rng: np.random.Generator, n: int, campaigns: pd.DataFrame) -> pd.DataFrame:
    days, weights = _daily_weights()
    created = days[rng.choice(len(days), size=n, p=weights)] + pd.to_timedelta(
        rng.integers(8 * 60, 18 * 60, size=n), unit="min")
    channel = rng.choice(CHANNELS.index.to_numpy(), size=n, p=CHANNELS["share"].to_numpy())
    segment = rng.choice(SEGMENTS.index.to_numpy(), size=n, p=SEGMENTS["share"].to_numpy())
    p = CHANNELS.loc[channel]
    quality = rng.normal(0.0, 1.0, size=n)  # a lead's own promise, on top of the channel
    lift = np.exp(0.35 * quality)
    mql = rng.random(n) < np.clip(p["p_mql"].to_numpy() * lift, 0, 0.97)
    sql = mql & (rng.random(n) < np.clip(p["p_sql"].to_numpy() * lift, 0, 0.97))
    mql_at = created.normalize() + _days(rng.exponential(4.0, size=n))
    sql_at = mql_at + _days(rng.exponential(p["lag"].to_numpy()))
    mql_at = mql_at.where(mql & (mql_at <= END))
    sql_at = sql_at.where(sql & mql_at.notna() & (sql_at <= END))
    # the campaign of the lead's channel that runs on its creation day
    campaign_id = np.full(n, None, dtype=object)
    for ch, group in campaigns.groupby("channel"):
        idx = np.flatnonzero(channel == ch)
        pos = np.searchsorted(group["start_date"].to_numpy(), created[idx].normalize(), "right")
        campaign_id[idx] = group["campaign_id"].to_numpy()[pos - 1]
    score = np.clip(np.round(50 + 15 * quality + 20 * (p["p_win"].to_numpy() - 0.25)), 0, 100)
    bant = rng.random((n, 4)) < np.clip(0.45 + 0.15 * quality, 0.05, 0.95)[:, None]
    bant_answered = rng.random(n) < 0.7
    frame = pd.DataFrame({
        "lead_id": _ids("L", n, 7),
        "created_at": created,
        "channel": channel.astype(object),
        "campaign_id": campaign_id,
        "segment": segment,
        "mql_at": mql_at,
        "sql_at": sql_at,
        "score": score,
        "_quality": quality,
    })
    for j, name in enumerate(("budget", "authority", "need", "timeline")):
        blank = ~bant_answered | (rng.random(n) < 0.1)
        frame[f"bant_{name}"] = pd.array(np.where(blank, None, bant[:, j]), dtype="boolean")
    # a few leads arrive without a channel or outside any campaign
    no_channel = rng.random(n) < 0.015
    frame.loc[no_channel, ["channel", "campaign_id"]] = None
    frame.loc[rng.random(n) < 0.02, "campaign_id"] = None
    frame["owner_rep_id"] = _ids("R", 12, 2)[rng.integers(0, 12, size=n)]
    return frame


def _opportunities(rng: np.random.Generator, leads: pd.DataFrame) -> pd.DataFrame:
    sql = leads[leads["sql_at"].notna()]
    chan = sql["channel"].fillna("content").to_numpy()
    p = CHANNELS.loc[chan]
    takes = rng.random(len(sql)) < p["p_opp"].to_numpy()
    sql, p, chan = sql[takes], p[takes], chan[takes]
    n = len(sql)
    rep_index = sql["owner_rep_id"].str[1:].astype(int).to_numpy() - 1
    skill = REP_SKILL[rep_index]
    seg = SEGMENTS.loc[sql["segment"].to_numpy()]
    created = sql["sql_at"].to_numpy() + _days(rng.exponential(4.0, size=n))
    win_p = np.clip(p["p_win"].to_numpy() * skill * np.exp(0.3 * sql["_quality"].to_numpy()),
                    0.02, 0.9)
    won = rng.random(n) < win_p
    cycle = seg["cycle"].to_numpy() * rng.gamma(2.0, 0.5, size=n) * np.where(won, 1.0, 0.8)
    closed = pd.DatetimeIndex(created) + _days(np.maximum(cycle, 1))
    amount = np.round(seg["deal"].to_numpy() * p["size"].to_numpy() * skill ** 0.5
                      * rng.lognormal(0.0, 0.35, size=n), -1)
    return pd.DataFrame({
        "lead_id": sql["lead_id"].to_numpy(),
        "created_at": pd.DatetimeIndex(created),
        "closed_at": closed,
        "won": won,
        "amount": amount,
        "rep_id": sql["owner_rep_id"].to_numpy(),
        "segment": sql["segment"].to_numpy(),
        "channel": sql["channel"].to_numpy(),
        "deal_type": "new",
    })


def _close(rng: np.random.Generator, opps: pd.DataFrame) -> pd.DataFrame:
    """Status, stage, probability and the rest, as seen on 2025-12-31."""
    n = len(opps)
    open_ = opps["closed_at"] > END
    status = np.where(open_, "open", np.where(opps["won"], "won", "lost"))
    opps = opps.assign(status=status)
    opps["closed_at"] = opps["closed_at"].where(~open_)
    opps["expected_close"] = (opps["created_at"] + pd.Timedelta(days=45)).dt.normalize()
    proposal = rng.random(n) < 0.6
    opps["stage"] = np.where(open_, np.where(proposal, "proposal", "opportunity"), status)
    opps["probability"] = np.select([status == "won", status == "lost", proposal],
                                    [1.0, 0.0, 0.6], 0.3)
    # slow follow-up: paid search deals are mostly lost to "no decision"
    stalled = rng.random(n) < np.where(opps["channel"].to_numpy() == "paid_search", 0.55, 0.15)
    other = LOST_REASONS[LOST_REASONS != "no decision"][rng.integers(0, 4, size=n)]
    opps["lost_reason"] = np.where(status == "lost",
                                   np.where(stalled, "no decision", other), None)
    opps.loc[status != "won", "amount"] = opps.loc[status != "won", "amount"].where(
        rng.random(int((status != "won").sum())) < 0.8)
    return opps


def _renewals(rng: np.random.Generator, won: pd.DataFrame, churn_day: pd.Series) -> pd.DataFrame:
    """Renewal and upsell opportunities of customers a year after they were won."""
    due = won["closed_at"] + pd.Timedelta(days=330)
    alive = (due <= END) & (due < churn_day.reindex(won["account_id"]).to_numpy())
    base = won[alive.to_numpy()]
    n = len(base)
    upsell = rng.random(n) < 0.3
    created = base["closed_at"] + pd.Timedelta(days=330) + _days(rng.integers(0, 20, size=n))
    closed = created + _days(rng.integers(10, 40, size=n))
    return pd.DataFrame({
        "lead_id": None,
        "created_at": created.to_numpy(),
        "closed_at": closed.to_numpy(),
        "won": rng.random(n) < 0.8,
        "amount": np.round(base["amount"].to_numpy() * np.where(upsell, 0.4, 1.05), -1),
        "rep_id": base["rep_id"].to_numpy(),
        "segment": base["segment"].to_numpy(),
        "deal_type": np.where(upsell, "upsell", "renewal"),
        "account_id": base["account_id"].to_numpy(),
    })


def _orders(rng: np.random.Generator, won: pd.DataFrame, churn_day: pd.Series) -> pd.DataFrame:
    """Repeat orders of each new customer from its first won deal to churn or as_of.

    The first order follows the won deal by 0-4 days. After it, a customer orders
    as a Poisson process with its own rate, drawn from a gamma distribution
    (shape 3, mean one order a month), until the day it churns: the purchase
    process BG/NBD assumes (Fader, Hardie and Lee 2005), so the predictive CLV
    can be fitted and checked on the demo. Each order is booked as 2 (SMB), 3
    (mid-market) or 4 (enterprise) lines on the same day, worth about a month
    of the deal together. The order timing comes from a generator spawned off
    ``rng`` (the draws of ``rng`` itself are those of the monthly orders of
    before), so every other table of the demo stays as it was.
    """
    first = won.sort_values("closed_at").drop_duplicates("account_id")
    stop = np.minimum(churn_day.reindex(first["account_id"]).to_numpy(), np.datetime64(END))
    days = (stop - first["closed_at"].to_numpy()) / np.timedelta64(1, "D")
    months = np.maximum((days // 30.4).astype(int) + 1, 1)
    # licences, services and add-ons: more order lines for bigger customers
    lines = np.where(first["segment"].to_numpy() == "SMB", 2,
                     np.where(first["segment"].to_numpy() == "Mid-Market", 3, 4))
    counts = months * lines
    jitter = rng.integers(0, 5, size=int(counts.sum()))
    rng.lognormal(0.0, 0.15, size=int(counts.sum()))  # kept: the later tables' draws follow
    timing = rng.spawn(1)[0]
    n = len(first)
    rate = np.clip(timing.gamma(3.0, 1 / 3.0, size=n), 0.15, 4.0)  # orders per month
    alive = np.maximum(days, 0.0)
    total = timing.poisson(rate * alive / 30.4) + 1  # the first order and the repeats
    cust = np.repeat(np.arange(n), total)
    step = np.arange(total.sum()) - np.repeat(np.cumsum(total) - total, total)
    offset = timing.random(total.sum()) * alive[cust]
    offset[step == 0] = jitter[np.cumsum(counts) - counts]  # the first order's day
    date = first["closed_at"].to_numpy()[cust] + (offset * 86400).astype("timedelta64[s]")
    row = np.repeat(np.arange(len(cust)), lines[cust])
    amount = np.round(first["amount"].to_numpy()[cust][row] / 12 / lines[cust][row]
                      * timing.lognormal(0.0, 0.15, size=len(row)), 2)
    frame = pd.DataFrame({
        "account_id": first["account_id"].to_numpy()[cust][row],
        "date": pd.DatetimeIndex(date[row]).normalize(),
        "amount": amount,
        "opportunity_id": first["opportunity_id"].to_numpy()[cust][row],
    })
    frame = frame[frame["date"] <= END].sort_values(["date", "account_id"], kind="stable")
    frame.insert(0, "order_id", _ids("ORD", len(frame), 7))
    return frame


def _stage_history(opps: pd.DataFrame, leads: pd.DataFrame) -> pd.DataFrame:
    sql_at = opps["lead_id"].map(leads.set_index("lead_id")["sql_at"])
    proposal_at = opps["created_at"] + (opps["closed_at"].fillna(END) - opps["created_at"]) * 0.5
    reached_proposal = (opps["stage"] != "opportunity") & (opps["status"] != "lost") | (
        opps["status"] == "lost") & (opps["probability"] == 0) & (opps.index % 2 == 0)
    parts = [
        pd.DataFrame({"opportunity_id": opps["opportunity_id"], "stage": "sql",
                      "entered_at": sql_at}).dropna(subset=["entered_at"]),
        pd.DataFrame({"opportunity_id": opps["opportunity_id"], "stage": "opportunity",
                      "entered_at": opps["created_at"]}),
        pd.DataFrame({"opportunity_id": opps["opportunity_id"], "stage": "proposal",
                      "entered_at": proposal_at})[reached_proposal],
        pd.DataFrame({"opportunity_id": opps["opportunity_id"], "stage": opps["status"],
                      "entered_at": opps["closed_at"]})[opps["status"] != "open"],
    ]
    history = pd.concat(parts, ignore_index=True)
    history["entered_at"] = history["entered_at"].dt.normalize()
    return history.sort_values(["opportunity_id", "entered_at", "stage"], kind="stable")


def _spend(rng: np.random.Generator, campaigns: pd.DataFrame, leads: pd.DataFrame,
           scale: float) -> pd.DataFrame:
    """Weekly spend per campaign: about the channel's cost per lead times its leads.

    Each campaign week is booked as ``round(scale)`` line items (at least
    one), so the row count grows with the scale; a small monthly content
    retainer has no campaign.
    """
    per_campaign = leads.groupby("campaign_id").size()
    total = (per_campaign.reindex(campaigns["campaign_id"]).fillna(0).to_numpy()
             * CHANNELS.loc[campaigns["channel"], "cpl"].to_numpy()
             * rng.lognormal(0.0, 0.1, size=len(campaigns)))
    weeks = [pd.date_range(s, e, freq="W-MON") for s, e in
             zip(campaigns["start_date"], campaigns["end_date"], strict=True)]
    items = max(1, round(scale))
    counts = np.array([len(w) for w in weeks]) * items
    row = np.repeat(np.arange(len(campaigns)), counts)
    amount = np.round(total[row] / counts[row] * rng.lognormal(0.0, 0.2, size=len(row)), 2)
    frame = pd.DataFrame({
        "date": np.repeat(np.concatenate([w.to_numpy() for w in weeks]), items),
        "channel": campaigns["channel"].to_numpy()[row],
        "amount": amount,
        "campaign_id": campaigns["campaign_id"].to_numpy()[row],
    })
    campaigns["budget"] = np.round(total * 1.1, -2)
    months = pd.date_range(START, END, freq="MS")
    retainer = pd.DataFrame({
        "date": months,
        "channel": "content",
        "amount": np.round(300 * scale * rng.lognormal(0.0, 0.1, size=len(months)), 2),
        "campaign_id": None,
    })
    frame = pd.concat([frame, retainer], ignore_index=True)
    return frame.sort_values(["date", "campaign_id", "amount"], kind="stable",
                             na_position="last")


def _churn(rng: np.random.Generator, accounts: pd.DataFrame, first_won: pd.Series) -> pd.Series:
    """The day each customer stops ordering (NaT-free: far future when it stays)."""
    satisfaction = accounts["_satisfaction"].to_numpy()
    hazard = 0.025 * np.exp(-0.9 * satisfaction)  # per month
    months = rng.geometric(np.clip(hazard, 0.002, 0.5))
    day = first_won.reindex(accounts["account_id"]).to_numpy() + months * np.timedelta64(30, "D")
    return pd.Series(day, index=accounts["account_id"].to_numpy())


def _nps(rng: np.random.Generator, accounts: pd.DataFrame, first_won: pd.Series,
         churn_day: pd.Series) -> pd.DataFrame:
    """Quarterly survey answers of about 40% of the customers of the day."""
    surveys = pd.date_range("2024-03-15", END, freq="3MS") + pd.Timedelta(days=14)
    ids = accounts["account_id"].to_numpy()
    start = first_won.reindex(ids).to_numpy()
    stop = churn_day.reindex(ids).to_numpy()
    grid_a = np.repeat(np.arange(len(ids)), len(surveys))
    grid_d = np.tile(surveys.to_numpy(), len(ids))
    # customers answer from their third week on (after their first order)
    active = (start[grid_a] + np.timedelta64(14, "D") <= grid_d) & (grid_d < stop[grid_a])
    answers = active & (rng.random(len(grid_a)) < 0.4)
    a, d = grid_a[answers], grid_d[answers]
    sat = accounts["_satisfaction"].to_numpy()[a]
    score = np.clip(np.round(7.6 + 1.6 * sat + rng.normal(0, 1.0, size=len(a))), 0, 10)
    return pd.DataFrame({"account_id": ids[a], "date": d, "score": score.astype(int)}).sort_values(
        ["date", "account_id"], kind="stable")


def _team(rng: np.random.Generator, scale: float) -> tuple[pd.DataFrame, pd.DataFrame,
                                                           pd.DataFrame]:
    rep_ids = _ids("R", 12, 2)
    team = np.array(list(TEAMS))[np.arange(12) % 3]
    reps = pd.DataFrame({
        "rep_id": rep_ids,
        "name": REP_NAMES,
        "team": team,
        "manager": [TEAMS[t] for t in team],
        "hired_at": pd.Timestamp("2021-01-04") + _days(rng.integers(0, 1000, size=12)),
    })
    weeks = pd.date_range(START, END, freq="W-MON")
    kinds = np.array(["call", "email", "meeting", "admin"])
    grid_r = np.repeat(np.arange(12), len(weeks) * 4)
    grid_w = np.tile(np.repeat(np.arange(len(weeks)), 4), 12)
    grid_k = np.tile(np.arange(4), 12 * len(weeks))
    selling_total = 2400 * REP_SELLING[grid_r]
    share = np.array([0.45, 0.25, 0.30, 0.0])[grid_k]
    minutes = np.where(grid_k == 3, 2400 * (1 - REP_SELLING[grid_r]), selling_total * share)
    minutes = np.round(minutes * rng.lognormal(0.0, 0.15, size=len(grid_r)))
    activities = pd.DataFrame({
        "rep_id": rep_ids[grid_r],
        "date": weeks.to_numpy()[grid_w] + (grid_k * np.timedelta64(1, "D")),
        "minutes": minutes,
        "is_selling": grid_k != 3,
        "type": kinds[grid_k],
    })
    activities = activities[activities["date"] <= END]
    months = pd.date_range(START, END, freq="ME")
    costs = [("salaries", 60_000), ("tools", 5_000), ("travel", 8_000)]
    sales_costs = pd.DataFrame({
        "date": np.repeat(months.to_numpy(), len(costs)),
        "amount": np.round(np.tile([c for _, c in costs], len(months)) * scale
                           * rng.lognormal(0.0, 0.05, size=len(months) * len(costs)), 2),
        "category": np.tile([k for k, _ in costs], len(months)),
    })
    return reps, activities, sales_costs


def _quarters(first: str, last: str) -> pd.DataFrame:
    starts = pd.date_range(first, last, freq="QS")
    return pd.DataFrame({"period_start": starts,
                         "period_end": starts + pd.offsets.QuarterEnd(startingMonth=3)})


def _quotas_and_forecasts(rng: np.random.Generator, opps: pd.DataFrame,
                          reps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quarterly quotas from the bookings trend, and forecasts that miss by 5-20%.

    A quarter's quotas add up to the team's smoothed bookings (the mean of the
    quarter and its neighbours; 2026-Q1 continues 2025-Q4 with 5% growth),
    shared out by what managers expect of each rep: two thirds by skill, one
    third equally. So the star still beats quota and the struggling rep misses
    it, while most attainments land between 0.6 and 1.3.
    """
    won = opps[opps["status"] == "won"]
    quarter = won["closed_at"].dt.to_period("Q").dt.start_time
    actual = won.groupby([won["rep_id"], quarter])["amount"].sum()
    q = _quarters("2024-01-01", "2026-01-01")
    team = actual.groupby(level=1).sum().reindex(q["period_start"].iloc[:-1], fill_value=0.0)
    trend = team.rolling(3, center=True, min_periods=1).mean().to_numpy()
    trend = np.append(trend, trend[-1] * 1.05)
    expected = REP_SKILL ** 1.5
    share = 2 / 3 * expected / expected.sum() + 1 / 3 / len(reps)
    grid = q.merge(reps[["rep_id"]], how="cross")  # quarter-major, reps in order
    grid["quota"] = np.round(np.repeat(trend, len(reps)) * np.tile(share, len(q))
                             * rng.uniform(0.9, 1.15, size=len(grid)), -3)
    quotas = grid[["rep_id", "period_start", "period_end", "quota"]]
    fq = _quarters("2024-01-01", "2025-10-01").merge(reps[["rep_id"]], how="cross")
    index = pd.MultiIndex.from_frame(fq[["rep_id", "period_start"]])
    fq["actual"] = actual.reindex(index, fill_value=0.0).to_numpy()
    fq["forecast_amount"] = np.round(
        fq["actual"] * (1 + rng.normal(0.0, 0.12, size=len(fq))) + 2000, -2)
    team = fq.groupby(["period_start", "period_end"], as_index=False)["actual"].sum()
    team["forecast_amount"] = np.round(team["actual"] * (1 + rng.normal(0.0, 0.1, size=len(team))),
                                       -2)
    team["rep_id"] = None
    forecasts = pd.concat([team, fq], ignore_index=True)[
        ["rep_id", "period_start", "period_end", "forecast_amount"]]
    return quotas, forecasts


def _engagement(rng: np.random.Generator, leads: pd.DataFrame, accounts_of_lead: pd.Series,
                campaigns: pd.DataFrame, scale: float) -> pd.DataFrame:
    n = len(leads)
    per_lead = rng.poisson(3.2, size=n) + 1
    row = np.repeat(np.arange(n), per_lead)
    offset = rng.integers(-30, 60, size=len(row))
    date = leads["created_at"].dt.normalize().to_numpy()[row] + offset * np.timedelta64(1, "D")
    kinds = np.array(["page_view", "email_open", "email_click", "download", "demo_request"])
    kind = kinds[rng.choice(5, size=len(row), p=[0.5, 0.25, 0.12, 0.1, 0.03])]
    channel = leads["channel"].to_numpy()[row]
    first = np.r_[True, row[1:] != row[:-1]]  # each lead's first event: the attendance
    kind = np.where(first & (channel == "webinar"), "webinar_attended", kind)
    kind = np.where(first & (channel == "trade_show"), "event_attended", kind)
    attended = np.isin(kind, ["webinar_attended", "event_attended"])
    date = np.where(attended, leads["created_at"].dt.normalize().to_numpy()[row], date)
    lead_ids = leads["lead_id"].to_numpy()[row]
    known = pd.Series(lead_ids).map(accounts_of_lead).to_numpy()
    events = pd.DataFrame({
        "date": date,
        "event_type": kind,
        "visitor_id": np.char.add("V", np.char.zfill((row + 1).astype(str), 7)),
        "lead_id": lead_ids,
        "account_id": known,
        "campaign_id": np.where(attended, leads["campaign_id"].to_numpy()[row], None),
        "duration_s": np.where(kind == "page_view", rng.integers(5, 600, size=len(row)),
                               np.where(attended, rng.integers(900, 3600, size=len(row)), None)),
    })
    anonymous = round(5000 * scale)
    anon = pd.DataFrame({
        "date": START + _days(rng.integers(0, _DAYS, size=anonymous)),
        "event_type": "page_view",
        # anonymous visitors are numbered after the leads' visitors
        "visitor_id": np.char.add("V", np.char.zfill(
            (n + rng.integers(1, 3000 * scale + 2, size=anonymous)).astype(str), 7)),
        "lead_id": None,
        "account_id": None,
        "campaign_id": None,
        "duration_s": rng.integers(5, 600, size=anonymous),
    })
    events["campaign_id"] = _campaign_touches(events, campaigns)
    repeats = events[attended & (rng.random(len(row)) < 0.02)]  # double-scanned badges
    events = pd.concat([events, anon, repeats], ignore_index=True)
    events = events[(events["date"] >= START) & (events["date"] <= END)]
    return events.sort_values(["date", "visitor_id", "event_type"], kind="stable")


#: The campaigns behind a lead's events (multi-touch attribution): a download is the
#: content campaign running that day (a guide), an e-mail click the webinar campaign's
#: invitation, a demo request the outbound campaign's call.
TOUCHES = {"download": "content", "email_click": "webinar", "demo_request": "outbound"}


def _campaign_touches(events: pd.DataFrame, campaigns: pd.DataFrame) -> np.ndarray:
    """Each event's campaign_id: its own (attendance), else the campaign of
    :data:`TOUCHES` running on its day (none before the first one).

    A function of the event's type and day only, with no random draw: the other
    tables, the event counts and the duplicate rows stay as they were.
    """
    campaign_id = events["campaign_id"].to_numpy(dtype=object).copy()
    day = pd.DatetimeIndex(events["date"]).normalize()
    kind = events["event_type"].to_numpy()
    for event_type, channel in TOUCHES.items():
        group = campaigns[campaigns["channel"] == channel].sort_values("start_date")
        idx = np.flatnonzero((kind == event_type) & pd.isna(campaign_id))
        pos = np.searchsorted(group["start_date"].to_numpy(), day[idx], "right") - 1
        ids = group["campaign_id"].to_numpy(dtype=object)[np.maximum(pos, 0)]
        campaign_id[idx] = np.where(pos >= 0, ids, None)
    return campaign_id


def generate(seed: int = 42, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Every table of the demo dataset, in memory.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives the same tables.
    scale : float
        Multiplies the volume (leads and all that follows from them, spend,
        sales costs, anonymous traffic); 1.0 gives about 5,000 leads.

    Returns
    -------
    dict of str to pandas.DataFrame
        The 14 tables of CONTRACT section 1, by name, with the columns of
        :data:`b2bkit.core.schema.TABLES` (dates as ``datetime64``, blanks as
        missing values).

    Raises
    ------
    ValueError
        ``scale`` is not positive.

    Examples
    --------
    >>> tables = generate(seed=1, scale=0.05)
    >>> sorted(tables)[:3]
    ['accounts', 'activities', 'campaigns']
    >>> sorted(tables["opportunities"]["status"].unique())
    ['lost', 'open', 'won']
    >>> bool(tables["leads"]["created_at"].max() <= pd.Timestamp("2025-12-31 23:59"))
    True
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    rng = np.random.default_rng(seed)
    campaigns = _campaigns()
    leads = _leads(rng, max(round(5000 * scale), 20), campaigns)
    opps = _opportunities(rng, leads)
    opps = opps.sort_values(["created_at", "lead_id"], kind="stable").reset_index(drop=True)
    # every lead that became an opportunity is (or joins) an account
    opps["account_id"] = _ids("A", len(opps), 6)
    first_won = opps[opps["won"] & (opps["closed_at"] <= END)].set_index("account_id")["closed_at"]
    accounts = pd.DataFrame({
        "account_id": opps["account_id"],
        "name": np.char.add("Company ", opps["account_id"].str[1:].to_numpy().astype(str)),
        "segment": opps["segment"],
        "industry": INDUSTRIES[rng.integers(0, len(INDUSTRIES), size=len(opps))],
        "_satisfaction": rng.normal(0.0, 1.0, size=len(opps)),
    })
    churn_day = _churn(rng, accounts, first_won)
    won_first = opps[opps["won"] & (opps["closed_at"] <= END)]
    renewals = _renewals(rng, won_first, churn_day)
    opps = pd.concat([opps, renewals], ignore_index=True)
    opps = opps[opps["created_at"] <= END].reset_index(drop=True)  # nothing after as_of
    opps["opportunity_id"] = _ids("O", len(opps), 6)
    opps = _close(rng, opps)
    orders = _orders(rng, opps[opps["status"] == "won"], churn_day)
    # churned customers: about half have churned_at recorded, the rest just stop ordering
    last_order = orders.groupby("account_id")["date"].max()
    gone = churn_day.reindex(last_order.index) <= END
    recorded = gone & (rng.random(len(gone)) < 0.5)
    churned_at = (last_order + pd.Timedelta(days=30))[recorded]
    churned_at = pd.Series(pd.DatetimeIndex(churned_at.reindex(accounts["account_id"])),
                           index=accounts.index)
    accounts["churned_at"] = churned_at.where(churned_at <= END)
    nps = _nps(rng, accounts, first_won, churn_day)
    leads["account_id"] = leads["lead_id"].map(opps.dropna(subset=["lead_id"]).set_index(
        "lead_id")["account_id"])
    leads["opportunity_id"] = leads["lead_id"].map(opps.dropna(subset=["lead_id"]).set_index(
        "lead_id")["opportunity_id"])
    stage_history = _stage_history(opps, leads)
    spend = _spend(rng, campaigns, leads, scale)
    reps, activities, sales_costs = _team(rng, scale)
    quotas, forecasts = _quotas_and_forecasts(rng, opps, reps)
    engagement = _engagement(rng, leads, leads.set_index("lead_id")["account_id"].dropna(),
                             campaigns, scale)
    lead_columns = ["lead_id", "created_at", "channel", "campaign_id", "segment", "account_id",
                    "mql_at", "sql_at", "opportunity_id", "score", "bant_budget",
                    "bant_authority", "bant_need", "bant_timeline", "owner_rep_id"]
    opp_columns = ["opportunity_id", "created_at", "status", "amount", "account_id", "rep_id",
                   "lead_id", "stage", "closed_at", "expected_close", "probability",
                   "lost_reason", "deal_type"]
    tables = {
        "leads": leads[lead_columns].sort_values("lead_id"),
        "opportunities": opps[opp_columns].sort_values("opportunity_id"),
        "stage_history": stage_history,
        "campaigns": campaigns[["campaign_id", "name", "channel", "practice", "start_date",
                                "end_date", "budget"]],
        "spend": spend,
        "sales_costs": sales_costs,
        "accounts": accounts[["account_id", "name", "segment", "industry", "churned_at"]],
        "orders": orders,
        "reps": reps,
        "quotas": quotas,
        "activities": activities,
        "forecasts": forecasts,
        "nps": nps,
        "engagement": engagement,
    }
    # the columns in the order of the schema, the rows numbered 0..n-1
    return {name: frame[[c for c in TABLES[name].columns if c in frame]].reset_index(drop=True)
            for name, frame in tables.items()}


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as the CSV shows them: ISO dates, two decimals for money, true/false."""
    out = {}
    for column, values in frame.items():
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d")
            if column == "created_at" and "lead_id" in frame and "status" not in frame:
                text = values.dt.strftime("%Y-%m-%dT%H:%M:%S")
            out[column] = text
        elif pd.api.types.is_bool_dtype(values) or str(values.dtype) == "boolean":
            out[column] = values.map({True: "true", False: "false"})
        elif column in ("score", "minutes", "duration_s"):
            out[column] = values.astype("Float64").round().astype("Int64")
        elif pd.api.types.is_numeric_dtype(values):
            out[column] = values.astype(float)  # written with two decimals
        else:
            out[column] = values
    return pd.DataFrame(out)


def write_demo(out: str | Path, seed: int = 42, scale: float = 1.0) -> dict[str, int]:
    """Write the demo dataset as CSV files and a ``dataset.toml`` into ``out``.

    Parameters
    ----------
    out : str or Path
        The folder; created if missing, its table files replaced.
    seed, scale
        As for :func:`generate`.

    Returns
    -------
    dict of str to int
        Rows written per table.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     rows = write_demo(folder, seed=1, scale=0.05)
    >>> rows["leads"]
    250
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name, frame in generate(seed, scale).items():
        _as_text(frame).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n",
                               float_format="%.2f")
        rows[name] = len(frame)
    (folder / "dataset.toml").write_text(DATASET_TOML, encoding="utf-8")
    return rows
