"""The reports in Russian (issue 24): ``b2bkit report --language ru`` on the demo.

The seven reports and the index are rendered once, in Russian, for 2025-Q3. What a reader
sees (every Markdown cell, every output but images and the parameters, the index page) is
scanned for

- English words: any word of the catalogue's English messages (the source language of the
  code) that is not a data value of the demo (channel, campaign, rep, account, stage ...),
  a code or a unit (MQL, ROI, USD, ...);
- numbers in English format (``1,234``, ``25.3%``, ``pp``);
- plural forms that disagree with their number (``21 лидов``, ``2 дней``).
"""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.reports.test_visible_text import visible_text

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: Latin words a Russian report writes as they are: metric codes, units, currency codes.
CODES = {"mql", "sql", "cac", "clv", "ltv", "nps", "roi", "romi", "cpl", "cpa", "kpi", "crm",
         "usd", "eur", "rub", "gbp", "nbd", "csv", "html", "id", "bg", "gamma", "markov",
         "shapley", "b2bkit", "utm", "arr", "mrr", "aov", "url", "toml", "pareto", "demo",
         "winkel", "mape", "arpa", "alpha", "beta", "bant",
         # the channels of the worked attribution example (campaign ROI), data of the example
         "content", "webinar", "email", "event"}
#: The toolkit's own group codes, written as they are in every language (the kpis JSON and
#: the CSVs carry them too): a group without a value, a deal without a touchpoint.
GROUP_CODES = re.compile(r"\((?:unknown|no touchpoint|no campaign|all deals|no stage row)\)")
#: The tables of the data model (CONTRACT section 1) are named as the user's files are.
TABLE_NAMES = {"leads", "opportunities", "accounts", "campaigns", "spend", "engagement",
               "orders", "reps", "quotas", "forecasts", "nps", "stage_history", "activities",
               "sales_costs", "fx_rates"}
#: Code spans of the Markdown (`[targets]`, `docs/metrics.md`): names of files and settings.
CODE_SPAN = re.compile(r"`[^`]*`")


