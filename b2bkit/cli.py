"""The ``b2bkit`` command line (CONTRACT.md section 4).

Built on :mod:`argparse` from the standard library: sub-commands, typed
options, usage errors with exit code 2 and ``--help`` come with it, and it
adds no dependency to an environment that must stay reproducible.

Exit codes: 0 success, 1 data or analysis error (the message says what and
where), 2 bad usage, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from b2bkit.core.errors import B2bkitError
from b2bkit.core.i18n import LANGUAGES
from b2bkit.core.source import resolve_map, shown

__all__ = ["main"]


#: The demo's volume multiplier: 0.01 still gives every table rows; 1,000 is 5 million leads.
SCALE_RANGE = (0.01, 1000.0)


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    low, high = SCALE_RANGE
    if not (math.isfinite(value) and low <= value <= high):
        raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}, not {text}")
    return value


def _load(data: str, args: argparse.Namespace):
    """The dataset of ``--data`` (or the positional DATASET), as every command loads it."""
    from b2bkit.load.dataset import load_dataset

    return load_dataset(data, lenient=True if args.lenient else None,
                        column_map=resolve_map(args.map), cache=args.cache,
                        engine=args.engine)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False) if len(frame) else "(none)"


def _cmd_demo(args: argparse.Namespace) -> int:
    from b2bkit.demo import write_demo

    rows = write_demo(args.out, seed=args.seed, scale=args.scale)
    total = sum(rows.values())
    print(f"wrote the demo dataset (seed {args.seed}, scale {args.scale:g}) to {args.out}: "
          f"{len(rows)} tables, {total:,} rows")
    for table, count in rows.items():
        print(f"  {table:<14} {count:>9,}")
    return 0


def _statement(ds, view=None) -> list[str]:
    """The data-quality sentences of an output (:func:`b2bkit.analysis.quality.statement`)."""
    from b2bkit.analysis.quality import statement

    return statement(ds, view)


def _cmd_validate(args: argparse.Namespace) -> int:
    ds = _load(args.dataset, args)
    notes = _statement(ds)
    name = ds.settings.name or shown(args.dataset)
    as_of = None if ds.as_of is None else f"{ds.as_of:%Y-%m-%d}"
    if args.format == "json":
        document = {
            "name": name,
            "currency": ds.settings.currency,
            "as_of": as_of,
            "tables": ds.summary().to_dict("records"),
            "accounting": ds.accounting.to_dict("records"),
            "data_quality": _quality_records(ds),
            "notes": notes,
        }
        print(json.dumps(_jsonable(document), indent=2, ensure_ascii=False))
        return 0
    print(f"{name}: {len(ds.tables)} table(s), currency {ds.settings.currency}, "
          + (f"as_of {as_of}" if as_of else "no as_of: the dataset has no dated rows"))
    print()
    print(_table(ds.summary()))
    print()
    print("data quality:")
    for line in notes:
        print(f"  {line}")
    problems = ds.problems
    if len(problems):
        print()
        print("set aside (lenient mode):")
        for v in problems.itertuples(index=False):
            rows = f"{v.rows} row{'s' if v.rows != 1 else ''}"
            print(f"  {Path(v.file).name}, column {v.column}: {v.rule} ({rows})")
            for example in v.examples[:3]:
                print(f"      {example}")
    return 0


def _quality_records(ds) -> list[dict]:
    """The data-quality frame as JSON records (rule by rule), examples included."""
    quality = getattr(ds, "quality", None)
    if quality is None or not len(quality):
        return []
    return quality.assign(file=quality["file"].map(lambda f: Path(str(f)).name)).to_dict(
        "records")


def _jsonable(value: object) -> object:
    """Plain JSON: NaN and infinities as null, numpy scalars as numbers, no ``Infinity``."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


#: Units of money: rounded to the currency's minor unit in JSON and CSV (585572.35, not
#: 585572.3500000001).
_MONEY = ("currency", "currency_per_day")


def _rounded(values: pd.Series, units: pd.Series, currency: str) -> pd.Series:
    """Money to the currency's minor unit (cents), other values to 10 decimals."""
    from b2bkit.core.currencies import minor_unit

    values = values.astype(float)
    money = units.isin(_MONEY).to_numpy()
    return values.round(10).where(~money, values.round(minor_unit(currency)))


