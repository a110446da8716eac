"""Compile the cohort model (:mod:`upstream.casefinding.model`) to Ibis expressions.

The compiler builds one *wide* table: a row per living person with their age, the patient columns
criteria select on, and one column per feature. Counts and k-events-within-days over the same
event table are computed in one pass over it; follow-ups are a subquery each. When every person
wanted must have some events, the people with events are narrowed first (by
:meth:`Compiler.events_bound`) and only they are joined to the population. Ages are compared as
birth dates, so a columnar source can skip rows it does not need. Only operations every tested
backend supports are used: date arithmetic happens in Python on the as-of date, so SQL sees
date literals; day differences use ``delta``; rolling windows use ``lag`` (no RANGE windows with
interval offsets). Every event set ends on the as-of date, so rows after it are never seen;
condition counts map codes to conditions with one ``IN`` list or simple ``CASE`` per ICD-10
prefix length and one simple ``CASE`` over SNOMED CT codes.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta

import ibis
import ibis.expr.types as ir
from dateutil.relativedelta import relativedelta

from upstream.casefinding import codelists
from upstream.casefinding.model import (
    CODED_COLUMNS,
    CONDITION,
    OPERATORS,
    PATIENT_COLUMNS,
    PATIENT_LEAVES,
    Aged,
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
    PatientIn,
    Ratio,
    Window,
)

CONDITION_SEPARATOR = "|"
"""Joins the condition names of a condition count's ``<column>_names`` companion."""


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
        """Living people (no death on or before as_of): patient_id, birth_date and the patient
        columns asked for (only those, so a columnar scan reads no more than the criteria
        need)."""
        people = self.tables["patients"]
        alive = people.death_date.isnull() | (people.death_date > ibis.date(self.as_of))
        born = people.birth_date <= ibis.date(self.as_of)
        return people.filter(alive & born).select(
            patient_id=people.patient_id.cast("int64"), birth_date=people.birth_date,
            **{column: people[column] for column in self.patient_columns},
        )

    def age(self, born: ir.DateValue) -> ir.IntegerValue:
        """Age in whole years at as_of of people born on ``born``."""
        not_had_birthday = (born.month() > self.as_of.month) | (
            (born.month() == self.as_of.month) & (born.day() > self.as_of.day)
        )
        return ((self.as_of.year - born.year()) - not_had_birthday.ifelse(1, 0)).cast("int64")

    def born_by(self, years: int) -> date:
        """The latest birth date of people aged at least ``years`` at as_of (someone born on
        29 February has their birthday on 1 March in other years, as in :meth:`age`)."""
        return self.as_of - relativedelta(years=years)

    # ------------------------------------------------------------------------------ features

    def column_of(self, feature: Feature) -> str:
        """The wide table's column holding ``feature`` (named on first use)."""
        if feature not in self.columns:
            self.columns[feature] = f"f{len(self.columns)}"
        return self.columns[feature]

    def wide(self, features: list[Feature],
             keep: Callable[[ir.Table], ir.BooleanValue] | None = None) -> ir.Table:
        """The population with ``age`` and one column per feature (and ``<column>_then`` for
        follow-ups). Features come from one table of people with events (an aggregation per
        event table, a subquery per follow-up, outer-joined). With ``keep`` (a condition on
        that table that every wanted person meets, whatever their patient columns) only people
        with events meeting it are joined to the population; without, everyone living is kept.
        """
        for feature in features:
            if isinstance(feature, Ratio):
                self.column_of(feature.numerator)
                self.column_of(feature.denominator)
            self.column_of(feature)
        people = self.population()
        events = self._events()
        if events is None:
            wide = people
        elif keep is not None:
            events = self._filled(events)
            events = events.filter(keep(events)).rename(event_patient_id="patient_id")
            wide = people.join(events, people.patient_id == events.event_patient_id)
            wide = wide.drop("event_patient_id")
        else:
            events = events.rename(event_patient_id="patient_id")
            wide = people.left_join(events, people.patient_id == events.event_patient_id)
            wide = self._filled(wide.drop("event_patient_id"))
        return wide.mutate(age=self.age(wide.birth_date))

    def _filled(self, table: ir.Table) -> ir.Table:
        """``table`` with counts of people without events as 0, and ratios computed."""
        values = {}
        for feature, name in self.columns.items():
            if isinstance(feature, Count):
                values[name] = table[name].fill_null(0)
            elif isinstance(feature, Ratio):
                values[name] = (
                    table[self.columns[feature.numerator]].fill_null(0).cast("float64")
                    / table[self.columns[feature.denominator]].nullif(0).cast("float64"))
        return table.mutate(**values) if values else table

    def _events(self) -> ir.Table | None:
        """One row per person with any feature's events: patient_id and the feature columns
        (null where the person has none of a feature's events); None if no feature needs
        events."""
        by_table: dict[str, list[Count | KWithin]] = {}
        subqueries: list[ir.Table] = []
        for feature in self.columns:
            if isinstance(feature, (Count, KWithin)):
                by_table.setdefault(feature.events.table, []).append(feature)
            elif isinstance(feature, FollowUp):
                subqueries.append(self._follow_up(feature))
        subqueries = [self._one_pass(table, found) for table, found in by_table.items()] + \
            subqueries
        if not subqueries:
            return None
        events = subqueries[0]
        for number, sub in enumerate(subqueries[1:]):
            key = f"patient_id_{number}"
            sub = sub.rename({key: "patient_id"})
            joined = events.outer_join(sub, events.patient_id == sub[key])
            # view(): Ibis cannot join onto a projection of an outer join otherwise
            events = joined.select(
                ibis.coalesce(joined.patient_id, joined[key]).name("patient_id"),
                *[name for name in joined.columns if name not in ("patient_id", key)]).view()
        return events

    def _one_pass(self, table: str, features: list[Count | KWithin]) -> ir.Table:
        """One pass over ``table``: its counts as conditional aggregates and its k-events-
        within-days as ``lag`` windows. When the features choose different rows, a column
        ``e<N>`` marks each row with whether it is among the N-th set of chosen rows, and each
        window is also partitioned by its mark, so the lag steps over its own events only."""
        rows = self.tables[table]
        chosen = list(dict.fromkeys(feature.events for feature in features))
        kept = rows.filter(functools.reduce(
            operator.or_, [self.rows_of(events)(rows) for events in chosen]))
        if len(chosen) > 1:
            kept = kept.mutate(**{f"e{number}": self.rows_of(events)(kept)
                                  for number, events in enumerate(chosen)})
        conditions = {feature.events: f"condition{number}" for number, feature in enumerate(
            f for f in features if isinstance(f, Count) and f.distinct == CONDITION)}
        if conditions:
            kept = kept.mutate(**{name: self.condition_of(kept, events)
                                  for events, name in conditions.items()})

        def marks(table: ir.Table, events: Events) -> list[ir.BooleanValue]:
            return [table[f"e{chosen.index(events)}"]] if len(chosen) > 1 else []

        within = [feature for feature in features if isinstance(feature, KWithin)]
        if within:
            kept = kept.mutate(day=_day(kept[chosen[0].date_column]))
            kept = kept.mutate(**{
                f"start{number}": kept.day.lag(feature.k - 1).over(ibis.window(
                    group_by=[kept.patient_id, *marks(kept, feature.events)],
                    order_by=[kept[feature.events.date_column]]))
                for number, feature in enumerate(within)})
        measures = {}
        for feature in features:
            among = next(iter(marks(kept, feature.events)), None)
            if isinstance(feature, KWithin):
                start = kept[f"start{within.index(feature)}"]
                close = kept.day.delta(start, unit="day") < feature.days
                measure = kept.day.max(where=close if among is None else among & close)
            elif feature.distinct == CONDITION:
                condition = kept[conditions[feature.events]]
                measure = condition.nunique(where=among)
                measures[f"{self.columns[feature]}_names"] = condition.group_concat(
                    CONDITION_SEPARATOR, where=among)
            elif feature.distinct:
                measure = kept[feature.distinct].nunique(where=among)
            else:
                measure = kept.patient_id.count(where=among)
            measures[self.columns[feature]] = measure
        return kept.group_by(patient_id=kept.patient_id.cast("int64")).aggregate(**measures)

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
        kept = rows.filter(self.rows_of(chosen)(rows))
        moment = kept[chosen.date_column]
        return kept.select(patient_id=kept.patient_id.cast("int64"), moment=moment,
                           day=_day(moment))

    # ------------------------------------------------------------------------------ row filters

    def rows_of(self, chosen: Events) -> Callable[[ir.Table], ir.BooleanValue]:
        """A function giving, for a table of ``chosen.table``, which rows are chosen."""

        def condition(rows: ir.Table) -> ir.BooleanValue:
            parts = [self._filter(rows, chosen.table, f) for f in chosen.filters]
            # Every event set ends on as_of: later rows (booked appointments, a re-run at an
            # earlier as-of) are never seen.
            parts.append(self._window(rows[chosen.date_column], chosen.window or Window(None)))
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
                prefixed = _starts_with_any(code, codelist.icd10_prefixes)
                found.append(prefixed if system_name is None
                             else (rows[system_name] == "icd10") & prefixed)
        return functools.reduce(lambda a, b: a | b, found, ibis.literal(False))

    def condition_of(self, rows: ir.Table, chosen: Events) -> ir.StringValue:
        """The condition each row's code stands for (null if none): the codelist's condition
        column, else its title; the first codelist naming a code wins. SNOMED CT codes are
        looked up exactly (a simple CASE on the code), ICD-10 codes by their first 2 to 5
        characters without dots, longest listed prefix first."""
        code_name, system_name = CODED_COLUMNS[chosen.table]
        code = rows[code_name]
        by_snomed: dict[str, str] = {}
        by_prefix: dict[str, str] = {}
        names = [name for f in chosen.filters if isinstance(f, InCodelist) for name in f.codelists]
        for codelist in map(codelists.load, names):
            for condition, (snomed, icd10) in codelist.by_condition().items():
                for listed in snomed:
                    by_snomed.setdefault(listed, condition)
                for prefix in icd10:
                    by_prefix.setdefault(prefix, condition)
        plain = code.replace(".", "").upper()
        icd10 = ibis.null("string")
        for length in sorted({len(p) for p in by_prefix}, reverse=True):
            pairs = [(p, c) for p, c in sorted(by_prefix.items()) if len(p) == length]
            icd10 = icd10.coalesce(plain.left(length).cases(*pairs, else_=ibis.null("string")))
        if system_name is None:
            return icd10
        snomed = code.cases(*sorted(by_snomed.items()), else_=ibis.null("string")) \
            if by_snomed else ibis.null("string")
        system = rows[system_name]
        return ibis.cases((system == "snomed", snomed), (system == "icd10", icd10),
                          else_=ibis.null("string"))

    def _window(self, column: ir.Value, window: Window) -> ir.BooleanValue:
        """Dates in the window; timestamps by the calendar date they fall on."""
        first, last = window.bounds(self.as_of)
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
        def leaf(found: Criterion, positive: bool) -> ir.BooleanValue:
            if leaf_column and found in leaf_column:
                return wide[leaf_column[found]]
            return self.leaf(found, wide)

        return criterion.fold(leaf, operator.invert)

    def events_bound(self, criterion: Criterion, events: ir.Table) -> ir.BooleanValue:
        """A condition on the table of people with events (see :meth:`wide`) that holds for
        everyone meeting ``criterion``: its patient leaves (age, practice...) are taken as
        true where that widens the result and false under a Not."""
        def leaf(found: Criterion, positive: bool) -> ir.BooleanValue:
            if isinstance(found, PATIENT_LEAVES):
                return ibis.literal(positive)
            return self.leaf(found, events)

        return criterion.fold(leaf, operator.invert)

    def leaf(self, criterion: Criterion, wide: ir.Table) -> ir.BooleanValue:
        """A leaf criterion as a boolean that is never null."""
        if isinstance(criterion, Compare):
            value = OPERATORS[criterion.op](wide[self.columns[criterion.feature]], criterion.value)
        elif isinstance(criterion, Has):
            value = wide[self.columns[criterion.feature]].notnull()
        elif isinstance(criterion, Aged):
            value = ibis.literal(True)
            if criterion.low is not None:
                value = value & (wide.birth_date <= ibis.date(self.born_by(criterion.low)))
            if criterion.high is not None:
                value = value & (wide.birth_date > ibis.date(self.born_by(criterion.high + 1)))
        elif isinstance(criterion, PatientIn):
            column = wide[criterion.column]
            value = column.isin(criterion.values)
            if criterion.negate:
                value = column.notnull() & ~value
        else:
            raise TypeError(f"Not a leaf criterion: {criterion!r}")
        return value.fill_null(False)


def _starts_with_any(code: ir.StringValue, prefixes) -> ir.BooleanValue:
    """Whether ``code`` without dots, upper case, starts with one of ``prefixes`` (given without
    dots): one ``IN`` list per prefix length, far cheaper than a ``LIKE`` per prefix."""
    plain = code.replace(".", "").upper()
    by_length: dict[int, list[str]] = {}
    for prefix in sorted(set(prefixes)):
        by_length.setdefault(len(prefix), []).append(prefix)
    return functools.reduce(operator.or_, [plain.left(length).isin(found)
                                           for length, found in sorted(by_length.items())])


def _day(moment: ir.Value) -> ir.DateValue:
    """The calendar date of a date or timestamp column."""
    return moment.date() if moment.type().is_timestamp() else moment
