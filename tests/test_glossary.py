"""docs/metrics.md is generated from the docstrings and must be current."""

from pathlib import Path

from b2bkit.glossary import render_glossary
from b2bkit.metrics.catalogue import ORDER

GLOSSARY = Path(__file__).parents[1] / "docs" / "metrics.md"


def test_committed_glossary_is_current() -> None:
    assert GLOSSARY.read_text(encoding="utf-8") == render_glossary(), "run `make docs`"


def test_every_metric_has_a_section_with_a_formula() -> None:
    text = render_glossary()
    for name in ORDER:
        section = text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        assert "$$" in section and "```python" in section, name
