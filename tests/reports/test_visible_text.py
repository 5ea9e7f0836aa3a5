"""What a manager reads: no code names, raw booleans, NaN/<NA>, scientific notation or cut notes.

The stored notebooks are the demo's rendered reports (``make notebooks`` runs them on
data/demo and nbval checks they are current); every markdown cell and every output a
reader sees is scanned, and so is the index page's headline. Names from the data (the
demo's channel, practice and campaign values, such as ``paid_search``) are the user's own
and may appear as they are.
"""

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

RULES = {
    "code name": re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w/.(])"),
    "raw boolean": re.compile(r"\b(True|False)\b"),
    "missing value": re.compile(r"\b(NaN|nan|None)\b|<NA>"),
    "scientific notation": re.compile(r"\b\d+(\.\d+)?e[+-]?\d+\b"),
    "cut text": re.compile(r"…|\.\.\.(?![\w.)\]])"),  # pandas cuts long cells: "quart...", "on ..."
}


def _data_names() -> set[str]:
    demo = ROOT / "data" / "demo"
    names = set()
    for table, column in (("leads", "channel"), ("campaigns", "practice"),
                          ("campaigns", "campaign_id")):
        names |= set(pd.read_csv(demo / f"{table}.csv", usecols=[column])[column].dropna())
    return names


def visible_text(path: Path) -> list[tuple[int, str]]:
    """(cell index, text) of what a reader of the rendered notebook sees."""
    notebook = nbformat.read(path, as_version=4)
    out = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":  # formulas are LaTeX, not prose
            out.append((i, re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", cell.source, flags=re.S)))
        elif cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/html" in data:
                    text = re.sub(r"<style.*?</style>", " ", data["text/html"], flags=re.S)
                    out.append((i, html.unescape(re.sub(r"<[^>]+>", " ", text))))
                elif "text/plain" in data and "image/png" not in data:
                    out.append((i, data["text/plain"]))
                elif "text" in output:
                    out.append((i, output["text"]))
    return out


def problems(texts: list[tuple[int, str]], allowed: set[str]) -> list[str]:
    found = []
    for i, text in texts:
        for rule, pattern in RULES.items():
            for match in pattern.finditer(text):
                if match.group(0) not in allowed:
                    found.append(f"cell {i}: {rule} {match.group(0)!r} in "
                                 f"{text[max(0, match.start() - 40):match.end() + 40]!r}")
    return found


def test_the_scan_finds_what_it_should() -> None:
    texts = [(0, "roi_target 1.7e-18 True <NA> lead_conv… paid_search")]
    found = problems(texts, {"paid_search"})
    assert {p.split(": ", 1)[1].split(" '")[0] for p in found} == set(RULES)
    assert not any("'paid_search'" in p for p in found)
    # pandas' own cut of a long cell is found; an ellipsis a sentence writes is not
    assert problems([(0, "own median of the last 4 quart...")], set())
    assert problems([(0, "stage names ('lost', 'proposal', ...) are not")], set()) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_demo_report_reads_as_prose(path: Path) -> None:
    assert problems(visible_text(path), _data_names()) == []


def test_the_index_headline_reads_as_prose(tmp_path: Path) -> None:
    from b2bkit import load_dataset
    from b2bkit.core.periods import Period
    from b2bkit.reports.render import write_index

    page = write_index(tmp_path, [], data="data/demo", period=Period.parse("2025-Q4"),
                       dataset=load_dataset(ROOT / "data" / "demo")).read_text()
    body = re.sub(r"<style.*?</style>|<script.*?</script>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    assert "from dataset.toml" in text
    assert problems([(0, text.replace("data/demo", ""))], _data_names()) == []
