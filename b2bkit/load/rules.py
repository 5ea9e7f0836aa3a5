"""The rules of a load in the language of a report.

A rule text travels in English: the loader writes it (an :class:`~b2bkit.load.validate.Issue`,
a file not read) from one module-level template marked for the catalogue
(``DUPLICATE = N_("exact duplicate of an earlier row")``, ``BEFORE = N_("must not be
before {earlier}")``), the quality frame keeps it, and the command line prints it as it is.
A report shows it through :func:`rule_text`: the template whose pattern matches the whole
text is found, translated and filled with the same values (column names, codes and values
of the data are never translated; a count is written in the language's format).

>>> rule_text("must not be before created_at")
'must not be before created_at'
>>> from b2bkit.core.i18n import use
>>> with use("ru"):
...     rule_text("exact duplicate of an earlier row")
'точный дубликат более ранней строки'
"""

from __future__ import annotations

import re
from functools import cache

from b2bkit.core.i18n import _, current, number
from b2bkit.load import column_map, currency, loading, parsing, quality, summary, validate, warn

__all__ = ["TEMPLATES", "reason_text", "rule_text"]

#: Every rule template of the loader, from its own module (its single home).
TEMPLATES: tuple[str, ...] = (validate.RULES + warn.RULES + currency.RULES + parsing.RULES
                              + loading.RULES + column_map.RULES + summary.RULES + quality.RULES)

#: Placeholders that hold a count: written with :func:`~b2bkit.core.i18n.number`.
_COUNTS = frozenset({"count"})

_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """The template as a regular expression: each placeholder a non-greedy named group (a
    placeholder used twice must hold the same text both times)."""
    parts, seen, end = [], set(), 0
    for field in _FIELD.finditer(template):
        parts.append(re.escape(template[end:field.start()]))
        name = field.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        end = field.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts), re.DOTALL)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The templates with their patterns, most specific first (the most fixed text)."""
    def fixed(template: str) -> int:
        return len(_FIELD.sub("", template))

    ordered = sorted(dict.fromkeys(TEMPLATES), key=lambda t: (-fixed(t), t))
    return tuple((t, _pattern(t)) for t in ordered)


def rule_text(english: str) -> str:
    """A rule text of the loader in the current language (as it is in English, or when no
    template matches it).

    >>> rule_text("required when status is won or lost")
    'required when status is won or lost'
    """
    if current().english or not isinstance(english, str):
        return english
    for template, pattern in _patterns():
        found = pattern.fullmatch(english)
        if found is None:
            continue
        values = found.groupdict()
        for name in _COUNTS & values.keys():
            if values[name].isdigit():
                values[name] = number(int(values[name]))
        return _(template).format(**values)
    return english


#: Where one reason of a row set aside ends and the next begins ("; " before "column: ").
_NEXT_REASON = re.compile(r"; (?=[a-z_][a-z0-9_, ]*: )")
_REASON = re.compile(r"(?P<column>[a-z_][a-z0-9_, ]*): (?P<rule>.*)", re.DOTALL)


def reason_text(reason: str) -> str:
    """The reasons of a row set aside (``"amount: must be >= 0; date: not a date..."``, as
    :attr:`b2bkit.view.view.View.aside` holds them) in the current language: each rule by
    :func:`rule_text`, the column names as they are.

    >>> from b2bkit.core.i18n import use
    >>> with use("ru"):
    ...     reason_text("amount: must be >= 0")
    'amount: должно быть не меньше 0'
    """
    if current().english or not isinstance(reason, str):
        return reason
    whole = rule_text(reason)
    if whole != reason:
        return whole
    parts = []
    for part in _NEXT_REASON.split(reason):
        found = _REASON.fullmatch(part)
        parts.append(f"{found['column']}: {rule_text(found['rule'])}" if found
                     else rule_text(part))
    return "; ".join(parts)
