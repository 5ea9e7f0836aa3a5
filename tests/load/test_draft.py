"""``b2bkit map draft DIR``: a commented map that loads unedited (CONTRACT section 4).

On the four real exports of ../shared/datasets the draft must be valid TOML,
recognise the tool and load with ``validate --map DRAFT --lenient`` (exit 0);
the tests show what it proposed. aws_saas_sales also goes through the map the
draft wrote, edited by hand in two places (examples/maps/aws_saas_sales.toml),
against figures computed here with plain pandas.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from b2bkit.cli import main
from b2bkit.load.draft import draft_map, recognise
from tests.conftest import DATA, SHARED

MAPS = Path(__file__).parents[2] / "examples" / "maps"

REAL = [  # folder, tool, file -> table proposed
    ("salesforce_winkel", "Salesforce Data Export",
     {"Account.csv": "accounts", "Campaign.csv": "campaigns", "Lead.csv": "leads",
      "Opportunity.csv": "opportunities", "OpportunityHistory.csv": "stage_history",
      "User.csv": "reps"}),
    ("hubspot_hygiene", "HubSpot",
     {"companies.csv": "accounts", "contacts.csv": "leads", "deals.csv": "opportunities"}),
    ("bitrix_stats", "Bitrix24",
     {"companies.csv": "accounts", "contacts.csv": "leads", "deals.csv": "opportunities",
      "marketing_costs.csv": "spend", "stage_history.csv": "stage_history",
      "users.csv": "reps"}),
    ("aws_saas_sales", "not recognised", {"SaaS-Sales.csv": "orders"}),
]


@pytest.mark.parametrize(("folder", "tool", "tables"), REAL, ids=[r[0] for r in REAL])
def test_the_draft_of_a_real_export_loads_unedited(tmp_path, capsys, folder, tool,
                                                   tables) -> None:
    source = SHARED / folder
    if not source.is_dir():
        pytest.skip(f"{source} is not on this machine (the real exports live in ../shared)")
    out = tmp_path / "draft.toml"
    assert main(["map", "draft", str(source), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"tool recognised: {tool}" in err
    assert f"b2bkit validate {source} --map {out} --lenient" in err
    text = out.read_text(encoding="utf-8")
    assert tomllib.loads(text)  # valid TOML
    assert f"# Tool recognised from the headers: {tool}." in text
    assert draft_map(source).tables == tables
    assert main(["validate", str(source), "--map", str(out), "--lenient"]) == 0


def test_the_salesforce_draft_proposes_the_flags_the_empty_id_and_the_currencies() -> None:
    source = SHARED / "salesforce_winkel"
    if not source.is_dir():
        pytest.skip(f"{source} is not on this machine")
    draft = draft_map(source)
    text = draft.text
    assert 'status = { join = ["IsClosed", "IsWon"] }' in text
    assert '"1|1" = "won"' in text and '"1|0" = "lost"' in text and '"0|0" = "open"' in text
    assert 'null_values = ["000000000000000AAA"]' in text
    assert text.count('currency = "MXN"') == 1
    assert "currencies MXN, COP, USD, PEN: fx_rates needed for COP, USD, PEN" in draft.notes


def test_the_hubspot_draft_maps_the_export_view_headers() -> None:
    source = SHARED / "hubspot_hygiene"
    if not source.is_dir():
        pytest.skip(f"{source} is not on this machine")
    text = draft_map(source).text
    assert 'account_id = "Associated Company ID"' in text
    assert '"closedwon" = "won"' in text and '"closedlost" = "lost"' in text
    assert '"appointmentscheduled" = "open"' in text
    assert 'channel = ""   # ? no channel column found' in text


def test_the_bitrix_draft_reads_both_date_shapes_and_flags_unknown_stages() -> None:
    source = SHARED / "bitrix_stats"
    if not source.is_dir():
        pytest.skip(f"{source} is not on this machine")
    text = draft_map(source).text
    assert 'date_format = ["ISO", "%d.%m.%Y %H:%M"]' in text  # 14.06.2026 09:20 beside ISO
    assert '"WON" = "won"' in text and '"LOST" = "lost"' in text
    assert "# ? not recognised: check" in text.split('"WAIT_CLIENT" = "open"')[1].splitlines()[0]
    assert 'currency = "RUB"' in text


def test_aws_saas_sales_through_the_drafted_and_edited_map(capsys) -> None:
    source = SHARED / "aws_saas_sales"
    if not source.is_dir():
        pytest.skip(f"{source} is not on this machine")
    raw = pd.read_csv(source / "SaaS-Sales.csv", dtype=str, encoding="utf-8-sig")
    day = pd.to_datetime(raw["Order Date"], format="%m/%d/%Y")
    q4 = raw[(day >= "2023-10-01") & (day <= "2023-12-31")]
    revenue, orders = q4["Sales"].astype(float).sum(), q4["Order ID"].nunique()
    assert orders == 637 and round(revenue, 2) == 280594.83
    edited = MAPS / "aws_saas_sales.toml"
    assert main(["validate", str(source), "--map", str(edited)]) == 0
    out = capsys.readouterr().out
    assert "SaaS-Sales.csv: 9,994 lines combined into 5,009 orders" in out
    assert main(["kpis", "--data", str(source), "--map", str(edited), "--period", "2023-Q4",
                 "--format", "json"]) == 0
    metrics = json.loads(capsys.readouterr().out)[0]["metrics"]
    assert metrics["orders"] == orders
    assert metrics["revenue"] == pytest.approx(revenue)
    # CONTRACT: an order's segment is its account's (accounts.segment: the customer's first
    # line, as the edited map aggregates them)
    segment = raw.drop_duplicates("Customer ID").set_index("Customer ID")["Segment"]
    by_segment = q4["Sales"].astype(float).groupby(q4["Customer ID"].map(segment)).sum()
    assert main(["kpis", "--data", str(source), "--map", str(edited), "--period", "2023-Q4",
                 "--by", "segment", "--format", "json"]) == 0
    groups = {r["group"]["segment"]: r["metrics"]["revenue"]
              for r in json.loads(capsys.readouterr().out)}
    assert groups == pytest.approx(by_segment.to_dict())


def test_the_draft_of_an_ad_report_names_its_title_lines(tmp_path: Path) -> None:
    draft = draft_map(DATA / "rev3" / "ad_report")
    assert "header_row = 3" in draft.text
    assert any("2 title line(s) above the header" in n for n in draft.notes)
    assert tomllib.loads(draft.text)["tables"]["spend"]["columns"]["amount"] == "Cost"


def test_status_keywords_in_six_languages(tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text(
        "Deal ID,Created,Stage,Value\n" + "".join(
            f"D{i},2025-01-0{1 + i % 9},{s},10\n" for i, s in enumerate(
                ["Ganada", "Perdida", "Ganho", "Perdido", "Gagné", "Perdu", "Gewonnen",
                 "Verloren", "Сделка успешна", "Сделка провалена", "Quarantine"])),
        encoding="utf-8")
    status = tomllib.loads(draft_map(tmp_path).text)["tables"]["opportunities"]["values"][
        "status"]
    assert status == {"Ganada": "won", "Perdida": "lost", "Ganho": "won", "Perdido": "lost",
                      "Gagné": "won", "Perdu": "lost", "Gewonnen": "won", "Verloren": "lost",
                      "Сделка успешна": "won", "Сделка провалена": "lost",
                      "Quarantine": "open"}
    quarantine = next(line for line in draft_map(tmp_path).text.splitlines()
                      if line.startswith('"Quarantine"'))
    assert quarantine.endswith("# ? not recognised: check")


def test_recognise_needs_two_telling_headers() -> None:
    assert recognise(["Record ID", "Deal Stage", "Amount"]) == "HubSpot"
    assert recognise(["Amount"]) == "not recognised"
