"""Each preset end to end through a rendered report (issue 11, "Done when").

`b2bkit report --data DIR --map PRESET --period P` renders from the
real-shaped exports with exit 0; the report opens with the data-quality
section (the same sentences as `b2bkit validate`), and names from the data
are decoded right (latin-1 Spanish, cp1251 Russian). The order-line export
without aggregation says, in the report, how many rows and how much revenue
lenient mode set aside.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from b2bkit.cli import main
from b2bkit.reports.render import NOTEBOOKS
from tests.load.test_presets import EXPORTS

pytestmark = pytest.mark.render

REP = NOTEBOOKS / "rep_performance.ipynb"
SCORECARD = NOTEBOOKS / "kpi_scorecard.ipynb"


def _data_quality(page: str) -> list[str]:
    """The lines of the report's data-quality section, as a reader sees them."""
    section = re.search(r"<strong>Data quality</strong><ul>(.*?)</ul>", page, flags=re.S)
    assert section, "the report has no data-quality section"
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", section.group(1))]


def _render(tmp_path: Path, notebook: Path, *args: str) -> str:
    out = tmp_path / "reports"
    code = main(["report", str(notebook), *args, "--out", str(out), "--jobs", "1"])
    assert code == 0
    [page] = out.glob(f"*/{notebook.stem}.html")
    return page.read_text(encoding="utf-8")


CASES = [  # folder, preset, period, data-quality lines, words that must be decoded right
    ("salesforce_data_export", "salesforce", "2025-Q3", [
        "leads: 3 leads kept with a warning: created_at: created after its won deal closed "
        "(kept; the sales cycle counts as 0 days)",
        "opportunities: 8 deals worth 306,188.73 USD kept with a warning: closed_at before "
        "created_at (kept; a negative duration counts as 0 days)",
        "stage_history: 22 stage rows kept with a warning: stage: repeats a stage of the "
        "opportunity (the earliest entered_at counts)",
        "rows read 297 = loaded 297 + set aside 0",
        "Contact.csv: not read (not a table file of the dataset or of its column map)"],
     ["José", "Muñoz", "Gutiérrez"]),
    ("hubspot_export", "hubspot", "2025-Q4", [
        "opportunities: 2 deals kept with a warning: status: '27346102' taken by \"*\" as "
        "'open'",
        "rows read 75 = loaded 75 + set aside 0"], ["Laura Smith"]),
    ("amocrm_export", "amocrm", "2025", [
        "No rows were set aside and nothing was warned about."], ["Ромашка"]),
]


@pytest.mark.parametrize(("folder", "preset", "period", "quality", "words"), CASES,
                         ids=[c[1] for c in CASES])
def test_a_preset_renders_a_report_with_its_data_quality(tmp_path, folder, preset, period,
                                                          quality, words) -> None:
    page = _render(tmp_path, REP, "--data", str(EXPORTS / folder), "--map", preset,
                   "--period", period)
    assert _data_quality(page) == quality
    for word in words:
        assert word in page
    assert "Diseńo" not in page and "Ð" not in page  # no mis-decoded text


def test_order_lines_set_aside_are_stated_in_the_report(tmp_path) -> None:
    folder = EXPORTS / "order_lines"
    page = _render(tmp_path, SCORECARD, "--data", str(folder), "--map",
                   str(folder / "lines.toml"), "--lenient", "--period", "2025")
    assert _data_quality(page) == [
        "orders: 38 orders worth 44,462.00 USD set aside: order_id: duplicate key (order_id): "
        "an earlier row has the same value",
        "rows read 68 = loaded 30 + set aside 38"]


def test_order_lines_aggregated_by_the_map_say_so(tmp_path) -> None:
    folder = EXPORTS / "order_lines"
    page = _render(tmp_path, SCORECARD, "--data", str(folder), "--map",
                   str(folder / "aggregated.toml"), "--period", "2025")
    assert _data_quality(page) == ["order_lines.csv: 68 lines combined into 30 orders",
                                   "No rows were set aside and nothing was warned about."]
    # revenue growth 2025 over 2024 from the order-level truths 60,897.00 (test_presets.py)
    # and 4,805.00: (60,897 - 4,805) / 4,805 = 11.6737 -> 1167.4%
    assert "1167.4%" in page
