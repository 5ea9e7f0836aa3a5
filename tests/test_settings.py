"""dataset.toml: defaults, checks, and maps merged under the dataset's own settings."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.errors import DatasetError
from b2bkit.settings import DEFAULT_STAGES, read_settings


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
])
def test_bad_settings_name_the_key(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "dataset.toml").write_text(text + "\n")
    with pytest.raises(DatasetError, match=words):
        read_settings(tmp_path)


def test_dataset_settings_win_over_the_map(tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text('currency = "BRL"\nname = "from map"\n'
                                       '[tables.orders]\nfile = "o.csv"\n')
    (tmp_path / "dataset.toml").write_text('column_map = "map.toml"\ncurrency = "EUR"\n'
                                           'as_of = 2025-06-30\n')
    s = read_settings(tmp_path)
    assert (s.currency, s.name, s.as_of) == ("EUR", "from map", pd.Timestamp("2025-06-30"))
    assert s.tables["orders"].file == "o.csv"