def _catalogue_words() -> set[str]:
    spec = importlib.util.spec_from_file_location("catalogue", ROOT / "tools" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    words = set()
    for message in module.template():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\{[^}]*\}|`[^`]*`|\([^)]*\.\w+\)", " ",
                          text or "", flags=re.S)
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
    return words - CODES


def _data_words() -> set[str]:
    words = set()
    for path in (ROOT / "data" / "demo").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, nrows=200_000)
        for column in frame.columns:
            values = frame[column].dropna().unique()
            if len(values) <= 5_000:
                for value in values:
                    words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", value)}
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", column)}
    return words


@pytest.fixture(scope="module")
def russian_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from b2bkit.cli import main

    out = tmp_path_factory.mktemp("ru")
    code = main(["report", "--data", str(ROOT / "data" / "demo"), "--period", "2025-Q3",
                 "--language", "ru", "--out", str(out)])
    assert code == 0
    return out / "2025-Q3"


def _texts(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.glob("*.ipynb")):
        out += [(f"{path.stem} cell {i}", text) for i, text in visible_text(path)]
    page = (folder / "index.html").read_text(encoding="utf-8")
    page = re.sub(r"<style.*?</style>|<script.*?</script>|<code>.*?</code>", " ", page,
                  flags=re.S)
    out.append(("index", html.unescape(re.sub(r"<[^>]+>", " ", page))))
    return out


FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|parquet|xlsx|xls|toml|ipynb|html)\b")


def english_words(texts: list[tuple[str, str]], english: set[str], allowed: set[str]
                  ) -> list[str]:
    """The words of ``english`` in ``texts`` that are not ``allowed`` (file names are data)."""
    found = []
    for where, text in texts:
        text = GROUP_CODES.sub(" ", CODE_SPAN.sub(" ", FILE_NAME.sub(" ", text)))
        for match in re.finditer(r"[A-Za-z][A-Za-z_]{2,}", text):
            word = match.group(0).lower()
            if "_" in word:  # a column or table name (closed_at, stage_history): a code
                continue
            if word in english and word not in allowed:
                found.append(f"{where}: {match.group(0)!r} in "
                             f"{text[max(0, match.start() - 50):match.end() + 50]!r}")
    return found


#: English thousands (1,234.50; 1,234,567), English decimals (0.448, 25.3%) and "pp"; a
#: Russian decimal such as 2,604 is not one.
ENGLISH_NUMBERS = re.compile(
    r"\d,\d{3}[.,]\d|\d+\.\d+\s?(?:%|pp\b)|\d\s?pp\b|(?<![\d.])\d+\.\d{1,3}(?![\d.–])")


def english_numbers(texts: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: {m.group(0)!r} in {text[max(0, m.start() - 40):m.end() + 40]!r}"
            for where, text in texts for m in ENGLISH_NUMBERS.finditer(text)]


#: (one, few, many) forms of the nouns the reports count.
NOUNS = [("лид", "лида", "лидов"), ("клиент", "клиента", "клиентов"),
         ("менеджер", "менеджера", "менеджеров"), ("день", "дня", "дней"),
         ("сделка", "сделки", "сделок"), ("кампания", "кампании", "кампаний")]


def _form(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def _genitive(n: int) -> int:
    """The form after «из» (of): из 1 дня, из 21 лида; из 2 дней, из 92 дней, из 5 лидов."""
    return 1 if n % 10 == 1 and n % 100 != 11 else 2


def wrong_plurals(texts: list[tuple[str, str]]) -> list[str]:
    """Counted nouns whose form disagrees with their number (after «из», the genitive)."""
    found = []
    for nouns in NOUNS:
        pattern = re.compile(r"(?<![\d,.\u00a0])(из\s)?(\d{1,3}(?:\u00a0\d{3})*)\s(" +
                             "|".join(nouns) + r")(?![а-яё])")
        for where, text in texts:
            for m in pattern.finditer(text):
                n = int(m.group(2).replace("\u00a0", ""))
                if nouns.index(m.group(3)) != (_genitive(n) if m.group(1) else _form(n)):
                    found.append(f"{where}: {m.group(0)!r}")
    return found


def test_the_scans_find_what_they_should():
    texts = [("x", "Из 1,234.5 лидов за 3-й квартал: 25.3% и +2.0 pp; 21 лидов, 2 дня, "
                    "5 дня, won deals; paid_search; p = 0.448; r = 2,604 на 31.07.2025; "
                    "из 92 дней, из 21 дня, из 2 дня; за 28.07–03.08.2025")]
    assert [f.split(": ")[1].split(" in ")[0] for f in english_numbers(texts)] == [
        "'1,234.5'", "'25.3%'", "'2.0 pp'", "'0.448'"]
    assert wrong_plurals(texts) == ["x: '21 лидов'", "x: '5 дня'", "x: 'из 2 дня'"]
    found = english_words(texts, {"won", "deals", "paid", "search"}, {"paid", "search"})
    assert [f.split(": ", 1)[1].split(" in ")[0] for f in found] == ["'won'", "'deals'"]


def test_the_russian_reports_render(russian_reports: Path):
    pages = {p.stem for p in russian_reports.glob("*.html")}
    assert pages >= {p.stem for p in NOTEBOOKS} | {"index"}


def test_no_english_word_outside_data_values_and_codes(russian_reports: Path):
    found = english_words(_texts(russian_reports), _catalogue_words(),
                          _data_words() | TABLE_NAMES)
    assert found == [], f"{len(found)} English words:\n" + "\n".join(found[:60])


def test_numbers_are_in_russian_format(russian_reports: Path):
    found = english_numbers(_texts(russian_reports))
    assert found == [], "\n".join(found[:40])


def test_plural_forms_agree_with_their_numbers(russian_reports: Path):
    found = wrong_plurals(_texts(russian_reports))
    assert found == [], "\n".join(found[:40])


def test_the_index_page_is_russian(russian_reports: Path):
    page = (russian_reports / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in page
    assert "Отчёты за 3-й квартал 2025\u202fг." in page


@pytest.mark.render
def test_the_amocrm_export_reads_in_roubles(tmp_path: Path):
    """The amoCRM-shaped export (RUB) in Russian: its bookings of 2025 as ``19 911 001,50 ₽``."""
    from b2bkit.cli import main
    from b2bkit.load.dataset import load_dataset
    from tests.load.test_presets import EXPORTS

    folder = EXPORTS / "amocrm_export"
    deals = load_dataset(folder, column_map="amocrm")["opportunities"]
    won = deals[(deals["status"] == "won") & (deals["closed_at"].dt.year == 2025)]
    assert round(float(won["amount"].sum()), 2) == 19_911_001.50
    out = tmp_path / "reports"
    assert main(["report", str(ROOT / "notebooks" / "kpi_scorecard.ipynb"), "--data",
                 str(folder), "--map", "amocrm", "--period", "2025", "--language", "ru",
                 "--out", str(out), "--jobs", "1"]) == 0
    page = html.unescape((out / "2025" / "kpi_scorecard.html").read_text(encoding="utf-8"))
    assert "19\u00a0911\u00a0001,50\u00a0₽" in page
    assert "19,911,001.50" not in page and " RUB" not in page


@pytest.mark.render
def test_language_of_dataset_toml_chooses_russian_and_the_flag_wins(tmp_path: Path):
    import shutil

    from b2bkit.cli import main

    data = tmp_path / "tiny"
    shutil.copytree(ROOT / "b2bkit" / "load" / "sample", data)
    with (data / "dataset.toml").open("a") as toml:
        toml.write('language = "ru"\n')
    notebook = str(ROOT / "notebooks" / "kpi_scorecard.ipynb")
    for flag, lang in (([], "ru"), (["--language", "en"], "en")):
        out = tmp_path / f"out-{lang}"
        assert main(["report", notebook, "--data", str(data), "--period", "2025-Q1",
                     "--out", str(out), "--jobs", "1", *flag]) == 0
        index = (out / "2025-Q1" / "index.html").read_text(encoding="utf-8")
        page = (out / "2025-Q1" / "kpi_scorecard.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in index
        assert ("EUR" in page and "€" not in page) if lang == "ru" else "Reports for" in index
        assert ("Отчёты за 1-й квартал 2025\u202fг." in index) == (lang == "ru")


@pytest.mark.render
def test_a_dataset_missing_half_its_tables_reads_russian_too(tmp_path: Path):
    """The demo with only its deals, reps, accounts and quotas: every section that lacks
    data says so, in Russian."""
    import shutil

    from b2bkit.cli import main

    data = tmp_path / "half"
    data.mkdir()
    for name in ("opportunities", "reps", "accounts", "quotas"):
        shutil.copy(ROOT / "data" / "demo" / f"{name}.csv", data)
    shutil.copy(ROOT / "data" / "demo" / "dataset.toml", data)
    out = tmp_path / "out"
    assert main(["report", "--data", str(data), "--period", "2025-Q3", "--language", "ru",
                 "--out", str(out)]) == 0
    texts = _texts(out / "2025-Q3")
    found = english_words(texts, _catalogue_words(), _data_words() | TABLE_NAMES)
    assert found == [], "\n".join(found[:40])
    assert english_numbers(texts) == [] and wrong_plurals(texts) == []
    assert any("в наборе данных нет таблицы leads" in text for _where, text in texts)
