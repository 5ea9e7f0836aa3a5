"""The cache of validated datasets: a hit is the same dataset; any change is a miss."""

import hashlib
import json
import os
import shutil
import struct
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import b2bkit.load.dataset
import b2bkit.view.view
from b2bkit.cli import main
from b2bkit.core.errors import DatasetError
from b2bkit.load import cache
from b2bkit.load.dataset import load_dataset
from b2bkit.metrics import load_view
from tests.conftest import SAMPLE


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """The cache on, in a folder of its own, keeping every load at once."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    monkeypatch.setattr(cache, "MIN_SECONDS", 0.0)
    monkeypatch.setattr(cache, "SETTLE_SECONDS", 0.0)
    return folder


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the sample dataset (Tiny Co) that a test may change."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "tiny"))


@pytest.fixture
def no_reading(monkeypatch):
    """Loading that fails if any table file is read: what comes back came from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("the files were read again")

    return lambda: monkeypatch.setattr(b2bkit.load.dataset, "read_tables", refuse)


def entries(store: Path) -> list[Path]:
    return sorted(store.glob("*.b2bkit-cache"))


def assert_same(a, b) -> None:
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    for frame in ("accounting", "set_aside", "problems", "quality"):
        pd.testing.assert_frame_equal(getattr(a, frame), getattr(b, frame))
    assert a.links.keys() == b.links.keys()
    assert all(np.array_equal(a.links[k], b.links[k]) for k in a.links)
    assert (a.settings, a.path, a.ignored_files) == (b.settings, b.path, b.ignored_files)


def test_a_second_load_maps_the_first_one_back(store, folder, no_reading):
    first = load_dataset(folder)
    assert len(entries(store)) == 1
    no_reading()
    again = load_dataset(folder)
    assert_same(first, again)
    assert again.tables["orders"]["amount"].tolist() == [1200.5, 100.0]


def test_a_lenient_load_keeps_its_accounting(store, tmp_path, no_reading):
    broken = Path(shutil.copytree(Path(__file__).parents[1] / "data" / "broken" / "unknown_rep",
                                  tmp_path / "unknown_rep"))
    first = load_dataset(broken, lenient=True)
    no_reading()
    again = load_dataset(broken, lenient=True)
    assert_same(first, again)
    assert again.accounting["set_aside"].sum() == first.accounting["set_aside"].sum() > 0


def test_a_cell_changed_in_place_is_read_again(store, folder):
    load_dataset(folder)
    orders = folder / "orders.csv"
    text = orders.read_text()
    assert "1200.5" in text
    orders.write_text(text.replace("1200.5", "1300.5", 1))  # same size, same name
    assert load_dataset(folder).tables["orders"]["amount"].iloc[0] == 1300.5
    assert len(entries(store)) == 1  # the entry of the folder replaced, not a second one


@pytest.mark.parametrize("change", ["settings", "new file", "removed table", "code"])
def test_what_the_load_depends_on_is_in_the_key(store, folder, monkeypatch, change):
    before = load_dataset(folder)
    if change == "settings":
        toml = folder / "dataset.toml"
        toml.write_text(toml.read_text().replace("Tiny Co", "Tiny Company"))
    elif change == "new file":
        (folder / "notes.txt").write_text("not a table\n")
    elif change == "removed table":
        (folder / "nps.csv").unlink()
    else:
        monkeypatch.setattr(cache, "_code", lambda: "another version of b2bkit")
    after = load_dataset(folder)
    assert {
        "settings": after.settings.name == "Tiny Company",
        "new file": after.ignored_files == ["notes.txt"] != before.ignored_files,
        "removed table": "nps" not in after.tables and "nps" in before.tables,
        "code": after is not before,
    }[change]


def test_options_have_entries_of_their_own(store, tmp_path):
    broken = Path(shutil.copytree(Path(__file__).parents[1] / "data" / "broken" / "unknown_rep",
                                  tmp_path / "unknown_rep"))
    load_dataset(broken, lenient=True)
    with pytest.raises(DatasetError, match="unknown"):  # strict: the lenient entry is not used
        load_dataset(broken)
    assert len(entries(store)) == 1  # and the failed strict load wrote nothing


def test_changing_the_loaded_tables_does_not_change_the_entry(store, folder):
    load_dataset(folder)
    (path,) = entries(store)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ds = load_dataset(folder)
    ds.tables["orders"].loc[0, "amount"] = -1.0  # the mapped arrays are copy-on-write
    ds.tables["leads"].loc[:, "created_at"] = pd.Timestamp("2001-01-01")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    again = load_dataset(folder)
    assert again.tables["orders"]["amount"].iloc[0] == 1200.5
    assert again.tables["leads"]["created_at"].min() > pd.Timestamp("2024-01-01")


def test_a_damaged_entry_is_a_miss_and_is_replaced(store, folder):
    expected = load_dataset(folder)
    (path,) = entries(store)
    path.write_bytes(path.read_bytes()[:-1000])  # cut short: its arrays are gone
    assert_same(load_dataset(folder), expected)
    path.write_bytes(b"rubbish")
    assert_same(load_dataset(folder), expected)
    assert cache.Slot(path, key="x").get() is None


