"""as_of is read by one rule wherever it is given (b2bkit.core.asof)."""

import datetime as dt

import pandas as pd
import pytest

from b2bkit.core.asof import AsOfError, latest_event, parse_as_of
from b2bkit.core.errors import DatasetError, PeriodError
from b2bkit.core.schema import EVENT_DATE_COLUMNS
from b2bkit.load.dataset import load_dataset
from b2bkit.load.settings import Settings

REFUSED = [(2025, "2025"), ("03/04/2025", "'03/04/2025'")]


@pytest.mark.parametrize(("value", "shown"), REFUSED, ids=["toml-integer", "day-first-text"])
def test_settings_refuse_what_the_flag_refuses(value, shown):
    with pytest.raises(AsOfError) as flag:
        parse_as_of(value)
    assert str(flag.value) == f"as_of {value!r}: not a date (write 2025-12-31)"
    with pytest.raises(DatasetError) as toml:
        Settings.from_dict({"as_of": value}, source="dataset.toml")
    rows = toml.value.violations[["file", "column", "rule"]].values.tolist()
    assert rows == [["dataset.toml", "as_of", f"not a date: {shown} (write 2025-12-31)"]]
    assert rows[0][2] == flag.value.rule(shown)


@pytest.mark.parametrize(("line", "shown"), [("as_of = 2025", "2025"),
                                             ('as_of = "03/04/2025"', "'03/04/2025'")],
                         ids=["toml-integer", "day-first-text"])
def test_load_dataset_refuses_the_same(tmp_path, line, shown):
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,A1,2025-01-05,1\n")
    (tmp_path / "dataset.toml").write_text(line + "\n")
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert exc.value.violations["rule"].tolist() == [f"not a date: {shown} (write 2025-12-31)"]
    assert exc.value.violations["column"].tolist() == ["as_of"]


def test_out_of_range_in_the_same_words():
    with pytest.raises(AsOfError) as flag:
        parse_as_of(dt.date(1500, 1, 1))
    assert str(flag.value) == ("as_of datetime.date(1500, 1, 1): out of range "
                               "(supported dates are 1677-09-22 to 2262-04-11)")
    with pytest.raises(DatasetError) as toml:
        Settings.from_dict({"as_of": dt.date(1500, 1, 1)}, source="dataset.toml")
    assert toml.value.violations["rule"].tolist() == [
        "out of range: datetime.date(1500, 1, 1) (supported dates are 1677-09-22 to 2262-04-11)"]


def test_an_as_of_error_is_a_period_error():
    assert issubclass(AsOfError, PeriodError)


def test_latest_event_reads_the_declared_columns_only():
    tables = {
        "leads": pd.DataFrame({"created_at": pd.to_datetime(["2025-01-01"]),
                               "sql_at": pd.to_datetime(["2025-02-03 17:00"])}),
        "opportunities": pd.DataFrame({"created_at": pd.to_datetime(["2025-01-02"]),
                                       "expected_close": pd.to_datetime(["2026-01-01"])}),
    }
    assert latest_event(tables) == pd.Timestamp("2025-02-03")
    assert "expected_close" not in EVENT_DATE_COLUMNS["opportunities"]
    assert latest_event({"reps": pd.DataFrame({"rep_id": ["R1"]})}) is None
