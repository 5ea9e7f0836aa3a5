"""The scorecard's headline verdict and next steps in Russian (issue 24)."""

import pandas as pd

from b2bkit.analysis import scorecard
from b2bkit.core.i18n import use
from b2bkit.core.periods import Period

NB = "\u00a0"


def test_verdict_in_russian():
    card = pd.DataFrame({"metric": ["win_rate", "cpl", "nps", "roi"],
                         "status": ["on target", "above target", "no value",
                                    "too early to judge"]})
    with use("ru"):
        text = scorecard.verdict(card, Period.parse("2025-Q1"))
    assert text.startswith("За 1-й квартал 2025\u202fг. в цели 1 из 4 метрик. Цель не "
                           "достигнута: ")
    assert "(нет значения)" in text and "(рано судить)" in text


def test_next_steps_in_russian():
    card = pd.DataFrame({"metric": ["win_rate", "cpl", "nps"], "value": [0.3, 250.0, 10.0],
                         "target": [0.45, 200.0, 20.0],
                         "status": ["below target", "above target", "on target"]})
    with use("ru"):
        text = scorecard.next_steps(card, Period.parse("2025-Q1"))
    assert f"самый большой промах за 1-й квартал 2025\u202fг. (на 33{NB}% ниже цели)" in text
    assert f"(на 25{NB}% выше). Отчёт по этой метрике показывает" in text


def test_status_shown_in_russian_codes_kept():
    card = pd.DataFrame({"metric": ["win_rate"], "unit": ["rate"], "value": [0.3],
                         "previous": [0.2], "change": [0.1], "target": [0.45],
                         "target_source": ["dataset.toml"], "status": ["below target"],
                         "note": [""]})
    with use("ru"):
        shown = scorecard.shown(card)
    assert shown["status"].tolist() == ["▼ ниже цели"]
    assert shown["target"].tolist() == [f"45,0{NB}% из dataset.toml"]
    assert card["status"].tolist() == ["below target"]  # the code the table keeps
