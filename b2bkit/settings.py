"""Dataset settings (``dataset.toml``) and column maps, read and checked.

A dataset folder may hold a ``dataset.toml``; a column map may sit inline in
it (``[tables.<table>]`` sections), in a file that ``column_map`` names
(relative to the dataset folder), or be a preset shipped with b2bkit
(``column_map = "hubspot"``). A map file may carry the same settings as
``dataset.toml``; where both set one, ``dataset.toml`` wins.

Examples
--------
>>> s = Settings.from_dict({"currency": "EUR", "as_of": "2025-06-30"}, source="dataset.toml")
>>> s.currency, s.as_of, s.churn_after_days
('EUR', Timestamp('2025-06-30 00:00:00'), 365)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from b2bkit.errors import DatasetError
from b2bkit.schema import TABLES

__all__ = ["DEFAULT_STAGES", "PRESETS", "Settings", "TableMap", "read_settings"]

DEFAULT_STAGES = ("lead", "mql", "sql", "opportunity", "proposal", "won")

#: Column-map presets shipped in ``b2bkit/presets``.
PRESETS = ("hubspot", "salesforce")

_TABLE_MAP_KEYS = {
    "file", "encoding", "delimiter", "decimal", "date_format", "sheet",
    "columns", "values", "constants", "optional",
}


@dataclass(frozen=True)
class TableMap:
    """How one canonical table is read from a foreign export.

    ``columns`` maps canonical name to source column (a source column may
    feed several canonical ones); ``values`` maps, per canonical column,
    source value to canonical value (``"*"`` maps every other filled value);
    ``constants`` fills a canonical column with one value. An ``optional``
    table whose file is absent is skipped (presets name several exports).
    """

    table: str
    file: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    date_format: str | None = None
    sheet: str | int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    optional: bool = False


@dataclass(frozen=True)
class Settings:
    """The settings of one dataset, with the contract's defaults."""

    name: str = ""
    currency: str = "USD"
    as_of: pd.Timestamp | None = None
    stages: tuple[str, ...] = DEFAULT_STAGES
    churn_after_days: int = 365
    gross_margin: float = 1.0
    max_lifetime_years: float = 10.0
    tables: dict[str, TableMap] = field(default_factory=dict)
    column_map: str | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, source: str) -> Settings:
        """Check a parsed TOML document and build the settings from it."""
        known = {"name", "currency", "as_of", "stages", "churn_after_days", "gross_margin",
                 "max_lifetime_years", "column_map", "tables"}
        unknown = sorted(set(raw) - known)
        if unknown:
            _fail(source, unknown[0], f"unknown setting; allowed: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for key in ("name", "currency", "column_map"):
            if key in raw:
                values[key] = _typed(raw[key], str, source, key)
        if "as_of" in raw:
            try:
                values["as_of"] = pd.Timestamp(str(raw["as_of"])).normalize()
            except ValueError:
                _fail(source, "as_of", f"not a date: {raw['as_of']!r} (write 2025-12-31)")
        if "stages" in raw:
            stages = raw["stages"]
            names_ok = isinstance(stages, list) and all(isinstance(s, str) for s in stages)
            if not (names_ok and stages):
                _fail(source, "stages", "must be a non-empty list of stage names")
            values["stages"] = tuple(stages)
        if "churn_after_days" in raw:
            days = _typed(raw["churn_after_days"], int, source, "churn_after_days")
            if days <= 0:
                _fail(source, "churn_after_days", f"must be positive, not {days}")
            values["churn_after_days"] = days
        for key in ("gross_margin", "max_lifetime_years"):
            if key in raw:
                number = float(_typed(raw[key], (int, float), source, key))
                if number <= 0:
                    _fail(source, key, f"must be positive, not {number}")
                values[key] = number
        if "tables" in raw:
            values["tables"] = _table_maps(raw["tables"], source)
        return cls(**values)

    def merged_over(self, base: Settings, explicit: set[str]) -> Settings:
        """These settings where ``explicit`` names them, else ``base``'s."""
        updates = {k: getattr(self, k) for k in explicit if k != "tables"}
        tables = {**base.tables, **self.tables}
        return replace(base, **updates, tables=tables)


def _fail(source: str, key: str, rule: str) -> None:
    raise DatasetError.single(table="", file=source, column=key, rule=rule)


def _typed(value: Any, kind: type | tuple[type, ...], source: str, key: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, kind):
        _fail(source, key, f"wrong type {type(value).__name__} ({value!r})")
    return value


def _table_maps(raw: Any, source: str) -> dict[str, TableMap]:
    if not isinstance(raw, dict):
        _fail(source, "tables", "must be a table of [tables.<name>] sections")
    maps = {}
    for table, spec in raw.items():
        where = f"tables.{table}"
        if table not in TABLES:
            _fail(source, where, f"unknown table; the tables are {', '.join(TABLES)}")
        if not isinstance(spec, dict):
            _fail(source, where, "must be a section")
        unknown = sorted(set(spec) - _TABLE_MAP_KEYS)
        if unknown:
            _fail(source, f"{where}.{unknown[0]}",
                  f"unknown key; allowed: {', '.join(sorted(_TABLE_MAP_KEYS))}")
        columns = spec.get("columns", {})
        for canonical, src in columns.items():
            if canonical not in TABLES[table].columns:
                _fail(source, f"{where}.columns.{canonical}",
                      f"not a column of {table}; "
                      f"its columns are {', '.join(TABLES[table].columns)}")
            _typed(src, str, source, f"{where}.columns.{canonical}")
        values = spec.get("values", {})
        for canonical, mapping in values.items():
            if not isinstance(mapping, dict):
                _fail(source, f"{where}.values.{canonical}",
                      "must map source value = canonical value")
        maps[table] = TableMap(
            table=table,
            file=spec.get("file"),
            encoding=spec.get("encoding"),
            delimiter=spec.get("delimiter"),
            decimal=spec.get("decimal", "."),
            date_format=spec.get("date_format"),
            sheet=spec.get("sheet"),
            columns=dict(columns),
            values={k: {str(a): str(b) for a, b in v.items()} for k, v in values.items()},
            constants=dict(spec.get("constants", {})),
            optional=bool(spec.get("optional", False)),
        )
    return maps


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError.single(table="", file=str(path), column="",
                                  rule=f"not valid TOML: {exc}") from None


def _map_document(name: str, folder: Path, explicit: bool) -> tuple[dict[str, Any], str]:
    """The TOML of a column map given by preset name or path.

    A path in ``dataset.toml`` is relative to the dataset folder; one given
    by the caller (``--map``) may also be relative to the working directory.
    """
    if name in PRESETS:
        text = resources.files("b2bkit").joinpath(f"presets/{name}.toml").read_text("utf-8")
        return tomllib.loads(text), f"preset {name!r}"
    path = Path(name)
    if not path.is_absolute() and not (explicit and path.is_file()):
        path = folder / name
    if not path.is_file():
        raise DatasetError.single(
            table="", file=str(path), column="column_map",
            rule=f"column map not found (give a path or one of the presets {', '.join(PRESETS)})",
        )
    return _read_toml(path), str(path)


def read_settings(folder: Path, column_map: str | None = None) -> Settings:
    """Settings of the dataset in ``folder``.

    Parameters
    ----------
    folder : Path
        The dataset folder; its ``dataset.toml`` is read when present.
    column_map : str, optional
        A map file or preset that overrides ``column_map`` of
        ``dataset.toml`` (the way to load a read-only export folder).
    """
    toml_path = folder / "dataset.toml"
    own = Settings()
    explicit_keys: set[str] = set()
    if toml_path.is_file():
        raw = _read_toml(toml_path)
        own = Settings.from_dict(raw, source=str(toml_path))
        explicit_keys = set(raw)
    map_name = column_map or own.column_map
    if map_name is None:
        return own
    doc, source = _map_document(map_name, folder, explicit=column_map is not None)
    mapped = Settings.from_dict(doc, source=source)
    # the dataset's own settings win; the map's fill what it leaves unset
    return own.merged_over(mapped, explicit_keys)
