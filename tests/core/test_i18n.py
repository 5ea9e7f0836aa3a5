"""b2bkit.core.i18n: the language of the reports, its plural forms and its formats (issue 24).

The Russian figures are CLDR's (Babel): a no-break space groups thousands and
stands before ``%`` and ``₽``; a comma is the decimal mark.
"""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from b2bkit.core import i18n
from b2bkit.core.formatting import format_change, format_value
from b2bkit.core.i18n import (
    current,
    date_text,
    day_count,
    language,
    money,
    ngettext,
    number,
    percent,
    period_text,
    points,
    set_language,
    use,
)
from b2bkit.core.periods import Period

NB, NNB = "\u00a0", "\u202f"


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")


def test_english_is_the_default_and_writes_what_the_reports_always_wrote():
    assert current().code == "en"
    assert money(1234.5, "EUR") == "1,234.50 EUR"
    assert percent(0.253) == "25.3%"
    assert points(0.035) == "+3.5 pp" and points(0.0) == "±0.0 pp"
    assert number(1234567.891, 2) == "1,234,567.89"
    assert day_count(12.5) == "12.5 days"
    assert period_text(Period.parse("2025-Q3")) == "2025-Q3"
    assert date_text("2025-07-31") == "2025-07-31"


@pytest.mark.parametrize(("n", "text"), [(1, "1 день"), (2, "2 дня"), (5, "5 дней"),
                                         (11, "11 дней"), (21, "21 день"),
                                         (111, "111 дней"), (22, "22 дня"), (14, "14 дней")])
def test_russian_plural_forms(n, text):
    with use("ru"):
        assert day_count(n, 0) == text


def test_a_fraction_of_days_takes_the_genitive_singular():
    with use("ru"):
        assert day_count(12.5) == "12,5 дня"
        assert day_count(1.0) == "1,0 дня"  # a decimal is a fraction, whatever its value


def test_russian_numbers_money_percents():
    with use("ru"):
        assert number(1234567.891, 2) == f"1{NB}234{NB}567,89"
        assert money(19911001.5, "RUB") == f"19{NB}911{NB}001,50{NB}₽"
        assert money(1234.5, "USD") == f"1{NB}234,50{NB}USD"  # the code, never "$"
        assert percent(0.253) == f"25,3{NB}%"
        assert percent(32.796) == f"3{NB}279,6{NB}%"  # grouped, as CLDR's percent pattern
        assert points(-0.1234) == f"-12,3{NB}п. п."
        assert points(-25.025) == f"-2{NB}502,5{NB}п. п."
        assert format_value(float("nan"), "rate") == "н/д"
        assert format_value(2.5, "ratio") == "2,50"
        assert format_value(100.0, "currency_per_day", "RUB") == f"100,00{NB}₽/день"
        assert format_change(-1500, "currency", "EUR") == f"-1{NB}500,00{NB}EUR"


def test_russian_dates_and_periods():
    with use("ru"):
        assert date_text("2025-07-31") == "31.07.2025"
        assert date_text(pd.Timestamp("2025-07-31 13:00"), long=True) == f"31 июля 2025{NNB}г."
        assert period_text(Period.parse("2025-Q3")) == f"3-й квартал 2025{NNB}г."
        assert period_text(Period.parse("2025-07")) == "июль 2025"
        assert period_text(Period.parse("2025")) == f"2025{NNB}г."
        assert period_text(Period.parse("2025-W31")) == "28.07–03.08.2025 (неделя 31)"
        assert period_text(Period.parse("2024-12-30..2025-01-05")) == "30.12.2024–05.01.2025"


def test_use_is_local_to_its_thread():
    seen = {}

    def other():
        seen["other"] = current().code

    with use("ru"):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert current().code == "ru"
    assert seen["other"] == "en" and current().code == "en"


def test_set_language_holds_for_the_process_and_use_overrides_it():
    set_language("ru")
    assert ngettext("{n} day", "{n} days", 21).format(n=21) == "21 день"
    with use("en"):
        assert day_count(21, 0) == "21 days"
    assert current().code == "ru"


def test_an_unknown_language_is_refused_naming_the_languages():
    with pytest.raises(ValueError, match="en, ru"):
        language("de")


def test_the_catalogue_ships_beside_the_package():
    assert (i18n.LOCALE_DIR / "ru" / "LC_MESSAGES" / "b2bkit.mo").is_file()
