"""The reasons a metric is missing, and the coverage notes, in Russian (English unchanged)."""

import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.core.i18n import use
from b2bkit.core.periods import Period, coverage_note, incomplete_note
from b2bkit.metrics import win_rate

NBSP = "\u00a0"


def test_missing_reason_in_russian() -> None:
    with use("ru"):
        assert win_rate(sample_dataset(), "2025-01").reason == "нет сделок, закрытых за январь 2025"
    assert win_rate(sample_dataset(), "2025-01").reason == "no opportunities closed in 2025-01"


@pytest.mark.parametrize(("as_of", "text"), [
    ("2025-12-01", "Данные за декабрь 2025 неполные: прошло 1 из 31 дня"),
    ("2025-12-21", "Данные за декабрь 2025 неполные: прошло 21 из 31 дня"),
])
def test_incomplete_note_in_russian(as_of: str, text: str) -> None:
    with use("ru"):
        assert incomplete_note(Period.parse("2025-12"), as_of) == text


def test_coverage_note_in_russian() -> None:
    with use("ru"):
        note = coverage_note(Period.parse("2025-Q4"), pd.Timestamp("2025-11-14"))
    assert note == ("Данные за 4-й квартал 2025\u202fг. неполные: прошло 45 из 92 дней "
                    "(по состоянию на 14.11.2025)")
    assert coverage_note(Period.parse("2025-Q4"), pd.Timestamp("2025-11-14")) == (
        "2025-Q4 is incomplete: 45 of 92 days observed (as_of 2025-11-14)")
