"""Benchmark every shipped cohort on Apache Spark (local mode) beside DuckDB, on one synthetic
world of Parquet files, checking both find exactly the same (person, cohort) pairs.

Run: ``.venv/bin/python tests/benchmarks/bench_spark.py --people 1000000 --data var/bench/synth``
(the world is generated first if ``--data`` holds none). Prints Markdown for docs/benchmarks.md.
Timings are medians of ``--repeats`` runs in this process, after one warm-up run per engine
(``--no-warm-up``: the first runs are timed, for a 10M world where a warm-up would double a
long run); the Spark session's start-up is timed on its own. Peak memory is this process's
(DuckDB's included), not the Spark JVM's, which ``--memory`` bounds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

from upstream.casefinding import spark
from upstream.casefinding.engine import available_cohorts, find_matches
from upstream.data.sources import load_sources
from upstream.synth.world import DEFAULT_AS_OF, generate


def timed(run, repeats: int, warm_up: bool = True) -> tuple[float, object]:
    if warm_up:
        run()  # file cache, JIT, Spark's first job
    result, times = None, []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pairs(found) -> set[tuple[int, str]]:
    return set(zip(found["patient_id"].tolist(), found["cohort"].tolist(), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path("var/bench/synth"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    parser.add_argument("--memory", default="2g", help="Spark driver memory (local mode)")
    args = parser.parse_args()
    if not (args.data / "patients.parquet").exists():
        generate(args.data, people=args.people, seed=1, as_of=DEFAULT_AS_OF)
    cohorts = available_cohorts()
    sources = load_sources(args.data)
    duckdb_time, on_duckdb = timed(lambda: find_matches(sources, cohorts, DEFAULT_AS_OF),
                                   args.repeats, args.warm_up)
    duckdb_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"DuckDB: {duckdb_time:.1f} s, peak {duckdb_peak:,.0f} MiB", flush=True)
    start = time.perf_counter()
    con = spark.connect(memory=args.memory)
    startup = time.perf_counter() - start
    tables = spark.read_folder(con, sources.files)
    spark_time, on_spark = timed(lambda: find_matches(tables, cohorts, DEFAULT_AS_OF),
                                 args.repeats, args.warm_up)
    if pairs(on_spark) != pairs(on_duckdb):
        raise SystemExit("Spark and DuckDB found different people")
    people = sources["patients"].count().execute()
    print(f"{len(cohorts)} cohorts, {people:,} people, {len(on_duckdb):,} matched rows, "
          f"{os.cpu_count()} cores, median of {args.repeats}:\n")
    print("| engine | all cohorts (median) |\n|---|---|")
    print(f"| DuckDB (in process; peak {duckdb_peak:,.0f} MiB) | {duckdb_time:.1f} s |")
    print(f"| Spark local[*] (session start {startup:.0f} s, not included) | {spark_time:.1f} s |")


if __name__ == "__main__":
    main()
