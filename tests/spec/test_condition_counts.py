"""Conditions, not codes: "N long-term conditions" counts distinct conditions of the Cambridge
Multimorbidity Score list, whatever the coding (a GP's SNOMED CT code and a hospital's ICD-10
code for one disease are one condition; type 1 and type 2 diabetes codes are one: diabetes);
reasons name them. Children's cohort: the diseases, not carrier traits; dialysis when current."""

from datetime import date, timedelta

from tests.spec.conftest import AS_OF, people

HYPERTENSION, ASTHMA, COPD, HEART_FAILURE, DEPRESSION = (
    "38341003", "195967001", "13645005", "84114007", "35489007")
TYPE_1, TYPE_2 = "46635009", "44054006"
WORKING_AGE = {"birth_date": date(1980, 6, 1)}


def coded(patient_id: int, *codes: str, recorded: date = date(2025, 1, 1)) -> list[dict]:
    """SNOMED CT codes, or ICD-10 codes (written with a dot or a letter first)."""
    return [{"patient_id": patient_id, "code": code, "recorded_date": recorded,
             "code_system": "snomed" if code.isdigit() else "icd10"} for code in codes]


def test_an_icd10_twin_of_a_gp_code_is_the_same_condition(engine):
    four = (HYPERTENSION, ASTHMA, COPD, HEART_FAILURE)
    tables = {
        "patients": people(WORKING_AGE, WORKING_AGE, WORKING_AGE),
        # 1: four conditions, each also coded by the hospital in ICD-10 (8 codes, 4 conditions)
        # 2: the same plus depression in ICD-10 only (5 conditions)
        # 3: four conditions plus type 1 and type 2 diabetes codes (5 conditions, 6 codes)
        "conditions": coded(1, *four, "I10", "J45.9", "J44.1", "I50.0")
        + coded(2, *four, "I10", "J45.9", "F32.1")
        + coded(3, HYPERTENSION, ASTHMA, COPD, TYPE_1, TYPE_2, "E11.9"),
    }
    assert engine.ids(tables, "leicester_multimorbidity") == {2}


def test_two_diabetes_codes_are_one_long_term_condition(engine):
    gp = [{"patient_id": p, "appointment_date": AS_OF - timedelta(days=1 + 10 * i)}
          for p in (1, 2) for i in range(5)]
    tables = {"patients": people({}, {}), "gp_appointments": gp,
              "conditions": coded(1, TYPE_1, TYPE_2) + coded(2, TYPE_2, ASTHMA)}
    assert engine.ids(tables, "kc_primary_care_hiu") == {2}


def test_reasons_name_the_conditions(engine):
    tables = {"patients": people(WORKING_AGE),
              "conditions": coded(1, HYPERTENSION, "I10", ASTHMA, COPD, DEPRESSION, TYPE_1,
                                  "E10.9")}
    reasons = engine.matches(tables, "leicester_multimorbidity")["reasons"].iloc[0]
    assert ("5 long-term conditions (asthma, COPD, depression, diabetes, hypertension) "
            "recorded by 2026-03-31 (at least 5)") in reasons


def test_children_cohort_leaves_out_trait_carriers(engine):
    teen = {"birth_date": date(2012, 1, 1)}
    tables = {
        "patients": people(teen, teen, teen, teen),
        # sickle cell trait and thalassaemia trait are carriers, not the diseases
        "conditions": coded(1, "D57.3") + coded(2, "D56.3") + coded(3, "D57.0")
        + coded(4, "D56.1"),
    }
    assert engine.ids(tables, "cyp_long_term") == {3, 4}


def test_receiving_renal_dialysis_means_a_recent_dialysis_record(engine):
    teen = {"birth_date": date(2012, 1, 1)}
    dialysis = "265764009"
    tables = {
        "patients": people(teen, teen, teen),
        # 1: dialysis last month; 2: dialysis two years ago, none since (a transplant);
        # 3: dependence on dialysis (Z99.2) recorded 3 months back to the day (in: 1 January)
        "conditions": coded(1, dialysis, recorded=AS_OF - timedelta(days=30))
        + coded(2, dialysis, recorded=AS_OF - timedelta(days=730))
        + coded(3, "Z99.2", recorded=date(2026, 1, 1)),
    }
    assert engine.ids(tables, "cyp_long_term") == {1, 3}
    assert engine.ids(tables, "cyp_long_term", overrides={"dialysis_months": 36}) == {1, 2, 3}
