"""The customer report's sentences in Russian (issue 24): whole sentences, Russian numbers,
plural forms."""

import pandas as pd
import pytest

from b2bkit.analysis import customers
from b2bkit.core.i18n import use
from b2bkit.core.periods import Period

NB = "\u00a0"


def _states(s: float, n: float, lost: float, e: float) -> pd.DataFrame:
    values = [s, n, lost, e, (e - n) / s, lost / s]
    return pd.DataFrame({"measure": ["S", "N", "L", "E", "retention", "churn"], "value": values})


def test_states_sentence_in_russian():
    with use("ru"):
        text = customers.states_sentence(_states(200, 10, 4, 206), Period.parse("2025-Q3"))
    assert text == (f"Удержание (E − N)/S — 98,0{NB}%, а 1 − отток — 98,0{NB}%. Ни одного клиента "
                    "не привлекли и не потеряли внутри периода, поэтому оба показателя совпадают.")


@pytest.mark.parametrize(("count", "words"), [
    (1, "1 клиент, которого"), (2, "2 клиента, которых"), (5, "5 клиентов, которых"),
    (11, "11 клиентов, которых"), (21, "21 клиент, которого"), (111, "111 клиентов, которых")])
def test_states_sentence_plural(count, words):
    # s - lost + n - e = count: new customers won and lost inside the period
    with use("ru"):
        text = customers.states_sentence(_states(200, count, 0, 200), Period.parse("2025-Q3"))
    assert (f"Разница — это {words} привлекли и потеряли за 3-й квартал 2025\u202fг.: ") in text


def test_states_sentence_english_unchanged():
    text = customers.states_sentence(_states(200, 1, 0, 200), "2025-Q3")
    assert text.endswith(" The gap is the 1 customers won and lost inside 2025-Q3: they are not "
                         "in L, but E − N counts them against retention.")


def test_predictive_refusal_in_russian():
    from b2bkit import sample_dataset
    from b2bkit.metrics import prepare

    with use("ru"):
        section = customers.predictive_section(prepare(sample_dataset()))
        sentence = customers.refusal_sentence(section)
    assert section.reasons == ("нужны заказы хотя бы 20 клиентов; в данных их 1",)
    assert sentence == ("Прогнозный CLV не показан: клиентов с заказами слишком мало, чтобы "
                        "модель уловила ритм их покупок.")
