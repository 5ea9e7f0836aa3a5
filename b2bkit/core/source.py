"""What a dataset argument names: a folder or a database URL, and how either is shown.

Every command, notebook and report takes its data as one string: a folder
(``data/demo``) or a SQLAlchemy URL (``postgresql://user:pw@host/crm``,
``duckdb:///crm.duckdb``). This module is the one place that tells them
apart (:func:`is_database`), shows them without a password (:func:`shown`)
and resolves a folder or a column map given relative to some folder
(:func:`resolve`, :func:`resolve_map`).

Examples
--------
>>> is_database("duckdb:///crm.duckdb"), is_database("data/demo")
(True, False)
>>> shown("postgresql://ann:s3cret@db.example/crm")
'postgresql://ann:***@db.example/crm'
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["is_database", "resolve", "resolve_map", "shown"]


def is_database(data: object) -> bool:
    """True when ``data`` is a database URL (``scheme://...``), False for a folder.

    A :class:`~pathlib.Path` is never a URL (it folds ``//``).

    >>> is_database("sqlite:///x.db"), is_database(Path("sqlite:///x.db"))
    (True, False)
    """
    return isinstance(data, str) and "://" in data


def shown(data: str | Path) -> str:
    """``data`` as it may be shown: a database URL without its password, a folder as given.

    >>> shown("postgresql://ann:s3cret@db.example/crm")
    'postgresql://ann:***@db.example/crm'
    >>> shown("data/demo")
    'data/demo'
    >>> shown("postgresql://ann:pw@db:notaport/crm")
    'postgresql://ann:***@db:notaport/crm'
    """
    text = str(data)
    if not is_database(text):
        return text
    try:
        from sqlalchemy.engine import make_url

        return make_url(text).render_as_string(hide_password=True)
    except Exception:  # not a URL sqlalchemy reads: hide whatever sits between : and @
        return re.sub(r"(://[^/:@]*:)[^@/]*@", r"\1***@", text)


def resolve(data: str | Path, base: Path | None = None) -> str | Path:
    """A folder made absolute (as given if it exists, else under ``base``); a URL as is.

    Kernels start in another folder than the command that renders them, so
    every path handed to one is absolute. ``base`` is where a relative
    folder is looked for when it does not exist as given (the project
    folder, for notebooks run by nbval).

    >>> resolve("postgresql://db/crm")
    'postgresql://db/crm'
    >>> resolve("no/such/folder", Path("/srv/project"))
    PosixPath('/srv/project/no/such/folder')
    """
    if is_database(data):
        return str(data)
    path = Path(data).expanduser()
    if path.is_absolute() or path.exists() or base is None:
        return path.resolve()
    return base / path


def resolve_map(column_map: str | None, base: Path | None = None) -> str | None:
    """A column map file made absolute when it exists (as given, or under ``base``); a
    preset name, or a path the loader will look for in the dataset folder, as given.

    >>> resolve_map("hubspot"), resolve_map(None)
    ('hubspot', None)
    """
    if not column_map:
        return None
    for path in (Path(column_map).expanduser(), *([base / column_map] if base else [])):
        if path.is_file():
            return str(path.resolve())
    return str(column_map)
