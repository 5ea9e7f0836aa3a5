"""The visible-text scan on reports rendered from data nobody here made (issue 23).

The stored notebooks are the demo's; a real export brings what the demo never has: set-aside
rows, missing tables, columns a tool does not write, names with accents. Every report is
rendered from the Maven CRM export (through examples/maps/maven.toml) and from the Salesforce
Data Export of the Winkel org (through the salesforce preset), and what a reader sees is
scanned with the rules of test_visible_text. Values from the raw files are the user's own and
may appear; the data-quality block names the table and column to fix with the contract's
names (CONTRACT section 1), so those are allowed there and only there.
"""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.cli import main
from b2bkit.core.schema import TABLES
from tests.load.test_real_exports import FX, _copy

from .test_visible_text import problems, visible_text

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
MAVEN = DATASETS / "maven_crm_sales_opportunities"
SALESFORCE = DATASETS / "salesforce_winkel"
SCHEMA = set(TABLES) | {c for spec in TABLES.values() for c in spec.columns}


def _values(folder: Path) -> set[str]:
    """Every distinct cell and header of the export's CSV files, as text."""
    out: set[str] = set()
    for path in folder.glob("*.csv"):
        raw = path.read_bytes()
        encoding = "utf-8" if raw.decode("utf-8", "ignore").encode() == raw else "latin-1"
        frame = pd.read_csv(path, dtype=str, encoding=encoding, keep_default_na=False)
        out |= set(frame.columns)
        for column in frame.columns:
            out |= set(frame[column].unique())
    return out


def _scan(folder: Path, values: set[str]) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.ipynb")):
        texts = visible_text(path)
        quality = [(i, t) for i, t in texts if t.lstrip().startswith("Data quality")]
        prose = [(i, t) for i, t in texts if not t.lstrip().startswith("Data quality")]
        found += [f"{path.name} {p}" for p in problems(prose, values)]
        found += [f"{path.name} {p}" for p in problems(quality, values | SCHEMA)]
    return found


@pytest.mark.render
def test_reports_from_the_maven_export_read_as_prose(tmp_path: Path) -> None:
    if not MAVEN.is_dir():
        pytest.skip(f"{MAVEN} is absent (the shared datasets sit beside the clone)")
    out = tmp_path / "out"
    assert main(["report", "--data", str(MAVEN), "--map",
                 str(ROOT / "examples" / "maps" / "maven.toml"), "--lenient",
                 "--period", "2017-Q2", "--out", str(out)]) == 0
    assert _scan(out / "2017-Q2", _values(MAVEN)) == []


@pytest.mark.render
def test_reports_from_the_salesforce_export_read_as_prose(tmp_path: Path) -> None:
    if not SALESFORCE.is_dir():
        pytest.skip(f"{SALESFORCE} is absent (the shared datasets sit beside the clone)")
    data = _copy(SALESFORCE, tmp_path / "winkel", 'column_map = "salesforce"\ncurrency = "MXN"\n',
                 **{"fx_rates.csv": FX})
    out = tmp_path / "out"
    assert main(["report", "--data", str(data), "--period", "2023-Q4", "--out", str(out)]) == 0
    assert _scan(out / "2023-Q4", _values(SALESFORCE)) == []