def _kpi_records(table: pd.DataFrame, period: str, by: str | None,
                 quality: dict | None = None, currency: str = "") -> list[dict]:
    """The JSON of CONTRACT section 4: one object per group, the data quality in the first.

    The data-quality member describes the whole output (the dataset and its
    as_of cut, the same for every group), so it is written once, in the
    first object, not repeated in each of thousands of groups.
    """
    records = []
    table = table.assign(shown=_rounded(table["value"], table["unit"], currency))
    for group, rows in table.groupby("group", sort=False):
        metrics, notes = {}, {}
        for row in rows.itertuples(index=False):  # one per metric, not per data row
            value = float(row.value)
            if not math.isfinite(value):  # NaN: missing; infinite: an overflow, not a number
                metrics[row.metric] = None
                notes[row.metric] = (str(row.note) if pd.isna(row.value)
                                     else "not a finite number (the amounts overflow)")
            elif row.unit == "count":
                metrics[row.metric] = round(value)
            else:  # money to the cent, the rest to 10 decimals: no float noise
                metrics[row.metric] = float(row.shown)
            if math.isfinite(value) and pd.notna(row.note):  # a value with a caveat
                notes[row.metric] = str(row.note)
        record = {"period": period, "group": {by: group} if by else {},
                  "metrics": metrics, "notes": notes}
        if quality is not None and not records:
            record["data_quality"] = quality
        records.append(record)
    return records


def _quality_member(ds, coverage: str, notes: list[str]) -> dict:
    """What every kpis output says about the data behind the numbers."""
    acc = ds.accounting
    member = {
        "rows_read": int(acc["read"].sum()),
        "rows_loaded": int(acc["loaded"].sum()),
        "rows_set_aside": int(acc["set_aside"].sum()),
        "rules": _quality_records(ds),
        "notes": notes,
    }
    if coverage:
        member["period"] = coverage
    return member


def _kpi_table(table: pd.DataFrame, currency: str, by: str | None) -> str:
    """Metrics down, groups across, values formatted; reasons for n/a below."""
    from b2bkit.core.formatting import format_value

    shown = table.assign(text=[format_value(v, u, currency)
                               for v, u in zip(table["value"], table["unit"], strict=True)])
    wide = shown.pivot(index="metric", columns="group", values="text")
    wide = wide.reindex(index=list(dict.fromkeys(table["metric"])),
                        columns=list(dict.fromkeys(table["group"])))
    wide.columns.name = by or ""
    wide.index.name = None
    lines = [wide.to_string()]
    missing = table[table["value"].isna()]
    if len(missing):
        lines += ["", "n/a:"]
        for (metric, note), rows in missing.groupby(["metric", "note"], sort=False):
            every = len(rows) == wide.shape[1]
            groups = "" if by is None or every else f" [{', '.join(rows['group'])}]"
            lines.append(f"  {metric}: {note}{groups}")
    return "\n".join(lines)


def _dimension(text: str) -> str:
    """``--by``'s value, refused in the flag's words with the nearest dimension."""
    from b2bkit.core.errors import UsageError
    from b2bkit.metrics import check_by

    try:
        return check_by(text, "--by")
    except UsageError as exc:  # argparse says "argument --by: " before the message
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--by ")) from None


