"""Reading files: encodings, line ends, field counts, file names, gzip limits, Excel traps."""

import codecs
import gzip
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2bkit.core.errors import DatasetError
from b2bkit.load import sources
from b2bkit.load.dataset import load_dataset
from b2bkit.load.sources import detect_encoding, find_table_file, read_raw

READING = Path(__file__).parents[1] / "data" / "reading"


def _message(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value)


# --- encodings -------------------------------------------------------------------------------

WORDS = {
    "spanish": ("cp1252", ["Diseño", "México", "Compañía"]),
    "portuguese": ("cp1252", ["São Paulo", "Informática", "Ação"]),
    "french": ("cp1252", ["Crème", "Société Générale", "Île-de-France"]),
    "german": ("cp1252", ["Müller", "Straße", "Größe"]),
    "polish": ("cp1250", ["Łódź", "Spółka", "Zażółć"]),
    "czech": ("cp1250", ["Příliš žluťoučký kůň", "České Budějovice"]),
    "russian": ("cp1251", ["Ромашка", "Москва", "Сделка успешна"]),
    "ukrainian": ("cp1251", ["Київ", "Львів"]),
}


@pytest.mark.parametrize(("encoding", "words"), WORDS.values(), ids=WORDS.keys())
def test_short_real_text_is_decoded_in_its_own_encoding(encoding: str, words: list[str]) -> None:
    data = ("name\n" + "\n".join(words) + "\n").encode(encoding)
    assert detect_encoding(data) == encoding


@pytest.mark.parametrize(("words", "encoding"), [
    (["Peña", "Muñoz", "España"], "cp1252"),  # Spanish ñ comes before a vowel; Polish ń never
    (["Gdańsk"], "cp1250"),  # and Spanish ñ never before a consonant
    (["€100", "Mañana"], "cp1252"),  # the euro sign is Ђ in cp1251
])
def test_spelling_rules_decide_short_files(words: list[str], encoding: str) -> None:
    assert detect_encoding(";".join(words).encode(encoding)) == encoding


#: Real words per encoding and language, for the property below.
CORPUS = {
    "cp1252": {
        "es": [
            "Diseño", "México", "Compañía", "Señor", "Niño", "Peña", "José", "María", "Público",
            "Información", "Bogotá", "Año", "Muñoz", "Ibáñez", "Cañón",
        ],
        "fr": [
            "Crème", "Société", "Générale", "Île", "Français", "Garçon", "Être", "Hôtel", "Noël",
            "Château", "Forêt", "Où", "Cœur", "Élodie", "Brûlée",
        ],
        "de": [
            "Müller", "Straße", "Größe", "Bäckerei", "Köln", "München", "Düsseldorf",
            "Österreich", "Gebäude", "Prüfung",
        ],
        "pt": [
            "São", "Informática", "Ação", "João", "Conceição", "Brasília", "Maçã", "Serviços",
            "Órgão", "Gestão", "Avô",
        ],
    },
    "cp1250": {
        "pl": [
            "Łódź", "Spółka", "Zażółć", "Gdańsk", "Kraków", "Wrocław", "Poznań", "Częstochowa",
            "Żółw", "Świętokrzyskie", "Źródło", "Zając", "Łęczyca",
        ],
        "cs": [
            "Příliš", "žluťoučký", "kůň", "Plzeň", "Ústí", "Děčín", "Třebíč", "Čeština",
            "Hradec Králové",
        ],
    },
    "cp1251": {
        "ru": [
            "Ромашка", "Москва", "Сделка", "успешна", "Санкт-Петербург", "Новосибирск", "Ёлка",
            "Сбербанк", "ООО Рога", "Иванов",
        ],
    },
}


@pytest.mark.parametrize(("encoding", "words"), [
    (encoding, words) for encoding, langs in CORPUS.items() for words in langs.values()])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_never_a_silent_wrong_guess(encoding: str, words: list[str], data) -> None:
    chosen = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=5))
    raw = ";".join(chosen).encode(encoding)
    try:
        found = detect_encoding(raw)
    except DatasetError as exc:
        assert exc.violations["rule"].iloc[0].startswith("the encoding is ambiguous")
        return
    assert raw.decode(found) == raw.decode(encoding)


