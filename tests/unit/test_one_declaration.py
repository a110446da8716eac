"""Each fact is declared once and every user of it reads that declaration."""

import typing

from upstream.casefinding import model, worklist
from upstream.data import schema
from upstream.service.api.schemas import SexCode
from upstream.service.people.models import Person
from upstream.standards import vocabularies
from upstream.synth import people


def test_sex_codes_and_their_meaning_are_the_nhs_data_dictionarys_everywhere():
    assert vocabularies.SEX["I"] == "Indeterminate"
    codes = tuple(vocabularies.SEX)
    assert schema.patients.sex.allowed == codes
    assert people.SEXES == codes
    assert worklist.SEX_LABELS == vocabularies.SEX
    assert typing.get_args(SexCode) == codes
    assert Person._meta.get_field("sex").choices == list(vocabularies.SEX.items())
    assert "I indeterminate" in schema.patients.sex.description


def test_ethnic_categories_are_declared_once():
    codes = tuple(vocabularies.ETHNIC_CATEGORIES)
    assert schema.patients.ethnic_category.allowed == codes
    assert people.ETHNIC_CATEGORIES == codes


def test_event_tables_are_the_contracts_and_their_date_columns_exist():
    assert model.EVENT_TABLES is schema.EVENT_TABLES
    for table, (date_column, _) in schema.EVENT_TABLES.items():
        assert schema.TABLES[table].columns[date_column].type in ("date", "timestamp")
