"""Reading one table's file into a frame of raw text cells.

Files are read with every cell as text so that nothing is lost or guessed
before validation: the loader parses the text itself and reports each cell it
cannot parse. Supported: ``.csv``, ``.tsv``, ``.txt``, ``.csv.gz``,
``.tsv.gz``, ``.parquet``, ``.xlsx``; canonical names match exactly. For
text files the encoding and the delimiter are detected
unless the column map declares them; the encoding is never guessed silently
(:func:`detect_encoding`).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from b2bkit.core import source
from b2bkit.core.errors import DatasetError
from b2bkit.core.schema import TABLES
from b2bkit.load.parsing import STRING, visible

__all__ = [
    "CANDIDATES",
    "MAX_INFLATED_BYTES",
    "MAX_RATIO",
    "RATIO_FROM_BYTES",
    "SUFFIXES",
    "RawTable",
    "detect_encoding",
    "find_table_file",
    "near_miss",
    "read_raw",
    "read_sql",
    "sql_table_name",
]

#: File endings a table may have, in the order they are looked for (any case).
SUFFIXES = (".csv", ".csv.gz", ".parquet", ".xlsx", ".tsv", ".tsv.gz", ".txt")
_TEXT_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt")
#: Endings of data files that are not read: a table in one is an error, not ignored.
_UNREAD = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".json", ".zip", ".bz2", ".xz",
           ".txt.gz")

#: A ``.gz`` file may inflate to at most this many bytes ...
MAX_INFLATED_BYTES = 4 * 1024**3
#: ... and, once past :data:`RATIO_FROM_BYTES`, to at most this many times its
#: own size: a 1 MB file that inflates to 1 GB is a decompression bomb.
MAX_RATIO = 100
RATIO_FROM_BYTES = 256 * 1024**2
_CHUNK = 8 * 1024**2

#: How much of a file the encoding and delimiter are detected on.
_SAMPLE_BYTES = 1024 * 1024

#: Single-byte encodings a CRM export without a BOM may be in, by preference
#: when two read the same text. cp1252 stands for latin-1 too: both give the
#: same letters, and cp1252 also has the quotes, dashes and euro sign that
#: Windows puts in 0x80-0x9F, which latin-1 reads as invisible control
#: characters. latin-1 is tried only when cp1252 cannot decode the bytes.
CANDIDATES = ("cp1252", "cp1250", "cp1251")

#: The letters beyond ASCII of the languages each candidate encodes.
_LANGUAGES = {
    "cp1252": {
        "es": "áéíóúñü", "pt": "áâãàçéêíóôõú", "fr": "àâæçéèêëîïôœùûüÿ", "de": "äöüß",
        "it": "àèéìíîòóù", "ca": "àçèéíïòóúü", "nl": "áéëíïóöúü", "sv": "åäöé",
        "da": "æøåé", "is": "áðéíóúýþæö", "fi": "äöåšž", "et": "äöõüšž",
    },
    "cp1250": {
        "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž",
        "hu": "áéíóöőúüű", "ro": "ăâîșțşţ", "hr": "čćđšž", "sl": "čšž", "de": "äöüß",
    },
    "cp1251": {"cyrillic": "".join(map(chr, range(0x430, 0x460))) + "ґ"},
}
_LANGUAGES = {enc: {lang: set(letters + letters.upper()) for lang, letters in langs.items()}
              for enc, langs in _LANGUAGES.items()}
#: Marks that may sit inside or at the edge of a word in any language.
_WORD_MARKS = set("’·")
_OPENING, _CLOSING = set("¿¡«„“‘‚‹№"), set("»”’›…°ºª™®©")
#: A token: a run without spaces, ASCII punctuation or digits.
_TOKEN = re.compile(r"[^\s\x00-\x26\x28-\x2f\x30-\x40\x5b-\x60\x7b-\x7f]*[^\x00-\x7f]"
                    r"[^\s\x00-\x26\x28-\x2f\x30-\x40\x5b-\x60\x7b-\x7f]*")
_MAX_TOKENS = 5000
#: Spellings the languages never have: Polish writes ni, ci, si, zi before a
#: vowel, never ń, ć, ś, ź (so ``Espańa`` is Spanish misread); Spanish ñ always
#: comes before a vowel (so ``Gdañsk`` is Polish misread).
_NEVER = {"cp1250": re.compile("[ńćśźŃĆŚŹ][aeiouyąęóAEIOUYĄĘÓ]"),
          "cp1252": re.compile("[ñÑ](?![aeiouáéíóúAEIOUÁÉÍÓÚ])")}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class RawTable:
    """The cells of one file, before parsing.

    ``frame`` has one row per data row of the file. ``lines`` holds, per
    row, the line of the file where the row starts (CSV: a quoted cell over
    several lines moves every later row down), the sheet row (Excel) or the
    row number (Parquet, SQL); ``line_word`` says which. The frame's index
    is ``lines - first_line``, so ``index + first_line`` is the row's line
    too (the older way of numbering, kept for compatibility).
    """

    table: str
    file: str
    frame: pd.DataFrame
    first_line: int
    line_word: str = "line"
    typed: bool = False  # cells already typed (Parquet, SQL)
    lines: np.ndarray = field(default=None)  # type: ignore[assignment]
    #: header names the file has more than once (their later columns are named ``name [2]``)
    duplicated: tuple[str, ...] = ()
    #: lines above the header (title lines of a report), left out
    title_lines: int = 0

    def __post_init__(self) -> None:
        if self.lines is None:
            self.lines = np.asarray(self.frame.index, dtype=np.int64) + self.first_line


def _error(path: Path | str, rule: str, *, table: str = "", examples: list[str] | None = None,
           rows: int = 0) -> DatasetError:
    return DatasetError.single(table=table, file=str(path), column="", rule=rule,
                               examples=examples, rows=rows)


def find_table_file(folder: Path, table: str) -> Path | None:
    """The file holding ``table`` in ``folder``, or None.

    The name is matched exactly (CONTRACT section 1: ``leads.csv``, not
    ``Leads.csv``, which :func:`near_miss` names) and may end in any of
    :data:`SUFFIXES`; ``.tsv`` files are tab-separated, ``.txt`` files have
    their delimiter detected.

    Raises
    ------
    DatasetError
        When the table is there in two files (which one is meant?), or in
        a data format that is not read (``leads.xls``, ``leads.csv.zip``).
    """
    wanted = {f"{table}{suffix}" for suffix in SUFFIXES}
    files = [p for p in folder.iterdir() if p.name.startswith(f"{table}.")]
    unread = [p for p in files if p.name.lower().endswith(_UNREAD)]
    if unread:
        raise _error(unread[0], f"table {table} is in a format b2bkit does not read; save it as "
                                f"{table}.csv (or {table}.xlsx, {table}.parquet)", table=table)
    found = sorted((p for p in files if p.name in wanted and p.is_file()),
                   key=lambda p: p.name)
    if len(found) > 1:
        raise DatasetError.single(
            table=table, file=str(found[0]), column="",
            rule=f"table {table} is in {len(found)} files ({', '.join(p.name for p in found)}); "
                 "keep one",
        )
    return found[0] if found else None


def near_miss(name: str) -> str | None:
    """The canonical file name that ``name`` differs from only in case, or None.

    >>> near_miss("Leads.csv"), near_miss("LEADS.CSV"), near_miss("leads.csv"), near_miss("x.csv")
    ('leads.csv', 'leads.csv', None, None)
    """
    lower = name.lower()
    for table in TABLES:
        for suffix in SUFFIXES:
            canonical = f"{table}{suffix}"
            if lower == canonical and name != canonical:
                return canonical
    return None


def _script(char: str) -> str:
    if "\u0400" <= char <= "\u04ff":
        return "cyrillic"
    if char.isascii() or "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff":
        return "latin"
    return "other"


def _plausible(token: str, languages: dict[str, set[str]],
               never: re.Pattern[str] | None = None) -> frozenset[str] | None:
    """The letters beyond ASCII of a plausible word, or None for an implausible one.

    A word is implausible when it mixes scripts (``Diseсo``: a Cyrillic
    letter among Latin ones), when a mark that is no letter sits inside it
    (``Spó³ka``, ``Za¿ó³æ``), or when no single language of the encoding has
    all its letters (``Compańía``: Polish ń with Spanish í), or when it is
    spelled as its language never is (``never``: Polish ń before a vowel).
    """
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return frozenset() if all(c.isprintable() for c in token) else None
    if len({_script(c) for c in letters}) > 1 or "other" in {_script(c) for c in letters}:
        return None
    for position, char in enumerate(token):
        if char.isalpha() or char.isascii() or char in _WORD_MARKS:
            continue
        if (position == 0 and char in _OPENING) or (
                position == len(token) - 1 and char in _CLOSING):
            continue
        return None
    special = frozenset(c for c in letters if not c.isascii())
    if not any(special <= alphabet for alphabet in languages.values()):
        return None
    if never is not None and never.search(token):
        return None
    return special


def _languages_needed(letters: set[str], languages: dict[str, set[str]]) -> int:
    """How many languages (chosen greedily) cover ``letters``."""
    left, count = set(letters), 0
    while left:
        best = max(languages.values(), key=lambda alphabet: len(left & alphabet))
        left -= best
        count += 1
    return count


def _score(text: str, encoding: str) -> tuple[int, int]:
    """(implausible words, languages needed) of a decoded sample: lower is likelier."""
    languages = _LANGUAGES[encoding] if encoding in _LANGUAGES else _LANGUAGES["cp1252"]
    tokens = set()
    for match in _TOKEN.finditer(text):
        tokens.add(match.group())
        if len(tokens) >= _MAX_TOKENS:
            break
    bad, letters = 0, set()
    for token in tokens:
        special = _plausible(token, languages, _NEVER.get(encoding))
        if special is None:
            bad += 1
        else:
            letters |= special
    return bad, _languages_needed(letters, languages)


def _utf16_by_nul(sample: bytes) -> str | None:
    """``utf-16-le`` / ``-be`` when every other byte is mostly NUL (text without a BOM)."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0:pairs * 2:2].count(0), sample[1:pairs * 2:2].count(0)
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _first_difference(texts: dict[str, str]) -> dict[str, str]:
    """Per encoding, the first word that the encodings read differently."""
    first, other = texts.values()
    tokens = [m.group() for m in _TOKEN.finditer(first)]
    others = [m.group() for m in _TOKEN.finditer(other)]
    for a, b in zip(tokens, others, strict=False):
        if a != b:
            return dict(zip(texts, (a, b), strict=True))
    return dict.fromkeys(texts, "")


