"""Inequalities: Wilson and Katz intervals against hand computation and statsmodels, group
counts, disclosure of small cells, and clear errors on bad tables."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import Table2x2
from typer.testing import CliRunner

from upstream.cli import app
from upstream.evaluation import inequalities as iq

runner = CliRunner()


def test_katz_rate_ratio_by_hand_and_against_statsmodels():
    a, n1, c, n2 = 30, 200, 45, 600
    ratio, low, high = iq.katz_rate_ratio(a, n1, c, n2)
    se = math.sqrt(1 / 30 - 1 / 200 + 1 / 45 - 1 / 600)
    assert ratio == pytest.approx((30 / 200) / (45 / 600)) == pytest.approx(2.0)
    assert low == pytest.approx(2.0 * math.exp(-1.959964 * se), rel=1e-6)
    assert high == pytest.approx(2.0 * math.exp(1.959964 * se), rel=1e-6)
    table = Table2x2(np.array([[a, n1 - a], [c, n2 - c]]))
    assert (low, high) == pytest.approx(table.riskratio_confint(), rel=1e-9)
    assert iq.katz_rate_ratio(0, 10, 5, 20) is None


def test_wilson_interval_by_hand():
    k, n, z = 15, 60, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert iq.wilson(k, n) == pytest.approx((0.25, centre - half, centre + half))


def _people(n: int = 2000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    decile = rng.integers(1, 11, n)
    eligible = rng.random(n) < 0.8
    referred = eligible & (rng.random(n) < np.where(decile <= 2, 0.2, 0.4))
    engaged = referred & (rng.random(n) < 0.6)
    improved = engaged & (rng.random(n) < 0.5)
    return pd.DataFrame({
        "person_id": np.arange(1, n + 1), "eligible": eligible.astype(int),
        "referred": referred.astype(int), "engaged": engaged.astype(int),
        "improved": improved.astype(int), "imd_decile": decile,
        "ethnic_category": rng.choice(["A", "C", "H", "N", "Z"], n, p=[.6, .1, .15, .1, .05]),
        "age": rng.integers(18, 90, n), "sex": rng.choice(["F", "M"], n)})


def _csv(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    return path


def test_counts_rates_and_ratios_come_from_the_published_counts(tmp_path):
    frame = _people()
    result = iq.inequalities(iq.read_people(_csv(tmp_path, frame)))
    rows = {(r.dimension, r.group): r for r in result.rows}
    core20 = iq.CORE20
    row = rows[(core20, "Yes")]
    eligible = frame[frame.eligible == 1]
    members = eligible[eligible.imd_decile <= 2]
    for stage in iq.STAGES:
        true = int(members[stage].sum())
        shown = row.counts[stage].value
        assert shown is not None and abs(shown - true) <= 2 and shown % 5 == 0
    n, k = row.counts["eligible"].value, row.counts["referred"].value
    other = rows[(core20, "No")].counts
    assert row.rates["referred"] == pytest.approx(iq.wilson(k, n))
    assert row.ratios["referred"] == pytest.approx(
        iq.katz_rate_ratio(k, n, other["referred"].value, other["eligible"].value))
    # with two groups, each is the other's reference: the ratios are reciprocal
    assert rows[(core20, "No")].ratios["referred"][0] == pytest.approx(
        1 / row.ratios["referred"][0])
    # referral was planted at half the rate in deciles 1-2
    ratio, low, high = row.ratios["referred"]
    assert high < 1 and 0.35 < ratio < 0.7


def test_small_cells_are_hidden_and_so_are_their_rates_and_ratios(tmp_path):
    frame = _people()
    frame.loc[frame.index[:4], ["ethnic_category", "eligible", "referred"]] = ["S", 1, 1]
    frame.loc[frame.index[:4], ["engaged", "improved"]] = 0
    result = iq.inequalities(iq.read_people(_csv(tmp_path, frame)))
    other = next(r for r in result.rows
                 if r.dimension == "Ethnic group" and r.group == "Other ethnic group")
    assert other.counts["eligible"].display == "<10"
    assert other.counts["referred"].display == "<10"
    assert other.rates["referred"] is None and other.ratios["referred"] is None
    table = iq.tables(result)["Ethnic group"].set_index("group")
    assert table.loc["Other ethnic group", "referred rate (95% CI)"] == ""
    assert table.loc["Other ethnic group", "engaged"] == "0"
    shown = [f for r in result.rows for f in r.counts.values() if not f.suppressed]
    assert all(f.value == 0 or (f.value >= 10 and f.value % 5 == 0) for f in shown)


def test_the_command_writes_tables_and_report(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", "inequalities", str(_csv(tmp_path, _people())),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "inequalities.csv", dtype=str, keep_default_na=False)
    assert {"IMD quintile (Q1 most deprived)", "IMD decile (1 most deprived)", "Ethnic group",
            "Age band", "Sex", "PLUS: ethnic minority"} <= set(table["breakdown"])
    assert "Katz" in (out / "report.md").read_text()


@pytest.mark.parametrize("column, value, message", [
    ("engaged", "yes", r"line 4, column 'engaged': 'yes' is not 0 or 1"),
    ("imd_decile", "11", r"line 4, column 'imd_decile': '11' is not an IMD decile"),
    ("ethnic_category", "Q", r"line 4, column 'ethnic_category': 'Q'"),
    ("age", "-3", r"line 4, column 'age': '-3'"),
    ("sex", "X", r"line 4, column 'sex': 'X' is not F, M, I or U"),
    ("person_id", "1", r"line 4, column 'person_id': '1' is not unique"),
])
def test_bad_tables_are_refused_naming_line_and_column_and_nothing_is_written(
        tmp_path, column, value, message):
    frame = _people(20).astype(str)
    frame.loc[2, column] = value  # data row 3 = line 4 of the file
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", "inequalities", str(_csv(tmp_path, frame)),
                                 "--out", str(out)])
    assert result.exit_code == 2
    assert "people.csv: " in result.output
    assert re.search(message, result.output), result.output
    assert not out.exists()


def test_a_later_stage_without_the_earlier_one_is_refused(tmp_path):
    frame = _people(20)
    frame.loc[5, ["referred", "engaged", "improved"]] = [0, 0, 1]
    with pytest.raises(iq.InequalitiesError, match=r"line 7, column 'improved': .*without "
                                                   r"engaged"):
        iq.read_people(_csv(tmp_path, frame))


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(iq.InequalitiesError, match=r"missing column\(s\) sex"):
        iq.read_people(_csv(tmp_path, _people(20).drop(columns="sex")))


def test_a_parquet_table_gives_the_same_tables_as_the_csv(tmp_path):
    frame = _people(600)
    frame.loc[frame.index[:50], "imd_decile"] = None  # not known
    frame.to_parquet(tmp_path / "people.parquet")
    from_parquet = iq.tables(iq.inequalities(iq.read_people(tmp_path / "people.parquet")))
    from_csv = iq.tables(iq.inequalities(iq.read_people(_csv(tmp_path, frame))))
    assert from_parquet.keys() == from_csv.keys()
    for dimension, table in from_csv.items():
        pd.testing.assert_frame_equal(from_parquet[dimension], table)
    quintiles = from_csv["IMD quintile (Q1 most deprived)"].set_index("group")
    assert quintiles.loc["Not known", "eligible"] not in ("0", "")


def test_nobody_eligible_gives_zeros_and_no_rates(tmp_path):
    frame = _people(50)
    frame[["eligible", "referred", "engaged", "improved"]] = 0
    result = iq.inequalities(iq.read_people(_csv(tmp_path, frame)))
    assert {figure.display for figure in result.totals.values()} == {"0"}
    assert all(rate is None for row in result.rows for rate in row.rates.values())


@settings(max_examples=8, deadline=None)
@given(n=st.integers(0, 80), seed=st.integers(0, 10_000))
def test_every_published_count_obeys_the_rule_and_rates_need_shown_counts(n, seed):
    frame = _people(n, seed)
    people = pd.DataFrame({stage: frame[stage].astype(bool) for stage in iq.STAGES}
                          ).assign(imd_decile=frame["imd_decile"].astype("Int64"),
                                   ethnic_category=frame["ethnic_category"],
                                   age=frame["age"], sex=frame["sex"])
    result = iq.inequalities(people)
    eligible = people[people["eligible"]]
    for row in result.rows:
        group_of, _ = iq.dimensions()[row.dimension]
        members = eligible[group_of(eligible) == row.group]
        for stage, figure in row.counts.items():
            true = int(members[stage].sum())
            if true == 0:
                assert figure.display == "0"
            elif figure.suppressed:
                assert (figure.display == "<10" and true <= 9) or (
                    figure.display == "[c]" and true >= 10)
            else:
                assert abs(figure.value - true) <= 2 and figure.value % 5 == 0
                assert figure.value >= 10
        for stage in iq.STAGES[1:]:
            if row.rates[stage] is not None:
                assert not row.counts[stage].suppressed
                assert not row.counts["eligible"].suppressed
