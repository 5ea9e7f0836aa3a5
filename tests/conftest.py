"""Shared fixtures: paths of the hand-made datasets in tests/data, and the demo's reports.

Markers (pyproject.toml): ``render`` (renders reports), ``postgres`` (a real PostgreSQL
server), ``wheel`` (a built wheel in a fresh environment), ``slow`` (sweeps and fuzzing).
``make test-fast`` leaves them out; ``make test`` runs everything. A test that takes the
``demo_reports`` or ``postgres_url`` fixture is marked for it here, not by hand.
"""

import os
from pathlib import Path

import pytest

# No cache of validated datasets in the suite (b2bkit.load.cache): every load reads its files,
# and nothing is written to the user's cache. tests/test_cache.py turns it on where it tests it.
os.environ["B2BKIT_CACHE"] = "off"

DATA = Path(__file__).parent / "data"
#: The sample dataset shipped with b2bkit (doctests use it too).
SAMPLE = Path(__file__).parents[1] / "b2bkit" / "load" / "sample"
#: The public exports of ../shared/datasets (not part of the project).
SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"


@pytest.fixture
def tiny() -> Path:
    """A valid dataset with every table, small enough to check on paper."""
    return SAMPLE


@pytest.fixture
def broken() -> Path:
    """The folder of datasets that each break one rule."""
    return DATA / "broken"


#: Fixture -> the marker every test taking it carries.
_MARKED_BY_FIXTURE = {"demo_reports": "render", "russian_reports": "render",
                      "postgres_url": "postgres"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in _MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, marker))


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six reports of the demo for 2025-Q3, rendered once for every test that reads them.

    ``b2bkit report --data data/demo --period 2025-Q3``; the folder holds each
    report's ``.ipynb`` and ``.html``, ``index.html`` and the review's CSV.
    """
    from b2bkit.cli import main

    out = tmp_path_factory.mktemp("demo-reports")
    demo = Path(__file__).parents[1] / "data" / "demo"
    assert main(["report", "--data", str(demo), "--period", "2025-Q3", "--out", str(out)]) == 0
    return out / "2025-Q3"
