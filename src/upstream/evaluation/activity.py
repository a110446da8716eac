"""Impact on service use from the activity data of the data contract (``upstream evaluate``).

The Upstream mode of the matched evaluation (docs/adr/0015-matched-evaluation.md, section
"Upstream mode"): supported people are given as a list of (person id, index date); the
comparison people are drawn from everyone else in the activity data. Everything is built with
Ibis where the data live (DuckDB over a folder of Parquet/CSV, or the warehouse), then matched
and estimated by :mod:`upstream.evaluation.impact` (one matching, every outcome estimated from
it).

**Windows.** Around each person's index date: before period k (k = 1 nearest) is the days
``(index - k * period_days, index - (k-1) * period_days]`` (so the index day, often the day of
the attendance that led to the referral, belongs to the last before period), and the after
period is ``(index, index + after_days]``. Before periods' counts are scaled to the after
period's length (times ``after_days / period_days``), so every column is a count per
``after_days`` days and the change is not an artefact of unequal periods. Events *after* the
index date are the outcome: unlike
case finding, nothing here stops at an as-of date except the end of the data, which every
after period must reach (``as_of``).

**Comparison people.** Everyone in ``patients`` not in the supported list nor in an exclusion
list (people supported by any team, who would contaminate the comparison), aged within the
supported people's age range (give or take a year), with a sex and IMD quintile some supported
person has. Each is given an index date: the index date of a supported person
chosen by a seeded hash of their id, so comparison index dates follow the supported people's
calendar; they must be alive on it. Matching is exact on the calendar quarter of the index date
(so a comparison is measured over the same months, seasons and service changes) and on sex,
and nearest-neighbour on the propensity score of age, IMD quintile, long-term conditions and
the prior-use trajectory: every outcome's count in every before period.

**Covariates at the index date.** Age in whole years; sex; IMD quintile (``unknown`` where the
LSOA has no English IMD); long-term conditions: the number of distinct conditions of the
``long_term_conditions`` codelist recorded on or before the index date, counted by the case
finding compiler's own condition mapping (:meth:`Compiler.condition_of`).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from upstream.data.schema import DEPARTMENT_TYPES, LONG_TERM_SUPPORT
from upstream.data.sources import Sources
from upstream.evaluation.impact import STEPS, Matching, Method, Result, estimate, match
from upstream.evaluation.table import ROW, PersonTable, Roles, TableError

SPELL_GAP_DAYS = 7
"""A long-term support service starting within this many days of the end of the person's
previous one continues the same spell (not a new start)."""
LTC_CODELIST = "long_term_conditions"
EXACT = ("index_quarter", "sex")
"""Exact strata by default."""
_HASH_MULTIPLIER, _HASH_MODULUS = 2654435761, 2**32


class ActivityError(TableError):
    """The supported people or the activity data cannot be evaluated as given."""


@dataclass(frozen=True)
class Outcome:
    """One measure of service use: the table it is counted from and what one unit is."""

    name: str
    label: str
    table: str
    unit: str


OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("ed_attendances", "ED attendances", "ed_attendances", "attendances"),
    Outcome("emergency_admissions", "Emergency admissions", "admissions", "admissions"),
    Outcome("emergency_bed_days", "Bed days after emergency admission", "admissions",
            "nights in hospital"),
    Outcome("delayed_discharges", "Delayed discharges", "admissions",
            "discharges after the discharge ready date"),
    Outcome("gp_appointments", "GP appointments attended", "gp_appointments", "appointments"),
    Outcome("outpatient_dnas", "Outpatient appointments missed (DNA)",
            "outpatient_appointments", "missed appointments"),
    Outcome("long_term_care_starts", "Starts of long-term adult social care support",
            "social_care_events", "new spells of long-term support"),
)}
"""Every outcome ``upstream evaluate`` measures, in report order."""


@dataclass(frozen=True)
class Windows:
    """The periods around each index date."""

    period_days: int = 365
    before_periods: int = 2
    after_days: int = 365

    def __post_init__(self):
        if self.period_days < 28 or self.after_days < 28:
            raise ValueError("periods must be at least 28 days")
        if not 1 <= self.before_periods <= 4:
            raise ValueError("before_periods must be from 1 to 4")

    @property
    def before_days(self) -> int:
        return self.period_days * self.before_periods

    def before_columns(self, outcome: str) -> tuple[str, ...]:
        """Oldest first, as the trajectory chart reads."""
        return tuple(f"{outcome}_before_{k}" for k in range(self.before_periods, 0, -1))

    @staticmethod
    def after_column(outcome: str) -> str:
        return f"{outcome}_after"


@dataclass
class Supported:
    """The checked list of supported people (ids and index dates)."""

    source: Path
    ids: list[int]
    index_dates: list[date]
    excluded: list[int] = field(default_factory=list)
    """Further ids kept out of the comparison group (supported by other teams)."""


@dataclass
class ActivityResult:
    """What :func:`evaluate_activity` found: one :class:`Result` per outcome, all from one
    matching."""

    outcomes: dict[str, Result]
    not_measured: dict[str, str]
    """Outcome -> why it could not be measured (a table or column absent)."""
    windows: Windows
    as_of: date
    data_from: date
    department_types: tuple[int, ...]
    n_supported: int
    n_excluded: int
    n_pool: int
    exact: tuple[str, ...]
    trajectory_columns: list[str]
    """The prior-use columns the score was fitted on (constant ones are left out)."""
    method: Method

    def to_dict(self) -> dict:
        first = next(iter(self.outcomes.values()))
        shared = {key: value for key, value in first.to_dict().items() if key not in _PER_OUTCOME}
        return {
            "mode": "upstream activity data",
            "as_of": self.as_of.isoformat(), "data_from": self.data_from.isoformat(),
            "windows": {"period_days": self.windows.period_days,
                        "before_periods": self.windows.before_periods,
                        "after_days": self.windows.after_days,
                        "before_period_k": "(index - k*period_days, index - (k-1)*period_days]",
                        "after_period": "(index, index + after_days]"},
            "ed_department_types": list(self.department_types),
            "n_supported_listed": self.n_supported, "n_excluded_listed": self.n_excluded,
            "n_comparison_pool": self.n_pool, "exact": list(self.exact),
            "trajectory_columns": self.trajectory_columns,
            "not_measured": self.not_measured,
            **shared,
            "outcomes": {name: {key: value for key, value in result.to_dict().items()
                                if key in _PER_OUTCOME}
                         for name, result in self.outcomes.items()},
        }


_PER_OUTCOME = {"estimate", "ci_low", "ci_high", "naive_estimate", "naive_ci_low",
                "naive_ci_high", "expected_change_without_programme", "expected_change_ci_low",
                "expected_change_ci_high", "trajectory", "bootstrap_draws"}


# ---------------------------------------------------------------------------- supported people


def read_supported(path: str | Path, *, id_column: str = "patient_id",
                   index_column: str = "index_date") -> Supported:
    """Read the supported people: CSV (header row) or Parquet, one row per person, with a
    whole-number person id (``patients.patient_id``) and an index date (YYYY-MM-DD). Refuses
    (:class:`ActivityError`, naming the file, column and first line) a missing file or column,
    a missing or unreadable value, and a person listed twice."""
    path = Path(path)
    if not path.is_file():
        raise ActivityError(f"There is no file {path}")
    table = _read_list(path)
    for name in (id_column, index_column):
        if name not in table.column_names:
            close = difflib.get_close_matches(name, table.column_names, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ActivityError(f"{path.name} has no column '{name}'.{hint} Its columns are: "
                                f"{', '.join(table.column_names)}")
    ids = [_whole(value) for value in table.column(id_column).to_pylist()]
    days = [_day(value) for value in table.column(index_column).to_pylist()]
    where = _where(path)
    for name, values, what in ((id_column, ids, "a whole-number person id"),
                               (index_column, days, "a date written YYYY-MM-DD")):
        bad = [i for i, value in enumerate(values) if value is None]
        if bad:
            raise ActivityError(f"{path.name}: column '{name}' must hold {what} on every row; "
                                f"{len(bad):,} row(s) do not, the first on {where(bad[0])}")
    seen: dict[int, int] = {}
    for i, person in enumerate(ids):
        if person in seen:
            raise ActivityError(
                f"{path.name}: person {person} is listed on {where(seen[person])} and on "
                f"{where(i)}; list each person once, with the index date of their first "
                "episode")
        seen[person] = i
    if not ids:
        raise ActivityError(f"{path.name} lists no supported people")
    return Supported(source=path, ids=ids, index_dates=days)


def read_excluded(path: str | Path, *, id_column: str = "patient_id") -> list[int]:
    """Person ids (one column) to keep out of the comparison group."""
    path = Path(path)
    if not path.is_file():
        raise ActivityError(f"There is no file {path}")
    table = _read_list(path)
    if id_column not in table.column_names:
        raise ActivityError(f"{path.name} has no column '{id_column}'; its columns are: "
                            f"{', '.join(table.column_names)}")
    ids = [_whole(value) for value in table.column(id_column).to_pylist()]
    bad = [i for i, value in enumerate(ids) if value is None]
    if bad:
        raise ActivityError(f"{path.name}: column '{id_column}' must hold whole-number person "
                            f"ids; the first that is not is on {_where(path)(bad[0])}")
    return sorted(set(ids))


def _read_list(path: Path) -> pa.Table:
    try:
        if path.suffix.lower() == ".csv":
            return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
                strings_can_be_null=True))
        if path.suffix.lower() == ".parquet":
            return pq.read_table(path)
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as error:
        raise ActivityError(f"Cannot read {path.name}: {error}") from None
    raise ActivityError(f"{path.name}: the list must be a .csv or .parquet file")


def _where(path: Path) -> Callable[[int], str]:
    csv_file = path.suffix.lower() == ".csv"
    return lambda i: f"line {i + 2}" if csv_file else f"row {i + 1}"


def _whole(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value == int(value) else None
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _day(value) -> date | None:
    if isinstance(value, date):
        return value if not hasattr(value, "hour") else value.date()
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


# ---------------------------------------------------------------------------- the person table


def evaluate_activity(sources: Sources, supported: Supported, *, as_of: date,
                      windows: Windows = Windows(), method: Method = Method(),
                      outcomes: tuple[str, ...] = tuple(OUTCOMES),
                      department_types: tuple[int, ...] = (1, 2),
                      exact: tuple[str, ...] = EXACT, data_from: date | None = None,
                      progress: Callable[[str], None] | None = None) -> ActivityResult:
    """Build the person table from ``sources``, match once and estimate every outcome."""
    report = progress or (lambda step: None)
    unknown = [name for name in outcomes if name not in OUTCOMES]
    if unknown:
        raise ActivityError(f"No outcome {', '.join(unknown)}; outcomes: {', '.join(OUTCOMES)}")
    wrong = [t for t in department_types if t not in DEPARTMENT_TYPES]
    if wrong or not department_types:
        raise ActivityError(f"ED department types must be among {DEPARTMENT_TYPES}")
    bad_exact = [name for name in exact if name not in ("index_quarter", "sex", "imd_quintile")]
    if bad_exact:
        raise ActivityError(f"--exact can name index_quarter, sex and imd_quintile, not "
                            f"{', '.join(bad_exact)}")
    if "patients" not in sources:
        raise ActivityError(f"{sources.location} has no patients table")
    report("Checking the supported people against the activity data")
    not_measured = _unmeasurable(sources, outcomes)
    measured = tuple(name for name in outcomes if name not in not_measured)
    if not measured:
        raise ActivityError("None of the outcomes can be measured: " + "; ".join(
            f"{name}: {why}" for name, why in not_measured.items()))
    data_from = data_from or _data_from(sources, measured)
    _check_supported(sources, supported, as_of, data_from, windows)
    report("Building before and after counts in the database")
    builder = _Builder(sources, supported, as_of, windows, department_types, method.seed)
    table = builder.table(measured)
    con = sources.con
    con.create_table("upstream_impact_built", table, overwrite=True)
    table = _comparable(con.table("upstream_impact_built"))
    con.create_table("upstream_impact_people", table, overwrite=True)
    table = con.table("upstream_impact_people")
    trajectory = _varying(table, [c for name in measured for c in windows.before_columns(name)])
    people = _person_table(con, table, supported.source, trajectory, exact)
    matching: Matching = match(people, method, report)
    report(STEPS[4])
    results = {name: estimate(matching, windows.before_columns(name), windows.after_column(name))
               for name in measured}
    pool = int(table.filter(table.treated == 0).count().execute())
    return ActivityResult(
        outcomes=results, not_measured=not_measured, windows=windows, as_of=as_of,
        data_from=data_from, department_types=tuple(department_types),
        n_supported=len(supported.ids), n_excluded=len(supported.excluded), n_pool=pool,
        exact=tuple(exact), trajectory_columns=trajectory, method=method)


def _unmeasurable(sources: Sources, outcomes: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for name in outcomes:
        outcome = OUTCOMES[name]
        if outcome.table not in sources:
            found[name] = f"the source has no {outcome.table} table"
        elif name == "delayed_discharges" and \
                "discharge_ready_date" not in sources[outcome.table].columns:
            found[name] = "admissions has no discharge_ready_date column"
    return found


def _data_from(sources: Sources, outcomes: tuple[str, ...]) -> date:
    """The first day every outcome's table covers: the latest of their earliest dates."""
    firsts = []
    for table_name in dict.fromkeys(OUTCOMES[name].table for name in outcomes):
        table = sources[table_name]
        value = _table_day(table_name, table).min().execute()
        if value is not None and value == value:
            firsts.append(_as_date(value))
    if not firsts:
        raise ActivityError("The outcome tables hold no events")
    return max(firsts)


