"""Cohorts built in Python that exercise each shape of the one query the engine plans: several
features over one event table in one pass, several event tables outer-joined, cohorts that
people with no events can meet, and patient criteria under a Not."""

from datetime import date, timedelta

from tests.spec.conftest import AS_OF, at, people
from upstream.casefinding.engine import find_matches
from upstream.casefinding.model import Cohort, aged, events, practice_in

ED = events("ed_attendances", "ED attendance").in_last(365)


def ed(patient_id: int, days: int, department_type: int = 1) -> dict:
    return {"patient_id": patient_id, "arrival_time": at(AS_OF - timedelta(days=days)),
            "department_type": department_type}


def members(engine, tables, *cohorts: Cohort) -> dict[str, set[int]]:
    found = find_matches(engine.load(tables), list(cohorts), AS_OF)
    return {cohort.name: set(found.loc[found["cohort"] == cohort.name, "patient_id"])
            for cohort in cohorts}


def test_k_within_steps_over_its_own_events_only(engine):
    """Type 1 attendances 10 days apart, with other attendances between them: three of any
    department fall within 11 days, three type 1 do not."""
    type_1 = Cohort("type_1", ED.where(department_type=1).k_within(3, days=11))
    any_department = Cohort("any_department", ED.k_within(3, days=11))
    counted = Cohort("counted", ED.where(department_type=1).count() >= 3)
    tables = {
        "patients": people({}, {}),
        "ed_attendances": [ed(1, 30), ed(1, 25, 3), ed(1, 20), ed(1, 15, 3), ed(1, 10),
                           ed(2, 30), ed(2, 25), ed(2, 20)],
    }
    assert members(engine, tables, type_1, any_department, counted) == {
        "type_1": {2}, "any_department": {1, 2}, "counted": {1, 2}}


def test_people_with_events_in_any_one_table_are_found(engine):
    """Three event tables in one query: each person has events in a different one."""
    police = events("police_notices", "police notice").in_last(182)
    gp = events("gp_appointments", "GP appointment").in_last(91)
    cohort = Cohort("anywhere", (ED.count() >= 1) | (gp.count() >= 2) | (police.count() >= 1))
    tables = {
        "patients": people({}, {}, {}, {}),
        "ed_attendances": [ed(1, 5)],
        "gp_appointments": [{"patient_id": 2, "appointment_date": AS_OF - timedelta(days=n)}
                            for n in (3, 4)]
                           + [{"patient_id": 4, "appointment_date": AS_OF}],
        "police_notices": [{"patient_id": 3, "notice_date": AS_OF - timedelta(days=9)}],
    }
    assert members(engine, tables, cohort) == {"anywhere": {1, 2, 3}}


def test_people_without_events_can_meet_a_cohort(engine):
    """Fewer than 2 GP appointments holds for someone with none at all."""
    gp = events("gp_appointments", "GP appointment").in_last(365)
    rarely_seen = Cohort("rarely_seen", aged(65) & (gp.count() < 2))
    busy = Cohort("busy", ED.count() >= 1)
    tables = {
        "patients": people({"birth_date": date(1950, 1, 1)}, {"birth_date": date(1950, 1, 1)},
                           {"birth_date": date(1990, 1, 1)}, {"birth_date": date(1950, 1, 1)}),
        "gp_appointments": [{"patient_id": 2, "appointment_date": AS_OF - timedelta(days=n)}
                            for n in (3, 4)]
                           + [{"patient_id": 4, "appointment_date": AS_OF}],
        "ed_attendances": [ed(3, 1)],
    }
    assert members(engine, tables, rarely_seen, busy) == {"rarely_seen": {1, 4}, "busy": {3}}


def test_patient_criteria_under_a_not_narrow_only_after_the_join(engine):
    cohort = Cohort("elsewhere", (ED.count() > 1) & ~practice_in("E83001"))
    tables = {
        "patients": people({"practice_code": "E83001"}, {"practice_code": "E83002"},
                           {"practice_code": "E83002"}),
        "ed_attendances": [ed(1, 1), ed(1, 2), ed(2, 1), ed(2, 2), ed(3, 1)],
    }
    assert members(engine, tables, cohort) == {"elsewhere": {2}}


def test_equals_and_not_equals_are_criteria_on_every_engine(engine):
    """``== 0`` holds for someone with no attendances; ``!= 0`` for anyone with some."""
    never = Cohort("never", aged(18) & (ED.count() == 0))
    ever = Cohort("ever", ED.count() != 0)
    tables = {"patients": people({}, {}, {}), "ed_attendances": [ed(1, 5), ed(3, 9), ed(3, 8)]}
    assert members(engine, tables, never, ever) == {"never": {2}, "ever": {1, 3}}
