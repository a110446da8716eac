"""Impact against a matched comparison group: propensity score, nearest-neighbour matching in
the database, balance, difference-in-differences with a bootstrap interval
(docs/adr/0015-matched-evaluation.md).

The method, for a :class:`~upstream.evaluation.table.PersonTable`:

1. **Propensity score**: a logistic regression (statsmodels) of treated on the covariates and
   the before columns (numeric columns standardised; categorical covariates one-hot, first
   level as reference). Only this fit reads the columns into memory (N x p floats); the score
   itself, its logit, is computed in the database from the coefficients.
2. **Matching** (in the database, Ibis on DuckDB): each treated person gets the ``neighbours``
   controls nearest on the logit of the score, with replacement, within exact strata if any,
   and within a caliper of ``caliper_sd`` standard deviations of the logit (pooled SD of
   treated and controls). Rows are sorted by score within stratum; a control's rank is its
   position among controls, a treated row's rank the number of controls sorted before it, so
   its k nearest controls are among the ranks ``rank - k + 1 .. rank + k``: an equi-join on
   (stratum, rank) with 2k offsets, then the k nearest within the caliper. Ties in score are
   broken by a seeded hash of the row, so treated people with the same score spread over the
   equally good controls instead of all taking the same one. Treated people with no control
   inside the caliper are left out and counted.
3. **Balance**: standardised mean differences for every covariate (each level of a categorical
   one), before column and the score, before and after matching. SMD = (mean treated - mean
   control) / sqrt((var treated + var control) / 2), the denominator always from the whole
   sample before matching, so the two columns differ only by the means; after matching the
   control mean weights each matched control by 1/k of each treated person it serves.
4. **Estimate**: change = after - mean(before columns). For each matched treated person,
   d = own change - mean change of their matched controls; the estimate (average effect on
   the treated, ATT) is the mean of d. The naive figure is the treated people's own mean
   change; the matched controls' mean change is the change expected without the programme
   (regression to the mean plus any trend), so naive = expected change + estimate.
5. **Interval**: percentile bootstrap over the matched sets (each treated person with their
   matched controls, resampled with replacement), ``resamples`` times with a seeded generator.
   It holds the score and the matches fixed (it does not refit or rematch).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import ibis
import numpy as np
import pandas as pd

from upstream.evaluation.table import ROW, PersonTable, TableError

STEPS = ("Fitting the propensity score", "Scoring everyone in the database",
         "Matching in the database", "Checking balance", "Estimating with a bootstrap")
"""The steps :func:`evaluate` reports to ``progress``, in order."""
_HASH_MULTIPLIER, _HASH_MODULUS = 2654435761, 2**32
FIT_CONTROLS = 250_000
"""Most controls the propensity model is fitted on (a seeded sample beyond; see _fit_score)."""


@dataclass(frozen=True)
class Method:
    """The parameters of the method (the defaults are those of ADR 0015)."""

    neighbours: int = 4
    """Controls matched to each treated person, with replacement (4, as Abadie and Imbens
    use: fewer controls reused heavily make a noisier estimate)."""
    caliper_sd: float = 0.2
    """Largest distance on the logit of the score, in pooled SDs of the logit (Austin 2011)."""
    resamples: int = 2000
    """Bootstrap resamples of the matched sets."""
    confidence: float = 0.95
    seed: int = 1
    """Seeds the bootstrap and the tie-breaking between equal scores."""

    def __post_init__(self):
        if self.neighbours < 1:
            raise ValueError("neighbours must be 1 or more")
        if not self.caliper_sd > 0:
            raise ValueError("caliper_sd must be more than 0")
        if self.resamples < 100:
            raise ValueError("resamples must be 100 or more")
        if not 0.5 < self.confidence < 1:
            raise ValueError("confidence must be between 0.5 and 1")


@dataclass
class BalanceRow:
    variable: str
    mean_treated: float
    mean_control: float
    smd_before: float
    mean_treated_matched: float
    mean_control_matched: float
    smd_after: float


@dataclass
class Result:
    """What :func:`evaluate` found; :meth:`to_dict` is the ``result.json`` content."""

    estimate: float
    ci_low: float
    ci_high: float
    naive_estimate: float
    naive_ci_low: float
    naive_ci_high: float
    expected_change_without_programme: float
    expected_change_ci_low: float
    expected_change_ci_high: float
    n_people: int
    n_treated: int
    n_treated_matched: int
    n_treated_unmatched: int
    n_controls: int
    n_matched_controls: int
    max_control_reuse: int
    caliper: float
    balance: list[BalanceRow]
    trajectory: list[dict]
    """Mean of each before column and the after column, matched treated vs matched controls."""
    coefficients: dict[str, float]
    fit_controls: int
    """Controls the propensity model was fitted on (all of them up to FIT_CONTROLS)."""
    method: Method
    dropped_missing: dict = field(default_factory=dict)
    bootstrap_draws: list[float] = field(default_factory=list)
    """The impact in each bootstrap resample (finite ones), so that value-for-money figures
    can carry the same uncertainty (:mod:`upstream.evaluation.economics`)."""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["method"] = {
            "name": "propensity score matching with difference-in-differences (ATT)",
            "propensity_model": "logistic regression (statsmodels) of treated on the covariates "
                                "and before columns; numeric columns standardised, categorical "
                                "one-hot with the first level as reference",
            "distance": "absolute difference in the logit of the propensity score",
            "matching": "nearest neighbour with replacement, within exact strata",
            "caliper_rule": f"{self.method.caliper_sd} x pooled SD of the logit of the score",
            "estimand": "average effect on the treated (ATT) of the matched treated",
            "outcome_change": "after - mean(before columns)",
            "interval": "percentile bootstrap over matched sets (treated person with their "
                        "matched controls), score and matches held fixed",
            **asdict(self.method),
        }
        return data


@dataclass
class Matching:
    """A matched comparison (steps 1 to 4 of the module docstring): every outcome measured on
    the same people is estimated from it by :func:`estimate`, so they share one comparison
    group, one balance table and (the bootstrap being seeded) the same resamples."""

    people: PersonTable
    scored: ibis.Table
    """The people with ``_score`` (logit of the propensity score) and ``_tiebreak``."""
    matches: ibis.Table
    """(treated_row, control_row, distance, weight), materialised."""
    counts: dict[str, int]
    caliper: float
    intercept: float
    coefficients: dict[str, float]
    fit_controls: int
    balance: list[BalanceRow]
    n_matched_controls: int
    max_control_reuse: int
    method: Method


def evaluate(people: PersonTable, method: Method = Method(),
             progress: Callable[[str], None] | None = None) -> Result:
    """Run the matched evaluation of ``people`` (see the module docstring)."""
    matching = match(people, method, progress)
    (progress or (lambda step: None))(STEPS[4])
    return estimate(matching, people.roles.before, people.roles.after)


def match(people: PersonTable, method: Method = Method(),
          progress: Callable[[str], None] | None = None) -> Matching:
    """Steps 1 to 4: fit the score on the covariates and the before columns, score everyone,
    match and check balance. Reports the first four :data:`STEPS` to ``progress``."""
    report = progress or (lambda step: None)
    roles = people.roles
    table = people.table
    report(STEPS[0])
    counts = _group_counts(table, roles.treated)
    if counts["treated"] == 0 or counts["controls"] == 0:
        raise TableError(f"{people.source.name} needs treated people (1) and controls (0) in "
                         f"'{roles.treated}': it has {counts['treated']:,} treated and "
                         f"{counts['controls']:,} controls")
    terms = _terms(people)
    tiebreak = (table[ROW] * _HASH_MULTIPLIER + method.seed) % _HASH_MODULUS
    coefficients, intercept, fit_controls = _fit_score(
        table.mutate(_tiebreak=tiebreak), roles.treated, terms, counts["controls"])
    report(STEPS[1])
    logit = intercept + sum((term.value(table) * coefficients[term.name] for term in terms),
                            ibis.literal(0.0))
    scored = table.mutate(_score=logit, _tiebreak=tiebreak)
    people.con.create_table("scored", scored, overwrite=True)
    scored = people.con.table("scored")
    caliper = method.caliper_sd * _pooled_sd(scored, "_score", roles.treated)
    report(STEPS[2])
    matches = _match(scored, roles, method.neighbours, caliper)
    people.con.create_table("matches", matches, overwrite=True)
    matches = people.con.table("matches")
    if matches.count().execute() == 0:
        raise TableError("No treated person has a control within the caliper "
                         f"({method.caliper_sd} SD of the score's logit); widen --caliper or "
                         "check that the controls resemble the treated")
    report(STEPS[3])
    balance = _balance(scored, matches, roles.treated, [
        *_raw_variables(people), ("propensity score (logit)", _column("_score"))])
    reuse = matches.group_by("control_row").aggregate(n=matches.count())
    reuse_stats = reuse.aggregate(controls=reuse.count(), most=reuse.n.max()).execute().iloc[0]
    return Matching(
        people=people, scored=scored, matches=matches, counts=counts, caliper=float(caliper),
        intercept=float(intercept),
        coefficients={t.name: float(coefficients[t.name]) for t in terms},
        fit_controls=fit_controls, balance=balance,
        n_matched_controls=int(reuse_stats["controls"]),
        max_control_reuse=int(reuse_stats["most"]), method=method)


def estimate(matching: Matching, before: Sequence[str], after: str) -> Result:
    """Step 5 for one outcome measured on the matched people: change = ``after`` - mean of
    ``before`` (columns of the matched table), the difference-in-differences and its
    bootstrap interval, beside the naive change and the change expected without the
    programme."""
    before = tuple(before)
    sets = _matched_sets(matching.scored, matching.matches, before, after)
    n_matched = len(sets)
    counts = matching.counts
    return Result(
        **_bootstrap(sets, matching.method),
        n_people=counts["treated"] + counts["controls"],
        n_treated=counts["treated"], n_treated_matched=n_matched,
        n_treated_unmatched=counts["treated"] - n_matched, n_controls=counts["controls"],
        n_matched_controls=matching.n_matched_controls,
        max_control_reuse=matching.max_control_reuse, caliper=matching.caliper,
        balance=matching.balance,
        trajectory=_trajectory(matching.scored, matching.matches, before, after),
        coefficients={"intercept": matching.intercept, **matching.coefficients},
        fit_controls=matching.fit_controls, method=matching.method,
        dropped_missing=matching.people.dropped,
    )


@dataclass(frozen=True)
class _Term:
    """One column of the propensity model: a standardised number or a level indicator."""

    name: str
    column: str
    level: str | None = None
    centre: float = 0.0
    scale: float = 1.0

    def value(self, table: ibis.Table) -> ibis.FloatingValue:
        if self.level is not None:
            return (table[self.column] == self.level).ifelse(1.0, 0.0)
        return (table[self.column] - self.centre) / self.scale


def _terms(people: PersonTable) -> list[_Term]:
    roles = people.roles
    numeric = [*people.numeric_covariates, *roles.before]
    table = people.table
    stats = table.aggregate(**{f"m{i}": table[c].mean() for i, c in enumerate(numeric)},
                            **{f"s{i}": table[c].std() for i, c in enumerate(numeric)}
                            ).execute().iloc[0]
    terms = []
    for i, name in enumerate(numeric):
        scale = float(stats[f"s{i}"])
        if not scale > 0 or math.isnan(scale):
            raise TableError(f"Column '{name}' has the same value for everyone; leave it out "
                             "of the covariates (it cannot tell treated from controls)")
        terms.append(_Term(name, name, centre=float(stats[f"m{i}"]), scale=scale))
    for name, levels in people.levels.items():
        terms += [_Term(f"{name}={level}", name, level=level) for level in levels[1:]]
    return terms


def _raw_variables(people: PersonTable) -> list[tuple[str, Callable]]:
    """The balance table's rows: covariates (every level of a categorical), then before."""
    rows: list[tuple[str, Callable]] = []
    for name in people.roles.covariates:
        if name in people.levels:
            rows += [(f"{name}={level}", _level(name, level)) for level in people.levels[name]]
        else:
            rows.append((name, _column(name)))
    rows += [(name, _column(name)) for name in people.roles.before]
    return rows


