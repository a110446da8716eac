"""The synthetic world records codes that the shipped codelists select, concept by concept."""

import pytest

from upstream.casefinding.codelists import load
from upstream.synth import codes

CODELIST_OF = {
    "type_1_diabetes": "diabetes_type1",
    "type_2_diabetes": "diabetes_type2",
    "sickle_cell_disease": "sickle_cell",
    "thalassaemia": "thalassaemia",
    "haemophilia": "haemophilia",
    "medically_unexplained_symptoms": "medically_unexplained_symptoms",
    "renal_dialysis": "renal_dialysis",
    "loneliness": "loneliness",
    "frailty": "frailty",
}


@pytest.mark.parametrize("concept", sorted(CODELIST_OF))
def test_each_concept_code_is_in_its_codelist(concept):
    assert load(CODELIST_OF[concept]).matches(codes.CODES[concept], "snomed")


def test_long_term_conditions_agree_with_the_codelist():
    codelist = load("long_term_conditions")
    recorded = {code for code in codes.CODES.values() if codelist.matches(code, "snomed")}
    assert recorded == set(codes.LTC_CODES)


def test_mi_diagnoses_are_in_the_mi_codelist_and_others_are_not():
    codelist = load("myocardial_infarction")
    assert all(codelist.matches(code, "icd10") for code in codes.MI_DIAGNOSES)
    assert not any(codelist.matches(code, "icd10") for code in codes.OTHER_DIAGNOSES)
