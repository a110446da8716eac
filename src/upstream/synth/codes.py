"""The codes the synthetic world records, and which concept each one stands for.

One SNOMED CT code per concept as the GP records it, plus, for long-term conditions, the
ICD-10 code a hospital records for the same disease (:data:`ICD10_TWINS`): a linked extract
holds both, and they are one condition. Type 1 and type 2 diabetes are two concepts and one
condition, diabetes (:data:`CONDITION_OF_CONCEPT`). Carrier traits (sickle cell trait,
thalassaemia trait) are recorded as ICD-10 codes and are not the diseases. The cohort codelists
under ``upstream/casefinding/codelists/`` must contain each code of the concept they select (a
test checks this), and :mod:`upstream.synth.truth` evaluates cohorts with the code sets below.
"""

LONG_TERM_CONDITIONS = {
    "hypertension": "38341003",
    "asthma": "195967001",
    "copd": "13645005",
    "heart_failure": "84114007",
    "chronic_kidney_disease": "709044004",
    "depression": "35489007",
    "atrial_fibrillation": "49436004",
    "epilepsy": "84757009",
    "osteoarthritis": "396275006",
    "dementia": "52448006",
    "cancer": "363346000",
}

OTHER_CONDITIONS = {
    "type_1_diabetes": "46635009",
    "type_2_diabetes": "44054006",
    "sickle_cell_disease": "417357006",
    "thalassaemia": "40108008",
    "haemophilia": "90935002",
    "medically_unexplained_symptoms": "1157371000000105",
    "renal_dialysis": "265764009",
    "loneliness": "1066891000000101",
    "frailty": "248279007",
}

CODES = {**LONG_TERM_CONDITIONS, **OTHER_CONDITIONS}

ICD10_TWINS = {
    "hypertension": "I10", "asthma": "J45.9", "copd": "J44.9", "heart_failure": "I50.9",
    "chronic_kidney_disease": "N18.3", "depression": "F32.9", "atrial_fibrillation": "I48.9",
    "epilepsy": "G40.9", "osteoarthritis": "M17.9", "dementia": "F03", "cancer": "C50.9",
    "type_1_diabetes": "E10.9", "type_2_diabetes": "E11.9",
}
"""The ICD-10 code a hospital records for a concept the GP records in SNOMED CT."""

TRAITS = {"sickle_cell_trait": "D57.3", "thalassaemia_trait": "D56.3"}
"""Carrier traits (ICD-10): not sickle cell disease or thalassaemia."""

CONCEPT_OF_CODE = {code: concept for concept, code in
                   [*CODES.items(), *ICD10_TWINS.items(), *TRAITS.items()]}

CONDITION_OF_CONCEPT = {concept: concept for concept in LONG_TERM_CONDITIONS} | {
    "type_1_diabetes": "diabetes", "type_2_diabetes": "diabetes"}
"""The long-term condition each concept is (type 1 and type 2 diabetes: diabetes)."""

DIABETES_CODES = frozenset({CODES["type_1_diabetes"], CODES["type_2_diabetes"]})
# Diabetes counts as a long-term condition too, as in the long_term_conditions codelist.
LTC_CODES = frozenset(LONG_TERM_CONDITIONS.values()) | DIABETES_CODES
LTC_CONDITION_OF_CODE = {code: CONDITION_OF_CONCEPT[concept]
                         for code, concept in CONCEPT_OF_CODE.items()
                         if concept in CONDITION_OF_CONCEPT}
"""Every long-term condition code recorded (SNOMED CT and ICD-10) -> its condition."""
CYP_CODES = frozenset(
    CODES[c]
    for c in ("sickle_cell_disease", "thalassaemia", "haemophilia",
              "medically_unexplained_symptoms")
)  # fmt: skip
"""The children's cohort's diseases, recorded at any time (dialysis counts only when recent)."""
DIALYSIS_CODES = frozenset({CODES["renal_dialysis"]})
LONELINESS_OR_FRAILTY_CODES = frozenset({CODES["loneliness"], CODES["frailty"]})

MI_DIAGNOSES = ("I21.0", "I21.1", "I21.4", "I21.9", "I22.9")
OTHER_DIAGNOSES = (
    "J18.9", "N39.0", "R07.4", "I50.9", "J44.1", "S72.0", "K35.8", "R10.4", "I20.9",
    "E11.9", "F32.9", "M17.1", "C50.9", "H25.9", "K80.2", "O80.9", "L03.1", "J45.9",
)  # fmt: skip

CARDIOLOGY = "320"
DIABETIC_MEDICINE = "307"
CARDIAC_REHABILITATION = "327"
OTHER_SPECIALTIES = (
    "100", "101", "110", "120", "130", "140", "300", "301", "302", "330", "340", "361",
    "400", "410", "420", "430", "501", "502", "650", "800",
)  # fmt: skip

LEICESTER_PRACTICES = ("C82001", "C82002", "C82003")
MAKING_ENDS_MEET = "making_ends_meet"
