"""As-of anywhere in the data: rows dated after the as-of date are ignored, never refused, so a
past as-of runs and reproduces; they are counted for the run's report."""

from datetime import date, timedelta

from tests.spec.conftest import AS_OF, at, people
from upstream.casefinding.engine import latest_complete_day, rows_after


def ed(patient_id: int, *days: date, department_type: int = 1) -> list[dict]:
    return [{"patient_id": patient_id, "arrival_time": at(day), "department_type": department_type}
            for day in days]


def days_ago(n: int, as_of: date = AS_OF) -> date:
    return as_of - timedelta(days=n)


def test_attendances_after_the_as_of_date_are_not_counted(engine):
    # 15 attendances up to as_of, 3 more after it: not "more than 15" at as_of.
    tables = {"patients": people({}),
              "ed_attendances": ed(1, *(days_ago(1 + 20 * i) for i in range(15)))
              + ed(1, *(AS_OF + timedelta(days=d) for d in (1, 2, 30)))}
    assert engine.ids(tables, "ncl_ed_hiu") == set()
    assert engine.ids(tables, "ncl_ed_hiu", as_of=AS_OF + timedelta(days=30)) == {1}


def test_a_past_as_of_gives_the_worklist_of_that_day(engine):
    # Person 1 was a high intensity user a year ago and has not attended since; person 2 only
    # began attending this year. Each run sees only its own past.
    earlier = AS_OF - timedelta(days=365)
    tables = {"patients": people({}, {}),
              "ed_attendances": ed(1, *(days_ago(1 + 20 * i, earlier) for i in range(16)))
              + ed(2, *(days_ago(1 + 20 * i) for i in range(16)))}
    assert engine.ids(tables, "ncl_ed_hiu", as_of=earlier) == {1}
    assert engine.ids(tables, "ncl_ed_hiu") == {2}


def test_follow_ups_after_the_as_of_date_are_not_seen(engine):
    # A 'yes' to making ends meet dated after as_of does not put the person in barts_heart yet.
    mi = {"primary_diagnosis": "I21.9"}
    tables = {"patients": people({}, {}),
              "admissions": [{"patient_id": 1, "admission_date": days_ago(10), **mi},
                             {"patient_id": 2, "admission_date": days_ago(10), **mi}],
              "screening_responses": [
                  {"patient_id": 1, "response_date": AS_OF + timedelta(days=5)},
                  {"patient_id": 2, "response_date": days_ago(3)}]}
    assert engine.ids(tables, "barts_heart") == {2}


def test_conditions_recorded_after_the_as_of_date_are_not_counted(engine):
    tables = {"patients": people({}),
              "conditions": [{"patient_id": 1, "code": code, "recorded_date": day}
                             for code, day in (("38341003", days_ago(100)),
                                               ("195967001", AS_OF + timedelta(days=1)))],
              "gp_appointments": [{"patient_id": 1, "appointment_date": days_ago(1 + 10 * i)}
                                  for i in range(5)]}
    assert engine.ids(tables, "kc_primary_care_hiu") == set()


def test_people_born_after_the_as_of_date_are_not_in_the_population(engine):
    tables = {"patients": people({"birth_date": AS_OF + timedelta(days=1), "imd_decile": 1},
                                 {"birth_date": AS_OF, "imd_decile": 1})}
    assert engine.ids(tables, "core20") == {2}


def test_rows_after_the_as_of_date_are_counted_per_table(engine):
    tables = engine.load({
        "patients": people({}),
        "ed_attendances": ed(1, AS_OF, AS_OF + timedelta(days=1), AS_OF + timedelta(days=9)),
        "outpatient_appointments": [
            {"patient_id": 1, "appointment_date": AS_OF + timedelta(days=20),
             "attendance_status": "booked"},
            {"patient_id": 1, "appointment_date": AS_OF}],
    })
    assert rows_after(tables, AS_OF) == {"ed_attendances": 2, "outpatient_appointments": 1}
    assert rows_after(tables, AS_OF + timedelta(days=30)) == {}


def test_latest_complete_day_is_the_day_before_the_last_activity(engine):
    # Activity up to the early hours of 1 April (an extract taken that morning): 31 March is
    # the latest complete day. A booked appointment in May is not activity.
    tables = engine.load({
        "patients": people({}),
        "ed_attendances": ed(1, AS_OF) + [{"patient_id": 1,
                                           "arrival_time": at(AS_OF + timedelta(days=1), 2)}],
        "outpatient_appointments": [
            {"patient_id": 1, "appointment_date": date(2026, 5, 1),
             "attendance_status": "booked"}],
    })
    assert latest_complete_day(tables) == (AS_OF, AS_OF + timedelta(days=1))
