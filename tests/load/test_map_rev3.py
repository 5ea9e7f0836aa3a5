"""The map features of CONTRACT revision 3 on small hand-made exports (tests/data/rev3).

Each fixture is written from issue 22's description of an export seen in the
wild: an ad platform's campaign report with two title lines and "Total:"
rows, a purchases sheet mixing D/M/Y and M/D/Y, Zoho amounts written
``$22,700.00`` / ``$115.00K`` beside an ``Accounts.csv`` the map does not name,
and a HubSpot "all deals" export named by HubSpot, with repeated headers.
The expected values are worked out by hand from the files, in the comments.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.quality import CLEAN, quality_lines
from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset
from tests.conftest import DATA

REV3 = DATA / "rev3"


# --- title lines and summary rows -------------------------------------------------------------

def test_title_lines_are_skipped_and_total_rows_left_out_with_their_amount() -> None:
    ds = load_dataset(REV3 / "ad_report", lenient=True)
    spend = ds["spend"]
    # 4 data rows: 150.00 + 140.50 + "--" (empty: set aside, amount required) + 210.25
    assert spend["amount"].tolist() == [150.0, 140.5, 210.25]
    assert spend["campaign_id"].tolist() == ["Brand search", "Brand search", "Competitor terms"]
    assert ds.accounting[["read", "loaded", "set_aside", "lines"]].values.tolist() == [
        [4, 3, 1, 4]]
    lines = quality_lines(ds)
    assert "spend: 2 title lines left out (not data): title lines above the header (line 3)" \
        in lines
    # the two Total: rows hold 500.75 each; they are not spend (today's main summed them: 4x)
    assert ("spend: 2 summary rows worth 1,001.50 USD left out (not data): a total of the "
            "export (Total, Grand total, Итого, ...)") in lines
    assert CLEAN not in lines
    # the set-aside row is named on its own line of the file (line 6), title lines counted
    assert ds.set_aside[["line", "reason"]].values.tolist() == [
        [6, "amount: required value is blank"]]


def test_header_row_names_the_header_line(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("Report\nday,cost\n2026-01-01,5\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.spend]\nfile = "r.csv"\nheader_row = 2\n[tables.spend.columns]\n'
        'date = "day"\namount = "cost"\n[tables.spend.constants]\nchannel = "ads"\n')
    assert load_dataset(tmp_path)["spend"]["amount"].tolist() == [5.0]


def test_drop_rows_and_a_blank_key_row_summing_the_rows_above(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text(
        "id,customer,day,amount\nA,C1,2026-01-01,10\nB,C1,2026-01-02,15\n,,,25\n"
        "x-test,C2,2026-01-03,99\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.orders]\nfile = "o.csv"\ndrop_rows = { id = "^x-" }\n'
        '[tables.orders.columns]\norder_id = "id"\naccount_id = "customer"\ndate = "day"\n'
        'amount = "amount"\n')
    ds = load_dataset(tmp_path)
    assert ds["orders"]["order_id"].tolist() == ["A", "B"]
    lines = quality_lines(ds)
    assert ("orders: 1 summary row worth 99.00 USD left out (not data): matches drop_rows of "
            "the column map") in lines
    assert ("orders: 1 summary row worth 25.00 USD left out (not data): blank key, amount "
            "equal to the sum of the rows above") in lines


def test_a_canonical_file_with_an_italian_total_is_not_dropped_by_accident(tmp_path) -> None:
    # "Totale" is not one of the contract's total words: the row stays a row
    (tmp_path / "orders.csv").write_text(
        "order_id,account_id,date,amount\nTotale,C1,2026-01-01,5\n")
    assert load_dataset(tmp_path)["orders"]["order_id"].tolist() == ["Totale"]


# --- dates in several formats ------------------------------------------------------------------

def test_date_format_lists_read_each_cell_and_refuse_an_ambiguous_one() -> None:
    # 25/04/2026 reads only as D/M/Y, 04/25/2026 only as M/D/Y: both are used, so 03/04/2026
    # (3 April or 4 March) is ambiguous; 13/05/2026 is D/M/Y only; 2026-05-14 ISO
    with pytest.raises(DatasetError) as exc:
        load_dataset(REV3 / "purchases")
    bad = exc.value.violations
    assert bad[["column", "rows"]].values.tolist() == [["date", 1]]
    assert bad["examples"].iloc[0] == [
        "order_id=P3 (line 4): '03/04/2026' reads as 2026-04-03 (%d/%m/%Y) and as "
        "2026-03-04 (%m/%d/%Y)"]
    ds = load_dataset(REV3 / "purchases", lenient=True)
    assert ds["orders"]["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-04-25", "2026-04-25", "2026-05-13", "2026-05-14"]
    assert str(ds.as_of.date()) == "2026-05-14"


def test_one_format_of_a_list_used_throughout_is_not_ambiguous(tmp_path: Path) -> None:
    # every cell reads under both formats: nothing says M/D/Y is used, the first one counts
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,C1,03/04/2026,5\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.orders]\nfile = "orders.csv"\ndate_format = ["%d/%m/%Y", "%m/%d/%Y"]\n')
    assert load_dataset(tmp_path)["orders"]["date"].tolist() == [pd.Timestamp("2026-04-03")]


# --- numbers written for people ----------------------------------------------------------------

def test_accounting_amounts_and_an_unnamed_accounts_file_of_zoho() -> None:
    ds = load_dataset(REV3 / "zoho", column_map="map.toml", lenient=True)
    opps = ds["opportunities"].set_index("opportunity_id")
    # $22,700.00 -> 22700; $115.00K -> 115000; USD 5000 -> 5000; ($1,250.50) -> -1250.5 (< 0:
    # set aside by the amount >= 0 rule)
    assert opps["amount"].to_dict() == {"zcrm_1": 22700.0, "zcrm_2": 115000.0, "zcrm_4": 5000.0}
    assert ds.set_aside["reason"].tolist() == ["amount: must be >= 0"]
    # Accounts.csv is not accounts.csv: not read, the near miss named
    assert "accounts" not in ds.tables
    assert ("Accounts.csv: not read (canonical file names match exactly: a near miss of "
            "accounts.csv; rename it)") in quality_lines(ds)


def test_an_accounting_amount_without_the_setting_names_it(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text('order_id,account_id,date,amount\nO1,C1,2026-01-01,'
                                         '"$22,700.00"\n')
    with pytest.raises(DatasetError, match='number_format = "accounting"'):
        load_dataset(tmp_path)


def test_an_amount_whose_code_disagrees_with_the_row_currency_is_an_error(tmp_path) -> None:
    (tmp_path / "o.csv").write_text("id,c,d,amount,cur\nO1,C1,2026-01-01,EUR 5,USD\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.orders]\nfile = "o.csv"\nnumber_format = "accounting"\n[tables.orders.columns]\n'
        'order_id = "id"\naccount_id = "c"\ndate = "d"\namount = "amount"\ncurrency = "cur"\n')
    with pytest.raises(DatasetError, match="disagrees with the row's currency"):
        load_dataset(tmp_path)


# --- HubSpot's own file name, repeated headers, wins without amount or company ---------------

def test_hubspot_all_deals_export_by_its_own_name_with_repeated_headers() -> None:
    # today's main: "no table files found" (the name) and then a refusal of the repeated headers
    ds = load_dataset(REV3 / "hubspot_all_deals")
    opps = ds["opportunities"].set_index("opportunity_id")
    assert opps["status"].astype(str).to_dict() == {
        "1001": "won", "1002": "won", "1003": "won", "1004": "lost", "1005": "open"}
    # account_id from Associated Company IDs (Primary), the first alternative present
    assert opps["account_id"].astype(object).where(opps["account_id"].notna(), None).to_dict(
    ) == {"1001": "7001", "1002": None, "1003": None, "1004": "7002", "1005": None}
    lines = quality_lines(ds)
    # 1002 (no amount) and 1003 (655,250 GBP, no company) are kept and counted as won
    assert ("opportunities: 1 deal kept with a warning: amount: won deal without an amount "
            "(counts as won; 0 in every sum)") in lines
    assert ("opportunities: 2 deals worth 655,250.00 GBP kept with a warning: account_id: won "
            "deal without an account (counts as won; makes no customer)") in lines


def test_a_repeated_header_that_a_map_reads_is_an_error_naming_the_setting(tmp_path) -> None:
    (tmp_path / "o.csv").write_text("id,c,c,d,amount\nO1,C1,C2,2026-01-01,5\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.orders]\nfile = "o.csv"\n[tables.orders.columns]\norder_id = "id"\n'
        'account_id = "c"\ndate = "d"\namount = "amount"\n')
    with pytest.raises(DatasetError, match='duplicate_header = "first"'):
        load_dataset(tmp_path)
    (tmp_path / "dataset.toml").write_text(
        (tmp_path / "dataset.toml").read_text().replace(
            'file = "o.csv"\n', 'file = "o.csv"\nduplicate_header = "first"\n'))
    assert load_dataset(tmp_path)["orders"]["account_id"].tolist() == ["C1"]


def test_a_repeated_header_nobody_reads_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text(
        "order_id,account_id,date,amount,note,note\nO1,C1,2026-01-01,5,a,b\n")
    assert load_dataset(tmp_path)["orders"]["amount"].tolist() == [5.0]


def test_a_glob_matching_two_files_is_an_error(tmp_path: Path) -> None:
    for name in ("report 1.csv", "report 2.csv"):
        (tmp_path / name).write_text("order_id,account_id,date,amount\nO1,C1,2026-01-01,5\n")
    (tmp_path / "dataset.toml").write_text('[tables.orders]\nfile = "report*.csv"\n')
    with pytest.raises(DatasetError, match=r"2 files match 'report\*.csv' for orders"):
        load_dataset(tmp_path)


def test_null_values_blank_a_cell(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text("id,c,d,amount\nO1,n/a,2026-01-01,5\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.opportunities]\nfile = "o.csv"\nnull_values = ["n/a"]\n'
        '[tables.opportunities.columns]\nopportunity_id = "id"\naccount_id = "c"\n'
        'created_at = "d"\namount = "amount"\n[tables.opportunities.constants]\n'
        'status = "open"\n')
    assert load_dataset(tmp_path)["opportunities"]["account_id"].isna().tolist() == [True]
