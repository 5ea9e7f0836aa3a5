"""The rep-performance sentences in Russian (issue 24): numbers and plural forms."""

import pandas as pd
import pytest

from b2bkit.analysis import reps
from b2bkit.core.i18n import use

NB = "\u00a0"


@pytest.mark.parametrize(("n", "words"), [
    (1, "Сравнивается 1 менеджер"), (2, "Сравниваются 2 менеджера"),
    (5, "Сравниваются 5 менеджеров"), (11, "Сравниваются 11 менеджеров"),
    (21, "Сравнивается 21 менеджер"), (111, "Сравниваются 111 менеджеров")])
def test_rule_sentence_in_russian(n, words):
    table = pd.DataFrame({"closed_deals": [6.0] * n})
    table.attrs["level"] = 0.975
    with use("ru"):
        last = reps.rule_sentence(5, table).split(". ")[-1]
    assert last == (f"{words} с не менее чем 5 закрытыми сделками одновременно, поэтому "
                    f"каждый интервал строится на уровне 97,5{NB}%, чтобы с вероятностью 95 % "
                    "ни один менеджер не был выделен случайно.")


def test_level_and_listed_in_russian():
    with use("ru"):
        assert reps._level(1 - 0.05 / 11) == f"около 99,55{NB}%"
        assert reps.listed(["R1", "R2"], total=5) == "R1, R2 и ещё 3"
    assert reps._level(1 - 0.05 / 11) == "about 99.55%"  # English as always


@pytest.mark.parametrize(("n", "text"), [
    (1, "(ещё 1 менеджер)"), (2, "(ещё 2 менеджера)"), (5, "(ещё 5 менеджеров)"),
    (11, "(ещё 11 менеджеров)"), (21, "(ещё 21 менеджер)"), (111, "(ещё 111 менеджеров)")])
def test_other_reps_row_in_russian(n, text):
    board = pd.DataFrame({"rep_id": [f"R{i}" for i in range(n + 2)],
                          "bookings": [float(100 - i) for i in range(n + 2)],
                          "won_deals": 1.0, "win_rate": 0.5, "avg_deal_size": 1.0,
                          "sales_cycle_days": 1.0, "quota_attainment": 1.0,
                          "closed_deals": 2.0, "small_sample": True})
    with use("ru"):
        shown = reps.shown_reps(board, n=1)
    assert shown.table.iloc[1]["rep_id"] == text
