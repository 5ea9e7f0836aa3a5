"""The demo generator: deterministic, valid against the contract, and telling its story."""

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from b2bkit.dataset import load_dataset
from b2bkit.demo import generate, write_demo
from b2bkit.schema import TABLES

END = pd.Timestamp("2025-12-31")


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return generate(seed=42, scale=1.0)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_demo(tmp_path / "a", seed=7, scale=0.2)
    write_demo(tmp_path / "b", seed=7, scale=0.2)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 15  # 14 tables and dataset.toml
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
    assert sum(p.stat().st_size for p in committed.iterdir()) < 15 * 2**20


def test_written_demo_validates_strictly(tmp_path: Path) -> None:
    write_demo(tmp_path, seed=3, scale=0.2)
    ds = load_dataset(tmp_path)
    assert sorted(ds.tables) == sorted(TABLES)
    assert ds.as_of == END
    assert (ds.accounting["set_aside"] == 0).all()


def test_every_table_has_the_contract_columns(demo) -> None:
    for name, spec in TABLES.items():
        assert set(spec.required) <= set(demo[name].columns), name
        assert set(demo[name].columns) <= set(spec.columns), name


def test_nothing_happens_after_as_of(demo) -> None:
    dated = {"leads": ["created_at", "mql_at", "sql_at"], "opportunities": ["created_at",
             "closed_at"], "stage_history": ["entered_at"], "orders": ["date"], "spend": ["date"],
             "sales_costs": ["date"], "activities": ["date"], "nps": ["date"],
             "engagement": ["date"], "accounts": ["churned_at"]}
    for table, columns in dated.items():
        for column in columns:
            assert (demo[table][column].dropna().dt.normalize() <= END).all(), (table, column)
    assert demo["leads"]["created_at"].min() >= pd.Timestamp("2024-01-01")


def test_links_agree_both_ways(demo) -> None:
    leads, opps = demo["leads"], demo["opportunities"]
    pairs = set(zip(leads["lead_id"], leads["opportunity_id"], strict=True))
    linked = opps.dropna(subset=["lead_id"])
    assert all((lead, opp) in pairs for lead, opp in zip(linked["lead_id"],
                                                          linked["opportunity_id"], strict=True))
    assert leads["opportunity_id"].notna().sum() == len(linked)


def test_volumes(demo) -> None:
    assert len(demo["leads"]) == 5000
    assert 800 <= len(demo["opportunities"]) <= 1300
    assert 7000 <= len(demo["orders"]) <= 13000
    assert 20000 <= len(demo["engagement"]) <= 30000
    assert 10 <= len(demo["reps"]) <= 15
    assert demo["forecasts"]["rep_id"].isna().sum() == 8  # one team row per quarter
    assert 0.01 <= demo["leads"]["channel"].isna().mean() <= 0.03


def test_scale_multiplies_volume() -> None:
    small, double = generate(seed=5, scale=0.5), generate(seed=5, scale=1.0)
    ratio = len(double["leads"]) / len(small["leads"])
    assert 1.8 <= ratio <= 2.2
    assert 1.6 <= len(double["orders"]) / len(small["orders"]) <= 2.4


def _by_channel(demo) -> pd.DataFrame:
    leads, opps, spend = demo["leads"], demo["opportunities"], demo["spend"]
    won = opps[opps["status"] == "won"].merge(leads[["lead_id", "channel"]], on="lead_id")
    frame = pd.DataFrame({
        "leads": leads.groupby("channel").size(),
        "won": won.groupby("channel").size(),
        "bookings": won.groupby("channel")["amount"].sum(),
        "spend": spend.groupby("channel")["amount"].sum(),
    })
    frame["cpl"] = frame["spend"] / frame["leads"]
    frame["lead_to_won"] = frame["won"] / frame["leads"]
    frame["roi"] = (frame["bookings"] - frame["spend"]) / frame["spend"]
    return frame


def test_the_planted_practices(demo) -> None:
    channels = _by_channel(demo)
    # trade shows: the most expensive leads, weak, money-losing -> drop
    assert channels["cpl"].idxmax() == "trade_show"
    assert channels.loc["trade_show", "roi"] < -0.3
    # webinars: strong leads, clearly profitable -> keep
    assert channels.loc["webinar", "lead_to_won"] > 5 * channels.loc["trade_show", "lead_to_won"]
    assert channels.loc["webinar", "roi"] > 2
    # paid search: around break-even -> optimize
    assert -0.3 < channels.loc["paid_search", "roi"] < 0.5
    # content: cheap, low conversion
    assert channels.loc["content", "cpl"] == channels["cpl"].min()
    assert channels.loc["content", "lead_to_won"] < channels.loc["webinar", "lead_to_won"] / 5


def test_reps_differ_in_skill(demo) -> None:
    closed = demo["opportunities"][demo["opportunities"]["status"] != "open"]
    win_rate = (closed["status"] == "won").groupby(closed["rep_id"]).mean()
    assert win_rate.max() - win_rate.min() > 0.15
    assert win_rate.idxmax() == "R03" and win_rate.idxmin() == "R10"


def test_nps_predicts_churn(demo) -> None:
    mean_score = demo["nps"].groupby("account_id")["score"].mean()
    last_order = demo["orders"].groupby("account_id")["date"].max()
    gone = demo["accounts"].set_index("account_id")["churned_at"].notna() | (
        last_order.reindex(demo["accounts"]["account_id"]).to_numpy()
        < END - pd.Timedelta(days=180))
    low = gone.reindex(mean_score[mean_score <= 6].index).mean()
    high = gone.reindex(mean_score[mean_score >= 9].index).mean()
    assert low > 2 * high


def test_forecasts_miss_by_a_plausible_margin(demo) -> None:
    team = demo["forecasts"][demo["forecasts"]["rep_id"].isna()].set_index("period_start")
    won = demo["opportunities"][demo["opportunities"]["status"] == "won"]
    actual = won.groupby(won["closed_at"].dt.to_period("Q").dt.start_time)["amount"].sum()
    error = (team["forecast_amount"] - actual.reindex(team.index)).abs() / actual.reindex(
        team.index)
    assert 0.01 < error.mean() < 0.25
