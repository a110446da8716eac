"""On a synthetic world with planted truth, every cohort returns exactly the planted members.

The world's truth (:mod:`upstream.synth.truth`) is written independently of the engine, in
plain pandas; the two share only the semantics stated in :mod:`upstream.casefinding.model`.
"""

from datetime import date

import pandas as pd
import pytest

from upstream.casefinding.engine import available_cohorts, find_matches
from upstream.data.sources import load_sources
from upstream.synth import truth
from upstream.synth.world import generate

AS_OF = date(2026, 3, 31)


@pytest.fixture(scope="module", params=[11, 3], ids=lambda seed: f"seed{seed}")
def world(tmp_path_factory, request):
    out = tmp_path_factory.mktemp("world")
    generate(out, people=8000, seed=request.param, as_of=AS_OF)
    found = find_matches(load_sources(out), available_cohorts(), AS_OF)
    return found, pd.read_parquet(out / "truth.parquet")


@pytest.mark.parametrize("cohort", truth.COHORTS)
def test_engine_finds_exactly_the_planted_members(world, cohort):
    found, planted = world
    engine_ids = set(found.loc[found["cohort"] == cohort, "patient_id"])
    truth_ids = set(planted.loc[planted["cohort"] == cohort, "patient_id"])
    assert truth_ids, f"the synthetic world has no {cohort} members to check"
    assert engine_ids == truth_ids
