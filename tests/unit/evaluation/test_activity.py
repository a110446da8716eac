"""``upstream evaluate activity``: the Upstream impact mode over the activity data.

A synthetic world with a programme planted in it (supported people chosen because their recent
ED use was high, a known share of their later ED attendances prevented): the interval covers
the planted effect and the naive figure's does not; with nothing planted the interval covers 0.
Then the windows on a hand-worked table, comparison contamination, and bad inputs refused with
nothing written.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.data.sources import load_sources
from upstream.evaluation import activity as act
from upstream.evaluation.impact import Method
from upstream.synth.support import plant_support
from upstream.synth.world import generate

AS_OF = date(2026, 3, 31)
WINDOWS = act.Windows(period_days=182, before_periods=2, after_days=365)
WINDOW_ARGS = ["--period-days", "182", "--resamples", "1000"]
runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("impact_world")
    generate(out, people=20_000, seed=5, as_of=AS_OF, chunk_size=10_000)
    return out


def _planted(world: Path, tmp_path: Path, seed: int, share: float):
    copy = tmp_path / f"world_{seed}"
    shutil.copytree(world, copy)
    truth = plant_support(copy, seed, supported=400, share_prevented=share,
                          selection_slope=2.0)
    return copy, truth


def _run(world: Path, out: Path, *extra: str):
    return runner.invoke(app, ["evaluate", "activity", str(world), "--supported",
                               str(world / "supported.csv"), "--out", str(out),
                               *WINDOW_ARGS, *extra])


@pytest.mark.parametrize("seed, share", [(1, 0.5), (2, 0.0)])
def test_the_interval_covers_the_planted_effect_and_the_naive_figure_is_biased(
        world, tmp_path, seed, share):
    folder, truth = _planted(world, tmp_path, seed, share)
    result = _run(folder, tmp_path / "out")
    assert result.exit_code == 0, result.output
    found = json.loads((tmp_path / "out" / "result.json").read_text())
    ed = found["outcomes"]["ed_attendances"]
    assert ed["ci_low"] <= truth.effect_on_treated <= ed["ci_high"]
    # supported for a busy recent spell: their use falls anyway, and the naive figure
    # counts that fall as the programme's
    assert not ed["naive_ci_low"] <= truth.effect_on_treated <= ed["naive_ci_high"]
    assert ed["naive_estimate"] < truth.effect_on_treated
    assert ed["expected_change_without_programme"] < 0
    if share == 0:
        assert truth.effect_on_treated == 0
    else:
        assert ed["ci_high"] < 0  # a real effect is found, not only covered
    assert set(found["outcomes"]) == set(act.OUTCOMES)
    assert found["n_treated"] == truth.supported
    balance = {row["variable"]: row for row in found["balance"]}
    assert abs(balance["ed_attendances_before_1"]["smd_before"]) > 0.5
    assert abs(balance["ed_attendances_before_1"]["smd_after"]) < 0.1
    report = (tmp_path / "out" / "report.md").read_text()
    assert "ED attendances" in report and "naive" in report
    csv_lines = (tmp_path / "out" / "outcomes.csv").read_text().splitlines()
    assert len(csv_lines) == 1 + len(act.OUTCOMES)


def _tiny_sources(tmp_path: Path):
    """One supported person (1) and one possible comparison person (2), index 2025-01-01."""
    con = ibis.duckdb.connect()
    day = date.fromisoformat
    con.create_table("patients", pa.table({
        "patient_id": [1, 2], "nhs_number": pa.array([None, None], pa.string()),
        "birth_date": pa.array([day("1950-06-01"), day("1951-06-01")], pa.date32()),
        "sex": ["F", "F"], "ethnic_category": ["A", "A"], "lsoa_code": ["E01", "E01"],
        "imd_decile": pa.array([1, 2], pa.int8()), "practice_code": ["C82001", "C82001"],
        "death_date": pa.array([None, None], pa.date32())}))
    # ED: offsets -365 (before_2 with 365-day periods), 0 (index day: before_1), 1 and 365
    # (after), 366 (beyond); a type 3 attendance is not ED
    arrivals = ["2024-01-02 10:00", "2025-01-01 09:00", "2025-01-02 23:00", "2026-01-01 08:00",
                "2026-01-02 08:00", "2025-02-01 08:00"]
    con.create_table("ed_attendances", pa.table({
        "attendance_id": list(range(1, 7)), "patient_id": [1] * 6,
        "arrival_time": pa.array([f"{a}:00" for a in arrivals]).cast(pa.timestamp("us")),
        "site_code": ["X"] * 6, "department_type": pa.array([1, 1, 2, 1, 1, 3], pa.int8()),
        "acuity": pa.array([3] * 6, pa.int8()), "discharge_destination": ["home"] * 6}))
    # an emergency stay from 2024-12-30 to 2025-01-03: nights of 30, 31 Dec and 1 Jan are
    # before (index day included), 2 Jan after
    con.create_table("admissions", pa.table({
        "admission_id": [1], "patient_id": [1],
        "admission_date": pa.array([day("2024-12-30")], pa.date32()),
        "discharge_date": pa.array([day("2025-01-03")], pa.date32()),
        "admission_method": ["emergency"], "primary_diagnosis": ["J18.9"],
        "discharge_ready_date": pa.array([day("2025-01-02")], pa.date32())}))
    # long-term support: a spell from 2025-03-01, re-recorded from 2025-06-01 (same spell),
    # then a new spell in 2025-11 after a gap
    con.create_table("social_care_events", pa.table({
        "event_id": [1, 2, 3], "patient_id": [1, 1, 1], "la_code": ["E06000060"] * 3,
        "client_type": ["Service User"] * 3, "event_type": ["Service"] * 3,
        "event_start_date": pa.array([day("2025-03-01"), day("2025-06-01"),
                                      day("2025-11-01")], pa.date32()),
        "event_end_date": pa.array([day("2025-05-31"), day("2025-08-01"), None], pa.date32()),
        "event_outcome": pa.array([None] * 3, pa.string()),
        "service_type": ["Long Term Support: Community"] * 3,
        "service_component": ["Home care"] * 3,
        "primary_support_reason": pa.array([None] * 3, pa.string())}))
    # two codes of one condition (SNOMED and ICD-10 hypertension) and one recorded after the
    # index date: one long-term condition at the index date
    con.create_table("conditions", pa.table({
        "condition_id": [1, 2, 3], "patient_id": [1, 1, 1],
        "code": ["38341003", "I10", "44054006"], "code_system": ["snomed", "icd10", "snomed"],
        "recorded_date": pa.array([day("2020-01-01"), day("2021-01-01"), day("2025-06-01")],
                                  pa.date32())}))
    return load_sources(con)


def test_periods_bed_days_spells_and_conditions_on_a_hand_worked_table(tmp_path):
    sources = _tiny_sources(tmp_path)
    supported = act.Supported(source=tmp_path / "s.csv", ids=[1],
                              index_dates=[date(2025, 1, 1)])
    builder = act._Builder(sources, supported, date(2026, 3, 31), act.Windows(), (1, 2), 1)
    table = builder.table(("ed_attendances", "emergency_bed_days", "delayed_discharges",
                           "long_term_care_starts")).execute().set_index("patient_id")
    one = table.loc[1]
    assert one.treated == 1 and table.loc[2].treated == 0
    assert (one.ed_attendances_before_2, one.ed_attendances_before_1,
            one.ed_attendances_after) == (1, 1, 2)
    assert (one.emergency_bed_days_before_1, one.emergency_bed_days_after) == (3, 1)
    assert one.delayed_discharges_after == 1
    assert one.long_term_care_starts_after == 2
    assert one.ltc == 1 and one.age == 74 and one.imd_quintile == "1"
    assert one.index_quarter == "2025Q1"
    assert str(table.loc[2].index_date)[:10] == "2025-01-01"  # the supported person's date
    assert table.loc[2].ed_attendances_after == 0


def test_supported_and_excluded_people_are_never_comparison_people(world, tmp_path):
    folder, _ = _planted(world, tmp_path, 3, 0.3)
    supported = act.read_supported(folder / "supported.csv")
    supported.excluded = list(range(1000, 3000))
    sources = load_sources(folder)
    act.evaluate_activity(sources, supported, as_of=AS_OF, windows=WINDOWS,
                          method=Method(resamples=100), outcomes=("ed_attendances",))
    people = sources.con.table("upstream_impact_people")
    controls = set(people.filter(people.treated == 0).patient_id.execute())
    assert controls and not controls & (set(supported.ids) | set(supported.excluded))
    matched = sources.con.table("matches").control_row.execute()
    rows = people.filter(people["_row"].isin(matched.tolist())).treated.execute()
    assert (rows == 0).all()


def _refused(world: Path, tmp_path: Path, rows: list[str], *extra: str) -> str:
    listed = tmp_path / "listed.csv"
    listed.write_text("\n".join(["patient_id,index_date", *rows]) + "\n")
    out = tmp_path / "refused"
    result = runner.invoke(app, ["evaluate", "activity", str(world), "--supported",
                                 str(listed), "--out", str(out), *WINDOW_ARGS, *extra])
    assert result.exit_code == 2, result.output
    assert not out.exists() or not any(out.iterdir())
    return " ".join(result.output.split())


def test_bad_inputs_are_refused_saying_what_and_where(world, tmp_path):
    assert "not in the activity data's patients table, the first 999999 on line 3" in \
        _refused(world, tmp_path, ["5,2024-09-01", "999999,2024-09-01"])
    text = _refused(world, tmp_path, ["5,2024-09-01", "6,2026-01-01"])
    assert "outside the range" in text and "2026-01-01 on line 3" in text
    assert "must be from" in text
    assert "listed on line 2 and on line 3" in \
        _refused(world, tmp_path, ["5,2024-09-01", "5,2024-10-01"])
    assert "'index_date' must hold a date written YYYY-MM-DD" in \
        _refused(world, tmp_path, ["5,01/09/2024"])
    assert "no outcome" in _refused(world, tmp_path, ["5,2024-09-01"], "--outcomes",
                                    "ed_visits").lower()


def test_a_missing_table_is_refused_or_its_outcome_reported_as_not_measured(world, tmp_path):
    folder, _ = _planted(world, tmp_path, 4, 0.3)
    (folder / "social_care_events.parquet").unlink()
    result = _run(folder, tmp_path / "out", "--outcomes", "ed_attendances,long_term_care_starts")
    assert result.exit_code == 0, result.output
    found = json.loads((tmp_path / "out" / "result.json").read_text())
    assert set(found["outcomes"]) == {"ed_attendances"}
    assert "no social_care_events table" in found["not_measured"]["long_term_care_starts"]
    (folder / "patients.parquet").unlink()
    assert _run(folder, tmp_path / "out2").exit_code == 2
    assert not (tmp_path / "out2").exists()


def test_the_delayed_discharge_column_may_be_left_out(world, tmp_path):
    folder, _ = _planted(world, tmp_path, 6, 0.3)
    admissions = pq.read_table(folder / "admissions.parquet").drop(["discharge_ready_date"])
    pq.write_table(admissions, folder / "admissions.parquet")
    result = _run(folder, tmp_path / "out", "--outcomes", "ed_attendances,delayed_discharges")
    assert result.exit_code == 0, result.output
    found = json.loads((tmp_path / "out" / "result.json").read_text())
    assert "discharge_ready_date" in found["not_measured"]["delayed_discharges"]