def _column(name: str) -> Callable[[ibis.Table], ibis.Value]:
    return lambda table: table[name]


def _level(name: str, level: str) -> Callable[[ibis.Table], ibis.Value]:
    return lambda table: (table[name] == level).ifelse(1.0, 0.0)


def _group_counts(table: ibis.Table, treated: str) -> dict[str, int]:
    counts = table.aggregate(treated=(table[treated] == 1).sum(),
                             controls=(table[treated] == 0).sum()).execute().iloc[0]
    return {"treated": int(counts["treated"]), "controls": int(counts["controls"])}


def _fit_score(table: ibis.Table, treated: str, terms: list[_Term], controls: int
               ) -> tuple[dict[str, float], float, int]:
    """Fit the logistic regression; return the coefficients by term name, the intercept and
    the number of controls the fit used.

    Beyond :data:`FIT_CONTROLS` controls, the fit uses every treated person and a seeded
    sample of controls (by the row hash ``_tiebreak``) and adds log(sampled / all controls)
    to the intercept: sampling on the outcome changes only a logistic model's intercept
    (Prentice and Pyke 1979), so the score is that of the whole table, and memory stays
    bounded whatever the pool.
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError

    if controls > FIT_CONTROLS:
        threshold = int(FIT_CONTROLS / controls * _HASH_MODULUS)
        table = table.filter((table[treated] == 1) | (table._tiebreak < threshold))
    design = table.select(_y=table[treated], **{f"x{i}": t.value(table)
                                                for i, t in enumerate(terms)})
    frame = design.to_pyarrow().to_pandas()
    x = np.column_stack([np.ones(len(frame)), frame.drop(columns="_y").to_numpy(float)])
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("error", category=RuntimeWarning)
            fit = sm.Logit(frame["_y"].to_numpy(float), x).fit(disp=0, maxiter=100)
    except (PerfectSeparationError, np.linalg.LinAlgError, RuntimeWarning) as error:
        raise TableError(
            "The propensity score cannot be fitted: the covariates separate treated from "
            "controls completely, or some of them are redundant (one is a combination of "
            f"others). Remove or group covariates. ({error.__class__.__name__}: {error})"
        ) from None
    params = np.asarray(fit.params)
    if not np.all(np.isfinite(params)):
        raise TableError("The propensity score cannot be fitted (its coefficients are not "
                         "finite): the covariates separate treated from controls completely")
    fitted_controls = int((frame["_y"] == 0).sum())
    offset = math.log(fitted_controls / controls)
    return ({t.name: float(params[i + 1]) for i, t in enumerate(terms)},
            float(params[0]) + offset, fitted_controls)


def _pooled_sd(table: ibis.Table, column: str, treated: str) -> float:
    stats = table.group_by(treated).aggregate(v=table[column].var()).execute()
    variance = stats["v"].fillna(0.0).mean()
    return float(math.sqrt(variance)) if variance > 0 else 1.0


def _match(scored: ibis.Table, roles, k: int, caliper: float) -> ibis.Table:
    """Pairs (treated_row, control_row, distance, weight): each treated row's k nearest
    controls on the score within its stratum and the caliper; weight = 1 / its matches."""
    strata = list(roles.exact)
    is_control = (scored[roles.treated] == 0).ifelse(1, 0)
    window = ibis.cumulative_window(group_by=strata or None,
                                    order_by=[scored["_score"], scored["_tiebreak"], scored[ROW]])
    ranked = scored.select(*strata, ROW, "_score", _treated=scored[roles.treated],
                           _rank=is_control.sum().over(window))
    controls = ranked.filter(ranked._treated == 0).select(
        *strata, _rank=ranked._rank, control_row=ranked[ROW], control_score=ranked._score)
    treated = ranked.filter(ranked._treated == 1).select(
        *strata, _base=ranked._rank, treated_row=ranked[ROW], treated_score=ranked._score)
    offsets = ibis.memtable({"_offset": list(range(-k + 1, k + 1))})
    wanted = treated.cross_join(offsets)
    wanted = wanted.mutate(_rank=wanted._base + wanted._offset)
    pairs = wanted.join(controls, [*strata, "_rank"])
    pairs = pairs.mutate(distance=(pairs.treated_score - pairs.control_score).abs())
    pairs = pairs.filter(pairs.distance <= caliper)
    order = ibis.window(group_by="treated_row", order_by=["distance", "control_row"])
    pairs = pairs.mutate(_order=ibis.row_number().over(order))
    pairs = pairs.filter(pairs._order < k)
    per_treated = ibis.window(group_by="treated_row")
    pairs = pairs.mutate(weight=1.0 / pairs.count().over(per_treated))
    return pairs.select("treated_row", "control_row", "distance", "weight")


def _balance(scored: ibis.Table, matches: ibis.Table, treated: str,
             variables: list[tuple[str, Callable]]) -> list[BalanceRow]:
    values = {f"v{i}": value(scored) for i, (_, value) in enumerate(variables)}
    before = scored.group_by(_group=scored[treated]).aggregate(
        **{f"{key}_mean": v.mean() for key, v in values.items()},
        **{f"{key}_var": v.var() for key, v in values.items()},
    ).execute().set_index("_group")
    matched_treated = scored.semi_join(matches, scored[ROW] == matches.treated_row)
    t_means = matched_treated.aggregate(**{
        key: value(matched_treated).mean() for key, (_, value) in
        zip(values, variables, strict=True)}).execute().iloc[0]
    weights = matches.group_by("control_row").aggregate(w=matches.weight.sum())
    controls = scored.join(weights, scored[ROW] == weights.control_row)
    c_means = controls.aggregate(**{
        key: (value(controls) * controls.w).sum() / controls.w.sum() for key, (_, value) in
        zip(values, variables, strict=True)}).execute().iloc[0]
    rows = []
    for key, (name, _) in zip(values, variables, strict=True):
        mean_t, mean_c = before.loc[1.0, f"{key}_mean"], before.loc[0.0, f"{key}_mean"]
        var_t, var_c = before.loc[1.0, f"{key}_var"], before.loc[0.0, f"{key}_var"]
        sd = math.sqrt((_zero_if_nan(var_t) + _zero_if_nan(var_c)) / 2)
        rows.append(BalanceRow(
            variable=name, mean_treated=float(mean_t), mean_control=float(mean_c),
            smd_before=_smd(mean_t, mean_c, sd),
            mean_treated_matched=_float(t_means[key]), mean_control_matched=_float(c_means[key]),
            smd_after=_smd(t_means[key], c_means[key], sd)))
    return rows


def _zero_if_nan(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def _float(value) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


def _smd(mean_t, mean_c, sd: float) -> float:
    if mean_t is None or mean_c is None or pd.isna(mean_t) or pd.isna(mean_c):
        return float("nan")
    difference = float(mean_t) - float(mean_c)
    if sd == 0:
        return 0.0 if difference == 0 else math.copysign(math.inf, difference)
    return difference / sd


def _change(table: ibis.Table, before: tuple[str, ...], after: str) -> ibis.FloatingValue:
    total = sum((table[c] for c in before[1:]), table[before[0]])
    return table[after] - total / len(before)


def _matched_sets(scored: ibis.Table, matches: ibis.Table, before: tuple[str, ...],
                  after: str) -> _Sets:
    """The matched sets as arrays: each matched treated person's change, each used control's
    change, and the sparse weights linking them."""
    from scipy.sparse import csr_matrix

    change = scored.select(ROW, _change=_change(scored, before, after))
    pairs = matches.join(change, matches.control_row == change[ROW])
    frame = pairs.select("treated_row", "control_row", "weight",
                         control_change=pairs._change).to_pyarrow().to_pandas()
    treated_rows = np.unique(frame["treated_row"].to_numpy())
    control_rows, control_index = np.unique(frame["control_row"].to_numpy(),
                                            return_inverse=True)
    treated_index = np.searchsorted(treated_rows, frame["treated_row"].to_numpy())
    treated = change.filter(change[ROW].isin(ibis.memtable(
        {"r": treated_rows}).r)).to_pyarrow().to_pandas().set_index(ROW)
    controls = frame.groupby("control_row")["control_change"].first()
    weights = csr_matrix((frame["weight"].to_numpy(float), (treated_index, control_index)),
                         shape=(len(treated_rows), len(control_rows)))
    return _Sets(treated=treated.loc[treated_rows, "_change"].to_numpy(float),
                 controls=controls.loc[control_rows].to_numpy(float), weights=weights)


@dataclass
class _Sets:
    treated: np.ndarray
    """Change of each matched treated person."""
    controls: np.ndarray
    """Change of each control used as a match."""
    weights: object
    """Sparse (treated x control): weight of control j in treated i's set (rows sum to 1)."""

    def __len__(self) -> int:
        return len(self.treated)


