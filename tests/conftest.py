"""Shared fixtures: paths of the hand-made datasets in tests/data."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
#: The sample dataset shipped with b2bkit (doctests use it too).
SAMPLE = Path(__file__).parents[1] / "b2bkit" / "sample"
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
