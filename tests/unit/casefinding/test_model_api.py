"""The Python cohort API refuses Python's traps instead of building a different cohort."""

import pytest

from upstream.casefinding.model import (
    Compare,
    Count,
    ModelError,
    aged,
    events,
)

ED = events("ed_attendances").in_last(365)


def test_and_between_criteria_raises_with_a_hint():
    with pytest.raises(TypeError, match=r"&.*\|"):
        aged(18) and ED.count() > 15  # noqa: B015


def test_or_and_not_and_if_raise_too():
    with pytest.raises(TypeError, match="criterion"):
        ED.count() > 15 or aged(18)  # noqa: B015
    with pytest.raises(TypeError, match="~"):
        not aged(18)  # noqa: B015
    with pytest.raises(TypeError):
        if aged(18):
            pass


def test_a_feature_has_no_truth_value():
    with pytest.raises(TypeError, match="feature"):
        bool(ED.count())


def test_chained_comparison_raises():
    with pytest.raises(TypeError, match=r"\(x > 5\) & \(x < 10\)"):
        5 < ED.count() < 10  # noqa: B015


def test_equals_and_not_equals_build_criteria():
    none = ED.count() == 0
    some = ED.count() != 0
    assert isinstance(none, Compare) and (none.op, none.value) == ("==", 0)
    assert isinstance(some, Compare) and (some.op, some.value) == ("!=", 0)
    assert isinstance(0 == ED.count(), Compare)  # reflected, as 0 < x is


def test_features_are_still_equal_to_themselves_as_dictionary_keys():
    first, second = ED.count(), events("ed_attendances").in_last(365).count()
    assert first == second and hash(first) == hash(second)
    assert {first: "f0"}[second] == "f0"
    assert ED.count() != ED.count_distinct("site_code")
    assert (ED.count() > 15) == (second > 15)


def test_comparing_with_something_other_than_a_number_raises():
    with pytest.raises(TypeError, match="number"):
        ED.count() > "15"  # noqa: B015
    with pytest.raises(TypeError, match="number"):
        ED.count() == aged(18)  # noqa: B015


def test_misspelt_column_in_where_names_table_column_and_close_matches():
    with pytest.raises(ModelError, match=r"ed_attendances has no column 'departmnt_type'.*"
                                         r"did you mean 'department_type'"):
        ED.where(departmnt_type=1)


def test_misspelt_column_in_count_distinct_is_refused():
    with pytest.raises(ModelError, match="conditions has no column 'cod'"):
        events("conditions").count_distinct("cod")


def test_value_the_contract_does_not_allow_is_refused():
    with pytest.raises(ModelError, match=r"gp_appointments.status cannot be 'DNA'.*"
                                         "'did_not_attend'"):
        events("gp_appointments").where(status="DNA")


def test_a_correct_where_still_builds():
    dna = events("gp_appointments").where(status=["did_not_attend"]).count()
    assert isinstance(dna, Count) and dna.events.filters[0].values == ("did_not_attend",)
