"""Validated datasets kept between runs: a repeated load maps a file instead of reading the export.

Reading a large export, typing every cell and checking every rule takes
seconds (scale 200 of the demo: about 6 s from CSV); the result depends only
on the files read, the settings, the options and the b2bkit code. So when a
folder takes longer than :data:`MIN_SECONDS` to load, the loader
(:func:`~b2bkit.load.dataset.load_dataset`, and
:func:`~b2bkit.view.view.load_view` for a view from as_of) puts the loaded
dataset in the cache, and the next load of the same folder
with the same options maps that file back instead (about 0.2 s at scale
200): same tables, dtypes, links, accounting, set-aside rows and data
quality, because it is the same object, pickled.

**When an entry is used.** Its key is a SHA-256 of

- the folder as given and as resolved, and ``lenient`` as given;
- the settings read (``dataset.toml`` and the column map, whole);
- for every file the load would read: path, size, modification and change
  times in nanoseconds, inode and device (the file-status fields git
  trusts for its index; any write changes the change time, and a
  replaced file has a new inode);
- the names of the files not read (they are listed in every output);
- the b2bkit code (every ``.py`` and ``.toml`` file of the package) and the
  Python, numpy, pandas and pyarrow versions.

Any difference is a miss: the folder is loaded again and the entry
replaced. Nothing is written when a file changed while it was read or
less than :data:`SETTLE_SECONDS` before (a file still being written, or a
change within the file system's timestamp resolution), when the load
failed (a strict load that raises caches nothing), or for a database URL.
An unreadable, foreign or damaged entry is a miss, never an error.

**Where.** ``$B2BKIT_CACHE`` if set (a folder; ``off`` turns the cache
off), else ``$XDG_CACHE_HOME/b2bkit``, else ``~/.cache/b2bkit``; the folder
is created private (mode 700) and is not used when another user owns it or
others may write to it. The :data:`KEEP` most recently used entries are
kept, one per folder and options; an entry takes about the dataset's size
in memory (1.1 GB at scale 200). The commands take ``--no-cache``, and
:func:`~b2bkit.load.dataset.load_dataset` ``cache=False``. An entry holds the
data of the export: delete the folder when the data must not stay on this
machine.

**A plain store.** A :class:`Slot` is one key and its file: :meth:`Slot.get`
gives the entry it holds or None, :meth:`Slot.put` stores one. The cache
knows nothing of how a dataset is loaded; the loader asks it, and puts what
it loaded.

**Format.** One file per entry: the magic bytes, a pickle (protocol 5) of
the dataset and its views with every large array taken out of band, those
arrays (64-byte aligned), a JSON header (key, offsets, checksums), its
length and the magic bytes again. Reading maps the file copy-on-write and
hands the pickle the mapped arrays, so nothing is copied until it is used.

**Checked on read.** The header holds a CRC-32 of every
:data:`PIECE` bytes of the pickle and of each array; :meth:`Slot.get`
computes them again (in threads, one per core: zlib releases the GIL) and
serves nothing unless all agree. A byte changed anywhere in the pickle or
the arrays (a bad disk block, an edit that keeps the size and the times) is
a miss: the folder is loaded again and the entry replaced, never a
traceback or a wrong number. CRC-32 finds accidental damage, not a forger:
the folder is private to the user (see "Where"), and one who can write to
it could write any pickle. At scale 200 the check reads the whole entry
(about 1.4 GB/s per core).

Examples
--------
>>> import tempfile
>>> from b2bkit.load.dataset import sample_dataset
>>> with tempfile.TemporaryDirectory() as folder:
...     slot = Slot(pathlib.Path(folder) / "x.b2bkit-cache", key="k", stats=())
...     slot.put(Entry(sample_dataset()), seconds=MIN_SECONDS)
...     entry = slot.get()
...     Slot(slot.path, key="other", stats=()).get() is None
True
True
>>> entry.dataset.settings.name, len(entry.dataset["leads"])
('Tiny Co', 4)
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import pathlib
import pickle
import struct
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from b2bkit.load.settings import Settings

__all__ = ["ENV", "KEEP", "MIN_SECONDS", "PIECE", "SETTLE_SECONDS", "Entry", "Slot",
           "cache_folder", "slot_for"]

#: The environment variable naming the cache folder (``off``: no cache).
ENV = "B2BKIT_CACHE"
#: Loads faster than this (seconds) are not worth a file.
MIN_SECONDS = 1.0
#: A file changed less than this many seconds before the load is not cached.
SETTLE_SECONDS = 2.0
#: How many entries are kept (the most recently used).
KEEP = 4

_SUFFIX = ".b2bkit-cache"
_MAGIC = b"B2BKIT\x00\x02"  # 2: with checksums
_TAIL = struct.Struct("<Q8s")
_ALIGN = 64
_OFF = {"0", "off", "no", "false", "none"}
#: Bytes per checksum: the unit of damage found and of the threads that check.
PIECE = 32 * 1024**2


@dataclass
class Entry:
    """What one cache file holds: a loaded dataset and its views by as_of.

    ``dataset`` is a :class:`~b2bkit.load.dataset.Dataset`; ``views`` maps
    the as_of asked for (None: the dataset's own) to the View that
    :func:`~b2bkit.view.view.prepare` gave. The store pickles both as they
    are and does not look inside.
    """

    dataset: Any
    views: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Slot:
    """The cache file of one folder loaded with one set of options, and the key it must hold.

    ``stats`` are the file-status fields of the files read, taken before
    they were read; :meth:`write` takes them again and writes nothing when
    they changed.
    """

    path: pathlib.Path
    key: str
    stats: tuple = ()

    def get(self) -> Entry | None:
        """The entry in :attr:`path` when it holds :attr:`key`, else None."""
        try:
            return _read(self.path, self.key)
        except Exception:  # a damaged or foreign entry is a miss, never an error
            return None

    def put(self, entry: Entry, *, seconds: float, background: bool = False) -> bool:
        """Store ``entry`` under :attr:`key`; False when it was not kept.

        ``seconds`` is how long the entry took to make: below
        :data:`MIN_SECONDS` it is not worth a file. Nothing is written when a
        file read changed since :attr:`stats` were taken or less than
        :data:`SETTLE_SECONDS` before now. The file is written beside its
        final name and renamed into place, so a reader sees the old entry or
        the new one, never half of one.

        ``background=True`` writes in a thread while the caller goes on (the
        interpreter waits for it before it exits); only for a caller that
        changes neither the dataset nor its views meanwhile, such as the
        ``kpis`` command, since the arrays are written as they are then.
        """
        folder = self.path.parent
        if seconds < MIN_SECONDS or not (self._settled() and _private(folder)):
            return False
        if background:
            threading.Thread(target=self._store, args=(entry,), name="b2bkit-cache",
                             daemon=False).start()
            return True
        return self._store(entry)

    def _store(self, entry: Entry) -> bool:
        folder = self.path.parent
        try:
            part = tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False)
        except OSError:  # the folder vanished or is full: the load stands, uncached
            return False
        try:
            with part:
                _dump(part, self.key, entry)
            os.replace(part.name, self.path)
        except OSError:
            pathlib.Path(part.name).unlink(missing_ok=True)
            return False
        _prune(folder)
        return True

    def _settled(self) -> bool:
        now = time.time_ns()
        try:
            again = _stats([pathlib.Path(s[0]) for s in self.stats])
        except OSError:
            return False
        recent = any(now - max(s[2], s[3]) < SETTLE_SECONDS * 1e9 for s in again)
        return again == self.stats and not recent


def cache_folder() -> pathlib.Path | None:
    """The cache folder of this environment, or None when ``$B2BKIT_CACHE`` is ``off``."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() in _OFF:
        return None
    if chosen:
        return pathlib.Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "b2bkit"


def slot_for(folder: pathlib.Path, settings: Settings, files: Mapping[str, pathlib.Path],
             ignored: Sequence[str], lenient: bool | None, *, enabled: bool = True) -> Slot | None:
    """Where the load of ``folder`` with these options is cached; None without a cache.

    Parameters
    ----------
    folder : Path
        The dataset folder, as given to :func:`~b2bkit.load.dataset.load_dataset`.
    settings : Settings
        Its settings (dataset.toml and the column map).
    files : dict of str to Path
        The file of each table the load will read.
    ignored : list of str
        The files of the folder it will not read.
    lenient : bool or None
        ``lenient`` as given.
    enabled : bool
        False: no cache (``--no-cache``).
    """
    home = cache_folder() if enabled else None
    if home is None or (home.exists() and not _private(home)):
        return None
    try:
        stats = _stats(sorted(files.values()))
    except OSError:
        return None  # a file vanished: the load will say so
    where = f"{folder}\0{folder.resolve()}\0{lenient!r}"
    name = hashlib.sha256(where.encode()).hexdigest()[:32]
    what = "\0".join([where, repr(settings), repr(list(ignored)), repr(stats), _code()])
    return Slot(home / f"{name}{_SUFFIX}", hashlib.sha256(what.encode()).hexdigest(), stats)


def _stats(paths: Sequence[pathlib.Path]) -> tuple:
    """Path, size, mtime, ctime (ns), inode and device of each file."""
    out = []
    for path in paths:
        s = os.stat(path)
        out.append((str(path), s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino, s.st_dev))
    return tuple(out)


@cache
def _code() -> str:
    """A fingerprint of the b2bkit code and of the libraries a pickle depends on."""
    import numpy
    import pandas
    import pyarrow

    digest = hashlib.sha256(_MAGIC)
    root = pathlib.Path(__file__).parents[1]
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".toml"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for version in (sys.version, numpy.__version__, pandas.__version__, pyarrow.__version__):
        digest.update(version.encode())
    return digest.hexdigest()


def _private(folder: pathlib.Path) -> bool:
    """Create ``folder`` (mode 700) if needed; True when only this user may write to it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return mine and not status.st_mode & 0o022


class _Summing:
    """A write-only file that passes bytes on and takes the CRC-32 of every :data:`PIECE`."""

    def __init__(self, handle: Any) -> None:
        self.handle, self.sums, self._crc, self._filled = handle, [], 0, 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.handle.write(view)
        while len(view):
            take = min(len(view), PIECE - self._filled)
            self._crc = zlib.crc32(view[:take], self._crc)
            self._filled += take
            view = view[take:]
            if self._filled == PIECE:
                self.end()
        return len(data) if isinstance(data, bytes | bytearray) else memoryview(data).nbytes

    def end(self) -> None:
        """Close the piece being summed (at the end of the pickle and of each array)."""
        if self._filled:
            self.sums.append(self._crc)
        self._crc, self._filled = 0, 0


def _pieces(whole: memoryview, spans: Sequence[Sequence[int]]) -> Iterator[memoryview]:
    """The pieces of ``spans`` (offset, size) that one checksum each covers."""
    for offset, size in spans:
        for start in range(offset, offset + size, PIECE):
            yield whole[start:min(start + PIECE, offset + size)]


def _sums(whole: memoryview, spans: Sequence[Sequence[int]]) -> list[int]:
    """The CRC-32 of every piece of ``spans``, in threads (zlib releases the GIL)."""
    pieces = list(_pieces(whole, spans))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if len(pieces) < 2 or cores < 2:
        return [zlib.crc32(piece) for piece in pieces]
    with ThreadPoolExecutor(max_workers=min(cores, len(pieces))) as pool:
        return list(pool.map(zlib.crc32, pieces))


def _dump(handle: Any, key: str, entry: Entry) -> None:
    """Write ``entry`` to the open binary file ``handle`` in the format of the module.

    The pickle streams to the file as it is made (no copy of it in memory);
    the arrays it leaves out of band follow, then the header that locates
    them and holds their checksums, its length and the magic bytes.
    """
    buffers: list[pickle.PickleBuffer] = []
    handle.write(_MAGIC)
    summing = _Summing(handle)
    pickle.Pickler(summing, protocol=5, buffer_callback=buffers.append).dump(entry)
    summing.end()
    end = handle.tell()
    spans = []
    for buffer in buffers:
        raw = buffer.raw()
        handle.write(b"\0" * (-handle.tell() % _ALIGN))
        spans.append((handle.tell(), raw.nbytes))
        summing.write(raw)
        summing.end()
    text = json.dumps({"key": key, "data": [len(_MAGIC), end], "buffers": spans,
                       "crc32": summing.sums}).encode()
    handle.write(text + _TAIL.pack(len(text), _MAGIC))


def _read(path: pathlib.Path, key: str) -> Entry | None:
    """The entry of ``path`` if it is this user's, in this format and holds ``key``."""
    with path.open("rb") as handle:
        status = os.fstat(handle.fileno())
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            return None
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    whole = memoryview(mapped)
    length, magic = _TAIL.unpack(whole[-_TAIL.size:])
    if magic != _MAGIC or whole[:len(_MAGIC)] != _MAGIC:
        return None
    header = json.loads(bytes(whole[-_TAIL.size - length:-_TAIL.size]))
    if header.get("key") != key:
        return None
    start, stop = header["data"]
    spans = [(start, stop - start), *header["buffers"]]
    if _sums(whole, spans) != header["crc32"]:
        return None  # damaged: a miss, and the entry is replaced
    buffers = [whole[offset:offset + size] for offset, size in header["buffers"]]
    entry = pickle.loads(whole[start:stop], buffers=buffers)
    os.utime(path)  # recently used: kept longest
    return entry if isinstance(entry, Entry) else None


def _prune(folder: pathlib.Path) -> None:
    """Keep the :data:`KEEP` most recently used entries; drop parts left by a killed writer."""
    entries = sorted(folder.glob(f"*{_SUFFIX}"), key=_mtime, reverse=True)
    old_parts = [p for p in folder.glob("*.part") if time.time() - _mtime(p) > 3600]
    for path in entries[KEEP:] + old_parts:
        path.unlink(missing_ok=True)


def _mtime(path: pathlib.Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
