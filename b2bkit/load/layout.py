"""Which file of a dataset folder holds which table, and which files are not read.

Without a column map a table is read from ``<table>.csv`` (``.csv.gz``,
``.parquet``, ``.xlsx``). A map reads the file it names for each table it
maps, and the canonical files of the tables it does not map. Every other
file of the folder is *ignored*: never read, and listed so that an export
misnamed ``leads_2025.csv`` does not vanish without a word (maps and
settings, ``*.toml``, are not data and are not listed). A file that resolves
outside the folder (``file = "../secret.csv"``, a symlink) is refused
without being opened. Canonical names match exactly: ``Leads.csv`` is
ignored, and the quality report names the near miss (``leads.csv``).
A map's ``file`` may be a glob (exactly one file may match) or a list of
names and globs tried in order; a preset's optional table whose files are
absent is read from its canonical file (:func:`canonical_beside`).

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     folder = Path(tmp)
...     for name in ("orders.csv", "leads_2025.csv", "dataset.toml"):
...         _ = (folder / name).write_text("x\\n")
...     files, ignored = table_files(folder, Settings())
>>> {t: p.name for t, p in files.items()}, ignored
({'orders': 'orders.csv'}, ['leads_2025.csv'])
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from b2bkit.core.errors import DatasetError
from b2bkit.core.schema import TABLES
from b2bkit.load.settings import Settings
from b2bkit.load.sources import find_table_file

__all__ = ["canonical_beside", "inside", "table_files"]


def inside(folder: Path, path: Path, table: str) -> Path:
    """``path`` if it resolves inside ``folder``; else an error that shows none of it.

    Raises
    ------
    DatasetError
        "resolves outside the dataset folder".
    """
    if not path.resolve().is_relative_to(folder.resolve()):
        raise DatasetError.single(
            table=table, file=str(path), column="",
            rule=f"the file for {table} resolves outside the dataset folder; it is not read")
    return path


_GLOB = set("*?[")


def _matching(folder: Path, pattern: str, table: str) -> Path | None:
    """The one file that a name or glob names in ``folder`` (None: no file).

    Raises
    ------
    DatasetError
        A glob matches several files (exactly one may match).
    """
    if not _GLOB & set(pattern):
        path = inside(folder, folder / pattern, table)
        return path if path.is_file() else None
    found = sorted(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith(".")
                   and not p.name.lower().endswith(".toml"))
    if len(found) > 1:
        raise DatasetError.single(
            table=table, file=str(folder), column="",
            rule=f"{len(found)} files match {pattern!r} for {table} "
                 f"({', '.join(p.name for p in found[:5])}); exactly one may match")
    return inside(folder, found[0], table) if found else None


def _mapped_file(folder: Path, table: str, settings: Settings) -> tuple[Path | None, bool]:
    """The file of a mapped table, and whether it is the canonical file beside a preset's.

    The map's names and globs are tried in order; an ``optional`` table
    whose files are all absent is read from its canonical file when the
    folder has one (an ``fx_rates.csv`` beside a Salesforce export without
    DatedConversionRate.csv), without the map.
    """
    table_map = settings.tables[table]
    for pattern in table_map.files:
        path = _matching(folder, pattern, table)
        if path is not None:
            return path, False
    if table_map.optional:
        path = find_table_file(folder, table)
        return (None, False) if path is None else (inside(folder, path, table), True)
    names = " or ".join(repr(f) for f in table_map.files)
    raise DatasetError.single(table=table, file=str(folder / table_map.files[0]), column="",
                              rule=f"the column map names {names} for "
                                   f"{table}, but there is no such file")


def canonical_beside(folder: Path, settings: Settings) -> set[str]:
    """The mapped tables read from their canonical file instead (:func:`_mapped_file`)."""
    beside = set()
    for table, table_map in settings.tables.items():
        if table_map.files:
            try:
                if _mapped_file(folder, table, settings)[1]:
                    beside.add(table)
            except DatasetError:
                continue
    return beside


def table_files(folder: Path, settings: Settings) -> tuple[dict[str, Path], list[str]]:
    """The file of each table present, and the names of the files not read.

    Parameters
    ----------
    folder : Path
        The dataset folder.
    settings : Settings
        Its settings; ``settings.tables`` is the column map.

    Returns
    -------
    (dict of str to Path, list of str)
        Files by table (tables without a file left out) and the sorted
        names of the other files (TOML files, such as ``dataset.toml`` and
        maps, and hidden files are not listed).

    Raises
    ------
    DatasetError
        A map names a missing file (not ``optional``), a table is in two
        formats, or a file resolves outside the folder. Every such problem
        is gathered into one error.
    """
    files, problems = {}, []
    for table in TABLES:
        mapped = settings.tables.get(table)
        try:
            if mapped is not None and mapped.file:
                path = _mapped_file(folder, table, settings)[0]
            else:
                path = find_table_file(folder, table)
                path = None if path is None else inside(folder, path, table)
        except DatasetError as exc:
            problems.append(exc)
            continue
        if path is not None:
            files[table] = path
    if problems:
        raise DatasetError(pd.concat([p.violations for p in problems], ignore_index=True))
    read = {p.name for p in files.values()}
    ignored = sorted(p.name for p in folder.iterdir()
                     if p.is_file() and not p.name.startswith(".") and p.name not in read
                     and not p.name.lower().endswith(".toml"))
    return files, ignored
