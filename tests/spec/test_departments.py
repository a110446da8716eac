"""Department types: "ED" cohorts count ECDS types 1-2 (emergency departments), "urgent and
emergency care" cohorts every type (3: urgent treatment centres, minor injury units, walk-in
centres); a parameter of each cohort, and the reasons say which."""

from datetime import timedelta

from tests.spec.conftest import AS_OF, at, people


def visits(patient_id: int, types: list[int], every: int = 20) -> list[dict]:
    return [{"patient_id": patient_id, "department_type": kind,
             "arrival_time": at(AS_OF - timedelta(days=1 + every * i))}
            for i, kind in enumerate(types)]


def test_ncl_counts_emergency_departments_not_urgent_treatment_centres(engine):
    # 1: 16 ED visits (types 1 and 2); 2: 10 ED visits and 6 at a UTC; 3: 6 UTC visits in a
    # fortnight (a cluster, but not at an ED).
    tables = {"patients": people({}, {}, {}),
              "ed_attendances": visits(1, [1] * 12 + [2] * 4) + visits(2, [1] * 10 + [3] * 6)
              + visits(3, [3] * 6, every=2)}
    assert engine.ids(tables, "ncl_ed_hiu") == {1}
    assert engine.ids(tables, "nhse_ed_hiu") == set()
    assert engine.ids(tables, "westminster_uec_hiu") == {1, 2, 3}


def test_department_types_are_a_parameter(engine):
    tables = {"patients": people({}, {}),
              "ed_attendances": visits(1, [1] * 10 + [3] * 6) + visits(2, [3] * 6)}
    assert engine.ids(tables, "ncl_ed_hiu", overrides={"department_types": [1, 2, 3]}) == {1}
    assert engine.ids(tables, "westminster_uec_hiu",
                      overrides={"department_types": [1, 2]}) == {1}


def test_reasons_say_which_departments_counted(engine):
    tables = {"patients": people({}), "ed_attendances": visits(1, [1] * 17)}
    ncl = engine.matches(tables, "ncl_ed_hiu")["reasons"].iloc[0]
    westminster = engine.matches(tables, "westminster_uec_hiu")["reasons"].iloc[0]
    assert "17 ED attendances at emergency departments (types 1-2)" in ncl
    assert ("17 A&E or urgent care attendances at emergency departments or urgent care "
            "(all types)") in westminster
