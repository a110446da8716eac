"""Building the worklist: one row per person, reasons per cohort, top N, priority and rank."""

from datetime import date

import pandas as pd
import pytest

from tests.unit.worklist.conftest import make_matches, make_patients
from upstream.casefinding.worklist import (
    WORKLIST_COLUMNS,
    Priority,
    build_worklist,
    top_per_cohort,
)


def test_a_person_in_two_cohorts_is_one_row_listing_both_with_their_reasons(as_of):
    matches = make_matches([
        (1, "ncl_ed_hiu", "18 ED attendances in 12 months", 18),
        (1, "leicester_multimorbidity", "6 long-term conditions", 6),
        (2, "ncl_ed_hiu", "16 ED attendances in 12 months", 16),
    ])
    patients = make_patients([{"patient_id": 1}, {"patient_id": 2}, {"patient_id": 3}])

    worklist = build_worklist(matches, patients, as_of=as_of)

    assert list(worklist.columns) == list(WORKLIST_COLUMNS)
    assert sorted(worklist["patient_id"]) == [1, 2]
    person = worklist.set_index("patient_id").loc[1]
    assert person["cohorts"] == "leicester_multimorbidity; ncl_ed_hiu"
    assert person["reasons"] == (
        "leicester_multimorbidity: 6 long-term conditions | "
        "ncl_ed_hiu: 18 ED attendances in 12 months"
    )


def test_worklist_carries_age_at_as_of_core20_and_registration(as_of):
    matches = make_matches([(1, "c", "r", 1), (2, "c", "r", 1), (3, "c", "r", 1)])
    patients = make_patients([
        {"patient_id": 1, "birth_date": date(1990, 6, 30), "imd_decile": 1,
         "nhs_number": "9990000018", "practice_code": "Y00001", "sex": "M"},
        {"patient_id": 2, "birth_date": date(1990, 7, 1), "imd_decile": 2},
        {"patient_id": 3, "birth_date": date(1990, 1, 1), "imd_decile": None},
    ])

    rows = build_worklist(matches, patients, as_of=as_of).set_index("patient_id")

    assert rows.loc[1, "age"] == 34  # birthday on the as-of date
    assert rows.loc[2, "age"] == 33  # birthday the day after
    assert rows.loc[1, ["nhs_number", "practice_code", "sex"]].tolist() == [
        "9990000018", "Y00001", "M"]
    assert rows["core20"].to_dict() == {1: True, 2: True, 3: False}
    assert pd.isna(rows.loc[3, "imd_decile"])


def test_people_who_died_by_the_as_of_date_are_left_out(as_of):
    matches = make_matches([(1, "c", "r", 1), (2, "c", "r", 1), (3, "c", "r", 1)])
    patients = make_patients([
        {"patient_id": 1, "death_date": date(2024, 6, 30)},
        {"patient_id": 2, "death_date": date(2024, 7, 1)},
        {"patient_id": 3},
    ])

    worklist = build_worklist(matches, patients, as_of=as_of)

    assert sorted(worklist["patient_id"]) == [2, 3]


def test_a_matched_person_missing_from_patients_is_an_error(as_of):
    with pytest.raises(ValueError, match="no row in patients"):
        build_worklist(make_matches([(9, "c", "r", 1)]), make_patients([{"patient_id": 1}]),
                       as_of=as_of)


def test_no_matches_gives_an_empty_worklist_with_all_columns(as_of):
    worklist = build_worklist(make_matches([]), make_patients([{"patient_id": 1}]), as_of=as_of)
    assert worklist.empty
    assert list(worklist.columns) == list(WORKLIST_COLUMNS)


# --- priority -------------------------------------------------------------------------------

def _two_people(as_of, weight):
    """Person 1: the top score, least deprived decile. Person 2: 80% of it, most deprived."""
    matches = make_matches([(1, "c", "r", 10), (2, "c", "r", 8)])
    patients = make_patients([{"patient_id": 1, "imd_decile": 10},
                              {"patient_id": 2, "imd_decile": 1}])
    return build_worklist(matches, patients, as_of=as_of,
                          priority=Priority(deprivation_weight=weight))


def test_without_deprivation_weight_the_higher_score_ranks_first(as_of):
    worklist = _two_people(as_of, 0)
    assert worklist["patient_id"].tolist() == [1, 2]
    assert worklist["rank"].tolist() == [1, 2]
    assert worklist["priority"].tolist() == [1.0, 0.8]


def test_deprivation_weight_lifts_the_most_deprived_above_a_higher_score(as_of):
    worklist = _two_people(as_of, 0.5)
    assert worklist["patient_id"].tolist() == [2, 1]
    assert worklist["priority"].tolist() == [pytest.approx(1.2), 1.0]


