"""Tiny datasets for metric tests, written as columns of text."""

import pandas as pd

from b2bkit.load.dataset import from_frames
from b2bkit.load.settings import Settings


def build(settings: dict | None = None, **tables: dict[str, list]) -> object:
    """A validated dataset from ``table=dict(column=[values])`` keyword arguments."""
    frames = {name: pd.DataFrame(columns) for name, columns in tables.items()}
    return from_frames(frames, settings=Settings.from_dict(settings or {}, source="test"))
