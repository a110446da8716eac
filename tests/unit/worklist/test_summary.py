"""The aggregate summary: counts by cohort, deprivation, sex and age, small counts suppressed."""

from datetime import date

import pytest

from tests.unit.worklist.conftest import make_matches, make_patients
from upstream.casefinding.worklist import age_band, build_worklist, shown, summarise


@pytest.mark.parametrize(("age", "band"), [(0, "0-17"), (17, "0-17"), (18, "18-24"),
                                           (64, "55-64"), (85, "85+"), (101, "85+")])
def test_age_bands(age, band):
    assert age_band(age) == band


@pytest.fixture
def summary(as_of):
    """25 people: 12 in cohort a (decile 1, women 25-34), 13 in b (decile 10, men 65-74), of
    whom 3 are also in a rare cohort c."""
    rows, people = [], []
    for pid in range(1, 13):
        rows.append((pid, "a", "r", 1))
        people.append({"patient_id": pid, "imd_decile": 1, "sex": "F",
                       "birth_date": date(1994, 1, 1)})
    for pid in range(13, 26):
        rows.append((pid, "b", "r", 1))
        people.append({"patient_id": pid, "imd_decile": 10, "sex": "M",
                       "birth_date": date(1954, 1, 1)})
    rows += [(pid, "c", "r", 1) for pid in (13, 14, 15)]
    worklist = build_worklist(make_matches(rows), make_patients(people), as_of=as_of)
    table = summarise(worklist, cohorts=["a", "b", "c", "d"])
    return {(r.breakdown, r.group): shown(r) for r in table.itertuples()}


def test_summary_counts_people_once_overall_and_once_per_cohort(summary):
    assert summary[("All people", "All")] == "25"
    assert summary[("Cohort", "a")] == "10"  # 12, rounded to the nearest 5
    assert summary[("Cohort", "b")] == "15"  # 13


def test_summary_suppresses_small_cells_and_shows_empty_ones_as_zero(summary):
    assert summary[("Cohort", "c")] == "<10"
    assert summary[("Cohort", "d")] == "0"
    assert summary[("IMD decile", "5")] == "0"


def test_summary_breaks_down_by_deprivation_core20_sex_and_age(summary):
    # 12 people in each first group, 13 in each second, rounded to the nearest 5
    assert summary[("IMD decile", "1 (most deprived)")] == "10"
    assert summary[("IMD decile", "10 (least deprived)")] == "15"
    assert summary[("Core20 (IMD deciles 1-2)", "Yes")] == "10"
    assert summary[("Core20 (IMD deciles 1-2)", "No")] == "15"
    assert summary[("Sex", "Female")] == "10"
    assert summary[("Sex", "Male")] == "15"
    assert summary[("Age band", "25-34")] == "10"
    assert summary[("Age band", "65-74")] == "15"


def test_every_summary_count_is_suppressed_text_or_a_rounded_ten_or_more(summary):
    for figure in summary.values():
        assert figure in ("<10", "[c]", "0") or (int(figure) >= 10 and int(figure) % 5 == 0)


def test_summary_counts_are_numbers_and_suppressed_ones_are_empty_with_a_note(as_of):
    people = [{"patient_id": pid, "imd_decile": 1, "sex": "F", "birth_date": date(1990, 1, 1)}
              for pid in range(1, 14)]
    rows = [(pid, "a", "r", 1) for pid in range(1, 14)] + [(1, "b", "r", 1)]
    worklist = build_worklist(make_matches(rows), make_patients(people), as_of=as_of)
    table = summarise(worklist, cohorts=["a", "b"], not_run=["ed"]).set_index(
        ["breakdown", "group"])
    assert str(table["people"].dtype) == "Int64"
    assert table.loc[("All people", "All"), "people"] == 15  # 13, rounded
    assert table.loc[("All people", "All"), "note"] == ""
    assert table["people"].isna()[("Cohort", "b")]
    assert table.loc[("Cohort", "b"), "note"] == "<10"


def test_a_cohort_that_could_not_run_is_not_run_never_zero(as_of):
    people = [{"patient_id": 1, "imd_decile": 1, "sex": "F", "birth_date": date(1990, 1, 1)}]
    worklist = build_worklist(make_matches([(1, "a", "r", 1)]), make_patients(people),
                              as_of=as_of)
    table = summarise(worklist, cohorts=["a"], not_run=["ed"])
    cohorts = table[table["breakdown"] == "Cohort"].set_index("group")
    assert list(cohorts.index) == ["a", "ed"]
    assert cohorts["people"].isna()["ed"] and cohorts.loc["ed", "note"] == "not run"
