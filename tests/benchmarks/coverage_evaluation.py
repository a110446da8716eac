"""Coverage study of the matched evaluation on synthetic programmes with planted truth.

Run: ``.venv/bin/python tests/benchmarks/coverage_evaluation.py --seeds 100 --people 100000``
(prints Markdown for docs/evaluation-coverage.md).

Each seed simulates a population (:mod:`upstream.synth.programme`): persistent individual
propensity for ED use, year-to-year noise, support given *because* last year's use was high
(so regression to the mean is present) and a planted effect (a quarter of the supported
people's after-year attendances prevented). The table goes through the same path as
``upstream evaluate table`` (a Parquet file, :func:`load_table`, :func:`evaluate` with the
default method) and the 95% interval is compared with the planted effect on the treated.
The script fails (exit 1) if coverage is below 90% or the naive figure is not biased.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from upstream.evaluation.impact import Method, evaluate
from upstream.evaluation.table import Roles, load_table
from upstream.synth.programme import AFTER, BEFORE, COVARIATES, simulate_programme

ROLES = Roles(id="person_id", treated="supported", before=BEFORE, after=AFTER,
              covariates=COVARIATES)


def run(seed: int, people: int, folder: Path, method: Method) -> dict:
    table, truth = simulate_programme(people, seed)
    path = folder / f"programme_{seed}.parquet"
    table.to_parquet(path)
    result = evaluate(load_table(path, ROLES), method)
    path.unlink()
    return {
        "seed": seed, "truth": truth.effect_on_treated, "estimate": result.estimate,
        "ci_low": result.ci_low, "ci_high": result.ci_high, "naive": result.naive_estimate,
        "expected": result.expected_change_without_programme,
        "true_rtm": truth.regression_to_the_mean, "treated": result.n_treated,
        "unmatched": result.n_treated_unmatched,
        "covered": result.ci_low <= truth.effect_on_treated <= result.ci_high,
        "naive_covered": result.naive_ci_low <= truth.effect_on_treated <= result.naive_ci_high,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    method = Method(resamples=args.resamples)
    started = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(1, args.seeds + 1):
            runs.append(run(seed, args.people, Path(folder), method))
            print(f"seed {seed}: truth {runs[-1]['truth']:+.3f} estimate "
                  f"{runs[-1]['estimate']:+.3f} [{runs[-1]['ci_low']:+.3f}, "
                  f"{runs[-1]['ci_high']:+.3f}] naive {runs[-1]['naive']:+.3f}",
                  file=sys.stderr)
    elapsed = time.perf_counter() - started

    def mean(key: str) -> float:
        return statistics.fmean(r[key] for r in runs)

    errors = [r["estimate"] - r["truth"] for r in runs]
    naive_errors = [r["naive"] - r["truth"] for r in runs]
    widths = [(r["ci_high"] - r["ci_low"]) / 3.92 for r in runs]
    coverage = sum(r["covered"] for r in runs) / len(runs)
    naive_coverage = sum(r["naive_covered"] for r in runs) / len(runs)
    naive_below = sum(e < 0 for e in naive_errors) / len(runs)
    print(f"{len(runs)} seeds, {args.people:,} people each, {args.resamples:,} bootstrap "
          f"resamples, default method ({method.neighbours} neighbours, caliper "
          f"{method.caliper_sd} SD); {elapsed:.0f} s in all.\n")
    print("| figure | matched estimate (DiD) | naive before/after |")
    print("|---|---|---|")
    print(f"| mean planted effect on the treated | {mean('truth'):+.3f} | {mean('truth'):+.3f} |")
    print(f"| mean figure | {mean('estimate'):+.3f} | {mean('naive'):+.3f} |")
    print(f"| mean error (figure - truth) | {statistics.fmean(errors):+.3f} | "
          f"{statistics.fmean(naive_errors):+.3f} |")
    print(f"| SD of the error over seeds | {statistics.stdev(errors):.3f} | "
          f"{statistics.stdev(naive_errors):.3f} |")
    print(f"| mean standard error implied by the 95% interval | {statistics.fmean(widths):.3f} "
          "| |")
    print(f"| 95% interval covers the truth | {coverage:.0%} | {naive_coverage:.0%} |")
    print(f"| figure below (more favourable than) the truth | "
          f"{sum(e < 0 for e in errors) / len(runs):.0%} | {naive_below:.0%} |")
    print(f"\nMean supported people per run: {mean('treated'):.0f}, of whom "
          f"{mean('unmatched'):.1f} had no control within the caliper. Mean change expected "
          f"without the programme (matched comparison): {mean('expected'):+.3f}; the supported "
          f"people's own counterfactual change (planted): {mean('true_rtm'):+.3f}.")
    if coverage < 0.9 or naive_below < 0.9:
        print("FAILED: coverage under 90% or the naive figure not biased", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
