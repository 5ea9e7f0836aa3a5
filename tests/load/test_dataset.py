"""Loading a dataset folder: types, the lead/opportunity link, lenient accounting."""

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset


def test_tiny_loads_every_table_typed(tiny: Path) -> None:
    ds = load_dataset(tiny)
    assert len(ds.tables) == 14
    leads = ds["leads"]
    assert str(leads["created_at"].dtype) == "datetime64[ns]"
    assert leads["created_at"].iloc[2] == pd.Timestamp("2025-02-03 09:30")
    assert isinstance(leads["channel"].dtype, pd.CategoricalDtype)
    assert leads["channel"].isna().tolist() == [False, False, False, True]
    assert str(leads["score"].dtype) == "Float64"
    assert leads["bant_budget"].dtype == "boolean"
    assert leads["bant_authority"].tolist()[:2] == [True, pd.NA]
    assert str(ds["nps"]["score"].dtype) == "Int64"
    opps = ds["opportunities"]
    assert opps["amount"].tolist() == [1200.5, pd.NA, 5000.0]
    assert ds["activities"]["is_selling"].tolist() == [True, False, True]
    assert ds["forecasts"]["rep_id"].isna().tolist() == [True, False, False]
    assert ds["accounts"]["name"].tolist() == ["Alpha GmbH", "Beta, Inc."]
    assert ds.settings.currency == "EUR" and ds.settings.gross_margin == 0.5
    assert ds.settings.churn_after_days == 365  # the contract's default


def test_link_is_filled_on_both_sides(tiny: Path) -> None:
    ds = load_dataset(tiny)
    leads = ds["leads"].set_index("lead_id")["opportunity_id"]
    opps = ds["opportunities"].set_index("opportunity_id")["lead_id"]
    # L1 is named by O1.lead_id only; L3 names O2 only
    assert leads["L1"] == "O1" and opps["O1"] == "L1"
    assert leads["L3"] == "O2" and opps["O2"] == "L3"
    assert pd.isna(leads["L2"]) and pd.isna(opps["O3"])


def test_link_column_is_created_when_one_side_lacks_it(tmp_path: Path) -> None:
    (tmp_path / "leads.csv").write_text(
        "lead_id,created_at,channel\nL1,2025-01-01,x\nL2,2025-01-02,x\n")
    (tmp_path / "opportunities.csv").write_text(
        "opportunity_id,created_at,status,amount,lead_id\n"
        "O1,2025-01-05,open,1,L2\nO2,2025-01-03,open,1,L2\n")
    ds = load_dataset(tmp_path)
    # a lead with two opportunities links to the earlier one
    assert ds["leads"]["opportunity_id"].tolist() == [pd.NA, "O2"]


def test_as_of_defaults_to_latest_event_not_plan_dates(tiny: Path) -> None:
    # quotas end 2025-03-31 and expected_close 2025-04-30, but the latest
    # event is lead L4 created 2025-03-15
    assert load_dataset(tiny).as_of == pd.Timestamp("2025-03-15")


def test_as_of_from_settings(tmp_path: Path, tiny: Path) -> None:
    shutil.copytree(tiny, tmp_path / "d")
    (tmp_path / "d" / "dataset.toml").write_text('as_of = "2025-02-28"\n')
    assert load_dataset(tmp_path / "d").as_of == pd.Timestamp("2025-02-28")


def test_strict_mode_lists_every_violation(tmp_path: Path) -> None:
    (tmp_path / "opportunities.csv").write_text(
        "opportunity_id,created_at,status,amount,rep_id\n"
        "O1,2025-01-05,won,,R9\nO2,bad,open,-1,R1\nO2,2025-01-05,open,1,R1\n")
    (tmp_path / "reps.csv").write_text("rep_id,name\nR1,Ann\n")
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    got = exc.value.violations[["column", "rule", "rows"]].values.tolist()
    assert sorted(map(tuple, got)) == sorted([
        ("created_at", "not a date: a full date is needed, e.g. 2025-07-31 or "
                       "2025-07-31T14:05:00 (or set date_format in the column map)", 1),
        ("opportunity_id", "duplicate key (opportunity_id): an earlier row has the same value", 1),
        ("amount", "must be >= 0", 1),
        ("closed_at", "required when status is won or lost", 1),
        ("rep_id", "unknown rep_id: not in reps", 1),
    ])


