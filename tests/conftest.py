"""Shared fixtures: paths of the hand-made datasets in tests/data, and the demo's reports.

Markers (pyproject.toml): ``render`` (renders reports), ``postgres`` (a real PostgreSQL
server), ``wheel`` (a built wheel in a fresh environment), ``slow`` (sweeps and fuzzing).
``make test-fast`` leaves them out; ``make test`` runs everything. A test that takes the
``demo_reports`` or ``postgres_url`` fixture is marked for it here, not by hand.
"""

import os
from pathlib import Path

import pytest

# No cache of validated datasets in the suite (b2bkit.load.cache): every load reads its files,
# and nothing is written to the user's cache. tests/test_cache.py turns it on where it tests it.
os.environ["B2BKIT_CACHE"] = "off"

DATA = Path(__file__).parent / "data"
#: The sample dataset shipped with b2bkit (doctests use it too).
SAMPLE = Path(__file__).parents[1] / "b2bkit" / "load" / "sample"
#: The public exports of ../shared/datasets (not part of the project).
SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"


@pytest.fixture
def tiny() -> Path:
    """A valid dataset with every table, small enough to check on paper."""
    return SAMPLE


@pytest.fixture
def broken() -> Path:
    """The folder of datasets that each break one rule."""
    return DATA / "broken"


#: Fixture -> the marker every test taking it carries.
_MARKED_BY_FIXTURE = {"demo_reports": "render", "russian_reports": "render",
                      "postgres_url": "postgres"}


#: The heaviest tests of the quick loop (2.5 s or more each on 2 busy cores): marked ``slow``,
#: so ``make test-fast`` leaves them out and ``make test`` runs them. Each is an end-to-end
#: run (the command line on a real export or the demo, a DuckDB load, a model fit, a sweep);
#: the rules they check are also checked by quick tests on the tiny fixtures.
_SLOW = {
    "b2bkit/metrics/predictive.py::b2bkit.metrics.predictive.checked_clv",
    "b2bkit/reports/notebook.py::b2bkit.reports.notebook.start",
    "b2bkit/view/view.py::b2bkit.view.view.load_view",
    "tests/load/test_real_exports.py::test_salesforce_winkel_2023_q2_through_the_command_line",
    "tests/test_cli.py::test_a_closed_pipe_is_not_a_traceback",
    "tests/test_cli.py::test_kpis_says_the_period_is_incomplete",
    "tests/test_cli.py::test_kpis_json_carries_the_data_quality_once",
    "tests/test_cli.py::test_rows_after_as_of_are_counted_in_the_statement",
    "tests/load/test_sql.py::test_duckdb_tables_load_like_the_files",
    "tests/load/test_sql.py::test_views_and_a_schema_in_the_url",
    "tests/load/test_sql.py::test_schema_and_queries",
    "tests/reports/test_safe_output.py::test_kpis_csv_neutralises_formulas",
    "tests/analysis/test_customers_at_risk.py::test_a_fit_that_fails_its_check_gives_no_numbers",
    "tests/analysis/test_customers_at_risk.py::test_p_alive_is_the_bgnbd_formula_of_the_checked_fit",
    "tests/metrics/test_properties.py::test_additive_metrics_sum_over_groups",
    "tests/metrics/test_properties.py::test_rates_stay_in_unit_interval",
    "tests/reports/test_report.py::test_index_headline_sees_the_data_from_the_reports_as_of",
    "tests/metrics/test_attribution.py::test_every_model_adds_up_to_the_bookings_on_the_demo",
    "tests/load/test_cache.py::test_only_the_most_recently_used_entries_are_kept",
    "tests/reports/test_visible_text.py::test_the_index_headline_reads_as_prose",
    "tests/test_demo.py::test_same_seed_same_bytes",
    "tests/metrics/test_predictive_check.py::test_a_fit_that_broke_down_is_refused_with_what_broke",
    "tests/load/test_draft.py::test_the_draft_of_a_real_export_loads_unedited",
    "tests/analysis/test_headline_notes.py::test_salesforce_winkel_kpis_and_the_index_carry_the_note",
    "tests/test_plots.py::test_dollars_in_data_are_drawn_as_dollars_not_mathtext",
    # 1.5 s or more on a clean clone's 2 idle cores (session 22): the loop stays under 2 min
    "tests/load/test_parallel_load.py::test_a_parquet_dataset_loads_as_its_csv_twin",
    "tests/load/test_rules.py::test_the_broken_corpus_reads_russian_rule_by_rule",
    "tests/load/test_cache.py::test_kpis_twice_prints_the_same_and_no_cache_writes_nothing",
    "tests/load/test_cache.py::test_a_damaged_entry_is_a_miss_and_is_replaced",
    "tests/load/test_cache.py::test_a_byte_changed_inside_an_entry_is_a_miss_and_is_replaced",
    "tests/test_cli.py::test_kpis_table_and_csv",
    "tests/test_cli.py::test_kpis_json_has_the_contract_shape",
    "tests/test_cli.py::test_kpis_by_channel_json_groups",
    "tests/analysis/test_predictive_section.py::test_a_broken_down_fit_shows_no_number_and_says_why",
    "tests/analysis/test_attribution.py::test_every_sentence_and_header_is_plain_language",
    "tests/analysis/test_review.py::test_verdict_changes_put_the_earlier_verdict_beside_each_practice",
    "tests/load/test_real_exports.py::test_bitrix_stats_through_the_bitrix24_preset",
    "tests/reports/test_parameters.py::test_fuzz_period_parse",
    "tests/reports/test_parameters.py::test_fuzz_parse_as_of",
    "tests/view/test_dims.py::test_kpis_by_rep_on_the_demo_has_no_unknown_rep",
    "tests/load/test_parsing.py::test_formatted_numbers_round_trip",
    "tests/load/test_sql.py::test_bad_rows_in_a_database_are_named",
    "tests/test_demo.py::test_written_demo_validates_strictly",
    "tests/test_demo.py::test_files_at_scale_one",
    "tests/test_demo.py::test_predictive_clv_fits_the_demo",
    "tests/test_cli.py::test_kpis_as_of_overrides",
    "tests/analysis/test_reps_many.py::test_ten_thousand_reps_show_the_top_and_bottom_ten_and_sum_the_rest",
    "tests/analysis/test_scorecard.py::test_a_month_report_does_not_get_quarterly_targets",
    "tests/load/test_draft.py::test_aws_saas_sales_through_the_drafted_and_edited_map",
    "tests/load/test_sql.py::test_a_database_is_read_through_its_column_map",
    "tests/load/test_parallel_load.py::test_a_parallel_load_gives_the_tables_in_the_serial_order",
    "tests/load/test_cache.py::test_a_cell_changed_in_place_is_read_again",
    "tests/load/test_cache.py::test_what_the_load_depends_on_is_in_the_key",
    "tests/reports/test_report_guards.py::test_ctrl_c_cancels_the_queue_removes_what_is_incomplete_and_exits_130",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in _MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, marker))
        if item.nodeid.split("[", 1)[0] in _SLOW:
            item.add_marker(pytest.mark.slow)



@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six reports of the demo for 2025-Q3, rendered once for every test that reads them.

    ``b2bkit report --data data/demo --period 2025-Q3``; the folder holds each
    report's ``.ipynb`` and ``.html``, ``index.html`` and the review's CSV.
    """
    from b2bkit.cli import main

    out = tmp_path_factory.mktemp("demo-reports")
    demo = Path(__file__).parents[1] / "data" / "demo"
    assert main(["report", "--data", str(demo), "--period", "2025-Q3", "--out", str(out)]) == 0
    return out / "2025-Q3"
