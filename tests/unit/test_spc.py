"""Run chart rules on known series (upstream.evaluation.spc)."""

import itertools
from collections import Counter

import pytest

from upstream.evaluation import spc


def _runs_limits_by_enumeration(n):
    """Every arrangement of the points above and below the median, counted by brute force."""
    above = (n + 1) // 2
    counts = Counter()
    for positions in itertools.combinations(range(n), above):
        sides = [i in positions for i in range(n)]
        counts[1 + sum(a != b for a, b in zip(sides, sides[1:], strict=False))] += 1
    total = sum(counts.values())
    low = next(r for r in sorted(counts)
               if sum(c for k, c in counts.items() if k <= r) / total > 0.025)
    high = next(r for r in sorted(counts, reverse=True)
                if sum(c for k, c in counts.items() if k >= r) / total > 0.025)
    return low, high


@pytest.mark.parametrize("n", range(10, 19))
def test_runs_limits_are_the_exact_swed_eisenhart_limits(n):
    assert spc.runs_limits(n) == _runs_limits_by_enumeration(n)


def test_runs_limits_agree_with_the_published_table_where_splits_are_even():
    # Perla, Provost and Murray (BMJ Qual Saf 2011), table 1
    assert [spc.runs_limits(n) for n in (10, 14, 16, 18)] == [(3, 9), (4, 12), (5, 13), (6, 14)]


def rules(chart):
    return [s.rule for s in chart.signals]


def test_random_looking_series_has_no_signal():
    chart = spc.run_chart([5, 7, 4, 8, 8, 3, 2, 5, 8, 4, 6, 7, 3, 9])
    assert chart.median == 5.5
    assert chart.runs == 10
    assert chart.signals == ()
    assert chart.note == "No signal of non-random variation."


def test_shift_of_six_below_then_above_the_median():
    values = [3, 2, 3, 1, 2, 3, 9, 8, 9, 7, 8, 9]
    chart = spc.run_chart(values, labels=[f"m{i}" for i in range(12)])
    assert chart.median == 5.0
    shifts = [s for s in chart.signals if s.rule == "shift"]
    assert [s.indexes for s in shifts] == [(0, 1, 2, 3, 4, 5), (6, 7, 8, 9, 10, 11)]
    assert shifts[0].words == "Shift: 6 points in a row below the median, from m0 to m5."
    assert "too few runs" in rules(chart)  # 2 runs where at least 3 are expected for 12


def test_points_on_the_median_neither_break_nor_add_to_a_shift():
    # median 5; five points above, one on the median, one more above: 6 above in a row
    values = [6, 7, 6, 8, 7, 5, 6, 1, 2, 5, 3, 2, 1, 5, 4]
    chart = spc.run_chart(values)
    shift = next(s for s in chart.signals if s.rule == "shift")
    assert shift.indexes == (0, 1, 2, 3, 4, 6)


def test_five_points_short_of_a_shift_is_no_shift():
    values = [6, 7, 6, 8, 7, 1, 2, 3, 1, 2, 6, 7, 2, 8]
    assert spc.run_chart(values).runs_limits is not None
    assert "shift" not in rules(spc.run_chart(values))


def test_trend_of_five_rising_with_a_repeat_that_does_not_count():
    values = [5, 3, 6, 2, 4, 1, 2, 3, 3, 4, 5, 1, 6, 2]
    chart = spc.run_chart(values)
    trends = [s for s in chart.signals if s.rule == "trend"]
    assert len(trends) == 1
    assert trends[0].indexes == (5, 6, 7, 8, 9, 10)
    assert trends[0].words.startswith("Trend: 5 points in a row going up")


def test_four_rising_is_no_trend():
    values = [5, 3, 6, 2, 1, 2, 3, 4, 1, 6, 2, 5]
    chart = spc.run_chart(values)
    assert chart.runs_limits is not None and "trend" not in rules(chart)


def test_too_many_runs_when_points_alternate():
    values = [1, 9] * 7
    chart = spc.run_chart(values)
    assert chart.runs == 14
    assert "too many runs" in rules(chart)


def test_astronomical_point_is_flagged_by_label():
    values = [10, 12, 9, 11, 13, 10, 12, 9, 11, 40, 12, 10, 11, 13]
    chart = spc.run_chart(values, labels=[f"2026-{m:02d}" for m in range(1, 15)])
    astro = [s for s in chart.signals if s.rule == "astronomical point"]
    assert [s.indexes for s in astro] == [(9,)]
    assert "2026-10" in astro[0].words


def test_too_few_points_apply_no_rules():
    chart = spc.run_chart([1, 2, 3, 4, 5, 6, 7])
    assert chart.signals == ()
    assert chart.median == 4
    assert "at least 10" in chart.note


def test_bad_value_is_named_by_position():
    with pytest.raises(ValueError, match="point 3 must be a finite number"):
        spc.run_chart([1, 2, float("nan")])
    with pytest.raises(ValueError, match="2 labels given for 3"):
        spc.run_chart([1, 2, 3], labels=["a", "b"])
