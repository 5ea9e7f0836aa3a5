"""The demo generator: deterministic, valid against the contract, and telling its story."""

import filecmp
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit.core.schema import TABLES as ALL_TABLES
from b2bkit.demo import generate, write_demo
from b2bkit.load.dataset import load_dataset

# the demo has one currency: no fx_rates table and no currency column (CONTRACT rev. 2)
TABLES = {name: spec for name, spec in ALL_TABLES.items() if name != "fx_rates"}

START, END = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31")
CHANNELS = ["content", "outbound", "paid_search", "referral", "trade_show", "webinar"]


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return generate(seed=42, scale=1.0)


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return generate(seed=3, scale=0.2)


# --- determinism and files ------------------------------------------------------------------


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_demo(tmp_path / "a", seed=7, scale=0.2)
    write_demo(tmp_path / "b", seed=7, scale=0.2)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted([f"{t}.csv" for t in TABLES] + ["dataset.toml"])
    _match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names,
                                               shallow=False)
    assert (mismatch, errors) == ([], [])
    write_demo(tmp_path / "c", seed=8, scale=0.2)
    leads = "leads.csv"
    assert (tmp_path / "a" / leads).read_bytes() != (tmp_path / "c" / leads).read_bytes()


def test_committed_demo_is_the_default_output(tmp_path: Path) -> None:
    committed = Path(__file__).parents[1] / "data" / "demo"
    write_demo(tmp_path, seed=42, scale=1.0)
    names = sorted(p.name for p in committed.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(committed, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], []), "run `make demo` and commit data/demo"


def test_files_at_scale_one(tmp_path: Path) -> None:
    rows = write_demo(tmp_path / "new" / "demo")  # parents are created
    folder = tmp_path / "new" / "demo"
    assert sum(p.stat().st_size for p in folder.iterdir()) < 15 * 2**20
    assert rows == {name: len(frame) for name, frame in generate().items()}
    settings = (folder / "dataset.toml").read_text(encoding="utf-8")
    for line in ('name = "Demo Co"', 'currency = "USD"', 'as_of = "2025-12-31"',
                 "gross_margin = 0.8", "churn_after_days = 365",
                 'stages = ["lead", "mql", "sql", "opportunity", "proposal", "won"]'):
        assert line in settings.splitlines()


def test_csv_cells_are_written_as_agreed(tmp_path: Path) -> None:
    write_demo(tmp_path, seed=2, scale=0.1)
    date = re.compile(r"^(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?)?$")
    money = re.compile(r"^(\d+\.\d{2})?$")
    integer = re.compile(r"^(\d+)?$")
    money_columns = {"amount", "quota", "forecast_amount", "budget"}
    for name, spec in TABLES.items():
        raw = (tmp_path / f"{name}.csv").read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n"), name
        raw.decode("utf-8")
        cells = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(cells.columns) == [c for c in spec.columns if c in cells.columns], name
        for column in cells.columns:
            kind = spec.field(column).kind
            values = cells[column]
            if kind == "datetime":
                assert values.str.match(date).all(), (name, column)
            elif kind == "boolean":
                assert values.isin(["true", "false", ""]).all(), (name, column)
            elif kind == "integer" or column in ("score", "minutes", "duration_s"):
                assert values.str.match(integer).all(), (name, column)
            elif column in money_columns:
                assert values.str.match(money).all(), (name, column)


def test_written_demo_validates_strictly(tmp_path: Path) -> None:
    write_demo(tmp_path, seed=3, scale=0.2)
    ds = load_dataset(tmp_path)
    assert sorted(ds.tables) == sorted(TABLES)
    assert ds.as_of == END
    assert (ds.accounting["set_aside"] == 0).all()


def test_scale_must_be_positive() -> None:
    with pytest.raises(ValueError, match="scale"):
        generate(scale=0)


# --- the contract, checked here without the loader ------------------------------------------


@pytest.fixture(params=["demo", "small"])
def tables(request: pytest.FixtureRequest) -> dict[str, pd.DataFrame]:
    return request.getfixturevalue(request.param)