def detect_encoding(sample: bytes, *, file: str = "", complete: bool = True) -> str:
    """The encoding of a text file, decided on evidence or not at all.

    In order: a byte order mark (UTF-8, UTF-16); UTF-16 without one, when
    every other byte is NUL; UTF-8 when the bytes decode as UTF-8 (pure
    ASCII included). Otherwise each of :data:`CANDIDATES` that decodes the
    bytes is scored on its words that hold a letter beyond ASCII: a word is
    implausible when it mixes scripts, holds a mark inside (``Spó³ka``), or
    has letters no single language of the encoding has together
    (``Compańía``); then the fewer languages needed for all the letters of
    the file, the likelier (``Crčme``, ``Société``, ``Île`` need Czech and
    Romanian in cp1250, only French in cp1252). The lowest score wins.
    Two candidates that read the text differently and score the same are
    an error: the user declares the encoding.

    Parameters
    ----------
    sample : bytes
        The file, or its start.
    complete : bool
        False when ``sample`` is only the start of the file: a multi-byte
        UTF-8 character cut at its end is then no evidence against UTF-8.
    file : str
        The file's name, for the message.

    Returns
    -------
    str
        A Python codec name.

    Raises
    ------
    DatasetError
        When two encodings stay plausible; it names both and the first word
        they read differently.

    Examples
    --------
    >>> detect_encoding("Diseño;México;Compañía".encode("cp1252"))
    'cp1252'
    >>> detect_encoding("Łódź;Spółka".encode("cp1250"))
    'cp1250'
    >>> detect_encoding("Ромашка;Москва".encode("cp1251"))
    'cp1251'
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    by_nul = _utf16_by_nul(sample[:4096])
    if by_nul:
        return by_nul
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(sample) - 4 and exc.reason == "unexpected end of data":
            return "utf-8"
    texts = {}
    for name in CANDIDATES:
        try:
            texts[name] = sample.decode(name)
        except UnicodeDecodeError:
            continue
    if "cp1252" not in texts:
        texts["latin_1"] = sample.decode("latin_1")
    scores = {name: _score(text, name) for name, text in texts.items()}
    tied = [name for name in texts if scores[name] == min(scores.values())]
    a = tied[0]
    b = next((name for name in tied if texts[name] != texts[a]), None)
    if b is None:
        return a
    words = _first_difference({a: texts[a], b: texts[b]})
    raise _error(file, f"the encoding is ambiguous: the file reads as {a} ({words[a]!r}) or as "
                       f"{b} ({words[b]!r}); declare it in the column map, e.g. "
                       f"encoding = \"{a}\"")


def _read_bytes(path: Path, table: str) -> bytes:
    """The whole file; a ``.gz`` inflated within the limits of :data:`MAX_RATIO` and co."""
    if not path.name.lower().endswith(".gz"):
        return path.read_bytes()
    packed = path.stat().st_size
    chunks, size = [], 0
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > MAX_INFLATED_BYTES or (size > RATIO_FROM_BYTES
                                                 and size > MAX_RATIO * packed):
                    limit = (f"{MAX_INFLATED_BYTES:,} bytes" if size > MAX_INFLATED_BYTES else
                             f"{MAX_RATIO} times its own {packed:,} bytes")
                    raise _error(path, f"inflates to more than {limit}: refused as a possible "
                                       "decompression bomb; unpack it yourself if it is genuine",
                                 table=table)
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise _error(path, f"not a readable gzip file ({exc})", table=table) from None
    return b"".join(chunks)


def _encoding_error(path: Path, data: bytes, encoding: str,
                    exc: UnicodeDecodeError) -> DatasetError:
    """Name the line of the first byte that ``encoding`` cannot decode."""
    newline = b"\n" if b"\n" in data else b"\r"
    line = data[: exc.start].count(newline) + 1
    byte = data[exc.start : exc.start + 1].hex()
    return _error(path, f"not readable as {encoding} at line {line} (byte 0x{byte}); declare the "
                        "file's encoding in the column map, e.g. encoding = \"cp1251\"")


def _decode(path: Path, table: str, data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text of the file and the encoding it was read in."""
    complete = len(data) <= _SAMPLE_BYTES
    encoding = encoding or detect_encoding(data[:_SAMPLE_BYTES], file=str(path),
                                           complete=complete)
    try:
        text = data.decode(encoding)
    except LookupError:
        raise _error(path, f"unknown encoding {encoding!r}", table=table) from None
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, data, encoding, exc) from None
    return text.removeprefix("\ufeff"), encoding


