"""Cross-check the case-finding engine against independent SQL (docs/crosscheck.md).

The SQL in ``docs/crosscheck/sql/`` was written by hand from the programme descriptions and the
data dictionary, without reading the engine's definitions, with its own codelists
(``docs/crosscheck/codelists.csv``). This script runs ``upstream find`` (every cohort, uncut)
and that SQL on the same synthetic world at the same as-of date, and compares the person sets
per cohort.

Run: ``.venv/bin/python tests/benchmarks/crosscheck_sql.py --people 100000 --seed 1
--data var/crosscheck/synth`` (the world is generated first if ``--data`` holds none). Prints a
Markdown table (engine, SQL, both, engine only, SQL only) for docs/crosscheck.md, and a few
example person ids per difference with ``--examples``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
CROSSCHECK = ROOT / "docs" / "crosscheck"
SQL_DIR = CROSSCHECK / "sql"
ALIGNED_DIR = SQL_DIR / "aligned"
"""The engine's reading, written after reading the definitions, for each cohort whose reading
differs: it must find exactly the engine's people, so the reading is the whole difference."""
CODELISTS = CROSSCHECK / "codelists.csv"
TABLES = (
    "patients",
    "ed_attendances",
    "admissions",
    "outpatient_appointments",
    "gp_appointments",
    "conditions",
    "screening_responses",
    "police_notices",
)
FLAG_COHORTS = ("core20", "plus_ethnic_minority")
"""Population flags that ``--cohort all`` leaves out; they are named explicitly."""
UNCUT = 1_000_000_000
"""``--top`` large enough that no cohort is cut: membership, not worklist size, is compared."""


def sql_cohort_names() -> list[str]:
    """The cohorts that have an independent SQL file (every ``*.sql`` but ``_common.sql``)."""
    return sorted(p.stem for p in SQL_DIR.glob("*.sql") if not p.stem.startswith("_"))


def engine_codelist_rows() -> list[tuple[str, str, str, str, bool, str]]:
    """The engine's shipped codelists in the layout of ``codelists.csv`` (codes are facts: the
    rule-level comparison runs the independent SQL on the same codes as the engine). Type 1
    and type 2 diabetes form one codelist ``diabetes``; ICD-10 codes match by prefix."""
    from upstream.casefinding import codelists

    rows = []
    for name in codelists.available():
        target = "diabetes" if name.startswith("diabetes_") else name
        for condition, (snomed, icd10) in codelists.load(name).by_condition().items():
            label = condition if target == "long_term_conditions" else target
            rows += [(target, label, "snomed", code, True, "engine") for code in sorted(snomed)]
            rows += [(target, label, "icd10", f"{p}%", True, "engine") for p in sorted(icd10)]
    return rows