def test_texts_that_read_the_same_prefer_cp1252_over_cp1250_and_latin1() -> None:
    # ü, é, ß are the same bytes in cp1252, cp1250 and latin-1
    assert detect_encoding("Müller;Café;Straße".encode("cp1252")) == "cp1252"


def test_utf8_with_and_without_bom_and_pure_ascii() -> None:
    assert detect_encoding("Diseño".encode()) == "utf-8"
    assert detect_encoding(codecs.BOM_UTF8 + "Москва".encode()) == "utf-8-sig"
    assert detect_encoding(b"name\nAcme\n") == "utf-8"


def test_utf16_by_bom_and_by_nul_pattern() -> None:
    assert detect_encoding("name\nŁódź\n".encode("utf-16")) == "utf-16"
    assert detect_encoding("name\nMoskva Москва\n".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("name\nMoskva\n".encode("utf-16-be")) == "utf-16-be"


def test_a_utf8_character_cut_at_the_end_of_a_sample_is_still_utf8() -> None:
    data = "Société".encode()[:-1]
    assert detect_encoding(data, complete=False) == "utf-8"
    assert detect_encoding("Société".encode("cp1252")) == "cp1252"  # é at the very end


@pytest.mark.parametrize(("data", "first", "second"), [
    ("Crème".encode("cp1252"), "'Crème'", "'Crčme'"),
    ("Kőbánya".encode("cp1250"), "'Kõbánya'", "'Kőbánya'"),
])
def test_two_plausible_readings_are_an_error_naming_both(data: bytes, first: str,
                                                         second: str) -> None:
    with pytest.raises(DatasetError) as exc:
        detect_encoding(data, file="accounts.csv")
    assert exc.value.violations["rule"].tolist() == [
        f"the encoding is ambiguous: the file reads as cp1252 ({first}) or as cp1250 "
        f"({second}); declare it in the column map, e.g. encoding = \"cp1252\""]


def test_a_short_spanish_cp1252_folder_loads_with_its_names(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_bytes(
        "account_id,name\nA1,Diseño Gráfico\nA2,Compañía México\n".encode("cp1252"))
    assert load_dataset(tmp_path)["accounts"]["name"].tolist() == [
        "Diseño Gráfico", "Compañía México"]


def test_a_russian_cp1251_folder_loads_with_its_names(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_bytes(
        "account_id;name\nA1;Ромашка\nA2;Сделка успешна\n".encode("cp1251"))
    assert load_dataset(tmp_path)["accounts"]["name"].tolist() == ["Ромашка", "Сделка успешна"]


def test_an_ambiguous_folder_fails_until_the_encoding_is_declared(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_bytes("account_id,name\nA1,Crème\n".encode("cp1252"))
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert _message(exc) == (
        "the dataset has 1 problem:\n"
        f"  {tmp_path / 'accounts.csv'}: the encoding is ambiguous: the file reads as cp1252 "
        "('Crème') or as cp1250 ('Crčme'); declare it in the column map, e.g. "
        "encoding = \"cp1252\"")
    (tmp_path / "dataset.toml").write_text('[tables.accounts]\nencoding = "cp1252"\n')
    assert load_dataset(tmp_path)["accounts"]["name"].tolist() == ["Crème"]


def test_utf16_without_bom_reads(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes("account_id\tname\nA1\tŁódź\n".encode("utf-16-le"))
    assert read_raw(path, "accounts").frame["name"].tolist() == ["Łódź"]


# --- fields past the header --------------------------------------------------------------------

def test_a_trailing_delimiter_on_every_row_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("account_id,name\nA1,Acme,\nA2,Beta,\n")
    raw = read_raw(path, "accounts")
    assert raw.frame.to_dict("list") == {"account_id": ["A1", "A2"], "name": ["Acme", "Beta"]}


def test_a_trailing_delimiter_on_the_header_too_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("account_id;name;\nA1;Acme;\nA2;Beta;;\n")
    assert list(read_raw(path, "accounts").frame.columns) == ["account_id", "name"]


def test_a_filled_field_past_the_header_is_an_error_not_a_shift(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text(
        "account_id,name,segment\nA1,Acme,SMB\nA2,Acme,SMB,x,\nA3,Gamma,SMB\nA4,D,SMB,y,z\n")
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    v = exc.value.violations.iloc[0]
    assert v["rule"] == ("4 to 5 fields where the header has 3: quote values that hold the "
                         "delimiter, or name every column in the header")
    assert (v["rows"], v["examples"]) == (2, [
        "line 3: 4 fields; the first past the header is 'x'",
        "line 5: 5 fields; the first past the header is 'y'"])


def test_a_declared_delimiter_of_several_bytes(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text("account_id§name\nA1§Acme§\nA2§Beta\n",
                                           encoding="utf-8")
    (tmp_path / "dataset.toml").write_text('[tables.accounts]\ndelimiter = "§"\n',
                                           encoding="utf-8")
    assert load_dataset(tmp_path)["accounts"]["name"].tolist() == ["Acme", "Beta"]


@pytest.mark.parametrize("delimiter", [";;", '"', "\n"])
def test_a_delimiter_that_cannot_be_one(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("account_id;name\nA1;Acme\n")
    with pytest.raises(DatasetError) as exc:
        read_raw(path, "accounts", delimiter=delimiter)
    assert exc.value.violations["rule"].tolist() == [
        "the delimiter must be one character (not a quote or a line end), "
        f"not {delimiter!r}"]


# --- line ends and line numbers ----------------------------------------------------------------

def test_cr_only_line_ends_read(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(b"account_id,name\rA1,Acme\rA2,Beta\r")
    raw = read_raw(path, "accounts")
    assert raw.frame["name"].tolist() == ["Acme", "Beta"]
    assert raw.lines.tolist() == [2, 3]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_are_where_rows_start_after_multi_line_cells(tmp_path: Path, newline: str) -> None:
    text = ('account_id,name\nA1,"two\nlines"\n\nA2,"three\nlines\nhere"\nA3,x\n')
    path = tmp_path / "accounts.csv"
    path.write_bytes(text.replace("\n", newline).encode())
    raw = read_raw(path, "accounts")
    assert raw.frame["account_id"].tolist() == ["A1", "A2", "A3"]
    assert raw.lines.tolist() == [2, 5, 8]
    np.testing.assert_array_equal(raw.frame.index + raw.first_line, raw.lines)


def test_messages_name_the_true_line_after_a_multi_line_cell(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text(
        'account_id,name,churned_at\nA1,"Acme\nGmbH",\nA2,Beta,2025-07\n')
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert exc.value.violations["examples"].tolist() == [
        ["account_id=A2 (line 4): churned_at='2025-07'"]]


def test_raw_tables_built_by_hand_number_their_rows() -> None:
    raw = sources.RawTable("orders", "db/orders", pd.DataFrame({"a": [1, 2]}), first_line=1)
    assert raw.lines.tolist() == [1, 2]


# --- file names --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["leads.csv", "leads.tsv", "leads.txt", "leads.tsv.gz"])
def test_table_files_are_found_as_csv_tsv_or_txt(tmp_path: Path, name: str) -> None:
    text = "lead_id\tcreated_at\tchannel\nL1\t2025-01-05\twebinar\n"
    if not name.lower().endswith(".tsv.gz"):
        (tmp_path / name).write_text(text if "tsv" in name.lower() or "txt" in name
                                     else text.replace("\t", ","))
    else:
        (tmp_path / name).write_bytes(gzip.compress(text.encode()))
    assert find_table_file(tmp_path, "leads") == tmp_path / name
    assert load_dataset(tmp_path)["leads"]["channel"].tolist() == ["webinar"]


@pytest.mark.parametrize("name", ["Leads.csv", "LEADS.CSV", "leads.CSV", "Leads.TSV.gz"])
def test_canonical_names_match_exactly_and_a_near_miss_is_named(tmp_path: Path,
                                                                 name: str) -> None:
    # CONTRACT rev. 3: leads.csv, not Leads.csv (which is listed as not read, near miss named)
    (tmp_path / name).write_text("lead_id,created_at,channel\nL1,2025-01-05,webinar\n")
    (tmp_path / "orders.csv").write_text("order_id,account_id,date,amount\nO1,A1,2025-01-05,5\n")
    assert find_table_file(tmp_path, "leads") is None
    ds = load_dataset(tmp_path)
    assert "leads" not in ds.tables and ds.ignored_files == [name]
    canonical = "leads.tsv.gz" if name.lower().endswith(".gz") else "leads.csv"
    ignored = ds.quality[ds.quality["severity"] == "ignored"]
    assert ignored["rule"].tolist() == [
        f"canonical file names match exactly: a near miss of {canonical}; rename it"]


def test_a_table_in_two_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "leads.csv").write_text("lead_id\n")
    (tmp_path / "leads.tsv").write_text("lead_id\n")
    with pytest.raises(DatasetError) as exc:
        find_table_file(tmp_path, "leads")
    assert exc.value.violations["rule"].tolist() == [
        "table leads is in 2 files (leads.csv, leads.tsv); keep one"]


@pytest.mark.parametrize("name", ["leads.xls", "leads.csv.zip", "leads.json"])
def test_a_table_in_a_format_not_read_is_named_not_ignored(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    (tmp_path / "leads.csv.bak").write_bytes(b"x")  # other endings stay unread and unnamed
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert str(exc.value).splitlines()[1] == (
        f"  {tmp_path / name}: table leads is in a format b2bkit does not read; save it as "
        "leads.csv (or leads.xlsx, leads.parquet)")


# --- gzip --------------------------------------------------------------------------------------

def test_a_csv_gz_reads(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv.gz"
    path.write_bytes(gzip.compress(b"account_id,name\nA1,Acme\n"))
    assert read_raw(path, "accounts").frame["name"].tolist() == ["Acme"]


def test_a_decompression_bomb_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sources, "RATIO_FROM_BYTES", 1024**2)
    monkeypatch.setattr(sources, "_CHUNK", 1024**2)
    path = tmp_path / "accounts.csv.gz"
    path.write_bytes(gzip.compress(b"account_id,name\n" + bytes(50 * 1024**2), 1))
    packed = path.stat().st_size
    with pytest.raises(DatasetError) as exc:
        read_raw(path, "accounts")
    assert exc.value.violations["rule"].tolist() == [
        f"inflates to more than 100 times its own {packed:,} bytes: refused as a possible "
        "decompression bomb; unpack it yourself if it is genuine"]


def test_the_absolute_inflation_cap(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sources, "MAX_INFLATED_BYTES", 1000)
    path = tmp_path / "accounts.csv.gz"
    path.write_bytes(gzip.compress(b"account_id,name\n" + b"A1,Acme\n" * 200))
    with pytest.raises(DatasetError, match="inflates to more than 1,000 bytes: refused"):
        read_raw(path, "accounts")


def test_a_file_that_is_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv.gz"
    path.write_bytes(b"account_id,name\nA1,Acme\n")
    with pytest.raises(DatasetError, match=r"accounts.csv.gz: not a readable gzip file \("):
        read_raw(path, "accounts")


# --- Excel -------------------------------------------------------------------------------------

def _workbook(path: Path, rows: list[list[object]], merge: str | None = None) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    if merge:
        book.active.merge_cells(merge)
    book.save(path)


def test_a_formula_without_a_stored_value_is_an_error(tmp_path: Path) -> None:
    _workbook(tmp_path / "orders.xlsx", [["order_id", "account_id", "date", "amount"],
                                         ["1", "A1", "2025-01-05", 10],
                                         ["2", "A1", "2025-01-06", "=D2*2"]])
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    v = exc.value.violations.iloc[0]
    assert v["rule"] == ("sheet 'Sheet': a formula without a stored value: open and save the "
                         "file in Excel")
    assert (v["rows"], v["examples"]) == (1, ["sheet row 3, column amount: cell D3"])


def _store_values(path: Path, cells: dict[str, bytes]) -> None:
    """Write cached values into formula cells, as Excel does when it saves."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    for cell, replacement in cells.items():
        sheet = re.sub(rb'<c r="' + cell.encode() + rb'".*?</c>', replacement, sheet)
    members["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_formulas_with_stored_values_load(tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    _workbook(path, [["order_id", "account_id", "date", "amount", "opportunity_id"],
                     ["1", "A1", "2025-01-05", 10, None],
                     ["2", "A1", "2025-01-06", "=D2*2", '=IF(D2>0,"","x")']])
    _store_values(path, {"D3": b'<c r="D3"><f>D2*2</f><v>20</v></c>',
                         "E3": b'<c r="E3" t="str"><f>IF(D2&gt;0,"","x")</f><v></v></c>'})
    assert load_dataset(tmp_path)["orders"]["amount"].tolist() == [10.0, 20.0]


def test_merged_cells_are_an_error_naming_the_range(tmp_path: Path) -> None:
    _workbook(tmp_path / "accounts.xlsx", [["account_id", "name"], ["A1", "Acme"], ["A2", None]],
              merge="B2:B3")
    with pytest.raises(DatasetError) as exc:
        load_dataset(tmp_path)
    assert exc.value.violations["rule"].tolist() == [
        "sheet 'Sheet' has merged cells (B2:B3): unmerge them so that every row holds its "
        "own values"]


def test_a_plain_workbook_still_loads(tmp_path: Path) -> None:
    _workbook(tmp_path / "accounts.xlsx", [["account_id", "name"], ["A1", "Acme"]])
    assert load_dataset(tmp_path)["accounts"]["name"].tolist() == ["Acme"]


# --- typed sources -----------------------------------------------------------------------------

def test_parquet_float_ids_read_as_whole_text(tmp_path: Path) -> None:
    pd.DataFrame({"account_id": [7.0, 8.0, None], "name": ["a", "b", "c"]}).to_parquet(
        tmp_path / "accounts.parquet")
    ids = load_dataset(tmp_path, lenient=True)["accounts"]["account_id"].tolist()
    assert ids == ["7", "8"]


# --- the committed corpus ----------------------------------------------------------------------

def test_reading_corpus_cases() -> None:
    spanish = load_dataset(READING / "spanish_cp1252")["accounts"]
    assert spanish["name"].tolist() == ["Diseño Gráfico SA", "Compañía Minera de México",
                                        "Peña y Muñoz"]
    french = load_dataset(READING / "french_cp1252")["accounts"]
    assert french["name"].tolist() == ["Crème de la Crème", "Société Générale",
                                       "Île-de-France Conseil"]
    mac = load_dataset(READING / "mac_cr_only")["accounts"]
    assert mac["account_id"].tolist() == ["A1", "A2", "A3"]
    trailing = load_dataset(READING / "trailing_delimiter")["accounts"]
    assert trailing.columns[:3].tolist() == ["account_id", "name", "segment"]
    assert trailing["segment"].tolist() == ["SMB", "Enterprise"]


def test_sql_nullable_integer_keys_read_as_whole_text(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE accounts (account_id INTEGER, name TEXT)")
        connection.execute("INSERT INTO accounts VALUES (7, 'Acme'), (8, 'Beta')")
        connection.execute("CREATE TABLE orders (order_id INTEGER, account_id INTEGER, "
                           "date TEXT, amount REAL, opportunity_id INTEGER)")
        connection.execute("INSERT INTO orders VALUES (1, 7, '2025-01-05', 10, NULL), "
                           "(2, 8, '2025-01-06', 20, NULL)")
        connection.execute("CREATE TABLE leads (lead_id INTEGER, created_at TEXT, channel TEXT, "
                           "account_id INTEGER)")  # a nullable key: pandas reads 7.0, NaN
        connection.execute("INSERT INTO leads VALUES (1, '2025-01-02', 'web', 7), "
                           "(2, '2025-01-03', 'web', NULL)")
    ds = load_dataset(f"sqlite:///{path}")
    assert ds["leads"]["account_id"].tolist() == ["7", pd.NA]
    assert ds["orders"]["account_id"].tolist() == ["7", "8"]
    assert ds["orders"]["order_id"].tolist() == ["1", "2"]