def _as_date(value) -> date:
    import pandas as pd

    return pd.Timestamp(value).date()


def _table_day(name: str, table: ir.Table) -> ir.DateValue:
    column = {"ed_attendances": "arrival_time", "admissions": "admission_date",
              "gp_appointments": "appointment_date",
              "outpatient_appointments": "appointment_date",
              "social_care_events": "event_start_date"}[name]
    value = table[column]
    return value.date() if value.type().is_timestamp() else value


def _check_supported(sources: Sources, supported: Supported, as_of: date, data_from: date,
                     windows: Windows) -> None:
    where = _where(supported.source)
    earliest = data_from + timedelta(days=windows.before_days - 1)
    latest = as_of - timedelta(days=windows.after_days)
    if earliest > latest:
        raise ActivityError(
            f"The activity data run from {data_from} to {as_of}: too short for "
            f"{windows.before_periods} before period(s) of {windows.period_days} days and an "
            f"after period of {windows.after_days} days; shorten the periods")
    outside = [i for i, day in enumerate(supported.index_dates) if not earliest <= day <= latest]
    if outside:
        first = outside[0]
        raise ActivityError(
            f"{supported.source.name}: {len(outside):,} index date(s) are outside the range the "
            f"activity data can measure, the first {supported.index_dates[first]} on "
            f"{where(first)}. With data from {data_from} to {as_of}, {windows.before_days} days "
            f"before and {windows.after_days} days after, index dates must be from {earliest} "
            f"to {latest}. Shorten the periods, or leave out people supported too recently "
            "to follow up.")
    patients = sources["patients"]
    listed = ibis.memtable(pa.table({
        "patient_id": pa.array(supported.ids, pa.int64()),
        "index_date": pa.array(supported.index_dates, pa.date32()),
        "line": pa.array(range(len(supported.ids)), pa.int64())}))
    known = patients.select(pid=patients.patient_id.cast("int64"),
                            death_date=patients.death_date, birth_date=patients.birth_date)
    joined = listed.left_join(known, listed.patient_id == known.pid)
    found = [{**row, "death_date": _day(row["death_date"]), "birth_date": _day(row["birth_date"]),
              "index_date": _day(row["index_date"])}
             for row in joined.select("line", "patient_id", "index_date", "pid", "death_date",
                                      "birth_date").order_by("line").to_pyarrow().to_pylist()]
    missing = [r for r in found if r["pid"] is None]
    if missing:
        raise ActivityError(
            f"{supported.source.name}: {len(missing):,} person id(s) are not in the activity "
            f"data's patients table, the first {missing[0]['patient_id']} on "
            f"{where(missing[0]['line'])}. Check the list uses the activity data's patient_id "
            "(the pseudonymous id), not an NHS number or a service's own id.")
    dead = [r for r in found
            if r["death_date"] is not None and r["death_date"] <= r["index_date"]]
    if dead:
        raise ActivityError(
            f"{supported.source.name}: {len(dead):,} person(s) died on or before their index "
            f"date, the first on {where(dead[0]['line'])}; check the ids and dates")
    unborn = [r for r in found if r["birth_date"] > r["index_date"]]
    if unborn:
        raise ActivityError(f"{supported.source.name}: the index date on "
                            f"{where(unborn[0]['line'])} is before the person's birth")


