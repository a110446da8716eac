"""Reach population data: a folder of Parquet/CSV files (through DuckDB) or any Ibis backend.

A folder holds, per contract table, ``<table>.parquet``, ``<table>.csv`` or a folder
``<table>/`` of Parquet parts. CSV columns are read with the contract's types (so codes such as
SNOMED CT concept ids and NHS numbers keep their digits, and empty date columns are dates); when
some value does not fit, the file is read with types inferred instead, for validation to point
at the values.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import ibis
from ibis.backends import BaseBackend

from upstream.data.schema import CSV_ENCODING, TABLES


class SourceError(Exception):
    """The source cannot be read at all (no such folder, unreadable file)."""


@dataclass
class Sources(Mapping):
    """The contract tables found in a source, as Ibis tables on one backend.

    Behaves as a read-only mapping from table name to ``ibis.Table``; ``other_names`` lists the
    files or tables present that are not contract tables (for "did you mean" hints). A folder's
    files are opened on first use, so a query pays only for the tables it reads; a file that
    cannot be read raises :class:`SourceError` naming it then.
    """

    con: BaseBackend
    tables: dict[str, ibis.Table]
    other_names: list[str] = field(default_factory=list)
    location: str = ""
    is_folder: bool = False
    files: dict[str, Path] = field(default_factory=dict)

    def __getitem__(self, name: str) -> ibis.Table:
        if name not in self.tables and name in self.files:
            path = self.files[name]
            try:
                self.tables[name] = _read(self.con, name, path)
            except SourceError:
                raise
            except Exception as error:  # DuckDB raises many kinds
                raise unreadable(path, error) from error
        return self.tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.files, *self.tables]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self.files, *self.tables]))


def load_sources(source: str | Path | BaseBackend | Sources) -> Sources:
    """The contract tables of ``source``: a folder path, an Ibis backend, or Sources already."""
    if isinstance(source, Sources):
        return source
    if isinstance(source, BaseBackend):
        return _from_backend(source)
    return _from_folder(Path(source))


def _from_backend(con: BaseBackend) -> Sources:
    tables = {}
    for name in TABLES:
        try:
            tables[name] = con.table(name)
        except Exception:  # backends raise different errors for a missing table
            continue
    try:
        others = sorted(name for name in con.list_tables() if name not in TABLES)
    except AttributeError:  # a backend without list_tables
        others = []
    return Sources(con=con, tables=tables, other_names=others, location=con.name)


def _from_folder(folder: Path) -> Sources:
    if not folder.is_dir():
        raise SourceError(f"{folder} is not a folder of Parquet or CSV files")
    con = ibis.duckdb.connect()
    con.raw_sql("SET enable_progress_bar = false")  # progress is the caller's to show
    files = {name: path for name in TABLES if (path := _table_path(folder, name)) is not None}
    others = sorted(
        entry.name
        for entry in folder.iterdir()
        if not entry.name.startswith(".") and _table_name(entry) not in files
    )
    return Sources(con=con, tables={}, other_names=others, location=str(folder), is_folder=True,
                   files=files)


def _table_name(entry: Path) -> str:
    return entry.name.split(".")[0]


def _table_path(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.parquet", folder / f"{name}.csv", folder / name):
        if candidate.exists():
            return candidate
    return None


def unreadable(path: Path, error: Exception) -> SourceError:
    """A :class:`SourceError` naming ``path`` and what is wrong with it in the terms of the
    data dictionary (a CSV file's undecodable line; a damaged Parquet file), never the
    database's own message with its internal query."""
    if path.suffix.lower() == ".csv":
        if (line := _undecodable_line(path)) is not None:
            return SourceError(
                f"Cannot read {path.name}: line {line} (counting the header as line 1) is not "
                f"{CSV_ENCODING} text, as the data dictionary requires. Fix: save the file as "
                f"{CSV_ENCODING} (in Excel: CSV UTF-8).")
        return SourceError(
            f"Cannot read {path.name} as CSV: {_first_line(error)}. Fix: check the file is "
            f"comma-separated {CSV_ENCODING} text with one header row.")
    return SourceError(
        f"Cannot read {path.name}: it is not a readable Parquet file (damaged, cut short or not "
        "Parquet at all). Fix: export the table again as Parquet, or as CSV.")


def _first_line(error: Exception) -> str:
    """The gist of a reader's error: its first line, without the database's error class."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.split("Error: ", 1)[-1]


def _undecodable_line(path: Path) -> int | None:
    """The first line of ``path`` (1-based) that is not valid text in :data:`CSV_ENCODING`."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode(CSV_ENCODING)
            except UnicodeDecodeError:
                return number
    return None


def _read(con, name: str, path: Path) -> ibis.Table:
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        for part in parts:
            _check_parquet(part)
        return con.read_parquet(str(path / "*.parquet"), table_name=name)
    if path.suffix == ".parquet":
        _check_parquet(path)
        return con.read_parquet(str(path), table_name=name)
    return _read_csv(con, name, path)


def _check_parquet(path: Path) -> None:
    """Read the Parquet footer (schema and row groups), so a file that is not Parquet or is cut
    short is refused by name before any query touches it."""
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError...
        raise unreadable(path, error) from error


_CSV_TYPES = {"int64": "BIGINT", "int8": "BIGINT", "string": "VARCHAR", "date": "DATE",
              "timestamp": "TIMESTAMP", "bool": "BOOLEAN"}


_FORMATS = {"dateformat": "%Y-%m-%d"}
"""Dates are read only as the data dictionary writes them (never guessed, e.g. as dd/mm/yyyy)."""


def _read_csv(con, name: str, path: Path) -> ibis.Table:
    """Read with the contract's types and the dictionary's date format; if any value does not
    fit, read text, date and timestamp columns as text (and infer the rest), so validation can
    point at the values that do not fit and quote the rule. A file that is not
    :data:`CSV_ENCODING` text is refused naming its first bad line."""
    header = _csv_header(path)
    columns = TABLES[name].columns
    typed = {c: _CSV_TYPES[columns[c].type] for c in header if c in columns}
    try:
        table = con.read_csv(str(path), table_name=name, types=typed, **_FORMATS)
        table.aggregate([table[c].count().name(c) for c in typed] or [table.count()]).execute()
        return table
    except Exception:  # a value that does not fit its type: read it as text for validation
        text = {c: "VARCHAR" for c in typed
                if columns[c].type in ("string", "date", "timestamp")}
        return con.read_csv(str(path), table_name=name, **({"types": text} if text else {}))


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding=f"{CSV_ENCODING}-sig") as handle:
            return next(csv.reader(handle), [])
    except UnicodeDecodeError as error:
        raise unreadable(path, error) from error
