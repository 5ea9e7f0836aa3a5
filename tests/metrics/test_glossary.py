"""docs/metrics.md is generated from the docstrings and must be current."""

from pathlib import Path

from b2bkit.metrics.catalogue import ORDER
from b2bkit.metrics.glossary import render_glossary

GLOSSARY = Path(__file__).parents[2] / "docs" / "metrics.md"


def test_committed_glossary_is_current() -> None:
    assert GLOSSARY.read_text(encoding="utf-8") == render_glossary(), "run `make docs`"


def test_every_metric_has_a_section_with_a_formula() -> None:
    text = render_glossary()
    for name in ORDER:
        section = text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        assert "$$" in section and "```python" in section, name


def test_every_metric_has_a_human_label() -> None:
    from b2bkit.metrics import CATALOGUE
    from b2bkit.metrics.glossary import LABELS, label, labelled

    assert sorted(LABELS) == sorted(CATALOGUE)
    assert all("_" not in text for text in LABELS.values())
    assert len(set(LABELS.values())) == len(LABELS)   # no two metrics read alike
    assert label("mql_to_sql_rate") == "MQL → SQL conversion"
    assert label("lead_quality@45") == "Lead quality (share reaching SQL) at 45 days"
    assert label("quota_attainment") == "Quota attainment"
    assert label("spend_share") == "spend share"
    import pandas as pd

    table = labelled(pd.DataFrame({"win_rate": [0.5], "cpl": [2.0]}))
    assert list(table.columns) == ["Win rate", "Cost per lead"]
    rows = labelled(pd.DataFrame({"value": [1.0, 2.0]}, index=["roi@90", "paid_search"]),
                    index=True)
    assert list(rows.index) == ["Marketing ROI at 90 days", "paid_search"]   # data untouched


GLOSSARY_RU = GLOSSARY.with_name("metrics.ru.md")


def test_committed_russian_glossary_is_current() -> None:
    assert GLOSSARY_RU.read_text(encoding="utf-8") == render_glossary("ru"), "run `make docs`"


def test_russian_glossary_has_the_seed_terms_and_every_formula() -> None:
    text = render_glossary("ru")
    for term in ("лид", "MQL", "SQL", "конверсия", "воронка продаж", "цикл сделки",
                 "средний чек", "отток", "удержание", "CAC", "CLV", "NPS", "ROI",
                 "скорость воронки"):
        assert f"| {term} |" in text, term
    english = render_glossary()
    for name in ORDER:
        section = text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        assert "$$" in section and "```python" in section, name
        source = english.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        first = source.split("$$\n", 2)[1]  # the first formula, exactly as in English
        assert first in section, name
    assert "Доля выигранных сделок" in text and "Win rate" not in text


def test_metric_labels_in_russian() -> None:
    from b2bkit.core.i18n import use
    from b2bkit.metrics.glossary import label

    with use("ru"):
        assert label("win_rate") == "Доля выигранных сделок"
        assert [label(f"roi@{d}") for d in (1, 2, 5, 11, 21, 111)] == [
            "ROI маркетинга через 1 день", "ROI маркетинга через 2 дня",
            "ROI маркетинга через 5 дней", "ROI маркетинга через 11 дней",
            "ROI маркетинга через 21 день", "ROI маркетинга через 111 дней"]
        assert label("won_in_period") == "won in period"  # not a metric: as it is
    assert label("roi@1") == "Marketing ROI at 1 days"
