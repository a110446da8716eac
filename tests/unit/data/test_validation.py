"""Validation names the table, column, rows and fix for each kind of problem."""

import sqlite3
from contextlib import closing
from datetime import date

import ibis
import pandas as pd
import pytest

from upstream.data.sources import load_sources
from upstream.data.validation import validate

AS_OF = date(2026, 3, 31)
VALID_NHS = "9990000018"


def patients(**changes) -> pd.DataFrame:
    rows = pd.DataFrame({
        "patient_id": [1, 2, 3],
        "nhs_number": [VALID_NHS, None, "9990000026"],
        "birth_date": pd.to_datetime(["1980-01-01", "1990-06-15", "2001-12-31"]).date,
        "sex": ["F", "M", "U"],
        "ethnic_category": ["A", "99", "M"],
        "lsoa_code": ["E01000001"] * 3,
        "imd_decile": [1, None, 10],
        "practice_code": ["C82001"] * 3,
        "death_date": [None, None, None],
    })  # fmt: skip
    rows["death_date"] = pd.to_datetime(rows["death_date"]).dt.date
    rows["imd_decile"] = rows["imd_decile"].astype("Int8")
    for column, value in changes.items():
        rows[column] = value
    return rows


def ed(**changes) -> pd.DataFrame:
    rows = pd.DataFrame({
        "attendance_id": [10, 11],
        "patient_id": [1, 2],
        "arrival_time": pd.to_datetime(["2026-01-01 10:00", "2026-02-01 23:59"]),
        "site_code": ["RAL01", "RAL01"],
        "department_type": [1, 3],
        "acuity": [3, None],
        "discharge_destination": ["home", "admitted"],
    })  # fmt: skip
    rows["acuity"] = rows["acuity"].astype("Int8")
    for column, value in changes.items():
        rows[column] = value
    return rows


def write(folder, csv: bool = False, **tables):
    folder.mkdir(exist_ok=True)
    for name, frame in tables.items():
        if csv:
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def only(report, kind):
    found = [p for p in report.problems if p.kind == kind]
    assert len(found) == 1, report.to_text()
    return found[0]


def test_a_valid_source_has_only_missing_table_warnings(tmp_path):
    report = validate(write(tmp_path / "src", patients=patients(), ed_attendances=ed()), AS_OF)
    assert report.ok, report.to_text()
    assert {p.kind for p in report.problems} == {"missing_table"}
    assert all(p.severity == "warning" for p in report.problems)


def test_missing_patients_table_is_an_error_naming_the_misnamed_file(tmp_path):
    report = validate(write(tmp_path / "src", patient=patients()), AS_OF)
    problem = next(p for p in report.problems if p.table == "patients")
    assert not report.ok
    assert problem.severity == "error" and problem.kind == "missing_table"
    assert "rename 'patient' to 'patients'" in problem.fix


def test_misnamed_column_suggests_the_closest_name(tmp_path):
    report = validate(
        write(tmp_path / "src", patients=patients().rename(columns={"birth_date": "birthdate"})),
        AS_OF,
    )
    problem = only(report, "missing_column")
    assert (problem.table, problem.column) == ("patients", "birth_date")
    assert "rename column 'birthdate' to 'birth_date'" in problem.fix


def test_wrong_type_names_the_column(tmp_path):
    report = validate(write(tmp_path / "src", patients=patients(nhs_number=[1, 2, 3])), AS_OF)
    problem = only(report, "wrong_type")
    assert (problem.table, problem.column, problem.severity) == ("patients", "nhs_number", "error")
    assert "string" in problem.message


def test_unparseable_dates_name_rows_and_values(tmp_path):
    source = write(
        tmp_path / "src", csv=True,
        patients=patients(birth_date=["1980-01-01", "31/02/1990", "not known"]),
    )  # fmt: skip
    problem = only(validate(source, AS_OF), "unparseable")
    assert (problem.table, problem.column) == ("patients", "birth_date")
    assert problem.rows == [2, 3] and problem.count == 2
    assert problem.values == ["'31/02/1990'", "'not known'"]
    assert "YYYY-MM-DD" in problem.fix


def test_duplicate_ids(tmp_path):
    report = validate(write(tmp_path / "src", patients=patients(patient_id=[1, 2, 1])), AS_OF)
    problem = only(report, "duplicate")
    assert (problem.table, problem.column, problem.rows, problem.count) == (
        "patients", "patient_id", [1, 3], 2,
    )