def _comparable(table: ir.Table) -> ir.Table:
    """Leave out comparison people with a sex or IMD quintile no supported person has: they
    could never be matched, and a level with no supported person separates the propensity
    model (its coefficient runs off to minus infinity)."""
    supported = table.filter(table.treated == 1)
    for name in ("sex", "imd_quintile"):
        table = table.filter((table.treated == 1) | table[name].isin(supported[name]))
    return table


def _varying(table: ir.Table, columns: list[str]) -> list[str]:
    """The columns whose values vary among the supported people. A constant cannot enter the
    score, and a column the same for every supported person (say no social care starts
    before) separates the propensity model: everyone else with another value is certainly a
    comparison person, and its coefficient runs off to infinity."""
    table = table.filter(table.treated == 1)
    stats = table.aggregate(**{f"v{i}": table[c].std() for i, c in enumerate(columns)}
                            ).execute().iloc[0]
    return [c for i, c in enumerate(columns)
            if stats[f"v{i}"] is not None and stats[f"v{i}"] == stats[f"v{i}"]
            and stats[f"v{i}"] > 0]


def _person_table(con, table: ir.Table, source: Path, trajectory: list[str],
                  exact: tuple[str, ...]) -> PersonTable:
    categorical = ["sex", "imd_quintile"]
    levels = {}
    for name in categorical:
        values = sorted(table.select(name).distinct()[name].execute().dropna().tolist())
        if len(values) >= 2:
            levels[name] = values
    covariates = ("age", *levels, "ltc")
    roles = Roles(id="patient_id", treated="treated", before=tuple(trajectory), after="",
                  covariates=covariates, categorical=tuple(levels), exact=exact)
    return PersonTable(con=con, table=table, roles=roles, source=source,
                       numeric_covariates=["age", "ltc"], levels=levels,
                       rows_read=int(table.count().execute()))


