"""Speed of the predictive CLV fits at 100,000 customers, beside ``lifetimes`` when available.

Simulates a population from the BG/NBD generative story with the published
CDNOW parameters (r = 0.243, alpha = 4.414, a = 0.793, b = 2.426; first
purchases in the first 12 weeks, observed to week 39, whole days) and
purchase values from the Gamma-Gamma story (p = 6.25, q = 3.74,
gamma = 15.44), with a fixed seed; then prints the fit time of BG/NBD and
Gamma-Gamma (median of ``--repeats``) and the fitted parameters.

When ``LIFETIMES_PYTHON`` names the python of an environment with
``lifetimes``, the same summary is written to a temporary CSV and fitted
there in a subprocess (``BetaGeoFitter``, ``GammaGammaFitter``, default
options), and the script prints its times and parameters, the time ratio
(b2bkit / lifetimes) and the largest relative parameter difference. Such an
environment (lifetimes 0.11.3 needs pandas < 2.1)::

    python3.11 -m venv /tmp/lt
    /tmp/lt/bin/pip install lifetimes==0.11.3 "pandas<2.1" "numpy<2" "scipy<1.13"
    LIFETIMES_PYTHON=/tmp/lt/bin/python python benchmarks/bench_clv.py

Targets: ratio < 1.0 for both fits, parameters equal to 1e-3. A script that
prints figures, not a test: ``python benchmarks/bench_clv.py --customers 100000``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from b2bkit.metrics.predictive import (
    BGNBD,
    GammaGamma,
    fit_bgnbd,
    fit_gamma_gamma,
    simulate_summary,
)

CDNOW = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
SPEND = GammaGamma(p=6.25, q=3.74, gamma=15.44)
PARAMS = {"BG/NBD": ("r", "alpha", "a", "b"), "Gamma-Gamma": ("p", "q", "gamma")}

LIFETIMES_SCRIPT = """
import json, sys, time
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
data = pd.read_csv(sys.argv[1])
repeat = data[data["x"] > 0]
out = {}
for name, fit in [
    ("BG/NBD", lambda: BetaGeoFitter().fit(data["x"], data["t_x"], data["T"])),
    ("Gamma-Gamma", lambda: GammaGammaFitter().fit(repeat["x"], repeat["m_x"])),
]:
    times = []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        model = fit()
        times.append(time.perf_counter() - start)
    params = {("gamma" if k == "v" else k): float(v) for k, v in model.params_.items()}
    out[name] = {"times": times, "params": params}
print(json.dumps(out))
"""


def median_time(fit, repeats: int) -> tuple[float, object]:
    times, model = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        model = fit()
        times.append(time.perf_counter() - start)
    return statistics.median(times), model


def run_lifetimes(python: str, summary, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "summary.csv"
        summary.to_csv(path, index=False)
        done = subprocess.run([python, "-c", LIFETIMES_SCRIPT, str(path), str(repeats)],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    summary = simulate_summary(args.customers, purchases=CDNOW, spend=SPEND, seed=args.seed)
    repeat = summary[summary["x"] > 0]
    print(f"{args.customers:,} customers simulated (seed {args.seed}), {len(repeat):,} with "
          f"repeat purchases, {len(summary.drop_duplicates(['x', 't_x', 'T'])):,} distinct "
          f"(x, t_x, T)")
    ours = {}
    for name, fit in [
        ("BG/NBD", lambda: fit_bgnbd(summary["x"], summary["t_x"], summary["T"])),
        ("Gamma-Gamma", lambda: fit_gamma_gamma(repeat["x"], repeat["m_x"])),
    ]:
        seconds, model = median_time(fit, args.repeats)
        ours[name] = (seconds, {k: getattr(model, k) for k in PARAMS[name]})
        shown = ", ".join(f"{k} = {v:.4f}" for k, v in ours[name][1].items())
        print(f"b2bkit    {name:<12} {seconds:7.3f} s  ({model.method})  {shown}")

    python = os.environ.get("LIFETIMES_PYTHON")
    if not python:
        print("lifetimes: not compared; set LIFETIMES_PYTHON to the python of an environment "
              "with lifetimes (python3.11 -m venv /tmp/lt && /tmp/lt/bin/pip install "
              "lifetimes==0.11.3 \"pandas<2.1\" \"numpy<2\" \"scipy<1.13\")")
        return
    theirs = run_lifetimes(python, summary, args.repeats)
    for name in PARAMS:
        seconds = statistics.median(theirs[name]["times"])
        params = theirs[name]["params"]
        shown = ", ".join(f"{k} = {params[k]:.4f}" for k in PARAMS[name])
        print(f"lifetimes {name:<12} {seconds:7.3f} s  {shown}")
        ratio = ours[name][0] / seconds
        difference = max(abs(ours[name][1][k] / params[k] - 1) for k in PARAMS[name])
        verdict = "ok" if ratio < 1.0 and difference < 1e-3 else "MISSED"
        print(f"          {name:<12} ratio b2bkit/lifetimes {ratio:.3f}, largest relative "
              f"parameter difference {difference:.1e} (targets < 1.0 and < 1e-3: {verdict})")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
