"""The language of what a report shows: gettext catalogues and locale formats.

Every sentence, label, heading, note and chart text a report shows goes
through this module, so that a report can be read in English (the source
language, as written in the code) or Russian (``b2bkit/locale/ru``):

- ``_(message)`` translates a message; ``ngettext(singular, plural, n)`` picks
  the plural form of a count (1 лид, 2 лида, 5 лидов, 21 лид) and
  ``pgettext(context, message)`` a short word that has several meanings
  (``pgettext("verdict", "keep")``). ``N_(message)`` only marks a message
  for the catalogue (a constant defined at import, translated where used).
  Messages use named ``{placeholders}`` filled with ``str.format`` after the
  translation, so a translator can reorder them.
- The language is a :class:`Language` (a class-based
  ``gettext.translation`` and a Babel locale), never a global
  ``gettext.install``. :func:`set_language` chooses it for a whole report
  kernel, :func:`use` for a block of code (the index page of ``b2bkit
  report``); English is the default.
- :func:`number`, :func:`money`, :func:`percent`, :func:`points`,
  :func:`day_count`, :func:`date_text` and :func:`period_text` write values
  in the language's format (CLDR data through Babel: ``1 234 567,89`` with
  no-break spaces, ``1 234,50 ₽``, ``25,3 %``, ``31.07.2025``). In English
  they write exactly what the reports always wrote (``1,234.50 EUR``,
  ``25.3%``), so the English reports do not change.

Error messages of the command line are not translated: they stay English.

>>> with use("ru"):
...     [day_count(n, 0) for n in (1, 2, 5, 11, 21, 111)]
['1 день', '2 дня', '5 дней', '11 дней', '21 день', '111 дней']
>>> with use("ru"):
...     money(19911001.5, "RUB"), percent(0.253), points(0.035), day_count(12.5)
('19\xa0911\xa0001,50\xa0₽', '25,3\xa0%', '+3,5\xa0п. п.', '12,5 дня')
>>> money(1234.5, "EUR"), percent(0.253), points(-0.1234)
('1,234.50 EUR', '25.3%', '-12.3 pp')
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import math
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Language",
    "_",
    "current",
    "date_text",
    "day_count",
    "language",
    "missing",
    "money",
    "ngettext",
    "number",
    "percent",
    "period_text",
    "pgettext",
    "plain",
    "points",
    "set_language",
    "use",
]

#: The gettext domain of b2bkit's catalogue (``locale/<code>/LC_MESSAGES/b2bkit.mo``).
DOMAIN = "b2bkit"
#: Where the catalogues live (shipped in the wheel).
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
#: The languages a report can be written in; the first is the source language.
LANGUAGES = ("en", "ru")

_NBSP = "\u00a0"
_NNBSP = "\u202f"  # CLDR's narrow no-break space before "г." in Russian dates


@dataclass(frozen=True)
class Language:
    """A language of the reports: its code, its translations and its formats.

    Attributes
    ----------
    code : str
        ``en`` or ``ru`` (:data:`LANGUAGES`).
    translations : gettext.NullTranslations
        The catalogue (``NullTranslations`` for English: the messages as written).
    """

    code: str
    translations: gettext.NullTranslations

    @property
    def english(self) -> bool:
        """True for the source language (formats as the reports always wrote them)."""
        return self.code == "en"


@cache
def language(code: str) -> Language:
    """The :class:`Language` of ``code`` (``en`` or ``ru``), its catalogue read once.

    Raises ``ValueError`` naming the languages there are when ``code`` is not one.
    """
    code = (code or "en").strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"language {code!r}: b2bkit writes reports in "
                         f"{', '.join(LANGUAGES)}")
    if code == "en":
        return Language("en", gettext.NullTranslations())
    return Language(code, gettext.translation(DOMAIN, LOCALE_DIR, [code]))


_DEFAULT: list[Language] = []  # set_language's choice for this process (a report kernel)
_OVERRIDE: ContextVar[Language | None] = ContextVar("b2bkit_language", default=None)


def current() -> Language:
    """The language in use: that of :func:`use`, else of :func:`set_language`, else English."""
    chosen = _OVERRIDE.get()
    if chosen is not None:
        return chosen
    return _DEFAULT[-1] if _DEFAULT else language("en")


def set_language(code: str) -> Language:
    """Write everything from now on in ``code`` (a report notebook's first cell)."""
    chosen = language(code)
    _DEFAULT[:] = [chosen]
    return chosen


@contextlib.contextmanager
def use(code: str) -> Iterator[Language]:
    """Write in ``code`` inside the ``with`` block only (thread- and task-safe)."""
    token = _OVERRIDE.set(language(code))
    try:
        yield _OVERRIDE.get()
    finally:
        _OVERRIDE.reset(token)


# -- messages ---------------------------------------------------------------

def _(message: str) -> str:
    """``message`` in the current language."""
    return current().translations.gettext(message)


def missing() -> str:
    """The text of a missing value: ``n/a``; ``н/д``."""
    return _("n/a")


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue and return it as it is (translate it where used)."""
    return message


def NC_(context: str, message: str) -> str:
    """Mark ``message`` for the catalogue under ``context``, returned as it is
    (translated where used with ``pgettext(context, message)``)."""
    return message


def ngettext(singular: str, plural: str, n: float) -> str:
    """The form of a message for the count ``n`` (its plural rule: 1 лид, 2 лида, 5 лидов)."""
    return current().translations.ngettext(singular, plural, int(abs(n)))


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context`` (a short word)."""
    return current().translations.pgettext(context, message)


# -- formats ----------------------------------------------------------------

def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _babel(value: float, digits: int, grouped: bool = True) -> str:
    """``value`` rounded to ``digits`` decimals in the current locale (CLDR, Babel)."""
    from babel.numbers import format_decimal

    pattern = ("#,##0" if grouped else "0") + ("." + "0" * digits if digits else "")
    return format_decimal(round(float(value), digits), pattern, locale=current().code)


def number(value: float | None, digits: int = 0) -> str:
    """A number with grouped thousands and ``digits`` decimals (``1,234.5``; ``1 234,5``)."""
    if _missing(value):
        return missing()
    if current().english:
        return f"{value:,.{digits}f}"
    return _babel(value, digits)


def plain(value: float | None, digits: int = 1) -> str:
    """A number without grouping, ``digits`` decimals (a ratio, a score: ``2.50``; ``2,50``)."""
    if _missing(value):
        return missing()
    if current().english:
        return f"{value:.{digits}f}"
    return _babel(value, digits, grouped=False)


def money(value: float | None, currency: str = "", digits: int = 2) -> str:
    """An amount with its currency: ``1,234.50 EUR``; in Russian ``1 234,50 ₽`` for
    roubles and the code for every other currency (``1 234,50 USD``: never an
    ambiguous ``$``). Without a currency, the number alone."""
    if _missing(value):
        return missing()
    text = number(value, digits)
    if not currency:
        return text
    if current().english:
        return f"{text} {currency}"
    sign = "₽" if currency.upper() in ("RUB", "RUR") else currency
    return f"{text}{_NBSP}{sign}"


def percent(rate: float | None, digits: int = 1) -> str:
    """A rate as a percent: ``25.3%``; in Russian ``25,3 %`` (CLDR: a no-break space)."""
    if _missing(rate):
        return missing()
    if current().english:
        return f"{100 * rate:.{digits}f}%"
    return _babel(100 * float(rate), digits) + _NBSP + "%"


def points(change: float | None, digits: int = 1) -> str:
    """A change of a rate in percentage points, signed: ``+3.5 pp``; ``+3,5 п. п.``."""
    if _missing(change):
        return missing()
    value = round(100 * float(change), digits)
    unit = pgettext("unit", "pp")
    if current().english:
        body = f"{abs(value):.{digits}f}"
    else:
        body = _babel(abs(value), digits)
    sign = "±" if value == 0 else ("+" if value > 0 else "-")
    return f"{sign}{body}{_NBSP if not current().english else ' '}{unit}"


def day_count(value: float | None, digits: int = 1) -> str:
    """A number of days with its word: ``12.5 days``; ``12,5 дня``, ``1 день``, ``5 дней``.

    With decimals the form is that of a fraction (CLDR's "other": ``дня``);
    with ``digits=0`` the plural rule of the whole number.
    """
    if _missing(value):
        return missing()
    text = number(value, digits)
    if digits:
        return pgettext("fraction", "{n} days").format(n=text)
    return ngettext("{n} day", "{n} days", round(float(value))).format(n=text)


_LONG = {"en": "%B %-d, %Y"}


def date_text(day: object, long: bool = False) -> str:
    """A calendar day: ``2025-07-31`` (``long``: ``July 31, 2025``); in Russian
    ``31.07.2025`` (``31 июля 2025 г.``)."""
    if _missing(day) or day is pd.NaT:
        return missing()
    stamp = pd.Timestamp(day)
    if current().english:
        return f"{stamp:%B} {stamp.day}, {stamp.year}" if long else f"{stamp:%Y-%m-%d}"
    from babel.dates import format_date

    return format_date(stamp.date(), "long" if long else "dd.MM.y", locale=current().code)


def _short_span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start.year == end.year:
        return f"{start:%d.%m}–{end:%d.%m.%Y}"
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


def period_text(period: object) -> str:
    """A reporting period as a reader says it.

    English keeps the canonical text (``2025-Q3``, ``2025-07``, ``2025-W31``).
    Russian writes ``3-й квартал 2025 г.``, ``июль 2025``, ``2025 г.``, and a
    week or a range as its days (``28.07–03.08.2025``), so that the text reads
    right after ``за`` ("for") in any sentence.
    """
    label = str(period)
    if current().english or not hasattr(period, "kind"):
        return label
    start, end, kind = period.start, period.end, period.kind
    if kind == "year":
        return f"{start.year}{_NNBSP}г."
    if kind == "quarter":
        return f"{(start.month - 1) // 3 + 1}-й квартал {start.year}{_NNBSP}г."
    if kind == "month":
        from babel.dates import format_date

        return format_date(dt.date(start.year, start.month, 1), "LLLL y",
                           locale=current().code)
    if kind == "week":
        week = pgettext("period", "week {number}").format(number=start.isocalendar()[1])
        return f"{_short_span(start, end)} ({week})"
    return _short_span(start, end)
