"""Loading speed, and the whole ``kpis`` job against a DuckDB SQL peer.

Two measurements, printed (a script, not a test: ``make bench-load`` or
``python benchmarks/bench_load.py``):

1. **load + validate** (``load_dataset``: read, parse, check every rule) of
   the demo dataset written as CSV and as Parquet at several scales
   (default 5, 20, 50 and 200; 200 is about 1,000,000 leads, 1,700,000
   orders and 5,100,000 engagement events), the median of ``--runs`` runs,
   and the exponent ``k`` of the fitted law ``seconds ~ rows ** k``
   (k = 1: linear).
2. **the whole kpis process**: ``b2bkit kpis --data DIR --period P --format
   json`` as a fresh process, against a DuckDB SQL peer that reads the same
   CSV files and computes a few of the same metrics (bookings, win rate,
   engaged leads and the monthly cohort matrix); interleaved runs, medians,
   the ratio (below 1.0: b2bkit is faster) and each process's peak memory.
   The peer computes four metrics where b2bkit computes 47 with every
   validation rule, so the ratio flatters the peer. b2bkit is timed three
   ways: the first run on the files (read, validated and written to the
   cache of validated datasets, :mod:`b2bkit.load.cache`), a repeated run with
   the files unchanged (the cache), and ``--no-cache``; all three must print
   the same JSON. The load figures of part 1 never use the cache.

Targets (issue 15, 2 cores): load + validate at scale 200 < 10 s from CSV
and < 5 s from Parquet; the kpis process at scale 200 faster than the peer
(ratio < 1.0) with peak memory < 3 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PEER = r"""
import json, sys, duckdb
folder, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
for name in ("leads", "opportunities", "orders", "engagement"):
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv('{folder}/{name}.csv', "
                "header=true, all_varchar=false)")
bookings, won, lost = con.execute(f'''
    SELECT sum(CASE WHEN status = 'won' THEN amount ELSE 0 END),
           count(*) FILTER (WHERE status = 'won'), count(*) FILTER (WHERE status = 'lost')
    FROM opportunities
    WHERE closed_at >= DATE '{start}' AND closed_at < DATE '{end}' + INTERVAL 1 DAY''').fetchone()
engaged = con.execute(f'''
    SELECT count(DISTINCT e.lead_id) FROM engagement e JOIN leads l USING (lead_id)
    WHERE e.date >= DATE '{start}' AND e.date < DATE '{end}' + INTERVAL 1 DAY
      AND l.created_at < DATE '{end}' + INTERVAL 1 DAY''').fetchone()[0]
cohorts = con.execute('''
    WITH m AS (SELECT DISTINCT account_id, date_trunc('month', date) AS month FROM orders),
    f AS (SELECT account_id, month, min(month) OVER (PARTITION BY account_id) AS cohort FROM m)
    SELECT cohort, datediff('month', cohort, month) AS since, count(*) AS n
    FROM f GROUP BY ALL''').df()
print(json.dumps({"bookings": bookings, "win_rate": won / (won + lost),
                  "engaged_leads": engaged, "cohort_cells": len(cohorts)}))
"""


#: Runs a script and prints its peak memory at exit: VmHWM of /proc/self/status, the
#: high-water mark of this process's own memory. (ru_maxrss would not do: on Linux it
#: keeps the peak of the process forked from, this benchmark, which holds the largest
#: generated dataset.)
_MEASURED = ("import atexit, re, runpy, sys; "
             "atexit.register(lambda: print('maxrss', re.search(r'VmHWM:\\s+(\\d+)', "
             "open('/proc/self/status').read())[1], file=sys.stderr)); "
             "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


def _run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Seconds, peak resident memory (GB) and standard output of one process.

    ``command`` is a script and its arguments; it runs under a wrapper that
    prints the process's own peak memory when it exits. ``env``: variables
    added to this process's environment.
    """
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *command], capture_output=True,
                          text=True, check=True, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    kilobytes = int(done.stderr.rsplit("maxrss", 1)[1].split()[0])
    return seconds, kilobytes / 2**20, done.stdout


def _script(code: str, root: Path, name: str) -> str:
    path = root / name
    path.write_text(code)
    return str(path)


def _write(scale: float, root: Path) -> tuple[Path, Path, int]:
    """The demo at ``scale`` as CSV and as Parquet folders, and its row count."""
    from b2bkit.demo import DATASET_TOML, generate

    csv_dir, parquet_dir = root / f"csv-{scale:g}", root / f"parquet-{scale:g}"
    csv_dir.mkdir(parents=True, exist_ok=True)
    parquet_dir.mkdir(parents=True, exist_ok=True)
    tables = generate(seed=42, scale=scale)
    rows = sum(len(frame) for frame in tables.values())
    for name, frame in tables.items():
        frame.to_csv(csv_dir / f"{name}.csv", index=False)
        frame.to_parquet(parquet_dir / f"{name}.parquet", index=False)
    for folder in (csv_dir, parquet_dir):
        (folder / "dataset.toml").write_text(DATASET_TOML)
    return csv_dir, parquet_dir, rows


