"""Currencies: amounts converted with the latest fx_rates rate on or before the row's date."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.quality import quality_lines
from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset

FX = "currency,date,rate\nMXN,2025-01-01,0.05\nMXN,2025-02-01,0.06\nEUR,2025-03-01,1.1\n"
OPPS = ("opportunity_id,created_at,status,amount,account_id,closed_at,currency\n"
        "O1,2025-01-05,won,1000,A1,2025-02-10,MXN\n"   # closed: rate of 2025-02-01, 0.06
        "O2,2025-01-20,open,500,,,mxn\n"                # open: created_at, rate 0.05
        "O3,2025-01-05,won,10,A1,2025-01-06,\n"         # blank: the dataset currency
        "O4,2025-01-05,lost,10,,2025-01-06,USD\n")


def _folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text)
    return tmp_path


def test_opportunities_convert_at_close_or_creation(tmp_path: Path) -> None:
    ds = load_dataset(_folder(tmp_path, fx_rates=FX, opportunities=OPPS))
    opps = ds["opportunities"]
    assert opps["amount"].tolist() == pytest.approx([60.0, 25.0, 10.0, 10.0])
    assert opps["amount_original"].tolist() == [1000.0, 500.0, 10.0, 10.0]
    assert opps["currency"].tolist() == ["MXN", "MXN", "USD", "USD"]
    assert quality_lines(ds) == ["No rows were set aside and nothing was warned about."]


def test_quotas_convert_at_period_start(tmp_path: Path) -> None:
    quotas = ("rep_id,period_start,period_end,quota,currency\n"
              "R1,2025-01-01,2025-01-31,1000,MXN\nR1,2025-02-01,2025-02-28,1000,MXN\n")
    ds = load_dataset(_folder(tmp_path, fx_rates=FX, quotas=quotas))
    assert ds["quotas"]["quota"].tolist() == pytest.approx([50.0, 60.0])
    assert ds["quotas"]["quota_original"].tolist() == [1000.0, 1000.0]


ORDERS = ("order_id,account_id,date,amount,currency\n"
          "X1,A1,2025-02-15,100,EUR\n"   # EUR's first rate is 2025-03-01: none usable
          "X2,A1,2025-03-02,100,EUR\n"   # 110 USD
          "X3,A1,2025-03-02,7,\n")


def test_a_currency_without_a_usable_rate_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(_folder(tmp_path, fx_rates=FX, orders=ORDERS))
    v = caught.value.violations.iloc[0]
    assert (v["table"], v["column"], v["rows"]) == ("orders", "currency", 1)
    assert v["rule"] == "no fx_rates rate for EUR on or before the row's date"
    assert v["examples"] == ["order_id=X1 (line 2): currency=EUR, date=2025-02-15"]


def test_lenient_sets_the_unconvertible_rows_aside(tmp_path: Path) -> None:
    ds = load_dataset(_folder(tmp_path, fx_rates=FX, orders=ORDERS), lenient=True)
    assert ds["orders"]["amount"].tolist() == pytest.approx([110.0, 7.0])
    assert ds.set_aside[["key", "reason"]].to_dict("records") == [
        {"key": "X1", "reason": "currency: no fx_rates rate for EUR on or before the row's date"}]
    # no rate, so no amount in the dataset currency: the sentence says no "worth"
    assert quality_lines(ds) == [
        "orders: 1 order set aside: currency: no fx_rates rate for EUR on or before the "
        "row's date",
        "rows read 6 = loaded 5 + set aside 1",
    ]


def test_without_fx_rates_the_error_says_so(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text('currency = "EUR"\n')
    with pytest.raises(DatasetError, match=r"no fx_rates rate for USD on or before the row's "
                                           r"date \(the dataset has no fx_rates table\)"):
        load_dataset(_folder(tmp_path, spend="date,channel,amount,currency\n"
                                             "2025-01-01,ads,5,EUR\n2025-01-01,ads,5,USD\n"))


def test_a_currency_code_must_be_three_letters(tmp_path: Path) -> None:
    spend = "date,channel,amount,currency\n2025-01-01,ads,5,$\n"
    with pytest.raises(DatasetError, match="not a three-letter ISO currency code"):
        load_dataset(_folder(tmp_path, spend=spend))


def test_a_rate_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"column rate: must be > 0"):
        load_dataset(_folder(tmp_path, fx_rates="currency,date,rate\nMXN,2025-01-01,0\n"))


def test_inverted_rates_from_a_map(tmp_path: Path) -> None:
    # Salesforce's ConversionRate: units of the foreign currency per unit of the dataset's
    (tmp_path / "rates.csv").write_text("IsoCode,StartDate,ConversionRate\nMXN,2025-01-01,20\n")
    (tmp_path / "dataset.toml").write_text(
        '[tables.fx_rates]\nfile = "rates.csv"\ninvert = ["rate"]\n'
        '[tables.fx_rates.columns]\ncurrency = "IsoCode"\ndate = "StartDate"\n'
        'rate = "ConversionRate"\n')
    (tmp_path / "orders.csv").write_text(
        "order_id,account_id,date,amount,currency\nX1,A1,2025-01-05,200,MXN\n")
    ds = load_dataset(tmp_path)
    assert ds["fx_rates"]["rate"].tolist() == [0.05]
    assert ds["orders"]["amount"].tolist() == pytest.approx([10.0])
    assert ds["orders"]["date"].tolist() == [pd.Timestamp("2025-01-05")]
