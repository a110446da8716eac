"""One meaning of "all" cohorts, for the library and the command line."""

import pytest
import typer

from upstream.casefinding import definitions
from upstream.casefinding.command import _chosen_cohorts
from upstream.casefinding.engine import build_cohorts

FLAGS = {"core20", "plus_ethnic_minority"}


def test_all_is_every_worklist_cohort_and_no_population_flag():
    chosen = definitions.select("all")
    assert set(chosen) == set(definitions.available()) - FLAGS
    assert all(definitions.load(name).kind == "worklist" for name in chosen)


def test_library_and_command_line_mean_the_same_all():
    library = [cohort.name for cohort in build_cohorts("all")]
    assert library == definitions.select("all") == _chosen_cohorts(["all"])


def test_a_flag_runs_when_named_and_repeats_are_dropped():
    assert definitions.select(["core20", "all", "core20"])[0] == "core20"
    assert definitions.select(["core20", "all", "core20"]).count("core20") == 1


def test_an_unknown_cohort_is_named():
    with pytest.raises(definitions.DefinitionError, match="No cohort named 'nope'"):
        build_cohorts(["nope"])
    with pytest.raises(typer.BadParameter, match="No cohort named 'nope'"):
        _chosen_cohorts(["nope"])
