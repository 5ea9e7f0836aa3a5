"""Which file of a dataset folder holds which table, and which files are not read.

Without a column map a table is read from ``<table>.csv`` (``.csv.gz``,
``.parquet``, ``.xlsx``). A map reads the file it names for each table it
maps, and the canonical files of the tables it does not map. Every other
file of the folder is *ignored*: never read, and listed so that an export
misnamed ``leads_2025.csv`` does not vanish without a word (maps and
settings, ``*.toml``, are not data and are not listed). A file that resolves
outside the folder (``file = "../secret.csv"``, a symlink) is refused
without being opened.

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

__all__ = ["inside", "table_files"]


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


def _mapped_file(folder: Path, table: str, settings: Settings) -> Path | None:
    table_map = settings.tables[table]
    path = inside(folder, folder / table_map.file, table)
    if path.is_file():
        return path
    if table_map.optional:
        return None
    raise DatasetError.single(table=table, file=str(path), column="",
                              rule=f"the column map names {table_map.file!r} for "
                                   f"{table}, but there is no such file")


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
                path = _mapped_file(folder, table, settings)
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