def connect(data: Path, as_of: date, codes: str = "own") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the contract tables of ``data`` as views, the codelists as
    ``xc_codelist`` (``codes``: "own", the independent ``codelists.csv``, or "engine", the
    engine's shipped lists), ``as_of`` set and the shared views of ``_common.sql``."""
    con = duckdb.connect()
    for table in TABLES:
        path = data / f"{table}.parquet"
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    con.execute(
        "CREATE TABLE xc_codelist AS SELECT * FROM read_csv(?, header = true, "
        "columns = {'codelist': 'VARCHAR', 'condition': 'VARCHAR', 'code_system': 'VARCHAR',"
        " 'pattern': 'VARCHAR', 'include': 'BOOLEAN', 'note': 'VARCHAR'})",
        [str(CODELISTS)],
    )
    if codes == "engine":
        con.execute("DELETE FROM xc_codelist")
        con.executemany("INSERT INTO xc_codelist VALUES (?, ?, ?, ?, ?, ?)",
                        engine_codelist_rows())
    elif codes != "own":
        raise ValueError(f"codes must be 'own' or 'engine', not {codes!r}")
    con.execute(f"SET VARIABLE as_of = DATE '{as_of.isoformat()}'")
    con.execute((SQL_DIR / "_common.sql").read_text())
    return con


def sql_cohorts(
    data: Path, as_of: date, names: list[str] | None = None, folder: Path = SQL_DIR,
    codes: str = "own",
) -> dict[str, set[int]]:
    """Person ids per cohort found by the SQL files ``folder/<name>.sql`` over ``data``, with
    the codelists ``codes`` (see ``connect``)."""
    con = connect(data, as_of, codes)
    try:
        found = {}
        for name in names or sql_cohort_names():
            rows = con.execute((folder / f"{name}.sql").read_text()).fetchall()
            found[name] = {int(r[0]) for r in rows}
        return found
    finally:
        con.close()


def engine_cohorts(data: Path, as_of: date, names: list[str]) -> dict[str, set[int]]:
    """Person ids per cohort found by ``upstream find`` (uncut) on the same data and as-of date."""
    upstream = Path(sys.executable).parent / "upstream"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "worklist.parquet"
        command = [str(upstream), "find", "--data", str(data), "--as-of", as_of.isoformat()]
        for name in names:
            command += ["--cohort", name]
        command += ["--top", str(UNCUT), "--out", str(out)]
        subprocess.run(command, check=True, capture_output=True, text=True)
        worklist = pq.read_table(out, columns=["patient_id", "cohorts"]).to_pylist()
    found: dict[str, set[int]] = {name: set() for name in names}
    for row in worklist:
        for name in row["cohorts"].split("; "):
            found[name].add(int(row["patient_id"]))
    return found


def aligned_cohort_names() -> list[str]:
    """The cohorts whose reading differs from the engine's (an aligned SQL file exists)."""
    return sorted(p.stem for p in ALIGNED_DIR.glob("*.sql"))


@dataclass(frozen=True)
class Comparison:
    """One cohort's person sets: the engine's; the independent SQL's with its own codelists,
    and with the engine's codelists (codes are facts: this isolates the rules); and, where the
    readings differ, the aligned SQL's (the engine's reading, engine codelists)."""

    cohort: str
    engine: set[int]
    own_codes: set[int]
    sql: set[int]
    aligned: set[int] | None


def compare(data: Path, as_of: date) -> list[Comparison]:
    """Run every side for every cohort with an SQL file and pair their person sets."""
    names = sql_cohort_names()
    engine = engine_cohorts(data, as_of, names)
    own = sql_cohorts(data, as_of, names)
    sql = sql_cohorts(data, as_of, names, codes="engine")
    aligned = sql_cohorts(data, as_of, aligned_cohort_names(), ALIGNED_DIR, codes="engine")
    return [Comparison(n, engine[n], own[n], sql[n], aligned.get(n)) for n in names]


def markdown(comparisons: list[Comparison]) -> str:
    """The per-cohort table for docs/crosscheck.md."""
    lines = [
        "| cohort | engine | SQL (own codes) | SQL | both | engine only | SQL only "
        "| aligned SQL = engine |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for c in comparisons:
        same = "n/a (readings agree)" if c.aligned is None else (
            "yes" if c.aligned == c.engine else
            f"NO (+{len(c.aligned - c.engine)} -{len(c.engine - c.aligned)})")
        lines.append(
            f"| {c.cohort} | {len(c.engine)} | {len(c.own_codes)} | {len(c.sql)} "
            f"| {len(c.engine & c.sql)} | {len(c.engine - c.sql)} | {len(c.sql - c.engine)} "
            f"| {same} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "crosscheck" / "synth")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 3, 31))
    parser.add_argument("--examples", type=int, default=0, help="ids shown per difference")
    args = parser.parse_args()
    if not (args.data / "patients.parquet").exists():
        from upstream.synth.world import generate

        generate(args.data, people=args.people, seed=args.seed, as_of=args.as_of)
    comparisons = compare(args.data, args.as_of)
    print(markdown(comparisons))
    for c in comparisons if args.examples else []:
        for label, found in (("SQL", c.sql), ("aligned", c.aligned)):
            if found is not None and found != c.engine:
                print(f"{c.cohort} {label}: engine only "
                      f"{sorted(c.engine - found)[: args.examples]}, {label} only "
                      f"{sorted(found - c.engine)[: args.examples]}")


if __name__ == "__main__":
    main()
