"""The cohort model: a small typed vocabulary of criteria that reads like epidemiology.

::

    ed = events("ed_attendances").in_last(days=365)
    population = aged(18) & ((ed.count() > 15) | ed.k_within(6, days=30))

Everything here is plain, hashable data; :mod:`upstream.casefinding.compiler` turns it into Ibis
expressions and :mod:`upstream.casefinding.reasons` into the words explaining why a person was
found. Semantics shared by every engine (and by the synthetic world's planted truth):

- Everyone who died on or before ``as_of`` is excluded; age is whole years at ``as_of``.
- Events dated after ``as_of`` are never seen: every event set ends on ``as_of`` (so a past
  as-of reproduces, and booked future appointments in an extract do no harm).
- ``in_last(days=N)`` keeps events dated in ``(as_of - N days, as_of]``; ``in_last(months=N)``
  keeps ``(as_of - N calendar months, as_of]`` (12 months to 29 February 2024 start on
  1 March 2023; a month back from 31 March is 28/29 February). For timestamps the date is the
  calendar date of the timestamp. ``days_ago(a, b)`` keeps ``[as_of - a, as_of - b]`` (both
  ends included); ``by_as_of()`` keeps everything dated on or before ``as_of``.
- ``k_within(k, days=D)``: some k consecutive events (in time order) whose first and last
  dates are less than D days apart, i.e. ``date_i - date_(i-k+1) < D`` (the portable form of a
  rolling-window count, needing only ``lag``).
- ``followed_by(other, within_days=D)``: an event with an ``other`` event dated from 0 to D
  days after it (both ends included); ``not_followed_by`` is an event without one.
- Codelists: SNOMED CT codes match exactly, ICD-10 codes by prefix ignoring dots. Each code
  stands for a *condition* (its codelist's ``condition`` column, else the codelist's title), and
  ``count_conditions()`` counts distinct conditions, so a GP's SNOMED CT code and a hospital's
  ICD-10 code for one disease, or type 1 and type 2 diabetes codes, are one condition.

The model refuses Python's traps, as ehrQL's does: ``bool()`` of a criterion or a feature
raises :class:`TypeError` (so ``aged(18) and ed.count() > 15``, ``not criterion`` and the chained
``5 < ed.count() < 10`` fail instead of quietly dropping a part); ``==`` and ``!=`` between a
feature and a number build a criterion; column names given to ``where()`` and
``count_distinct()`` are checked against the data contract (:mod:`upstream.data.schema`) as the
expression is built.
"""

from __future__ import annotations

import difflib
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from upstream.data.schema import EVENT_TABLES, TABLES

T = TypeVar("T")

CODED_COLUMNS: dict[str, tuple[str, str | None]] = {
    "conditions": ("code", "code_system"),
    "admissions": ("primary_diagnosis", None),
}
"""Where codelists look: the code column and its system column (None: always ICD-10)."""

CONDITION = "condition"
"""The ``distinct`` of :meth:`Events.count_conditions`: the condition each code stands for."""

PATIENT_COLUMNS = ("sex", "ethnic_category", "lsoa_code", "imd_decile", "practice_code")


class ModelError(ValueError):
    """A criterion or event set that cannot be built (unknown table, column or operator)."""


BOOLEAN_HINT = (
    "combine criteria with & (and), | (or) and ~ (not) instead of Python's 'and', 'or' and "
    "'not', and write a range as two comparisons, (x > 5) & (x < 10), not 5 < x < 10"
)


def _no_truth_value(kind: str):
    def __bool__(self):
        raise TypeError(f"A {kind} has no true/false value in Python: {BOOLEAN_HINT}")
    return __bool__


