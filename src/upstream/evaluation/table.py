"""Read and check a person-level table for a matched evaluation (the generic mode).

The table is any programme's data, one row per person: an id, a 0/1 treated flag, one or more
"before" measures (e.g. ED attendances in each year before the index date), one "after" measure
and covariates. It is read into DuckDB (CSV or Parquet) and checked before anything is computed:

- every named column exists (a close name is suggested), and no column plays two roles;
- treated, before and after columns are numbers; treated is 0 or 1;
- a covariate is a number unless named as categorical; a covariate none of whose values is a
  number is taken as categorical (its levels one-hot encoded, at most :data:`MAX_LEVELS`);
  a covariate with both numbers and other values is refused (say which it is);
- ids are present and unique;
- missing values (empty, ``NA``, or NaN in Parquet) are refused with a count per column and the
  first line of each, unless ``drop_missing`` is set: then those people are left out and the
  counts are kept in :attr:`PersonTable.dropped` for the result to report.

Errors name the file, the column and the first offending line (CSV, counting the header as
line 1) or row (Parquet, from 1). Values from the table are quoted in errors only for the
columns being checked, never whole rows.
"""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pyarrow.parquet as pq

MAX_LEVELS = 30
"""A categorical covariate with more levels than this is refused (group it first)."""
MISSING_MARKERS = ("", "NA")
"""Text read as a missing value (exactly; NaN in a Parquet number column is missing too)."""
ROW = "_row"
"""The internal row key (0, 1, ... in file order) added to the table."""


class TableError(ValueError):
    """The table cannot be evaluated as given; the message says what and where."""


@dataclass(frozen=True)
class Roles:
    """Which column plays which role."""

    id: str
    treated: str
    before: tuple[str, ...]
    after: str
    covariates: tuple[str, ...]
    categorical: tuple[str, ...] = ()
    """Covariates to treat as categorical even if their values are numbers (e.g. a region code)."""
    exact: tuple[str, ...] = ()
    """Columns to match on exactly (strata); any type, each value a stratum."""

    def used(self) -> list[str]:
        """Every column named, once, in role order."""
        names = [self.id, self.treated, *self.before, self.after, *self.covariates, *self.exact]
        return list(dict.fromkeys(names))


@dataclass
class PersonTable:
    """The checked table, materialised in DuckDB as ``people``.

    Columns: :data:`ROW` (int64), the id (as read), the treated flag, the before/after columns
    and numeric covariates (float64), categorical covariates and exact-stratum columns (string).
    """

    con: object
    table: ibis.Table
    roles: Roles
    source: Path
    numeric_covariates: list[str]
    levels: dict[str, list[str]]
    """Categorical covariate -> its levels, sorted; the first is the reference level."""
    rows_read: int
    dropped: dict[str, object] = field(default_factory=dict)
    """When missing values were dropped: ``{"people": n, "treated": n, "controls": n,
    "by_column": {column: n}}``; empty otherwise."""


def load_table(path: str | Path, roles: Roles, *, drop_missing: bool = False,
               con=None) -> PersonTable:
    """Read ``path`` (.csv or .parquet) and check it for ``roles``; raise :class:`TableError`.

    ``con`` is an Ibis DuckDB connection (a new in-memory one by default).
    """
    path = Path(path)
    if not path.is_file():
        raise TableError(f"There is no file {path}")
    con = con or ibis.duckdb.connect()
    raw = _read(con, path)
    _check_roles(path, raw.columns, roles)
    reader = _Lines(path)
    categorical = _kinds(raw, roles, reader)
    typed = raw.select(
        **{ROW: ibis.row_number().cast("int64")},
        **{name: _typed(raw[name], name, roles, categorical) for name in roles.used()},
    )
    con.create_table("checked", typed, overwrite=True)
    typed = con.table("checked")
    _check_treated(typed, roles, reader)
    rows_read = typed.count().execute()
    typed, dropped = _missing(con, typed, roles, reader, drop_missing)
    _check_ids(typed, roles, reader)
    levels = _levels(typed, roles, categorical)
    numeric = [c for c in roles.covariates if c not in categorical]
    if typed.count().execute() == 0:
        raise TableError(f"{path.name} has no people to evaluate")
    return PersonTable(con=con, table=typed, roles=roles, source=path,
                       numeric_covariates=numeric, levels=levels, rows_read=rows_read,
                       dropped=dropped)


