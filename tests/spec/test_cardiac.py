"""Barts: social need after myocardial infarction, and cardiac rehabilitation not taken up."""

from datetime import timedelta

from tests.spec.conftest import AS_OF, people


def days_ago(n: int):
    return AS_OF - timedelta(days=n)


def mi(patient_id: int, days: int, diagnosis: str = "I21.4"):
    return {"patient_id": patient_id, "admission_date": days_ago(days),
            "primary_diagnosis": diagnosis}


def clinic(patient_id: int, days: int, specialty: str, status: str):
    return {"patient_id": patient_id, "appointment_date": days_ago(days),
            "specialty_code": specialty, "attendance_status": status}


def test_barts_heart_yes_to_making_ends_meet_within_70_days(engine):
    tables = {
        "patients": people({}, {}, {}, {}, {}),
        "admissions": [mi(1, 100), mi(2, 100), mi(3, 100, "I20.0"), mi(4, 100, "I22.1"),
                       mi(5, 100)],
        "screening_responses": [
            {"patient_id": 1, "response_date": days_ago(30), "answer": "yes"},  # day 70: in
            {"patient_id": 2, "response_date": days_ago(29), "answer": "yes"},  # day 71: out
            {"patient_id": 3, "response_date": days_ago(90), "answer": "yes"},  # not an MI
            {"patient_id": 4, "response_date": days_ago(90), "answer": "yes"},  # I22: an MI
            {"patient_id": 5, "response_date": days_ago(90), "answer": "no"},
        ],
    }
    assert engine.ids(tables, "barts_heart") == {1, 4}


def test_barts_heart_missed_cardiology_appointment(engine):
    tables = {
        "patients": people({}, {}, {}, {}),
        "admissions": [mi(1, 100), mi(2, 100), mi(3, 100), mi(4, 400)],
        "outpatient_appointments": [clinic(1, 90, "320", "did_not_attend"),
                                    clinic(2, 90, "320", "attended"),
                                    clinic(3, 90, "307", "did_not_attend"),
                                    clinic(4, 390, "320", "did_not_attend")],
    }
    # 4: the MI was more than 12 months ago.
    assert engine.ids(tables, "barts_heart") == {1}


def test_barts_heart_screening_before_the_admission_does_not_count(engine):
    tables = {
        "patients": people({}),
        "admissions": [mi(1, 100)],
        "screening_responses": [{"patient_id": 1, "response_date": days_ago(101)}],
    }
    assert engine.ids(tables, "barts_heart") == set()


def test_cardiac_rehab_admissions_84_to_365_days_ago_without_uptake(engine):
    tables = {
        "patients": people({}, {}, {}, {}),
        "admissions": [mi(1, 84), mi(2, 83), mi(3, 365), mi(4, 366)],
    }
    assert engine.ids(tables, "cardiac_rehab_not_taken_up") == {1, 3}


def test_cardiac_rehab_uptake_is_an_attended_327_within_84_days(engine):
    tables = {
        "patients": people({}, {}, {}, {}),
        "admissions": [mi(p, 200) for p in (1, 2, 3, 4)],
        "outpatient_appointments": [clinic(1, 116, "327", "attended"),   # day 84: taken up
                                    clinic(2, 115, "327", "attended"),   # day 85: too late
                                    clinic(3, 150, "327", "did_not_attend"),
                                    clinic(4, 150, "320", "attended")],
    }
    assert engine.ids(tables, "cardiac_rehab_not_taken_up") == {2, 3, 4}


def test_cardiac_rehab_any_admission_not_taken_up_counts(engine):
    tables = {
        "patients": people({}),
        "admissions": [mi(1, 300), mi(1, 100)],
        "outpatient_appointments": [clinic(1, 280, "327", "attended")],
    }
    found = engine.matches(tables, "cardiac_rehab_not_taken_up")
    assert found["patient_id"].tolist() == [1]
    assert found["reasons"].iloc[0] == (
        "myocardial infarction admission on 2025-12-21 with no attended cardiac "
        "rehabilitation within 84 days")