def test_every_table_has_the_contract_columns(tables) -> None:
    assert sorted(tables) == sorted(TABLES)
    for name, spec in TABLES.items():
        assert set(spec.required) <= set(tables[name].columns), name
        assert set(tables[name].columns) <= set(spec.columns), name
        for column in spec.required:
            if not spec.field(column).nullable:
                assert tables[name][column].notna().all(), (name, column)
    wanted = {
        "leads": TABLES["leads"].columns,
        "opportunities": [c for c in TABLES["opportunities"].columns if c != "currency"],
        "campaigns": TABLES["campaigns"].columns,
        "accounts": TABLES["accounts"].columns,
        "reps": ["rep_id", "name", "team", "manager", "hired_at"],
        "spend": ["date", "channel", "amount", "campaign_id"],
        "sales_costs": ["date", "amount", "category"],
        "activities": TABLES["activities"].columns,
        "engagement": TABLES["engagement"].columns,
    }
    for name, columns in wanted.items():
        assert set(columns) <= set(tables[name].columns), name


def test_keys_are_unique(tables) -> None:
    for name, spec in TABLES.items():
        if spec.key:
            frame = tables[name]
            assert not frame.duplicated(list(spec.key)).any(), name
            if len(spec.key) == 1 or name != "forecasts":
                assert frame[list(spec.key)].notna().all().all(), name
    ids = {"leads": r"L\d{7}", "opportunities": r"O\d{6}", "accounts": r"A\d{6}",
           "campaigns": r"C\d{3}", "orders": r"ORD\d{7}", "reps": r"R\d{2}"}
    for name, pattern in ids.items():
        key = TABLES[name].key[0]
        assert tables[name][key].str.fullmatch(pattern).all(), name
        assert tables[name][key].is_monotonic_increasing, name


def test_every_foreign_key_resolves(tables) -> None:
    for name, spec in TABLES.items():
        for fk in spec.foreign_keys:
            values = tables[name][fk.column].dropna()
            parent = set(tables[fk.table][fk.target])
            assert values.isin(parent).all(), (name, fk.column)
    # not declared as foreign keys but meant to resolve as well
    for name, column in [("spend", "campaign_id"), ("opportunities", "lead_id")]:
        parent = tables["campaigns" if column == "campaign_id" else "leads"][column]
        assert tables[name][column].dropna().isin(set(parent)).all(), (name, column)


def test_dates_are_in_order(tables) -> None:
    for name, spec in TABLES.items():
        for later, earlier in spec.date_order:
            frame = tables[name].dropna(subset=[later, earlier])
            assert (frame[later].dt.normalize() >= frame[earlier].dt.normalize()).all(), (
                name, later, earlier)
    leads = tables["leads"]
    assert not (leads["sql_at"].notna() & leads["mql_at"].isna()).any()
    opps = tables["opportunities"]
    linked = opps.dropna(subset=["lead_id"]).merge(
        leads[["lead_id", "created_at", "sql_at"]], on="lead_id", suffixes=("", "_lead"))
    assert (linked["created_at"] >= linked["created_at_lead"].dt.normalize()).all()
    with_sql = linked.dropna(subset=["sql_at"])
    assert (with_sql["created_at"] >= with_sql["sql_at"]).all()
    campaigns = tables["campaigns"]
    assert (campaigns["end_date"] >= campaigns["start_date"]).all()


def test_stage_history_follows_each_opportunity(tables) -> None:
    history, opps = tables["stage_history"], tables["opportunities"]
    order = {"sql": 0, "opportunity": 1, "proposal": 2, "won": 3, "lost": 3}
    assert history["stage"].isin(list(order)).all()
    ranked = history.assign(rank=history["stage"].map(order)).sort_values(
        ["opportunity_id", "rank"], kind="stable")
    step = ranked.groupby("opportunity_id")["entered_at"].diff().dropna()
    assert (step >= pd.Timedelta(0)).all()
    closed = ranked.merge(opps[["opportunity_id", "closed_at", "status"]], on="opportunity_id")
    finished = closed.dropna(subset=["closed_at"])
    assert (finished["entered_at"] <= finished["closed_at"]).all()
    assert set(history["opportunity_id"]) == set(opps["opportunity_id"])
    last = ranked.groupby("opportunity_id")["stage"].last()
    status = opps.set_index("opportunity_id")["status"].reindex(last.index)
    assert (last[status != "open"] == status[status != "open"]).all()
    assert not last[status == "open"].isin(["won", "lost"]).any()


