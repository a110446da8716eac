"""Run charts for Plan-Do-Study-Act: the median line and the standard run-chart rules.

Pure Python, no Django. The rules are those of the NHS "Making data count" run chart guidance
and Perla, Provost and Murray, "The run chart: a simple analytical tool for learning from
variation in healthcare processes" (BMJ Qual Saf 2011; 20: 46-51):

- **Shift**: 6 or more consecutive points all above, or all below, the median. Points on the
  median neither break nor add to a shift.
- **Trend**: 5 or more consecutive points all going up, or all going down. A point equal to
  the one before neither breaks nor adds to a trend.
- **Runs**: a run is a series of points on the same side of the median (points on the median
  are left out). Too few or too many runs, against the two-sided 5% limits of the Swed and
  Eisenhart runs test (computed exactly here, from the number of points off the median,
  split as evenly as a median splits them), signal a non-random pattern. The exact limits
  equal Perla's table where the points split evenly and may differ from it by one run at
  some odd counts.
- **Astronomical point**: a point obviously different from the rest. On a run chart this is a
  judgement; here a point is flagged when it lies more than three times the median moving range
  divided by 0.954 (the XmR chart's 3-sigma distance from the mean, robust to outliers) from the
  median. This is a screening aid, stated as such in the words returned.

The rules need at least :data:`MIN_POINTS` useful points; with fewer, :func:`run_chart` returns
no signals and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median

SHIFT_LENGTH = 6
TREND_LENGTH = 5
MIN_POINTS = 10
"""Fewer useful points than this and the rules are not applied (the runs test needs 10+)."""
_MEDIAN_MOVING_RANGE_SIGMA = 0.954
"""Median moving range / sigma for consecutive points from a normal distribution."""


@dataclass(frozen=True)
class Signal:
    """One rule broken: ``rule`` names it; ``indexes`` are the points involved (0-based)."""

    rule: str
    indexes: tuple[int, ...]
    words: str


@dataclass(frozen=True)
class RunChart:
    values: tuple[float, ...]
    median: float | None
    runs: int
    runs_limits: tuple[int, int] | None
    signals: tuple[Signal, ...]
    note: str


def run_chart(values, labels=None) -> RunChart:
    """The median and the rules broken by ``values`` (in time order). ``labels`` (optional,
    same length) name the points in the words, e.g. months; else points are numbered from 1.

    Raises ValueError naming the position of a value that is not a finite number.
    """
    values = tuple(values)
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
                value):
            raise ValueError(f"Run chart point {i + 1} must be a finite number, not {value!r}")
    labels = [str(label) for label in labels] if labels is not None else [
        f"point {i + 1}" for i in range(len(values))]
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels given for {len(values)} run chart points")
    if not values:
        return RunChart((), None, 0, None, (), "No points to chart.")
    centre = median(values)
    sides = [_side(v, centre) for v in values]
    useful = sum(1 for s in sides if s)
    runs = _count_runs(sides)
    if useful < MIN_POINTS:
        return RunChart(values, centre, runs, None, (),
                        f"Only {useful} points off the median: at least {MIN_POINTS} are needed "
                        "before the run chart rules are applied.")
    limits = runs_limits(useful)
    signals = [*_shifts(sides, labels), *_trends(values, labels)]
    if runs < limits[0]:
        signals.append(Signal("too few runs", (), f"Too few runs: {runs} runs where at least "
                              f"{limits[0]} are expected by chance for {useful} points, a sign "
                              "of a lasting change."))
    if runs > limits[1]:
        signals.append(Signal("too many runs", (), f"Too many runs: {runs} runs where at most "
                              f"{limits[1]} are expected by chance for {useful} points, a sign "
                              "of alternating or mixed data."))
    signals += _astronomical(values, centre, labels)
    note = ("No signal of non-random variation." if not signals
            else f"{len(signals)} signal{'s' if len(signals) != 1 else ''} of non-random "
                 "variation.")
    return RunChart(values, centre, runs, limits, tuple(signals), note)


def _side(value: float, centre: float) -> int:
    return (value > centre) - (value < centre)


def _count_runs(sides: list[int]) -> int:
    off = [s for s in sides if s]
    return sum(1 for i, s in enumerate(off) if i == 0 or s != off[i - 1])


def _shifts(sides: list[int], labels: list[str]) -> list[Signal]:
    signals, current, side = [], [], 0
    for i, s in enumerate([*sides, None]):
        if s == 0:
            continue
        if s == side:
            current.append(i)
            continue
        if len(current) >= SHIFT_LENGTH:
            where = "above" if side > 0 else "below"
            signals.append(Signal("shift", tuple(current), (
                f"Shift: {len(current)} points in a row {where} the median, from "
                f"{labels[current[0]]} to {labels[current[-1]]}.")))
        current, side = [i], s
    return signals


def _trends(values: tuple, labels: list[str]) -> list[Signal]:
    groups: list[list[int]] = []  # consecutive equal values: one step of a trend
    for i, value in enumerate(values):
        if groups and values[groups[-1][0]] == value:
            groups[-1].append(i)
        else:
            groups.append([i])
    signals, start, direction = [], 0, 0

    def close(end: int) -> None:
        if end - start + 1 >= TREND_LENGTH:
            indexes = tuple(i for group in groups[start:end + 1] for i in group)
            way = "up" if direction > 0 else "down"
            signals.append(Signal("trend", indexes, (
                f"Trend: {end - start + 1} points in a row going {way}, from "
                f"{labels[indexes[0]]} to {labels[indexes[-1]]}.")))

    for j in range(1, len(groups)):
        step = _side(values[groups[j][0]], values[groups[j - 1][0]])
        if direction in (0, step):
            direction = step
            continue
        close(j - 1)
        start, direction = j - 1, step
    close(len(groups) - 1)
    return signals


def _astronomical(values: tuple, centre: float, labels: list[str]) -> list[Signal]:
    moving = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    sigma = median(moving) / _MEDIAN_MOVING_RANGE_SIGMA if moving else 0
    if sigma == 0:
        return []
    return [Signal("astronomical point", (i,), (
        f"Astronomical point: {labels[i]} is far from the rest (more than 3 sigma from the "
        "median, sigma estimated from the median moving range); check whether it is real."))
        for i, v in enumerate(values) if abs(v - centre) > 3 * sigma]


def runs_limits(n: int, alpha: float = 0.05) -> tuple[int, int]:
    """The fewest and most runs expected by chance among ``n`` points off the median, as the
    two-sided ``alpha`` limits of the exact Swed-Eisenhart distribution with the points split
    as evenly as possible above and below (as a median splits them)."""
    if n < 2:
        raise ValueError(f"The runs test needs at least 2 points off the median, not {n}")
    above, below = (n + 1) // 2, n // 2
    probabilities = {r: _runs_probability(r, above, below) for r in range(2, n + 1)}
    low, cumulative = 2, 0.0
    for r in sorted(probabilities):
        if cumulative + probabilities[r] > alpha / 2:
            low = r
            break
        cumulative += probabilities[r]
    high, cumulative = n, 0.0
    for r in sorted(probabilities, reverse=True):
        if cumulative + probabilities[r] > alpha / 2:
            high = r
            break
        cumulative += probabilities[r]
    return low, high


def _runs_probability(runs: int, m: int, n: int) -> float:
    total = math.comb(m + n, m)
    if runs % 2 == 0:
        k = runs // 2
        ways = 2 * math.comb(m - 1, k - 1) * math.comb(n - 1, k - 1)
    else:
        k = (runs - 1) // 2
        ways = (math.comb(m - 1, k) * math.comb(n - 1, k - 1)
                + math.comb(m - 1, k - 1) * math.comb(n - 1, k))
    return ways / total