def test_orphan_events(tmp_path):
    report = validate(
        write(tmp_path / "src", patients=patients(), ed_attendances=ed(patient_id=[1, 99])),
        AS_OF,
    )
    problem = only(report, "orphan")
    assert (problem.table, problem.column, problem.rows, problem.values) == (
        "ed_attendances", "patient_id", [2], ["99"],
    )


def test_invalid_nhs_numbers_show_rows_but_never_the_number(tmp_path):
    report = validate(
        write(tmp_path / "src", patients=patients(nhs_number=[VALID_NHS, "9990000019", "12345"])),
        AS_OF,
    )
    problem = only(report, "invalid_nhs_number")
    assert (problem.table, problem.column, problem.rows, problem.values) == (
        "patients", "nhs_number", [2, 3], [],
    )
    assert "9990000019" not in report.to_text() and "12345" not in report.to_text()


def test_rows_after_the_as_of_date_are_a_warning_not_an_error(tmp_path):
    # Booked appointments, or a run at a past as-of date: case finding ignores these rows.
    arrivals = pd.to_datetime(["2026-03-31 23:59", "2026-04-01 00:01"])
    report = validate(
        write(tmp_path / "src", patients=patients(), ed_attendances=ed(arrival_time=arrivals)),
        AS_OF,
    )
    problem = only(report, "future_date")
    assert report.ok, report.to_text()
    assert problem.severity == "warning"
    assert (problem.table, problem.column, problem.rows) == ("ed_attendances", "arrival_time", [2])
    assert "2026-03-31" in problem.message and "later events are ignored" in problem.message


def test_department_types_are_the_ecds_types_1_to_3(tmp_path):
    report = validate(
        write(tmp_path / "src", patients=patients(), ed_attendances=ed(department_type=[3, 4])),
        AS_OF,
    )
    problem = only(report, "not_allowed")
    assert (problem.column, problem.rows) == ("department_type", [2])


def test_values_outside_the_allowed_set_and_range(tmp_path):
    report = validate(
        write(tmp_path / "src", patients=patients(sex=["F", "X", "M"], imd_decile=[0, 5, 11])),
        AS_OF,
    )
    allowed = only(report, "not_allowed")
    assert (allowed.column, allowed.rows, allowed.values) == ("sex", [2], ["'X'"])
    out_of_range = only(report, "out_of_range")
    assert (out_of_range.column, out_of_range.rows) == ("imd_decile", [1, 3])


def test_decimals_that_are_whole_numbers_are_used_as_integers(tmp_path):
    report = validate(write(tmp_path / "src", patients=patients(imd_decile=[1.0, None, 11.0])),
                      AS_OF)
    assert only(report, "wrong_type").severity == "warning"
    assert only(report, "out_of_range").rows == [3]
    report = validate(write(tmp_path / "src", patients=patients(imd_decile=[1.5, None, 2.0])),
                      AS_OF)
    assert only(report, "unparseable").values == ["1.5"]


def test_missing_required_values_and_dates_out_of_order(tmp_path):
    died = pd.to_datetime([None, "1989-01-01", None]).date
    report = validate(
        write(tmp_path / "src", patients=patients(sex=["F", None, "M"], death_date=died)), AS_OF
    )
    assert only(report, "missing_value").rows == [2]
    order = only(report, "date_order")
    assert (order.column, order.rows) == ("death_date", [2])


def test_report_text_names_table_column_rows_and_fix(tmp_path):
    report = validate(write(tmp_path / "src", patients=patients(sex=["F", "X", "M"])), AS_OF)
    text = report.to_text()
    assert "ERROR patients.sex" in text and "(rows 2 of patients.parquet)" in text
    assert "Fix: use one of" in text


def test_validation_writes_nothing(tmp_path):
    source = write(tmp_path / "src", patients=patients(patient_id=[1, 1, 1]))
    before = sorted(source.iterdir())
    assert not validate(source, AS_OF).ok
    assert sorted(source.iterdir()) == before


