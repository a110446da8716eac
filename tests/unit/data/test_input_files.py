"""Files as analysts' extracts arrive: CSV line numbers, the dictionary's date rule, encodings
and damaged Parquet files are reported in the data dictionary's terms, naming the file."""

import pytest

from tests.unit.data.test_validation import AS_OF, ed, only, patients, write
from upstream.data.schema import WRITTEN_AS
from upstream.data.sources import SourceError, load_sources
from upstream.data.validation import validate


def test_csv_problems_name_the_files_own_line_numbers_and_say_the_header_is_line_1(tmp_path):
    source = write(tmp_path / "src", csv=True, patients=patients(sex=["F", "X", "M"]))
    problem = only(validate(source, AS_OF), "not_allowed")
    assert problem.rows == [2] and problem.lines == [3]
    assert "(lines 3 of patients.csv, counting the header as line 1)" in problem.to_text()


def test_day_month_year_dates_are_refused_quoting_the_dictionarys_rule(tmp_path):
    # Every date is a valid dd/mm/yyyy date, so a reader guessing the format would accept them.
    source = write(tmp_path / "src", csv=True,
                   patients=patients(birth_date=["01/02/1980", "15/06/1990", "31/12/2001"]))
    problem = only(validate(source, AS_OF), "unparseable")
    assert (problem.table, problem.column, problem.count) == ("patients", "birth_date", 3)
    assert problem.lines == [2, 3, 4]
    assert WRITTEN_AS["date"].replace("`", "") in problem.fix
    assert "data dictionary" in problem.fix


def test_day_month_year_date_times_are_refused_too(tmp_path):
    rows = ed()
    rows["arrival_time"] = ["13/01/2026 10:00", "2026-02-01 23:59:00"]
    source = write(tmp_path / "src", csv=True, patients=patients(), ed_attendances=rows)
    problem = only(validate(source, AS_OF), "unparseable")
    assert (problem.column, problem.lines) == ("arrival_time", [2])


def test_iso_dates_in_a_csv_with_another_bad_column_are_still_read(tmp_path):
    """A bad value elsewhere makes the reader fall back to text; good dates stay usable."""
    source = write(tmp_path / "src", csv=True, patients=patients(imd_decile=["1", "x", "10"]))
    report = validate(source, AS_OF)
    assert [p.column for p in report.errors] == ["imd_decile"], report.to_text()


def test_a_csv_that_is_not_utf8_names_the_first_bad_line(tmp_path):
    folder = write(tmp_path / "src", csv=True, patients=patients())
    path = folder / "patients.csv"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b"C82001", b"C82001 \xa3")  # a Windows-1252 pound sign
    path.write_bytes(b"".join(lines))
    with pytest.raises(SourceError) as raised:
        validate(folder, AS_OF)
    message = str(raised.value)
    assert "patients.csv" in message and "line 3" in message and "UTF-8" in message
    assert "header as line 1" in message


def test_a_damaged_parquet_file_is_named_without_the_databases_internals(tmp_path):
    folder = write(tmp_path / "src", patients=patients(), ed_attendances=ed())
    path = folder / "ed_attendances.parquet"
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # cut short
    with pytest.raises(SourceError) as raised:
        validate(folder, AS_OF)
    message = str(raised.value)
    assert "ed_attendances.parquet" in message and "not a readable Parquet file" in message
    assert "SELECT" not in message and "read_parquet" not in message


def test_a_damaged_part_of_a_parquet_folder_is_named(tmp_path):
    folder = tmp_path / "src" / "patients"
    folder.mkdir(parents=True)
    patients().to_parquet(folder / "part-0.parquet", index=False)
    (folder / "part-1.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(SourceError, match="part-1.parquet"):
        load_sources(tmp_path / "src")["patients"]
