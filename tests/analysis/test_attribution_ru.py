"""Who gets the credit, in Russian: whole sentences, Russian numbers, plural forms."""

import numpy as np
import pandas as pd
import pytest

from b2bkit.analysis import attribution
from b2bkit.core.i18n import use

NB = "\u00a0"


def test_sentences_in_russian() -> None:
    ranks = pd.DataFrame({"first_touch": [1.0, 2.0, 3.0], "linear": [1.0, 3.0, 2.0],
                          "markov": [1.0, np.nan, 2.0]},
                         index=pd.Index(["web", "ads", "tv"], name="channel"))
    long = pd.DataFrame({"channel": ["ads", "web"] * 3,
                         "model": ["first_touch"] * 2 + ["last_touch"] * 2 + ["linear"] * 2,
                         "credited_bookings": [100.0, 300.0, 300.0, 100.0, 200.0, 200.0]})
    with use("ru"):
        assert attribution.rank_sentence(ranks, by="channel") == (
            "2 из 3 групп (разрез «канал») меняют место в зависимости от модели: ads (2-е "
            "место → 3-е место, ничего не получает в 1 модели), tv (2-е место → 3-е место); "
            "web сохраняет место во всех моделях.")
        assert attribution.model_sentence(ranks[["first_touch"]].iloc[[0, 1]].assign(
            last_touch=[2.0, 1.0]), by="channel") == (
            "Лидер (разрез «канал») меняется в зависимости от модели: web — в моделях: первое "
            "касание; ads — в моделях: последнее касание.")
        assert attribution.spread_sentence(long, by="channel", currency="RUB") == (
            f"Между двумя самыми несхожими моделями (первое касание и последнее касание) "
            f"50,0{NB}% продаж периода (200,00{NB}₽) переходят к другой группе (разрез "
            f"«канал»); сильнее всего меняется доля ads: от 100,00{NB}₽ в модели «первое "
            f"касание» до 300,00{NB}₽ в модели «последнее касание».")
        assert attribution.chart_title(ranks, "2025-Q4", by="channel") == (
            "web получает наибольшую долю выручки во всех моделях, 4-й квартал 2025\u202fг.")
        example = attribution.worked_example(("linear",))
    assert example["touchpoint"].tolist() == [
        "1. Руководство для покупателя (скачивание)", "2. Вебинар о продукте (создание лида)",
        "3. Повторное письмо (клик в письме)", "4. Выставка (посещение мероприятия)"]
    assert example["date"].tolist()[0] == "01.10.2025"


@pytest.mark.parametrize(("paths", "words"), [
    (1, "1 пути"), (2, "2 путях"), (5, "5 путях"), (11, "11 путях"), (21, "21 пути"),
    (111, "111 путях"), (1234, f"1{NB}234 путях"),
])
def test_markov_plural_forms(paths, words) -> None:
    long = pd.DataFrame({"model": ["markov"]})
    long.attrs.update(paths=paths, won_paths=1)
    with use("ru"):
        text = attribution.markov_sentence(long)
    assert text.startswith(f"Марковская модель учится на {words} (каждый лид периода, "
                           "выигранный или нет), из них с выигранной сделкой заканчиваются: 1;")


@pytest.mark.parametrize(("n", "words"), [
    (1, "1 модели"), (2, "2 моделях"), (5, "5 моделях"), (11, "11 моделях"),
    (21, "21 модели"), (111, "111 моделях"),
])
def test_no_credit_plural_forms(n, words) -> None:
    ranks = pd.DataFrame({f"m{i}": [1.0, np.nan] for i in range(n)}
                         | {"linear": [1.0, 1.0]}, index=pd.Index(["a", "b"], name="channel"))
    with use("ru"):
        text = attribution.rank_sentence(ranks, by="channel")
    assert f"b (1-е место, ничего не получает в {words})" in text