LOAD = """
import sys, time
from b2bkit.load.dataset import load_dataset
start = time.perf_counter()
load_dataset(sys.argv[1], cache=False)  # every rule checked: never the cached dataset
print(time.perf_counter() - start)
"""


def _load_seconds(script: str, folder: Path, runs: int) -> tuple[float, float]:
    """Median seconds of load + validate (imports excluded) and the peak memory in GB."""
    results = [_run([script, str(folder)]) for _ in range(runs)]
    return (statistics.median(float(out) for _, _, out in results),
            max(memory for _, memory, _ in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="5,20,50,200",
                        help="comma-separated demo scales (default 5,20,50,200)")
    parser.add_argument("--period", default="2025-Q3")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--kpis-scale", type=float, default=None,
                        help="scale of the kpis comparison (default: the largest)")
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    root = Path(tempfile.mkdtemp(prefix="b2bkit-bench-load-"))
    print(f"data in {root}; {os.cpu_count()} cores; medians of {args.runs} runs")
    load = _script(LOAD, root, "load.py")
    print(f"{'scale':>6} {'rows':>11} {'csv s':>8} {'csv GB':>7} {'parquet s':>10} "
          f"{'parquet GB':>11} {'load avg':>9}")
    sizes, csv_times, folders = [], [], {}
    for scale in scales:
        csv_dir, parquet_dir, rows = _write(scale, root)
        folders[scale] = csv_dir
        csv_s, csv_gb = _load_seconds(load, csv_dir, args.runs)
        parquet_s, parquet_gb = _load_seconds(load, parquet_dir, args.runs)
        sizes.append(rows)
        csv_times.append(csv_s)
        print(f"{scale:>6g} {rows:>11,} {csv_s:>8.2f} {csv_gb:>7.2f} {parquet_s:>10.2f} "
              f"{parquet_gb:>11.2f} {os.getloadavg()[0]:>9.2f}", flush=True)
    if len(scales) > 1:
        k = np.polyfit(np.log(sizes), np.log(csv_times), 1)[0]
        print(f"fitted exponent of CSV load time in rows: k = {k:.2f} (1.00 = linear)")
    target = folders[args.kpis_scale or max(scales)]
    from b2bkit.core.periods import Period

    period = Period.parse(args.period)
    import b2bkit.cli

    ours_cmd = [b2bkit.cli.__file__, "kpis", "--data", str(target), "--period", args.period,
                "--format", "json"]
    peer_cmd = [_script(PEER, root, "peer.py"), str(target), f"{period.start:%Y-%m-%d}",
                f"{period.end:%Y-%m-%d}"]
    store = root / "cache"  # the benchmark's own cache of validated datasets
    kinds = {"first": "first run: read, validate, keep in the cache",
             "again": "repeated run: files unchanged, from the cache",
             "no-cache": "--no-cache: read and validate, keep nothing"}
    seconds = {kind: [] for kind in [*kinds, "peer"]}
    memory = dict.fromkeys(seconds, 0.0)
    outputs = {}
    for _ in range(args.runs):  # interleaved: all see the same machine state
        shutil.rmtree(store, ignore_errors=True)
        for kind in seconds:
            command = {"peer": peer_cmd, "no-cache": [*ours_cmd, "--no-cache"]}.get(kind, ours_cmd)
            took, peak, out = _run(command, env={"B2BKIT_CACHE": str(store)})
            seconds[kind].append(took)
            memory[kind] = max(memory[kind], peak)
            outputs.setdefault(kind, out)
            if kind != "peer" and out != outputs["first"]:
                raise SystemExit(f"kpis ({kinds[kind]}) printed other numbers than the first run")
    peer_s = statistics.median(seconds["peer"])
    print(f"DuckDB SQL peer (4 of the metrics, 4 files, no checks): {peer_s:6.2f} s, "
          f"{memory['peer']:.2f} GB")
    print("b2bkit kpis (47 metrics, 14 files, every rule), same JSON in all three:")
    for kind, label in kinds.items():
        took = statistics.median(seconds[kind])
        print(f"  {label:<48} {took:6.2f} s  ratio {took / peer_s:5.2f}  "
              f"peak {memory[kind]:.2f} GB")
    print("targets: ratio < 1.0, peak < 3 GB; "
          f"load average {os.getloadavg()[0]:.2f} (1 min; the machine's other work shows here)")
    mine, theirs = json.loads(outputs["first"])[0]["metrics"], json.loads(outputs["peer"])
    for name in ("bookings", "win_rate", "engaged_leads"):
        print(f"  {name:<14} b2bkit {mine[name]!s:>18}  peer {theirs[name]!s:>18}")
    shutil.rmtree(store, ignore_errors=True)

if __name__ == "__main__":
    main()
