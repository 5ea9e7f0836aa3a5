"""The ``b2bkit`` command line (CONTRACT.md section 4).

Built on :mod:`argparse` from the standard library: sub-commands, typed
options, usage errors with exit code 2 and ``--help`` come with it, and it
adds no dependency to an environment that must stay reproducible.

Exit codes: 0 success, 1 data or analysis error (the message says what and
where), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from b2bkit.errors import B2bkitError

__all__ = ["main"]


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {text}")
    return value


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


def _cmd_validate(args: argparse.Namespace) -> int:
    from b2bkit.dataset import load_dataset

    column_map = str(Path(args.map).resolve()) if args.map else None
    ds = load_dataset(args.dataset, lenient=args.lenient, column_map=column_map)
    name = ds.settings.name or str(args.dataset)
    as_of = "none (no dated rows)" if ds.as_of is None else f"{ds.as_of:%Y-%m-%d}"
    print(f"{name}: {len(ds.tables)} table(s), currency {ds.settings.currency}, as_of {as_of}")
    print()
    print(_table(ds.summary()))
    print()
    acc = ds.accounting
    print(f"rows read {acc['read'].sum():,} = loaded {acc['loaded'].sum():,} "
          f"+ set aside {acc['set_aside'].sum():,}")
    if len(ds.set_aside):
        print()
        print("set aside (lenient mode):")
        for v in ds.problems.itertuples(index=False):
            rows = f"{v.rows} row{'s' if v.rows != 1 else ''}"
            print(f"  {Path(v.file).name}, column {v.column}: {v.rule} ({rows})")
            for example in v.examples[:3]:
                print(f"      {example}")
    return 0


def _kpi_records(table: pd.DataFrame, period: str, by: str | None) -> list[dict]:
    """The JSON of CONTRACT section 4: one object per group."""
    records = []
    for group, rows in table.groupby("group", sort=False):
        metrics, notes = {}, {}
        for row in rows.itertuples(index=False):  # one per metric, not per data row
            missing = pd.isna(row.value)
            if missing:
                metrics[row.metric] = None
                notes[row.metric] = str(row.note)
            elif row.unit == "count":
                metrics[row.metric] = round(row.value)
            else:  # 10 decimals: exact cents without float noise (81896.04999999999)
                metrics[row.metric] = round(float(row.value), 10)
        records.append({"period": period, "group": {by: group} if by else {},
                        "metrics": metrics, "notes": notes})
    return records


def _kpi_table(table: pd.DataFrame, currency: str, by: str | None) -> str:
    """Metrics down, groups across, values formatted; reasons for n/a below."""
    from b2bkit.formatting import format_value

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


def _cmd_kpis(args: argparse.Namespace) -> int:
    import json

    from b2bkit.dataset import load_dataset
    from b2bkit.metrics import compute_all
    from b2bkit.periods import Period, parse_as_of

    period = Period.parse(args.period)
    as_of = parse_as_of(args.as_of) if args.as_of else None
    ds = load_dataset(args.data)
    table = compute_all(ds, period, by=args.by, as_of=as_of)
    if args.format == "json":
        print(json.dumps(_kpi_records(table, str(period), args.by), indent=2))
    elif args.format == "csv":
        from b2bkit.formatting import safe_for_spreadsheets

        out = table.rename(columns={"group": args.by or "group"})
        out["value"] = out["value"].round(10)
        out.insert(0, "period", str(period))
        if args.by is None:
            out = out.drop(columns="group")
        print(safe_for_spreadsheets(out).to_csv(index=False, lineterminator="\n"), end="")
    else:
        seen = as_of or ds.as_of
        print(f"{ds.settings.name or args.data}: {period} "
              f"({period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}), as of {seen:%Y-%m-%d}")
        print()
        print(_kpi_table(table, ds.settings.currency, args.by))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from b2bkit.errors import UsageError
    from b2bkit.periods import Period
    from b2bkit.report import NOTEBOOKS, render_reports

    period = Period.parse(args.period)
    if args.notebooks:
        notebooks = [Path(n) for n in args.notebooks]
    else:
        # the executive one-pager first, then the rest by name
        notebooks = sorted(NOTEBOOKS.glob("*.ipynb"),
                           key=lambda path: (path.stem != "kpi_scorecard", path.stem))
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing:
        raise UsageError(f"no such notebook: {missing[0]}")
    if not Path(args.data).is_dir():
        raise UsageError(f"no such dataset folder: {args.data}")
    parameters = dict(args.parameter or [])
    out = Path(args.out)
    results = render_reports(notebooks, data=args.data, period=period, out=out,
                             parameters=parameters)
    failed = [r for r in results if r.error]
    for r in results:
        status = f"failed: {r.error}" if r.error else f"{r.html}"
        print(f"  {r.name:<24} {r.seconds:5.1f} s  {status}")
    print(f"reports for {period}: {out / str(period) / 'index.html'}")
    if failed:
        for r in failed:
            print(f"b2bkit report: {r.name}.ipynb: {r.error} (output so far: {r.notebook})",
                  file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="b2bkit",
        description="Trustworthy B2B sales and marketing metrics from CRM and marketing data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="write the deterministic demo dataset")
    demo.add_argument("--out", default="data/demo", help="folder to write (default data/demo)")
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.add_argument("--scale", type=_positive_float, default=1.0,
                      help="volume multiplier, e.g. 10 for benchmarks (default 1)")
    demo.set_defaults(run=_cmd_demo)

    validate = commands.add_parser("validate", help="load and check a dataset folder")
    validate.add_argument("dataset", help="the dataset folder")
    validate.add_argument("--lenient", action="store_true",
                          help="set bad rows aside and report them instead of failing")
    validate.add_argument("--map", metavar="FILE",
                          help="a column map file or preset (hubspot, salesforce) for a "
                               "foreign export; overrides column_map of dataset.toml")
    validate.set_defaults(run=_cmd_validate)

    from b2bkit.metrics._view import DIMENSIONS

    kpis = commands.add_parser("kpis", help="compute the metric catalogue for a period")
    kpis.add_argument("--data", required=True, help="the dataset folder")
    kpis.add_argument("--period", required=True,
                      help="2025, 2025-Q3, 2025-07, 2025-W27 or 2025-07-01..2025-09-30")
    kpis.add_argument("--by", choices=DIMENSIONS, help="split every metric by a dimension")
    kpis.add_argument("--as-of", dest="as_of", metavar="DATE",
                      help="see the data as of this day (default: the dataset's as_of)")
    kpis.add_argument("--format", choices=("table", "csv", "json"), default="table",
                      help="table (readable), csv or json (raw numbers); default table")
    kpis.set_defaults(run=_cmd_kpis)

    report = commands.add_parser("report", help="render report notebooks to HTML")
    report.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks to render (default: all in notebooks/)")
    report.add_argument("--data", required=True, help="the dataset folder")
    report.add_argument("--period", required=True,
                        help="2025, 2025-Q3, 2025-07, 2025-W27 or 2025-07-01..2025-09-30")
    report.add_argument("--out", default="reports", help="output folder (default reports/)")
    report.add_argument("-p", "--parameter", nargs=2, action="append",
                        metavar=("NAME", "VALUE"), help="a notebook parameter, repeatable")
    report.set_defaults(run=_cmd_report)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
