"""Fuzzing: random files in and out of the contract never raise anything but b2bkit's errors.

Budget: 60 random datasets for the loader (strict and lenient each) and 30 for the
catalogue, derandomized so every machine runs the same examples.
"""

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bkit.dataset import load_dataset
from b2bkit.errors import B2bkitError, DatasetError
from b2bkit.metrics import compute_all
from b2bkit.schema import TABLES

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

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


def _write(files: dict[str, bytes]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="b2bkit-fuzz-"))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@FUZZ
@given(files=table_files())
def test_loader_raises_only_its_own_errors_and_accounts_for_every_row(files) -> None:
    folder = _write(files)
    try:
        load_dataset(folder)
    except DatasetError as exc:
        assert len(exc.violations) >= 1 and str(exc)
    try:
        ds = load_dataset(folder, lenient=True)
    except DatasetError:
        return  # a file-level problem (unreadable, missing column): reported, nothing loaded
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
    try:
        ds = load_dataset(_write(files), lenient=True)
    except DatasetError:
        return
    try:
        table = compute_all(ds, period, by=by)
    except B2bkitError:
        return
    assert set(table.columns) == {"group", "metric", "unit", "value", "note"}
    missing = table[table["value"].isna()]
    assert missing["note"].notna().all(), missing
