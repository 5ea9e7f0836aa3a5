"""Awkward but valid exports load, and what they load is asserted (issue 7 corpus, part 2)."""

from pathlib import Path

import pandas as pd
import pytest

from b2bkit.cli import main
from b2bkit.load.dataset import load_dataset

AWKWARD = Path(__file__).parents[1] / "data" / "awkward"


def _load(case: str, **kw):
    return load_dataset(AWKWARD / case, **kw)


def test_the_awkward_corpus_is_complete() -> None:
    assert sorted(p.name for p in AWKWARD.iterdir()) == sorted([
        "amocrm_export", "bom_utf8", "closed_before_created", "cp1251_undeclared",
        "crlf_and_blank_lines",
        "excel_extra_sheets", "excel_named_sheet", "formula_cells", "header_only",
        "lenient_mixed_rows", "million_char_cell", "same_currency_column", "timezones_mixed",
        "utf16"])


def test_bom_and_utf16() -> None:
    assert _load("bom_utf8")["leads"].columns[0] == "lead_id"
    leads = _load("utf16")["leads"]
    assert leads["lead_id"].tolist() == ["L1"] and leads["channel"].tolist() == ["вебинар"]


def test_cp1251_is_detected_without_a_declaration() -> None:
    names = _load("cp1251_undeclared")["accounts"]["name"].tolist()
    assert names == ["Ромашка ООО", "Лютик и партнёры"]


def test_amocrm_style_export_through_the_map() -> None:
    # cp1251, ";" delimiter, decimal comma with a space as thousands separator, dd.mm.yyyy
    ds = _load("amocrm_export")
    opps = ds["opportunities"]
    assert opps["opportunity_id"].tolist() == ["101", "102"]
    assert opps["amount"].tolist() == [1200.5, pd.NA]
    assert opps["status"].tolist() == ["won", "open"]
    assert opps["created_at"].tolist() == [pd.Timestamp("2025-01-31"), pd.Timestamp("2025-02-01")]
    assert ds.settings.currency == "RUB"


def test_time_zones_keep_the_wall_clock_time() -> None:
    created = _load("timezones_mixed")["leads"]["created_at"].tolist()
    assert created == [pd.Timestamp("2025-01-05 23:30"), pd.Timestamp("2025-01-06"),
                       pd.Timestamp("2025-01-07 08:00")]


def test_header_only_crlf_and_blank_lines() -> None:
    ds = _load("header_only")
    assert len(ds["leads"]) == 0 and ds.accounting["read"].tolist() == [0]
    leads = _load("crlf_and_blank_lines")["leads"]
    assert leads["lead_id"].tolist() == ["L1", "L2"] and leads["channel"].tolist() == ["web",
                                                                                     "web"]


def test_excel_sheets() -> None:
    assert _load("excel_extra_sheets")["orders"]["amount"].tolist() == [10.0, 20.0]
    assert _load("excel_named_sheet")["orders"]["order_id"].tolist() == ["1"]


def test_a_million_character_cell_is_kept_whole() -> None:
    names = _load("million_char_cell")["accounts"]["name"]
    assert len(names.iloc[0]) == 1_000_000


def test_formulas_are_text_and_neutralised_in_csv_output(capsys) -> None:
    campaigns = _load("formula_cells")["campaigns"]
    assert campaigns["name"].iloc[0].startswith("=HYPERLINK(")  # kept, never evaluated
    # no dated rows: a period is judged only against an as_of given (CONTRACT rev. 3)
    assert main(["kpis", "--data", str(AWKWARD / "formula_cells"), "--period", "2025",
                 "--as-of", "2025-12-31", "--by", "campaign_id", "--format", "csv"]) == 0
    from b2bkit.core.formatting import safe_for_spreadsheets

    safe = safe_for_spreadsheets(campaigns)["name"].tolist()
    assert safe[0].startswith("'=HYPERLINK(") and safe[1] == "'+cmd"


def test_lenient_accounting_on_mixed_rows() -> None:
    ds = _load("lenient_mixed_rows", lenient=True)
    # order 4's amount of -1 is a refund: orders may be negative (only spend, quotas ... not)
    assert ds.accounting[["read", "loaded", "set_aside"]].values.tolist() == [[5, 3, 2]]
    assert ds["orders"]["order_id"].tolist() == ["1", "4", "5"]
    reasons = ds.set_aside.set_index("line")["reason"].to_dict()
    assert reasons == {3: "date: not a date: a full date is needed, e.g. 2025-07-31 or "
                          "2025-07-31T14:05:00 (or set date_format in the column map)",
                       4: "account_id: required value is blank"}


def test_a_currency_column_matching_the_dataset_is_fine() -> None:
    assert len(_load("same_currency_column")["orders"]) == 1


@pytest.mark.parametrize("case", ["bom_utf8", "utf16", "cp1251_undeclared", "header_only",
                                  "excel_extra_sheets", "million_char_cell"])
def test_validate_exits_0(case, capsys) -> None:
    assert main(["validate", str(AWKWARD / case)]) == 0