def test_a_database_ibis_reaches_is_a_source(tmp_path):
    path = tmp_path / "warehouse.sqlite"
    with closing(sqlite3.connect(path)) as db:  # a database made by other tools
        db.execute(
            "create table patients (patient_id INTEGER, nhs_number TEXT, birth_date DATE, "
            "sex TEXT, ethnic_category TEXT, lsoa_code TEXT, imd_decile INTEGER, "
            "practice_code TEXT, death_date DATE)"
        )
        db.executemany(
            "insert into patients values (?, ?, '1980-01-01', 'F', 'A', 'E01000001', 1, 'C82001', "
            "null)",
            [(5, VALID_NHS), (5, "9990000019"), (6, None)],
        )
        db.commit()
    sources = load_sources(ibis.sqlite.connect(path))
    assert set(sources) == {"patients"}
    report = validate(sources, AS_OF)
    assert {(p.kind, tuple(p.rows)) for p in report.errors} == {
        ("duplicate", (1, 2)), ("invalid_nhs_number", (2,)),
    }
    assert "add a table named ed_attendances" in report.to_text()


def test_csv_keeps_code_digits_and_types(tmp_path):
    source = write(tmp_path / "src", csv=True, patients=patients(), ed_attendances=ed())
    sources = load_sources(source)
    schema = sources["patients"].schema()
    assert schema["nhs_number"].is_string() and schema["death_date"].is_date()
    assert sources["ed_attendances"].schema()["arrival_time"].is_timestamp()
    assert validate(sources, AS_OF).ok


def test_a_parquet_folder_of_parts_is_a_table(tmp_path):
    folder = tmp_path / "src" / "patients"
    folder.mkdir(parents=True)
    frame = patients()
    frame.iloc[:2].to_parquet(folder / "part-0.parquet", index=False)
    frame.iloc[2:].to_parquet(folder / "part-1.parquet", index=False)
    assert load_sources(tmp_path / "src")["patients"].count().execute() == 3


def test_not_a_folder_is_a_clear_error(tmp_path):
    from upstream.data.sources import SourceError

    with pytest.raises(SourceError, match="not a folder"):
        load_sources(tmp_path / "nowhere")


def admissions(**changes) -> pd.DataFrame:
    rows = pd.DataFrame({
        "admission_id": [20, 21], "patient_id": [1, 2],
        "admission_date": pd.to_datetime(["2026-01-01", "2026-02-01"]).date,
        "discharge_date": pd.to_datetime(["2026-01-05", "2026-02-02"]).date,
        "admission_method": ["emergency", "elective"], "primary_diagnosis": ["J18.9", "H25.9"],
        "discharge_ready_date": pd.to_datetime(["2026-01-03", None]).date,
    })  # fmt: skip
    for column, value in changes.items():
        rows[column] = value
    return rows


def test_an_optional_column_left_out_is_a_warning_and_a_misnamed_one_an_error(tmp_path):
    without = admissions().drop(columns="discharge_ready_date")
    report = validate(write(tmp_path / "a", patients=patients(), admissions=without), AS_OF)
    assert report.ok
    [problem] = [p for p in report.problems if p.column == "discharge_ready_date"]
    assert problem.severity == "warning" and problem.kind == "missing_column"
    misnamed = admissions().rename(columns={"discharge_ready_date": "discharge_ready_dt"})
    report = validate(write(tmp_path / "b", patients=patients(), admissions=misnamed), AS_OF)
    [problem] = [p for p in report.errors if p.column == "discharge_ready_date"]
    assert "rename column 'discharge_ready_dt'" in problem.fix
    early = admissions(discharge_ready_date=pd.to_datetime(["2025-12-31", None]).date)
    report = validate(write(tmp_path / "c", patients=patients(), admissions=early), AS_OF)
    assert [(p.kind, p.rows) for p in report.errors] == [("date_order", [1])]


def test_social_care_events_use_the_asc_cld_defined_lists(tmp_path):
    events = pd.DataFrame({
        "event_id": [1, 2], "patient_id": [1, 2], "la_code": ["E06000060"] * 2,
        "client_type": ["Service User"] * 2, "event_type": ["Service", "Visit"],
        "event_start_date": pd.to_datetime(["2025-01-01", "2025-02-01"]).date,
        "event_end_date": pd.to_datetime([None, "2025-01-01"]).date,
        "event_outcome": pd.Series([None, None], dtype="string"),
        "service_type": ["Long Term Support: Community", "Long term support"],
        "service_component": ["Home care", None],
        "primary_support_reason": pd.Series([None, None], dtype="string"),
    })  # fmt: skip
    report = validate(write(tmp_path, patients=patients(), social_care_events=events), AS_OF)
    found = {(p.column, p.kind, tuple(p.rows)) for p in report.errors}
    assert found == {("event_type", "not_allowed", (2,)), ("service_type", "not_allowed", (2,)),
                     ("event_end_date", "date_order", (2,))}
