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

import codecs
import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from b2bkit.core.asof import AsOfError, parse_as_of
from b2bkit.core.currencies import is_code
from b2bkit.core.errors import DatasetError
from b2bkit.core.i18n import LANGUAGES
from b2bkit.core.schema import TABLES

__all__ = ["AGGREGATES", "DEFAULT_STAGES", "ISO", "PRESETS", "Joined", "Settings", "TableMap",
           "map_settings",
           "read_settings"]

DEFAULT_STAGES = ("lead", "mql", "sql", "opportunity", "proposal", "won")

#: Column-map presets shipped in ``b2bkit/load/presets``.
PRESETS = tuple(sorted(p.name.removesuffix(".toml")
                      for p in resources.files("b2bkit.load").joinpath("presets").iterdir()
                      if p.name.endswith(".toml")))

_TABLE_MAP_KEYS = {
    "file", "encoding", "delimiter", "decimal", "date_format", "sheet",
    "columns", "values", "constants", "optional", "aggregate", "scale", "invert",
    "header_row", "null_values", "drop_rows", "number_format", "duplicate_header",
}

#: The entry of a ``date_format`` list that stands for ISO 8601 (``2025-07-31``,
#: ``2025-07-31T14:05:00+05:00``).
ISO = "ISO"


@dataclass(frozen=True)
class Joined:
    """Several source columns read as one: their stripped texts joined by ``"|"``.

    Written ``status = { join = ["IsClosed", "IsWon"] }`` in a map (a plain
    list is a list of alternatives, CONTRACT section 1).
    """

    columns: tuple[str, ...]

#: How ``aggregate`` may combine the lines of one key (first/last: in file order).
AGGREGATES = ("sum", "first", "last", "min", "max")

#: The engines a folder may be read with (``auto``: by the size of its files).
ENGINES = ("auto", "pandas", "duckdb")

#: Longest churn_after_days accepted (100 years).
MAX_CHURN_DAYS = 36_500