def _header(data: bytes) -> dict:
    length, _ = cache._TAIL.unpack(data[-cache._TAIL.size:])
    return json.loads(data[-cache._TAIL.size - length:-cache._TAIL.size])


@pytest.mark.parametrize("where", ["array", "pickle", "last byte of an array"])
def test_a_byte_changed_inside_an_entry_is_a_miss_and_is_replaced(store, folder, where):
    # issue 28: bytes changed inside the arrays gave an IndexError or a wrong revenue, exit 0
    expected = load_dataset(folder)
    (path,) = entries(store)
    data = bytearray(path.read_bytes())
    header = _header(bytes(data))
    if where == "array":  # 1200.5, an order's amount, becomes 724243.54: the size stays
        at = data.find(struct.pack("<d", 1200.5))
        assert at > header["data"][1]
        data[at:at + 8] = struct.pack("<d", 724243.54)
    elif where == "pickle":
        data[header["data"][0] + 40] ^= 0x01
    else:
        offset, size = header["buffers"][-1]
        data[offset + size - 1] ^= 0x80
    path.write_bytes(bytes(data))
    assert cache.Slot(path, key=header["key"]).get() is None
    assert_same(load_dataset(folder), expected)
    entry = cache.Slot(path, key=header["key"]).get()  # replaced by the load
    assert entry is not None and entry.dataset.tables["orders"]["amount"].iloc[0] == 1200.5


@pytest.mark.parametrize("reason", ["off", "no-cache", "fast", "recent", "shared folder"])
def test_when_nothing_is_written(store, folder, monkeypatch, reason):
    if reason == "off":
        monkeypatch.setenv(cache.ENV, "off")
    elif reason == "fast":
        monkeypatch.setattr(cache, "MIN_SECONDS", 60.0)
    elif reason == "recent":  # a file changed a moment ago may still be being written
        monkeypatch.setattr(cache, "SETTLE_SECONDS", 3600.0)
    elif reason == "shared folder":
        store.mkdir(mode=0o777)
        os.chmod(store, 0o777)  # others may write there: an entry could be planted
    load_dataset(folder, cache=reason != "no-cache")
    assert entries(store) == [] if store.exists() else True


def test_a_file_changed_while_it_was_read_is_not_cached(store, folder, monkeypatch):
    real = b2bkit.load.dataset.read_tables

    def read_and_touch(*args, **kwargs):
        tables = real(*args, **kwargs)
        (folder / "orders.csv").write_text((folder / "orders.csv").read_text() + "")
        os.utime(folder / "orders.csv", ns=(1, 1))
        return tables

    monkeypatch.setattr(b2bkit.load.dataset, "read_tables", read_and_touch)
    load_dataset(folder)
    assert entries(store) == []


def test_only_the_most_recently_used_entries_are_kept(store, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    folders = [Path(shutil.copytree(SAMPLE, tmp_path / f"tiny{i}")) for i in range(3)]
    for i, path in enumerate(folders):
        load_dataset(path)
        for entry in entries(store):  # apart in time, in the order they were used
            os.utime(entry, (entry.stat().st_mtime - 10 * (3 - i),) * 2)
    assert len(entries(store)) == 2
    load_dataset(folders[1])  # still there: used, not written
    load_dataset(folders[0])  # gone: read and written again, the oldest dropped
    assert len(entries(store)) == 2


def test_the_view_is_kept_beside_its_dataset(store, folder, monkeypatch, no_reading):
    _, view = load_view(folder, as_of="2025-02-28")
    calls = []
    real = b2bkit.view.view.prepare
    monkeypatch.setattr(b2bkit.view.view, "prepare",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    no_reading()
    ds2, view2 = load_view(folder, as_of="2025-02-28")
    assert calls == []
    assert repr(view2) == repr(view) == ("<View 'Tiny Co' as of 2025-02-28: 14 tables, "
                                         "32 rows, 1 customer>")
    assert view2.tables["leads"] is ds2.tables["leads"] or len(view2.tables["leads"]) < len(
        ds2.tables["leads"])
    _, later = load_view(folder)  # another as_of: prepared from the cached dataset
    assert len(calls) == 1 and later.as_of == pd.Timestamp("2025-03-15")


def written() -> None:
    """Wait for the cache entries that commands write in the background."""
    for thread in threading.enumerate():
        if thread.name == "b2bkit-cache":
            thread.join()


def test_kpis_twice_prints_the_same_and_no_cache_writes_nothing(store, folder, capsys,
                                                                 no_reading):
    args = ["kpis", "--data", str(folder), "--period", "2025-Q1", "--format", "json"]
    assert main([*args, "--no-cache"]) == 0
    fresh = json.loads(capsys.readouterr().out)
    written()
    assert entries(store) == []
    assert main(args) == 0  # kpis writes its entry in the background
    written()
    no_reading()
    assert main(args) == 0
    first, second = capsys.readouterr().out.split("\n]\n")[:2]
    assert json.loads(first + "]") == json.loads(second + "]") == fresh
    assert len(entries(store)) == 1
    assert fresh[0]["metrics"]["leads"] == 4
