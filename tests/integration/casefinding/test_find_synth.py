"""``upstream find --cohort all`` on a small synthetic world with planted truth."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from upstream.casefinding import worklist as wl
from upstream.casefinding.engine import find_matches
from upstream.cli import app
from upstream.data.sources import load_sources
from upstream.synth import planted
from upstream.synth.world import DEFAULT_AS_OF, generate

PEOPLE = 1500


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    generate(folder, people=PEOPLE, seed=7)
    return folder


@pytest.fixture(scope="module")
def found(world, tmp_path_factory):
    out = tmp_path_factory.mktemp("found") / "worklist.parquet"
    result = CliRunner().invoke(app, ["find", "--data", str(world), "--cohort", "all",
                                      "--as-of", DEFAULT_AS_OF.isoformat(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return wl.read_worklist(out), result.output


def members(worklist: pd.DataFrame) -> pd.DataFrame:
    """(patient_id, cohort) pairs of the worklist."""
    pairs = worklist.assign(cohort=worklist["cohorts"].str.split(wl.COHORT_SEPARATOR))
    return pairs.explode("cohort")[["patient_id", "cohort"]]


def test_each_person_appears_once_ranked_from_one(found):
    worklist, _ = found
    assert worklist["patient_id"].is_unique
    assert worklist["rank"].tolist() == list(range(1, len(worklist) + 1))
    assert worklist["priority"].is_monotonic_decreasing


def test_all_runs_the_case_finding_cohorts_but_not_the_population_flags(found):
    worklist, _ = found
    cohorts = set(members(worklist)["cohort"])
    assert {"ncl_ed_hiu", "hillingdon_hiu"} <= cohorts
    assert not cohorts & {"core20", "plus_ethnic_minority"}


def test_worklist_holds_exactly_the_living_people_the_engine_matched(world, found):
    worklist, _ = found
    matches = find_matches(load_sources(world), "all", DEFAULT_AS_OF)
    matches = matches[~matches["cohort"].isin(["core20", "plus_ethnic_minority"])]
    patients = pd.read_parquet(world / "patients.parquet")
    living = patients.loc[patients["death_date"].isna(), "patient_id"]
    expected = set(matches.loc[matches["patient_id"].isin(living),
                               ["patient_id", "cohort"]].itertuples(index=False, name=None))
    assert set(members(worklist).itertuples(index=False, name=None)) == expected


def test_planted_ed_high_intensity_users_are_on_the_worklist(world, found):
    worklist, _ = found
    planted_ids = range(1, len(planted.plant(DEFAULT_AS_OF)[0]["patients"]) + 1)
    truth = pd.read_parquet(world / "truth.parquet")
    truth = truth[truth["patient_id"].isin(planted_ids)]
    pairs = members(worklist)
    pairs = pairs[pairs["patient_id"].isin(planted_ids)]
    for cohort in ("ncl_ed_hiu", "nhse_ed_hiu", "westminster_uec_hiu"):
        expected = set(truth.loc[truth["cohort"] == cohort, "patient_id"])
        assert expected, cohort
        assert set(pairs.loc[pairs["cohort"] == cohort, "patient_id"]) == expected, cohort


def test_printed_summary_is_suppressed(found):
    _, output = found
    counts = [line.split("│")[-2].strip() for line in output.splitlines()
              if line.startswith("│")]
    assert counts
    assert all(count in ("<10", "[c]", "0") or (int(count.replace(",", "")) >= 10
                                                and int(count.replace(",", "")) % 5 == 0)
               for count in counts)