def test_values_are_in_range(tables) -> None:
    opps = tables["opportunities"]
    for name, column in [("opportunities", "amount"), ("orders", "amount"), ("spend", "amount"),
                         ("sales_costs", "amount"), ("quotas", "quota"),
                         ("campaigns", "budget"), ("forecasts", "forecast_amount"),
                         ("activities", "minutes"), ("engagement", "duration_s")]:
        assert (tables[name][column].dropna().astype(float) >= 0).all(), (name, column)
    assert opps["status"].isin(["open", "won", "lost"]).all()
    assert opps["deal_type"].isin(["new", "renewal", "upsell"]).all()
    assert opps["probability"].between(0, 1).all()
    won, lost, open_ = (opps[opps["status"] == s] for s in ("won", "lost", "open"))
    assert won[["account_id", "amount", "closed_at"]].notna().all().all()
    assert lost[["closed_at", "lost_reason"]].notna().all().all()
    assert open_["closed_at"].isna().all() and open_["lost_reason"].isna().all()
    assert open_["stage"].isin(["opportunity", "proposal"]).all()
    assert (won["stage"] == "won").all() and (lost["stage"] == "lost").all()
    scores = tables["nps"]["score"]
    assert pd.api.types.is_integer_dtype(scores) and scores.between(0, 10).all()
    assert tables["leads"]["score"].between(0, 100).all()
    assert tables["accounts"]["segment"].isin(["SMB", "Mid-Market", "Enterprise"]).all()
    assert tables["leads"]["channel"].dropna().isin(CHANNELS).all()
    assert tables["campaigns"]["channel"].isin(CHANNELS).all()


def test_nothing_happens_after_as_of(tables) -> None:
    dated = {"leads": ["created_at", "mql_at", "sql_at"], "opportunities": ["created_at",
             "closed_at"], "stage_history": ["entered_at"], "orders": ["date"], "spend": ["date"],
             "sales_costs": ["date"], "activities": ["date"], "nps": ["date"],
             "engagement": ["date"], "accounts": ["churned_at"]}
    for table, columns in dated.items():
        for column in columns:
            values = tables[table][column].dropna()
            assert (values.dt.normalize() <= END).all(), (table, column)
            assert (values >= START).all(), (table, column)
    # plan dates may reach into 2026-Q1, no further
    assert tables["quotas"]["period_end"].max() == pd.Timestamp("2026-03-31")
    assert tables["forecasts"]["period_end"].max() == END


def test_quarters_are_calendar_quarters(tables) -> None:
    for name in ("quotas", "forecasts"):
        frame = tables[name]
        starts = frame["period_start"].dt.to_period("Q")
        assert (frame["period_start"] == starts.dt.start_time).all(), name
        assert (frame["period_end"] == starts.dt.end_time.dt.normalize()).all(), name
    quotas = tables["quotas"]
    assert quotas.groupby("rep_id").size().eq(9).all()  # 2024-Q1 .. 2026-Q1
    forecasts = tables["forecasts"]
    assert forecasts.groupby(forecasts["rep_id"].fillna("team")).size().eq(8).all()


def test_links_agree_both_ways(tables) -> None:
    leads, opps = tables["leads"], tables["opportunities"]
    from_leads = leads.dropna(subset=["opportunity_id"]).set_index("opportunity_id")["lead_id"]
    from_opps = opps.dropna(subset=["lead_id"]).set_index("opportunity_id")["lead_id"]
    assert from_leads.sort_index().to_dict() == from_opps.sort_index().to_dict()
    assert not from_opps.duplicated().any()
    # a lead with an opportunity belongs to that opportunity's account
    account = opps.set_index("opportunity_id")["account_id"]
    linked = leads.dropna(subset=["opportunity_id"])
    assert (linked["account_id"].to_numpy() == account[linked["opportunity_id"]].to_numpy()).all()
    # an order of an opportunity is an order of its account
    orders = tables["orders"].dropna(subset=["opportunity_id"])
    assert (orders["account_id"].to_numpy() == account[orders["opportunity_id"]].to_numpy()).all()


# --- volumes -------------------------------------------------------------------------------


def test_volumes(demo) -> None:
    assert len(demo["leads"]) == 5000
    assert 800 <= len(demo["opportunities"]) <= 1300
    assert 500 <= len(demo["accounts"]) <= 1200
    assert 7000 <= len(demo["orders"]) <= 13000
    assert 20000 <= len(demo["engagement"]) <= 30000
    assert 30 <= len(demo["campaigns"]) <= 40
    assert len(demo["reps"]) == 12 and demo["reps"]["team"].nunique() == 3
    assert len(demo["sales_costs"]) == 24 * 3
    assert demo["forecasts"]["rep_id"].isna().sum() == 8  # one team row per quarter
    assert 0.01 <= demo["leads"]["channel"].isna().mean() <= 0.03
    assert 0 < demo["spend"]["campaign_id"].isna().sum() < 0.1 * len(demo["spend"])
    assert demo["opportunities"]["lead_id"].isna().any()  # renewals and upsells
    assert set(demo["opportunities"]["deal_type"]) == {"new", "renewal", "upsell"}


