"""Leicester crisis (police notices at chosen practices) and Barts young adult diabetes DNAs."""

from datetime import timedelta

from tests.spec.conftest import AS_OF, people


def days_ago(n: int):
    return AS_OF - timedelta(days=n)


def test_leicester_crisis_mental_health_notice_in_6_months_at_chosen_practices(engine):
    tables = {
        "patients": people({"practice_code": "C82001"}, {"practice_code": "C82003"},
                           {"practice_code": "C82002"}, {"practice_code": "C82001"},
                           {"practice_code": "E83001"}),
        "police_notices": [
            {"patient_id": 1, "notice_date": days_ago(181)},
            {"patient_id": 2, "notice_date": days_ago(0)},
            {"patient_id": 3, "notice_date": days_ago(182)},
            {"patient_id": 4, "notice_date": days_ago(10), "mental_health_concern": False},
            {"patient_id": 5, "notice_date": days_ago(10)},
        ],
    }
    assert engine.ids(tables, "leicester_crisis") == {1, 2}
    assert engine.ids(tables, "leicester_crisis",
                      overrides={"practices": ["E83001"]}) == {5}


def clinic(patient_id: int, attended: int, missed: int, cancelled: int = 0) -> list[dict]:
    statuses = (["attended"] * attended + ["did_not_attend"] * missed
                + ["cancelled"] * cancelled)
    return [{"patient_id": patient_id, "appointment_date": days_ago(1 + i % 300),
             "specialty_code": "307", "attendance_status": status}
            for i, status in enumerate(statuses)]


def test_barts_yad_dna_rate_of_20_percent_or_more(engine):
    young = {"birth_date": AS_OF.replace(year=AS_OF.year - 20)}
    diabetes = [{"patient_id": p, "code": "46635009" if p % 2 else "44054006",
                 "recorded_date": days_ago(500)} for p in range(1, 6)]
    tables = {
        "patients": people(*([young] * 5)),
        "conditions": diabetes,
        "outpatient_appointments": clinic(1, 160, 40)       # 20.0%: in
        + clinic(2, 161, 40)                                # 19.9%: out
        + clinic(3, 1, 1)                                   # 50% of only 2: out
        + clinic(4, 2, 1, cancelled=5)                      # cancellations do not count: in
        + [{**row, "specialty_code": "320"} for row in clinic(5, 2, 2)],  # not diabetes clinic
    }
    assert engine.ids(tables, "barts_yad") == {1, 4}


def test_barts_yad_needs_diabetes_and_age_16_to_25(engine):
    tables = {
        "patients": people({"birth_date": AS_OF.replace(year=AS_OF.year - 16)},
                           {"birth_date": AS_OF.replace(year=AS_OF.year - 26)},
                           {"birth_date": AS_OF.replace(year=AS_OF.year - 20)},
                           {"birth_date": AS_OF.replace(year=AS_OF.year - 20)}),
        "conditions": [{"patient_id": 1, "code": "46635009", "recorded_date": days_ago(5)},
                       {"patient_id": 2, "code": "46635009", "recorded_date": days_ago(5)},
                       {"patient_id": 3, "code": "38341003", "recorded_date": days_ago(5)},
                       {"patient_id": 4, "code": "E10.9", "code_system": "icd10",
                        "recorded_date": days_ago(5)}],
        "outpatient_appointments": clinic(1, 2, 2) + clinic(2, 2, 2) + clinic(3, 2, 2)
        + clinic(4, 2, 2),
    }
    found = engine.matches(tables, "barts_yad")
    assert set(found["patient_id"]) == {1, 4}
    assert found["score"].tolist() == [0.5, 0.5]
    assert "diabetes clinic did-not-attend rate 50% (2 of 4)" in found["reasons"].iloc[0]
