"""Check a population data source against the contract before anything is computed from it.

:func:`validate` reports missing or misnamed tables and columns, wrong types, unparseable dates,
missing required values, duplicate identifiers, values outside the allowed set or range, events
for people not in ``patients``, invalid NHS numbers, dates out of order, and (as warnings)
rows dated after the as-of date, which case finding ignores. Each problem names the table,
column and rows (the first few, plus the count) and the fix.

Every check is an Ibis expression run where the data live (DuckDB for files): one aggregate scan
per table for the row conditions, plus one query per uniqueness and reference check, and a small
sample query only for a check that fails. Nothing is loaded into Python memory but the samples.

Reports never hold patient identifiers beyond row numbers and the offending value of the failing
column; for NHS numbers not even that, only the row.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import ibis
import ibis.expr.datatypes as dt

from upstream.data.schema import TABLES, WRITTEN_AS, Column, Table
from upstream.data.sources import SourceError, Sources, load_sources, unreadable
from upstream.standards import nhs_number

SAMPLE_ROWS = 5
_ROW = "_upstream_row"

Severity = Literal["error", "warning"]
WARNING_KINDS = frozenset({"future_date"})
"""Row checks that warn rather than refuse: rows dated after the as-of date are ignored by case
finding (booked appointments, or a run at a past as-of date), not wrong."""


@dataclass
class Problem:
    """One thing wrong with the source. ``rows`` are 1-based data rows (the header is not counted)
    of the first few offenders; ``count`` is how many rows are affected in all; ``file`` is the
    file the table was read from, if any. For a CSV file the text names the file's own line
    numbers (:attr:`lines`: the header is line 1, so data row 1 is line 2) and says so."""

    severity: Severity
    kind: str
    table: str
    column: str | None
    message: str
    fix: str
    count: int = 0
    rows: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    file: str = ""

    @property
    def is_csv(self) -> bool:
        return self.file.lower().endswith(".csv")

    @property
    def lines(self) -> list[int]:
        """The offending rows as line numbers of a CSV file (header = line 1); else ``rows``."""
        return [row + 1 for row in self.rows] if self.is_csv else list(self.rows)

    def to_text(self) -> str:
        """One readable paragraph: where, what, which rows (lines of a CSV file), and the fix."""
        where = f"{self.table}.{self.column}" if self.column else self.table
        text = f"{self.severity.upper()} {where}: {self.message}"
        if self.rows:
            more = f" and {self.count - len(self.rows)} more" if self.count > len(self.rows) else ""
            if self.is_csv:
                text += (f" (lines {', '.join(map(str, self.lines))}{more} of {self.file}, "
                         "counting the header as line 1)")
            else:
                of = f" of {self.file}" if self.file else ""
                text += f" (rows {', '.join(map(str, self.rows))}{more}{of})"
        if self.values:
            text += f"; values: {', '.join(self.values)}"
        return f"{text}. Fix: {self.fix}"


@dataclass
class ValidationReport:
    """All problems found; ``ok`` when none of them is an error."""

    location: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_text(self) -> str:
        """The report for a terminal: a summary line then one paragraph per problem."""
        head = (
            f"{self.location}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
            if self.problems
            else f"{self.location}: no problems found"
        )
        return "\n".join([head, *(p.to_text() for p in self.problems)])


def validate(source, as_of: date | None = None) -> ValidationReport:
    """Check ``source`` (a folder, an Ibis backend or :class:`Sources`) against the contract.

    Dates after ``as_of`` (default today) are warnings: case finding ignores those rows. A
    missing ``patients`` table is an error; a missing event table is a warning, since cohorts
    that do not need it can still run. A file that cannot be read at all raises
    :class:`upstream.data.sources.SourceError` naming it.
    """
    sources = load_sources(source)
    checker = _Checker(sources, as_of or date.today())
    checker.run()
    return ValidationReport(location=sources.location, problems=checker.problems)


class _Checker:
    def __init__(self, sources: Sources, as_of: date):
        self.sources = sources
        self.as_of = as_of
        self.problems: list[Problem] = []

    def add(self, severity: Severity, kind: str, table: str, column: str | None, message: str,
            fix: str, **details) -> None:
        path = self.sources.files.get(table)
        self.problems.append(Problem(severity, kind, table, column, message, fix,
                                     file=path.name if path else "", **details))

    def run(self) -> None:
        self.check_table_names()
        for name in self.sources:
            try:
                table = self.sources[name]
                usable = self.check_columns(TABLES[name], table)
                self.check_rows(TABLES[name], table, usable)
                self.check_unique(TABLES[name], table, usable)
                self.check_references(TABLES[name], table, usable)
            except SourceError:
                raise
            except Exception as error:  # a file damaged past its header or footer
                if name not in self.sources.files:
                    raise
                raise unreadable(self.sources.files[name], error) from error

    def from_csv(self, table: str) -> bool:
        path = self.sources.files.get(table)
        return path is not None and path.suffix.lower() == ".csv"

    # tables and columns -----------------------------------------------------------------------

    def check_table_names(self) -> None:
        missing = [name for name in TABLES if name not in self.sources]
        for name in missing:
            hint = _closest(name, [o.split(".")[0] for o in self.sources.other_names])
            if hint:
                fix = f"rename '{hint}' to '{name}'"
            elif self.sources.is_folder:
                fix = f"add {name}.parquet, {name}.csv or a folder {name}/ of Parquet parts"
            else:
                fix = f"add a table named {name}"
            if TABLES[name].required:
                self.add("error", "missing_table", name, None, "required table is missing", fix)
            else:
                self.add(
                    "warning", "missing_table", name, None,
                    "table is missing; cohorts that need it cannot run", fix,
                )

    def check_columns(self, spec: type[Table], table: ibis.Table) -> dict[str, ibis.Value]:
        """Report missing and mistyped columns; return usable typed expressions per column."""
        schema = table.schema()
        unknown = [c for c in schema.names if c not in spec.columns]
        usable: dict[str, ibis.Value] = {}
        for column in spec.columns.values():
            if column.name not in schema and column.optional and not _closest(column.name,
                                                                              unknown):
                self.add("warning", "missing_column", spec.name, column.name,
                         "optional column is absent; what needs it cannot be measured",
                         f"add the column '{column.name}' ({column.type}) when you have it")
                continue
            if column.name not in schema:
                hint = _closest(column.name, unknown)
                self.add(
                    "error", "missing_column", spec.name, column.name, "column is missing",
                    f"rename column '{hint}' to '{column.name}'" if hint
                    else f"add the column '{column.name}' ({column.type})",
                )
                continue
            expression = self.typed(spec, table, column, schema[column.name])
            if expression is not None:
                usable[column.name] = expression
        return usable

    def typed(self, spec, table: ibis.Table, column: Column, actual: dt.DataType):
        """The column as its contract type, or None (after reporting) when it cannot be used."""
        value = table[column.name]
        expected = column.type
        if _matches(expected, actual):
            return value.date() if expected == "date" and actual.is_timestamp() else value
        if expected == "timestamp" and actual.is_date():
            self.add(
                "warning", "wrong_type", spec.name, column.name,
                "holds dates without times; windows in days still work", "store date and time",
            )
            return value
        if actual.is_floating() and expected in ("int64", "int8"):
            return self.whole_numbers(spec, table, column, value)
        if actual.is_string() and expected != "string":
            target = {"int64": "int64", "int8": "int64", "date": "date",
                      "timestamp": "timestamp", "bool": "boolean"}[expected]
            parsed = value.try_cast(target)
            noun = "dates" if expected in ("date", "timestamp") else f"{expected} values"
            unreadable = self.report_rows(
                spec, table, column, value.notnull() & parsed.isnull(), "unparseable",
                f"{{count}} value(s) cannot be read as {noun}", _parse_fix(expected))
            if not unreadable and (self.from_csv(spec.name)
                                   or _count(table, value.notnull()) == 0):
                return parsed  # CSV is text, or an empty column: nothing wrong
            if not unreadable:
                self.add(
                    "error", "wrong_type", spec.name, column.name,
                    f"is stored as text but should be {expected}",
                    f"store the column as {expected} ({_parse_fix(expected)})",
                )
            return None
        self.add(
            "error", "wrong_type", spec.name, column.name,
            f"is {actual} but should be {expected}", f"store the column as {expected}",
        )
        return None

    def whole_numbers(self, spec, table: ibis.Table, column: Column, value):
        """Decimals are usable as integers when every value is whole (as pandas writes integer
        columns with gaps); otherwise the fractional values are reported."""
        if self.report_rows(spec, table, column, value.notnull() & (value != value.floor()),
                            "unparseable", "{count} value(s) are not whole numbers",
                            "write whole numbers only"):
            return None
        self.add(
            "warning", "wrong_type", spec.name, column.name,
            "holds decimals; they are all whole numbers, so they are used as integers",
            f"store the column as {column.type}",
        )
        return value.cast("int64")

    # row conditions ---------------------------------------------------------------------------

    def check_rows(self, spec: type[Table], table: ibis.Table, usable: dict) -> None:
        conditions = list(self.row_conditions(spec, usable))
        if not conditions:
            return
        counts = table.aggregate(
            **{f"c{i}": c[2].fill_null(False).ifelse(1, 0).sum() for i, c in enumerate(conditions)}
        ).execute().iloc[0]
        for i, (column, kind, condition, message, fix, show) in enumerate(conditions):
            self.report_rows(spec, table, column, condition, kind, message, fix,
                             count=int(counts[f"c{i}"] or 0), show_values=show)

    def row_conditions(self, spec, usable):
        """(column, kind, condition true on a bad row, message, fix, show values) per check."""
        for name, value in usable.items():
            column = spec.columns[name]
            if not column.nullable:
                yield (column, "missing_value", value.isnull(), "{count} row(s) have no value",
                       "fill in every row (this column is required)", False)
            if column.allowed is not None:
                yield (column, "not_allowed", value.notnull() & ~value.isin(column.allowed),
                       "{count} value(s) are not allowed",
                       "use one of " + ", ".join(map(str, column.allowed)), True)
            if column.minimum is not None:
                yield (column, "out_of_range",
                       (value < column.minimum) | (value > column.maximum),
                       f"{{count}} value(s) are outside {column.minimum} to {column.maximum}",
                       f"use whole numbers from {column.minimum} to {column.maximum}", True)
            if column.nhs_number:
                yield (column, "invalid_nhs_number", value.notnull() & ~_valid_nhs_number(value),
                       "{count} NHS number(s) are not 10 digits passing the Modulus 11 check",
                       "correct the NHS number or leave it empty", False)
            if column.not_future:
                day = value.date() if column.type == "timestamp" else value
                yield (column, "future_date", day > self.as_of,
                       f"{{count}} date(s) are after the as-of date "
                       f"{self.as_of.isoformat()}; case finding reads the data as they stood "
                       f"on that date, so later events are ignored",
                       "nothing, if they are booked appointments or the as-of date is in the "
                       "past; otherwise correct the dates", True)
            if column.not_before and column.not_before in usable:
                yield (column, "date_order", value < usable[column.not_before],
                       f"{{count}} date(s) are before {column.not_before}",
                       f"correct the dates so {name} is on or after {column.not_before}", True)

    def report_rows(self, spec, table, column: Column, bad, kind: str, message: str, fix: str, *,
                    count: int | None = None, show_values: bool = True) -> int:
        """Report the rows where ``bad`` holds (if any) as one error with sample row numbers and
        values; ``message`` has a ``{count}`` slot. Returns the count (counted if not given)."""
        if count is None:
            count = _count(table, bad)
        if count:
            rows, values = self.sample(table, bad.fill_null(False), column, show_values)
            severity: Severity = "warning" if kind in WARNING_KINDS else "error"
            self.add(severity, kind, spec.name, column.name, message.format(count=count), fix,
                     count=count, rows=rows, values=values)
        return count

    def sample(self, table, condition, column: Column, show_values: bool = True):
        """Row numbers, and the failing column's values unless they identify someone."""
        numbered = table.mutate(**{_ROW: ibis.row_number() + 1})
        condition = _rebind(condition, table, numbered)
        picked = numbered.filter(condition).order_by(_ROW).limit(SAMPLE_ROWS)
        frame = picked.select(_ROW, column.name).execute()
        rows = [int(r) for r in frame[_ROW]]
        show = show_values and not column.nhs_number
        return rows, ([repr(_plain(v)) for v in frame[column.name]] if show else [])

    # uniqueness and references ----------------------------------------------------------------

    def check_unique(self, spec: type[Table], table: ibis.Table, usable: dict) -> None:
        for column in spec.columns.values():
            if not column.unique or column.name not in usable:
                continue
            totals = table.aggregate(rows=table.count(), ids=table[column.name].nunique())
            rows, ids = totals.execute().iloc[0]
            if rows == ids + _count(table, table[column.name].isnull()):
                continue
            repeated = (
                table.group_by(column.name).aggregate(_n=ibis._.count()).filter(ibis._._n > 1)
            )
            self.report_rows(spec, table, column, table[column.name].isin(repeated[column.name]),
                             "duplicate", "{count} row(s) share an identifier with another row",
                             "give every row its own identifier, or remove repeated rows")

    def check_references(self, spec: type[Table], table: ibis.Table, usable: dict) -> None:
        for column in spec.columns.values():
            if not column.references or column.name not in usable:
                continue
            target_table, target_column = column.references.split(".")
            target = self.sources.get(target_table)
            if target is None or target_column not in target.columns:
                continue
            if not target.schema()[target_column].is_integer():
                continue
            bad = table[column.name].notnull() & ~table[column.name].isin(target[target_column])
            self.report_rows(spec, table, column, bad, "orphan",
                             f"{{count}} row(s) refer to people not in {target_table}",
                             f"add the people to {target_table}, or remove these rows")


