"""Campaign ROI sentences in Russian: whole sentences, roubles, plural forms."""

import pandas as pd
import pytest

from b2bkit import sample_dataset
from b2bkit.analysis import campaigns
from b2bkit.core.i18n import use
from b2bkit.metrics import prepare

NB = "\u00a0"

TABLE = pd.DataFrame({"channel": ["a", "b", "c"], "spend": [100.0, 100.0, 400.0],
                      "attributed_bookings": [300.0, 300.0, 100.0], "roi": [2.0, 2.0, -0.75]})
BEST = (f"Лучшая отдача: a и b, поровну, ROI 200,0{NB}% (у каждого 300,00{NB}₽ продаж на "
        f"100,00{NB}₽ расходов).")


def test_ranking_sentences_in_russian() -> None:
    with use("ru"):
        text = campaigns.ranking_sentences(TABLE, currency="RUB")
    assert text == (BEST + f" Больше всего потеряно: c, 300,00{NB}₽ (ROI -75,0{NB}%: "
                    f"100,00{NB}₽ продаж на 400,00{NB}₽ расходов). Расходы не окупились: c.")


@pytest.mark.parametrize(("age", "days"), [
    (1, "1 день"), (2, "2 дня"), (5, "5 дней"), (11, "11 дней"), (21, "21 день"),
])
def test_too_young_plural_forms(age, days) -> None:
    with use("ru"):
        text = campaigns.ranking_sentences(TABLE, currency="RUB", age=age, period="2025-Q4")
    assert text == ("Пока " + BEST[0].lower() + BEST[1:] + " Пока рано говорить, какие "
                    f"расходы не окупились: лиды за 4-й квартал 2025\u202fг. прослежены только "
                    f"на {days} (для вывода нужно 30).")


def test_next_steps_and_notes_in_russian() -> None:
    with use("ru"):
        assert campaigns.next_steps(TABLE, "2025-Q4", age=10, currency="RUB") == (
            "Вернитесь к этому отчёту после 30.01.2026, когда для лидов за 4-й квартал "
            "2025\u202fг. пройдёт 30 дней с конца периода; до тех пор низкая отдача может "
            "означать лишь ещё открытые сделки. a пока даёт наибольшую отдачу на единицу "
            "расходов; прежде чем переносить туда бюджет, проверьте в стратегическом обзоре, "
            "что качество лидов держится.")
        assert campaigns.roi_title(TABLE, "2025-Q4") == (
            "a даёт наибольшую отдачу на единицу расходов (лиды за 4-й квартал 2025\u202fг.)")
        assert campaigns.no_spend_note(TABLE.assign(spend=[5.0, 0.0, 0.0], leads=1.0)) == (
            "н/д: для b, c не записаны расходы, поэтому стоимость лида, SQL и клиента и ROI "
            "не рассчитываются.")


def test_basis_sentence_in_russian() -> None:
    with use("ru"):
        text = campaigns.basis_sentence(prepare(sample_dataset()), "2025-Q1", currency="EUR")
    assert (f"потому что 0,00{NB}EUR расходов и 1 лид за 1-й квартал 2025\u202fг. не привязаны "
            "к кампании") in text
    assert "ROI здесь учитывает все продажи лидов периода до 15.03.2025;" in text


def test_unpriced_wins_plural_forms(monkeypatch) -> None:
    view = prepare(sample_dataset())
    forms = {1: "1 выигранная сделка этих лидов не имеет суммы и учитывается",
             2: "2 выигранные сделки этих лидов не имеют суммы и учитываются",
             5: "5 выигранных сделок этих лидов не имеют суммы и учитываются",
             11: "11 выигранных сделок этих лидов не имеют суммы и учитываются",
             21: "21 выигранная сделка этих лидов не имеет суммы и учитывается",
             111: "111 выигранных сделок этих лидов не имеют суммы и учитываются"}
    for n, words in forms.items():
        monkeypatch.setattr(campaigns, "unpriced_wins", lambda view, period, n=n: n)
        with use("ru"):
            text = campaigns.basis_sentence(view, "2025-Q1", currency="EUR")
        assert f" {words} как 0 в атрибутированных продажах." in text
