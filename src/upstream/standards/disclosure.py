"""Statistical disclosure control: the one rule for every aggregate Upstream publishes.

Insights pages, their charts and alt text, exports and case-finding summaries all pass their
counts through a :class:`Release`: the set of figures published *together* (on one page, in one
file), described as sums over the same underlying counts, so that the protection holds against
someone who reads every figure of the release at once and knows this rule
(docs/adr/0006-disclosure-control.md).

The rule, for each published figure (a count, or a total of counts):

1. **Zero is shown** as ``0``.
2. **1 to 9 is suppressed** (*primary*), shown as ``<10``.
3. **10 or more is rounded** to the nearest 5 (13 -> 15, 12 -> 10), totals independently of
   their parts.
4. **No suppressed figure may be worked out exactly.** The release is attacked as an attacker
   would: for every suppressed figure the smallest and largest values consistent with everything
   published (each shown figure within 2 of its rounded value and 10 or more, each ``<10`` from 1
   to 9, each ``[c]`` 10 or more, zeros exactly 0, and the known relations between figures) are
   found by integer programming. While any suppressed figure has only one possible value, a
   further figure is suppressed (*secondary*), shown as ``[c]``: the smallest shown figure whose
   suppression frees it (ties to the one declared first), or failing that the smallest shown
   figure over the same counts. Secondary figures are always 10 or more.

Step 4 looks only at what is published (rounded values and the structure of the release), never
at the true counts, so the choice of secondary figures tells an attacker nothing more. The same
figure key always has the same published value, however many tables print it.

Pure Python (scipy for the integer programming); no Django, so case finding can use it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

THRESHOLD = 10
"""Counts from 1 to ``THRESHOLD - 1`` are suppressed."""
ROUND_TO = 5
"""Shown counts are rounded to the nearest multiple of this."""
SMALL = f"<{THRESHOLD}"
"""How a primary suppressed figure (1 to 9) is shown."""
COMPLEMENT = "[c]"
"""How a secondary suppressed figure (10 or more, hidden to protect another) is shown."""
NOT_SHOWN = "Not shown"

_HALF = ROUND_TO // 2
_CEILING = 10**9
"""An upper bound on any count, so that every bound the attack asks for is finite."""


@dataclass(frozen=True)
class Figure:
    """A figure as it may be published: ``value`` is None when suppressed."""

    value: int | None
    display: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


def rounded(count: int) -> int:
    """``count`` to the nearest multiple of :data:`ROUND_TO` (no ties arise for whole numbers)."""
    return (count + _HALF) // ROUND_TO * ROUND_TO


def base_figure(count: int) -> Figure:
    """Steps 1-3 of the rule for one figure on its own (no secondary suppression)."""
    if count == 0:
        return Figure(0, "0")
    if count < THRESHOLD:
        return Figure(None, SMALL)
    value = rounded(count)
    return Figure(value, f"{value:,}")


def percent(part: Figure, whole: Figure) -> str:
    """``part`` as a whole-number percentage of ``whole``, from published values only; ``""``
    when either is suppressed or ``whole`` is 0."""
    if part.suppressed or whole.suppressed or not whole.value:
        return ""
    return f"{100 * part.value / whole.value:.0f}%"


def enough_for_a_summary(n: int) -> bool:
    """Whether a summary statistic (a median, say) over ``n`` values may be shown."""
    return n >= THRESHOLD


def _check_count(key: Hashable, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"Count {key!r} must be a whole number of 0 or more, not {n!r}")
    return int(n)


@dataclass
class Release:
    """Figures published together, as sums over underlying counts.

    - :meth:`count` adds an underlying count (published as a figure of its own unless
      ``shown=False``).
    - :meth:`total` adds a published figure that is the sum of some counts.
    - :meth:`relate` records a relation an attacker would know between sums of counts, for
      counts of different breakdowns of the same people: ``relate(by_sex, "==", by_age)``.
    - :meth:`protect` applies the rule and returns ``{figure key: Figure}``.

    Keys are any hashable values; a key names one figure however often it is printed.
    """

    _counts: dict[Hashable, int] = field(default_factory=dict)
    _figures: dict[Hashable, frozenset] = field(default_factory=dict)
    _relations: list[tuple[frozenset, str, frozenset]] = field(default_factory=list)

    def count(self, key: Hashable, n: int, *, shown: bool = True) -> None:
        """Add the underlying count ``key`` with value ``n`` (a whole number of 0 or more)."""
        if key in self._counts or key in self._figures:
            raise ValueError(f"Figure {key!r} is already in this release")
        self._counts[key] = _check_count(key, n)
        if shown:
            self._figures[key] = frozenset([key])

    def total(self, key: Hashable, parts: Iterable[Hashable]) -> None:
        """Add the published figure ``key``: the sum of the counts ``parts``."""
        if key in self._figures or key in self._counts:
            raise ValueError(f"Figure {key!r} is already in this release")
        self._figures[key] = self._parts(key, parts)

    def relate(self, left: Iterable[Hashable], op: Literal["==", "<=", ">="],
               right: Iterable[Hashable]) -> None:
        """Record that the sum of the counts ``left`` is ``op`` the sum of ``right``."""
        if op not in ("==", "<=", ">="):
            raise ValueError(f"A relation is '==', '<=' or '>=', not {op!r}")
        left, right = self._parts("relation", left), self._parts("relation", right)
        a, b = (sum(self._counts[p] for p in side) for side in (left, right))
        if not {"==": a == b, "<=": a <= b, ">=": a >= b}[op]:
            raise ValueError("The counts do not obey the relation declared: "
                             f"{sorted(map(repr, left))} {op} {sorted(map(repr, right))}")
        self._relations.append((left, op, right))

    def _parts(self, key: Hashable, parts: Iterable[Hashable]) -> frozenset:
        parts = frozenset(parts)
        unknown = [p for p in parts if p not in self._counts]
        if unknown:
            raise ValueError(f"{key!r} adds up {unknown[0]!r}, which is not a count in this "
                             "release (add counts before their totals)")
        return parts

    def value(self, key: Hashable) -> int:
        """The true value of figure ``key`` (never publish this)."""
        return sum(self._counts[p] for p in self._figures[key])

    def protect(self) -> dict[Hashable, Figure]:
        """Apply the rule to every figure of the release (see the module docstring)."""
        # Figures over the same counts are one figure: they must be shown, or hidden, together.
        classes: dict[frozenset, list[Hashable]] = {}
        for key, parts in self._figures.items():
            classes.setdefault(parts, []).append(key)
        published = {parts: base_figure(self.value(keys[0])) for parts, keys in classes.items()}
        attack = _Attack(self._counts, list(classes), self._relations)
        safe: set[frozenset] = set()  # suppressing more never pins a figure again
        while True:
            pinned = None
            for parts, figure in published.items():
                if figure.suppressed and parts not in safe:
                    if attack.pinned(parts, published):
                        pinned = parts
                        break
                    safe.add(parts)
            if pinned is None:
                break
            published[_complement(pinned, published, attack)] = Figure(None, COMPLEMENT)
        return {key: published[parts] for parts, keys in classes.items() for key in keys}


def _complement(pinned: frozenset, published: dict[frozenset, Figure],
                attack: _Attack) -> frozenset:
    """The shown figure to suppress so that ``pinned`` is no longer exactly known: the smallest
    (then the first declared) whose suppression frees it, else the smallest linked to it.
    Decided from published values only."""
    linked = attack.linked(pinned)
    candidates = sorted(
        (parts for parts, figure in published.items()
         if not figure.suppressed and figure.value and parts & linked),
        key=lambda parts: published[parts].value)  # stable: declaration order breaks ties
    if not candidates:
        raise RuntimeError("A suppressed figure cannot be protected: every figure over its "
                           "counts is already suppressed or zero")
    for parts in candidates:
        trial = {**published, parts: Figure(None, COMPLEMENT)}
        if not attack.pinned(pinned, trial):
            return parts
    return candidates[0]


class _Attack:
    """Integer bounds on a figure given everything published (the attacker of rule step 4).

    Only the counts linked to the figure (through figures and relations) are modelled: nothing
    else constrains it. Knowing the figure's true value, one bound usually settles whether it
    is pinned; the answer is the same as comparing both bounds, so it depends on the published
    figures only.
    """

    def __init__(self, counts: dict[Hashable, int], figures: list[frozenset],
                 relations: list[tuple[frozenset, str, frozenset]]):
        self.counts = counts
        self.relations = relations
        self.groups = figures + [left | right for left, _, right in relations]

    def linked(self, parts: frozenset) -> frozenset:
        """``parts`` and every count tied to them through figures and relations."""
        linked = set(parts)
        changed = True
        while changed:
            changed = False
            for group in self.groups:
                if group & linked and not group <= linked:
                    linked |= group
                    changed = True
        return frozenset(linked)

    def _constraints(self, index: dict, published: dict[frozenset, Figure]) -> LinearConstraint:
        rows, low, high = [], [], []
        for parts, figure in published.items():
            if not parts <= index.keys():
                continue
            rows.append(_row(index, parts))
            if figure.display == SMALL:
                low.append(1), high.append(THRESHOLD - 1)
            elif figure.display == COMPLEMENT:
                low.append(THRESHOLD), high.append(np.inf)
            elif figure.value == 0:
                low.append(0), high.append(0)
            else:
                low.append(max(THRESHOLD, figure.value - _HALF)), high.append(
                    figure.value + _HALF)
        for left, op, right in self.relations:
            if left | right <= index.keys():
                rows.append(_row(index, left) - _row(index, right))
                low.append(0 if op in ("==", ">=") else -np.inf)
                high.append(0 if op in ("==", "<=") else np.inf)
        return LinearConstraint(np.array(rows), low, high)

    def pinned(self, parts: frozenset, published: dict[frozenset, Figure]) -> bool:
        """Whether the figure over ``parts`` has exactly one value consistent with
        ``published``."""
        index = {key: i for i, key in enumerate(sorted(self.linked(parts), key=repr))}
        constraints = self._constraints(index, published)
        objective = _row(index, parts)
        value = sum(self.counts[p] for p in parts)
        for sense in (-1, 1):  # the largest possible value, then the smallest
            result = milp(sense * objective, constraints=constraints,
                          integrality=np.ones(len(index)), bounds=Bounds(0, _CEILING))
            if result.status != 0:
                raise RuntimeError(f"The disclosure check could not be solved: {result.message}")
            if round(sense * result.fun) != value:
                return False
        return True


def _row(index: dict, parts: Iterable[Hashable]) -> np.ndarray:
    row = np.zeros(len(index))
    for part in parts:
        row[index[part]] += 1
    return row
