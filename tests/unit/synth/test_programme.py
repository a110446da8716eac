"""The synthetic programme plants regression to the mean and a known effect; the matched
evaluation recovers the effect and the naive before/after figure does not."""

from __future__ import annotations

import pytest

from upstream.evaluation.impact import Method, evaluate
from upstream.evaluation.table import Roles, load_table
from upstream.synth.programme import AFTER, BEFORE, COVARIATES, simulate_programme

ROLES = Roles(id="person_id", treated="supported", before=BEFORE, after=AFTER,
              covariates=COVARIATES)


def test_the_same_seed_gives_the_same_table_and_another_seed_does_not():
    first, truth = simulate_programme(2000, seed=5)
    again, truth_again = simulate_programme(2000, seed=5)
    other, _ = simulate_programme(2000, seed=6)
    assert first.equals(again) and truth == truth_again
    assert not first.equals(other)


def test_supported_people_were_busy_last_year_and_fall_back_without_any_programme():
    table, truth = simulate_programme(40_000, seed=2, share_prevented=0.0)
    supported = table[table["supported"] == 1]
    others = table[table["supported"] == 0]
    assert supported["ed_y2"].mean() > 2 * others["ed_y2"].mean()
    assert truth.effect_on_treated == 0
    assert truth.regression_to_the_mean < -0.2  # their use falls on its own


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_matched_estimate_covers_the_planted_effect_and_the_naive_overstates_it(
        tmp_path, seed):
    table, truth = simulate_programme(30_000, seed=seed, supported_share=0.01)
    table.to_parquet(tmp_path / "programme.parquet")
    result = evaluate(load_table(tmp_path / "programme.parquet", ROLES),
                      Method(resamples=500))
    assert truth.effect_on_treated < 0
    assert result.ci_low <= truth.effect_on_treated <= result.ci_high
    # the naive before/after counts the fall from regression to the mean as benefit
    assert result.naive_estimate < truth.effect_on_treated
    assert not result.naive_ci_low <= truth.effect_on_treated <= result.naive_ci_high
    assert result.expected_change_without_programme < 0
