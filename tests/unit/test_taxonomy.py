"""The directory taxonomy: NEEDS stays the top level, every term is reachable, and everyday
words find the terms a link worker would choose."""

import pytest

from upstream.standards import taxonomy
from upstream.standards.vocabularies import NEEDS


def test_the_needs_codes_and_labels_are_the_top_level_unchanged():
    themes = {t.code: t.label for t in taxonomy.TERMS.values() if t.parent is None}
    assert themes == NEEDS


def test_every_theme_has_sub_themes_each_with_synonyms():
    for code in NEEDS:
        subs = taxonomy.children(code)
        assert len(subs) >= 2, code
        assert all(sub.synonyms and sub.theme == code for sub in subs)


def test_descendants_include_the_term_and_its_sub_themes_only():
    assert taxonomy.descendants(["money_debt"]) == {
        "money_debt", "debt_advice", "benefits_advice", "financial_hardship", "energy_bills"}
    assert taxonomy.descendants(["food_bank"]) == {"food_bank"}
    with pytest.raises(KeyError, match="no_such_term"):
        taxonomy.descendants(["no_such_term"])


def test_term_ids_are_stable_distinct_uuids():
    ids = [t.id for t in taxonomy.TERMS.values()]
    assert len(set(ids)) == len(ids)
    assert taxonomy.term_id("food_bank") == taxonomy.TERMS["food_bank"].id


@pytest.mark.parametrize(("text", "expected"), [
    ("I can't pay my rent", {"debt_advice", "housing_advice"}),
    ("I CANNOT pay the rent", {"debt_advice", "housing_advice"}),
    ("lonely, no one to talk to", {"befriending"}),
    ("skint and the bailiffs came", {"financial_hardship", "debt_advice"}),
    ("need a food parcel", {"food_bank"}),
    ("Benefits stopped", {"benefits_advice"}),
])
def test_everyday_words_find_their_terms(text, expected):
    assert expected <= {m.term.code for m in taxonomy.match_text(text)}


def test_words_match_whole_not_inside_other_words():
    assert "housing_advice" not in {m.term.code for m in taxonomy.match_text("parental")}
    assert taxonomy.match_text("") == []


def test_matches_say_which_words_matched_strongest_first():
    matches = taxonomy.match_text("no one to talk to since my wife died")
    by_code = {m.term.code: m for m in matches}
    assert "no one to talk to" in by_code["befriending"].phrases
    assert by_code["befriending"].strength >= 5
    assert matches == sorted(matches, key=lambda m: -m.strength)


def test_hsds_term_names_its_parent():
    hsds = taxonomy.as_hsds_term("debt_advice")
    assert hsds["parent_id"] == taxonomy.term_id("money_debt")
    assert "parent_id" not in taxonomy.as_hsds_term("money_debt")
