"""The matched evaluation on tiny tables with answers worked out by hand."""

from __future__ import annotations

import math

import ibis
import numpy as np
import pandas as pd
import pytest

from upstream.evaluation.impact import Method, _match, evaluate
from upstream.evaluation.table import ROW, Roles, load_table

ROLES = Roles(id="pid", treated="t", before=("b1", "b2"), after="a", covariates=("x",))


def _twins_table() -> pd.DataFrame:
    """12 treated people, each with a control twin (same x, b1, b2) and a control unlike
    anyone; after values chosen so every difference is known."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(12):
        x, b1, b2 = float(i), float(rng.integers(0, 6)), float(rng.integers(0, 6))
        rows.append({"pid": f"t{i}", "t": 1, "x": x, "b1": b1, "b2": b2,
                     "a": float(rng.integers(0, 6))})
        rows.append({"pid": f"c{i}", "t": 0, "x": x, "b1": b1, "b2": b2,
                     "a": float(rng.integers(0, 6))})
        rows.append({"pid": f"o{i}", "t": 0, "x": x + 0.5, "b1": float(rng.integers(0, 6)),
                     "b2": float(rng.integers(0, 6)), "a": float(rng.integers(0, 6))})
    return pd.DataFrame(rows)


@pytest.fixture
def twins(tmp_path):
    frame = _twins_table()
    path = tmp_path / "twins.csv"
    frame.to_csv(path, index=False)
    return frame, load_table(path, ROLES)


def test_each_treated_person_is_matched_to_their_twin_and_the_estimate_is_the_hand_figure(
        twins):
    frame, people = twins
    result = evaluate(people, Method(neighbours=1, resamples=200))
    change = frame["a"] - (frame["b1"] + frame["b2"]) / 2
    treated = change[frame["t"] == 1].to_numpy()
    twin = change[frame["pid"].str.startswith("c")].to_numpy()
    assert result.n_treated_matched == 12
    assert result.n_matched_controls == 12
    assert result.estimate == pytest.approx((treated - twin).mean())
    assert result.naive_estimate == pytest.approx(treated.mean())
    assert result.expected_change_without_programme == pytest.approx(twin.mean())
    assert result.ci_low <= result.estimate <= result.ci_high


def test_balance_smds_match_a_hand_computation(twins):
    frame, people = twins
    result = evaluate(people, Method(neighbours=1, resamples=200))
    rows = {row.variable: row for row in result.balance}
    treated, controls = frame[frame["t"] == 1], frame[frame["t"] == 0]
    for name in ("x", "b1", "b2"):
        pooled = np.sqrt((treated[name].var(ddof=1) + controls[name].var(ddof=1)) / 2)
        expected = (treated[name].mean() - controls[name].mean()) / pooled
        assert rows[name].smd_before == pytest.approx(expected)
        assert rows[name].mean_control == pytest.approx(controls[name].mean())
        # after matching the controls are the twins: identical means, SMD 0
        assert rows[name].smd_after == pytest.approx(0.0, abs=1e-12)
    assert list(rows) == ["x", "b1", "b2", "propensity score (logit)"]


def _scored(rows: list[tuple[int, int, float]], strata: list[str] | None = None,
            tiebreak: list[int] | None = None) -> ibis.Table:
    frame = pd.DataFrame(rows, columns=[ROW, "t", "_score"])
    frame["_tiebreak"] = tiebreak or frame[ROW]
    if strata:
        frame["s"] = strata
    return ibis.memtable(frame)


def _pairs(table: ibis.Table, k: int, caliper: float, exact: tuple[str, ...] = ()):
    roles = Roles(id="pid", treated="t", before=("b",), after="a", covariates=("x",),
                  exact=exact)
    pairs = _match(table, roles, k, caliper).execute()
    return {(int(r.treated_row), int(r.control_row)): r.weight for r in pairs.itertuples()}


def test_matching_takes_the_k_nearest_controls_on_the_score_with_replacement():
    #   controls at 0.0, 1.0, 1.4, 3.0, 10.0; treated at 1.1 and 1.3
    table = _scored([(1, 0, 0.0), (2, 0, 1.0), (3, 0, 1.4), (4, 0, 3.0), (5, 0, 10.0),
                     (6, 1, 1.1), (7, 1, 1.3)])
    assert _pairs(table, k=1, caliper=5) == {(6, 2): 1.0, (7, 3): 1.0}
    assert _pairs(table, k=2, caliper=5) == {(6, 2): 0.5, (6, 3): 0.5,
                                             (7, 3): 0.5, (7, 2): 0.5}
    assert set(_pairs(table, k=3, caliper=5)) == {(6, 2), (6, 3), (6, 1), (7, 2), (7, 3),
                                                  (7, 1)}


def test_the_caliper_leaves_out_a_treated_person_with_no_close_control():
    table = _scored([(1, 0, 0.0), (2, 0, 1.0), (3, 1, 0.9), (4, 1, 6.0)])
    assert _pairs(table, k=1, caliper=0.5) == {(3, 2): 1.0}
    # with k=2 the second neighbour (0.0) is outside the caliper: one match, weight 1
    assert _pairs(table, k=2, caliper=0.5) == {(3, 2): 1.0}


def test_exact_strata_are_never_crossed():
    table = _scored([(1, 0, 1.0), (2, 0, 5.0), (3, 1, 1.1), (4, 1, 4.0)],
                    strata=["a", "b", "b", "a"])
    assert _pairs(table, k=1, caliper=100, exact=("s",)) == {(3, 2): 1.0, (4, 1): 1.0}


def test_treated_people_with_equal_scores_spread_over_equally_close_controls():
    # evaluate() orders equal scores by a seeded hash of the row; here an order that
    # interleaves them (c1 t4 c2 t5 c3 t6) stands for it
    table = _scored([(1, 0, 2.0), (2, 0, 2.0), (3, 0, 2.0), (4, 1, 2.0), (5, 1, 2.0),
                     (6, 1, 2.0)], tiebreak=[1, 3, 5, 2, 4, 6])
    pairs = _pairs(table, k=1, caliper=1)
    assert len(pairs) == 3
    assert {control for _, control in pairs} == {1, 2, 3}


def test_without_controls_the_evaluation_is_refused(tmp_path):
    from upstream.evaluation.table import TableError

    frame = _twins_table()
    frame["t"] = 1
    frame.to_csv(tmp_path / "all_treated.csv", index=False)
    with pytest.raises(TableError, match="0 controls"):
        evaluate(load_table(tmp_path / "all_treated.csv", ROLES))


def test_a_large_pool_is_sampled_for_the_fit_and_the_intercept_corrected(tmp_path, monkeypatch):
    import upstream.evaluation.impact as impact
    from upstream.synth.programme import AFTER, BEFORE, COVARIATES, simulate_programme

    table, _ = simulate_programme(20_000, seed=4, supported_share=0.02)
    table.to_parquet(tmp_path / "programme.parquet")
    roles = Roles(id="person_id", treated="supported", before=BEFORE, after=AFTER,
                  covariates=COVARIATES)
    people = load_table(tmp_path / "programme.parquet", roles)
    full = evaluate(people, Method(resamples=100))
    monkeypatch.setattr(impact, "FIT_CONTROLS", 4000)
    sampled = evaluate(people, Method(resamples=100))
    controls = int((table["supported"] == 0).sum())
    assert full.fit_controls == controls
    assert sampled.fit_controls == pytest.approx(4000, rel=0.05)
    # the corrected intercept puts the score on the whole table's scale: the mean logit of
    # the controls agrees with the full fit (uncorrected it would be ~log(controls/4000) higher)
    logit = {r.variable: r for r in full.balance}["propensity score (logit)"].mean_control
    sampled_logit = {r.variable: r for r in sampled.balance}["propensity score (logit)"]
    assert sampled_logit.mean_control == pytest.approx(logit, abs=0.25)
    assert math.log(controls / 4000) > 1.5


def test_no_control_within_the_caliper_is_refused(tmp_path):
    from upstream.evaluation.table import TableError

    frame = _twins_table()
    frame = frame[~frame["pid"].str.startswith("c")]  # no twins: every control differs
    frame.to_csv(tmp_path / "no_twins.csv", index=False)
    with pytest.raises(TableError, match="No treated person has a control within the caliper"):
        evaluate(load_table(tmp_path / "no_twins.csv", ROLES),
                 Method(neighbours=1, caliper_sd=1e-9, resamples=100))
