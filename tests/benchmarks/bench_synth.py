"""Benchmark ``upstream synth``: wall time and peak memory for a population of N people.

Run: ``.venv/bin/python tests/benchmarks/bench_synth.py --people 1000000 --out var/bench/synth``
Prints one Markdown table row for docs/benchmarks.md.
"""

import argparse
import platform
import resource
import shutil
import time
from pathlib import Path

import psutil

from upstream.synth.world import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("var/bench/synth"))
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    started = time.perf_counter()
    summary = generate(args.out, args.people, args.seed)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mib = sum(f.stat().st_size for f in args.out.iterdir()) / 2**20
    print(
        f"| {args.people:,} | {summary.activity_rows:,} | {seconds:.1f} s | {peak_mib:,.0f} MiB "
        f"| {size_mib:,.0f} MiB | {psutil.cpu_count()} CPUs, {platform.python_version()} |"
    )


if __name__ == "__main__":
    main()
