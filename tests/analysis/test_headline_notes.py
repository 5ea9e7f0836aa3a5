"""Revision 3's warnings in the headline sentences (analysis.quality.headline_notes).

Hand-checked: tests/data/rev3/hubspot_all_deals has won deals 1001 (500,000 GBP, company
7001), 1002 (no amount, no company) and 1003 (655,250 GBP, no company) closed in 2023-Q1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from b2bkit.analysis.quality import headline_notes
from b2bkit.cli import main
from b2bkit.core.periods import Period
from b2bkit.load.dataset import from_frames, load_dataset
from b2bkit.metrics import prepare
from tests.conftest import DATA

Q1 = Period.parse("2023-Q1")


def test_won_deals_without_amount_or_account_are_counted_and_said() -> None:
    ds = load_dataset(DATA / "rev3" / "hubspot_all_deals")
    assert headline_notes(prepare(ds), Q1) == [
        "3 won deals in 2023-Q1 worth 1,155,250.00 GBP; 1 of them has no amount and counts 0 "
        "in bookings; 2 of them have no account and make no customer"]


def _deals(n_won: int, aside: int) -> pd.DataFrame:
    """n_won good won deals of 100 and ``aside`` won deals of 100 with a negative twin id."""
    ids = [f"D{i}" for i in range(n_won)] + [f"X{i}" for i in range(aside)]
    return pd.DataFrame({"opportunity_id": ids, "created_at": "2025-01-02", "status": "won",
                         "amount": [100.0] * n_won + [-100.0] * aside, "account_id": "A1",
                         "closed_at": "2025-02-01"})


def test_set_aside_won_deals_over_five_percent_are_named_in_the_sentence() -> None:
    ds = from_frames({"opportunities": _deals(18, 2)}, lenient=True)  # 2 of 20: 10%
    assert headline_notes(prepare(ds), Period.parse("2025-Q1")) == [
        "18 won deals in 2025-Q1 worth 1,800.00 USD; 2 won deals worth -200.00 USD were set "
        "aside: amount: must be >= 0 (2)"]


def test_set_aside_won_deals_up_to_five_percent_say_nothing_more() -> None:
    ds = from_frames({"opportunities": _deals(19, 1)}, lenient=True)  # 1 of 20: 5%, by count
    # and by amount 100 of 2,000: 5%, not more
    assert headline_notes(prepare(ds), Period.parse("2025-Q1")) == []


def test_kpis_json_notes_carry_the_headline_sentence(capsys) -> None:
    assert main(["kpis", "--data", str(DATA / "rev3" / "hubspot_all_deals"), "--period",
                 "2023-Q1", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)[0]
    assert record["metrics"]["won_deals"] == 3  # today's main: 1 (two set aside)
    assert record["metrics"]["bookings"] == 1155250.0
    assert ("3 won deals in 2023-Q1 worth 1,155,250.00 GBP; 1 of them has no amount and counts "
            "0 in bookings; 2 of them have no account and make no customer") in record[
        "data_quality"]["notes"]


def test_the_index_headline_says_what_the_figures_leave_out(tmp_path: Path) -> None:
    from b2bkit.reports.render import _headline

    ds = load_dataset(DATA / "rev3" / "hubspot_all_deals")
    headline = _headline(ds, Q1)[0]
    assert headline.endswith("; 2 of them have no account and make no customer.")
