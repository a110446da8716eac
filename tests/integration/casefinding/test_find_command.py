"""``upstream find`` end to end on a tiny folder of Parquet files built here."""

import contextlib
import sqlite3
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.integration.casefinding.conftest import plain
from upstream.casefinding import worklist as wl
from upstream.cli import app
from upstream.standards import nhs_number

AS_OF = "2024-06-30"
FREQUENT = range(1, 13)
"""Patients 1-12 attend ED 16 + id times in the 12 months to the as-of date (NCL: > 15)."""
OCCASIONAL = range(13, 26)
"""Patients 13-25 attend twice."""


def write_population(folder, *, break_it: bool = False):
    """Patients 1-25, adults; patient id decides deprivation (1 most deprived ... 10) and sex.
    ``break_it`` gives two patients the same id, which validation must refuse."""
    folder.mkdir()
    numbers = nhs_number.test_range()
    ids = list(FREQUENT) + list(OCCASIONAL)
    patients = pd.DataFrame({
        "patient_id": pd.array(ids, dtype="int64"),
        "nhs_number": pd.array([next(numbers) for _ in ids], dtype="string"),
        "birth_date": [date(1960 + i, 3, 1) for i in ids],
        "sex": ["F" if i % 2 else "M" for i in ids],
        "ethnic_category": ["A"] * len(ids),
        "lsoa_code": ["E01000001"] * len(ids),
        "imd_decile": pd.array([(i - 1) % 10 + 1 for i in ids], dtype="int8"),
        "practice_code": ["C82001"] * len(ids),
        "death_date": pd.array([None] * len(ids), dtype="date32[pyarrow]"),
    })
    if break_it:
        patients.loc[1, "patient_id"] = 1
    patients.to_parquet(folder / "patients.parquet")
    start = datetime(2023, 7, 5, 10, 0)
    rows = []
    for pid in ids:
        visits = 16 + pid if pid in FREQUENT else 2
        rows += [(pid, start + timedelta(days=9 * k)) for k in range(visits)]
    pd.DataFrame({
        "attendance_id": pd.array(range(1, len(rows) + 1), dtype="int64"),
        "patient_id": pd.array([pid for pid, _ in rows], dtype="int64"),
        "arrival_time": [when for _, when in rows],
        "site_code": ["RAL01"] * len(rows),
        "department_type": pd.array([1] * len(rows), dtype="int8"),
        "acuity": pd.array([3] * len(rows), dtype="int8"),
        "discharge_destination": ["home"] * len(rows),
    }).to_parquet(folder / "ed_attendances.parquet")
    return folder


@pytest.fixture
def data(tmp_path):
    return write_population(tmp_path / "population")


def find(*args: str):
    return CliRunner().invoke(app, ["find", "--as-of", AS_OF, *args])


@pytest.mark.parametrize("suffix", wl.FORMATS)
def test_find_writes_a_ranked_worklist_and_prints_the_suppressed_summary(data, tmp_path, suffix):
    out = tmp_path / f"worklist{suffix}"

    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out))

    assert result.exit_code == 0, result.output
    worklist = wl.read_worklist(out)
    assert sorted(worklist["patient_id"]) == list(FREQUENT)
    assert worklist["rank"].tolist() == list(range(1, 13))
    assert worklist["cohorts"].eq("ncl_ed_hiu").all()
    assert worklist["nhs_number"].str.fullmatch(r"999\d{7}").all()
    text = plain(result.output)
    assert "All people All 10" in text  # 12 people, rounded to the nearest 5
    assert "Cohort ncl_ed_hiu 10" in text
    assert "Female <10" in text and "Male <10" in text
    assert f"Wrote {out}" in text


def test_deprivation_weight_reorders_the_worklist(data, tmp_path):
    plain_order, weighted = tmp_path / "plain.csv", tmp_path / "weighted.csv"

    find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(plain_order),
         "--deprivation-weight", "0")
    find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(weighted),
         "--deprivation-weight", "2")

    # without weighting the most attendances come first (patient 12, decile 2)
    assert wl.read_worklist(plain_order)["patient_id"].tolist()[:3] == [12, 11, 10]
    # with a strong weight, patient 11 (decile 1) overtakes patient 12 (decile 2)
    assert wl.read_worklist(weighted)["patient_id"].tolist()[0] == 11


