"""Speed of the pipeline forecast with its backtest on a large dataset.

Generates the demo dataset at ``--scale`` (200: about 1,000,000 leads,
200,000 opportunities and 700,000 stage_history rows), or reads one written
before (``--data``), loads it, then times:

- the forecast of one quarter made at its start (the as_of cut of the
  tables the forecast reads, stage rates, per-deal probabilities, 4,000
  simulations);
- the backtest over the four quarters before it (four more cuts and
  forecasts);
- both together, as the report makes them (:func:`forecast_report`).

Target (2 cores): forecast + backtest < 10 s after load. A script that
prints figures, not a test: ``python benchmarks/bench_forecast.py --scale 200``
(or ``--data /tmp/s200`` for a dataset ``b2bkit demo --scale 200`` wrote).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from b2bkit.analysis import forecast as fc
from b2bkit.core.periods import Period
from b2bkit.demo import write_demo
from b2bkit.load.dataset import load_dataset

TARGET = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=200.0)
    parser.add_argument("--data", type=Path, default=None, help="a dataset written before")
    parser.add_argument("--period", default="2025-Q4")
    args = parser.parse_args()
    folder = args.data
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="b2bkit-bench-forecast-"))
        start = time.perf_counter()
        write_demo(folder, scale=args.scale)
        print(f"demo at scale {args.scale:g} written in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    ds = load_dataset(folder)
    print(f"load {time.perf_counter() - start:8.2f} s  ({len(ds['opportunities']):,} "
          f"opportunities, {len(ds['stage_history']):,} stage rows)")
    period = Period.parse(args.period)
    start = time.perf_counter()
    made = fc.forecast(fc.forecast_view(ds, period.day_before_start), period)
    one = time.perf_counter() - start
    print(f"forecast of {period}            {one:8.2f} s  ({len(made.deals):,} open deals, "
          f"expected {made.expected:,.0f}, interval {made.low:,.0f}..{made.high:,.0f})")
    start = time.perf_counter()
    tested = fc.backtest(ds, period, periods=4)
    back = time.perf_counter() - start
    print(f"backtest, 4 quarters          {back:8.2f} s  (MAPE {100 * tested.mape:.1f}%, "
          f"coverage {100 * tested.coverage:.0f}%)")
    start = time.perf_counter()
    view = fc.forecast_view(ds, None)
    fc.forecast_report(ds, view, period, periods=4)
    both = time.perf_counter() - start
    verdict = "ok" if both < TARGET else "OVER"
    print(f"forecast + backtest (report)  {both:8.2f} s  {verdict} (target < {TARGET:g} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory                   {peak:8.0f} MB")


if __name__ == "__main__":
    main()
