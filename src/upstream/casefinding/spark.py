"""Apache Spark for case finding, through Ibis' PySpark backend (``pyspark``, the ``spark``
extra; Java 17 from Debian's ``openjdk-17-jre-headless``, installed by ``scripts/ensure-java``).

:func:`connect` starts Spark in local mode on this machine; :func:`read_folder` opens a folder of
contract Parquet files (as ``upstream find --engine spark`` does) as Spark tables. The same cohort
expressions run here as on DuckDB: the engine writes no SQL of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.ansi.enabled": "false",
}
"""Local-mode settings: no web UI, dates and times read in UTC (as DuckDB does), few shuffle
partitions (a small machine); ANSI off so that integer division and casts behave as in DuckDB."""


def connect(threads: int | None = None, warehouse: Path | None = None, memory: str = "2g"):
    """An Ibis connection to a new local Spark session using ``threads`` cores (default all);
    ``warehouse`` is where Spark would keep managed tables (case finding creates none).
    ``RuntimeError`` when Java is missing, naming the script that installs it."""
    if not _java_available():
        raise RuntimeError("Spark needs Java 17: run scripts/ensure-java (installs Debian's "
                           "openjdk-17-jre-headless) or set JAVA_HOME")
    import ibis
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(f"local[{threads or '*'}]").appName("upstream")
    for key, value in {**SETTINGS, "spark.driver.memory": memory}.items():
        builder = builder.config(key, value)
    if warehouse is not None:
        builder = builder.config("spark.sql.warehouse.dir", str(warehouse))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def read_folder(con, files: dict[str, Path]) -> dict:
    """Contract table name -> Ibis table over its Parquet file or folder of parts, on ``con``
    (CSV is read by DuckDB only: convert it to Parquet first)."""
    tables = {}
    for name, path in files.items():
        if path.suffix.lower() == ".csv":
            raise ValueError(f"{path.name}: the Spark engine reads Parquet; convert CSV first")
        tables[name] = con.read_parquet(str(path), table_name=name)
    return tables


def _java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return any((Path(folder) / "java").exists()
               for folder in os.environ.get("PATH", "").split(os.pathsep))
