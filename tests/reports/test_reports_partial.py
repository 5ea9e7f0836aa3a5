"""Every report renders on a dataset missing most of its tables (CONTRACT section 1).

A dataset needs only one table; a report section that lacks its data says so
visibly and the report carries on. Each case keeps a few tables of the demo
and renders all seven reports for a period inside the data.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from b2bkit.cli import main

pytestmark = pytest.mark.render

DEMO = Path(__file__).parents[2] / "data" / "demo"

CASES = {  # name: the demo tables kept
    "orders_only": ("orders",),
    "opportunities_only": ("opportunities",),
    "leads_and_spend": ("leads", "spend", "campaigns"),
}


@pytest.mark.parametrize("tables", CASES.values(), ids=CASES)
def test_all_reports_render_on_a_partial_dataset(tmp_path: Path, capsys, tables) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DEMO / "dataset.toml", data)
    for table in tables:
        shutil.copy(DEMO / f"{table}.csv", data)
    out = tmp_path / "reports"
    code = main(["report", "--data", str(data), "--period", "2025-Q3", "--out", str(out),
                 "--jobs", "2"])
    assert code == 0, capsys.readouterr().err[-2000:]
    pages = sorted(p.name for p in (out / "2025-Q3").glob("*.html"))
    assert len(pages) == 8  # seven reports and the index
    for page in (out / "2025-Q3").glob("*.html"):
        text = re.sub(r"<style.*?</style>", "", page.read_text(encoding="utf-8"), flags=re.S)
        assert "Traceback" not in text and "Error:" not in text, page.name
    # the sections without their tables say so
    text = (out / "2025-Q3" / "rep_performance.html").read_text(encoding="utf-8")
    assert "not available" in text
    if tables == ("opportunities",):  # customers from won deals but no orders: no CLV to show
        cohort = (out / "2025-Q3" / "cohort_retention_clv.html").read_text(encoding="utf-8")
        assert ("Customer lifetime value: not available.</strong> No orders table in the "
                "dataset") in cohort
