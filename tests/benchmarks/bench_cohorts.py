"""Benchmark the cohort engine on a synthetic world: every shipped cohort together, and the NCL
high intensity use cohort against hand-written DuckDB SQL and an idiomatic pandas version (and a
hand-tuned pandas one, for transparency).

Run: ``.venv/bin/python tests/benchmarks/bench_cohorts.py --people 1000000 --data var/bench/synth``
(the world is generated first if ``--data`` holds none). Prints Markdown for docs/benchmarks.md.

Each timing is the median of ``--repeats`` runs in this process; "peak memory" is this
process's maximum resident set size after the all-cohorts runs (DuckDB's memory included),
before the pandas comparison loads whole tables into memory. The SQL and pandas versions must
find exactly the people the engine finds, or the script fails.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import psutil
import pyarrow.parquet as pq

from upstream.casefinding.engine import available_cohorts, cohort_expression, find_matches
from upstream.data.sources import load_sources
from upstream.synth.world import DEFAULT_AS_OF, generate

NCL = "ncl_ed_hiu"
MIN_AGE, WINDOW_MONTHS, MORE_THAN, CLUSTER_SIZE, CLUSTER_DAYS = 18, 12, 15, 6, 30
DEPARTMENT_TYPES = (1, 2)
"""The definition's meaning: emergency departments (ECDS types 1-2), 12 calendar months."""


def ncl_by_sql(data: Path, as_of: date) -> set[int]:
    """The NCL cohort as an analyst would write it by hand in DuckDB SQL, on the same files."""
    sql = f"""
    WITH ed AS (
        SELECT patient_id, CAST(arrival_time AS DATE) AS day
        FROM read_parquet('{data / "ed_attendances.parquet"}')
        WHERE CAST(arrival_time AS DATE) > DATE '{as_of}' - INTERVAL {WINDOW_MONTHS} MONTH
          AND CAST(arrival_time AS DATE) <= DATE '{as_of}'
          AND department_type IN {DEPARTMENT_TYPES}
    ),
    busy AS (
        SELECT patient_id FROM ed GROUP BY patient_id HAVING count(*) > {MORE_THAN}
    ),
    clustered AS (
        SELECT DISTINCT patient_id FROM (
            SELECT patient_id, day,
                   lag(day, {CLUSTER_SIZE - 1}) OVER (PARTITION BY patient_id ORDER BY day) AS first
            FROM ed)
        WHERE day - first < {CLUSTER_DAYS}
    ),
    adults AS (
        SELECT patient_id FROM read_parquet('{data / "patients.parquet"}')
        WHERE birth_date <= DATE '{as_of}' - INTERVAL {MIN_AGE} YEAR
          AND (death_date IS NULL OR death_date > DATE '{as_of}')
    )
    SELECT patient_id FROM adults
    WHERE patient_id IN (SELECT patient_id FROM busy UNION SELECT patient_id FROM clustered)
    """
    with duckdb.connect() as con:
        return {row[0] for row in con.execute(sql).fetchall()}


def _pandas_ed_and_adults(data: Path, as_of: date, columns: list[str] | None):
    patients = pd.read_parquet(data / "patients.parquet", columns=columns and
                               ["patient_id", "birth_date", "death_date"])
    ed = pd.read_parquet(data / "ed_attendances.parquet", columns=columns)
    end = pd.Timestamp(as_of)
    ed["day"] = ed["arrival_time"].dt.normalize()
    ed = ed[(ed["day"] > end - pd.DateOffset(months=WINDOW_MONTHS)) & (ed["day"] <= end)
            & ed["department_type"].isin(DEPARTMENT_TYPES)]
    born_by = pd.Timestamp(as_of.replace(year=as_of.year - MIN_AGE))
    death = pd.to_datetime(patients["death_date"])
    adults = patients[(pd.to_datetime(patients["birth_date"]) <= born_by)
                      & (death.isna() | (death > end))]
    counts = ed.groupby("patient_id").size()
    return ed, set(adults["patient_id"]), set(counts.index[counts > MORE_THAN])


def ncl_by_pandas(data: Path, as_of: date) -> set[int]:
    """The NCL cohort in idiomatic pandas, as the pandas guide suggests for a time window: read
    the tables, filter, count per person, and a 30-day ``rolling`` count per person."""
    ed, adults, busy = _pandas_ed_and_adults(data, as_of, columns=None)
    per_person = ed.sort_values("day").groupby("patient_id")
    in_30_days = per_person.rolling(f"{CLUSTER_DAYS}D", on="day")["attendance_id"].count()
    clustered = set(in_30_days[in_30_days >= CLUSTER_SIZE].index.get_level_values("patient_id"))
    return adults & (busy | clustered)


