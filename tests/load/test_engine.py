"""The query layer (b2bkit.load.engine): the same dataset and the same messages as in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from b2bkit.core.errors import DatasetError
from b2bkit.load.dataset import load_dataset
from b2bkit.load.engine.fetch import choose_engine

ROOT = Path(__file__).resolve().parents[2]
BROKEN = sorted((ROOT / "tests" / "data" / "broken").iterdir())


def _both(folder: Path):
    return [load_dataset(folder, engine=e, cache=False) for e in ("pandas", "duckdb")]


@pytest.mark.parametrize("folder", [ROOT / "data" / "demo", ROOT / "b2bkit" / "load" / "sample"],
                         ids=["demo", "sample"])
def test_same_tables_and_quality(folder: Path, capsys) -> None:
    memory, engine = _both(folder)
    assert capsys.readouterr().err == ""  # DuckDB read it: no fallback note
    assert sorted(memory.tables) == sorted(engine.tables)
    for name, frame in memory.tables.items():
        assert frame.equals(engine.tables[name]), name
    assert memory.quality.equals(engine.quality)
    assert memory.accounting.equals(engine.accounting)


def _error(folder: Path, engine: str) -> str:
    try:
        load_dataset(folder, engine=engine, cache=False)
    except DatasetError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("folder", BROKEN, ids=[p.name for p in BROKEN])
def test_same_error_as_in_memory(folder: Path) -> None:
    """Every broken fixture: the queries name the same file, column, rule, count and rows."""
    assert _error(folder, "duckdb") == _error(folder, "pandas")


def test_auto_takes_pandas_for_small_files(tmp_path: Path) -> None:
    path = tmp_path / "reps.csv"
    path.write_text("rep_id,name\nR1,Ann\n")
    assert choose_engine("auto", {"reps": path}) == ("pandas", None)
    assert choose_engine("duckdb", {"reps": path}) == ("duckdb", None)
