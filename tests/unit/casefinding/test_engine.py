"""The engine's API shape: columns and types, all cohorts in one call, expressions, sources."""

from datetime import date

import ibis
import pandas as pd
import pytest

from tests.spec.conftest import AS_OF, contract_frame, people
from upstream.casefinding.engine import (
    MissingTables,
    available_cohorts,
    cohort_expression,
    find_matches,
)
from upstream.data.schema import EVENT_TABLES


def tables():
    """Two people, 20 ED visits for the second; every other event table present and empty."""
    return {
        **{name: contract_frame(name, []) for name in EVENT_TABLES},
        "patients": contract_frame("patients", people(
            {"imd_decile": 1, "ethnic_category": "N"}, {"imd_decile": 7})),
        "ed_attendances": contract_frame("ed_attendances", [
            {"patient_id": 2, "arrival_time": pd.Timestamp(AS_OF) - pd.Timedelta(days=d)}
            for d in range(1, 40, 2)]),
    }


def test_find_matches_gives_one_row_per_person_and_cohort():
    found = find_matches(tables(), available_cohorts(), AS_OF)
    assert list(found.columns) == ["patient_id", "cohort", "reasons", "score"]
    assert str(found["patient_id"].dtype) == "int64" and str(found["score"].dtype) == "float64"
    pairs = set(zip(found["patient_id"], found["cohort"]))
    assert pairs == {(1, "core20"), (1, "plus_ethnic_minority"), (2, "ncl_ed_hiu"),
                     (2, "nhse_ed_hiu"), (2, "westminster_uec_hiu")}
    assert set(found["cohort"]) <= set(available_cohorts())


LACKING = {"ncl_ed_hiu": ["ed_attendances"],
           "barts_heart": ["admissions", "screening_responses", "outpatient_appointments"]}


def test_a_table_a_chosen_cohort_needs_that_the_source_lacks_is_an_error_naming_both():
    only_people = {"patients": tables()["patients"]}
    with pytest.raises(MissingTables, match="ncl_ed_hiu needs ed_attendances") as raised:
        find_matches(only_people, ["ncl_ed_hiu", "barts_heart", "core20"], AS_OF)
    assert raised.value.missing == LACKING
    assert "barts_heart needs admissions, screening_responses, outpatient_appointments" in str(
        raised.value)
    with pytest.raises(MissingTables):
        find_matches(only_people, "all", AS_OF)
    with pytest.raises(MissingTables, match="ncl_ed_hiu needs ed_attendances"):
        cohort_expression(only_people, "ncl_ed_hiu", AS_OF)


def test_allow_missing_runs_the_other_cohorts_and_reports_the_rest_as_not_run():
    only_people = {"patients": tables()["patients"]}
    found = find_matches(only_people, ["ncl_ed_hiu", "barts_heart", "core20"], AS_OF,
                         allow_missing=True)
    assert found["cohort"].tolist() == ["core20"]
    assert found.attrs["not_run"] == LACKING
    nothing_ran = find_matches(only_people, ["ncl_ed_hiu"], AS_OF, allow_missing=True)
    assert nothing_ran.empty and nothing_ran.attrs["not_run"] == {"ncl_ed_hiu": ["ed_attendances"]}
    assert find_matches(tables(), ["ncl_ed_hiu"], AS_OF).attrs["not_run"] == {}


def test_a_backend_holding_the_contract_tables_is_a_source():
    con = ibis.duckdb.connect()
    for name, table in tables().items():
        con.create_table(name, table)
    found = find_matches(con, ["westminster_uec_hiu"], AS_OF)
    assert found["patient_id"].tolist() == [2] and found["score"].tolist() == [20.0]


def test_cohort_expression_gives_the_same_people_as_find_matches():
    expression = cohort_expression(tables(), "nhse_ed_hiu", AS_OF)
    assert isinstance(expression, ibis.Table)
    frame = expression.execute()
    assert frame["patient_id"].tolist() == [2]
    assert frame["cohort"].tolist() == ["nhse_ed_hiu"] and frame["score"].tolist() == [20.0]


def test_overrides_change_thresholds_and_the_as_of_date_moves_windows():
    assert find_matches(tables(), ["westminster_uec_hiu"], AS_OF,
                        {"westminster_uec_hiu": {"more_than": 20}}).empty
    assert find_matches(tables(), ["westminster_uec_hiu"], date(2027, 6, 1)).empty


def test_no_cohorts_gives_an_empty_frame_with_the_columns():
    found = find_matches(tables(), [], AS_OF)
    assert found.empty and list(found.columns) == ["patient_id", "cohort", "reasons", "score"]