def test_scale_multiplies_volume() -> None:
    single, double = generate(seed=5, scale=1.0), generate(seed=5, scale=2.0)
    for name, low, high in [("leads", 1.8, 2.2), ("opportunities", 1.6, 2.4),
                            ("orders", 1.6, 2.4), ("engagement", 1.6, 2.4), ("spend", 1.6, 2.4)]:
        assert low <= len(double[name]) / len(single[name]) <= high, name
    assert len(double["reps"]) == len(single["reps"]) == 12


# --- the story -----------------------------------------------------------------------------


def _by_channel(demo) -> pd.DataFrame:
    leads, opps, spend = demo["leads"], demo["opportunities"], demo["spend"]
    won = opps[opps["status"] == "won"].merge(leads[["lead_id", "channel"]], on="lead_id")
    frame = pd.DataFrame({
        "leads": leads.groupby("channel").size(),
        "mqls": leads.groupby("channel")["mql_at"].count(),
        "sqls": leads.groupby("channel")["sql_at"].count(),
        "won": won.groupby("channel").size(),
        "bookings": won.groupby("channel")["amount"].sum(),
        "spend": spend.groupby("channel")["amount"].sum(),
    })
    frame["cpl"] = frame["spend"] / frame["leads"]
    frame["mql_to_sql"] = frame["sqls"] / frame["mqls"]
    frame["lead_to_won"] = frame["won"] / frame["leads"]
    frame["roi"] = (frame["bookings"] - frame["spend"]) / frame["spend"]
    return frame


def test_the_planted_practices(demo) -> None:
    channels = _by_channel(demo)
    assert sorted(channels.index) == CHANNELS
    # trade shows: the most expensive leads, weak, money-losing -> drop
    assert channels["cpl"].idxmax() == "trade_show"
    assert channels.loc["trade_show", "cpl"] > 1.4 * channels["cpl"].drop("trade_show").max()
    assert channels.loc["trade_show", "roi"] < -0.3
    assert channels.loc["trade_show", "mql_to_sql"] < 0.7 * channels.loc["webinar", "mql_to_sql"]
    # webinars: strong leads, clearly profitable -> keep
    assert channels.loc["webinar", "lead_to_won"] > 5 * channels.loc["trade_show", "lead_to_won"]
    assert channels.loc["webinar", "roi"] > 2
    # paid search: dear leads followed up slowly, the money does not come back
    assert -0.8 < channels.loc["paid_search", "roi"] < 0
    assert channels.loc["paid_search", "cpl"] > 2 * channels.loc["webinar", "cpl"]
    # content: cheap, low conversion
    assert channels.loc["content", "cpl"] == channels["cpl"].min()
    assert channels.loc["content", "lead_to_won"] < channels.loc["webinar", "lead_to_won"] / 5


def test_paid_search_is_followed_up_slowly(demo) -> None:
    leads, opps = demo["leads"], demo["opportunities"]
    lag = (leads["sql_at"] - leads["mql_at"]).dt.days.groupby(leads["channel"]).mean()
    assert lag.idxmax() == "paid_search" and lag["paid_search"] > 2 * lag.drop("paid_search").max()
    lost = opps[opps["status"] == "lost"].merge(leads[["lead_id", "channel"]], on="lead_id")
    no_decision = (lost["lost_reason"] == "no decision").groupby(lost["channel"]).mean()
    assert no_decision["paid_search"] > no_decision.drop("paid_search").max() + 0.2


def test_seasonality(demo) -> None:
    created = demo["leads"]["created_at"]
    per_month = created.groupby(created.dt.month).size() / 2  # two years
    summer = per_month[[7, 8]].mean()
    assert summer < 0.7 * per_month[[1, 2, 3]].mean()
    assert summer < 0.7 * per_month[[9, 10, 11]].mean()
    december = created[created.dt.month == 12]
    assert (december.dt.day >= 20).mean() < 0.25  # 12 of 31 days, far fewer leads


def test_reps_differ_in_skill(demo) -> None:
    closed = demo["opportunities"][demo["opportunities"]["status"] != "open"]
    win_rate = (closed["status"] == "won").groupby(closed["rep_id"]).mean()
    assert len(win_rate) == 12
    assert win_rate.max() - win_rate.min() > 0.15
    assert win_rate.idxmin() == "R10"  # the struggling rep
    assert win_rate["R03"] > win_rate.median() + 0.1  # the star