def _detect_delimiter(text: str) -> str:
    r"""The delimiter by :class:`csv.Sniffer`, else the one most lines have the same count of.

    Title lines above a report's header break the Sniffer's consistency; the
    fallback then takes the mark whose most common (non-zero) count per line
    is shared by the most lines (ties: the higher count, then ``,``).

    >>> _detect_delimiter("Campaign report\nJan 2026\na;b;c\n1;2;3\n4;5;6\n")
    ';'
    """
    lines = text[:_SAMPLE_BYTES].splitlines()[:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        def score(mark: str) -> tuple[int, int, bool]:
            counts = [line.count(mark) for line in lines if line.count(mark)]
            if not counts:
                return (0, 0, mark == ",")
            common = max(set(counts), key=lambda c: (counts.count(c), c))
            return (counts.count(common), common, mark == ",")
        return max(",;\t|", key=score)


#: How many lines from the top the header is looked for in.
HEADER_SEARCH_LINES = 30


def _header_line(text: str, delimiter: str, expected: list[tuple[str, ...]],
                 header_row: int | None) -> int:
    r"""The 0-based physical line of the header (CONTRACT section 1, "Header and title lines").

    ``header_row`` (1-based) when given; else the first of the first
    :data:`HEADER_SEARCH_LINES` lines holding at least half of ``expected``
    (groups of alternatives: one found counts), else the first line.

    >>> _header_line("Report\nJune\nid,amount\n1,2\n", ",", [("id",), ("amount",)], None)
    2
    """
    if header_row is not None:
        return header_row - 1
    if not expected:
        return 0
    needed = max(1, -(-len(expected) // 2))
    for number, line in enumerate(_lines(text)):
        if number >= HEADER_SEARCH_LINES:
            break
        try:
            cells = {c.strip().lstrip("\ufeff") for c in next(csv.reader([line],
                                                                         delimiter=delimiter), [])}
        except csv.Error:  # a stray carriage return: not a header line; the reader says why
            continue
        if sum(any(name in cells for name in group) for group in expected) >= needed:
            return number
    return 0


def _unique_header(header: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Header names made unique (a repeat of ``name`` becomes ``name [2]``), and the repeats.

    >>> _unique_header(["a", "b", "a"])
    (['a', 'b', 'a [2]'], ('a',))
    """
    seen: dict[str, int] = {}
    out = []
    for name in header:
        if name and name in seen:
            seen[name] += 1
            out.append(f"{name} [{seen[name]}]")
        else:
            seen.setdefault(name, 1)
            out.append(name)
    return out, tuple(sorted(n for n, k in seen.items() if k > 1))


def _max_fields(data: bytes, delimiter: str) -> int:
    """An upper bound of the fields of a one-line record: the most delimiters on a line, + 1."""
    mark = np.frombuffer(delimiter.encode("utf-8"), dtype=np.uint8)
    array = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(array == 10)
    marks = np.flatnonzero(array[: len(array) - len(mark) + 1] == mark[0])
    for offset in range(1, len(mark)):  # a delimiter of several bytes (UTF-8 of §, ¦ ...)
        marks = marks[array[marks + offset] == mark[offset]]
    if not len(marks):
        return 1
    return int(np.bincount(np.searchsorted(ends, marks)).max()) + 1


def _breaks(frame: pd.DataFrame) -> np.ndarray:
    """Per row, the line breaks inside its quoted cells."""
    counts = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:
        counts += frame[column].str.count(r"\r\n|\r|\n").fillna(0).to_numpy(dtype=np.int64)
    return counts


def _extra_fields(path: Path, table: str, frame: pd.DataFrame, header: list[str],
                  lines: np.ndarray) -> pd.DataFrame:
    """Drop empty fields past the header (trailing delimiters); fail on filled ones."""
    extra = frame.iloc[:, len(header):]
    if extra.shape[1] == 0:
        return frame
    filled = pd.concat([extra[c].fillna("").str.strip() != "" for c in extra.columns], axis=1)
    rows = filled.to_numpy().any(axis=1)
    if rows.any():
        last = filled.to_numpy()[rows][:, ::-1].argmax(axis=1)
        fields = len(header) + extra.shape[1] - last
        lo, hi = int(fields.min()), int(fields.max())
        count = f"{lo}" if lo == hi else f"{lo} to {hi}"
        first = extra.to_numpy()[rows][:, 0]
        shown = [f"line {n}: {k} fields; the first past the header is "
                 f"{visible('' if pd.isna(v) else str(v))!r}"
                 for n, k, v in zip(lines[rows][:5], fields[:5], first[:5], strict=False)]
        raise _error(path, f"{count} fields where the header has {len(header)}: quote values "
                           "that hold the delimiter, or name every column in the header",
                     table=table, examples=shown, rows=int(rows.sum()))
    return frame.iloc[:, : len(header)]


def _last_record_closed(data: bytes, delimiter: str, table: pa.Table) -> bool:
    """Whether the file's last record closes its quotes (Arrow reads an open one to the end).

    An unclosed quote swallows the rest of the file into the last record,
    so checking that record alone (with :mod:`csv` in strict mode) decides.
    """
    if table.num_rows == 0:
        return False
    last = [v for v in table.slice(table.num_rows - 1).to_pylist()[0].values() if v]
    start = len(data) - 1 if data.endswith(b"\n") else len(data)
    for _ in range(1 + sum(v.count("\n") for v in last)):
        start = data.rfind(b"\n", 0, start)
        if start < 0:
            break
    tail = data[start + 1:].decode("utf-8")
    try:
        list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return True


def _arrow_frame(data: bytes, delimiter: str, header: list[str]) -> pd.DataFrame | None:
    """The data rows by :mod:`pyarrow.csv`, every cell as text; None where it cannot.

    Arrow reads what pandas' C engine reads, the same way, for a file whose
    header is one line, whose delimiter is one byte and whose every row has
    as many fields as the header (blank lines included, when the header has
    one column). Anything else (a short or long row, a blank line) makes
    Arrow refuse, and the file is read by pandas, whose messages and
    padding the rules below rely on.
    """
    if len(delimiter.encode("utf-8")) != 1 or not header:
        return None
    names = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    quoted = b'"' in data  # else no value holds a line break, and Arrow splits the file freely
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted,
                                              ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=True,
                null_values=[""], check_utf8=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if quoted and not _last_record_closed(data, delimiter, table):
        return None
    frame = table.to_pandas()
    frame.columns = names
    return frame


def _pandas_frame(path: Path, table: str, data: bytes, delimiter: str,
                  header: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The data rows by pandas, padded to the widest row (extra columns named ``\\x00extra``)."""
    width = max(_max_fields(data, delimiter), len(header))
    names = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    names += [f"\x00extra {i}" for i in range(width - len(header))]
    try:
        frame = pd.read_csv(
            io.BytesIO(data), sep=delimiter, encoding="utf-8", dtype=str, keep_default_na=False,
            na_values=[""], skip_blank_lines=False, header=None, names=names,
            engine="c" if len(delimiter.encode("utf-8")) == 1 else "python",  # § is 2 bytes
            skiprows=1, index_col=False,
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found and int(found[3]) > len(header):
            raise _error(path, f"{found[3]} fields where the header has {len(header)}: quote "
                               "values that hold the delimiter, or name every column in the "
                               "header", table=table) from None
        raise _error(path, f"malformed CSV: {str(exc).strip()}", table=table) from None
    return frame, names


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (ends kept), one at a time: :mod:`csv` reads only what it needs.

    >>> list(_lines("a\\nb\\r\\nc"))
    ['a\\n', 'b\\r\\n', 'c']
    """
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _utf8(raw: bytes, encoding: str) -> bytes | None:
    """The bytes of the text :func:`_decode` gives, when the file is UTF-8 (or ASCII) already:
    no second copy of a large file. None for another encoding.

    >>> _utf8(codecs.BOM_UTF8 + b"a,b", "utf-8-sig")
    b'a,b'
    >>> _utf8(b"a,b", "cp1252") is None
    True
    """
    name = codecs.lookup(encoding).name
    if name not in ("utf-8", "utf-8-sig", "ascii"):
        return None
    data = raw
    if name == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):  # the codec drops one mark
        data = data[len(codecs.BOM_UTF8):]
    if data.startswith(codecs.BOM_UTF8):  # and _decode another
        data = data[len(codecs.BOM_UTF8):]
    return data


def _read_csv(path: Path, table: str, encoding: str | None, delimiter: str | None,
              expected: list[tuple[str, ...]] | None = None,
              header_row: int | None = None) -> RawTable:
    raw = _read_bytes(path, table)
    text, encoding = _decode(path, table, raw, encoding)
    if not text or text.isspace():
        raise _error(path, "the file is empty: it needs at least a header line", table=table)
    data = _utf8(raw, encoding)
    del raw
    if "\n" not in text and "\r" in text:  # Excel for Mac: lines end in CR alone
        text, data = text.replace("\r", "\n"), None
    tab = path.name.lower().endswith((".tsv", ".tsv.gz"))
    delimiter = delimiter or ("\t" if tab else _detect_delimiter(text))
    if len(delimiter) != 1 or delimiter in "\r\n\"":
        raise _error(path, f"the delimiter must be one character (not a quote or a line end), "
                           f"not {delimiter!r}", table=table)
    title = _header_line(text, delimiter, expected or [], header_row)
    if title:
        starts = [0]
        for line in _lines(text):
            starts.append(starts[-1] + len(line))
            if len(starts) > title:
                break
        if len(starts) <= title or starts[title] >= len(text):
            raise _error(path, f"header_row = {title + 1}, but the file has only "
                               f"{len(starts) - 1} lines", table=table)
        text, data = text[starts[title]:], None
    header_record = next(csv.reader(_lines(text), delimiter=delimiter), [])
    header, duplicated = _unique_header([h.strip().lstrip("\ufeff") for h in header_record])
    data = text.encode("utf-8") if data is None else data
    del text
    header_lines = 1 + sum(len(re.findall(r"\r\n|\r|\n", h)) for h in header_record)
    frame = _arrow_frame(data, delimiter, header) if header_lines == 1 else None
    if frame is None:
        frame, names = _pandas_frame(path, table, data, delimiter, header)
    else:
        names = list(frame.columns)
    quoted = b'"' in data  # else no cell holds a line break: no need to count them
    if quoted:
        breaks = data.count(b"\n") + (not data.endswith(b"\n"))
        quoted = breaks != header_lines + len(frame)
    spans = 1 + (_breaks(frame) if quoted else np.zeros(len(frame), dtype=np.int64))
    lines = title + header_lines + 1 + np.cumsum(spans) - spans
    frame = _extra_fields(path, table, frame, header, lines)
    unnamed = [n for n, h in zip(names, header, strict=False) if not h]
    empty = [n for n in unnamed if frame[n].isna().all()]
    frame = frame.drop(columns=empty)
    # blank lines (or lines of spaces only) are not rows
    blank = np.full(len(frame), frame.shape[1] > 0)
    for column in frame.columns:  # each column looks only at the rows still blank
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        cells = frame[column] if len(rows) == len(frame) else frame[column].iloc[rows]
        blank[rows] = (cells.isna() | (cells.str.strip() == "")).to_numpy(dtype=bool)
    frame.index = pd.Index(lines - 2 - title)
    if blank.any():  # else no copy of the table
        frame, lines = frame[~blank], lines[~blank]
    return RawTable(table, str(path), frame, first_line=2 + title, lines=lines,
                    duplicated=duplicated, title_lines=title)


_NS = rb"(?:\w+:)?"
#: A formula cell whose value is missing or empty (``t="str"`` with an empty
#: value is a formula that gave the empty text, which is a stored value).
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"<" + _NS + rb"c\b([^>]*)>\s*<" + _NS + rb"f\b[^>]*(?:/>|>[^<]*</" + _NS + rb"f>)\s*"
    rb"(<" + _NS + rb"v\s*/>|<" + _NS + rb"v>\s*</" + _NS + rb"v>)?\s*</" + _NS + rb"c>")
_MERGED = re.compile(rb"<" + _NS + rb"mergeCell\s[^>]*ref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_CELL = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _sheet_problems(path: Path, table: str, sheet: str | int | None,
                    frame: pd.DataFrame) -> None:
    """Merged cells, and formulas whose value Excel never stored (both read as blanks).

    openpyxl reads both as empty cells, and its read-only mode (the one
    pandas uses) does not expose merged ranges; loading the workbook in
    full mode costs as much again as reading it (19 s against 17 s for
    20,000 rows of 5 columns, measured here). So openpyxl's read-only mode
    only locates the sheet, and regular expressions scan its XML (0.8 s
    against 9 s for reading the same sheet).
    """
    import zipfile

    from openpyxl import load_workbook  # the engine of pandas' Excel reader

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        chosen = 0 if sheet is None else sheet
        sheet_ = book.worksheets[chosen] if isinstance(chosen, int) else book[chosen]
        name, member = sheet_.title, sheet_._worksheet_path.lstrip("/")
    finally:
        book.close()
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(member)
    merged = [m.decode() for m in _MERGED.findall(xml)]
    if merged:
        raise _error(path, f"sheet {name!r} has merged cells ({', '.join(merged[:5])}"
                           f"{', ...' if len(merged) > 5 else ''}): unmerge them so that "
                           "every row holds its own values", table=table)
    cells = []
    for found in _FORMULA_WITHOUT_VALUE.finditer(xml):
        attributes, value = found.group(1), found.group(2)
        if value is not None and b't="str"' in attributes:
            continue
        where = _CELL.search(attributes)
        if where and int(where[2]) >= 2:
            cells.append((where[1].decode(), int(where[2])))
    if not cells:
        return
    from openpyxl.utils import column_index_from_string

    def column(letters: str) -> str:
        index = column_index_from_string(letters) - 1
        return str(frame.columns[index]) if index < frame.shape[1] else letters

    raise _error(path, f"sheet {name!r}: a formula without a stored value: open and save the "
                       "file in Excel", table=table, rows=len(cells),
                 examples=[f"sheet row {row}, column {column(letters)}: cell {letters}{row}"
                           for letters, row in cells[:5]])


def _empty_sheet(path: Path, table: str, sheet: str | int | None) -> None:
    """Raise: the sheet read is empty; name it and the sheets that hold cells."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        names = book.sheetnames
        chosen = names[sheet or 0] if not isinstance(sheet, str) else sheet
        filled = [n for n in names if n != chosen and book[n].max_row and any(
            cell is not None for row in book[n].iter_rows(max_row=1, values_only=True)
            for cell in row)]
    finally:
        book.close()
    where = (f"; the sheets with cells: {', '.join(repr(n) for n in filled)} "
             "(set sheet = \"...\" in the column map)") if filled else ""
    raise _error(path, f"sheet {chosen!r} is empty{where}", table=table)


def _read_xlsx(path: Path, table: str, sheet: str | int | None) -> RawTable:
    try:
        frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=str,
                              keep_default_na=False, na_values=[""])
    except ValueError as exc:  # a missing sheet, an unreadable workbook
        raise _error(path, f"cannot read the workbook: {exc}", table=table) from None
    if frame.shape[1] == 0:
        _empty_sheet(path, table, sheet)
    _sheet_problems(path, table, sheet, frame)
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(table, str(path), frame, first_line=2, line_word="sheet row")


def _parquet_dtype(arrow_type: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    """The pandas dtype of a Parquet column whose values keep their type as they are.

    Text goes to the Arrow-backed text dtype the CSV reader gives (no copy),
    integers to ``Int64`` (a blank stays a blank, not a float NaN) and
    booleans to ``boolean``; other types (floats, timestamps, dictionaries)
    as pandas reads them.

    >>> str(_parquet_dtype(pa.large_string())), str(_parquet_dtype(pa.int32()))
    ('string', 'Int64')
    >>> _parquet_dtype(pa.float64()) is None
    True
    """
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return STRING
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None


def _read_parquet(path: Path, table: str) -> RawTable:
    """A Parquet file as typed columns (:func:`_parquet_dtype`), rows numbered from 1."""
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(path)
        frame = arrow.to_pandas(types_mapper=_parquet_dtype, ignore_metadata=True)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise _error(path, f"cannot read the Parquet file: {exc}", table=table) from None
    del arrow
    frame.columns = [str(c) for c in frame.columns]
    return RawTable(table, str(path), frame.reset_index(drop=True), first_line=1,
                    line_word="row", typed=True)


def read_raw(
    path: Path,
    table: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    expected: list[tuple[str, ...]] | None = None,
    header_row: int | None = None,
) -> RawTable:
    """Read the file of ``table`` with cells as text (Parquet keeps its types).

    ``expected`` (groups of alternative header names) finds the header of a
    text file below title lines, ``header_row`` (1-based) names its line.

    Raises
    ------
    DatasetError
        The file is empty, undecodable, malformed, a decompression bomb,
        of an unknown kind, or (Excel) has merged cells or formulas
        without a stored value.
    """
    name = path.name.lower()
    if name.endswith(_TEXT_SUFFIXES):
        return _read_csv(path, table, encoding, delimiter, expected, header_row)
    if name.endswith(".parquet"):
        return _read_parquet(path, table)
    if name.endswith(".xlsx"):
        return _read_xlsx(path, table, sheet)
    raise _error(path, f"unknown file type; use one of {', '.join(SUFFIXES)}", table=table)


def sql_table_name(file: str) -> str:
    """The database table a column map's ``file`` names: the name without a file suffix.

    >>> sql_table_name("Opportunity.csv"), sql_table_name("crm.deals")
    ('Opportunity', 'crm.deals')
    """
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if file.lower().endswith(suffix):
            return file[: -len(suffix)]
    return file


def _schema_of(url: str, schema: str | None) -> tuple[object, str | None]:
    """The URL (SQLAlchemy's) without a ``?schema=`` query, and the schema it or ``schema``
    names."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    named = parsed.query.get("schema")
    named = named[-1] if isinstance(named, tuple) else named
    return parsed.difference_update_query(["schema"]), schema or named


def read_sql(url: str, *, schema: str | None = None, queries: dict[str, str] | None = None,
             sources: dict[str, str] | None = None, optional: set[str] | frozenset = frozenset()
             ) -> tuple[dict[str, pd.DataFrame], str]:
    """Read the contract's tables from a SQL database, as they are (the loader checks them).

    Parameters
    ----------
    url : str
        A SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db`` or
        ``duckdb:///path/to/file.duckdb``; ``?schema=NAME`` chooses the schema.
    schema : str, optional
        The schema holding the tables (default: the database's default schema).
    queries : dict of str to str, optional
        Per table, a query to run instead (``{"orders": "SELECT ... FROM erp.invoices"}``);
        its columns must carry the contract's names.
    sources : dict of str to str, optional
        Per canonical table, the database table or view to read instead of
        the canonical name (a column map's ``file``); a named one that does
        not exist is an error unless the table is in ``optional``.

    Tables and views are both read (warehouses publish cleaned data as views).

    Returns
    -------
    tuple
        The frames by table name, and the URL as messages show it (password
        hidden): :func:`b2bkit.load.dataset.load_sql` names the tables
        ``<url>/<table>`` and rows by their position in the query result.
    """
    import warnings

    import sqlalchemy as sa

    warnings.filterwarnings("ignore", message=".*reflection on indices.*")  # duckdb-engine
    sources = sources or {}
    try:
        parsed, schema = _schema_of(url, schema)
    except (sa.exc.ArgumentError, ValueError) as exc:  # a port that is no number, ...
        host = url.split("@")[-1]
        raise DatasetError.single(table="", file=host, column="",
                                  rule=f"not a valid database URL ({exc}); write it as "
                                       "dialect+driver://user:password@host:port/database, the "
                                       "port a number") from None
    try:
        engine = sa.create_engine(parsed)
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise DatasetError.single(table="", file=url.split("@")[-1], column="",
                                  rule=f"cannot use this database URL: {exc} (is its driver "
                                       "installed?)") from None
    shown = source.shown(url)
    frames: dict[str, pd.DataFrame] = {}
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            present = (set(inspector.get_table_names(schema=schema))
                       | set(inspector.get_view_names(schema=schema)))
            missing = sorted(f"{sources[n]!r} for {n}" for n in sources
                             if sources[n] not in present and n not in optional
                             and not (queries and n in queries))
            if missing:
                raise DatasetError.single(
                    table="", file=shown, column="",
                    rule=f"the column map names {', '.join(missing)}, but the database has no "
                         f"such table or view in schema {schema or '(default)'} (it has: "
                         f"{', '.join(sorted(present)) or 'none'})")
            for name in TABLES:
                wanted = sources.get(name, name)
                if queries and name in queries:
                    statement = sa.text(queries[name])
                elif wanted in present:
                    reflected = sa.Table(wanted, sa.MetaData(), schema=schema,
                                         autoload_with=connection)
                    statement = sa.select(reflected)
                else:
                    continue
                frames[name] = pd.read_sql(statement, connection)
    except (sa.exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:  # also a dropped link
        cause = exc.__cause__ if isinstance(exc.__cause__, sa.exc.SQLAlchemyError) else exc
        said = str(getattr(cause, "orig", None) or cause).strip().splitlines() or [""]
        raise DatasetError.single(table="", file=shown, column="",
                                  rule=f"cannot read the database: {cause.__class__.__name__}: "
                                       f"{said[0]}") from None
    finally:
        engine.dispose()
    if not frames:
        raise DatasetError.single(
            table="", file=shown, column="",
            rule=f"no table of the contract found (schema {schema!r}); expected some of "
                 f"{', '.join(TABLES)} as tables or views (choose another schema with "
                 f"?schema=NAME in the URL, or name the tables in a column map)")
    return frames, shown
