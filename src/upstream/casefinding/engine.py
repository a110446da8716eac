"""Run cohort definitions over population data reached through Ibis.

``find_matches`` evaluates any number of cohorts in one query: one wide table of features
(features shared by several cohorts are computed once, counts over one event table in one
pass), a boolean per leaf criterion and per cohort, then only the matched rows come back to
Python, where the reasons are worded. ``con`` is an Ibis backend holding the contract tables
(DuckDB by default; SQLite and PostgreSQL are tested too), or a mapping of contract table name
to Ibis table (e.g. :class:`upstream.data.sources.Sources`). A table a chosen cohort needs that
the source lacks is an error naming the table and the cohorts (:class:`MissingTables`), unless
``allow_missing``: then those cohorts are not run (reported, never shown as 0 people), as
``upstream find`` does.

Rows dated after the as-of date are never seen by a cohort (so any past as-of runs and
reproduces); :func:`rows_after` counts them for the run's report, and
:func:`latest_complete_day` is the as-of date to use when none is given.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.common.exceptions import TableNotFound

from upstream.casefinding import definitions, reasons
from upstream.casefinding.compiler import Compiler
from upstream.casefinding.model import (
    EVENT_TABLES,
    PATIENT_LEAVES,
    Cohort,
    Criterion,
    Feature,
    PatientIn,
)
from upstream.data.schema import BOOKED, TABLES

REASON_SEPARATOR = "; "
NOT_YET_HELD = {table.name: column.name for table in TABLES.values()
                for column in table.columns.values() if BOOKED in (column.allowed or ())}
"""Status column per table whose value ``booked`` marks a booking, not something that
happened (from the contract)."""


def available_cohorts() -> list[str]:
    """Names of the shipped cohorts, e.g. ``ncl_ed_hiu``."""
    return definitions.available()


def build_cohorts(names: list[str | Cohort] | str, overrides: dict[str, dict] | None = None,
                  ) -> list[Cohort]:
    """The named cohorts (one name or a list; ``"all"`` as :func:`definitions.select` means it)
    with parameter overrides applied (overrides of cohorts not named are ignored); a
    :class:`Cohort` built in Python may stand in the list for a name and is taken as it is.
    :class:`definitions.DefinitionError` names an unknown cohort or parameter."""
    if isinstance(names, str):
        names = [names]
    chosen = list(dict.fromkeys(
        item for name in names
        for item in ([name] if isinstance(name, Cohort) else definitions.select(name))))
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(available_cohorts()))
    if unknown:
        raise definitions.DefinitionError(
            f"Overrides name unknown cohort(s): {', '.join(unknown)}; "
            f"cohorts: {', '.join(available_cohorts())}")
    return [name if isinstance(name, Cohort) else definitions.load(name).build(overrides.get(name))
            for name in chosen]


class MissingTables(ValueError):
    """Cohorts chosen to run need tables the source lacks; ``missing`` maps each such cohort's
    name to the tables it lacks."""

    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        lines = [f"  {name} needs {', '.join(tables)}" for name, tables in missing.items()]
        super().__init__(
            "The source lacks tables that cohorts chosen to run need:\n" + "\n".join(lines)
            + "\nAdd the tables, or pass allow_missing=True to run the other cohorts and "
            "report these as not run.")


class ContractTables(Mapping):
    """The contract tables of ``con`` (an Ibis backend or a mapping of name to table), each
    opened on first use so a query reads only what it needs. :meth:`has` says whether the
    source holds a table; reading an event table it lacks gives an empty one (for
    :func:`rows_after` and :func:`latest_complete_day`; :func:`find_matches` refuses to run a
    cohort on one). ``ValueError`` if there is no patients table."""

    def __init__(self, con):
        self.con = con
        self.opened: dict[str, ir.Table] = {}
        if self._open("patients") is None:
            raise ValueError("The source has no patients table")

    def _open(self, name: str) -> ir.Table | None:
        if name not in self.opened:
            found = self._find(name)
            if found is not None:
                self.opened[name] = found
        return self.opened.get(name)

    def _find(self, name: str) -> ir.Table | None:
        if isinstance(self.con, Mapping):
            return self.con[name] if name in self.con else None
        try:
            return self.con.table(name)
        except TableNotFound:
            return None

    def has(self, name: str) -> bool:
        """Whether the source itself holds contract table ``name``."""
        return self._open(name) is not None

    def __getitem__(self, name: str) -> ir.Table:
        if name not in TABLES:
            raise KeyError(name)
        found = self._open(name)
        if found is None:
            columns = TABLES[name].columns
            schema = ibis.schema({c: column.type for c, column in columns.items()})
            found = self.opened[name] = ibis.memtable(schema.to_pyarrow().empty_table())
        return found

    def __iter__(self):
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


def missing_tables(con, cohorts: list[Cohort]) -> dict[str, list[str]]:
    """Cohort name -> the tables it needs that ``con`` (a source as for :func:`find_matches`)
    lacks, for each of ``cohorts`` that cannot run; empty when all can. The one check of
    missing tables, for the library and ``upstream find`` alike."""
    tables = con if isinstance(con, ContractTables) else ContractTables(con)
    return {cohort.name: lacking for cohort in cohorts
            if (lacking := [name for name in cohort.tables() if not tables.has(name)])}


def _possible_without_events(cohort: Cohort) -> bool:
    """Whether someone with no events at all could be in ``cohort`` (for some patient
    columns), as in a cohort of the most deprived deciles; if not, only people with events need
    to be looked at."""
    def leaf(found: Criterion, positive: bool) -> bool:
        return positive if isinstance(found, PATIENT_LEAVES) else found.true_without_events()

    return cohort.population.fold(leaf, operator.not_)


class _Plan:
    """The one query for a set of cohorts, and how to read its rows back."""

    def __init__(self, tables: ContractTables, cohorts: list[Cohort], as_of: date):
        self.cohorts = cohorts
        self.as_of = as_of
        leaves = list(dict.fromkeys(leaf for c in cohorts for leaf in c.population.leaves()))
        used = tuple(dict.fromkeys(leaf.column for leaf in leaves if isinstance(leaf, PatientIn)))
        self.compiler = Compiler(tables, as_of, patient_columns=used)
        features: list[Feature] = []
        for cohort in cohorts:
            features += cohort.features()
        keep = None
        if not any(map(_possible_without_events, cohorts)):
            def keep(events: ir.Table) -> ir.BooleanValue:
                return functools.reduce(operator.or_, [
                    self.compiler.events_bound(c.population, events) for c in cohorts])
        wide = self.compiler.wide(list(dict.fromkeys(features)), keep)
        self.leaf_column: dict[Criterion, str] = {leaf: f"l{i}" for i, leaf in enumerate(leaves)}
        wide = wide.mutate(**{name: self.compiler.leaf(leaf, wide)
                              for leaf, name in self.leaf_column.items()})
        self.member_column = {c.name: f"m{i}" for i, c in enumerate(cohorts)}
        self.table = wide.mutate(**{
            self.member_column[c.name]: self.compiler.criterion(c.population, wide,
                                                                self.leaf_column)
            for c in cohorts
        })

    def members(self, cohort: Cohort | None = None) -> ir.Table:
        """Rows of the wide table in ``cohort`` (or in any of the plan's cohorts)."""
        chosen = [cohort] if cohort else self.cohorts
        anyone = functools.reduce(lambda a, b: a | b,
                                  [self.table[self.member_column[c.name]] for c in chosen])
        return self.table.filter(anyone)

    def score(self, cohort: Cohort, table: ir.Table) -> ir.FloatingValue:
        if isinstance(cohort.score, Feature):
            return table[self.compiler.columns[cohort.score]].cast("float64").fill_null(0.0)
        return ibis.literal(float(cohort.score), type="float64")

    def rows(self, frame: pd.DataFrame, cohort: Cohort) -> pd.DataFrame:
        """The matches of ``cohort`` among ``frame`` with their reasons and score."""
        found = frame[frame[self.member_column[cohort.name]].astype(bool)]
        text = pd.Series("", index=found.index, dtype=object)
        for leaf in dict.fromkeys(cohort.population.reason_leaves()):
            fired = found[self.leaf_column[leaf]].astype(bool)
            if not fired.any():
                continue
            words = reasons.describe(leaf, found[fired], self.compiler.columns, self.as_of)
            joined = text[fired].where(text[fired] == "", text[fired] + REASON_SEPARATOR)
            text.loc[fired] = joined + words
        if isinstance(cohort.score, Feature):
            score = found[self.compiler.columns[cohort.score]].astype("float64").fillna(0.0)
        else:
            score = pd.Series(float(cohort.score), index=found.index)
        return pd.DataFrame({
            "patient_id": found["patient_id"].astype("int64"), "cohort": cohort.name,
            "reasons": text.astype(str), "score": score.astype("float64"),
        })


def find_matches(con, cohorts: list[str | Cohort] | str, as_of: date,
                 overrides: dict[str, dict] | None = None,
                 allow_missing: bool = False) -> pd.DataFrame:
    """One row per (patient_id, cohort) matched at ``as_of``, for shipped cohorts by name (or
    ``"all"``) and cohorts built with :mod:`upstream.casefinding.model`.

    Columns: ``patient_id`` (int64), ``cohort`` (str), ``reasons`` (str: why each criterion
    fired, with counts, dates and values, joined by "; "), ``score`` (float: the cohort's rank
    key, e.g. the number of ED attendances). ``overrides`` maps cohort name to parameter
    values, e.g. ``{"ncl_ed_hiu": {"more_than": 10}}``. Rows are ordered by cohort (as given),
    then score descending, then patient_id.

    A cohort needing a table the source lacks is not run as if the table were empty:
    :class:`MissingTables` names the tables and the cohorts, unless ``allow_missing``, which
    runs the other cohorts and lists those not run in ``result.attrs["not_run"]`` (cohort name
    -> tables lacked; empty when every cohort ran). A cohort not run has no rows, which does
    not mean it found nobody.
    """
    chosen = build_cohorts(cohorts, overrides)
    tables = ContractTables(con)
    not_run = missing_tables(tables, chosen)
    if not_run and not allow_missing:
        raise MissingTables(not_run)
    chosen = [cohort for cohort in chosen if cohort.name not in not_run]
    columns = {"patient_id": "int64", "cohort": object, "reasons": object, "score": "float64"}
    if not chosen:
        empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
        empty.attrs["not_run"] = not_run
        return empty
    plan = _Plan(tables, chosen, as_of)
    frame = plan.members().execute()
    found = [plan.rows(frame, cohort) for cohort in chosen]
    result = pd.concat(found, ignore_index=True)
    order = {cohort.name: i for i, cohort in enumerate(chosen)}
    result = result.assign(_order=result["cohort"].map(order)).sort_values(
        ["_order", "score", "patient_id"], ascending=[True, False, True], kind="stable")
    result = result.drop(columns="_order").reset_index(drop=True).astype(columns)
    result.attrs["not_run"] = not_run
    return result


def cohort_expression(con, name: str, as_of: date,
                      overrides: dict[str, dict] | None = None) -> ir.Table:
    """The Ibis expression of one cohort's members: ``patient_id``, ``cohort``, ``score`` and
    the wide table's feature (``f*``) and leaf (``l*``) columns, for benchmarking or inspection.
    ``overrides`` is keyed by cohort name, as for :func:`find_matches`; :class:`MissingTables`
    if the source lacks a table the cohort needs."""
    cohort, = build_cohorts([name], {name: (overrides or {}).get(name) or {}})
    tables = ContractTables(con)
    if missing := missing_tables(tables, [cohort]):
        raise MissingTables(missing)
    plan = _Plan(tables, [cohort], as_of)
    members = plan.members(cohort)
    kept = [c for c in members.columns if c[0] in "fl" and c[1:2].isdigit()]
    return members.select(
        patient_id=members.patient_id, cohort=ibis.literal(name), score=plan.score(cohort, members),
        **{c: members[c] for c in kept},
    )


def _day_of(table: ir.Table, column: str) -> ir.DateValue:
    moment = table[column]
    return moment.date() if moment.type().is_timestamp() else moment


def rows_after(con, as_of: date) -> dict[str, int]:
    """How many rows of each event table are dated after ``as_of`` (tables with none are left
    out): the rows every cohort ignores at this as-of, for the run's report."""
    tables = ContractTables(con)
    found = {}
    for name, (column, _) in EVENT_TABLES.items():
        table = tables[name]
        count = int(table.filter(_day_of(table, column) > ibis.date(as_of)).count().execute())
        if count:
            found[name] = count
    return found


def latest_complete_day(con) -> tuple[date, date] | None:
    """``(as_of, last_day)``: ``last_day`` is the latest date on which the source records
    activity that happened (appointments still ``booked`` are left out), and the latest
    complete day is the day before it, since an extract taken during a day holds only part of
    that day. None if the source has no activity at all."""
    tables = ContractTables(con)
    latest: list[date] = []
    for name, (column, _) in EVENT_TABLES.items():
        table = tables[name]
        if name in NOT_YET_HELD:
            table = table.filter(table[NOT_YET_HELD[name]] != BOOKED)
        value = _day_of(table, column).max().execute()
        if value is not None and not pd.isna(value):
            latest.append(pd.Timestamp(value).date())
    if not latest:
        return None
    last_day = max(latest)
    return last_day - timedelta(days=1), last_day
