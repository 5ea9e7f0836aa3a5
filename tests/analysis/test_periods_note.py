"""The incomplete-period note of every report header, counted by hand."""

import pytest

from b2bkit.analysis.periods_note import header_line
from b2bkit.core.periods import Period, incomplete_note


@pytest.mark.parametrize(("period", "as_of", "note"), [
    # 2025-Q4 = 92 days; 10-01..11-14 = 31 + 14 = 45
    ("2025-Q4", "2025-11-14", "2025-Q4 is incomplete: 45 of 92 days observed"),
    ("2025-Q4", "2025-12-30", "2025-Q4 is incomplete: 91 of 92 days observed"),
    ("2025-Q4", "2025-12-31", ""),  # the last day observed: complete
    ("2025-Q4", "2026-01-05", ""),
    ("2024-02", "2024-02-10", "2024-02 is incomplete: 10 of 29 days observed"),
    ("2025-W27", "2025-06-30T18:00", "2025-W27 is incomplete: 1 of 7 days observed"),
])
def test_incomplete_note(period, as_of, note) -> None:
    assert incomplete_note(Period.parse(period), as_of) == note


def test_header_line_without_comparison() -> None:
    assert header_line("Tiny Co", "2025-Q1", "2025-03-15") == (
        "Tiny Co: 2025-Q1 (2025-01-01 to 2025-03-31), data as of 2025-03-15. "
        "2025-Q1 is incomplete: 74 of 90 days observed.")


def test_header_line_in_russian() -> None:
    from b2bkit.core.i18n import use

    with use("ru"):
        assert header_line("Демо", "2025-Q3", "2025-12-31") == (
            "Демо: 3-й квартал 2025\u202fг. (01.07.2025–30.09.2025), данные по состоянию на "
            "31.12.2025.")
        assert header_line("Демо", "2025-Q4", "2025-11-14", compare_to="2025-Q3") == (
            "Демо: 4-й квартал 2025\u202fг. (01.10.2025–31.12.2025), для сравнения — 3-й "
            "квартал 2025\u202fг., данные по состоянию на 14.11.2025. Данные за 4-й квартал "
            "2025\u202fг. неполные: прошло 45 из 92 дней.")


@pytest.mark.parametrize(("period", "days"), [
    ("2025-01-01..2025-01-01", "1 дня"), ("2025-01-01..2025-01-02", "2 дней"),
    ("2025-01-01..2025-01-05", "5 дней"), ("2025-01-01..2025-01-11", "11 дней"),
    ("2025-01-01..2025-01-21", "21 дня"), ("2025-01-01..2025-04-21", "111 дней"),
])
def test_incomplete_note_plural_forms_in_russian(period, days) -> None:
    from b2bkit.core.i18n import use

    with use("ru"):
        text = header_line("Демо", period, "2024-12-31")
    assert text.endswith(f"неполные: прошло 0 из {days}.")


def test_a_week_in_russian_is_said_once_and_a_nameless_dataset_starts_with_its_period() -> None:
    from b2bkit.core.i18n import use

    with use("ru"):
        assert header_line("", "2025-W31", "2025-12-31") == (
            "28.07–03.08.2025 (неделя 31), данные по состоянию на 31.12.2025.")
        assert header_line("Демо", "2025-W31", "2025-12-31", compare_to="2025-W30") == (
            "Демо: 28.07–03.08.2025 (неделя 31), для сравнения — 21.07–27.07.2025 (неделя 30), "
            "данные по состоянию на 31.12.2025.")
    assert header_line("", "2025-W31", "2025-12-31") == (
        "2025-W31 (2025-07-28 to 2025-08-03), data as of 2025-12-31.")