def check_column(table: str, column: str) -> None:
    """:class:`ModelError` unless ``column`` is a column of contract table ``table``; the message
    names the table, the column and the closest column names."""
    known = TABLES[table].columns
    if column not in known:
        close = difflib.get_close_matches(column, list(known), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ModelError(f"{table} has no column '{column}'{hint} "
                         f"(columns: {', '.join(known)})")


# ------------------------------------------------------------------------------------ windows


@dataclass(frozen=True)
class Window:
    """Dates from ``as_of - start_days`` (or ``as_of - start_months`` calendar months) to
    ``as_of - end_days``; the end is always included, the start only when ``include_start``;
    with neither start there is no lower bound."""

    start_days: int | None
    end_days: int = 0
    include_start: bool = False
    start_months: int | None = None

    def bounds(self, as_of: date) -> tuple[date | None, date]:
        """The first and last dates in the window at ``as_of`` (first None: unbounded)."""
        last = as_of - timedelta(days=self.end_days)
        if self.start_months is not None:
            first = as_of - relativedelta(months=self.start_months)
        elif self.start_days is not None:
            first = as_of - timedelta(days=self.start_days)
        else:
            return None, last
        return (first if self.include_start else first + timedelta(days=1)), last


# ------------------------------------------------------------------------------------ filters


@dataclass(frozen=True)
class ColumnIn:
    """Rows whose ``column`` is one of ``values``."""

    column: str
    values: tuple


@dataclass(frozen=True)
class InCodelist:
    """Rows whose code is in any of the named codelists."""

    codelists: tuple[str, ...]


Filter = ColumnIn | InCodelist


# ------------------------------------------------------------------------------------ events


@dataclass(frozen=True)
class Events:
    """A set of rows of one event table: filters and a date window, plus a noun for reasons."""

    table: str
    label: str
    filters: tuple[Filter, ...] = ()
    window: Window | None = None
    plural: str = ""

    @property
    def date_column(self) -> str:
        return EVENT_TABLES[self.table][0]

    @property
    def nouns(self) -> str:
        return self.plural or f"{self.label}s"

    def where(self, **columns) -> Events:
        """Keep rows whose columns equal a value or are in a list of values. :class:`ModelError`
        names a column the table does not have in the data contract, or a value the contract
        does not allow in it."""
        extra = []
        for name, value in columns.items():
            check_column(self.table, name)
            values = (tuple(value) if isinstance(value, (list, tuple, set, frozenset))
                      else (value,))
            allowed = TABLES[self.table].columns[name].allowed
            if allowed is not None and (wrong := [v for v in values if v not in allowed]):
                raise ModelError(
                    f"{self.table}.{name} cannot be {', '.join(map(repr, wrong))}; "
                    f"the data contract allows {', '.join(map(repr, allowed))}")
            extra.append(ColumnIn(name, values))
        return replace(self, filters=self.filters + tuple(extra))

    def coded(self, *codelists: str) -> Events:
        """Keep rows whose code is in one of the named codelists."""
        if self.table not in CODED_COLUMNS:
            raise ModelError(f"{self.table} has no code column to match codelists against")
        return replace(self, filters=self.filters + (InCodelist(tuple(codelists)),))

    def in_last(self, days: int | None = None, months: int | None = None) -> Events:
        """Keep events dated in ``(as_of - days, as_of]`` or ``(as_of - months, as_of]`` in
        calendar months (give one of them)."""
        if (days is None) == (months is None):
            raise ModelError("in_last: give days or months, not both or neither")
        if months is not None:
            return replace(self, window=Window(None, start_months=months))
        return replace(self, window=Window(days))

    def days_ago(self, start: int, end: int) -> Events:
        """Keep events dated in ``[as_of - start days, as_of - end days]``."""
        if start < end:
            raise ModelError(f"days_ago({start}, {end}): the start must be further back")
        return replace(self, window=Window(start, end, include_start=True))

    def by_as_of(self) -> Events:
        """Keep events dated on or before ``as_of``."""
        return replace(self, window=Window(None))

    def count(self) -> Count:
        return Count(self)

    def count_distinct(self, column: str) -> Count:
        check_column(self.table, column)
        return Count(self, distinct=column)

    def count_conditions(self) -> Count:
        """How many distinct conditions the person's coded events stand for (see the module
        docstring); needs :meth:`coded`."""
        if not any(isinstance(f, InCodelist) for f in self.filters):
            raise ModelError("count_conditions() needs events chosen by codelist (coded())")
        return Count(self, distinct=CONDITION)

    def k_within(self, k: int, days: int) -> Has:
        return Has(KWithin(self, k, days))

    def followed_by(self, then: Events, within_days: int) -> Has:
        return Has(FollowUp(self, then, within_days, present=True))

    def not_followed_by(self, then: Events, within_days: int) -> Has:
        return Has(FollowUp(self, then, within_days, present=False))


def events(table: str, label: str = "", plural: str = "") -> Events:
    """All rows of contract event table ``table``."""
    if table not in EVENT_TABLES:
        raise ModelError(f"No event table '{table}'; tables: {', '.join(EVENT_TABLES)}")
    return Events(table, label or EVENT_TABLES[table][1], plural=plural)


# ------------------------------------------------------------------------------------ features


class Feature:
    """A value per person (count, ratio, date); comparing one with a number (``>``, ``>=``,
    ``<``, ``<=``, ``==``, ``!=``) gives a :class:`Criterion`.

    Two features compare equal (``==``) when they are the same feature, so they can key
    dictionaries; a feature has no true/false value (``bool()`` raises :class:`TypeError`).
    Subclasses are dataclasses declared with ``eq=False`` so these rules are not replaced.
    """

    __bool__ = _no_truth_value("feature")

    def _key(self) -> tuple:
        return (type(self), *(getattr(self, f.name) for f in fields(self) if f.compare))

    def __hash__(self) -> int:
        return hash(self._key())

    def __eq__(self, other):
        if isinstance(other, Feature):
            return self._key() == other._key()
        return self._compare("==", other)

    def __ne__(self, other):
        if isinstance(other, Feature):
            return self._key() != other._key()
        return self._compare("!=", other)

    def _compare(self, op: str, value) -> Compare:
        if isinstance(value, Feature | Criterion):
            raise TypeError(f"Compare a feature with a number, not with {type(value).__name__}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"Compare a feature with a number, not {value!r}")
        return Compare(self, op, value)

    def __gt__(self, value):
        return self._compare(">", value)

    def __ge__(self, value):
        return self._compare(">=", value)

    def __lt__(self, value):
        return self._compare("<", value)

    def __le__(self, value):
        return self._compare("<=", value)

    def __truediv__(self, other: Count) -> Ratio:
        return Ratio(self, other)


@dataclass(frozen=True, eq=False)
class Count(Feature):
    """How many events (or distinct values of ``distinct``) a person has."""

    events: Events
    distinct: str | None = None



@dataclass(frozen=True, eq=False)
class Ratio(Feature):
    """numerator / denominator, as a fraction; empty when the denominator is 0."""

    numerator: Count
    denominator: Count
    name: str = "rate"



@dataclass(frozen=True, eq=False)
class KWithin(Feature):
    """The latest date ending ``k`` events within fewer than ``days`` days (empty if none)."""

    events: Events
    k: int
    days: int


@dataclass(frozen=True, eq=False)
class FollowUp(Feature):
    """The latest ``index`` event date with (``present``) or without a ``then`` event from 0
    to ``within_days`` days after it; empty if none. Its companion value is the latest such
    follow-up date (when ``present``)."""

    index: Events
    then: Events
    within_days: int
    present: bool


# ------------------------------------------------------------------------------------ criteria


class Criterion:
    """A true/false property of a person; combine with ``&``, ``|`` and ``~``. A criterion has
    no true/false value in Python itself: ``bool()`` (hence ``and``, ``or``, ``not``, ``if`` and
    chained comparisons) raises :class:`TypeError`."""

    __bool__ = _no_truth_value("criterion")

    def __and__(self, other: Criterion) -> Criterion:
        return All((self, other))

    def __or__(self, other: Criterion) -> Criterion:
        return Any((self, other))

    def __invert__(self) -> Criterion:
        return Not(self)

    def leaves(self) -> list[Criterion]:
        """Every leaf criterion (no All/Any/Not)."""
        return [self]

    def reason_leaves(self) -> list[Criterion]:
        """Leaves that explain a match when true: all leaves not under a Not."""
        return [self]

    def fold(self, leaf: Callable[[Criterion, bool], T], negate: Callable[[T], T],
             positive: bool = True) -> T:
        """The criterion's value built from its leaves: ``leaf(criterion, positive)`` for each
        leaf (``positive`` is False under an odd number of Nots), combined with ``&``, ``|``
        and ``negate``. Works for Python booleans and Ibis boolean expressions alike."""
        return leaf(self, positive)

    def true_without_events(self) -> bool:
        """Whether this *event* leaf holds for a person with no events at all: a count
        comparison that 0 satisfies (e.g. fewer than 2 appointments); never a date feature."""
        return (isinstance(self, Compare) and isinstance(self.feature, Count)
                and OPERATORS[self.op](0, self.value))


OPERATORS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
             "==": operator.eq, "!=": operator.ne}


@dataclass(frozen=True)
class Compare(Criterion):
    """``feature op value``, e.g. ``ed.count() > 15``."""

    feature: Count | Ratio
    op: str
    value: int | float

    def __post_init__(self):
        if self.op not in OPERATORS:
            raise ModelError(f"Unknown comparison '{self.op}'; use one of {', '.join(OPERATORS)}")


@dataclass(frozen=True)
class Has(Criterion):
    """The person has a value of a date feature (k events within days, a follow-up...)."""

    feature: KWithin | FollowUp


@dataclass(frozen=True)
class Aged(Criterion):
    """Age in whole years at as_of from ``low`` to ``high`` (both included; None: unbounded)."""

    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class PatientIn(Criterion):
    """The person's ``column`` of the patients table is one of ``values``."""

    column: str
    values: tuple
    negate: bool = False

    def __post_init__(self):
        if self.column not in PATIENT_COLUMNS:
            raise ModelError(f"patients has no column '{self.column}' to select on; "
                             f"columns: {', '.join(PATIENT_COLUMNS)}")


@dataclass(frozen=True)
class All(Criterion):
    parts: tuple[Criterion, ...]

    def __and__(self, other: Criterion) -> Criterion:
        return All(self.parts + (other,))

    def leaves(self) -> list[Criterion]:
        return [leaf for part in self.parts for leaf in part.leaves()]

    def reason_leaves(self) -> list[Criterion]:
        return [leaf for part in self.parts for leaf in part.reason_leaves()]

    def fold(self, leaf, negate, positive=True):
        return functools.reduce(operator.and_, [p.fold(leaf, negate, positive) for p in self.parts])


@dataclass(frozen=True)
class Any(Criterion):
    parts: tuple[Criterion, ...]

    def __or__(self, other: Criterion) -> Criterion:
        return Any(self.parts + (other,))

    def leaves(self) -> list[Criterion]:
        return [leaf for part in self.parts for leaf in part.leaves()]

    def reason_leaves(self) -> list[Criterion]:
        return [leaf for part in self.parts for leaf in part.reason_leaves()]

    def fold(self, leaf, negate, positive=True):
        return functools.reduce(operator.or_, [p.fold(leaf, negate, positive) for p in self.parts])


@dataclass(frozen=True)
class Not(Criterion):
    part: Criterion

    def leaves(self) -> list[Criterion]:
        return self.part.leaves()

    def reason_leaves(self) -> list[Criterion]:
        return []

    def fold(self, leaf, negate, positive=True):
        return negate(self.part.fold(leaf, negate, not positive))


PATIENT_LEAVES = (Aged, PatientIn)
"""Leaf criteria about the patients table rather than events."""


def aged(low: int | None = None, high: int | None = None) -> Aged:
    """Aged ``low`` to ``high`` whole years at as_of, both included."""
    return Aged(low, high)


def practice_in(*codes: str) -> PatientIn:
    """Registered at one of these GP practices (ODS codes)."""
    return PatientIn("practice_code", tuple(codes))


def patient_in(column: str, values) -> PatientIn:
    """The patients table's ``column`` is one of ``values``."""
    return PatientIn(column, tuple(values))


def patient_not_in(column: str, values) -> PatientIn:
    """The patients table's ``column`` is filled and not one of ``values``."""
    return PatientIn(column, tuple(values), negate=True)


# ------------------------------------------------------------------------------------ cohorts


@dataclass(frozen=True, eq=False)
class Cohort:
    """A named population with its rank key (``score``: a feature, or a constant), the top N
    the worklist keeps (None: everyone) and the parameter values it was built with. Cohorts
    are equal only to themselves (a feature compared with a number builds a criterion)."""

    name: str
    population: Criterion
    score: Count | Ratio | float = 1.0
    top_n: int | None = None
    parameters: dict = field(default_factory=dict, compare=False, hash=False)

    def features(self) -> list[Feature]:
        """Every feature the cohort needs (population leaves and score), without repeats."""
        found: list[Feature] = []
        for leaf in self.population.leaves():
            feature = getattr(leaf, "feature", None)
            if feature is not None:
                found.append(feature)
        if isinstance(self.score, Feature):
            found.append(self.score)
        return list(dict.fromkeys(found))

    def tables(self) -> list[str]:
        """The contract event tables the cohort reads, in the order first needed."""
        needed: list[str] = []
        for feature in self.features():
            parts = [feature.numerator, feature.denominator] if isinstance(feature, Ratio) \
                else [feature]
            for part in parts:
                if isinstance(part, FollowUp):
                    needed += [part.index.table, part.then.table]
                else:
                    needed.append(part.events.table)
        return list(dict.fromkeys(needed))