def test_lenient_sets_aside_and_cascades(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text("account_id,name\nA1,x\nA2,y\n")
    (tmp_path / "opportunities.csv").write_text(
        "opportunity_id,created_at,status,amount,account_id,closed_at\n"
        "O1,2025-01-05,won,10,A1,2025-01-06\n"
        "O2,2025-01-05,won,-10,A2,2025-01-09\n")  # a negative amount
    (tmp_path / "orders.csv").write_text(
        "order_id,account_id,date,amount,opportunity_id\n"
        "X1,A1,2025-01-07,10,O1\nX2,A2,2025-01-07,10,O2\nX3,A3,2025-01-07,10,\n")
    ds = load_dataset(tmp_path, lenient=True)
    acc = ds.accounting.set_index("table")[["read", "loaded", "set_aside"]]
    assert acc.loc["opportunities"].tolist() == [2, 1, 1]
    assert acc.loc["orders"].tolist() == [3, 1, 2]
    assert (acc["read"] == acc["loaded"] + acc["set_aside"]).all()
    assert ds["orders"]["order_id"].tolist() == ["X1"]
    aside = ds.set_aside.set_index("key")
    assert aside.loc["O2", "reason"] == "amount: must be >= 0"
    assert aside.loc["X2", "reason"] == (
        "opportunity_id: refers to a row of opportunities that was set aside")
    assert aside.loc["X3", "reason"] == "account_id: unknown account_id: not in accounts"
    assert aside.loc["X3", "line"] == 4


def test_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "spend.csv").write_text("date,channel,amount\n2025-01-01,x,1\n\n2025-01-02,x,-1\n")
    with pytest.raises(DatasetError, match=r"line 4: amount='-1'"):
        load_dataset(tmp_path)
    assert load_dataset(tmp_path, lenient=True).accounting["read"].tolist() == [2]


@pytest.mark.parametrize("suffix", [".csv.gz", ".parquet", ".xlsx"])
def test_other_formats_load_the_same(tmp_path: Path, tiny: Path, suffix: str) -> None:
    expected = load_dataset(tiny)["orders"]
    text = (tiny / "orders.csv").read_bytes()
    target = tmp_path / f"orders{suffix}"
    if suffix == ".csv.gz":
        target.write_bytes(gzip.compress(text))
    elif suffix == ".parquet":
        frame = pd.read_csv(tiny / "orders.csv", parse_dates=["date"])
        frame.to_parquet(target)
    else:
        pd.read_csv(tiny / "orders.csv", dtype=str).to_excel(target, index=False)
    got = load_dataset(tmp_path)["orders"]
    pd.testing.assert_frame_equal(got, expected)


def test_excel_errors_name_sheet_rows(tmp_path: Path) -> None:
    pd.DataFrame({"account_id": ["A1", "A1"]}).to_excel(tmp_path / "accounts.xlsx", index=False)
    with pytest.raises(DatasetError, match=r"account_id=A1 \(sheet row 3\)"):
        load_dataset(tmp_path)


def test_two_files_for_one_table_is_an_error(tmp_path: Path, tiny: Path) -> None:
    shutil.copy(tiny / "orders.csv", tmp_path / "orders.csv")
    (tmp_path / "orders.csv.gz").write_bytes(gzip.compress((tiny / "orders.csv").read_bytes()))
    with pytest.raises(DatasetError, match="keep one"):
        load_dataset(tmp_path)


def test_semicolon_cp1251_decimal_comma_export(tmp_path: Path) -> None:
    text = "Номер;Клиент;Дата;Сумма\nЗ-1;А1;31.07.2025;1 234,50\nЗ-2;А1;01.08.2025;99,90\n"
    (tmp_path / "export.csv").write_bytes(text.encode("cp1251"))
    (tmp_path / "dataset.toml").write_text(
        '[tables.orders]\nfile = "export.csv"\ndecimal = ","\ndate_format = "%d.%m.%Y"\n'
        '[tables.orders.columns]\norder_id = "Номер"\naccount_id = "Клиент"\n'
        'date = "Дата"\namount = "Сумма"\n', encoding="utf-8")
    orders = load_dataset(tmp_path)["orders"]
    assert orders["order_id"].tolist() == ["З-1", "З-2"]
    assert orders["amount"].tolist() == [1234.5, 99.9]
    assert orders["date"].tolist() == [pd.Timestamp("2025-07-31"), pd.Timestamp("2025-08-01")]
