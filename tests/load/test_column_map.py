"""Column maps: the shipped maps for the Maven and Olist exports, and the map rules."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.quality import CLEAN, quality_lines
from b2bkit.core.errors import DatasetError
from b2bkit.load.column_map import apply_map
from b2bkit.load.dataset import load_dataset
from b2bkit.load.settings import TableMap
from tests.conftest import DATA, SHARED

MAPS = Path(__file__).parents[2] / "examples" / "maps"
MAVEN = SHARED / "maven_crm_sales_opportunities"
OLIST = SHARED / "olist_marketing_funnel"


def test_maven_map_on_a_hand_made_excerpt() -> None:
    ds = load_dataset(DATA / "maven_like", column_map=str(MAPS / "maven.toml"), lenient=True)
    opps = ds["opportunities"]
    assert opps["status"].tolist() == ["won", "lost", "open"]
    assert opps["stage"].tolist() == ["Won", "Lost", "Engaging"]
    assert opps["rep_id"].tolist() == ["Moses Frase", "Darcel Schlecht", "Darcel Schlecht"]
    assert opps["amount"].tolist() == [1054.0, 0.0, pd.NA]
    assert ds["reps"]["team"].tolist() == ["East", "Central"]
    assert ds["accounts"]["industry"].tolist() == ["retail", "medical"]
    aside = ds.set_aside
    assert aside[["line", "key", "reason"]].values.tolist() == [
        [5, "6CWZFOHJ", "created_at: required value is blank"]]


def test_maven_map_is_strict_by_default() -> None:
    with pytest.raises(DatasetError, match=r"opportunity_id=6CWZFOHJ \(line 5\)"):
        load_dataset(DATA / "maven_like", column_map=str(MAPS / "maven.toml"))


@pytest.mark.skipif(not MAVEN.is_dir(), reason="the shared Maven export is not on this machine")
def test_maven_export_lenient_accounts_for_every_row() -> None:
    ds = load_dataset(MAVEN, column_map=str(MAPS / "maven.toml"), lenient=True)
    acc = ds.accounting.set_index("table")
    assert acc.loc["opportunities", ["read", "loaded", "set_aside"]].tolist() == [8800, 8300, 500]
    assert acc.loc["accounts", "loaded"] == 85 and acc.loc["reps", "loaded"] == 35
    # the 500 set aside are exactly the Prospecting opportunities without engage_date
    raw = pd.read_csv(MAVEN / "sales_pipeline.csv", dtype=str)
    prospecting = raw.loc[raw["engage_date"].isna(), "opportunity_id"]
    assert sorted(ds.set_aside["key"]) == sorted(prospecting)
    assert (raw.loc[raw["engage_date"].isna(), "deal_stage"] == "Prospecting").all()
    assert ds["opportunities"]["status"].value_counts().to_dict() == {
        "won": 4238, "lost": 2473, "open": 1589}


@pytest.mark.skipif(not OLIST.is_dir(), reason="the shared Olist export is not on this machine")
def test_olist_export_loads_leads_and_won_deals() -> None:
    ds = load_dataset(OLIST, column_map=str(MAPS / "olist.toml"))
    assert ds.accounting[["table", "read", "loaded", "set_aside"]].values.tolist() == [
        ["leads", 8000, 8000, 0], ["opportunities", 842, 842, 0], ["accounts", 842, 842, 0]]
    leads = ds["leads"]
    assert leads["opportunity_id"].notna().sum() == 842  # filled from opportunities.lead_id
    assert (ds["opportunities"]["status"] == "won").all()
    assert ds.settings.currency == "BRL"


def test_one_source_column_feeds_several_targets_and_values_map() -> None:
    raw = pd.DataFrame({"id": ["1", "2", "3"], "st": ["Won", "Lost", "Odd"]})
    table_map = TableMap("opportunities", columns={"opportunity_id": "id", "status": "st",
                                                   "stage": "st"},
                         values={"status": {"Won": "won", "Lost": "lost"}},
                         constants={"deal_type": "new"})
    out = apply_map(raw, table_map, table="opportunities", file="x.csv")
    assert out.columns.tolist() == ["opportunity_id", "status", "stage", "deal_type"]
    # an unmapped value passes through, so validation reports it instead of hiding it
    assert out["status"].tolist() == ["won", "lost", "Odd"]
    assert out["stage"].tolist() == ["Won", "Lost", "Odd"]
    assert out["deal_type"].tolist() == ["new"] * 3


def test_map_naming_an_absent_source_column() -> None:
    raw = pd.DataFrame({"id": ["1"]})
    with pytest.raises(DatasetError, match="names source column 'deal_stage', which the file"):
        apply_map(raw, TableMap("opportunities", columns={"status": "deal_stage"}),
                  table="opportunities", file="x.csv")


def test_map_file_unknown_column_is_reported(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text('[tables.orders.columns]\nprice = "Amount"\n')
    with pytest.raises(DatasetError, match=r"tables.orders.columns.price: not a column of orders"):
        load_dataset(tmp_path)


def test_unknown_preset_or_missing_map(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\n1,A,2025-01-01,1\n")
    with pytest.raises(DatasetError, match="column map not found"):
        load_dataset(tmp_path, column_map="pipedrive")


def test_hubspot_preset_reads_a_deals_export(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text('column_map = "hubspot"\n')
    (tmp_path / "deals.csv").write_text(
        "Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Deal owner,Deal Type,"
        "Associated Company IDs (Primary)\n"
        "101,Big one,Closed Won,5000,2025-01-02 10:00,2025-02-01 12:00,Ann,New Business,9\n"
        "102,Next,Contract Sent,,2025-01-05 09:00,2025-03-01 00:00,Bob,Existing Business,\n")
    opps = load_dataset(tmp_path, lenient=True)["opportunities"]
    assert opps["status"].tolist() == ["won", "open"]
    assert opps["deal_type"].tolist() == ["new", "upsell"]
    # the loader moves an open deal's close date to expected_close (CONTRACT section 1)
    assert opps["closed_at"].tolist() == [pd.Timestamp("2025-02-01 12:00"), pd.NaT]
    assert opps["expected_close"].tolist() == [pd.NaT, pd.Timestamp("2025-03-01")]


def test_salesforce_preset_reads_us_dates(tmp_path: Path) -> None:
    (tmp_path / "leads.csv").write_text(
        "Lead ID,Create Date,Lead Source,Lead Owner\n00Q1,07/31/2025,Web,Ann\n")
    leads = load_dataset(tmp_path, column_map="salesforce_report")["leads"]
    assert leads["created_at"].tolist() == [pd.Timestamp("2025-07-31")]
    assert leads["channel"].tolist() == ["Web"]


# --- CONTRACT revision 2: aggregate, scale, several source columns, catch-all, ignored files

LINES = ("Order ID,Customer,Order Date,Line Total\n"
         "A,C1,2025-01-05,10.50\n"
         "A,C1,2025-01-05,4.50\n"
         "B,C2,2025-01-07,100\n"
         "A,C1,2025-01-06,5\n"
         "C,C1,2025-02-01,7\n")
LINE_MAP = ('[tables.orders]\nfile = "order_lines.csv"\n'
            'aggregate = {{ by = "order_id", amount = "sum", date = "{date}" }}\n'
            '[tables.orders.columns]\norder_id = "Order ID"\naccount_id = "Customer"\n'
            'date = "Order Date"\namount = "Line Total"\n')


@pytest.mark.parametrize(("how", "a_date"), [("first", "2025-01-05"), ("last", "2025-01-06"),
                                             ("min", "2025-01-05"), ("max", "2025-01-06")])
def test_aggregate_combines_order_lines(tmp_path: Path, how: str, a_date: str) -> None:
    (tmp_path / "order_lines.csv").write_text(LINES)
    (tmp_path / "dataset.toml").write_text(LINE_MAP.format(date=how))
    ds = load_dataset(tmp_path)
    orders = ds["orders"]
    assert orders["order_id"].tolist() == ["A", "B", "C"]
    assert orders["amount"].tolist() == [20.0, 100.0, 7.0]  # 10.50 + 4.50 + 5
    assert orders["date"].tolist() == [pd.Timestamp(d) for d in (a_date, "2025-01-07",
                                                                  "2025-02-01")]
    acc = ds.accounting.iloc[0]
    assert (acc["read"], acc["loaded"], acc["set_aside"], acc["lines"]) == (3, 3, 0, 5)
    assert quality_lines(ds) == ["order_lines.csv: 5 lines combined into 3 orders", CLEAN]


def test_aggregate_sets_aside_a_whole_order_with_a_bad_line(tmp_path: Path) -> None:
    (tmp_path / "order_lines.csv").write_text(LINES + "D,C1,2025-02-02,1\nD,C1,2025-02-02,x\n")
    (tmp_path / "dataset.toml").write_text(LINE_MAP.format(date="first"))
    ds = load_dataset(tmp_path, lenient=True)
    acc = ds.accounting.iloc[0]
    assert (acc["read"], acc["loaded"], acc["set_aside"], acc["lines"]) == (4, 3, 1, 7)
    assert ds.set_aside[["line", "key", "reason"]].to_dict("records") == [
        {"line": 7, "key": "D", "reason": "amount: not a finite number"}]  # D's first line


def test_scale_and_a_status_from_two_joined_columns_with_a_catch_all(tmp_path: Path) -> None:
    (tmp_path / "Opportunity.csv").write_text(
        "Id,CreatedDate,IsClosed,IsWon,Amount,AccountId,CloseDate,Probability\n"
        "O1,2025-01-01,true,true,100,A1,2025-01-10,100\n"
        "O2,2025-01-02,true,false,50,,2025-01-11,0\n"
        "O3,2025-01-03,false,false,70,,2025-03-01,40\n"
        "O4,2025-01-04,TRUE,yes,20,A1,2025-02-01,25\n"
        "O5,2025-01-05,1,maybe,20,,2025-02-01,25\n")
    (tmp_path / "map.toml").write_text(
        '[tables.opportunities]\nfile = "Opportunity.csv"\nscale = { probability = 0.01 }\n'
        '[tables.opportunities.columns]\nopportunity_id = "Id"\ncreated_at = "CreatedDate"\n'
        'status = { join = ["IsClosed", "IsWon"] }\namount = "Amount"\n'
        'account_id = "AccountId"\nclosed_at = "CloseDate"\nprobability = "Probability"\n'
        '[tables.opportunities.values.status]\n"true|true" = "won"\n"true|false" = "lost"\n'
        '"false|false" = "open"\n"*" = "open"\n')
    ds = load_dataset(tmp_path, column_map="map.toml")
    opps = ds["opportunities"]
    # flags in any spelling (TRUE, yes, 1) are booleans (CONTRACT rev. 3)
    assert opps["status"].astype(str).tolist() == ["won", "lost", "open", "won", "open"]
    assert opps["probability"].tolist() == pytest.approx([1.0, 0.0, 0.4, 0.25, 0.25])
    # the close date of an open deal is its expected close, never its closed_at
    assert opps["closed_at"].tolist() == [pd.Timestamp("2025-01-10"),
                                          pd.Timestamp("2025-01-11"), pd.NaT,
                                          pd.Timestamp("2025-02-01"), pd.NaT]
    assert opps["expected_close"].tolist() == [pd.NaT, pd.NaT, pd.Timestamp("2025-03-01"),
                                               pd.NaT, pd.Timestamp("2025-02-01")]
    caught = ds.quality[ds.quality["rule"].str.contains("taken by")]
    assert caught[["column", "rule", "rows"]].to_dict("records") == [
        {"column": "status", "rule": "'1|maybe' taken by \"*\" as 'open'", "rows": 1}]


def test_a_map_reads_only_the_files_it_names(tmp_path: Path) -> None:
    (tmp_path / "order_lines.csv").write_text(LINES)
    (tmp_path / "dataset.toml").write_text(LINE_MAP.format(date="first"))
    (tmp_path / "orders.csv").write_text("garbage that would fail\n\x00\n")  # mapped elsewhere
    (tmp_path / "notes.md").write_text("lead_id\n")
    (tmp_path / "export.tsv").write_text("a\tb\n")
    (tmp_path / "other_map.toml").write_text("")  # maps and settings are not data: not listed
    (tmp_path / "accounts.csv").write_text("account_id\nC1\nC2\n")  # canonical, not mapped
    ds = load_dataset(tmp_path)
    assert sorted(ds.tables) == ["accounts", "orders"]
    assert ds.ignored_files == ["export.tsv", "notes.md", "orders.csv"]
    ignored = ds.quality[ds.quality["severity"] == "ignored"]
    assert ignored["file"].tolist() == ["export.tsv", "notes.md", "orders.csv"]


def test_an_optional_table_may_be_absent(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,A1,2025-01-05,1\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.leads]\nfile = "contacts.csv"\noptional = true\n')
    assert sorted(load_dataset(tmp_path).tables) == ["orders"]


def test_a_map_file_outside_the_folder_is_refused_unread(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("SECRET-TOKEN,x\n1,2\n")
    data = tmp_path / "data"
    data.mkdir()
    (data / "dataset.toml").write_text('[tables.orders]\nfile = "../outside/secret.csv"\n')
    with pytest.raises(DatasetError, match="resolves outside the dataset folder") as caught:
        load_dataset(data)
    assert "SECRET-TOKEN" not in str(caught.value)  # named, never opened
    assert "data/../outside/secret.csv: the file for orders" in str(caught.value)


def test_a_symlinked_table_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_text("SECRET-TOKEN\n")
    data = tmp_path / "data"
    data.mkdir()
    (data / "accounts.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(DatasetError, match="the file for accounts resolves outside the dataset "
                                           "folder; it is not read") as caught:
        load_dataset(data)
    assert "SECRET-TOKEN" not in str(caught.value)
