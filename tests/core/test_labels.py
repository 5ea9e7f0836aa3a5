"""Report tables in Russian: column headers, index names and canonical row labels translated
last, cells formatted by their (English-keyed) units; data values untouched; English as is."""

import pandas as pd

from b2bkit.core.i18n import use
from b2bkit.core.labels import COLUMNS, ROWS, header, row
from b2bkit.reports import notebook as nb

NBSP = "\u00a0"


def _table() -> pd.DataFrame:
    table = pd.DataFrame({"campaign_id": ["C1", "C2"], "spend": [1234.5, 10.0],
                          "win_rate": [0.25, 0.5], "first_touch": [0.1, 0.2]})
    table.attrs["units"] = {"spend": "currency", "win_rate": "rate", "first_touch": "rate"}
    return table


def test_readable_in_russian() -> None:
    with use("ru"):
        shown = nb.readable(_table(), currency="RUB")
    assert list(shown.columns) == ["расходы", "Доля выигранных сделок", "первое касание"]
    assert shown.index.name == "ID кампании"
    assert list(shown.index) == ["C1", "C2"]  # data
    assert shown["расходы"].tolist() == [f"1{NBSP}234,50{NBSP}₽", f"10,00{NBSP}₽"]
    assert shown["Доля выигранных сделок"].tolist() == [f"25,0{NBSP}%", f"50,0{NBSP}%"]


def test_formatted_in_russian_and_english() -> None:
    with use("ru"):
        shown = nb.formatted(_table(), currency="RUB")
    assert list(shown.columns) == ["расходы", "Доля выигранных сделок", "первое касание"]
    assert shown.index.name == "ID кампании"
    english = nb.formatted(_table(), currency="RUB")
    assert list(english.columns) == ["spend", "win_rate", "first_touch"]
    assert english.index.name == "campaign_id"
    assert english["spend"].tolist() == ["1,234.50 RUB", "10.00 RUB"]
    assert list(nb.readable(_table()).columns) == ["spend", "Win rate", "first touch"]


def test_canonical_row_labels_and_patterns() -> None:
    table = pd.DataFrame({"figure": ["expected bookings (model)", "paid_search"],
                          "value": [1.0, 2.0]})
    with use("ru"):
        shown = nb.readable(table)
        assert list(shown.index) == ["ожидаемые продажи (модель)", "paid_search"]
        assert shown.index.name == "показатель"
        assert header("ROI at 92 days (95% interval)") == (
            "ROI через 92 дня (95% доверительный интервал)")
        assert header("lead quality at 21 days (95% interval)") == (
            "качество лидов через 21 день (95% доверительный интервал)")
        assert header("verdict in 2025-Q2") == "решение за 2-й квартал 2025\u202fг."
        assert all(header(c) != c or c == "ROI" for c in COLUMNS if c not in (
            "CLV : CAC",))
        assert all(row(r) != r for r in ROWS)
    assert header("verdict in 2025-Q2") == "verdict in 2025-Q2"
    assert row("linear") == "linear"


def test_nb_words_in_russian() -> None:
    with use("ru"):
        assert repr(nb.missing("Этапы", "нет истории этапов.")) == (
            "Этапы: нет данных. Нет истории этапов.")
        assert "<summary>Технические подробности</summary>" in nb.details("x", ["y"])._repr_html_()
    assert "<summary>Technical detail</summary>" in nb.details("x", ["y"])._repr_html_()


def test_the_period_of_a_verdict_header_is_said_in_the_language() -> None:
    from b2bkit.core.i18n import use

    with use("ru"):
        assert header("verdict in 2025-Q2") == "решение за 2-й квартал 2025\u202fг."
        assert header("verdict in someday") == "решение за someday"
    assert header("verdict in 2025-Q2") == "verdict in 2025-Q2"
