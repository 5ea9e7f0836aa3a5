"""The presets through the command line: validate and kpis, one surface.

CONTRACT section 4 and issue 11: `b2bkit validate DIR --map PRESET` and
`b2bkit kpis --data DIR --map PRESET --period P --format json` exit 0 on
every real-shaped export, and their output carries the data-quality
statements. Expected numbers are computed from the raw files in
test_presets.py's helpers (plain pandas, never b2bkit).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from b2bkit.cli import main
from tests.load.test_presets import EXPORTS, SF, _hubspot_won, _in, _russian, _sf_won_in_usd

CASES = [  # folder, preset, first line of validate
    ("salesforce_data_export", "salesforce",
     "Señal Andina (Salesforce Data Export): 6 table(s), currency USD, as_of 2025-12-31"),
    ("hubspot_export", "hubspot",
     "Northwind SaaS (HubSpot, stage ids): 3 table(s), currency USD, as_of 2025-12-31"),
    ("amocrm_export", "amocrm", "Ромашка (amoCRM): 1 table(s), currency RUB, as_of 2025-12-31"),
    ("bitrix24_export", "bitrix24",
     "Вектор (Bitrix24): 1 table(s), currency RUB, as_of 2025-12-31"),
]


@pytest.mark.parametrize(("folder", "preset", "head"), CASES, ids=[c[1] for c in CASES])
def test_validate_with_a_preset_name(capsys, folder, preset, head) -> None:
    assert main(["validate", str(EXPORTS / folder), "--map", preset]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == head


def test_validate_salesforce_lists_the_warnings_and_the_ignored_file(capsys) -> None:
    assert main(["validate", str(SF), "--map", "salesforce"]) == 0
    out = capsys.readouterr().out
    assert "opportunities: 8 deals worth" in out
    assert "closed_at before created_at" in out
    assert "stage_history: 22 stage rows kept with a warning" in out
    assert "Contact.csv: not read" in out


def test_validate_hubspot_lists_what_the_catch_all_took(capsys) -> None:
    assert main(["validate", str(EXPORTS / "hubspot_export"), "--map", "hubspot"]) == 0
    out = capsys.readouterr().out
    assert "'27346102' taken by \"*\" as 'open'" in out
    assert "2 deals kept with a warning" in out


def test_kpis_json_salesforce_bookings_to_the_cent(capsys) -> None:
    code = main(["kpis", "--data", str(SF), "--map", "salesforce", "--period", "2025-Q3",
                 "--format", "json"])
    assert code == 0
    records = json.loads(capsys.readouterr().out)
    won = _sf_won_in_usd()
    expected = won.loc[_in(won["day"], "2025-07-01", "2025-09-30"), "usd"].sum()
    assert [r["period"] for r in records] == ["2025-Q3"]
    assert round(records[0]["metrics"]["bookings"], 2) == round(float(expected), 2) == 297319.21
    quality = json.dumps(records[0]["data_quality"], ensure_ascii=False)
    assert "closed_at before created_at" in quality
    assert "repeats a stage" in quality


def test_kpis_json_hubspot_counts_the_won_deals(capsys) -> None:
    code = main(["kpis", "--data", str(EXPORTS / "hubspot_export"), "--map", "hubspot",
                 "--period", "2025-Q4", "--format", "json"])
    assert code == 0
    records = json.loads(capsys.readouterr().out)
    won = _hubspot_won("hubspot_export")
    expected = won.loc[_in(won["day"], "2025-10-01", "2025-12-31"), "amount"].sum()
    assert records[0]["metrics"]["bookings"] == expected == 93150.0
    assert "27346102" in json.dumps(records[0]["data_quality"])


def test_kpis_json_amocrm(capsys) -> None:
    code = main(["kpis", "--data", str(EXPORTS / "amocrm_export"), "--map", "amocrm",
                 "--period", "2025-Q3", "--format", "json"])
    assert code == 0
    records = json.loads(capsys.readouterr().out)
    raw = _russian("amocrm_export", "cp1251")
    won = raw[raw["Статус"] == "Успешно реализовано"]
    days = pd.to_datetime(won["Дата закрытия"], format="%d.%m.%Y")
    expected = won.loc[_in(days, "2025-07-01", "2025-09-30"), "amount"].sum()
    assert records[0]["metrics"]["bookings"] == pytest.approx(expected, abs=0.005)
    assert records[0]["data_quality"]
