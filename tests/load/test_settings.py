"""dataset.toml: defaults, checks, and maps merged under the dataset's own settings."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.core.errors import DatasetError
from b2bkit.load.settings import DEFAULT_STAGES, read_settings


def test_defaults_without_a_file(tmp_path: Path) -> None:
    s = read_settings(tmp_path)
    assert (s.currency, s.as_of, s.stages, s.churn_after_days, s.gross_margin,
            s.max_lifetime_years) == ("USD", None, DEFAULT_STAGES, 365, 1.0, 10.0)


@pytest.mark.parametrize(("text", "words"), [
    ('as_of = "yesterday"', "as_of: not a date"),
    ("gross_margin = 0", "gross_margin: must be positive"),
    ('churn_after_days = "a year"', "churn_after_days: wrong type str"),
    ("stages = []", "stages: must be a non-empty list"),
    ("[tables.invoices]", "tables.invoices: unknown table"),
    ("name = ", "not valid TOML"),
    ('language = "de"', "language: must be one of en, ru, not 'de'"),
    ("language = 1", "language: wrong type int"),
])
def test_bad_settings_name_the_key(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "dataset.toml").write_text(text + "\n")
    with pytest.raises(DatasetError, match=words):
        read_settings(tmp_path)


def test_language_of_the_reports(tmp_path: Path) -> None:
    assert read_settings(tmp_path).language == "en"
    (tmp_path / "dataset.toml").write_text('language = " RU "\n')
    assert read_settings(tmp_path).language == "ru"


def test_dataset_settings_win_over_the_map(tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text('currency = "BRL"\nname = "from map"\n'
                                       '[tables.orders]\nfile = "o.csv"\n')
    (tmp_path / "dataset.toml").write_text('column_map = "map.toml"\ncurrency = "EUR"\n'
                                           'as_of = 2025-06-30\n')
    s = read_settings(tmp_path)
    assert (s.currency, s.name, s.as_of) == ("EUR", "from map", pd.Timestamp("2025-06-30"))
    assert s.tables["orders"].file == "o.csv"


# issue 13: wrongly typed keys are messages naming the file and the key, never a traceback
@pytest.mark.parametrize(("text", "words"), [
    ("as_of = 2025", r"as_of: not a date: 2025 \(write 2025-12-31\)"),
    ('as_of = "2025"', "as_of: not a date: '2025'"),
    ('as_of = "01/02/2025"', "as_of: not a date: '01/02/2025'"),
    ('as_of = "now"', "as_of: not a date: 'now'"),
    ('as_of = "today"', "as_of: not a date: 'today'"),
    ('lenient = "yes"', "lenient: must be true or false, not 'yes'"),
    ("churn_after_days = 200000", "churn_after_days: must be a whole number of days from 1 to "
                                  "36,500, not 200000"),
    ("churn_after_days = 0", "churn_after_days: must be a whole number of days from 1"),
    ("gross_margin = nan", r"gross_margin: must be positive \(a finite number > 0\), not nan"),
    ("max_lifetime_years = inf", "max_lifetime_years: must be positive .*, not inf"),
    ("[tables.orders]\nfile = 5", r"tables.orders.file: wrong type int \(5\)"),
    ('[tables.orders]\ndelimiter = ";;"', "tables.orders.delimiter: must be one character"),
    ('[tables.orders]\ndate_format = "%Q"', "tables.orders.date_format: not a date format: '%Q'"),
    ('[tables.orders]\ndate_format = "%Y-%m"', "tables.orders.date_format: not a date format"),
    ('[tables.orders]\ncolumns = "x"', "tables.orders.columns: must be a table"),
    ('[tables.orders]\nvalues = 3', "tables.orders.values: must be a table"),
    ("[tables.orders.values]\namount = 3",
     "tables.orders.values.amount: must map source value = canonical value"),
    ('[tables.orders]\noptional = "false"',
     "tables.orders.optional: must be true or false, not 'false'"),
    ('[tables.orders]\naggregate = { by = "order_id", amount = "avg" }',
     "tables.orders.aggregate.amount: unknown aggregate function 'avg'; one of sum, first"),
    ('[tables.orders]\naggregate = { amount = "sum" }', "tables.orders.aggregate.by: must name"),
    ('[tables.orders]\naggregate = { by = "order_id", account_id = "sum" }',
     "tables.orders.aggregate.account_id: sum needs numbers"),
    ('[tables.orders]\nscale = { amount = "x" }',
     "tables.orders.scale.amount: must be a finite number other than 0, not 'x'"),
    ("[tables.orders]\nscale = { date = 2 }", "tables.orders.scale.date: only numbers"),
    ('[tables.orders]\ninvert = "amount"', "tables.orders.invert: must be a list"),
    ('[tables.orders]\nencoding = "klingon"', "tables.orders.encoding: unknown encoding"),
    ('[tables.orders]\ndecimal = ";"', "tables.orders.decimal: must be"),
    ('[tables.orders.columns]\namount = ["A", 3]', "tables.orders.columns.amount: must be a "
                                                   "source column name, a non-empty list"),
    ("a = " + "[" * 5000 + "]" * 5000, "not valid TOML: nested too deeply"),
], ids=lambda v: v[:40] if isinstance(v, str) else None)
def test_typed_keys_fail_with_a_message(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "dataset.toml").write_text(text + "\n")
    with pytest.raises(DatasetError, match=words) as caught:
        read_settings(tmp_path)
    assert str(tmp_path / "dataset.toml") in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_as_of_accepts_iso_text_and_toml_dates(tmp_path: Path) -> None:
    for text in ('as_of = "2025-06-30"', "as_of = 2025-06-30", 'as_of = "2025-06-30T18:00"',
                 # an offset is dropped: the datetime's own calendar date is kept
                 "as_of = 2025-06-30T23:30:00+05:00"):
        (tmp_path / "dataset.toml").write_text(text + "\n")
        assert read_settings(tmp_path).as_of == pd.Timestamp("2025-06-30"), text


def test_lenient_setting(tmp_path: Path) -> None:
    assert read_settings(tmp_path).lenient is False
    (tmp_path / "dataset.toml").write_text("lenient = true\n")
    assert read_settings(tmp_path).lenient is True
