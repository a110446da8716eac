"""Writing worklists: CSV, Parquet and Excel read back the same, and writes are atomic."""

from datetime import date

import openpyxl
import pandas as pd
import pytest

from tests.unit.worklist.conftest import make_matches, make_patients
from upstream.casefinding import worklist as wl


@pytest.fixture
def worklist(as_of):
    matches = make_matches([(1, "a", "3 attendances, last 2024-06-01", 3), (1, "b", "x", 2),
                            (2, "a", "y", 5), (3, "b", "z", 1)])
    patients = make_patients([
        {"patient_id": 1, "nhs_number": "9990000018", "imd_decile": 2},
        {"patient_id": 2, "nhs_number": None, "imd_decile": None, "practice_code": "012345"},
        {"patient_id": 3, "nhs_number": "9990000026", "birth_date": date(2010, 2, 3)},
    ])
    return wl.build_worklist(matches, patients, as_of=as_of)


@pytest.mark.parametrize("suffix", wl.FORMATS)
def test_each_format_reads_back_unchanged(tmp_path, worklist, suffix):
    out = tmp_path / f"worklist{suffix}"
    summary = wl.summarise(worklist)

    written = wl.write_worklist(worklist, summary, out)

    assert written == wl.output_paths(out)
    assert all(path.exists() for path in written)
    pd.testing.assert_frame_equal(wl.read_worklist(out), worklist)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_csv_and_parquet_write_the_summary_beside_the_worklist(tmp_path, worklist, suffix):
    summary = wl.summarise(worklist)
    wl.write_worklist(worklist, summary, tmp_path / f"found{suffix}")
    beside = tmp_path / f"found.summary{suffix}"
    read = pd.read_csv(beside) if suffix == ".csv" else pd.read_parquet(beside)
    assert read["people"].astype("Int64").tolist() == summary["people"].tolist()
    assert read["note"].fillna("").tolist() == summary["note"].tolist()


def test_excel_has_a_worklist_sheet_and_a_summary_sheet_with_nhs_numbers_as_text(tmp_path,
                                                                                 worklist):
    out = tmp_path / "worklist.xlsx"
    wl.write_worklist(worklist, wl.summarise(worklist), out)

    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Worklist", "Summary"]
    header, first = list(book["Worklist"].iter_rows(max_row=2, values_only=True))
    assert first[header.index("nhs_number")] == "9990000018"
    summary_rows = list(book["Summary"].iter_rows(values_only=True))
    assert summary_rows[0] == ("breakdown", "group", "people", "note")
    assert ("All people", "All", None, "<10") in summary_rows


def test_an_unsupported_extension_is_refused_before_writing(tmp_path, worklist):
    with pytest.raises(ValueError, match=r"\.csv, \.parquet, \.xlsx"):
        wl.write_worklist(worklist, wl.summarise(worklist), tmp_path / "worklist.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", wl.FORMATS)
def test_a_failure_mid_write_leaves_nothing_behind(tmp_path, worklist, monkeypatch, suffix):
    def fail_after_partial_write(*frames_then_path):
        frames_then_path[-1].write_text("rank,patient_id\n1,")
        raise OSError("disk full")

    monkeypatch.setitem(wl._WRITERS, ".csv", fail_after_partial_write)
    monkeypatch.setitem(wl._WRITERS, ".parquet", fail_after_partial_write)
    monkeypatch.setattr(wl, "_write_excel", fail_after_partial_write)

    with pytest.raises(OSError, match="disk full"):
        wl.write_worklist(worklist, wl.summarise(worklist), tmp_path / f"worklist{suffix}")

    assert list(tmp_path.iterdir()) == []


def test_a_failure_writing_the_summary_removes_the_worklist_too(tmp_path, worklist,
                                                                 monkeypatch):
    calls = []

    def fail_on_second(frame, path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        frame.to_csv(path, index=False)

    monkeypatch.setitem(wl._WRITERS, ".csv", fail_on_second)
    with pytest.raises(OSError):
        wl.write_worklist(worklist, wl.summarise(worklist), tmp_path / "worklist.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rewrite_keeps_no_half_written_file_over_the_old_one(tmp_path, worklist,
                                                                     monkeypatch):
    out = tmp_path / "worklist.parquet"
    wl.write_worklist(worklist, wl.summarise(worklist), out)
    before = out.read_bytes()

    def fail(frame, path):
        raise OSError("disk full")

    monkeypatch.setitem(wl._WRITERS, ".parquet", fail)
    with pytest.raises(OSError):
        wl.write_worklist(worklist.head(1), wl.summarise(worklist), out)
    assert out.read_bytes() == before


@pytest.mark.parametrize("suffix", wl.FORMATS)
def test_files_are_readable_by_their_owner_only(tmp_path, worklist, suffix):
    for path in wl.write_worklist(worklist, wl.summarise(worklist), tmp_path / f"w{suffix}"):
        assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("suffix", wl.FORMATS)
def test_the_metadata_is_written_beside_the_worklist(tmp_path, worklist, suffix):
    about = pd.DataFrame({"item": ["as of", "local choice: ncl_ed_hiu.min_age"],
                          "value": ["2026-03-31", "18: The programme gives no age"]})
    out = tmp_path / f"worklist{suffix}"
    written = wl.write_worklist(worklist, wl.summarise(worklist), out, about)
    assert written == wl.output_paths(out, with_about=True)
    if suffix == ".xlsx":
        back = pd.read_excel(out, sheet_name="About", dtype=str)
    elif suffix == ".csv":
        back = pd.read_csv(tmp_path / "worklist.about.csv", dtype=str)
    else:
        back = pd.read_parquet(tmp_path / "worklist.about.parquet")
    assert back.to_dict("records") == about.to_dict("records")
