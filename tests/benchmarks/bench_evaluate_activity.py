"""Benchmark ``upstream evaluate activity`` on a synthetic world with a planted programme.

Run: ``.venv/bin/python tests/benchmarks/bench_evaluate_activity.py --people 200000
--supported 2000`` (prints Markdown for docs/benchmarks.md). The world and the programme
(:mod:`upstream.synth.world`, :mod:`upstream.synth.support`, seed 1) are generated first and
not timed. The command runs in a child process, the way an analyst runs it (validation of the
data included); wall time is measured around it and peak memory is the child's maximum
resident set size (DuckDB's memory included).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from upstream.synth.support import plant_support
from upstream.synth.world import generate

UPSTREAM = Path(sys.executable).parent / "upstream"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--supported", type=int, default=2_000)
    parser.add_argument("--resamples", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        world = Path(folder) / "world"
        generate(world, people=args.people, seed=1)
        truth = plant_support(world, 1, supported=args.supported, share_prevented=0.3,
                              selection_slope=2.0)
        out = Path(folder) / "out"
        start = time.perf_counter()
        subprocess.run([str(UPSTREAM), "evaluate", "activity", str(world), "--supported",
                        str(world / "supported.csv"), "--out", str(out), "--period-days",
                        "182", "--resamples", str(args.resamples)], check=True,
                       capture_output=True)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
        found = json.loads((out / "result.json").read_text())
    ed = found["outcomes"]["ed_attendances"]
    print(f"| {args.people:,} | {truth.supported:,} | {found['n_comparison_pool']:,} | "
          f"{seconds:.0f} s | {peak:.1f} GB | {truth.effect_on_treated:.3f} | "
          f"{ed['estimate']:.3f} ({ed['ci_low']:.3f} to {ed['ci_high']:.3f}) | "
          f"{ed['naive_estimate']:.3f} |")


if __name__ == "__main__":
    main()
