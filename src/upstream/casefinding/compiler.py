"""Compile the cohort model (:mod:`upstream.casefinding.model`) to Ibis expressions.

The compiler builds one *wide* table: a row per living person with their age, the patient columns
criteria select on, and one column per feature. Counts over the same event table are computed
in one aggregation (one pass per table); k-events-within-days and follow-ups are a subquery each.
Only operations every tested backend supports are used: date arithmetic happens in Python on the
as-of date, so SQL sees date literals; day differences use ``delta``; rolling windows use ``lag``
(no RANGE windows with interval offsets).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta

import ibis
import ibis.expr.types as ir

from upstream.casefinding import codelists
from upstream.casefinding.model import (
    CODED_COLUMNS,
    OPERATORS,
    PATIENT_COLUMNS,
    Aged,
    All,
    Any,
    ColumnIn,
    Compare,
    Count,
    Criterion,
    Events,
    Feature,
    FollowUp,
    Has,
    InCodelist,
    KWithin,
    Not,
    PatientIn,
    Ratio,
    Window,
)


class Compiler:
    """Turns features and criteria into Ibis expressions over ``tables`` at ``as_of``."""

    def __init__(self, tables: Mapping[str, ir.Table], as_of: date,
                 patient_columns: tuple[str, ...] = PATIENT_COLUMNS):
        self.tables = tables
        self.as_of = as_of
        self.patient_columns = patient_columns
        self.columns: dict[Feature, str] = {}

    # ------------------------------------------------------------------------------ the people

    def population(self) -> ir.Table:
        """Living people (no death on or before as_of): patient_id, age and the patient columns
        asked for (only those, so a columnar scan reads no more than the criteria need)."""
        people = self.tables["patients"]
        born = people.birth_date
        not_had_birthday = (born.month() > self.as_of.month) | (
            (born.month() == self.as_of.month) & (born.day() > self.as_of.day)
        )
        age = (self.as_of.year - born.year()) - not_had_birthday.ifelse(1, 0)
        alive = people.death_date.isnull() | (people.death_date > ibis.date(self.as_of))
        return people.filter(alive).select(
            patient_id=people.patient_id.cast("int64"), age=age.cast("int64"),
            **{column: people[column] for column in self.patient_columns},
        )

    # ------------------------------------------------------------------------------ features

    def column_of(self, feature: Feature) -> str:
        """The wide table's column holding ``feature`` (named on first use)."""
        if feature not in self.columns:
            self.columns[feature] = f"f{len(self.columns)}"
        return self.columns[feature]

    def wide(self, features: list[Feature]) -> ir.Table:
        """The population with one column per feature (and ``<column>_then`` for follow-ups)."""
        for feature in features:
            if isinstance(feature, Ratio):
                self.column_of(feature.numerator)
                self.column_of(feature.denominator)
            self.column_of(feature)
        counts: dict[str, list[Count]] = {}
        subqueries: list[ir.Table] = []
        for feature in self.columns:
            if isinstance(feature, Count):
                counts.setdefault(feature.events.table, []).append(feature)
            elif isinstance(feature, KWithin):
                subqueries.append(self._k_within(feature))
            elif isinstance(feature, FollowUp):
                subqueries.append(self._follow_up(feature))
        subqueries += [self._counts(table, found) for table, found in counts.items()]
        people = self.population()
        joined = people
        keep = list(people.columns)
        for number, sub in enumerate(subqueries):
            key = f"patient_id_{number}"
            sub = sub.rename({key: "patient_id"})
            joined = joined.left_join(sub, people.patient_id == sub[key])
            keep += [name for name in sub.columns if name != key]
        wide = joined.select(*keep)
        values = {}
        for feature, name in self.columns.items():
            if isinstance(feature, Count):
                values[name] = wide[name].fill_null(0)
            elif isinstance(feature, Ratio):
                values[name] = (
                    wide[self.columns[feature.numerator]].fill_null(0).cast("float64")
                    / wide[self.columns[feature.denominator]].nullif(0).cast("float64"))
        return wide.mutate(**values) if values else wide

    def _counts(self, table: str, features: list[Count]) -> ir.Table:
        """One pass over ``table``: every count feature of it, as conditional aggregates."""
        rows = self.tables[table]
        conditions = [self._rows(feature.events) for feature in features]
        kept = rows.filter(functools.reduce(lambda a, b: a | b, [c(rows) for c in conditions]))
        measures = {}
        for feature, condition in zip(features, conditions):
            where = condition(kept)
            measures[self.columns[feature]] = (
                kept[feature.distinct].nunique(where=where) if feature.distinct
                else kept.patient_id.count(where=where)
            )
        return kept.group_by(patient_id=kept.patient_id.cast("int64")).aggregate(**measures)

    def _k_within(self, feature: KWithin) -> ir.Table:
        chosen = self._dated(feature.events)
        order = ibis.window(group_by="patient_id", order_by=["moment"])
        ended = chosen.mutate(start=chosen.day.lag(feature.k - 1).over(order))
        ended = ended.filter(ended.day.delta(ended.start, unit="day") < feature.days)
        return ended.group_by("patient_id").aggregate(**{self.columns[feature]: ended.day.max()})

    def _follow_up(self, feature: FollowUp) -> ir.Table:
        index = self._dated(feature.index).select("patient_id", index_day="day")
        then = self._dated(feature.then).select(then_patient="patient_id", then_day="day")
        gap = then.then_day.delta(index.index_day, unit="day")
        matches = [index.patient_id == then.then_patient, gap >= 0, gap <= feature.within_days]
        name = self.columns[feature]
        if feature.present:
            pairs = index.join(then, matches)
            return pairs.group_by("patient_id").aggregate(
                **{name: pairs.index_day.max(), f"{name}_then": pairs.then_day.max()}
            )
        alone = index.anti_join(then, matches)
        return alone.group_by("patient_id").aggregate(**{name: alone.index_day.max()})

    def _dated(self, chosen: Events) -> ir.Table:
        """The chosen rows as patient_id, moment (the date or timestamp), day (the date)."""
        rows = self.tables[chosen.table]
        kept = rows.filter(self._rows(chosen)(rows))
        moment = kept[chosen.date_column]
        day = moment.date() if moment.type().is_timestamp() else moment
        return kept.select(patient_id=kept.patient_id.cast("int64"), moment=moment, day=day)

    # ------------------------------------------------------------------------------ row filters

    def _rows(self, chosen: Events) -> Callable[[ir.Table], ir.BooleanValue]:
        """A function giving, for a table of ``chosen.table``, which rows are chosen."""

        def condition(rows: ir.Table) -> ir.BooleanValue:
            parts = [self._filter(rows, chosen.table, f) for f in chosen.filters]
            if chosen.window is not None:
                parts.append(self._window(rows[chosen.date_column], chosen.window))
            return functools.reduce(lambda a, b: a & b, parts, ibis.literal(True))

        return condition

    def _filter(self, rows: ir.Table, table: str, chosen) -> ir.BooleanValue:
        if isinstance(chosen, ColumnIn):
            column = rows[chosen.column]
            return column == chosen.values[0] if len(chosen.values) == 1 else column.isin(
                chosen.values)
        assert isinstance(chosen, InCodelist)
        code_name, system_name = CODED_COLUMNS[table]
        code = rows[code_name]
        found = []
        for codelist in map(codelists.load, chosen.codelists):
            if codelist.snomed and system_name is not None:
                found.append((rows[system_name] == "snomed") & code.isin(sorted(codelist.snomed)))
            if codelist.icd10:
                plain = code.replace(".", "").upper()
                prefixed = functools.reduce(
                    lambda a, b: a | b, [plain.startswith(p) for p in codelist.icd10_prefixes])
                found.append(prefixed if system_name is None
                             else (rows[system_name] == "icd10") & prefixed)
        return functools.reduce(lambda a, b: a | b, found, ibis.literal(False))

    def _window(self, column: ir.Value, window: Window) -> ir.BooleanValue:
        """Dates in the window; timestamps by the calendar date they fall on."""
        last = self.as_of - timedelta(days=window.end_days)
        first = None
        if window.start_days is not None:
            first = self.as_of - timedelta(days=window.start_days)
            if not window.include_start:
                first += timedelta(days=1)
        if column.type().is_timestamp():
            upper = column < ibis.timestamp(datetime.combine(last + timedelta(days=1), time()))
            if first is None:
                return upper
            return upper & (column >= ibis.timestamp(datetime.combine(first, time())))
        upper = column <= ibis.date(last)
        return upper if first is None else upper & (column >= ibis.date(first))

    # ------------------------------------------------------------------------------ criteria

    def criterion(self, criterion: Criterion, wide: ir.Table,
                  leaf_column: Mapping[Criterion, str] | None = None) -> ir.BooleanValue:
        """``criterion`` over the wide table; leaves found in ``leaf_column`` are read from it."""
        if leaf_column and criterion in leaf_column:
            return wide[leaf_column[criterion]]
        if isinstance(criterion, All):
            return functools.reduce(
                lambda a, b: a & b, [self.criterion(p, wide, leaf_column) for p in criterion.parts])
        if isinstance(criterion, Any):
            return functools.reduce(
                lambda a, b: a | b, [self.criterion(p, wide, leaf_column) for p in criterion.parts])
        if isinstance(criterion, Not):
            return ~self.criterion(criterion.part, wide, leaf_column)
        return self.leaf(criterion, wide)

    def leaf(self, criterion: Criterion, wide: ir.Table) -> ir.BooleanValue:
        """A leaf criterion as a boolean that is never null."""
        if isinstance(criterion, Compare):
            value = OPERATORS[criterion.op](wide[self.columns[criterion.feature]], criterion.value)
        elif isinstance(criterion, Has):
            value = wide[self.columns[criterion.feature]].notnull()
        elif isinstance(criterion, Aged):
            value = ibis.literal(True)
            if criterion.low is not None:
                value = value & (wide.age >= criterion.low)
            if criterion.high is not None:
                value = value & (wide.age <= criterion.high)
        elif isinstance(criterion, PatientIn):
            column = wide[criterion.column]
            value = column.isin(criterion.values)
            if criterion.negate:
                value = column.notnull() & ~value
        else:
            raise TypeError(f"Not a leaf criterion: {criterion!r}")
        return value.fill_null(False)