def _read(con, path: Path) -> ibis.Table:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return con.read_csv(path, table_name="raw", all_varchar=True, header=True,
                                delim=",", quote='"')
        if suffix == ".parquet":
            return con.read_parquet(path, table_name="raw")
    except Exception as error:  # DuckDB raises several kinds; its message names the problem
        raise TableError(f"Cannot read {path.name}: {error}") from None
    raise TableError(f"{path.name}: the table must be a .csv or .parquet file")


def _check_roles(path: Path, columns: tuple[str, ...] | list[str], roles: Roles) -> None:
    for name in roles.used() + list(roles.categorical):
        if name not in columns:
            close = difflib.get_close_matches(name, columns, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            shown = ", ".join(columns[:40]) + (" ..." if len(columns) > 40 else "")
            raise TableError(f"{path.name} has no column '{name}'.{hint} Its columns are: "
                             f"{shown}")
    roles_of: dict[str, list[str]] = {}
    for role, names in (("--id", [roles.id]), ("--treated", [roles.treated]),
                        ("--before", roles.before), ("--after", [roles.after]),
                        ("--covariates", roles.covariates), ("--exact", roles.exact)):
        for name in names:
            roles_of.setdefault(name, []).append(role)
    for name, given in roles_of.items():
        if len(given) > 1:
            raise TableError(f"Column '{name}' is given to {' and '.join(given)}; each column "
                             "plays one role")
    if not roles.before:
        raise TableError("Name at least one --before column")
    for name in roles.categorical:
        if name not in roles.covariates:
            raise TableError(f"--categorical names '{name}', which is not a covariate")


def _is_text(column: ibis.Column) -> bool:
    return column.type().is_string()


def _missing_mask(column: ibis.Column) -> ibis.BooleanValue:
    if _is_text(column):
        return column.isnull() | column.isin(list(MISSING_MARKERS))
    if column.type().is_floating():
        return column.isnull() | column.isnan()
    return column.isnull()


def _not_a_number(column: ibis.Column) -> ibis.BooleanValue:
    """Present but not a finite number."""
    if column.type().is_numeric():
        return column.isinf() if column.type().is_floating() else column.isnull() & False
    if not _is_text(column):
        return ~column.isnull()
    # one cast per value (DuckDB's cast allows spaces around the number, as Python's float
    # does); |x| < inf is false for NaN and infinity and null when the cast failed
    finite = ibis.coalesce(column.try_cast("float64").abs() < math.inf, False)
    return ~_missing_mask(column) & ~finite


def _kinds(raw: ibis.Table, roles: Roles, reader: _Lines) -> set[str]:
    """Check number columns; return the covariates to treat as categorical."""
    categorical = set(roles.categorical)
    must_be_numbers = [roles.treated, *roles.before, roles.after]
    covariates = [c for c in roles.covariates if c not in categorical]
    checks = must_be_numbers + covariates
    counts = raw.aggregate(**{
        f"bad_{i}": _not_a_number(raw[name]).sum() for i, name in enumerate(checks)
    }, **{f"present_{i}": (~_missing_mask(raw[name])).sum() for i, name in enumerate(checks)}
    ).execute().iloc[0]
    for i, name in enumerate(checks):
        bad, present = int(counts[f"bad_{i}"]), int(counts[f"present_{i}"])
        if not bad:
            continue
        if name in covariates and bad == present:
            categorical.add(name)
            continue
        where, value = reader.first(name, _text_is_not_a_number)
        hint = (" If it is categorical, name it in --categorical." if name in covariates else "")
        raise TableError(f"{reader.path.name}: column '{name}' must hold numbers; {bad:,} "
                         f"value(s) are not, the first on {where} ({value!r}).{hint}")
    return categorical


def _typed(column: ibis.Column, name: str, roles: Roles, categorical: set[str]) -> ibis.Value:
    if name == roles.id:
        return column
    if name in categorical or (name in roles.exact and name not in roles.covariates):
        text = column.cast("string")
        return _missing_mask(column).ifelse(ibis.null("string"), text.strip() if
                                            _is_text(column) else text)
    number = column.try_cast("float64") if _is_text(column) else column.cast("float64")
    return _missing_mask(column).ifelse(ibis.null("float64"), number)


def _check_treated(typed: ibis.Table, roles: Roles, reader: _Lines) -> None:
    flag = typed[roles.treated]
    bad = (flag.notnull() & ~flag.isin([0.0, 1.0])).sum().execute()
    if bad:
        where, value = reader.first(roles.treated, _text_is_not_zero_or_one)
        raise TableError(f"{reader.path.name}: column '{roles.treated}' (treated) must be 0 or "
                         f"1; {bad:,} value(s) are not, the first on {where} ({value!r})")


def _missing(con, typed: ibis.Table, roles: Roles, reader: _Lines,
             drop_missing: bool) -> tuple[ibis.Table, dict[str, object]]:
    names = roles.used()
    counts = typed.aggregate(**{
        f"m_{i}": typed[name].isnull().sum() for i, name in enumerate(names)
    }).execute().iloc[0]
    by_column = {name: int(counts[f"m_{i}"]) for i, name in enumerate(names)
                 if counts[f"m_{i}"]}
    if not by_column:
        return typed, {}
    if not drop_missing or roles.id in by_column or roles.treated in by_column:
        lines = []
        for name, n in by_column.items():
            where, _ = reader.first(name, _text_is_missing)
            lines.append(f"  '{name}': {n:,} missing, the first on {where}")
        advice = ("Every person needs an id and a treated flag." if drop_missing else
                  "Fill them in, or run with --drop-missing to leave those people out (the "
                  "count is reported).")
        raise TableError(f"{reader.path.name} has missing values:\n" + "\n".join(lines)
                         + f"\n{advice}")
    complete = ibis.and_(*[typed[name].notnull() for name in by_column])
    dropped_rows = typed.filter(~complete)
    groups = dropped_rows.group_by(roles.treated).aggregate(n=dropped_rows.count()).execute()
    by_group = {int(row[roles.treated]): int(row["n"]) for _, row in groups.iterrows()}
    con.create_table("complete", typed.filter(complete), overwrite=True)
    dropped = {"people": sum(by_group.values()), "treated": by_group.get(1, 0),
               "controls": by_group.get(0, 0), "by_column": by_column}
    return con.table("complete"), dropped


def _check_ids(typed: ibis.Table, roles: Roles, reader: _Lines) -> None:
    repeated = (typed.group_by(roles.id).aggregate(n=typed.count())
                .filter(lambda t: t.n > 1))
    count = repeated.count().execute()
    if count:
        first = repeated.order_by(repeated[roles.id]).limit(1).execute().iloc[0]
        value = str(first[roles.id])
        lines = reader.all(roles.id, lambda text: text.strip() == value.strip(), limit=2)
        raise TableError(f"{reader.path.name}: column '{roles.id}' (id) must be unique; "
                         f"{count:,} id(s) appear more than once, e.g. {value!r} on "
                         f"{' and '.join(lines)}")


def _levels(typed: ibis.Table, roles: Roles, categorical: set[str]) -> dict[str, list[str]]:
    levels = {}
    for name in roles.covariates:
        if name not in categorical:
            continue
        values = sorted(typed.select(name).distinct()[name].execute().dropna().tolist())
        if len(values) > MAX_LEVELS:
            raise TableError(f"Categorical covariate '{name}' has {len(values):,} levels; at "
                             f"most {MAX_LEVELS} can be one-hot encoded (group its values, or "
                             "use it in --exact)")
        if len(values) < 2:
            raise TableError(f"Covariate '{name}' has the same value for everyone; leave it out")
        levels[name] = values
    return levels


def _text_is_missing(text: str | None) -> bool:
    return text is None or text in MISSING_MARKERS


def _text_is_not_a_number(text: str | None) -> bool:
    if _text_is_missing(text):
        return False
    try:
        return not math.isfinite(float(text.strip()))
    except ValueError:
        return True


def _text_is_not_zero_or_one(text: str | None) -> bool:
    if _text_is_missing(text) or _text_is_not_a_number(text):
        return False
    return float(text) not in (0.0, 1.0)


class _Lines:
    """Finds where a value is in the file (only when reporting an error: it reads the file)."""

    def __init__(self, path: Path):
        self.path = path

    def _values(self, column: str) -> Iterator[tuple[str, str | None]]:
        if self.path.suffix.lower() == ".csv":
            with self.path.open(newline="", encoding="utf-8-sig") as file:
                reader = csv.reader(file)
                index = next(reader).index(column)
                for row in reader:
                    yield f"line {reader.line_num}", row[index] if index < len(row) else None
        else:
            number = 0
            for batch in pq.ParquetFile(self.path).iter_batches(columns=[column]):
                for value in batch.column(0).to_pylist():
                    number += 1
                    missing = value is None or (isinstance(value, float) and math.isnan(value))
                    yield f"row {number}", None if missing else str(value)

    def all(self, column: str, test: Callable[[str | None], bool], limit: int) -> list[str]:
        found = []
        for where, value in self._values(column):
            if test(value):
                found.append(where)
                if len(found) == limit:
                    break
        return found

    def first(self, column: str, test: Callable[[str | None], bool]) -> tuple[str, str | None]:
        for where, value in self._values(column):
            if test(value):
                return where, value
        return "an unknown line", None