def test_quotas_are_roughly_achievable(demo) -> None:
    won = demo["opportunities"][demo["opportunities"]["status"] == "won"]
    quarter = won["closed_at"].dt.to_period("Q").dt.start_time
    booked = won.groupby([won["rep_id"], quarter])["amount"].sum()
    quotas = demo["quotas"].set_index(["rep_id", "period_start"])["quota"]
    quotas = quotas[quotas.index.get_level_values(1) <= END]
    attainment = booked.reindex(quotas.index, fill_value=0.0).groupby(level=0).sum() / (
        quotas.groupby(level=0).sum())
    assert 0.85 <= attainment.median() <= 1.15
    assert attainment.between(0.6, 1.3).sum() >= 9
    assert attainment.idxmin() == "R10"
    team = booked.groupby(level=1).sum().sum() / quotas.sum()
    assert 0.85 <= team <= 1.15


def test_selling_time_differs_per_rep(demo) -> None:
    activities = demo["activities"]
    selling = activities["minutes"].where(activities["is_selling"], 0.0)
    share = selling.groupby(activities["rep_id"]).sum() / activities.groupby("rep_id")[
        "minutes"].sum()
    assert share.between(0.28, 0.47).all()
    assert share.max() - share.min() > 0.1
    assert set(activities["type"]) == {"call", "email", "meeting", "admin"}


def test_nps_predicts_churn(demo) -> None:
    mean_score = demo["nps"].groupby("account_id")["score"].mean()
    last_order = demo["orders"].groupby("account_id")["date"].max()
    gone = demo["accounts"].set_index("account_id")["churned_at"].notna() | (
        last_order.reindex(demo["accounts"]["account_id"]).to_numpy()
        < END - pd.Timedelta(days=180))
    low = gone.reindex(mean_score[mean_score <= 6].index).mean()
    high = gone.reindex(mean_score[mean_score >= 9].index).mean()
    assert low > 2 * high
    assert low - high > 0.15
    # respondents are customers: they had an order on or before the answer
    first_order = demo["orders"].groupby("account_id")["date"].min()
    answered = demo["nps"]
    assert (answered["date"].to_numpy() >= first_order[answered["account_id"]].to_numpy()).all()


def test_some_churn_is_recorded_and_some_inferred(demo) -> None:
    accounts = demo["accounts"].set_index("account_id")
    last_order = demo["orders"].groupby("account_id")["date"].max()
    recorded = accounts["churned_at"].dropna()
    assert len(recorded) >= 10
    assert (recorded.index.isin(last_order.index)).all()
    assert (recorded >= last_order[recorded.index]).all()  # no order after churning
    silent = (last_order < END - pd.Timedelta(days=365)) & accounts["churned_at"].reindex(
        last_order.index).isna()
    assert silent.sum() >= 5


def test_forecasts_miss_by_a_plausible_margin(demo) -> None:
    team = demo["forecasts"][demo["forecasts"]["rep_id"].isna()].set_index("period_start")
    won = demo["opportunities"][demo["opportunities"]["status"] == "won"]
    actual = won.groupby(won["closed_at"].dt.to_period("Q").dt.start_time)["amount"].sum()
    error = (team["forecast_amount"] - actual.reindex(team.index)).abs() / actual.reindex(
        team.index)
    assert 0.01 < error.mean() < 0.25


def test_engagement_tells_who_attended(demo) -> None:
    events = demo["engagement"]
    assert {"page_view", "email_open", "email_click", "download", "webinar_attended",
            "event_attended"} <= set(events["event_type"])
    attended = events[events["event_type"].isin(["webinar_attended", "event_attended"])]
    campaigns = demo["campaigns"].set_index("campaign_id")["channel"]
    channel = campaigns.reindex(attended["campaign_id"].dropna()).to_numpy()
    assert np.isin(channel, ["webinar", "trade_show"]).all()
    repeats = attended.duplicated(["lead_id", "campaign_id", "date", "event_type"]).sum()
    assert 0 < repeats < 0.1 * len(attended)
    assert events["visitor_id"].str.fullmatch(r"V\d{7}").all()
    assert events["lead_id"].notna().mean() > 0.5


def test_predictive_clv_fits_the_demo() -> None:
    # repeat orders are Poisson with a gamma-distributed rate: BG/NBD's process, so the
    # checked fit at the demo's as_of (the cohort report's default) is accepted
    from b2bkit.metrics import load_view, predictive

    _, view = load_view(Path(__file__).parents[1] / "data" / "demo")
    result = predictive.checked_clv(view.tables["orders"], as_of=view.as_of)
    assert result.check.ok, result.check.reasons