class _Builder:
    """The person table: one row per supported person and per possible comparison person."""

    def __init__(self, sources: Sources, supported: Supported, as_of: date, windows: Windows,
                 department_types: tuple[int, ...], seed: int):
        self.sources = sources
        self.supported = supported
        self.as_of = as_of
        self.windows = windows
        self.department_types = department_types
        self.seed = seed

    def people(self) -> ir.Table:
        """patient_id, treated, index_date, birth_date, sex, imd_decile."""
        patients = self.sources["patients"]
        base = patients.select(patient_id=patients.patient_id.cast("int64"),
                               birth_date=patients.birth_date, death_date=patients.death_date,
                               sex=patients.sex, imd_decile=patients.imd_decile)
        listed = ibis.memtable(pa.table({
            "listed_id": pa.array(self.supported.ids, pa.int64()),
            "listed_index": pa.array(self.supported.index_dates, pa.date32()),
            "slot": pa.array(_slots(self.supported), pa.int64())}))
        keep_out = ibis.memtable(pa.table({"out_id": pa.array(
            sorted(set(self.supported.ids) | set(self.supported.excluded)), pa.int64())}))
        treated = base.join(listed, base.patient_id == listed.listed_id)
        treated = treated.select(*base.columns, treated=ibis.literal(1.0),
                                 index_date=treated.listed_index)
        ages = treated.aggregate(
            low=treated.index_date.delta(treated.birth_date, unit="day").min(),
            high=treated.index_date.delta(treated.birth_date, unit="day").max(),
        ).execute().iloc[0]
        pool = base.anti_join(keep_out, base.patient_id == keep_out.out_id)
        n = len(self.supported.ids)
        slot = ((pool.patient_id * _HASH_MULTIPLIER + self.seed) % _HASH_MODULUS) % n
        pool = pool.mutate(slot=slot)
        pool = pool.join(listed, pool.slot == listed.slot)
        pool = pool.select(*base.columns, treated=ibis.literal(0.0),
                           index_date=pool.listed_index)
        age_days = pool.index_date.delta(pool.birth_date, unit="day")
        alive = pool.death_date.isnull() | (pool.death_date > pool.index_date)
        pool = pool.filter(alive, age_days >= int(ages["low"]) - 365,
                           age_days <= int(ages["high"]) + 365)
        return treated.union(pool)

    def table(self, outcomes: tuple[str, ...]) -> ir.Table:
        people = self.people()
        people = people.mutate(**{ROW: ibis.row_number().over(
            order_by=[ibis.desc(people.treated), people.patient_id]).cast("int64")})
        index = people.select(ROW, key=people.patient_id, at=people.index_date)
        columns: dict[str, ir.Value] = {}
        parts = [self._counts(name, index) for name in outcomes]
        parts.append(self._ltc(index))
        wide = people
        for part in parts:
            part = part.rename(part_row=ROW)
            wide = wide.left_join(part, wide[ROW] == part.part_row).drop("part_row")
        scale = self.windows.after_days / self.windows.period_days
        for name in outcomes:
            for column in self.windows.before_columns(name):
                columns[column] = wide[column].fill_null(0).cast("float64") * scale
            after = self.windows.after_column(name)
            columns[after] = wide[after].fill_null(0).cast("float64")
        quarter = (wide.index_date.year().cast("string") + "Q"
                   + ((wide.index_date.month() - 1) // 3 + 1).cast("string"))
        age = (wide.index_date.delta(wide.birth_date, unit="day") / 365.25).floor()
        imd = ((wide.imd_decile + 1) // 2).cast("string").fill_null("unknown")
        return wide.select(
            ROW, "patient_id", "treated", "index_date",
            index_quarter=quarter, sex=wide.sex.cast("string"), imd_quintile=imd,
            age=age.cast("float64"), ltc=wide.ltc.fill_null(0).cast("float64"), **columns)

    # ------------------------------------------------------------------ periods

    def _periods(self) -> list[tuple[str, int, int]]:
        """(suffix, a, b): the period holds days index + (a, b]."""
        p = self.windows.period_days
        periods = [(f"before_{k}", -k * p, -(k - 1) * p)
                   for k in range(self.windows.before_periods, 0, -1)]
        return periods + [("after", 0, self.windows.after_days)]

    def _dated(self, index: ir.Table, rows: ir.Table, day: ir.DateValue,
               value: ir.NumericValue | None = None) -> ir.Table:
        events = rows.select(event_id=rows.patient_id.cast("int64"), day=day,
                             value=ibis.literal(1.0) if value is None else value)
        joined = index.join(events, index.key == events.event_id)
        return joined.mutate(offset=joined.day.delta(joined.at, unit="day"))

    def _sum(self, name: str, dated: ir.Table) -> ir.Table:
        measures = {f"{name}_{suffix}": dated.value.sum(where=(dated.offset > a)
                                                        & (dated.offset <= b))
                    for suffix, a, b in self._periods()}
        return dated.group_by(ROW).aggregate(**measures)

    def _counts(self, name: str, index: ir.Table) -> ir.Table:
        tables = self.sources
        if name == "ed_attendances":
            rows = tables["ed_attendances"]
            rows = rows.filter(rows.department_type.isin(list(self.department_types)))
            return self._sum(name, self._dated(index, rows, rows.arrival_time.date()))
        if name == "emergency_admissions":
            rows = _emergency(tables["admissions"])
            return self._sum(name, self._dated(index, rows, rows.admission_date))
        if name == "emergency_bed_days":
            return self._bed_days(name, index)
        if name == "delayed_discharges":
            rows = tables["admissions"]
            rows = rows.filter(rows.discharge_ready_date.notnull(), rows.discharge_date.notnull(),
                               rows.discharge_date > rows.discharge_ready_date)
            return self._sum(name, self._dated(index, rows, rows.discharge_date))
        if name == "gp_appointments":
            rows = tables["gp_appointments"]
            rows = rows.filter(rows.status == "attended")
            return self._sum(name, self._dated(index, rows, rows.appointment_date))
        if name == "outpatient_dnas":
            rows = tables["outpatient_appointments"]
            rows = rows.filter(rows.attendance_status == "did_not_attend")
            return self._sum(name, self._dated(index, rows, rows.appointment_date))
        assert name == "long_term_care_starts"
        starts = long_term_support_starts(tables["social_care_events"])
        return self._sum(name, self._dated(index, starts, starts.start))

    def _bed_days(self, name: str, index: ir.Table) -> ir.Table:
        """Nights in hospital after an emergency admission within each period: a night is
        counted on the day it starts, from admission to the day before discharge (to as_of
        while still in hospital)."""
        rows = _emergency(self.sources["admissions"])
        still_in = ibis.date(self.as_of + timedelta(days=1))
        stays = rows.select(stay_id=rows.patient_id.cast("int64"), first=rows.admission_date,
                            leave=rows.discharge_date.fill_null(still_in))
        joined = index.join(stays, index.key == stays.stay_id)
        first = joined.first.delta(joined.at, unit="day")
        last = joined.leave.delta(joined.at, unit="day") - 1
        measures = {}
        for suffix, a, b in self._periods():
            nights = ibis.least(last, b) - ibis.greatest(first, a + 1) + 1
            measures[f"{name}_{suffix}"] = ibis.greatest(nights, 0).cast("float64").sum()
        return joined.group_by(ROW).aggregate(**measures)

    def _ltc(self, index: ir.Table) -> ir.Table:
        """Distinct long-term conditions recorded on or before the index date."""
        from upstream.casefinding.compiler import Compiler
        from upstream.casefinding.model import events

        chosen = events("conditions").coded(LTC_CODELIST).by_as_of()
        compiler = Compiler(self.sources, self.as_of)
        rows = self.sources["conditions"]
        rows = rows.filter(compiler.rows_of(chosen)(rows))
        rows = rows.select(cond_id=rows.patient_id.cast("int64"), day=rows.recorded_date,
                           condition=compiler.condition_of(rows, chosen))
        joined = index.join(rows, (index.key == rows.cond_id) & (rows.day <= index.at))
        return joined.group_by(ROW).aggregate(ltc=joined.condition.nunique())


def _slots(supported: Supported) -> list[int]:
    """0..n-1 in (index date, id) order: comparison people draw their index date by slot."""
    order = sorted(range(len(supported.ids)),
                   key=lambda i: (supported.index_dates[i], supported.ids[i]))
    slots = [0] * len(order)
    for slot, i in enumerate(order):
        slots[i] = slot
    return slots


def _emergency(admissions: ir.Table) -> ir.Table:
    return admissions.filter(admissions.admission_method == "emergency")


def long_term_support_starts(events: ir.Table) -> ir.Table:
    """(patient_id, start): the first day of each spell of long-term support. A long-term
    support service starting within :data:`SPELL_GAP_DAYS` of the end of the person's earlier
    long-term services (or while one is open) continues their spell."""
    services = events.filter(events.event_type == "Service",
                             events.service_type.isin(list(LONG_TERM_SUPPORT)))
    far = ibis.date(date(9999, 12, 31))
    services = services.select(patient_id=services.patient_id.cast("int64"),
                               start=services.event_start_date,
                               end=services.event_end_date.fill_null(far))
    order = dict(group_by="patient_id", order_by=["start", "end"])
    services = services.mutate(run=services.end.max().over(ibis.cumulative_window(**order)))
    services = services.mutate(reach=services.run.lag().over(ibis.window(**order)))
    gap = services.start.delta(services.reach, unit="day")
    new = services.reach.isnull() | (gap > SPELL_GAP_DAYS)
    return services.filter(new).select("patient_id", "start")
