"""Cohorts on coded conditions: long-term conditions, codelists and their matching rules."""

from datetime import date, timedelta

from tests.spec.conftest import AS_OF, at, people

HYPERTENSION, ASTHMA, COPD, HEART_FAILURE, CKD, DEPRESSION = (
    "38341003", "195967001", "13645005", "84114007", "709044004", "35489007")
FRAILTY, LONELY = "248279007", "1066891000000101"


def coded(patient_id: int, *codes: str, recorded: date = date(2025, 1, 1), system="snomed"):
    return [{"patient_id": patient_id, "code": c, "code_system": system, "recorded_date": recorded}
            for c in codes]


def gp_visits(patient_id: int, count: int, status: str = "attended", first: int = 1):
    return [{"patient_id": patient_id, "appointment_date": AS_OF - timedelta(days=first + 10 * i),
             "status": status} for i in range(count)]


def test_kc_five_attended_gp_visits_in_3_months_and_two_conditions(engine):
    tables = {
        "patients": people({}, {}, {}, {}),
        "gp_appointments": gp_visits(1, 5) + gp_visits(2, 4) + gp_visits(2, 1, "did_not_attend")
        + gp_visits(3, 5) + gp_visits(4, 4) + gp_visits(4, 1, first=91),
        "conditions": coded(1, HYPERTENSION, ASTHMA) + coded(2, HYPERTENSION, ASTHMA)
        + coded(3, HYPERTENSION, HYPERTENSION) + coded(4, HYPERTENSION, ASTHMA),
    }
    # 2: a DNA is not an attendance; 3: the same code twice is one condition;
    # 4: a visit 91 days before as_of is outside the 3 months.
    assert engine.ids(tables, "kc_primary_care_hiu") == {1}


def test_conditions_count_only_when_recorded_by_as_of(engine):
    tables = {
        "patients": people({}, {}),
        "gp_appointments": gp_visits(1, 5) + gp_visits(2, 5),
        "conditions": coded(1, HYPERTENSION) + coded(1, ASTHMA, recorded=AS_OF)
        + coded(2, HYPERTENSION) + coded(2, ASTHMA, recorded=AS_OF + timedelta(days=1)),
    }
    assert engine.ids(tables, "kc_primary_care_hiu") == {1}


def test_hillingdon_conditions_with_loneliness_frailty_or_higher_use(engine):
    ed = [{"patient_id": p, "arrival_time": at(AS_OF - timedelta(days=30 * i + 1))}
          for p, n in ((3, 3), (4, 2)) for i in range(n)]
    tables = {
        "patients": people({}, {}, {}, {}, {}),
        "conditions": coded(1, ASTHMA, FRAILTY) + coded(2, COPD, LONELY) + coded(3, ASTHMA)
        + coded(4, ASTHMA) + coded(5, FRAILTY, LONELY),
        "ed_attendances": ed,
    }
    assert engine.ids(tables, "hillingdon_hiu") == {1, 2, 3}


def test_leicester_multimorbidity_18_to_64_with_5_conditions(engine):
    five = (HYPERTENSION, ASTHMA, COPD, HEART_FAILURE, CKD)
    tables = {
        "patients": people({"birth_date": AS_OF.replace(year=AS_OF.year - 64)},
                           {"birth_date": AS_OF.replace(year=AS_OF.year - 65)},
                           {"birth_date": date(1990, 1, 1)}),
        "conditions": coded(1, *five) + coded(2, *five) + coded(3, *five[:4]),
    }
    assert engine.ids(tables, "leicester_multimorbidity") == {1}


def test_icd10_codes_match_by_prefix_and_snomed_exactly(engine):
    five = (HYPERTENSION, ASTHMA, COPD, HEART_FAILURE)
    tables = {
        "patients": people({}, {}, {}, {}),
        # a fifth condition coded in ICD-10: I48.0 falls under I48, N18 with no dot and
        # subcode still matches N18; "I4" is too short to match I48; a SNOMED id marked as
        # ICD-10 does not match.
        "conditions": coded(1, *five) + coded(1, "I48.0", system="icd10")
        + coded(2, *five) + coded(2, "N185", system="icd10")
        + coded(3, *five) + coded(3, "I4", system="icd10")
        + coded(4, *five) + coded(4, DEPRESSION, system="icd10"),
    }
    assert engine.ids(tables, "leicester_multimorbidity") == {1, 2}


def test_cyp_codelists_cover_each_condition(engine):
    codes = ("417357006", "40108008", "90935002", "1157371000000105", "265764009", "D57.1")
    teen = {"birth_date": AS_OF.replace(year=AS_OF.year - 14)}
    tables = {
        "patients": people(*([teen] * (len(codes) + 1))),
        # a dialysis record counts when recent ("receiving renal dialysis")
        "conditions": [row for i, code in enumerate(codes, start=1)
                       for row in coded(i, code, system="icd10" if "." in code else "snomed",
                                        recorded=AS_OF - timedelta(days=30))]
        + coded(len(codes) + 1, ASTHMA),
    }
    assert engine.ids(tables, "cyp_long_term") == set(range(1, len(codes) + 1))
