"""Every metric's ``splits`` declaration is the truth: called with every dimension, a metric
computes exactly the dimensions it declares and refuses the others, with a note."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.load.dataset import load_dataset
from b2bkit.metrics import CATALOGUE, DIMENSIONS, prepare

DEMO = Path(__file__).parents[2] / "data" / "demo"


@pytest.fixture(scope="module")
def view():
    return prepare(load_dataset(DEMO))


def _refused(frame: pd.DataFrame) -> bool:
    """Every group missing, each with "cannot be split by"."""
    return bool(frame["value"].isna().all()
                and frame["note"].astype(str).str.contains("cannot be split by").all())


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_a_metric_splits_by_what_it_declares_and_nothing_else(view, name: str) -> None:
    info = CATALOGUE[name]
    computed = tuple(dim for dim in DIMENSIONS
                     if not _refused(info.public(view, "2025-Q3", by=dim)))
    assert computed == info.splits


def test_spend_split_by_segment_is_refused_by_its_declaration(view) -> None:
    # the declaration once said "all" while a guard inside answered the refusal
    assert "segment" not in CATALOGUE["marketing_spend"].splits
    out = CATALOGUE["marketing_spend"].public(view, "2025-Q3", by="segment")
    assert set(out["note"]) == {"spend cannot be split by segment"}
