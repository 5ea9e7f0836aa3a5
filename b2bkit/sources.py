"""Reading one table's file into a frame of raw text cells.

Files are read with every cell as text so that nothing is lost or guessed
before validation: the loader parses the text itself and reports each cell it
cannot parse. Supported: ``.csv``, ``.csv.gz``, ``.parquet``, ``.xlsx``. For
CSV the encoding and the delimiter are detected unless the column map
declares them.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from b2bkit.errors import DatasetError

__all__ = ["SUFFIXES", "RawTable", "find_table_file", "read_raw"]

#: File endings a table may have, in the order they are looked for.
SUFFIXES = (".csv", ".csv.gz", ".parquet", ".xlsx")

_SAMPLE_BYTES = 256 * 1024
#: Single-byte encodings of CRM exports that are not UTF-8, most likely first
#: (Windows Cyrillic and Western European). A short file is ambiguous among
#: all code pages; limiting the guess to these keeps it from picking, say,
#: a Greek one. Other encodings are declared in the column map.
_CANDIDATES = ("cp1251", "cp1252", "cp1250", "koi8_r", "cp866", "latin_1", "iso8859_15",
               "mac_cyrillic")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class RawTable:
    """The cells of one file, before parsing.

    ``frame`` has one row per data row of the file (index 0, 1, ...).
    ``first_line`` is the line (CSV), sheet row (Excel) or row number
    (Parquet, SQL) of the frame's first row, so row ``i`` sits at
    ``first_line + i``; ``line_word`` says which of those it is.
    """

    table: str
    file: str
    frame: pd.DataFrame
    first_line: int
    line_word: str = "line"
    typed: bool = False  # cells already typed (Parquet, SQL)


def find_table_file(folder: Path, table: str) -> Path | None:
    """The file holding ``table`` in ``folder``, or None.

    Raises
    ------
    DatasetError
        When the table is there in two formats: which one is meant?
    """
    found = [folder / f"{table}{suffix}" for suffix in SUFFIXES]
    found = [p for p in found if p.is_file()]
    if len(found) > 1:
        raise DatasetError.single(
            table=table, file=str(found[0]), column="",
            rule=f"table {table} is in {len(found)} files ({', '.join(p.name for p in found)}); "
                 "keep one",
        )
    return found[0] if found else None


def _open_bytes(path: Path) -> bytes:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read(_SAMPLE_BYTES)
    with path.open("rb") as handle:
        return handle.read(_SAMPLE_BYTES)


def _encoding_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> DatasetError:
    """Name the line of the first byte that ``encoding`` cannot decode."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    try:
        data.decode(encoding)
        position = exc.start
        line = None
    except UnicodeDecodeError as full:
        position = full.start
        line = data[:position].count(b"\n") + 1
    where = f" at line {line}" if line else ""
    byte = data[position : position + 1].hex() if position < len(data) else "?"
    return DatasetError.single(
        table="", file=str(path), column="",
        rule=f"not readable as {encoding}{where} (byte 0x{byte}); declare the file's encoding "
             "in the column map, e.g. encoding = \"cp1251\"",
    )


def _detect_encoding(sample: bytes) -> str:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    try:
        # a multi-byte character cut at the end of the sample is fine
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:
            return "utf-8"
    from charset_normalizer import from_bytes  # imported lazily: only for non-UTF-8 files

    best = from_bytes(sample, cp_isolation=list(_CANDIDATES)).best()
    return best.encoding if best is not None else "utf-8"


def _detect_delimiter(text: str) -> str:
    lines = text.splitlines()[:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_csv(path: Path, table: str, encoding: str | None, delimiter: str | None) -> RawTable:
    sample = _open_bytes(path)
    if not sample.strip():
        raise DatasetError.single(table=table, file=str(path), column="",
                                  rule="the file is empty: it needs at least a header line")
    encoding = encoding or _detect_encoding(sample)
    try:
        truncated = len(sample) == _SAMPLE_BYTES
        text = sample.decode(encoding, errors="ignore" if truncated else "strict")
    except (UnicodeDecodeError, LookupError) as exc:
        if isinstance(exc, LookupError):
            raise DatasetError.single(table=table, file=str(path), column="",
                                      rule=f"unknown encoding {encoding!r}") from None
        raise _encoding_error(path, encoding, exc) from None
    delimiter = delimiter or _detect_delimiter(text)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    header = [h.strip().lstrip("\ufeff") for h in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise DatasetError.single(table=table, file=str(path), column=duplicated[0],
                                  rule="the header names this column more than once")
    try:
        frame = pd.read_csv(
            path, sep=delimiter, encoding=encoding, dtype=str, keep_default_na=False,
            na_values=[""], skip_blank_lines=False, compression="infer", engine="c",
        )
    except UnicodeDecodeError as exc:
        raise _encoding_error(path, encoding, exc) from None
    except pd.errors.ParserError as exc:
        raise DatasetError.single(table=table, file=str(path), column="",
                                  rule=f"malformed CSV: {str(exc).strip()}") from None
    frame.columns = header if len(header) == frame.shape[1] else frame.columns
    # blank lines (or lines of spaces only) are not rows; dropping them keeps index = line - 2
    blank = pd.concat([frame[c].isna() | (frame[c].str.strip() == "") for c in frame.columns],
                      axis=1).all(axis=1) if frame.shape[1] else pd.Series(dtype=bool)
    frame = frame[~blank] if len(blank) else frame
    return RawTable(table, str(path), frame, first_line=2)


def _read_xlsx(path: Path, table: str, sheet: str | int | None) -> RawTable:
    try:
        frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=str,
                              keep_default_na=False, na_values=[""])
    except ValueError as exc:  # a missing sheet, an unreadable workbook
        raise DatasetError.single(table=table, file=str(path), column="",
                                  rule=f"cannot read the workbook: {exc}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(table, str(path), frame, first_line=2, line_word="sheet row")


def read_raw(
    path: Path,
    table: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
) -> RawTable:
    """Read the file of ``table`` with cells as text (Parquet keeps its types).

    Raises
    ------
    DatasetError
        The file is empty, undecodable, malformed or of an unknown kind.
    """
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        return _read_csv(path, table, encoding, delimiter)
    if name.endswith(".parquet"):
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a bad file
            raise DatasetError.single(table=table, file=str(path), column="",
                                      rule=f"cannot read the Parquet file: {exc}") from None
        return RawTable(table, str(path), frame.reset_index(drop=True), first_line=1,
                        line_word="row", typed=True)
    if name.endswith(".xlsx"):
        return _read_xlsx(path, table, sheet)
    raise DatasetError.single(table=table, file=str(path), column="",
                              rule=f"unknown file type; use one of {', '.join(SUFFIXES)}")
