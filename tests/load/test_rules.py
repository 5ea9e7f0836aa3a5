"""The rule texts of a load in a report's language (b2bkit.load.rules).

The loader writes each rule from one template; :func:`rule_text` finds the
template back in the English text and writes it in the current language,
with the same values. English is unchanged, for the command line as for
the reports.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

from b2bkit.analysis.quality import quality_lines, statement
from b2bkit.core.i18n import _, number, use
from b2bkit.load.dataset import from_frames, load_dataset
from b2bkit.load.rules import TEMPLATES, reason_text, rule_text

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"

#: Sample values of the placeholders (data values, codes, column names, a count).
SAMPLES = {"count": "1234", "names": "'Webinar', 'webinar'", "value": "'Negotiation'",
           "canonical": "'open'", "values": "won", "last": "lost", "date_format": "%d.%m.%Y",
           "example": "31.07.2025", "formats": "%d.%m.%Y, %Y-%m-%d", "shown": "'Deal Type'",
           "name": "'amount'", "earliest": "1900-01-01", "latest": "2199-12-31",
           "line": "3", "words": "true, false"}


def _fields(template: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


def _sample(template: str) -> dict[str, str]:
    return {f: SAMPLES.get(f, f"x_{f}") for f in _fields(template)}


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_is_unchanged_in_english(template: str) -> None:
    text = template.format(**_sample(template))
    assert rule_text(text) == text
    assert reason_text(f"amount: {text}") == f"amount: {text}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_is_found_back_and_translated_with_its_values(template: str) -> None:
    values = _sample(template)
    text = template.format(**values)
    with use("ru"):
        russian = _(template)
        if "count" in values:
            values["count"] = number(int(values["count"]))
        assert russian != template, "no Russian translation"
        assert sorted(set(_fields(russian))) == sorted(set(_fields(template)))
        assert rule_text(text) == russian.format(**values)


def test_the_templates_are_distinct() -> None:
    assert len(set(TEMPLATES)) == len(TEMPLATES)


def test_a_text_no_template_makes_is_shown_as_it_is() -> None:
    with use("ru"):
        assert rule_text("greater_than_or_equal_to(0)") == "greater_than_or_equal_to(0)"


def test_a_count_in_a_rule_is_written_in_russian_format() -> None:
    text = ("read under the declared date_format %m/%d/%Y, but 1234 other cell(s) of the "
            "column read only with day and month swapped (e.g. '25/07/2025'): the format is "
            "wrong for this column, so none of its dates is trusted")
    with use("ru"):
        shown = rule_text(text)
    assert "(1\u00a0234)" in shown and "'25/07/2025'" in shown and "%m/%d/%Y" in shown


def test_several_reasons_of_a_row_set_aside() -> None:
    reason = ("amount: must be >= 0; lead_id: contains an invisible character (zero-width, NUL "
              "or another control character; shown escaped, e.g. \\u200b)")
    with use("ru"):
        shown = reason_text(reason)
    assert shown == ("amount: должно быть не меньше 0; lead_id: содержит невидимый символ "
                     "(нулевой ширины, NUL или другой управляющий символ; показан "
                     "экранированным, например \\u200b)")


def _duplicated() -> pd.DataFrame:
    return pd.DataFrame({"date": ["2025-01-01", "2025-01-01"], "channel": ["ads", "ads"],
                         "amount": [5, 5]})


def test_a_duplicate_row_reads_fully_russian() -> None:
    ds = from_frames({"spend": _duplicated()})
    with use("ru"):
        line = quality_lines(ds)[0]
    assert line.endswith("точный дубликат более ранней строки"), line
    # nothing English left but the table's name and the currency code
    assert set(re.findall(r"[A-Za-z]+", line)) <= {"spend", "USD"}, line
    assert quality_lines(ds)[0] == ("spend: 1 row worth 5.00 USD kept with a warning: exact "
                                    "duplicate of an earlier row")


def test_the_broken_corpus_reads_russian_rule_by_rule() -> None:
    """Every rule of every broken case that loads leniently has its template."""
    seen = 0
    for case in sorted(p for p in BROKEN.iterdir() if p.is_dir()):
        try:
            ds = load_dataset(case, lenient=True, cache=False)
        except Exception:  # a case that does not load even leniently: nothing to show
            continue
        with use("ru"):
            for rule in ds.quality["rule"]:
                assert rule_text(rule) != rule, (case.name, rule)
                seen += 1
            lines = statement(ds)
        english = statement(ds)
        assert len(lines) == len(english)
    assert seen > 20
