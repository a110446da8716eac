"""Codelists: the shipped files load, match as documented, and bad files are refused clearly."""

import pytest

from upstream.casefinding import codelists
from upstream.synth import codes as synthetic_codes


def test_every_shipped_codelist_loads_with_its_metadata():
    names = codelists.available()
    assert {"myocardial_infarction", "long_term_conditions", "frailty", "loneliness"} <= set(names)
    for name in names:
        codelist = codelists.load(name)
        assert codelist.codes and codelist.source and codelist.version
        assert codelist.codes == codelist.snomed | codelist.icd10


def test_icd10_matches_by_prefix_ignoring_dots_and_snomed_exactly():
    mi = codelists.load("myocardial_infarction")
    assert mi.matches("I21.9", "icd10") and mi.matches("I219", "icd10")
    assert mi.matches("I22", "icd10") and not mi.matches("I20.0", "icd10")
    assert mi.matches("22298006", "snomed") and not mi.matches("2229800", "snomed")


def test_codelists_hold_the_codes_the_synthetic_world_records():
    assert synthetic_codes.LTC_CODES <= codelists.load("long_term_conditions").snomed
    for concept, name in [("type_1_diabetes", "diabetes_type1"),
                          ("type_2_diabetes", "diabetes_type2"),
                          ("sickle_cell_disease", "sickle_cell"), ("thalassaemia", "thalassaemia"),
                          ("haemophilia", "haemophilia"),
                          ("medically_unexplained_symptoms", "medically_unexplained_symptoms"),
                          ("renal_dialysis", "renal_dialysis"), ("loneliness", "loneliness"),
                          ("frailty", "frailty")]:
        assert synthetic_codes.CODES[concept] in codelists.load(name).snomed


def test_an_unknown_codelist_is_named(monkeypatch):
    with pytest.raises(codelists.CodelistError, match="No codelist named 'nope'"):
        codelists.load("nope")


def test_a_malformed_codelist_names_file_and_line(tmp_path, monkeypatch):
    monkeypatch.setattr(codelists, "FOLDER", tmp_path)
    (tmp_path / "broken.csv").write_text("code,term,system\n123,Thing,read\n")
    (tmp_path / "broken.yaml").write_text(
        "name: broken\ntitle: Broken\nversion: 1\ndate: 2026-01-01\nsource: test\n")
    codelists.load.cache_clear()
    try:
        with pytest.raises(codelists.CodelistError, match="broken.csv line 2: system must be"):
            codelists.load("broken")
    finally:
        codelists.load.cache_clear()


def test_a_codelist_without_its_metadata_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(codelists, "FOLDER", tmp_path)
    (tmp_path / "bare.csv").write_text("code,term,system\n123,Thing,snomed\n")
    (tmp_path / "bare.yaml").write_text("name: bare\ntitle: Bare\nversion: 1\nsource: x\n")
    codelists.load.cache_clear()
    try:
        with pytest.raises(codelists.CodelistError, match="bare.yaml: key 'date' is missing"):
            codelists.load("bare")
    finally:
        codelists.load.cache_clear()


def test_long_term_conditions_are_the_37_cambridge_multimorbidity_score_conditions():
    codelist = codelists.load("long_term_conditions")
    conditions = codelist.by_condition()
    assert len(conditions) == 37
    assert all(snomed and icd10 for snomed, icd10 in conditions.values())
    assert "Cambridge Multimorbidity Score" in codelist.source and "CMAJ" in codelist.source
    assert "REPRESENTATIVE SUBSET" in codelist.source


def test_a_gp_code_and_its_hospital_icd10_twin_are_one_condition():
    codelist = codelists.load("long_term_conditions")
    for concept, twin in synthetic_codes.ICD10_TWINS.items():
        condition = codelist.condition_of(synthetic_codes.CODES[concept], "snomed")
        assert condition is not None, concept
        assert codelist.condition_of(twin, "icd10") == condition, concept
    assert codelist.condition_of("46635009", "snomed") == "diabetes"
    assert codelist.condition_of("E11.9", "icd10") == "diabetes"
    assert codelist.condition_of("C44.9", "icd10") is None  # non-melanoma skin cancer


def test_a_codelist_without_conditions_is_one_condition_named_by_its_title():
    sickle = codelists.load("sickle_cell")
    assert set(sickle.by_condition()) == {"sickle cell disease"}


def test_trait_carriers_are_not_in_the_disease_codelists():
    assert codelists.load("sickle_cell").matches("D57.1", "icd10")
    assert not codelists.load("sickle_cell").matches("D57.3", "icd10")
    assert codelists.load("thalassaemia").matches("D56.1", "icd10")
    assert not codelists.load("thalassaemia").matches("D56.3", "icd10")


def test_a_condition_column_must_be_filled(tmp_path, monkeypatch):
    (tmp_path / "mine.csv").write_text("code,term,system,condition\nI10,Hypertension,icd10,\n")
    (tmp_path / "mine.yaml").write_text(
        "name: mine\ntitle: Mine\nversion: 1\ndate: 2026-12-01\nsource: test\n")
    monkeypatch.setattr(codelists, "FOLDER", tmp_path)
    codelists.load.cache_clear()
    try:
        with pytest.raises(codelists.CodelistError, match="mine.csv line 2: condition is empty"):
            codelists.load("mine")
    finally:
        codelists.load.cache_clear()
