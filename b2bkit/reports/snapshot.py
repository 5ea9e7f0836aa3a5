"""A loaded dataset handed from the ``report`` command to its notebooks.

``b2bkit report`` loads and validates the dataset once, with the command's
``--map`` and ``--lenient``, and writes it to a private temporary folder; each
notebook reads that copy instead of loading the export again. The notebooks
therefore see exactly the rows, settings, accounting and data-quality frames
that the command saw, and a report of seven notebooks pays for one load.

The copy is a pickle of the :class:`~b2bkit.load.dataset.Dataset`: it keeps every
dtype (Arrow-backed strings, categories, nullable numbers) and every frame of
the accounting exactly, which a Parquet copy would have to rebuild. It is
written by this process into a folder only it created, read by the kernels it
starts, and removed when the command ends; b2bkit never reads a snapshot it
did not write in the same run.

Examples
--------
>>> import tempfile
>>> from b2bkit.load.dataset import sample_dataset
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_snapshot(sample_dataset(), pathlib.Path(folder))
...     read_snapshot(path).settings.name
'Tiny Co'
"""

from __future__ import annotations

import pathlib
import pickle

from b2bkit.core.errors import UsageError
from b2bkit.load.dataset import Dataset

__all__ = ["SNAPSHOT_NAME", "read_snapshot", "write_snapshot"]

#: The file name of a snapshot inside its folder.
SNAPSHOT_NAME = "dataset.b2bkit.pickle"


def write_snapshot(ds: Dataset, folder: pathlib.Path) -> pathlib.Path:
    """Write ``ds`` into ``folder`` (created by the caller) and return the file."""
    path = pathlib.Path(folder) / SNAPSHOT_NAME
    with path.open("wb") as handle:
        pickle.dump(ds, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def read_snapshot(path: str | pathlib.Path) -> Dataset:
    """The dataset that :func:`write_snapshot` wrote to ``path``.

    Raises
    ------
    UsageError
        ``path`` is not a snapshot file written by b2bkit.
    """
    path = pathlib.Path(path)
    if path.name != SNAPSHOT_NAME or not path.is_file():
        raise UsageError(f"not a b2bkit snapshot: {path}")
    with path.open("rb") as handle:
        ds = pickle.load(handle)
    if not isinstance(ds, Dataset):
        raise UsageError(f"not a b2bkit snapshot: {path}")
    return ds
