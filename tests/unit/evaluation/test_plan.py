"""An evaluation plan declared before the results: parsed, fingerprinted, checked against the
run, and a plan changed after results were first seen is reported as such."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.evaluation.impact import Method
from upstream.evaluation.plan import PlanError, departures, load_plan, standing
from upstream.evaluation.table import Roles
from upstream.synth.programme import simulate_programme

runner = CliRunner()

PLAN = """\
# Declared 1 March, before any data were seen.
outcomes: [ed_after]
windows:
  before: [ed_y1, ed_y2]
  after: ed_after
  description: two years before, one year after referral
comparison:
  kind: matched
  covariates: [age, sex, ltc, imd_quintile]
estimator:
  name: difference-in-differences
  neighbours: 4
  caliper_sd: 0.2
  resamples: 200
  seed: 1
"""

ARGS = ["--id", "person_id", "--treated", "supported", "--before", "ed_y1,ed_y2",
        "--after", "ed_after", "--covariates", "age,sex,ltc,imd_quintile",
        "--resamples", "200"]


def _plan(tmp_path: Path, text: str = PLAN, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_fingerprint_ignores_comments_order_and_defaults_but_not_substance(tmp_path):
    plan = load_plan(_plan(tmp_path))
    reordered = "\n".join([
        "estimator: {seed: 1, resamples: 200, neighbours: 4, caliper_sd: 0.2}",
        "comparison: {covariates: [age, sex, ltc, imd_quintile]}",
        "windows: {after: ed_after, before: [ed_y1, ed_y2],",
        "          description: 'two years before, one year after referral'}",
        "outcomes: [ed_after]"])
    same = load_plan(_plan(tmp_path, reordered, "same.yaml"))
    changed = load_plan(_plan(tmp_path, PLAN.replace("caliper_sd: 0.2", "caliper_sd: 0.25"),
                              "changed.yaml"))
    assert len(plan.fingerprint()) == 64
    assert same.fingerprint() == plan.fingerprint()
    assert changed.fingerprint() != plan.fingerprint()


@pytest.mark.parametrize(("text", "message"), [
    (PLAN.replace("  neighbours: 4", "  neighbours: 0"), "key 'estimator.neighbours'"),
    (PLAN.replace("outcomes: [ed_after]", "outcomes: [ed_other]"), "key 'outcomes'"),
    (PLAN.replace("  kind: matched", "  kind: matched\n  weighting: yes"),
     "key 'comparison.weighting'"),
    (PLAN.replace("windows:", "windows: [\n"), "not valid YAML"),
])
def test_a_bad_plan_is_refused_naming_the_file_and_key(tmp_path, text, message):
    path = _plan(tmp_path, text)
    with pytest.raises(PlanError) as error:
        load_plan(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_departures_name_each_plan_key_the_run_does_not_follow(tmp_path):
    plan = load_plan(_plan(tmp_path))
    roles = Roles(id="person_id", treated="supported", before=("ed_y1", "ed_y2"),
                  after="ed_after", covariates=("age", "sex", "ltc", "imd_quintile"))
    assert departures(plan, roles, Method(resamples=200)) == []
    found = departures(plan, roles, Method(resamples=200, neighbours=5, seed=7))
    assert [line.split(":")[0] for line in found] == ["estimator.neighbours", "estimator.seed"]


def test_the_register_keeps_the_first_plan_and_flags_a_later_change(tmp_path):
    register = tmp_path / "register.json"
    plan = load_plan(_plan(tmp_path))
    first = standing(plan, Path("plan.yaml"), register, results_exist=False,
                     now=datetime(2026, 3, 1, tzinfo=UTC))
    assert first.status == "declared-before-results"
    register.write_bytes(first.register_bytes())
    again = standing(plan, Path("plan.yaml"), register, results_exist=True)
    assert again.status == "declared-before-results"
    assert again.first_recorded_at == "2026-03-01T00:00:00+00:00"
    changed = load_plan(_plan(tmp_path, PLAN.replace("seed: 1", "seed: 2"), "p2.yaml"))
    later = standing(changed, Path("p2.yaml"), register, results_exist=True)
    assert later.status == "changed-after-results"
    assert later.first_fingerprint == plan.fingerprint() != later.fingerprint
    assert [entry["fingerprint"] for entry in later.register_after["plans"]] == [
        plan.fingerprint(), changed.fingerprint()]


def test_a_plan_first_recorded_beside_existing_results_says_so(tmp_path):
    plan = load_plan(_plan(tmp_path))
    record = standing(plan, Path("plan.yaml"), tmp_path / "r.json", results_exist=True)
    assert record.status == "declared-after-results"
    assert "declared after results" in "\n".join(record.markdown())


def test_a_broken_register_is_refused_naming_it(tmp_path):
    register = tmp_path / "register.json"
    register.write_text('{"plans": [{"fingerprint": "abc"}]}')
    with pytest.raises(PlanError, match="register.json: plans\\[0\\] has no 'recorded_at'"):
        standing(load_plan(_plan(tmp_path)), Path("plan.yaml"), register, results_exist=True)


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    frame: pd.DataFrame = simulate_programme(3000, seed=3, supported_share=0.02)[0]
    path = tmp_path_factory.mktemp("table") / "table.csv"
    frame.to_csv(path, index=False)
    return path


def _run(table: Path, out: Path, plan: Path, *extra: str):
    return runner.invoke(app, ["evaluate", "table", str(table), *ARGS, "--out", str(out),
                               "--plan", str(plan), *extra])


def test_the_command_records_the_plan_and_reports_a_change_after_results(tmp_path, table):
    out = tmp_path / "out"
    plan = _plan(tmp_path)
    first = _run(table, out, plan)
    assert first.exit_code == 0, first.output
    result = json.loads((out / "result.json").read_text())
    fingerprint = load_plan(plan).fingerprint()
    assert result["plan"]["fingerprint"] == fingerprint
    assert result["plan"]["status"] == "declared-before-results"
    assert fingerprint in (out / "report.md").read_text()
    assert "plan declared before the results were first computed" in (
        out / "report.md").read_text()

    changed = _plan(tmp_path, PLAN.replace("seed: 1", "seed: 2"), "plan-v2.yaml")
    second = _run(table, out, changed, "--seed", "2")
    assert second.exit_code == 0, second.output
    result = json.loads((out / "result.json").read_text())
    assert result["plan"]["status"] == "changed-after-results"
    assert result["plan"]["first_fingerprint"] == fingerprint
    report = (out / "report.md").read_text()
    assert "plan changed after results were first seen" in report and fingerprint in report
    register = json.loads((out / "plan-register.json").read_text())
    assert len(register["plans"]) == 2


def test_a_run_that_departs_from_its_plan_is_refused_and_writes_nothing(tmp_path, table):
    out = tmp_path / "out"
    refused = _run(table, out, _plan(tmp_path), "--neighbours", "3")
    assert refused.exit_code == 2
    assert "estimator.neighbours" in refused.output and "Nothing was written" in refused.output
    assert not out.exists() or not any(out.iterdir())


def test_a_register_path_outside_the_output_folder_is_used(tmp_path, table):
    register = tmp_path / "registers" / "ed.json"
    done = _run(table, tmp_path / "out", _plan(tmp_path), "--register", str(register))
    assert done.exit_code == 0, done.output
    assert json.loads(register.read_text())["plans"][0]["results_existed"] is False
    assert not (tmp_path / "out" / "plan-register.json").exists()
