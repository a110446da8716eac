"""Coverage of ``upstream evaluate activity`` on synthetic worlds with a planted programme.

Run: ``.venv/bin/python tests/benchmarks/coverage_activity.py --seeds 20 --people 20000``.
Each seed is a fresh world (:mod:`upstream.synth.world`) with a programme planted in it
(:mod:`upstream.synth.support`: about 400 people supported because their recent ED use was
high, half their type 1-2 ED attendances in the following year prevented), evaluated on ED
attendances through :func:`upstream.evaluation.activity.evaluate_activity` with the defaults
(182-day before periods, 1,000 resamples). Prints one Markdown row per seed and a summary:
how often the 95% interval covers the planted effect (over the supported people matched, the
estimand, and over all supported people) and how often the naive interval does.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from upstream.data.sources import load_sources
from upstream.evaluation import activity as act
from upstream.evaluation.impact import Method
from upstream.synth.support import plant_support
from upstream.synth.world import generate

AS_OF = date(2026, 3, 31)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--supported", type=int, default=400)
    parser.add_argument("--share", type=float, default=0.5)
    args = parser.parse_args()
    covered = covered_matched = naive_covered = 0
    start = time.perf_counter()
    print("| seed | supported | matched | truth (all supported) | truth (matched) | estimate "
          "| 95% CI | naive |")
    print("|---|---|---|---|---|---|---|---|")
    for seed in range(1, args.seeds + 1):
        with tempfile.TemporaryDirectory() as folder:
            world = Path(folder)
            generate(world, people=args.people, seed=100 + seed, as_of=AS_OF)
            truth = plant_support(world, seed, supported=args.supported,
                                  share_prevented=args.share, selection_slope=2.0)
            sources = load_sources(world)
            found = act.evaluate_activity(
                sources, act.read_supported(world / "supported.csv"), as_of=AS_OF,
                windows=act.Windows(182, 2, 365), method=Method(resamples=1000, seed=seed),
                outcomes=("ed_attendances",)).outcomes["ed_attendances"]
            matched = _matched_truth(sources, world)
        inside = found.ci_low <= truth.effect_on_treated <= found.ci_high
        inside_matched = found.ci_low <= matched <= found.ci_high
        covered += inside
        covered_matched += inside_matched
        naive_covered += found.naive_ci_low <= truth.effect_on_treated <= found.naive_ci_high
        print(f"| {seed} | {truth.supported} | {found.n_treated_matched} | "
              f"{truth.effect_on_treated:.3f} | {matched:.3f} | {found.estimate:.3f} | "
              f"{found.ci_low:.3f} to {found.ci_high:.3f}"
              f"{'' if inside_matched else ' (misses)'} | "
              f"{found.naive_estimate:.3f} |", flush=True)
    print(f"\nCoverage of the truth over the matched supported people (the estimand): "
          f"{covered_matched}/{args.seeds}; of the truth over all supported people: "
          f"{covered}/{args.seeds}; naive interval covers the truth "
          f"{naive_covered}/{args.seeds}; {time.perf_counter() - start:.0f} s")


def _matched_truth(sources, world: Path) -> float:
    """Mean effect over the supported people the evaluation matched (its estimand)."""
    import pandas as pd

    people = sources.con.table("upstream_impact_people")
    matches = sources.con.table("matches")
    rows = set(matches.treated_row.execute().tolist())
    ids = people.filter(people["_row"].isin(list(rows))).patient_id.execute().tolist()
    prevented = pd.read_csv(world / "support_prevented.csv").set_index("patient_id")
    return -float(prevented.loc[ids, "prevented"].mean())


if __name__ == "__main__":
    main()
