"""Speed and memory of loading and of the metric catalogue on a large dataset.

Generates the demo dataset at ``--scale`` (200: about 1,000,000 leads,
200,000 opportunities, 1,700,000 orders and 5,000,000 engagement events),
writes it as Parquet, then times:

- loading it (``load_dataset``: read, parse, validate every row);
- the full catalogue for one quarter (the as_of cut, dimensions and all
  47 metrics), and the same split by channel;
- the cohort retention matrix (acquisition month x months since) over all
  orders, and the same matrix in DuckDB SQL, with the ratio of the two;
- the peak resident memory of the process.

Targets (2 cores): catalogue for one quarter < 10 s after load, cohort
matrix < 2 s and within 2x of DuckDB, peak memory < 4 GB. This is a script
that prints figures, not a test: ``make bench`` or
``python benchmarks/bench_catalogue.py --scale 200``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from b2bkit.demo import DATASET_TOML, generate
from b2bkit.load.dataset import load_dataset
from b2bkit.metrics import compute_all, prepare
from b2bkit.metrics.cohorts import cohort_matrix

TARGETS = {"catalogue, one quarter": 10.0, "cohort matrix (pandas)": 2.0}
RESULTS: list[tuple[str, float]] = []


@contextmanager
def timed(label: str):
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    RESULTS.append((label, seconds))
    target = TARGETS.get(label)
    verdict = "" if target is None else (" ok" if seconds < target else " OVER") + \
        f" (target < {target:g} s)"
    print(f"{label:<34} {seconds:8.2f} s{verdict}", flush=True)


def duckdb_cohorts(orders: pd.DataFrame) -> pd.DataFrame:
    """The same matrix in SQL, for comparison."""
    import duckdb

    sql = """
        WITH m AS (
            SELECT DISTINCT account_id, date_trunc('month', date) AS month FROM orders),
        f AS (
            SELECT account_id, month,
                   min(month) OVER (PARTITION BY account_id) AS cohort FROM m)
        SELECT cohort, datediff('month', cohort, month) AS since, count(*) AS n
        FROM f GROUP BY ALL
    """
    counts = duckdb.sql(sql).df()
    matrix = counts.pivot(index="cohort", columns="since", values="n").fillna(0)
    return matrix.div(matrix[0], axis=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=200.0)
    parser.add_argument("--period", default="2025-Q3")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the Parquet files (default: a temp folder)")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="b2bkit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"scale {args.scale:g}, period {args.period}, data in {folder}")
    with timed("generate"):
        tables = generate(seed=42, scale=args.scale)
    for name in ("leads", "opportunities", "orders", "engagement"):
        print(f"  {name:<14} {len(tables[name]):>10,} rows")
    with timed("write parquet"):
        for name, frame in tables.items():
            frame.to_parquet(folder / f"{name}.parquet", index=False)
        (folder / "dataset.toml").write_text(DATASET_TOML)
    del tables
    with timed("load + validate"):
        ds = load_dataset(folder)
    with timed("catalogue, one quarter"):
        table = compute_all(ds, args.period)
    print(f"  {table['value'].notna().sum()} of {len(table)} metrics with a value")
    view = prepare(ds)
    with timed("catalogue by channel (prepared)"):
        compute_all(view, args.period, by="channel")
    orders = ds["orders"][["account_id", "date"]]
    with timed("cohort matrix (pandas)"):
        ours = cohort_matrix(orders)
    duck_input = orders.assign(account_id=orders["account_id"].astype(str))
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("duckdb not installed: no comparison")
    else:
        duckdb_cohorts(duck_input)  # warm up
        with timed("cohort matrix (duckdb)"):
            theirs = duckdb_cohorts(duck_input)
        ratio = dict(RESULTS)["cohort matrix (pandas)"] / dict(RESULTS)["cohort matrix (duckdb)"]
        same = (ours.fillna(0).to_numpy()[:, : theirs.shape[1]].round(12)
                == theirs.to_numpy()[:, : ours.shape[1]].round(12)).all()
        print(f"  pandas / duckdb = {ratio:.2f}x (goal <= 2x); same matrix: {same}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak memory                        {peak:8.2f} GB"
          f"{' ok' if peak < 4 else ' OVER'} (target < 4 GB)")
    if args.out is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
