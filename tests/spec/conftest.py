"""Spec tests: tiny inline tables in, expected patient ids out, on every engine.

Each test asks for ``engine`` and is run four times: DuckDB, SQLite (both in memory),
PostgreSQL (a fresh schema per test, dropped afterwards) and Apache Spark in local mode
(temporary views in one session per test run; Java from ``scripts/ensure-java``). A missing
PostgreSQL server or Spark is an error, never a skip. Rows need only the columns a test cares
about; the rest take defaults. A table the cohort reads that a test gives no rows for is loaded
empty (``find_matches`` refuses to run a cohort on a source lacking a table it needs).
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from tests.conftest import POSTGRES_URL
from upstream.casefinding.engine import build_cohorts, find_matches
from upstream.data.schema import TABLES

AS_OF = date(2026, 3, 31)

DEFAULTS = {
    "patients": {"nhs_number": None, "birth_date": date(1980, 6, 1), "sex": "F",
                 "ethnic_category": "A", "lsoa_code": "E01000001", "imd_decile": 5,
                 "practice_code": "E83001", "death_date": None},
    "ed_attendances": {"site_code": "RAL01", "department_type": 1, "acuity": 3,
                       "discharge_destination": "home"},
    "admissions": {"discharge_date": None, "admission_method": "emergency",
                   "primary_diagnosis": "J18.9"},
    "outpatient_appointments": {"specialty_code": "320", "attendance_status": "attended"},
    "gp_appointments": {"status": "attended"},
    "conditions": {"code_system": "snomed"},
    "screening_responses": {"question_code": "making_ends_meet", "answer": "yes"},
    "police_notices": {"mental_health_concern": True},
}


def contract_arrow(table: str, rows: list[dict]) -> pa.Table:
    """An Arrow table of contract ``table`` from ``rows`` (ids filled in)."""
    columns = TABLES[table].columns
    id_column = TABLES[table].id_column().name
    counter = itertools.count(1)
    full = [{**DEFAULTS[table], id_column: next(counter), **row} for row in rows]
    schema = ibis.schema({name: column.type for name, column in columns.items()})
    rows = [{name: row.get(name) for name in columns} for row in full]
    return pa.Table.from_pylist(rows, schema=schema.to_pyarrow())


def contract_frame(table: str, rows: list[dict]) -> ibis.Table:
    """An in-memory Ibis table of contract ``table`` from ``rows`` (ids filled in)."""
    return ibis.memtable(contract_arrow(table, rows))


class Engine:
    """One backend: loads inline tables and runs cohorts on them."""

    def __init__(self, name: str, con, database: str | None = None):
        self.name = name
        self.con = con
        self.database = database
        self.loads = itertools.count(1)

    def load(self, tables: dict[str, list[dict]]) -> dict[str, ibis.Table]:
        """Create the tables (named ``t<N>_<table>``, N counting loads) and map contract names
        to them (on Spark, temporary views: nothing is written to a warehouse)."""
        prefix = f"t{next(self.loads)}_"
        if self.name == "spark":  # from Arrow: Spark's pandas path loses nullable integers
            session = self.con._session
            for table, rows in tables.items():
                frame = session.createDataFrame(contract_arrow(table, rows))
                frame.createOrReplaceTempView(prefix + table)
            return {table: self.con.table(prefix + table) for table in tables}
        kwargs = {"database": self.database} if self.database else {}
        return {table: self.con.create_table(prefix + table, contract_frame(table, rows), **kwargs)
                for table, rows in tables.items()}

    def matches(self, tables: dict[str, list[dict]], cohort: str, as_of: date = AS_OF,
                overrides: dict | None = None) -> pd.DataFrame:
        """find_matches for one cohort over these rows (patients default to ids 1..N; a table
        the cohort reads that is not given is empty)."""
        chosen = {cohort: overrides} if overrides else None
        reads = build_cohorts([cohort], chosen)[0].tables()
        return find_matches(self.load({**dict.fromkeys(reads, []), **tables}), [cohort], as_of,
                            chosen)

    def ids(self, tables: dict[str, list[dict]], cohort: str, as_of: date = AS_OF,
            overrides: dict | None = None) -> set[int]:
        return set(self.matches(tables, cohort, as_of, overrides)["patient_id"].tolist())


@pytest.fixture(scope="session")
def postgres():
    return ibis.connect(POSTGRES_URL)


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """One local Spark session (and JVM) for the test run."""
    from upstream.casefinding.spark import connect

    con = connect(warehouse=tmp_path_factory.mktemp("spark-warehouse"))
    yield con
    con.disconnect()


@pytest.fixture(params=["duckdb", "sqlite", "postgres", "spark"])
def engine(request):
    if request.param == "duckdb":
        yield Engine("duckdb", ibis.duckdb.connect())
    elif request.param == "spark":
        yield Engine("spark", request.getfixturevalue("spark"))
    elif request.param == "sqlite":
        yield Engine("sqlite", ibis.sqlite.connect())
    else:
        con = request.getfixturevalue("postgres")
        schema = f"upstream_spec_{uuid.uuid4().hex[:12]}"
        con.raw_sql(f'CREATE SCHEMA "{schema}"').close()
        try:
            yield Engine("postgres", con, database=schema)
        finally:
            con.raw_sql(f'DROP SCHEMA "{schema}" CASCADE').close()


def people(*rows: dict) -> list[dict]:
    """Patients with ids 1, 2, ... and the given columns."""
    return [{"patient_id": number, **row} for number, row in enumerate(rows, start=1)]


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)
