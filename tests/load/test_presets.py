"""Each column-map preset end to end on an export in its real shape.

The fixtures in tests/data/exports are written by make_exports.py there.
Every expected number is computed here from the raw files with plain pandas
(never through b2bkit): conversions, quarters, line totals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.quality import quality_lines
from b2bkit.load.dataset import load_dataset
from b2bkit.load.settings import PRESETS
from b2bkit.load.warn import earliest_stages
from b2bkit.metrics import bookings, revenue

EXPORTS = Path(__file__).parents[1] / "data" / "exports"
SF = EXPORTS / "salesforce_data_export"
PRESET_DIR = Path(__file__).parents[2] / "b2bkit" / "load" / "presets"


def _raw(path: Path, **options: object) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, **options)


def _sf(name: str) -> pd.DataFrame:
    return _raw(SF / f"{name}.csv", encoding="cp1252")


def _in(days: pd.Series, start: str, end: str) -> pd.Series:
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))


def _sf_won_in_usd() -> pd.DataFrame:
    """Won Salesforce deals with their amount in USD, converted by hand.

    DatedConversionRate.ConversionRate is units of the currency per USD, in
    force from StartDate: divide by the rate of the latest StartDate on or
    before the close date.
    """
    opp = _sf("Opportunity")
    won = opp[opp["IsWon"] == "true"].assign(
        day=lambda f: pd.to_datetime(f["CloseDate"]),
        created=lambda f: pd.to_datetime(f["CreatedDate"].str[:19]),
        amount=lambda f: f["Amount"].astype(float))
    rates = _sf("DatedConversionRate").assign(
        day=lambda f: pd.to_datetime(f["StartDate"]),
        per_usd=lambda f: f["ConversionRate"].astype(float))
    joined = pd.merge_asof(won.sort_values("day"), rates[["day", "IsoCode", "per_usd"]]
                           .sort_values("day"), on="day", left_by="CurrencyIsoCode",
                           right_by="IsoCode")
    assert joined["per_usd"].notna().all()
    return joined.assign(usd=joined["amount"] / joined["per_usd"])


def _quality(ds) -> list[tuple]:
    """(table or file, severity, rows, amount to the cent) of each data-quality row."""
    q = ds.quality
    where = q["table"].where(q["table"] != "", q["file"])
    amounts = [None if pd.isna(a) else round(float(a), 2) for a in q["amount"]]
    return list(zip(where, q["severity"], q["rows"].astype(int), amounts, strict=True))


def _said(lines: list[str], start: str, *phrases: str) -> None:
    """One data-quality sentence starts with ``start`` and holds every phrase."""
    hits = [line for line in lines if line.startswith(start)]
    assert len(hits) == 1, (start, lines)
    assert all(phrase in hits[0] for phrase in phrases), (phrases, hits[0])


# ---------------------------------------------------------------- the preset list

def test_every_preset_file_is_listed_and_every_listed_preset_ships() -> None:
    assert sorted(PRESETS) == sorted(p.stem for p in PRESET_DIR.glob("*.toml"))
    assert {"amocrm", "bitrix24", "hubspot", "salesforce", "salesforce_report"} <= set(PRESETS)


# ---------------------------------------------------------------- Salesforce Data Export

@pytest.fixture(scope="module")
def salesforce():
    return load_dataset(SF, column_map="salesforce")


def test_salesforce_reads_every_mapped_object_and_ignores_the_rest(salesforce) -> None:
    counts = {table: len(frame) for table, frame in salesforce.tables.items()}
    assert counts == {"opportunities": len(_sf("Opportunity")),
                      "stage_history": len(_sf("OpportunityHistory")),
                      "accounts": 12, "reps": 5, "leads": len(_sf("Lead")),
                      "fx_rates": len(_sf("DatedConversionRate"))}
    assert salesforce.ignored_files == ["Contact.csv"]
    assert salesforce.settings.currency == "USD"
    assert salesforce.as_of == pd.Timestamp("2025-12-31")


def test_salesforce_status_comes_from_isclosed_and_iswon(salesforce) -> None:
    raw = _sf("Opportunity")
    opps = salesforce["opportunities"].set_index("opportunity_id")
    expected = (raw["IsClosed"] + "|" + raw["IsWon"]).map(
        {"true|true": "won", "true|false": "lost", "false|false": "open"})
    assert opps.loc[raw["Id"], "status"].astype(str).tolist() == expected.tolist()
    assert opps["status"].value_counts().to_dict() == {"won": 20, "lost": 10, "open": 10}
    # the Spanish stage names are kept as they are, never read for the status
    assert set(opps.loc[opps["status"] == "won", "stage"].astype(str)) == {"Cerrada ganada"}
    assert "Negociación" in set(opps["stage"].astype(str))


def test_salesforce_bookings_converted_to_the_cent(salesforce) -> None:
    won = _sf_won_in_usd()
    for period, start, end in [("2025-Q3", "2025-07-01", "2025-09-30"),
                               ("2025", "2025-01-01", "2025-12-31")]:
        expected = won.loc[_in(won["day"], start, end), "usd"].sum()
        assert round(float(bookings(salesforce, period)), 2) == round(float(expected), 2)
    # four currencies, each converted: the Q3 deals span USD, MXN and COP
    q3 = won[_in(won["day"], "2025-07-01", "2025-09-30")]
    assert set(q3["CurrencyIsoCode"]) == {"USD", "MXN", "COP"}
    assert round(float(bookings(salesforce, "2025-Q3")), 2) == 297319.21


def test_salesforce_keeps_the_original_amount_and_currency(salesforce) -> None:
    opps = salesforce["opportunities"].set_index("opportunity_id")
    raw = _sf("Opportunity").set_index("Id")
    cop = raw.index[raw["CurrencyIsoCode"] == "COP"][0]
    assert opps.loc[cop, "currency"] == "COP"
    assert opps.loc[cop, "amount_original"] == float(raw.loc[cop, "Amount"])
    assert set(opps["currency"].astype(str)) == {"USD", "MXN", "BRL", "COP"}


def test_salesforce_open_deals_keep_their_close_date_as_expected_close(salesforce) -> None:
    opps = salesforce["opportunities"]
    open_ = opps[opps["status"] == "open"]
    assert open_["closed_at"].isna().all()
    raw = _sf("Opportunity").set_index("Id")
    expected = pd.to_datetime(raw.loc[open_["opportunity_id"], "CloseDate"])
    assert open_["expected_close"].tolist() == expected.tolist()
    # the overdue open deal stays open and stays in the data
    assert (open_["expected_close"] == pd.Timestamp("2025-11-14")).sum() == 1


def test_salesforce_probability_is_scaled_to_a_fraction(salesforce) -> None:
    opps = salesforce["opportunities"]
    assert set(opps.loc[opps["status"] == "won", "probability"]) == {1.0}
    assert set(opps.loc[opps["status"] == "open", "probability"]) <= {0.1, 0.25, 0.5, 0.75}


def test_salesforce_warnings_are_counted_not_set_aside(salesforce) -> None:
    won = _sf_won_in_usd()
    backdated = won[won["day"] < won["created"].dt.normalize()]
    history = _sf("OpportunityHistory")
    repeats = int(history.duplicated(["OpportunityId", "StageName"]).sum())
    assert (len(backdated), repeats) == (8, 22)
    worth = round(float(backdated["usd"].sum()), 2)
    # leads converted into a won deal that had closed on an earlier day (deals entered first)
    lead = _sf("Lead").assign(day=lambda f: pd.to_datetime(f["CreatedDate"].str[:10]))
    closed = won.set_index("Id")["day"]
    late = lead["day"] > lead["ConvertedOpportunityId"].map(closed)
    assert int(late.sum()) == 3
    assert _quality(salesforce) == [
        ("leads", "warning", 3, None),
        ("opportunities", "warning", 8, worth),
        ("stage_history", "warning", 22, None),
        ("Contact.csv", "ignored", 0, None),
    ]
    lines = quality_lines(salesforce)
    _said(lines, f"opportunities: 8 deals worth {worth:,.2f} USD kept with a warning",
          "closed_at before created_at")
    _said(lines, "stage_history: 22 stage rows kept with a warning",
          "repeats a stage", "the earliest entered_at counts")
    read = int(salesforce.accounting["read"].sum())
    _said(lines, f"rows read {read} = loaded {read} + set aside 0")
    _said(lines, "Contact.csv: not read")
    # every back-dated win counts in bookings (checked to the cent above)
    opps = salesforce["opportunities"].set_index("opportunity_id")
    assert (opps.loc[backdated["Id"], "status"] == "won").all()


def test_salesforce_stage_history_counts_the_earliest_entry_of_a_stage(salesforce) -> None:
    raw = _sf("OpportunityHistory").assign(
        entered_at=lambda f: pd.to_datetime(f["CreatedDate"].str[:19]))
    expected = (raw.groupby(["OpportunityId", "StageName"])["entered_at"].min()
                .rename_axis(["opportunity_id", "stage"]).sort_index())
    earliest = earliest_stages(salesforce["stage_history"]).astype({"stage": str})
    got = earliest.set_index(["opportunity_id", "stage"])["entered_at"].sort_index()
    assert len(got) == len(raw) - 22
    assert got.tolist() == expected.tolist()
    assert got.index.tolist() == expected.index.tolist()
    # some repeats sit in the file before the earlier entry (the export is not in time order)
    first_in_file = raw.drop_duplicates(["OpportunityId", "StageName"]).set_index(
        ["OpportunityId", "StageName"])["entered_at"].sort_index()
    assert (first_in_file.to_numpy() > expected.to_numpy()).sum() > 0


def test_salesforce_leads_link_to_their_converted_opportunities(salesforce) -> None:
    raw = _sf("Lead")
    converted = raw[raw["IsConverted"] == "true"]
    leads = salesforce["leads"].set_index("lead_id")
    assert leads.loc[converted["Id"], "opportunity_id"].tolist() == (
        converted["ConvertedOpportunityId"].tolist())
    assert leads["opportunity_id"].notna().sum() == len(converted) == 20


# ---------------------------------------------------------------- HubSpot

@pytest.fixture(scope="module", params=["hubspot_export", "hubspot_export_labels"])
def hubspot(request):
    return request.param, load_dataset(EXPORTS / request.param, column_map="hubspot")


def _hubspot_won(folder: str) -> pd.DataFrame:
    deals = _raw(EXPORTS / folder / "deals.csv")
    won = deals[deals["Deal Stage"].isin(["closedwon", "Closed Won"])]
    return won.assign(day=pd.to_datetime(won["Close Date"]).dt.normalize(),
                      amount=won["Amount"].astype(float))


def test_hubspot_reads_stage_ids_and_labels_alike(hubspot) -> None:
    folder, ds = hubspot
    opps = ds["opportunities"]
    assert opps["status"].value_counts().to_dict() == {"open": 17, "won": 12, "lost": 6}
    assert len(_hubspot_won(folder)) == 12
    assert set(opps.loc[opps["status"] == "won", "stage"].astype(str)) == {"Closed Won"}
    won = _hubspot_won(folder)
    q4 = won.loc[_in(won["day"], "2025-10-01", "2025-12-31"), "amount"].sum()
    assert float(bookings(ds, "2025-Q4")) == q4 == 93150.0
    assert set(opps["rep_id"].dropna().astype(str)) == {
        "Laura Smith", "Daniel Kim", "Priya Patel", "Tomás Rivera"}


def test_hubspot_catch_all_takes_only_the_custom_stage(hubspot) -> None:
    folder, ds = hubspot
    custom = "27346102" if folder == "hubspot_export" else "Trial Started"
    assert _quality(ds) == [("opportunities", "warning", 2, None)]
    lines = quality_lines(ds)
    _said(lines, "opportunities: 2 deals kept with a warning", f"{custom!r} taken by \"*\"")
    _said(lines, "rows read 75 = loaded 75 + set aside 0")


def test_hubspot_both_variants_load_the_same_tables() -> None:
    ids = load_dataset(EXPORTS / "hubspot_export", column_map="hubspot")
    labels = load_dataset(EXPORTS / "hubspot_export_labels", column_map="hubspot")
    for table in ("leads", "accounts"):
        pd.testing.assert_frame_equal(ids[table], labels[table])
    # the stage is written as the label; a custom stage keeps its own id or label
    same_stage = ids["opportunities"]["stage"].astype(str).replace("27346102", "Trial Started")
    assert same_stage.tolist() == labels["opportunities"]["stage"].astype(str).tolist()
    pd.testing.assert_frame_equal(ids["opportunities"].drop(columns="stage"),
                                  labels["opportunities"].drop(columns="stage"))
    assert set(ids["leads"]["channel"].astype(str)) == {
        "organic_search", "paid_search", "email", "referral", "direct", "paid_social"}


def test_hubspot_open_deals_close_in_the_future_only_as_expected_close(hubspot) -> None:
    _, ds = hubspot
    opps = ds["opportunities"]
    open_ = opps[opps["status"] == "open"]
    assert open_["closed_at"].isna().all()
    assert (open_["expected_close"] > pd.Timestamp("2025-12-31")).all()
    assert ds.as_of == pd.Timestamp("2025-12-31")


# ---------------------------------------------------------------- amoCRM and Bitrix24

def _russian(folder: str, encoding: str) -> pd.DataFrame:
    raw = _raw(EXPORTS / folder / "deals.csv", sep=";", encoding=encoding)
    amount_column = "Бюджет" if "Бюджет" in raw else "Сумма"
    amounts = raw[amount_column].str.replace(" ", "").str.replace(",", ".").astype(float)
    return raw.assign(amount=amounts)


def test_amocrm_reads_a_cp1251_export() -> None:
    ds = load_dataset(EXPORTS / "amocrm_export", column_map="amocrm")
    raw = _russian("amocrm_export", "cp1251")
    opps = ds["opportunities"].set_index("opportunity_id")
    assert opps["status"].value_counts().to_dict() == {"won": 12, "open": 12, "lost": 6}
    assert opps.loc[raw["ID"], "amount"].tolist() == raw["amount"].tolist()
    assert opps.loc["24018000", "amount"] == 1_937_000.5
    assert opps.loc["24018000", "account_id"] == "ООО «Ромашка»"
    assert opps.loc["24018000", "rep_id"] == "Иван Петров"
    won = raw[raw["Статус"] == "Успешно реализовано"]
    days = pd.to_datetime(won["Дата закрытия"], format="%d.%m.%Y")
    q3 = won.loc[_in(days, "2025-07-01", "2025-09-30"), "amount"].sum()
    assert float(bookings(ds, "2025-Q3")) == pytest.approx(q3, abs=0.005)
    assert opps.loc[opps["status"] == "open", "closed_at"].isna().all()
    assert quality_lines(ds) == ["No rows were set aside and nothing was warned about."]


def test_bitrix24_reads_a_utf8_bom_export() -> None:
    ds = load_dataset(EXPORTS / "bitrix24_export", column_map="bitrix24")
    raw = _russian("bitrix24_export", "utf-8-sig")
    opps = ds["opportunities"].set_index("opportunity_id")
    assert opps["status"].value_counts().to_dict() == {"open": 12, "won": 11, "lost": 7}
    assert set(opps["currency"].astype(str)) == {"RUB"}
    assert opps.loc[raw["ID"], "amount"].tolist() == raw["amount"].tolist()
    won = raw[raw["Стадия сделки"] == "Сделка успешна"]
    days = pd.to_datetime(won["Предполагаемая дата закрытия"], format="%d.%m.%Y")
    q4 = won.loc[_in(days, "2025-10-01", "2025-12-31"), "amount"].sum()
    assert float(bookings(ds, "2025-Q4")) == pytest.approx(q4, abs=0.005)
    open_ = opps[opps["status"] == "open"]
    assert open_["closed_at"].isna().all()
    assert (open_["expected_close"] >= pd.Timestamp("2026-01-12")).all()
    assert set(opps.loc[opps["status"] == "lost", "stage"].astype(str)) == {
        "Сделка провалена", "Анализ причины провала"}


# ---------------------------------------------------------------- order lines

ORDERS = EXPORTS / "order_lines"


def _order_truth() -> pd.DataFrame:
    lines = _raw(ORDERS / "order_lines.csv")
    lines["total"] = lines["Line Total"].astype(float)
    orders = lines.groupby("Order ID", sort=False).agg(
        date=("Order Date", "first"), amount=("total", "sum"), lines=("total", "size"))
    return orders.assign(date=pd.to_datetime(orders["date"]))


def test_order_lines_aggregated_by_the_map_give_the_order_level_revenue() -> None:
    ds = load_dataset(ORDERS, column_map=str(ORDERS / "aggregated.toml"))
    truth = _order_truth()
    orders = ds["orders"].set_index("order_id")
    assert len(orders) == len(truth) == 30
    assert orders.loc[truth.index, "amount"].tolist() == truth["amount"].tolist()
    for year in ("2024", "2025"):
        expected = truth.loc[truth["date"].dt.year == int(year), "amount"].sum()
        assert float(revenue(ds, year)) == pytest.approx(expected, abs=0.005)
    assert float(revenue(ds, "2025")) == 60897.0
    assert "order_lines.csv: 68 lines combined into 30 orders" in quality_lines(ds)


def test_order_lines_without_aggregation_say_what_lenient_mode_set_aside() -> None:
    ds = load_dataset(ORDERS, column_map=str(ORDERS / "lines.toml"), lenient=True)
    truth = _order_truth()
    lines = _raw(ORDERS / "order_lines.csv")
    later = lines[lines["Order ID"].duplicated()]
    worth = later["Line Total"].astype(float).sum()
    assert (len(later), worth) == (68 - 30, 44462.0)
    # the map files beside the data are maps, not data: not listed as ignored
    assert _quality(ds) == [("orders", "set aside", 38, 44462.0)]
    said = quality_lines(ds)
    _said(said, "orders: 38 orders worth 44,462.00 USD set aside", "duplicate key (order_id)")
    _said(said, "rows read 68 = loaded 30 + set aside 38")
    # what is left is the first line of each order: far from the truth
    first = lines.drop_duplicates("Order ID").assign(
        day=lambda f: pd.to_datetime(f["Order Date"]), total=lambda f: f["Line Total"]
        .astype(float))
    kept_2025 = first.loc[first["day"].dt.year == 2025, "total"].sum()
    assert float(revenue(ds, "2025")) == kept_2025 == 18262.0
    assert kept_2025 < truth.loc[truth["date"].dt.year == 2025, "amount"].sum()


def test_a_rate_starting_0001_01_01_applies_from_1900_with_a_warning(tmp_path):
    """Salesforce starts a currency's first dated rate on 0001-01-01: it is read as starting
    on 1900-01-01 (no row can be dated earlier), every conversion as with any other early
    start, and the quality lines say so."""
    import shutil

    folder = Path(shutil.copytree(SF, tmp_path / "sf"))
    rates = folder / "DatedConversionRate.csv"
    rates.write_bytes(rates.read_bytes().replace(  # the export's own encoding kept
        b'"04w5g0000000002AAA","MXN","2024-01-01"', b'"04w5g0000000002AAA","MXN","0001-01-01"'))
    early = load_dataset(folder, column_map="salesforce")
    original = load_dataset(SF, column_map="salesforce")
    fx = early["fx_rates"]
    first = fx[fx["currency"] == "MXN"].sort_values("date").iloc[0]
    assert (first["date"], first["rate"]) == (pd.Timestamp("1900-01-01"), 1 / 17.1)
    pd.testing.assert_frame_equal(early["opportunities"], original["opportunities"])
    assert bookings(early, "2025") == bookings(original, "2025")
    assert ("fx_rates: 1 row kept with a warning: date: a rate starting before 1900-01-01 "
            "(such as Salesforce's 0001-01-01 start of a currency's first rate) applies from "
            "1900-01-01, the first day b2bkit reads; no conversion changes") in quality_lines(early)


def test_a_placeholder_date_elsewhere_is_refused_as_out_of_range(tmp_path):
    """Outside fx_rates a date such as 0001-01-01 is an error named for what it is."""
    import shutil

    from b2bkit.core.errors import DatasetError

    folder = Path(shutil.copytree(SF, tmp_path / "sf"))
    deals = folder / "Opportunity.csv"
    data = deals.read_bytes()  # the export's own encoding kept
    day = next(cell for cell in data.split(b'"') if cell.startswith(b"2025-0"))
    deals.write_bytes(data.replace(b'"' + day + b'"', b'"0001-01-01"', 1))
    with pytest.raises(DatasetError) as exc:
        load_dataset(folder, column_map="salesforce")
    found = exc.value.violations.set_index("rule")
    rule = ("a date outside 1900-01-01..2199-12-31, the dates b2bkit reads (a typo such as 0202 "
            "for 2020, or a placeholder such as 0001-01-01)")
    assert rule in found.index and "not a date" not in " ".join(found.index)
    assert (Path(found.loc[rule, "file"]).name, found.loc[rule, "rows"]) == ("Opportunity.csv", 1)


# ---------------------------------------------------------------- Salesforce report names

_OPP_REPORT = ("Opportunity ID,Account ID,Created Date,Close Date,Amount,Stage,"
               "Opportunity Owner,Type\n006A,001A,1/5/2025,2/1/2025,100,Closed Won,Ann,"
               "New Customer\n006B,001A,1/6/2025,3/1/2025,50,Prospecting,Ann,New Customer\n")
_LEAD_REPORT = "Lead ID,Create Date,Lead Source,Lead Owner\n00QA,1/5/2025,Web,Ann\n"


def test_salesforce_report_finds_an_opportunities_report_by_its_export_name(tmp_path) -> None:
    # Salesforce names a CSV report export "report" + 13 digits (the export's epoch ms)
    (tmp_path / "report1642777476321.csv").write_text(_OPP_REPORT, encoding="utf-8")
    (tmp_path / "leads.csv").write_text(_LEAD_REPORT, encoding="utf-8")
    ds = load_dataset(tmp_path, column_map="salesforce_report")
    assert ds["opportunities"]["opportunity_id"].tolist() == ["006A", "006B"]
    assert ds["opportunities"]["status"].astype(str).tolist() == ["won", "open"]
    assert len(ds["leads"]) == 1 and "accounts" not in ds.tables  # not the opportunities file


def test_salesforce_report_name_of_another_report_is_listed_not_misread(tmp_path) -> None:
    (tmp_path / "report1642777476999.csv").write_text(_LEAD_REPORT, encoding="utf-8")
    (tmp_path / "accounts.csv").write_text("Account ID,Account Name\n001A,Ñandú SA\n",
                                           encoding="utf-8")
    ds = load_dataset(tmp_path, column_map="salesforce_report")
    assert set(ds.tables) == {"accounts"}
    skipped = ds.quality[ds.quality["file"].astype(str).str.endswith("report1642777476999.csv")]
    assert skipped["rule"].str.contains("no 'Opportunity ID' column").tolist() == [True]


def test_salesforce_report_opportunities_csv_comes_before_a_report_name(tmp_path) -> None:
    (tmp_path / "opportunities.csv").write_text(_OPP_REPORT, encoding="utf-8")
    (tmp_path / "report1642777476321.csv").write_text(_OPP_REPORT.replace("006A", "006Z"),
                                                      encoding="utf-8")
    ds = load_dataset(tmp_path, column_map="salesforce_report")
    assert ds["opportunities"]["opportunity_id"].tolist() == ["006A", "006B"]
    assert "report1642777476321.csv" in ds.ignored_files
