"""``upstream find --engine spark``: the same worklist from Apache Spark in local mode as from
DuckDB, over the same folder of Parquet files."""

import pandas as pd

from tests.integration.casefinding.test_find_command import FREQUENT, find, write_population
from upstream.casefinding import worklist as wl


def test_spark_writes_the_same_worklist_as_duckdb(tmp_path):
    data = write_population(tmp_path / "population")
    on = {engine: tmp_path / f"{engine}.csv" for engine in ("duckdb", "spark")}
    for engine, out in on.items():
        result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--cohort", "core20",
                      "--out", str(out), "--engine", engine)
        assert result.exit_code == 0, result.output

    duckdb, spark = (wl.read_worklist(on[engine]) for engine in ("duckdb", "spark"))
    # the 12 frequent attenders, and of the others those in IMD deciles 1-2 (Core20)
    assert set(spark["patient_id"]) == set(FREQUENT) | {21, 22}
    pd.testing.assert_frame_equal(spark, duckdb)