def test_deprivation_multiplier_runs_from_1_plus_w_to_1_and_is_1_when_unknown():
    deciles = pd.Series([1, 2, 10, None], dtype="Int8")
    assert Priority(deprivation_weight=0.9).deprivation_multiplier(deciles).tolist() == \
        pytest.approx([1.9, 1.8, 1.0, 1.0])
    assert Priority(deprivation_weight=0).deprivation_multiplier(deciles).tolist() == [1.0] * 4


def test_scores_are_normalised_within_each_cohort(as_of):
    # 40 attendances is the top of its cohort; 3 conditions the top of the other: both rank 1.0
    matches = make_matches([(1, "ed", "r", 40), (2, "ed", "r", 20), (3, "ltc", "r", 3)])
    patients = make_patients([{"patient_id": i} for i in (1, 2, 3)])
    worklist = build_worklist(matches, patients, as_of=as_of,
                              priority=Priority(deprivation_weight=0))
    assert worklist.set_index("patient_id")["priority"].to_dict() == {1: 1.0, 3: 1.0, 2: 0.5}


def test_sum_rewards_being_in_several_cohorts_and_cohort_weights_scale(as_of):
    matches = make_matches([(1, "a", "r", 10), (2, "a", "r", 6), (2, "b", "r", 5),
                            (3, "b", "r", 10)])
    patients = make_patients([{"patient_id": i} for i in (1, 2, 3)])

    by_max = build_worklist(matches, patients, as_of=as_of,
                            priority=Priority(deprivation_weight=0, combine="max"))
    by_sum = build_worklist(matches, patients, as_of=as_of,
                            priority=Priority(deprivation_weight=0, combine="sum"))
    weighted = build_worklist(matches, patients, as_of=as_of, priority=Priority(
        deprivation_weight=0, combine="max", cohort_weights={"b": 0.5}))

    assert by_max["patient_id"].tolist() == [1, 3, 2]
    assert by_sum["patient_id"].tolist() == [2, 1, 3]
    assert by_sum.set_index("patient_id").loc[2, "priority"] == pytest.approx(1.1)
    assert weighted.set_index("patient_id")["priority"].to_dict() == {1: 1.0, 2: 0.6, 3: 0.5}


def test_ties_go_to_the_person_in_more_cohorts_then_the_lower_id(as_of):
    matches = make_matches([(5, "a", "r", 1), (4, "a", "r", 1), (6, "a", "r", 1),
                            (6, "b", "r", 1)])
    patients = make_patients([{"patient_id": i} for i in (4, 5, 6)])
    worklist = build_worklist(matches, patients, as_of=as_of)
    assert worklist["patient_id"].tolist() == [6, 4, 5]
    assert worklist["rank"].tolist() == [1, 2, 3]


def test_a_cohort_without_positive_scores_counts_everyone_fully(as_of):
    matches = make_matches([(1, "flag", "r", 0), (2, "flag", "r", 0)])
    patients = make_patients([{"patient_id": 1, "imd_decile": 10},
                              {"patient_id": 2, "imd_decile": 1}])
    worklist = build_worklist(matches, patients, as_of=as_of)
    assert worklist.set_index("patient_id")["priority"].to_dict() == {2: 1.5, 1: 1.0}


@pytest.mark.parametrize("bad", [
    {"deprivation_weight": -0.1}, {"deprivation_weight": float("nan")}, {"combine": "mean"},
    {"cohort_weights": {"a": -1}},
])
def test_invalid_priority_settings_are_refused(bad):
    with pytest.raises(ValueError):
        Priority(**bad)


# --- top N ----------------------------------------------------------------------------------

def test_top_n_keeps_each_named_cohorts_highest_scores_and_leaves_others_whole():
    matches = make_matches(
        [(i, "ncl_ed_hiu", "r", float(i)) for i in range(1, 201)]
        + [(i, "other", "r", 1.0) for i in range(1, 51)]
    )

    kept = top_per_cohort(matches, {"ncl_ed_hiu": 120})

    ncl = kept[kept["cohort"] == "ncl_ed_hiu"]
    assert len(ncl) == 120
    assert set(ncl["patient_id"]) == set(range(81, 201))
    assert len(kept[kept["cohort"] == "other"]) == 50


def test_top_n_breaks_ties_at_the_cut_by_the_lower_id():
    matches = make_matches([(3, "c", "r", 5), (1, "c", "r", 5), (2, "c", "r", 5), (4, "c", "r", 9)])
    assert sorted(top_per_cohort(matches, {"c": 2})["patient_id"]) == [1, 4]


def test_top_n_applies_before_de_duplication(as_of):
    # person 2 is cut from 'a' by top 1 but stays on the worklist through 'b'
    matches = make_matches([(1, "a", "r1", 9), (2, "a", "r2", 5), (2, "b", "r3", 1)])
    patients = make_patients([{"patient_id": 1}, {"patient_id": 2}])
    worklist = build_worklist(matches, patients, as_of=as_of, top_n={"a": 1})
    assert worklist.set_index("patient_id").loc[2, "cohorts"] == "b"
