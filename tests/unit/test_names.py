"""Family names compared as a demographic trace does: case, accents, spaces, hyphens and
apostrophes are ignored; any other difference is a different name."""

import pytest

from upstream.standards.names import normalise_family_name, same_family_name


@pytest.mark.parametrize(("typed", "stored"), [
    ("O'Brien", "OBRIEN"),
    ("O’Brien", "o brien"),
    ("Smith-Jones", "smith jones"),
    ("Smith–Jones", "SMITHJONES"),
    ("  MacDonald ", "macdonald"),
    ("Zoë", "ZOE"),
    ("St. John", "st john"),
])
def test_spellings_of_one_name_match(typed, stored):
    assert same_family_name(typed, stored)


@pytest.mark.parametrize(("typed", "stored"), [
    ("Smith", "Smyth"),
    ("Smith-Jones", "Smith"),
    ("OBrien", "Bryan"),
    ("", ""),
    ("-", "'"),
])
def test_different_names_do_not_match(typed, stored):
    assert not same_family_name(typed, stored)


def test_normalised_form():
    assert normalise_family_name("O’Brien-Smith") == "obriensmith"