def test_top_caps_each_cohort(data, tmp_path):
    out = tmp_path / "top.parquet"
    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out),
                  "--top", "5", "--deprivation-weight", "0")
    assert result.exit_code == 0, result.output
    assert wl.read_worklist(out)["patient_id"].tolist() == [12, 11, 10, 9, 8]


def test_invalid_data_is_refused_with_the_report_exit_code_2_and_no_output(tmp_path):
    data = write_population(tmp_path / "broken", break_it=True)
    out = tmp_path / "worklist.csv"

    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out))

    assert result.exit_code == 2
    text = plain(result.output)
    assert "patients.patient_id" in text
    assert "Nothing was written" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]


def test_an_unreadable_file_is_named_with_exit_code_2_and_no_output(tmp_path):
    data = write_population(tmp_path / "damaged")
    (data / "ed_attendances.parquet").write_bytes(b"not a parquet file")
    out = tmp_path / "worklist.csv"

    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out))

    assert result.exit_code == 2
    assert "Cannot read ed_attendances.parquet" in plain(result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged"]


@pytest.mark.parametrize(("options", "message"), [
    (["--cohort", "no_such_cohort"], "No cohort named 'no_such_cohort'"),
    (["--cohort", "ncl_ed_hiu", "--param", "ncl_ed_hiu-threshold"], "is not COHORT.KEY=VALUE"),
    (["--cohort", "ncl_ed_hiu", "--param", "other.x=1"], "which is not being run"),
    (["--cohort", "ncl_ed_hiu", "--cohort-weight", "ncl_ed_hiu=-1"], "weight of 0 or more"),
])
def test_bad_options_exit_2_before_anything_is_written(data, tmp_path, options, message):
    out = tmp_path / "worklist.csv"
    result = find("--data", str(data), "--out", str(out), *options)
    assert result.exit_code == 2
    assert message in plain(result.output)
    assert not out.exists()


def test_an_unsupported_output_format_is_refused(data, tmp_path):
    result = find("--data", str(data), "--cohort", "ncl_ed_hiu",
                  "--out", str(tmp_path / "worklist.json"))
    assert result.exit_code == 2
    assert ".csv, .parquet, .xlsx" in plain(result.output)


def test_find_reads_a_database_that_ibis_reaches_by_url(data, tmp_path):
    database = tmp_path / "population.sqlite"
    with contextlib.closing(sqlite3.connect(database)) as con:
        for table in ("patients", "ed_attendances"):
            pd.read_parquet(data / f"{table}.parquet").to_sql(table, con, index=False)
    out = tmp_path / "worklist.csv"

    result = find("--data", f"sqlite:///{database}", "--cohort", "ncl_ed_hiu", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert sorted(wl.read_worklist(out)["patient_id"]) == list(FREQUENT)


def test_a_definitions_top_n_can_be_set_with_param(data, tmp_path):
    out = tmp_path / "worklist.csv"
    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out),
                  "--param", "ncl_ed_hiu.top_n=3", "--deprivation-weight", "0")
    assert result.exit_code == 0, result.output
    assert wl.read_worklist(out)["patient_id"].tolist() == [12, 11, 10]


def test_an_unknown_cohort_parameter_exits_2(data, tmp_path):
    out = tmp_path / "worklist.csv"
    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out),
                  "--param", "ncl_ed_hiu.no_such_parameter=3")
    assert result.exit_code == 2
    assert "no parameter 'no_such_parameter'" in plain(result.output)
    assert not out.exists()


def add_attendances(folder, *moments: datetime) -> None:
    """Append ED attendances of patient 13 (an occasional attender) at these moments."""
    path = folder / "ed_attendances.parquet"
    ed = pd.read_parquet(path)
    extra = ed.head(len(moments)).copy()
    extra["attendance_id"] = range(len(ed) + 1, len(ed) + 1 + len(moments))
    extra["patient_id"] = 13
    extra["arrival_time"] = list(moments)
    pd.concat([ed, extra], ignore_index=True).to_parquet(path)


def test_rows_after_the_as_of_date_are_ignored_counted_and_recorded(data, tmp_path):
    add_attendances(data, datetime(2024, 7, 2, 9), datetime(2024, 8, 1, 9))
    out = tmp_path / "worklist.csv"

    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out))

    assert result.exit_code == 0, result.output
    text = plain(result.output)
    assert "Ignored 2 row(s) dated after the as-of date: ed_attendances 2." in text
    assert sorted(wl.read_worklist(out)["patient_id"]) == list(FREQUENT)
    about = pd.read_csv(tmp_path / "worklist.about.csv", dtype=str)
    values = dict(zip(about["item"], about["value"], strict=True))
    assert values["as of"] == AS_OF
    assert values["rows after the as-of date, ignored: ed_attendances"] == "2"


