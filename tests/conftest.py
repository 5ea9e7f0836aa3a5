"""Shared fixtures: paths of the hand-made datasets in tests/data."""

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