@dataclass(frozen=True)
class TableMap:
    """How one canonical table is read from a foreign export.

    ``columns`` maps canonical name to source column (a source column may
    feed several canonical ones); ``values`` maps, per canonical column,
    source value to canonical value (``"*"`` maps every other filled value);
    ``constants`` fills a canonical column with one value. An ``optional``
    table whose file is absent is skipped (presets name several exports).
    ``columns`` values may be tuples of alternatives (the first source
    column the file has is read) or :class:`Joined` columns (their stripped
    texts joined by ``"|"``). ``file`` may be a tuple of names or globs
    (the first that matches a file is read). ``date_format`` is a tuple of
    formats tried in order (:data:`ISO` for ISO 8601). ``header_row``,
    ``null_values``, ``drop_rows`` (source column: regular expression),
    ``number_format`` (``"accounting"``) and ``duplicate_header``
    (``"first"``) are CONTRACT section 1's. ``aggregate`` combines the lines of a
    line-level export (``by``: the canonical key column(s); per canonical
    column one of :data:`AGGREGATES`); ``scale`` multiplies parsed numbers;
    ``invert`` replaces parsed numbers by 1 / x.
    """

    table: str
    file: str | tuple[str, ...] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."  # ",." : per column, the first mark that reads every cell
    date_format: str | tuple[str, ...] | None = None
    sheet: str | int | None = None
    columns: dict[str, str | tuple[str, ...] | Joined] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    optional: bool = False
    aggregate_by: tuple[str, ...] = ()
    aggregate: dict[str, str] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    invert: tuple[str, ...] = ()
    header_row: int | None = None
    null_values: tuple[str, ...] = ()
    drop_rows: dict[str, str] = field(default_factory=dict)
    number_format: str | None = None
    duplicate_header: str | None = None
    #: a preset's map: a source column the export lacks leaves its (optional) canonical
    #: column out, and a table lacking a required one is not read; both are listed
    lacking_ok: bool = False

    @property
    def files(self) -> tuple[str, ...]:
        """The file names or globs, in the order they are tried."""
        if self.file is None:
            return ()
        return (self.file,) if isinstance(self.file, str) else self.file

    @property
    def date_formats(self) -> tuple[str, ...] | None:
        """The declared date formats in order (None: ISO 8601 only)."""
        if self.date_format is None:
            return None
        return (self.date_format,) if isinstance(self.date_format, str) else self.date_format

    def source_names(self) -> list[str]:
        """Every source column the map names (alternatives and joined ones included)."""
        names = []
        for src in self.columns.values():
            names += [src] if isinstance(src, str) else list(
                src.columns if isinstance(src, Joined) else src)
        return names


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
    lenient: bool = False
    #: The language of the reports: ``en`` or ``ru`` (:mod:`b2bkit.core.i18n`).
    language: str = "en"
    #: How a folder is read: ``auto`` (by the size of its files), ``pandas`` (in memory)
    #: or ``duckdb`` (scanned in place, :mod:`b2bkit.load.engine`).
    engine: str = "auto"
    #: ``[targets]``: metric name -> target, stated per quarter (CONTRACT section 1).
    targets: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, source: str, preset: bool = False) -> Settings:
        """Check a parsed TOML document and build the settings from it.

        ``preset``: the document is a preset (its tables read what each export version has,
        :attr:`TableMap.lacking_ok`).
        """
        known = {"name", "currency", "as_of", "stages", "churn_after_days", "gross_margin",
                 "max_lifetime_years", "column_map", "tables", "lenient", "targets",
                 "language", "engine"}
        unknown = sorted(set(raw) - known)
        if unknown:
            _fail(source, unknown[0], f"unknown setting; allowed: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for key in ("name", "currency", "column_map"):
            if key in raw:
                values[key] = _typed(raw[key], str, source, key)
        if "currency" in values:
            values["currency"] = _currency(values["currency"], source)
        if "lenient" in raw:
            values["lenient"] = _typed(raw["lenient"], bool, source, "lenient")
        if "language" in raw:
            code = _typed(raw["language"], str, source, "language").strip().lower()
            if code not in LANGUAGES:
                _fail(source, "language", f"must be one of {', '.join(LANGUAGES)}, not {code!r}")
            values["language"] = code
        if "engine" in raw:
            code = _typed(raw["engine"], str, source, "engine").strip().lower()
            if code not in ENGINES:
                _fail(source, "engine", f"must be one of {', '.join(ENGINES)}, not {code!r}")
            values["engine"] = code
        if "as_of" in raw:
            values["as_of"] = _as_of(raw["as_of"], source)
        if "stages" in raw:
            stages = raw["stages"]
            names_ok = isinstance(stages, list) and all(isinstance(s, str) for s in stages)
            if not (names_ok and stages):
                _fail(source, "stages", "must be a non-empty list of stage names")
            values["stages"] = tuple(stages)
        if "churn_after_days" in raw:
            days = _typed(raw["churn_after_days"], int, source, "churn_after_days")
            if not 1 <= days <= MAX_CHURN_DAYS:
                _fail(source, "churn_after_days",
                      f"must be a whole number of days from 1 to {MAX_CHURN_DAYS:,}, not {days}")
            values["churn_after_days"] = days
        for key in ("gross_margin", "max_lifetime_years"):
            if key in raw:
                number = float(_typed(raw[key], (int, float), source, key))
                if not math.isfinite(number) or number <= 0:
                    _fail(source, key, f"must be positive (a finite number > 0), not {number}")
                values[key] = number
        if "tables" in raw:
            values["tables"] = _table_maps(raw["tables"], source)
            if preset:
                values["tables"] = {t: replace(m, lacking_ok=True)
                                    for t, m in values["tables"].items()}
        if "targets" in raw:
            values["targets"] = _targets(raw["targets"], source)
        return cls(**values)

    def merged_over(self, base: Settings, explicit: set[str]) -> Settings:
        """These settings where ``explicit`` names them, else ``base``'s."""
        updates = {k: getattr(self, k) for k in explicit if k != "tables"}
        tables = {**base.tables, **self.tables}
        return replace(base, **updates, tables=tables)


def _fail(source: str, key: str, rule: str) -> None:
    raise DatasetError.single(table="", file=source, column=key, rule=rule)


def _typed(value: Any, kind: type | tuple[type, ...], source: str, key: str) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            _fail(source, key, f"must be true or false, not {_shown(value)}")
        return value
    if isinstance(value, bool) or not isinstance(value, kind):
        _fail(source, key, f"wrong type {type(value).__name__} ({_shown(value)})")
    return value


def _targets(raw: Any, source: str) -> dict[str, float]:
    """``[targets]``: a table of metric name = finite number (the names are checked where
    a report judges them, against the metric catalogue)."""
    if not isinstance(raw, dict):
        _fail(source, "targets", "must be a table of metric = number ([targets])")
    out = {}
    for name, value in raw.items():
        number = _typed(value, (int, float), source, f"targets.{name}")
        if isinstance(number, bool) or not math.isfinite(float(number)):
            _fail(source, f"targets.{name}", f"must be a finite number, not {_shown(value)}")
        out[str(name)] = float(number)
    return out


def _shown(value: Any) -> str:
    """A setting's value for a message, cut short (a map may hold anything)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _currency(value: str, source: str) -> str:
    """The dataset currency: an ISO 4217 code (any case, spaces around ignored), upper case.

    ``"$"``, ``"Dollars"`` or ``"Euro"`` would make every amount of the
    dataset "in" a currency no rate can name; they are refused here.
    """
    code = value.strip().upper()
    if not is_code(code):
        _fail(source, "currency", f"must be an ISO 4217 currency code such as \"USD\" or "
                                  f"\"EUR\", not {_shown(value)}")
    return code


def _as_of(value: Any, source: str) -> pd.Timestamp:
    """as_of through :func:`b2bkit.core.asof.parse_as_of`, refused in its words.

    ISO date text or a TOML date; ``as_of = 2025`` (a TOML integer) and
    ``"03/04/2025"`` are refused as ``--as-of`` refuses them. A TOML datetime
    with an offset keeps its own calendar date.
    """
    try:
        return parse_as_of(value)
    except AsOfError as exc:
        _fail(source, "as_of", exc.rule(_shown(value)))
    raise AssertionError("unreachable")


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
        maps[table] = _table_map(table, spec, source, where)
    return maps


def _text_key(spec: dict, key: str, source: str, where: str) -> str | None:
    value = spec.get(key)
    return None if value is None else _typed(value, str, source, f"{where}.{key}")


def _section(spec: dict, key: str, source: str, where: str) -> dict:
    value = spec.get(key, {})
    if not isinstance(value, dict):
        _fail(source, f"{where}.{key}", f"must be a table (section), not {_shown(value)}")
    return value


def _canonical(table: str, column: str, source: str, where: str) -> None:
    if column not in TABLES[table].columns:
        _fail(source, where, f"not a column of {table}; "
                             f"its columns are {', '.join(TABLES[table].columns)}")


def _date_format(value: str, source: str, where: str) -> str:
    """A strptime format that writes and reads back a date (``%Q`` does not)."""
    day = dt.datetime(2001, 2, 3, 4, 5, 6)
    try:
        back = dt.datetime.strptime(day.strftime(value), value)
    except ValueError:
        back = None
    if back is None or back.date() != day.date():
        _fail(source, where, f"not a date format: {value!r} (write e.g. \"%d.%m.%Y\")")
    return value


def _date_formats(value: Any, source: str, where: str) -> str | tuple[str, ...] | None:
    """One format, or a non-empty list tried in order (``"ISO"``: ISO 8601)."""
    if value is None:
        return None
    if isinstance(value, list):
        if not value or not all(isinstance(v, str) for v in value):
            _fail(source, where, "must be a date format or a non-empty list of them")
        return tuple(v if v == ISO else _date_format(v, source, where) for v in value)
    text = _typed(value, str, source, where)
    return text if text == ISO else _date_format(text, source, where)


_COLUMN_RULE = ("must be a source column name, a non-empty list of alternatives, "
                "or { join = [...] }")


def _names(value: Any, source: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
        _fail(source, key, _COLUMN_RULE)
    return tuple(value)


def _columns(table: str, spec: dict, source: str, where: str
             ) -> dict[str, str | tuple[str, ...] | Joined]:
    columns: dict[str, str | tuple[str, ...] | Joined] = {}
    for canonical, src in _section(spec, "columns", source, where).items():
        key = f"{where}.columns.{canonical}"
        _canonical(table, canonical, source, key)
        if isinstance(src, dict):
            if set(src) != {"join"}:
                _fail(source, key, _COLUMN_RULE)
            columns[canonical] = Joined(_names(src["join"], source, key))
        elif isinstance(src, list):
            columns[canonical] = _names(src, source, key)
        else:
            if not isinstance(src, str):
                _fail(source, key, _COLUMN_RULE)
            columns[canonical] = src
    return columns


def _reading(spec: dict, source: str, where: str) -> dict[str, Any]:
    """header_row, null_values, drop_rows, number_format and duplicate_header, checked."""
    out: dict[str, Any] = {}
    header = spec.get("header_row")
    if header is not None:
        if isinstance(header, bool) or not isinstance(header, int) or header < 1:
            _fail(source, f"{where}.header_row",
                  f"must be the 1-based line of the header, not {_shown(header)}")
        out["header_row"] = header
    nulls = spec.get("null_values", [])
    if isinstance(nulls, str):
        nulls = [nulls]
    if not isinstance(nulls, list) or not all(isinstance(v, str) for v in nulls):
        _fail(source, f"{where}.null_values", "must be a list of cell texts that mean empty")
    out["null_values"] = tuple(nulls)
    drops = _section(spec, "drop_rows", source, where)
    for column, pattern in drops.items():
        try:
            re.compile(_typed(pattern, str, source, f"{where}.drop_rows.{column}"))
        except re.error as exc:
            _fail(source, f"{where}.drop_rows.{column}", f"not a regular expression: {exc}")
    out["drop_rows"] = dict(drops)
    for key, allowed in (("number_format", "accounting"), ("duplicate_header", "first")):
        value = spec.get(key)
        if value is not None and value != allowed:
            _fail(source, f"{where}.{key}", f'must be "{allowed}", not {_shown(value)}')
        out[key] = value
    return out


def _file(spec: dict, source: str, where: str) -> str | tuple[str, ...] | None:
    value = spec.get("file")
    if isinstance(value, list):
        if not value or not all(isinstance(v, str) for v in value):
            _fail(source, f"{where}.file", "must be a file name (or glob) or a list of them")
        return tuple(value)
    return _text_key(spec, "file", source, where)


def _aggregate(table: str, spec: dict, source: str, where: str
               ) -> tuple[tuple[str, ...], dict[str, str]]:
    raw = _section(spec, "aggregate", source, where)
    if not raw:
        return (), {}
    key = f"{where}.aggregate"
    by = raw.get("by")
    by = [by] if isinstance(by, str) else by
    if not isinstance(by, list) or not by or not all(isinstance(b, str) for b in by):
        _fail(source, f"{key}.by", "must name the canonical key column(s) to group by")
    for column in by:
        _canonical(table, column, source, f"{key}.by")
    how = {}
    for column, function in raw.items():
        if column == "by":
            continue
        _canonical(table, column, source, f"{key}.{column}")
        if function not in AGGREGATES:
            _fail(source, f"{key}.{column}",
                  f"unknown aggregate function {_shown(function)}; one of {', '.join(AGGREGATES)}")
        kind = TABLES[table].field(column).kind
        if function == "sum" and kind not in ("number", "integer"):
            _fail(source, f"{key}.{column}", f"sum needs numbers; {column} is {kind}")
        if function in ("min", "max") and kind not in ("number", "integer", "datetime"):
            _fail(source, f"{key}.{column}", f"{function} needs numbers or dates; "
                                             f"{column} is {kind}")
        how[column] = function
    return tuple(by), how


def _numbers(table: str, spec: dict, source: str, where: str) -> tuple[dict, tuple]:
    scale = {}
    for column, factor in _section(spec, "scale", source, where).items():
        key = f"{where}.scale.{column}"
        _canonical(table, column, source, key)
        if TABLES[table].field(column).kind != "number":
            _fail(source, key, f"only numbers can be scaled; {column} is not a number")
        if (isinstance(factor, bool) or not isinstance(factor, int | float)
                or not math.isfinite(factor) or factor == 0):
            _fail(source, key, f"must be a finite number other than 0, not {_shown(factor)}")
        scale[column] = float(factor)
    invert = spec.get("invert", [])
    if not isinstance(invert, list) or not all(isinstance(c, str) for c in invert):
        _fail(source, f"{where}.invert", "must be a list of canonical column names")
    for column in invert:
        _canonical(table, column, source, f"{where}.invert")
        if TABLES[table].field(column).kind != "number":
            _fail(source, f"{where}.invert", f"only numbers can be inverted; {column} is not")
    return scale, tuple(invert)


def _table_map(table: str, spec: dict, source: str, where: str) -> TableMap:
    """One ``[tables.<table>]`` section, every key checked for its type."""
    delimiter = _text_key(spec, "delimiter", source, where)
    if delimiter is not None and len(delimiter) != 1:
        _fail(source, f"{where}.delimiter", f"must be one character, not {_shown(delimiter)}")
    decimal = spec.get("decimal", ".")
    marks = decimal if isinstance(decimal, list) else [decimal]
    if not marks or any(m not in (".", ",") for m in marks):
        _fail(source, f"{where}.decimal", f'must be "." or "," (or a list of both, tried per '
                                          f'column), not {_shown(decimal)}')
    decimal = "".join(dict.fromkeys(marks))
    date_format = _date_formats(spec.get("date_format"), source, f"{where}.date_format")
    encoding = _text_key(spec, "encoding", source, where)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            _fail(source, f"{where}.encoding", f"unknown encoding {_shown(encoding)}")
    sheet = spec.get("sheet")
    if sheet is not None:
        _typed(sheet, (str, int), source, f"{where}.sheet")
    values = _section(spec, "values", source, where)
    for canonical, mapping in values.items():
        _canonical(table, canonical, source, f"{where}.values.{canonical}")
        if not isinstance(mapping, dict):
            _fail(source, f"{where}.values.{canonical}",
                  "must map source value = canonical value")
    constants = _section(spec, "constants", source, where)
    for canonical in constants:
        _canonical(table, canonical, source, f"{where}.constants.{canonical}")
    columns = _columns(table, spec, source, where)
    twice = sorted(set(columns) & set(constants))
    if twice:  # the constant would silently win over the column the map reads
        column = twice[0]
        _fail(source, f"{where}.constants.{column}",
              f"{column} is set two ways: {where}.columns.{column} reads "
              f"{_shown(columns[column])} and {where}.constants.{column} sets "
              f"{_shown(constants[column])}; keep one")
    by, how = _aggregate(table, spec, source, where)
    scale, invert = _numbers(table, spec, source, where)
    return TableMap(
        table=table,
        file=_file(spec, source, where),
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal,
        date_format=date_format,
        sheet=sheet,
        columns=columns,
        values={k: {str(a): str(b) for a, b in v.items()} for k, v in values.items()},
        constants=dict(constants),
        optional=_typed(spec.get("optional", False), bool, source, f"{where}.optional"),
        aggregate_by=by,
        aggregate=how,
        scale=scale,
        invert=invert,
        **_reading(spec, source, where),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return _parse_toml(handle.read().decode("utf-8"), str(path))
    except UnicodeDecodeError:
        raise DatasetError.single(table="", file=str(path), column="",
                                  rule="not valid TOML: the file is not UTF-8") from None


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError.single(table="", file=source, column="",
                                  rule=f"not valid TOML: {exc}") from None
    except RecursionError:
        raise DatasetError.single(table="", file=source, column="",
                                  rule="not valid TOML: nested too deeply") from None


def _map_document(name: str, folder: Path, explicit: bool) -> tuple[dict[str, Any], str]:
    """The TOML of a column map given by preset name or path.

    A path in ``dataset.toml`` is relative to the dataset folder; one given
    by the caller (``--map``) may also be relative to the working directory.
    """
    if name in PRESETS:
        text = resources.files("b2bkit.load").joinpath(f"presets/{name}.toml").read_text("utf-8")
        return _parse_toml(text, f"preset {name!r}"), f"preset {name!r}"
    path = Path(name)
    if not path.is_absolute() and not (explicit and path.is_file()):
        path = folder / name
    if not path.is_file():
        raise DatasetError.single(
            table="", file=str(path), column="column_map",
            rule=f"column map not found (give a path or one of the presets {', '.join(PRESETS)})",
        )
    return _read_toml(path), str(path)


def map_settings(column_map: str) -> Settings:
    """The settings a column map carries by itself: for a source without dataset.toml.

    A database URL has no folder and no dataset.toml, so its map (a file,
    relative to the working directory, or a preset name) carries both the
    tables' mapping and any dataset setting (currency, as_of, targets, ...).

    >>> map_settings("hubspot").tables["opportunities"].columns["amount"]
    'Amount'
    """
    doc, source = _map_document(column_map, Path.cwd(), explicit=True)
    return Settings.from_dict(doc, source=source)


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
    mapped = Settings.from_dict(doc, source=source, preset=map_name in PRESETS)
    # the dataset's own settings win; the map's fill what it leaves unset
    return own.merged_over(mapped, explicit_keys)
