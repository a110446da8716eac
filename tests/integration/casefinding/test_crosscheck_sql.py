"""The engine against SQL written independently from the programme descriptions
(docs/crosscheck.md, docs/crosscheck/sql/), on a small synthetic world with planted people.

Where the readings agree, the independent SQL must find exactly the engine's people. Where they
differ, the aligned SQL (the engine's reading, written from its definition) must find exactly
the engine's people, and the independent SQL must differ in the documented direction: so the
documented reading is the whole of the difference, and a change on either side fails here.
"""

import pytest

from tests.benchmarks import crosscheck_sql as crosscheck
from upstream.casefinding.engine import available_cohorts
from upstream.synth.world import DEFAULT_AS_OF, generate

AGREE = {"core20", "cyp_long_term", "leicester_multimorbidity", "plus_ethnic_minority",
         "westminster_uec_hiu"}
WIDER = {"barts_heart", "barts_yad", "hillingdon_hiu", "kc_primary_care_hiu",
         "leicester_crisis", "ncl_ed_hiu", "nhse_ed_hiu"}
"""The independent reading finds everyone the engine finds, and more (docs/crosscheck.md)."""
BOTH_WAYS = {"cardiac_rehab_not_taken_up"}
"""Each reading finds people the other does not (windows in days and an uptake deadline)."""


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory):
    world = tmp_path_factory.mktemp("synth")
    generate(world, people=3000, seed=7)
    return {c.cohort: c for c in crosscheck.compare(world, DEFAULT_AS_OF)}


def test_every_shipped_cohort_is_cross_checked_and_classified():
    assert crosscheck.sql_cohort_names() == sorted(available_cohorts())
    assert AGREE | WIDER | BOTH_WAYS == set(available_cohorts())
    assert crosscheck.aligned_cohort_names() == sorted(WIDER | BOTH_WAYS)


@pytest.mark.parametrize("cohort", sorted(AGREE))
def test_where_readings_agree_the_independent_sql_finds_the_same_people(comparisons, cohort):
    found = comparisons[cohort]
    assert found.engine, "an empty cohort would agree vacuously"
    assert found.sql == found.engine
    assert found.own_codes == found.engine


@pytest.mark.parametrize("cohort", sorted(WIDER | BOTH_WAYS))
def test_where_readings_differ_the_aligned_sql_finds_the_engines_people(comparisons, cohort):
    found = comparisons[cohort]
    assert found.engine
    assert found.aligned == found.engine


@pytest.mark.parametrize("cohort", sorted(WIDER))
def test_the_wider_independent_readings_find_strictly_more(comparisons, cohort):
    found = comparisons[cohort]
    assert found.engine < found.sql


def test_cardiac_rehab_readings_each_find_people_the_other_does_not(comparisons):
    found = comparisons["cardiac_rehab_not_taken_up"]
    assert found.engine - found.sql and found.sql - found.engine
