"""Where a target comes from, in Russian (issue 24): the plural of the periods."""

import pytest

from b2bkit.analysis import targets
from b2bkit.core.i18n import use
from b2bkit.core.periods import Period


@pytest.mark.parametrize(("n", "text"), [
    (1, "собственная медиана за последний квартал"),
    (2, "собственная медиана за последние 2 квартала"),
    (5, "собственная медиана за последние 5 кварталов"),
    (11, "собственная медиана за последние 11 кварталов"),
    (21, "собственная медиана за последний 21 квартал"),
    (111, "собственная медиана за последние 111 кварталов")])
def test_own_median_in_russian(n, text):
    with use("ru"):
        assert targets._own_median(Period.parse("2025-Q3"), n) == text


def test_target_text_in_russian_and_english():
    with use("ru"):
        assert targets.Target(0.45, "dataset.toml").text("rate") == \
            "цель 45,0\u00a0% из dataset.toml"
    assert targets._own_median(Period.parse("2025-07"), 3) == "own median of the last 3 months"
    assert targets._own_median(Period.parse("2025-07"), 1) == "own median of the last month"
