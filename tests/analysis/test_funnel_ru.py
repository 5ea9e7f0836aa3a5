"""The funnel diagnosis in Russian: whole sentences, Russian numbers and plural forms."""

import numpy as np
import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.analysis import funnel
from b2bkit.core.i18n import use
from b2bkit.metrics import prepare

NB = "\u00a0"  # the no-break space of Russian numbers and percents (CLDR: "\u202f" before "г.")


def _table(total: float) -> pd.DataFrame:
    table = pd.DataFrame({"stage": ["lead", "sql", "won"], "leads": [total, 10.0, 5.0],
                          "conversion": [np.nan, 10 / total, 0.5],
                          "low": [np.nan, 0.3, 0.25], "high": [np.nan, 0.7, 0.75],
                          "from_lead": [1.0, 10 / total, 5 / total]})
    table.attrs["left_out"] = []
    return table


def test_bottleneck_sentence_in_russian() -> None:
    table = pd.concat([_table(21.0), pd.DataFrame({"stage": ["mql"], "leads": [np.nan]})],
                      ignore_index=True)
    table.attrs["left_out"] = []
    with use("ru"):
        text = funnel.bottleneck_sentence(table, "2025-Q3", as_of="2025-12-31")
    assert text == (
        f"Из 21 лида, созданного за 3-й квартал 2025\u202fг., 5 (23,8{NB}%) дошли до стадии "
        "«выигранная сделка» по состоянию на 31.12.2025 (MQL — нет в этих данных: шаги "
        "считаются через эту стадию). Наименьшую долю лидов сохраняет шаг «лид → SQL»: "
        f"47,6{NB}% (95-процентный интервал 30,0{NB}%–70,0{NB}%) от дошедших до стадии «лид».")


@pytest.mark.parametrize(("n", "words"), [
    (1, "Из 1 лида, созданного"), (2, "Из 2 лидов, созданных"), (5, "Из 5 лидов, созданных"),
    (11, "Из 11 лидов, созданных"), (21, "Из 21 лида, созданного"),
    (111, "Из 111 лидов, созданных"),
])
def test_bottleneck_plural_forms(n, words) -> None:
    table = _table(float(n)).iloc[:1]
    table.attrs["left_out"] = []
    with use("ru"):
        text = funnel.bottleneck_sentence(table, "2025-07")
    assert text == f"{words} за июль 2025, {n} (100,0{NB}%) дошли до стадии «лид»."


def test_bottleneck_sentence_stays_english() -> None:
    assert funnel.bottleneck_sentence(_table(21.0), "2025-Q3", as_of="2025-12-31") == (
        "Of the 21 leads created in 2025-Q3, 5 (23.8%) reached won as of 2025-12-31. The "
        "step that keeps the smallest share is lead → sql: 47.6% (95% interval 30.0%–70.0%) "
        "of the leads that reached lead.")


def test_other_sentences_in_russian() -> None:
    view = prepare(sample_dataset())
    with use("ru"):
        assert funnel.quality_sentence(view, "2025-Q1") == (
            f"50,0{NB}% лидов, созданных за 1-й квартал 2025\u202fг., дошли до SQL; 66,7{NB}% "
            "лидов с ответами BANT отвечают 3 из 4 критериев.")
        assert funnel.durations_note(view, "2024-Q1") == (
            "за 1-й квартал 2024\u202fг. не завершён ни один шаг.")
        assert funnel.step_changes(view, "2025-Q1") == [
            "Сравнивать когорты за 1-й квартал 2025\u202fг. и за 4-й квартал 2024\u202fг. пока "
            "рано: когорта за 1-й квартал 2025\u202fг. прослежена только на 0 дней (для "
            "сравнения нужно 30)."]
        assert funnel.next_steps(_table(21.0), "2025-Q3", young=False) == (
            "Сначала посмотрите на шаг «лид → SQL»: он сохраняет наименьшую долю лидов; "
            "разбивка по каналам и сегментам выше показывает, какие группы теряют на нём "
            "больше всего.")
        assert [funnel.stage_label(s) for s in funnel.COHORT_STAGES] == [
            "лид", "MQL", "SQL", "сделка", "выигранная сделка"]
