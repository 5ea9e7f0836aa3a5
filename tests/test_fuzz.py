"""Fuzzing: random files in and out of the contract never raise anything but b2bkit's errors.

Budget: 60 random datasets for the loader (strict and lenient each), 30 for the
catalogue, 80 random dataset.toml settings and 80 random column-map tables, derandomized
so every machine runs the same examples. Every folder is a TemporaryDirectory: nothing is
left behind (issue 14).
"""

import csv
import datetime as dt
import io
import json
import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bkit.core.errors import B2bkitError, DatasetError
from b2bkit.core.schema import TABLES
from b2bkit.load.dataset import load_dataset
from b2bkit.metrics import compute_all

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ_SETTINGS = settings(FUZZ, max_examples=80)

cells = st.one_of(
    st.just(""), st.just(" "), st.sampled_from(["2025-01-05", "2025-13-40", "05.01.2025",
                                                "2025-01-05T10:00:00+03:00", "NaN", "inf",
                                                "-1", "0", "1e9", "1,5", "true", "maybe",
                                                "open", "won", "lost", "A1", "L1", "O1", "R1",
                                                "=HYPERLINK(\"x\")", "<script>", "\"", ";"]),
    st.text(max_size=12),
    st.integers(-10**6, 10**6).map(str),
)


@st.composite
def table_files(draw):
    """A dataset folder's files: 1-3 tables with random columns and cells."""
    names = draw(st.lists(st.sampled_from(list(TABLES)), min_size=1, max_size=3, unique=True))
    files = {}
    for name in names:
        spec = TABLES[name]
        columns = draw(st.lists(st.sampled_from([*spec.columns, "junk"]), min_size=1,
                                max_size=len(spec.columns), unique=True))
        if draw(st.booleans()):  # mostly keep the required ones, sometimes not
            columns = list(dict.fromkeys(spec.required + columns))
        rows = draw(st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns)),
                             max_size=8))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        text = buffer.getvalue()
        if draw(st.integers(0, 9)) == 0:  # now and then, a torn file
            text = text[: draw(st.integers(0, len(text)))]
        files[f"{name}.csv"] = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig",
                                                                 "cp1251", "utf-16"])),
                                          errors="replace")
    return files


@contextmanager
def _written(files: dict[str, bytes]) -> Iterator[Path]:
    """A temporary folder holding ``files``, removed on leaving."""
    with tempfile.TemporaryDirectory(prefix="b2bkit-fuzz-") as name:
        folder = Path(name)
        for file, data in files.items():
            (folder / file).write_bytes(data)
        yield folder


def _load_both(files: dict[str, bytes]):
    """Strict then lenient load of ``files``; the lenient dataset, or None."""
    with _written(files) as folder:
        try:
            load_dataset(folder)
        except DatasetError as exc:
            assert len(exc.violations) >= 1 and str(exc)
        try:
            return load_dataset(folder, lenient=True)
        except DatasetError:
            return None  # a file-level problem (unreadable, missing column): nothing loaded


@FUZZ
@given(files=table_files())
def test_loader_raises_only_its_own_errors_and_accounts_for_every_row(files) -> None:
    ds = _load_both(files)
    if ds is None:
        return
    for row in ds.accounting.itertuples(index=False):
        assert row.read == row.loaded + row.set_aside
        assert (ds.set_aside["table"] == row.table).sum() == row.set_aside
        assert len(ds[row.table]) == row.loaded


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=table_files(), period=st.sampled_from(["2025", "2025-Q1", "2025-01", "2025-W02",
                                                    "2024-12-30..2025-01-10"]),
       by=st.sampled_from([None, "channel", "rep_id", "segment"]))
def test_catalogue_never_crashes_on_what_loads(files, period, by) -> None:
    with _written(files) as folder:
        try:
            ds = load_dataset(folder, lenient=True)
        except DatasetError:
            return
    try:
        table = compute_all(ds, period, by=by)
    except B2bkitError:
        return
    assert list(table.columns) == [*([by] if by else []), "metric", "unit", "value", "note"]
    missing = table[table["value"].isna()]
    assert missing["note"].notna().all(), missing


# --- settings and column maps -------------------------------------------------------------------

def _toml(value: object) -> str:
    """``value`` as a TOML value (nan and inf included; dates as TOML dates)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(
            value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is written as JSON writes it
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


_scalars = st.one_of(
    st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=10),
    st.sampled_from(["2025-12-31", "2025-02-30", "01/02/2025", "today", "2025", "EUR", "usd",
                     "%d.%m.%Y", "%Q", ";", ";;", ",", ".", "cp1251", "klingon", "../x.csv",
                     "orders.csv", "sum", "avg", "*", "false", ""]),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC,
                                            dt.timezone(dt.timedelta(hours=3))])),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["by", "amount", "date", "x", "*", "won", "open"]), inner,
                    max_size=3)), max_leaves=6)

_SETTINGS = ["name", "currency", "as_of", "stages", "churn_after_days", "gross_margin",
             "max_lifetime_years", "column_map", "lenient", "colour"]
_MAP_KEYS = ["file", "sheet", "encoding", "delimiter", "decimal", "date_format", "optional",
             "columns", "values", "constants", "aggregate", "scale", "invert", "typo"]
_ORDERS = b"order_id;account_id;date;amount\nO1;A1;2025-01-05;1,5\nO1;A2;05.01.2025;2\n"


def _check_load(toml: str) -> None:
    files = {"dataset.toml": toml.encode("utf-8"), "orders.csv": _ORDERS}
    with _written(files) as folder:
        for lenient in (False, True):
            try:
                ds = load_dataset(folder, lenient=lenient)
            except B2bkitError as exc:
                assert str(exc)
            else:
                assert len(ds["orders"]) <= 2


@FUZZ_SETTINGS
@given(settings_=st.dictionaries(st.sampled_from(_SETTINGS), _values, max_size=4))
def test_random_settings_load_or_say_why(settings_: dict) -> None:
    _check_load("".join(f"{key} = {_toml(value)}\n" for key, value in settings_.items()))


@FUZZ_SETTINGS
@given(keys=st.dictionaries(st.sampled_from(_MAP_KEYS), _values, max_size=4),
       table=st.sampled_from(["orders", "orders", "spend", "nonsense"]))
def test_random_map_keys_load_or_say_why(keys: dict, table: str) -> None:
    _check_load(f"[tables.{table}]\n"
                + "".join(f"{key} = {_toml(value)}\n" for key, value in keys.items()))


def test_fuzzing_leaves_no_folder_behind(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # not the shared /tmp
    _check_load("as_of = 2025-12-31\n")
    with _written({"orders.csv": _ORDERS}) as folder:
        assert folder.parent == tmp_path and folder.is_dir()
    assert list(tmp_path.iterdir()) == []
