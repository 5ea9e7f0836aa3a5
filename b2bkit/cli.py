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
