"""The data-quality lines and headline notes in Russian: exact text, plural forms."""

import pandas as pd
import pytest

from b2bkit.analysis.quality import CLEAN, as_of_lines, figure_note, headline_notes, quality_lines
from b2bkit.core.i18n import use
from b2bkit.load.dataset import from_frames
from b2bkit.metrics import prepare

NBSP = "\u00a0"


def _spend(dates: list[str]) -> object:
    return from_frames({"spend": pd.DataFrame({"date": dates, "channel": "ads", "amount": 5})})


@pytest.mark.parametrize(("n", "words"), [
    (1, "1 строка с датой после даты среза 31.01.2025 не учтена"),
    (2, "2 строки с датой после даты среза 31.01.2025 не учтены"),
    (5, "5 строк с датой после даты среза 31.01.2025 не учтено"),
    (11, "11 строк с датой после даты среза 31.01.2025 не учтено"),
    (21, "21 строка с датой после даты среза 31.01.2025 не учтена"),
    (111, "111 строк с датой после даты среза 31.01.2025 не учтено"),
])
def test_rows_after_as_of_in_russian(n: int, words: str) -> None:
    ds = _spend(["2025-01-01"] + [f"2025-03-{1 + i % 28:02d}" for i in range(n)])
    with use("ru"):
        assert as_of_lines(prepare(ds, "2025-01-31")) == [f"spend: {words}"]
    assert as_of_lines(prepare(ds, "2025-01-31")) == [
        f"spend: {n} row{'' if n == 1 else 's'} dated after as_of 2025-01-31 not counted"]


@pytest.mark.parametrize(("n", "count"), [
    (1, "1 строка"), (2, "2 строки"), (5, "5 строк"), (11, "11 строк"), (21, "21 строка"),
    (111, "111 строк")])
def test_rows_kept_with_a_warning_in_russian(n: int, count: str) -> None:
    ds = _spend(["2025-01-01"] * (n + 1))
    with use("ru"):
        lines = quality_lines(ds)
    assert lines[0] == (f"spend, оставлено с предупреждением: {count} на сумму "
                        f"{5 * n},00{NBSP}USD — точный дубликат более ранней строки")
    assert lines[1] == f"прочитано строк: {n + 1} = загружено {n + 1} + отложено 0"


def test_clean_dataset_in_russian_and_english() -> None:
    ds = _spend(["2025-01-01"])
    with use("ru"):
        assert quality_lines(ds) == ["Ни одна строка не отложена, предупреждений нет."]
    assert quality_lines(ds) == [CLEAN]


def test_headline_note_in_russian() -> None:
    ds = from_frames({"opportunities": pd.DataFrame({
        "opportunity_id": ["D1", "D2", "D3"], "created_at": ["2025-01-02"] * 3,
        "status": ["won", "won", "won"], "amount": [100, None, -5],
        "account_id": ["A1", "A1", "A1"],
        "closed_at": ["2025-02-01", "2025-02-02", "2025-02-01"]})}, lenient=True)
    with use("ru"):
        notes = headline_notes(prepare(ds), "2025-Q1")
    assert notes == [
        f"За 1-й квартал 2025\u202fг.: 2 выигранные сделки на сумму 100,00{NBSP}USD; "
        "у 1 из них нет суммы, в продажах она считается как 0; "
        f"отложено: 1 выигранная сделка на сумму -5,00{NBSP}USD; "
        "причины: amount: должно быть не меньше 0 (1)"]


def test_spend_note_in_russian() -> None:
    spend = pd.DataFrame({"date": ["2025-01-05"] * 3, "channel": ["ads", "ads", "web"],
                          "amount": [50, 50, 900]})
    with use("ru"):
        note = figure_note(prepare(from_frames({"spend": spend})), "2025-Q1", "marketing_spend")
    assert note == (f"Расходы на маркетинг за 1-й квартал 2025\u202fг.: 1{NBSP}000,00{NBSP}USD "
                    "(3 строки расходов); оставлено с предупреждением: 1 из них на сумму "
                    f"50,00{NBSP}USD — точный дубликат более ранней строки")


@pytest.mark.parametrize(("n", "text"), [
    (1, "1 лид"), (2, "2 лида"), (5, "5 лидов"), (11, "11 лидов"), (21, "21 лид"),
    (111, "111 лидов")])
def test_counts_of_rows_by_their_noun(n: int, text: str) -> None:
    from b2bkit.analysis.quality import _count, _plural

    with use("ru"):
        assert _count("leads", n) == text == _plural("leads", n)
        assert _count("opportunities", n).split(" ", 1)[1] == {
            "1 лид": "сделка", "2 лида": "сделки"}.get(text, "сделка" if n == 21 else "сделок")
