"""The strategy review in Russian (issue 24): verdict labels, reasons, plural forms."""

import pandas as pd
import pytest

from b2bkit.analysis import review
from b2bkit.core.i18n import use

NB = "\u00a0"


def test_verdict_labels_in_russian():
    with use("ru"):
        shown = [review.verdict_text(v) for v in review.VERDICTS]
    assert shown[:3] == ["сохранить", "улучшить", "прекратить"]
    assert review.verdict_text("keep") == "keep"  # English: the code itself


def test_classify_reasons_in_russian():
    rules = review.Thresholds(roi_target=0.0, quality_target=0.2)
    evidence = {"leads": 120, "spend": 5000.0, "roi": -0.6, "roi_low": -0.8, "roi_high": -0.3,
                "lead_quality": 0.08, "quality_low": 0.04, "quality_high": 0.15,
                "roi_change": -0.1, "age": 92}
    with use("ru"):
        verdict, reasons = review.classify(evidence, rules)
    assert verdict == "drop"  # the code stays
    assert reasons == (
        "правило 3: отдача явно ниже цели, качество лидов не выше своей цели явно, и ROI не "
        f"вырос на порог тренда. ROI на 92-й день -60,0{NB}% (от -80,0{NB}% до -30,0{NB}%) — "
        f"явно ниже, чем цель 0,0{NB}%, заданная явно; качество лидов на 92-й день 8,0{NB}% "
        f"(от 4,0{NB}% до 15,0{NB}%, 120 лидов) — явно ниже, чем цель 20,0{NB}%, заданная явно; "
        f"ROI изменился на -10,0{NB}п. п. с периода сравнения (меньше +25,0{NB}п. п., которые "
        "считаются улучшением).")


@pytest.mark.parametrize(("n", "word"), [(1, "лид"), (2, "лида"), (5, "лидов"), (11, "лидов"),
                                         (21, "лид"), (111, "лидов")])
def test_data_question_leads_plural(n, word):
    table = pd.DataFrame({"practice": ["events"], "verdict": [review.DATA_QUESTION],
                          "spend": [0.0], "leads": [float(n)], "reasons": ["x"]})
    with use("ru"):
        assert review.data_questions(table, "RUB") == [
            f"events: расходы 0,00{NB}₽, {n} {word} — x."]