def _cmd_kpis(args: argparse.Namespace) -> int:
    from b2bkit.core.asof import parse_as_of
    from b2bkit.core.periods import Period, coverage_note
    from b2bkit.metrics import compute_all, load_view

    # period and as_of parsed once, here: usage errors before the data is read
    period = Period.parse(args.period)
    as_of = parse_as_of(args.as_of) if args.as_of else None
    # the as_of cut once: for the metrics and what it left out
    ds, view = load_view(args.data, as_of=as_of, lenient=True if args.lenient else None,
                         column_map=resolve_map(args.map), cache=args.cache, read_only=True)
    seen = as_of or ds.as_of  # None: no dated rows, nothing to cut
    coverage = coverage_note(period, seen)  # refuses a period that starts after as_of
    table = compute_all(view, period, by=args.by)  # [<by>, metric, ...]: group first, "all"
    table.insert(0, "group", table.pop(args.by) if args.by else "all")
    from b2bkit.analysis.quality import headline_notes

    statement = _statement(ds, view) + headline_notes(view, period)
    if args.format == "json":
        member = _quality_member(ds, coverage, statement)
        records = _kpi_records(table, str(period), args.by, member, ds.settings.currency)
        print(json.dumps(_jsonable(records), indent=2, ensure_ascii=False, allow_nan=False))
        return 0
    notes = [coverage] if coverage else []
    if _worth_saying(ds) or (seen is not None and len(view.cut)) or len(statement):
        notes += statement
    for line in notes:  # stderr: the table or CSV on stdout stays machine-readable
        print(f"b2bkit kpis: {line}", file=sys.stderr)
    if args.format == "csv":
        from b2bkit.core.formatting import safe_for_spreadsheets

        out = table.rename(columns={"group": args.by or "group"})
        finite = out["value"].astype(float).map(math.isfinite)
        out["value"] = _rounded(out["value"].where(finite), out["unit"],
                                ds.settings.currency)
        out.insert(0, "period", str(period))
        if args.by is None:
            out = out.drop(columns="group")
        print(safe_for_spreadsheets(out).to_csv(index=False, lineterminator="\n"), end="")
    else:
        print(f"{ds.settings.name or shown(args.data)}: {period} "
              f"({period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}), as of "
              f"{'none (no dated rows)' if seen is None else f'{seen:%Y-%m-%d}'}")
        print()
        print(_kpi_table(table, ds.settings.currency, args.by))
    return 0


def _worth_saying(ds) -> bool:
    """Anything set aside, warned about or ignored (a clean dataset keeps stderr quiet)."""
    quality = getattr(ds, "quality", None)
    return bool(ds.accounting["set_aside"].sum()) or (quality is not None and len(quality) > 0)


def _cmd_map_draft(args: argparse.Namespace) -> int:
    """``b2bkit map draft DIR [--out FILE]``: the draft on stdout or in FILE, a summary on
    stderr with the next command to run."""
    from b2bkit.load.draft import draft_map

    draft = draft_map(Path(args.dir))
    if args.out:
        Path(args.out).write_text(draft.text, encoding="utf-8")
    else:
        print(draft.text, end="")
    say = functools.partial(print, file=sys.stderr)
    say(f"b2bkit map draft: {args.dir}: tool recognised: {draft.tool}")
    for file, table in draft.tables.items():
        say(f"  {file} -> {table}")
    for note in draft.notes:
        say(f"  {note}")
    target = args.out or "<the map saved to a file>"
    say(f"next: edit the lines marked '# ?', then run: b2bkit validate {args.dir} --map "
        f"{target} --lenient")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from b2bkit.core.errors import UsageError
    from b2bkit.core.periods import Period
    from b2bkit.reports.render import default_notebooks, render_reports

    period = Period.parse(args.period)  # usage errors before the data is read
    notebooks = [Path(n) for n in args.notebooks] or default_notebooks()
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing:
        raise UsageError(f"no such notebook: {missing[0]}")
    results = render_reports(notebooks, data=args.data, period=period, out=Path(args.out),
                             parameters=dict(args.parameter or []), column_map=args.map,
                             lenient=args.lenient, jobs=args.jobs, cache=args.cache,
                             language=args.language)
    failed = [r for r in results if r.error]
    for r in results:
        status = f"failed: {r.error}" if r.error else f"{r.html}"
        print(f"  {r.name:<24} {r.seconds:5.1f} s  {status}")
    print(f"reports for {period} from {shown(args.data)}: "
          f"{Path(args.out) / str(period) / 'index.html'}")
    if failed:
        for r in failed:
            print(f"b2bkit report: {r.name}.ipynb: {r.error} (output so far: {r.notebook})",
                  file=sys.stderr)
        return 1
    return 0


_DATASET_HELP = "a dataset folder, or a SQLAlchemy database URL (postgresql+psycopg://...)"
_PERIOD_HELP = "2025, 2025-Q3, 2025-07, 2025-W27 or 2025-07-01..2025-09-30"


