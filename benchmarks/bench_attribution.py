"""Multi-touch attribution at scale: every model of b2bkit.metrics.attribution, timed.

Prints figures (not a test). Generates the demo at ``--scale`` (200: about a million
leads and five million engagement events) unless ``--data`` names a folder, loads it
once, then times each model on ``--period`` (target: all models under 15 s on 2 cores).

    .venv/bin/b2bkit demo --scale 200 --out /tmp/s200
    .venv/bin/python benchmarks/bench_attribution.py --data /tmp/s200
"""

from __future__ import annotations

import argparse
import time

from b2bkit.metrics import MODELS, attribution, load_view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/tmp/s200")
    parser.add_argument("--period", default="2025-Q4")
    parser.add_argument("--level", default="lead", choices=("lead", "account"))
    args = parser.parse_args()
    start = time.perf_counter()
    view = load_view(args.data, cache=False)[1]
    print(f"load {args.data}: {time.perf_counter() - start:.1f} s, "
          f"{len(view.tables['engagement']):,} engagement events, "
          f"{len(view.tables['leads']):,} leads")
    total = 0.0
    for model in MODELS:
        start = time.perf_counter()
        frame = attribution(view, args.period, model=model, level=args.level)
        seconds = time.perf_counter() - start
        total += seconds
        print(f"{model:12s} {seconds:6.2f} s  {frame.attrs['deals']:,} deals  "
              f"{frame['credited_bookings'].sum():,.2f} credited")
    print(f"all {len(MODELS)} models ({args.level} level): {total:.2f} s")


if __name__ == "__main__":
    main()
