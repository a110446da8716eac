"""The disclosure-control rule (upstream.standards.disclosure, docs/adr/0006)."""

import pytest

from upstream.standards import disclosure
from upstream.standards.disclosure import Figure, Release


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "<10"), (9, "<10"), (10, "10"),
                                              (12, "10"), (13, "15"), (1234, "1,235")])
def test_zero_shown_one_to_nine_hidden_others_rounded_to_five(count, shown):
    assert disclosure.base_figure(count).display == shown


def test_a_one_way_table_hides_a_second_count_only_when_the_first_would_be_pinned():
    release = Release()
    for key, n in {"x": 1, "b": 13, "c": 13}.items():
        release.count(key, n)
    release.total("all", ["x", "b", "c"])
    figures = release.protect()
    # Published as <10, 15, 15, 25 the hidden 1 is pinned (25+2-13-13 = 1), so b is hidden too.
    assert [figures[k].display for k in ("x", "b", "c", "all")] == ["<10", "[c]", "15", "25"]


def test_no_secondary_suppression_when_the_rounding_already_protects():
    release = Release()
    for key, n in {"a": 40, "b": 12, "c": 3}.items():
        release.count(key, n)
    release.total("all", ["a", "b", "c"])
    assert [f.display for f in release.protect().values()] == ["40", "10", "<10", "55"]


def test_a_zero_is_never_hidden_as_a_complement():
    release = Release()
    for key, n in {"gp": 20, "community": 1, "self": 0}.items():
        release.count(key, n)
    release.total("all", ["gp", "community", "self"])
    figures = release.protect()
    assert figures["self"].display == "0" and figures["community"].display == "<10"


def test_the_same_counts_are_one_figure_wherever_printed():
    release = Release()
    release.count("a", 3)
    release.count("b", 30)
    release.total("total", ["a", "b"])
    release.total("same total", ["b", "a"])
    figures = release.protect()
    assert figures["total"] == figures["same total"]


def test_percentages_come_from_shown_figures_only():
    assert disclosure.percent(Figure(10, "10"), Figure(40, "40")) == "25%"
    assert disclosure.percent(Figure(None, "<10"), Figure(40, "40")) == ""
    assert disclosure.percent(Figure(10, "10"), Figure(None, "[c]")) == ""
    assert disclosure.percent(Figure(0, "0"), Figure(0, "0")) == ""


def test_summaries_over_fewer_than_ten_values_are_not_shown():
    assert not disclosure.enough_for_a_summary(9)
    assert disclosure.enough_for_a_summary(10)


@pytest.mark.parametrize("bad", [-1, 2.5, "3", True, None])
def test_a_count_must_be_a_whole_number_of_zero_or_more(bad):
    with pytest.raises(ValueError, match="Count 'a' must be a whole number of 0 or more"):
        Release().count("a", bad)


def test_a_total_of_an_unknown_count_is_refused():
    release = Release()
    release.count("a", 1)
    with pytest.raises(ValueError, match="'all' adds up 'b', which is not a count"):
        release.total("all", ["a", "b"])


def test_a_figure_key_is_used_once():
    release = Release()
    release.count("a", 1)
    with pytest.raises(ValueError, match="Figure 'a' is already in this release"):
        release.total("a", ["a"])


def test_a_relation_the_counts_break_is_refused():
    release = Release()
    release.count("a", 1)
    release.count("b", 2)
    with pytest.raises(ValueError, match="do not obey the relation"):
        release.relate(["a"], "==", ["b"])
    with pytest.raises(ValueError, match="'==', '<=' or '>='"):
        release.relate(["a"], "<", ["b"])
