"""Targets (CONTRACT section 1): from dataset.toml, else the own median of earlier periods."""

import math

import pytest

from b2bkit.analysis.scorecard import scorecard, shown, sources_sentence
from b2bkit.analysis.targets import FROM_SETTINGS, Target, own_median, target_of
from b2bkit.core.errors import DatasetError
from b2bkit.load.settings import Settings
from b2bkit.metrics import prepare
from tests.metrics._build import build

# revenue by quarter: 2024-Q1 100, Q2 300, Q3 200, Q4 50, 2025-Q1 400, Q2 120
ORDERS = {"order_id": ["O1", "O2", "O3", "O4", "O5", "O6"],
          "account_id": ["A1"] * 6,
          "date": ["2024-01-01", "2024-05-02", "2024-08-03", "2024-11-04", "2025-02-05",
                   "2025-05-06"],
          "amount": [100, 300, 200, 50, 400, 120]}


def view(targets: dict | None = None):
    settings = {"targets": targets} if targets is not None else None
    return prepare(build(settings, orders=ORDERS))


def test_own_median_of_the_last_four_quarters() -> None:
    # 2025-Q2: median of 400, 50, 200, 300 = (200 + 300) / 2 = 250
    assert own_median(view(), "revenue", "2025-Q2") == Target(
        250.0, "own median of the last 4 quarters")


def test_fewer_periods_when_the_data_begins_later() -> None:
    # 2024-Q3: only 2024-Q2 (300) and 2024-Q1 (100); 2023-Q4 is before the first order
    assert own_median(view(), "revenue", "2024-Q3") == Target(
        200.0, "own median of the last 2 quarters")
    first = own_median(view(), "revenue", "2024-Q1")
    assert not first.given
    assert first.text("currency") == ("no target: no earlier quarter has a value to compare "
                                      "with")


def test_dataset_toml_wins_and_says_so() -> None:
    target = target_of(view({"revenue": 999}), "revenue", "2025-Q2")
    assert target == Target(999.0, FROM_SETTINGS)
    assert target.text("currency", "EUR") == "target 999.00 EUR from dataset.toml"
    # a metric the toml does not name still falls back on its own history
    assert target_of(view({"cpl": 5}), "revenue", "2025-Q2").source == (
        "own median of the last 4 quarters")


def test_a_target_name_that_is_no_metric_is_an_error() -> None:
    with pytest.raises(DatasetError, match=r"did you mean 'revenue'\?"):
        target_of(view({"revenu": 1}), "revenue", "2025-Q2")


@pytest.mark.parametrize("value", ["high", True, math.inf])
def test_targets_must_be_finite_numbers(value) -> None:
    with pytest.raises(DatasetError, match=r"targets\.cpl"):
        Settings.from_dict({"targets": {"cpl": value}}, source="dataset.toml")


def test_scorecard_without_targets_uses_no_built_in_number() -> None:
    card = scorecard(view(), "2025-Q2", names=("revenue", "aov")).set_index("metric")
    assert card.loc["revenue", "target"] == 250.0
    assert card.loc["revenue", "status"] == "below target"   # 120 < 250
    assert card.loc["revenue", "target_source"] == "own median of the last 4 quarters"
    # aov: one order a quarter, so the same values as revenue
    assert card.loc["aov", "target"] == 250.0
    text = shown(card.reset_index(), "EUR").set_index("metric")
    assert text.loc["Revenue", "target"] == "250.00 EUR (own median of the last 4 quarters)"
    assert sources_sentence(card.reset_index()) == (
        "Targets: Revenue, Average order value own median of the last 4 quarters.")


def test_scorecard_with_targets_from_the_toml() -> None:
    card = scorecard(view({"revenue": 100}), "2025-Q2", names=("revenue",))
    assert card["status"].tolist() == ["on target"]      # 120 >= 100
    assert shown(card, "EUR")["target"].tolist() == ["100.00 EUR from dataset.toml"]
