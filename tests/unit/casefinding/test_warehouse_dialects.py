"""Every shipped cohort compiles for the warehouses an ICS may hold its data in (ADR 0004).

Compiling is not running: these engines are not on this machine, so this checks only that the
compiler uses no operation Ibis cannot translate for them (Ibis raises for one it cannot),
and that the query reads the tables the cohort is about. DuckDB, SQLite and PostgreSQL run the
spec tests for real.
"""

from datetime import date

import ibis
import pytest

from upstream.casefinding.engine import available_cohorts, build_cohorts, cohort_expression
from upstream.casefinding.model import Feature, FollowUp, Ratio
from upstream.data.schema import TABLES

WAREHOUSES = ["databricks", "snowflake", "trino", "mssql", "bigquery"]


def unbound_tables() -> dict[str, ibis.Table]:
    return {name: ibis.table({column: spec.type for column, spec in table.columns.items()},
                             name=name)
            for name, table in TABLES.items()}


def event_tables(feature: Feature) -> set[str]:
    if isinstance(feature, FollowUp):
        return {feature.index.table, feature.then.table}
    if isinstance(feature, Ratio):
        return {feature.numerator.events.table, feature.denominator.events.table}
    return {feature.events.table}


@pytest.mark.parametrize("dialect", WAREHOUSES)
@pytest.mark.parametrize("cohort", available_cohorts())
def test_cohort_compiles_for_the_warehouse(cohort, dialect):
    sql = ibis.to_sql(cohort_expression(unbound_tables(), cohort, date(2026, 3, 31)),
                      dialect=dialect)
    read = {"patients"} | {table for feature in build_cohorts(cohort)[0].features()
                           for table in event_tables(feature)}
    for table in read:
        assert table in sql, f"{cohort} on {dialect} does not read {table}"