def ncl_by_tuned_pandas(data: Path, as_of: date) -> set[int]:
    """The NCL cohort in hand-tuned pandas: only the columns needed, and the cluster test as a
    vectorised shift (the 6th attendance back is under 30 days earlier) instead of rolling."""
    ed, adults, busy = _pandas_ed_and_adults(
        data, as_of, columns=["patient_id", "arrival_time", "department_type"])
    ed = ed.sort_values(["patient_id", "day"])
    first = ed.groupby("patient_id")["day"].shift(CLUSTER_SIZE - 1)
    clustered = set(ed.loc[(ed["day"] - first) < pd.Timedelta(days=CLUSTER_DAYS), "patient_id"])
    return adults & (busy | clustered)


def ncl_by_engine(data: Path, as_of: date) -> set[int]:
    """The NCL cohort through Upstream's engine (Ibis on DuckDB), reasons worded."""
    return set(find_matches(load_sources(data), NCL, as_of)["patient_id"])


def ncl_by_engine_sql_only(data: Path, as_of: date) -> set[int]:
    """The SQL the engine generates for the NCL cohort, compiled beforehand and run alone on a
    new connection: the query's own cost, without Ibis planning or the wording of reasons."""
    sources = load_sources(data)
    sql = str(sources.con.compile(cohort_expression(sources, NCL, as_of)))
    views = "".join(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}');"
                    for name, path in sources.files.items())

    def run() -> set[int]:
        with duckdb.connect() as con:
            con.execute(views)
            return {row[0] for row in con.execute(sql).fetchall()}

    return run


def timed(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall seconds over ``repeats`` runs, and the last run's result."""
    seconds, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def activity_rows(data: Path) -> int:
    return sum(pq.ParquetFile(path).metadata.num_rows
               for path in data.glob("*.parquet") if path.stem not in ("patients", "truth"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path("var/bench/synth"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-pandas", action="store_true",
                        help="leave out the slow idiomatic pandas run (e.g. at 10M people)")
    parser.add_argument("--skip-all", action="store_true",
                        help="leave out the all-cohorts runs (timed by bench_spark.py beside "
                             "Spark) and time only NCL against its other implementations")
    args = parser.parse_args()
    as_of = DEFAULT_AS_OF
    if not (args.data / "patients.parquet").exists():
        print(f"Generating {args.people:,} people into {args.data} ...", flush=True)
        generate(args.data, args.people, args.seed, as_of=as_of)
    people = pq.ParquetFile(args.data / "patients.parquet").metadata.num_rows
    machine = f"{psutil.cpu_count()} CPUs, Python {platform.python_version()}"

    if not args.skip_all:
        all_seconds, matches = timed(
            lambda: find_matches(load_sources(args.data), "all", as_of), args.repeats)
        all_peak = peak_mib()
        print(f"\n## All {len(available_cohorts())} shipped cohorts together ({machine})\n")
        print("| people | activity rows | matched rows | wall time (median) | peak memory |")
        print("|---|---|---|---|---|")
        print(f"| {people:,} | {activity_rows(args.data):,} | {len(matches):,} | "
              f"{all_seconds:.1f} s | {all_peak:,.0f} MiB |")

    engine_seconds, engine_ids = timed(lambda: ncl_by_engine(args.data, as_of), args.repeats)
    sql_seconds, sql_ids = timed(lambda: ncl_by_sql(args.data, as_of), args.repeats)
    if sql_ids != engine_ids:
        raise SystemExit(f"SQL and engine disagree: {len(sql_ids ^ engine_ids)} people differ")
    only_sql_seconds, only_sql_ids = timed(ncl_by_engine_sql_only(args.data, as_of), args.repeats)
    if only_sql_ids != engine_ids:
        raise SystemExit("the engine's SQL run alone and the engine disagree")
    rows = [("Upstream engine, end to end (Ibis on DuckDB, reasons worded)", engine_seconds),
            ("the engine's generated SQL alone (planned beforehand)", only_sql_seconds),
            ("hand-written DuckDB SQL", sql_seconds)]
    comparisons = [("hand-tuned pandas (shift)", ncl_by_tuned_pandas)]
    if not args.skip_pandas:
        comparisons.append(("idiomatic pandas (groupby rolling 30D)", ncl_by_pandas))
    for name, implementation in comparisons:
        seconds, ids = timed(lambda: implementation(args.data, as_of), args.repeats)
        if ids != engine_ids:
            raise SystemExit(f"{name} and engine disagree: {len(ids ^ engine_ids)} people differ")
        rows.append((name, seconds))
    print(f"\n## NCL high intensity use: {len(engine_ids):,} people, same set from each\n")
    print("| implementation | wall time (median) | engine ÷ this |")
    print("|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} s | {engine_seconds / seconds:.2f} |")


if __name__ == "__main__":
    main()
