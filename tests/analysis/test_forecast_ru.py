"""The pipeline forecast's sentences in Russian (issue 24): whole sentences, Russian numbers,
plural forms."""

import pandas as pd
import pytest

from b2bkit.analysis import forecast as fc
from b2bkit.core.i18n import use

NB = "\u00a0"


def _backtest(n: int) -> fc.Backtest:
    table = pd.DataFrame({"actual": [100.0] * n, "abs_pct_error": [0.2] * n,
                          "inside": [True] * n, "team_abs_pct_error": [float("nan")] * n})
    return fc.Backtest(table, pd.DataFrame(), 0.2, 1.0, float("nan"))


def test_trust_sentence_in_russian():
    table = pd.DataFrame({"actual": [100.0, 200.0], "abs_pct_error": [0.1, 0.3],
                          "inside": [True, False], "team_abs_pct_error": [0.2, 0.2]})
    with use("ru"):
        text = fc.trust_sentence(fc.Backtest(table, pd.DataFrame(), 0.2, 0.5, 0.2))
    assert text == (
        f"За последние 2 периода модель ошибалась в сумме продаж в среднем на 20,0{NB}% (MAPE), "
        f"а её интервал 80{NB}% накрыл факт в 1 из 2 (50{NB}%); собственный прогноз команды "
        f"ошибался на 20,0{NB}%: примерно одинаково. Ожидаемую сумму стоит читать с точностью "
        f"примерно ±20{NB}%. 2 периода — слишком мало, чтобы судить об интервале.")


@pytest.mark.parametrize(("n", "start"), [
    (1, "За последний 1 период модель"), (2, "За последние 2 периода модель"),
    (5, "За последние 5 периодов модель"), (11, "За последние 11 периодов модель"),
    (21, "За последний 21 период модель"), (111, "За последние 111 периодов модель")])
def test_trust_sentence_plural(n, start):
    with use("ru"):
        assert fc.trust_sentence(_backtest(n)).startswith(start)


@pytest.mark.parametrize(("n", "words"), [
    (1, "1 период — слишком мало"), (2, "2 периода — слишком мало"),
    (3, "3 периода — слишком мало")])
def test_too_few_periods_plural(n, words):
    with use("ru"):
        assert fc.trust_sentence(_backtest(n)).endswith(f" {words}, чтобы судить об интервале.")


def test_team_sentence_reps_plural():
    result = fc.Backtest(pd.DataFrame(), pd.DataFrame(), 0.1, 1.0, 0.05)
    for n, reps in ((1, "1 менеджера"), (2, "2 менеджеров"), (5, "5 менеджеров"),
                    (11, "11 менеджеров"), (21, "21 менеджера"), (111, "111 менеджеров")):
        scores = pd.DataFrame({"better": ["rep"] * n, "rep_mape": [0.1] * n,
                               "model_mape": [0.2] * n})
        with use("ru"):
            text = fc.team_sentence(result, scores)
        assert text == (
            f"За проверенные периоды собственный прогноз команды ошибался в среднем на 5,0{NB}%, "
            f"модель — на 10,0{NB}%: команда прогнозирует точнее. {n} из {reps} прогнозируют "
            f"свои продажи точнее, чем доля модели для них (медианная ошибка 10,0{NB}% против "
            f"20,0{NB}%).")


def test_basis_and_off_in_russian():
    from types import SimpleNamespace

    with use("ru"):
        assert fc.basis_sentence(SimpleNamespace(basis="stage_history")) == (
            "Этапы и дни на них взяты из датированной истории этапов.")
        assert fc._off(95.1, 100.0) == f"на 4,9{NB}% ниже факта"
    assert fc._off(95.1, 100.0) == "4.9% below the actual"


def test_headline_in_russian():
    from b2bkit import sample_dataset
    from b2bkit.metrics import prepare

    ds = sample_dataset()
    view = prepare(ds, "2025-03-31")
    with use("ru"):
        report = fc.forecast_report(ds, view, "2025-Q2", periods=1, simulations=200)
        figures = fc.headline(report)
        sentence = fc.headline_sentence(report, currency="RUB")
    assert figures["figure"].tolist()[:4] == [
        "ожидаемые продажи (модель)", f"интервал 80{NB}%, нижняя граница",
        f"интервал 80{NB}%, верхняя граница", "  уже продано"]
    assert figures["how"].iloc[0] == "составлен 31.03.2025"
    assert figures["how"].iloc[4] == "1 сделка: сумма × P(выигрыш в периоде)"
    assert sentence.startswith("По состоянию на 31.03.2025 за 2-й квартал 2025\u202fг. ожидаются "
                               "продажи около ")
    assert f"{NB}₽ (интервал 80{NB}%: от " in sentence
