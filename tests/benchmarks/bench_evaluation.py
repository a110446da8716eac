"""Benchmark ``upstream evaluate table``: 10,000 treated people against a 2,000,000-person pool.

Run: ``.venv/bin/python tests/benchmarks/bench_evaluation.py`` (prints Markdown for
docs/benchmarks.md). The table is a synthetic programme (:mod:`upstream.synth.programme`,
seed 1) cut to exactly ``--treated`` treated and ``--pool`` controls, written as Parquet (and
CSV with ``--csv``); generating it is not timed. The command runs in a child process, the way
an analyst runs it; wall time is measured around it and peak memory is the child's maximum
resident set size (DuckDB's memory included). Bar: under 60 s and under 8 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from upstream.synth.programme import simulate_programme

UPSTREAM = Path(sys.executable).parent / "upstream"


def make_table(treated: int, pool: int, folder: Path, csv: bool) -> Path:
    people = treated + pool
    table, _ = simulate_programme(int(people * 1.01), seed=1,
                                  supported_share=1.05 * treated / people)
    is_treated = table["supported"].to_numpy() == 1
    if is_treated.sum() < treated:
        raise SystemExit("the simulation gave too few treated people; raise supported_share")
    keep = np.zeros(len(table), dtype=bool)
    keep[np.flatnonzero(is_treated)[:treated]] = True
    keep[np.flatnonzero(~is_treated)[:pool]] = True
    table = table[keep]
    path = folder / ("programme.csv" if csv else "programme.parquet")
    if csv:
        table.to_csv(path, index=False)
    else:
        table.to_parquet(path)
    return path


def run(path: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, all threads) and peak MiB of one
    ``upstream evaluate table`` run."""
    command = [str(UPSTREAM), "evaluate", "table", str(path), "--id", "person_id",
               "--treated", "supported", "--before", "ed_y1,ed_y2", "--after", "ed_after",
               "--covariates", "age,sex,ltc,imd_quintile", "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime - before.ru_utime) + (usage.ru_stime - before.ru_stime)
    return elapsed, cpu, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treated", type=int, default=10_000)
    parser.add_argument("--pool", type=int, default=2_000_000)
    parser.add_argument("--csv", action="store_true", help="Read a CSV instead of Parquet.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = make_table(args.treated, args.pool, Path(folder), args.csv)
        size = path.stat().st_size / 2**20
        load_before = os.getloadavg()[0]
        elapsed, cpu, peak = run(path, Path(folder) / "out")
        load_after = os.getloadavg()[0]
        result = json.loads((Path(folder) / "out" / "result.json").read_text())
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
          f"input {path.suffix[1:]} {size:.0f} MiB; load average {load_before:.1f} before, "
          f"{load_after:.1f} after\n")
    print("| treated | pool | matched treated | controls used | wall time | CPU time | "
          "peak memory | bar |")
    print("|---|---|---|---|---|---|---|---|")
    met = elapsed < 60 and peak < 8 * 1024
    print(f"| {result['n_treated']:,} | {result['n_controls']:,} | "
          f"{result['n_treated_matched']:,} | {result['n_matched_controls']:,} | "
          f"{elapsed:.1f} s | {cpu:.1f} s | {peak:,.0f} MiB | < 60 s, < 8 GB: "
          f"{'met' if met else 'NOT met'} |")
    print(f"\nEstimate {result['estimate']:+.3f} (95% CI {result['ci_low']:+.3f} to "
          f"{result['ci_high']:+.3f}), naive {result['naive_estimate']:+.3f}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