def _dataset_options(parser: argparse.ArgumentParser) -> None:
    """``--map`` and ``--lenient``: the same words and meaning in every command."""
    from b2bkit.load.settings import ENGINES, PRESETS

    parser.add_argument("--map", metavar="MAP",
                        help="a column map file or a preset for a foreign export "
                             f"({', '.join(PRESETS)}); overrides column_map of dataset.toml")
    parser.add_argument("--lenient", action="store_true", default=None,
                        help="set rows that break a rule aside (counted and reported) instead "
                             "of failing; also `lenient = true` in dataset.toml")
    parser.add_argument("--engine", choices=ENGINES, default=None,
                        help="how a folder is read: in memory (pandas), scanned in place by "
                             "embedded DuckDB (duckdb), or auto: DuckDB when the files are "
                             "larger than a tenth of memory; also `engine` in dataset.toml")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="read the files even when the cache holds this load "
                             "(see b2bkit.load.cache; B2BKIT_CACHE=off turns the cache off)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="b2bkit",
        description="Trustworthy B2B sales and marketing metrics from CRM and marketing data.",
        epilog="Every command that reads data takes the same DATASET (a folder or a database "
               "URL), --map and --lenient. Exit codes: 0 success, 1 data or analysis error, "
               "2 bad usage.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="write the deterministic demo dataset")
    demo.add_argument("--out", default="data/demo", help="folder to write (default data/demo)")
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.add_argument("--scale", type=_scale, default=1.0,
                      help="volume multiplier from 0.01 to 1000, e.g. 10 for benchmarks "
                           "(default 1)")
    demo.set_defaults(run=_cmd_demo)

    validate = commands.add_parser("validate", help="load and check a dataset")
    validate.add_argument("dataset", metavar="DATASET", help=_DATASET_HELP)
    _dataset_options(validate)
    validate.add_argument("--format", choices=("table", "json"), default="table",
                          help="table (readable) or json; default table")
    validate.set_defaults(run=_cmd_validate)

    from b2bkit.metrics import DIMENSIONS

    kpis = commands.add_parser("kpis", help="compute the metric catalogue for a period")
    kpis.add_argument("--data", required=True, metavar="DATASET", help=_DATASET_HELP)
    _dataset_options(kpis)
    kpis.add_argument("--period", required=True, help=_PERIOD_HELP)
    kpis.add_argument("--by", type=_dimension, choices=DIMENSIONS,
                      help="split every metric by a dimension")
    kpis.add_argument("--as-of", dest="as_of", metavar="DATE",
                      help="see the data as of this day (default: the dataset's as_of)")
    kpis.add_argument("--format", choices=("table", "csv", "json"), default="table",
                      help="table (readable), csv or json (raw numbers); default table")
    kpis.set_defaults(run=_cmd_kpis)

    report = commands.add_parser("report", help="render report notebooks to HTML")
    report.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks to render (default: all seven)")
    report.add_argument("--data", required=True, metavar="DATASET", help=_DATASET_HELP)
    _dataset_options(report)
    report.add_argument("--period", required=True, help=_PERIOD_HELP)
    report.add_argument("--out", default="reports", help="output folder (default reports/)")
    report.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="notebooks rendered at once (default: the number of cores)")
    report.add_argument("-p", "--parameter", nargs=2, action="append",
                        metavar=("NAME", "VALUE"), help="a notebook parameter, repeatable")
    report.add_argument("--language", choices=LANGUAGES, default=None,
                        help="language of the reports and the index (default: language of "
                             "dataset.toml, else en); error messages stay English")
    report.set_defaults(run=_cmd_report)

    map_ = commands.add_parser("map", help="column maps: draft one for an export folder")
    map_commands = map_.add_subparsers(dest="map_command", required=True, metavar="ACTION")
    draft = map_commands.add_parser(
        "draft", help="write a commented TOML column map for the export files of DIR")
    draft.add_argument("dir", metavar="DIR", help="the export folder")
    draft.add_argument("--out", metavar="FILE", help="write the map here (default: stdout)")
    draft.set_defaults(run=_cmd_map_draft)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except B2bkitError as exc:
        print(f"b2bkit {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:  # Ctrl-C outside what a command cleans up itself: one line
        print(f"b2bkit {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `b2bkit kpis ... | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
