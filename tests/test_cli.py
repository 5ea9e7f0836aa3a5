"""The command line: exit codes and messages a person can act on."""

from pathlib import Path

import pytest

from b2bkit.cli import main

# One dataset per rule. Each must fail `b2bkit validate` with exit code 1 and
# a message that names the file, the column, the rule and the rows.
# (folder, file, column, words of the rule, offending rows as shown)
BROKEN = [
    ("duplicate_key", "leads.csv", "lead_id", "duplicate key (lead_id)", ["lead_id=L2 (line 4)"]),
    ("missing_column", "opportunities.csv", "status", "required column is missing", []),
    ("unparseable_date", "leads.csv", "created_at", "not a date",
     ["lead_id=L2 (line 3): created_at='2025-13-01'", "lead_id=L3 (line 4)"]),
    ("negative_amount", "spend.csv", "amount", "must be >= 0", ["line 3: amount='-50'"]),
    ("unknown_rep", "opportunities.csv", "rep_id", "unknown rep_id: not in reps",
     ["opportunity_id=O2 (line 3): rep_id='R9'"]),
    ("sql_before_mql", "leads.csv", "sql_at", "must not be before mql_at",
     ["lead_id=L1 (line 2)"]),
    ("mql_before_created", "leads.csv", "mql_at", "must not be before created_at",
     ["lead_id=L1 (line 2)"]),
    ("bad_status", "opportunities.csv", "status", "must be one of open, won, lost",
     ["opportunity_id=O2 (line 3): status='pending'"]),
    ("lost_without_closed_at", "opportunities.csv", "closed_at",
     "required when status is won or lost", ["opportunity_id=O1 (line 2)"]),
    ("nps_score_11", "nps.csv", "score", "must be <= 10", ["line 3: score='11'"]),
    ("nps_score_fraction", "nps.csv", "score", "not a whole number", ["line 2: score='7.5'"]),
    ("probability_above_one", "opportunities.csv", "probability", "must be <= 1",
     ["opportunity_id=O1 (line 2)"]),
    ("amount_not_a_number", "orders.csv", "amount", "not a finite number",
     ["order_id=ORD1 (line 2): amount='12.5O'"]),
    ("unknown_account", "orders.csv", "account_id", "unknown account_id: not in accounts",
     ["order_id=ORD2 (line 3)"]),
    ("bad_boolean", "activities.csv", "is_selling", "not a boolean",
     ["line 2: is_selling='maybe'"]),
    ("duplicate_quota", "quotas.csv", "rep_id, period_start, period_end", "duplicate key",
     ["rep_id=R1, period_start=2025-01-01, period_end=2025-03-31 (line 3)"]),
    ("blank_required", "orders.csv", "account_id", "required value is blank",
     ["order_id=ORD1 (line 2)"]),
    ("link_disagrees", "leads.csv", "opportunity_id", "disagrees with opportunities.lead_id",
     ["lead_id=L1 (line 2): opportunity_id=O1, whose lead_id is L2"]),
    ("quota_period_reversed", "quotas.csv", "period_end", "must not be before period_start",
     ["rep_id=R1"]),
    ("duplicate_header", "leads.csv", "channel", "names this column more than once", []),
    # problems with a whole file have no column; they name the line where they can
    ("wrong_encoding", "accounts.csv", None, "not readable as utf-8 at line 3", []),
    ("empty_file", "leads.csv", None, "the file is empty", []),
    ("malformed_csv", "leads.csv", None, "7 fields where the header has 5",
     ["line 3: 7 fields; the first past the header is 'extra'"]),
    ("bad_setting", "dataset.toml", "churn_days", "unknown setting", []),
    # issue 7: hostile and awkward exports that must fail clearly
    ("truncated_quote", "accounts.csv", None, "malformed CSV: Error tokenizing data. C error: "
     "EOF inside string", []),
    ("mixed_date_formats", "leads.csv", "created_at", "not a date",
     ["lead_id=L2 (line 3): created_at='05.01.2025'"]),
    ("currency_signs", "orders.csv", "amount", "not a finite number",
     ["order_id=1 (line 2): amount='$1,200.00'"]),
    ("nan_inf_strings", "orders.csv", "amount", "not a finite number",
     ["order_id=1 (line 2): amount='NaN'", "order_id=2 (line 3): amount='inf'"]),
    ("unknown_category", "opportunities.csv", "status", "must be one of open, won, lost",
     ["opportunity_id=O1 (line 2): status='Won'"]),
    ("second_currency", "orders.csv", "currency",
     "no fx_rates rate for EUR on or before the row's date (the dataset has no fx_rates table)",
     ["order_id=2 (line 3): currency=EUR, date=2025-01-06"]),
    ("declared_format_mismatch", "leads.csv", "created_at", "not a date",
     ["lead_id=L2 (line 3): created_at='2025-02-01'"]),
    ("negative_quota", "quotas.csv", "quota", "must be >= 0", ["rep_id=R1"]),
    ("negative_minutes", "activities.csv", "minutes", "must be >= 0", ["line 2: minutes='-30'"]),
    ("unknown_stage_opportunity", "stage_history.csv", "opportunity_id",
     "unknown opportunity_id: not in opportunities", ["opportunity_id=O9, stage=sql (line 3)"]),
    ("unknown_engagement_lead", "engagement.csv", "lead_id", "unknown lead_id: not in leads",
     ["line 3: lead_id='L7'"]),
    ("score_above_100", "leads.csv", "score", "must be <= 100", ["lead_id=L1 (line 2)"]),
    ("unknown_map_key", "dataset.toml", "tables.orders.separator", "unknown key; allowed:", []),
    ("map_names_missing_file", "export.csv", None,
     "the column map names 'export.csv' for orders, but there is no such file", []),
    ("forecast_period_reversed", "forecasts.csv", "period_end",
     "must not be before period_start", ["rep_id=R1"]),
    ("excel_title_row", "orders.xlsx", "order_id",
     "required column is missing (the file has: Orders report Q1, Unnamed: 1", []),
]


