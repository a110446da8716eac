"""``upstream evaluate table`` on tables it has never seen: good ones give the outputs, bad
ones a clear error naming the column and line, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.synth.programme import simulate_programme

FIXTURES = Path(__file__).parents[2] / "fixtures" / "lalonde"
runner = CliRunner()

ARGS = ["--id", "person_id", "--treated", "supported", "--before", "ed_y1,ed_y2",
        "--after", "ed_after", "--covariates", "age,sex,ltc,imd_quintile",
        "--resamples", "200"]


@pytest.fixture(scope="module")
def programme() -> pd.DataFrame:
    table, _ = simulate_programme(3000, seed=3, supported_share=0.02)
    return table


def _invoke(path: Path, out: Path, *extra: str, args=ARGS):
    return runner.invoke(app, ["evaluate", "table", str(path), *args, "--out", str(out),
                               *extra])


def _csv(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "table.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_csv_table_gives_result_report_and_chart(tmp_path, programme):
    out = tmp_path / "out"
    result = _invoke(_csv(tmp_path, programme), out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "result.json").read_text())
    for key in ("estimate", "ci_low", "ci_high", "naive_estimate", "n_treated",
                "n_matched_controls", "balance", "method"):
        assert key in data
    assert data["n_treated"] == int(programme["supported"].sum())
    assert data["ci_low"] <= data["estimate"] <= data["ci_high"]
    assert {row["variable"] for row in data["balance"]} >= {"age", "sex=F", "sex=M", "ed_y1"}
    assert data["method"]["neighbours"] == 4 and data["method"]["caliper_sd"] == 0.2
    report = (out / "report.md").read_text()
    assert "naive before/after" in report and "SMD after" in report
    assert (out / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "chart.svg").read_text().startswith("<svg")


def test_a_parquet_table_gives_the_same_estimate_as_the_csv(tmp_path, programme):
    programme.to_parquet(tmp_path / "table.parquet")
    assert _invoke(tmp_path / "table.parquet", tmp_path / "p").exit_code == 0
    assert _invoke(_csv(tmp_path, programme), tmp_path / "c").exit_code == 0
    parquet = json.loads((tmp_path / "p" / "result.json").read_text())
    csv = json.loads((tmp_path / "c" / "result.json").read_text())
    assert parquet["estimate"] == pytest.approx(csv["estimate"])


def _refused(result, out: Path, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    for needle in needles:
        assert needle in result.output
    assert "Nothing was written" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_word_in_a_number_column_is_refused_with_its_line(tmp_path, programme):
    frame = programme.astype({"ed_y2": object})
    frame.loc[4, "ed_y2"] = "three"   # data row 5 = line 6 (the header is line 1)
    out = tmp_path / "out"
    _refused(_invoke(_csv(tmp_path, frame), out), out, "'ed_y2'", "line 6", "'three'")


def test_a_treated_flag_other_than_0_or_1_is_refused_with_its_line(tmp_path, programme):
    frame = programme.copy()
    frame.loc[9, "supported"] = 2
    out = tmp_path / "out"
    _refused(_invoke(_csv(tmp_path, frame), out), out, "'supported'", "0 or 1", "line 11")


def test_missing_values_are_refused_with_counts_or_dropped_and_counted(tmp_path, programme):
    frame = programme.astype({"age": object, "ed_after": object})
    frame.loc[[2, 7], "age"] = ""
    frame.loc[5, "ed_after"] = "NA"
    path = _csv(tmp_path, frame)
    out = tmp_path / "out"
    _refused(_invoke(path, out), out, "'age': 2 missing, the first on line 4",
             "'ed_after': 1 missing, the first on line 7", "--drop-missing")
    assert _invoke(path, out, "--drop-missing").exit_code == 0
    dropped = json.loads((out / "result.json").read_text())["dropped_missing"]
    assert dropped["people"] == 3
    assert dropped["by_column"] == {"age": 2, "ed_after": 1}
    assert dropped["treated"] + dropped["controls"] == 3


def test_an_unknown_column_is_refused_with_a_suggestion(tmp_path, programme):
    out = tmp_path / "out"
    args = [a if a != "ed_after" else "ed_aftr" for a in ARGS]
    _refused(_invoke(_csv(tmp_path, programme), out, args=args), out,
             "no column 'ed_aftr'", "Did you mean 'ed_after'?")


def test_a_repeated_id_is_refused_with_both_lines(tmp_path, programme):
    frame = programme.copy()
    frame.loc[20, "person_id"] = frame.loc[3, "person_id"]
    out = tmp_path / "out"
    _refused(_invoke(_csv(tmp_path, frame), out), out, "must be unique", "line 5 and line 22")


def test_a_covariate_mixing_numbers_and_words_is_refused_with_a_hint(tmp_path, programme):
    frame = programme.astype({"imd_quintile": object})
    frame.loc[30, "imd_quintile"] = "unknown"
    out = tmp_path / "out"
    _refused(_invoke(_csv(tmp_path, frame), out), out, "'imd_quintile'", "line 32",
             "--categorical")


def test_a_numeric_code_named_categorical_gets_one_level_per_value(tmp_path, programme):
    out = tmp_path / "out"
    assert _invoke(_csv(tmp_path, programme), out, "--categorical", "imd_quintile"
                   ).exit_code == 0
    variables = [row["variable"] for row in
                 json.loads((out / "result.json").read_text())["balance"]]
    assert [v for v in variables if v.startswith("imd_quintile")] == [
        f"imd_quintile={q}" for q in ("1", "2", "3", "4", "5")]


def test_a_bad_parquet_value_is_refused_with_its_row(tmp_path, programme):
    frame = programme.astype({"ed_y1": object})
    frame.loc[6, "ed_y1"] = "x"
    frame["ed_y1"] = frame["ed_y1"].astype(str)
    frame.to_parquet(tmp_path / "table.parquet")
    out = tmp_path / "out"
    _refused(_invoke(tmp_path / "table.parquet", out), out, "'ed_y1'", "row 7")


def test_lalonde_psid_interval_covers_the_experimental_benchmark(tmp_path):
    """NSW treated (Dehejia-Wahba subsample) against the PSID comparison group: the
    experimental answer is the treated mean of re78 minus the randomised controls' mean."""
    treated_and_psid = FIXTURES / "nsw_dw_treated_psid_controls.csv"
    experiment = pd.read_csv(FIXTURES / "nsw_dw_experimental_controls.csv")
    frame = pd.read_csv(treated_and_psid)
    benchmark = frame.loc[frame["treat"] == 1, "re78"].mean() - experiment["re78"].mean()
    out = tmp_path / "lalonde"
    result = runner.invoke(app, [
        "evaluate", "table", str(treated_and_psid), "--id", "id", "--treated", "treat",
        "--before", "re74,re75", "--after", "re78",
        "--covariates", "age,educ,black,hispanic,married,nodegree", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "result.json").read_text())
    assert benchmark == pytest.approx(1794.34, abs=0.01)
    assert data["ci_low"] <= benchmark <= data["ci_high"]
    assert not data["naive_ci_low"] <= benchmark <= data["naive_ci_high"]