def _bootstrap(sets: _Sets, method: Method) -> dict[str, float | list[float]]:
    """Point estimates and percentile intervals.

    Each resample draws a Poisson(1) count for every matched set (a treated person with their
    controls: resampling the sets) and, independently, for every control used, once however
    many sets use it: a control matched to several treated people moves all their sets
    together, which resampling the sets alone would treat as independent (it would understate
    the interval when controls are reused). The control side is then the weighted mean change
    sum_j K*_j b_j change_j / sum_j K*_j b_j, with K*_j the resampled sets' weight on control j.
    """
    treated, controls, weights = sets.treated, sets.controls, sets.weights
    control_mean = weights.sum(axis=0).A1 @ controls / len(treated)
    point = (treated.mean(), control_mean)
    rng = np.random.default_rng(method.seed)
    draws = np.empty((method.resamples, 2))
    batch = max(1, 4_000_000 // (len(treated) + len(controls)))
    for start in range(0, method.resamples, batch):
        size = min(batch, method.resamples - start)
        set_counts = rng.poisson(1.0, size=(size, len(treated))).astype(float)
        control_counts = rng.poisson(1.0, size=(size, len(controls))).astype(float)
        reach = np.asarray((weights.T @ set_counts.T).T) * control_counts
        with np.errstate(invalid="ignore", divide="ignore"):  # an empty resample is NaN
            draws[start:start + size, 0] = (set_counts @ treated) / set_counts.sum(axis=1)
            draws[start:start + size, 1] = (reach @ controls) / reach.sum(axis=1)
    tail = (1 - method.confidence) / 2 * 100
    naive_low, naive_high = np.nanpercentile(draws[:, 0], [tail, 100 - tail])
    expected_low, expected_high = np.nanpercentile(draws[:, 1], [tail, 100 - tail])
    impact = draws[:, 0] - draws[:, 1]
    low, high = np.nanpercentile(impact, [tail, 100 - tail])
    return {
        "estimate": float(point[0] - point[1]), "ci_low": float(low), "ci_high": float(high),
        "naive_estimate": float(point[0]), "naive_ci_low": float(naive_low),
        "naive_ci_high": float(naive_high),
        "expected_change_without_programme": float(point[1]),
        "expected_change_ci_low": float(expected_low),
        "expected_change_ci_high": float(expected_high),
        "bootstrap_draws": impact[np.isfinite(impact)].tolist(),
    }


def _trajectory(scored: ibis.Table, matches: ibis.Table, before: tuple[str, ...],
                after: str) -> list[dict]:
    columns = [*before, after]
    matched_treated = scored.semi_join(matches, scored[ROW] == matches.treated_row)
    t_means = matched_treated.aggregate(**{f"c{i}": matched_treated[c].mean()
                                           for i, c in enumerate(columns)}).execute().iloc[0]
    weights = matches.group_by("control_row").aggregate(w=matches.weight.sum())
    controls = scored.join(weights, scored[ROW] == weights.control_row)
    c_means = controls.aggregate(**{
        f"c{i}": (controls[c] * controls.w).sum() / controls.w.sum()
        for i, c in enumerate(columns)}).execute().iloc[0]
    return [{"column": c, "period": "after" if c == after else "before",
             "treated": _float(t_means[f"c{i}"]), "matched_controls": _float(c_means[f"c{i}"])}
            for i, c in enumerate(columns)]