def _matches(expected: str, actual: dt.DataType) -> bool:
    if expected in ("int64", "int8"):
        return actual.is_integer()
    if expected == "date":
        return actual.is_date() or actual.is_timestamp()
    return {
        "string": actual.is_string(),
        "timestamp": actual.is_timestamp(),
        "bool": actual.is_boolean(),
    }[expected]


def _parse_fix(expected: str) -> str:
    """The data dictionary's rule for writing values of type ``expected``."""
    return (f"write {expected} values as {WRITTEN_AS[expected].replace('`', '')} "
            "(the data dictionary's rule)")


def _valid_nhs_number(value: ibis.StringValue) -> ibis.BooleanValue:
    """Ten digits whose last is the Modulus 11 check digit of the first nine
    (:func:`upstream.standards.nhs_number.modulus_11`, as an Ibis expression)."""
    digits = [ibis.literal("0123456789").find(value.substr(i, 1)) for i in range(10)]
    check = nhs_number.modulus_11(digits[:9])
    return (value.re_search(r"^[0-9]{10}$") & (check != nhs_number.NO_CHECK_DIGIT)
            & (check == digits[9]))


def _count(table: ibis.Table, condition) -> int:
    return int(table.filter(condition.fill_null(False)).count().execute())


def _rebind(condition, old: ibis.Table, new: ibis.Table):
    """The same condition over ``new`` (``old`` plus a row-number column)."""
    return condition.op().replace({old.op(): new.op()}).to_expr()


def _closest(name: str, candidates: list[str]) -> str | None:
    by_lower = {c.lower(): c for c in candidates}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    match = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