def test_without_as_of_the_latest_complete_day_is_used_and_said(data, tmp_path):
    # The last activity is early on 1 July 2024 (an extract taken that morning): the run is
    # as of 30 June, and says why.
    add_attendances(data, datetime(2024, 7, 1, 3))
    out = tmp_path / "worklist.xlsx"

    result = CliRunner().invoke(app, ["find", "--data", str(data), "--cohort", "ncl_ed_hiu",
                                      "--out", str(out)])

    assert result.exit_code == 0, result.output
    text = " ".join(plain(result.output).split())
    assert ("As of 2024-06-30: the latest complete day in the data (activity is recorded up to "
            "2024-07-01, which may be partial)") in text
    about = pd.read_excel(out, sheet_name="About", dtype=str)
    assert about.loc[about["item"] == "as of", "value"].tolist() == ["2024-06-30"]


def test_the_worklist_lists_the_local_choices_of_its_cohorts(data, tmp_path):
    out = tmp_path / "worklist.csv"

    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out),
                  "--param", "ncl_ed_hiu.cluster_days=28")

    assert result.exit_code == 0, result.output
    about = pd.read_csv(tmp_path / "worklist.about.csv", dtype=str)
    values = dict(zip(about["item"], about["value"], strict=True))
    assert values["local choice: ncl_ed_hiu.min_age"].startswith("18: The programme gives no age")
    assert values["local choice: ncl_ed_hiu.cluster_days"] == "28: set for this run"
    assert "local choice: ncl_ed_hiu.more_than" not in values  # the programme's own figure


def test_without_as_of_a_source_with_no_activity_is_refused(data, tmp_path):
    (data / "ed_attendances.parquet").unlink()
    out = tmp_path / "worklist.csv"

    result = CliRunner().invoke(app, ["find", "--data", str(data), "--cohort", "ncl_ed_hiu",
                                      "--out", str(out)])

    assert result.exit_code == 2
    assert "no activity to take an as-of date from" in " ".join(plain(result.output).split())
    assert not out.exists()


def test_a_missing_table_a_chosen_cohort_needs_is_an_error_naming_the_cohorts(data, tmp_path):
    (data / "ed_attendances.parquet").unlink()
    out = tmp_path / "worklist.csv"

    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--cohort", "nhse_ed_hiu",
                  "--out", str(out))

    assert result.exit_code == 2
    text = plain(result.output)
    assert "ncl_ed_hiu needs ed_attendances" in text
    assert "nhse_ed_hiu needs ed_attendances" in text
    assert "--allow-missing" in text and "Nothing was written" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["population"]


def test_allow_missing_runs_the_others_and_marks_the_cohorts_not_run_never_0(data, tmp_path):
    (data / "ed_attendances.parquet").unlink()
    out = tmp_path / "worklist.csv"

    result = find("--data", str(data), "--cohort", "ncl_ed_hiu", "--cohort", "core20",
                  "--out", str(out), "--allow-missing")

    assert result.exit_code == 0, result.output
    assert "ncl_ed_hiu not run" in plain(result.output)
    summary = pd.read_csv(tmp_path / "worklist.summary.csv")
    row = summary[(summary["breakdown"] == "Cohort") & (summary["group"] == "ncl_ed_hiu")]
    assert row["people"].isna().all() and row["note"].tolist() == ["not run"]
    core20 = summary[(summary["breakdown"] == "Cohort") & (summary["group"] == "core20")]
    assert core20["note"].tolist() == ["<10"]  # deciles 1-2: patients 1, 2, 11, 12, 21, 22


def test_summary_counts_are_written_as_numbers(data, tmp_path):
    out = tmp_path / "worklist.parquet"
    find("--data", str(data), "--cohort", "ncl_ed_hiu", "--out", str(out))
    summary = pd.read_parquet(tmp_path / "worklist.summary.parquet")
    assert str(summary["people"].dtype) == "Int64"
    everyone = summary[summary["breakdown"] == "All people"]
    assert everyone["people"].tolist() == [10]  # 12 people, rounded to the nearest 5