def test_the_corpus_is_complete(broken: Path) -> None:
    assert sorted(p.name for p in broken.iterdir()) == sorted(case[0] for case in BROKEN)


@pytest.mark.parametrize(("folder", "file", "column", "rule", "rows"), BROKEN,
                         ids=[case[0] for case in BROKEN])
def test_validate_names_file_column_rule_and_rows(broken, capsys, folder, file, column, rule,
                                                  rows) -> None:
    code = main(["validate", str(broken / folder)])
    err = capsys.readouterr().err
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("b2bkit validate: the dataset has ")
    word = "setting" if file.endswith(".toml") else "column"  # a TOML file has keys, not columns
    where = f"{broken / folder / file}" + (f", {word} {column}" if column else "")
    assert lines[1].startswith(f"  {where}: "), lines[1]
    assert rule in lines[1]
    if rows:
        assert lines[1].endswith(f"({len(rows)} row{'s' if len(rows) > 1 else ''})")
    assert len(lines) >= 2 + len(rows), lines  # every example row is printed
    for shown, line in zip(rows, lines[2:2 + len(rows)], strict=True):
        assert line.strip().startswith(shown)


def test_validate_tiny_prints_the_summary(tiny, capsys) -> None:
    assert main(["validate", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tiny Co: 14 table(s), currency EUR, as_of 2025-03-15\n")
    assert "rows read 40 = loaded 40 + set aside 0" in out


def test_lenient_reports_what_was_set_aside(broken, capsys) -> None:
    assert main(["validate", str(broken / "unknown_rep"), "--lenient"]) == 0
    out = capsys.readouterr().out
    assert "rows read 6 = loaded 5 + set aside 1" in out
    assert "opportunities.csv, column rep_id: unknown rep_id: not in reps (1 row)" in out
    assert "opportunity_id=O2 (line 3): rep_id='R9'" in out


def test_missing_folder_is_a_data_error(tmp_path, capsys) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "no such dataset folder" in capsys.readouterr().err


def test_empty_folder_says_what_it_expected(tmp_path, capsys) -> None:
    assert main(["validate", str(tmp_path)]) == 1
    assert "no table files found; expected some of leads.csv" in capsys.readouterr().err


def test_bad_usage_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--scale", "-1"])
    assert exc.value.code == 2
    assert "--scale: must be between 0.01 and 1000, not -1" in capsys.readouterr().err
    for scale in ("inf", "nan", "1e-9"):  # never a traceback or an empty dataset
        with pytest.raises(SystemExit) as exc:
            main(["demo", "--scale", scale])
        assert exc.value.code == 2


def test_kpis_json_has_the_contract_shape(tiny, capsys) -> None:
    import json

    assert main(["kpis", "--data", str(tiny), "--period", "2025-Q1", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 1
    record = records[0]
    assert record["period"] == "2025-Q1" and record["group"] == {}
    assert record["metrics"]["leads"] == 4 and isinstance(record["metrics"]["leads"], int)
    assert record["metrics"]["cpl"] == 875.0
    assert record["metrics"]["retention_rate"] is None
    assert record["notes"] == {
        "revenue_growth": "no revenue in 2024-Q4",
        "retention_rate": "no customers at the start of 2025-Q1",
        "churn_rate": "no customers at the start of 2025-Q1",
        "clv": "no customers at the start of 2025-Q1",
        "clv_cac_ratio": "no customers at the start of 2025-Q1",
        "pipeline_coverage": "no quota for 2025-Q2",
    }


def test_kpis_by_channel_json_groups(tiny, capsys) -> None:
    import json

    assert main(["kpis", "--data", str(tiny), "--period", "2025-Q1", "--by", "channel",
                 "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["group"] for r in records] == [{"channel": "(unknown)"},
                                            {"channel": "trade_show"}, {"channel": "webinar"}]
    assert [r["metrics"]["leads"] for r in records] == [1, 1, 2]
    assert records[2]["metrics"]["marketing_spend"] == 500.0


def test_kpis_table_and_csv(tiny, capsys) -> None:
    assert main(["kpis", "--data", str(tiny), "--period", "2025-Q1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tiny Co: 2025-Q1 (2025-01-01 to 2025-03-31), as of 2025-03-15")
    assert "875.00 EUR" in out and "50.0%" in out
    assert "  pipeline_coverage: no quota for 2025-Q2" in out
    assert main(["kpis", "--data", str(tiny), "--period", "2025-Q1", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "period,metric,unit,value,note"
    assert lines[1] == "2025-Q1,leads,count,4.0,"


def test_kpis_as_of_overrides(tiny, capsys) -> None:
    import json

    assert main(["kpis", "--data", str(tiny), "--period", "2025-Q1", "--as-of", "2025-01-31",
                 "--format", "json"]) == 0
    metrics = json.loads(capsys.readouterr().out)[0]["metrics"]
    assert metrics["leads"] == 2 and metrics["won_deals"] == 0


@pytest.mark.parametrize("args", [["--period", "2025-Q5"], ["--period", "2025", "--by", "x"],
                                  ["--period", "2025", "--as-of", "soon"]])
def test_kpis_bad_usage_exits_2(tiny, capsys, args) -> None:
    try:
        code = main(["kpis", "--data", str(tiny), *args])
    except SystemExit as exc:  # argparse rejects --by itself
        code = exc.code
    assert code == 2


def test_a_dimension_typo_is_named_in_the_flags_words(tiny, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["kpis", "--data", str(tiny), "--period", "2025-Q1", "--by", "chanel"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "b2bkit kpis: error: argument --by: must be one of channel, campaign_id, segment, "
        "rep_id, practice; not 'chanel' (did you mean 'channel'?)")


def test_a_notebook_parameter_is_refused_before_any_kernel_starts(tiny, tmp_path,
                                                                  capsys) -> None:
    out = tmp_path / "reports"
    code = main(["report", "--data", str(tiny), "--period", "2025-Q1", "--out", str(out),
                 "-p", "segment_by", "colour"])
    assert code == 2
    assert capsys.readouterr().err.strip().endswith(
        "parameter segment_by must be one of channel, campaign_id, segment, rep_id, practice; "
        "not 'colour'")
    assert not out.exists()  # refused before anything ran


def test_kpis_json_carries_the_data_quality_once(tiny, capsys) -> None:
    import json

    assert main(["kpis", "--data", str(tiny), "--period", "2025-Q1", "--by", "channel",
                 "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    # issue 28: once per output, in the first group, not repeated in each of them
    assert len(records) > 1 and [("data_quality" in r) for r in records] == [
        True] + [False] * (len(records) - 1)
    member = records[0]["data_quality"]
    # the sample dataset: 40 rows, one exact duplicate engagement row kept as a warning
    assert (member["rows_read"], member["rows_loaded"], member["rows_set_aside"]) == (40, 40, 0)
    assert member["notes"] == [
        "engagement: 1 row kept with a warning: exact duplicate of an earlier row",
        "rows read 40 = loaded 40 + set aside 0"]
    assert [r["rule"] for r in member["rules"]] == ["exact duplicate of an earlier row"]
    # as_of 2025-03-15: 1 January to 15 March observed, 31 + 28 + 15 = 74 days of 90
    assert member["period"] == "2025-Q1 is incomplete: 74 of 90 days observed (as_of 2025-03-15)"


def test_kpis_says_the_period_is_incomplete(tiny, capsys) -> None:
    import json

    assert main(["kpis", "--data", str(tiny), "--period", "2025-03", "--as-of", "2025-03-10",
                 "--format", "json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["data_quality"]["period"] == (
        "2025-03 is incomplete: 10 of 31 days observed (as_of 2025-03-10)")
    assert main(["kpis", "--data", str(tiny), "--period", "2025-03", "--as-of",
                 "2025-03-10"]) == 0
    assert ("b2bkit kpis: 2025-03 is incomplete: 10 of 31 days observed (as_of 2025-03-10)"
            in capsys.readouterr().err.splitlines())


def test_a_period_after_as_of_is_refused(tiny, capsys) -> None:
    assert main(["kpis", "--data", str(tiny), "--period", "2030-Q1"]) == 1
    assert capsys.readouterr().err == (
        "b2bkit kpis: period 2030-Q1 starts after as_of 2025-03-15: there is no data for it "
        "(choose an earlier period, or a later --as-of if the data reaches it)\n")


def test_validate_json(tiny, capsys) -> None:
    import json

    assert main(["validate", str(tiny), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["name"], document["currency"], document["as_of"]) == (
        "Tiny Co", "EUR", "2025-03-15")
    assert sum(t["read"] for t in document["accounting"]) == 40
    assert document["notes"][-1] == "rows read 40 = loaded 40 + set aside 0"
    assert len(document["tables"]) == 14


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_an_overflowing_sum_is_null_with_a_reason_not_infinity(tmp_path, capsys) -> None:
    import json

    (tmp_path / "orders.csv").write_text(
        "order_id,account_id,date,amount\nO1,A1,2025-01-05,1.7e308\nO2,A1,2025-01-06,1.7e308\n")
    assert main(["kpis", "--data", str(tmp_path), "--period", "2025-01", "--format",
                 "json"]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out
    [record] = json.loads(out)
    assert record["metrics"]["revenue"] is None
    assert record["notes"]["revenue"] == "not a finite number (the amounts overflow)"


def test_a_closed_pipe_is_not_a_traceback(tiny) -> None:
    import subprocess
    import sys

    run = subprocess.run(
        f"{sys.executable} -m b2bkit.cli kpis --data {tiny} --period 2025-Q1 | head -1",
        shell=True, capture_output=True, text=True, timeout=120)
    assert run.stdout.startswith("Tiny Co: 2025-Q1")
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr


def test_every_command_shows_the_one_surface(capsys) -> None:
    for command in ("validate", "kpis", "report"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "--map MAP" in text and "--lenient" in text, command
        assert "DATASET" in text and "SQLAlchemy database URL" in text, command


def test_rows_after_as_of_are_counted_in_the_statement(tiny, capsys) -> None:
    import json

    assert main(["kpis", "--data", str(tiny), "--period", "2025-02", "--as-of", "2025-02-28",
                 "--format", "json"]) == 0
    notes = json.loads(capsys.readouterr().out)[0]["data_quality"]["notes"]
    # after 28 February: lead L4 (03-15), opportunity O3 (03-01), stage rows O2 lost (03-05),
    # O3 opportunity (03-01) and proposal (03-10), order ORD2 (03-11), both NPS answers
    assert notes[2:] == ["leads: 1 row created after as_of 2025-02-28 not counted",
                         "opportunities: 1 row created after as_of 2025-02-28 not counted",
                         "stage_history: 3 rows dated after as_of 2025-02-28 not counted",
                         "orders: 1 row dated after as_of 2025-02-28 not counted",
                         "nps: 2 rows dated after as_of 2025-02-28 not counted"]


@pytest.mark.parametrize(("folder", "words"), [
    ("won_without_account", "opportunities: 1 deal worth 100.00 USD kept with a warning: "
                            "account_id: won deal without an account (counts as won; makes no "
                            "customer)"),
    ("won_without_amount", "opportunities: 1 deal kept with a warning: amount: won deal "
                           "without an amount (counts as won; 0 in every sum)"),
])
def test_a_won_deal_without_account_or_amount_is_kept_and_warned(capsys, folder, words) -> None:
    # CONTRACT revision 3: warnings, not errors (today's main: exit 1, "required when won")
    assert main(["validate", str(Path(__file__).parent / "data" / "rev3" / folder)]) == 0
    assert words in capsys.readouterr().out
