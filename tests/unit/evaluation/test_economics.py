"""Value for money: hand-computed savings and returns, uplift, interval propagation,
sensitivity ordering and clear errors on bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.evaluation import economics as ec

runner = CliRunner()

COSTS = """item,unit,cost,price_year,low,high,source,note
ed,ED attendance,300,2022/23,200,400,Test schedule,
gp,GP appointment,40,2023/24,,,Test manual,
"""
INDEX = """price_year,percent_change,source,note
2023/24,5,Test index,
2024/25,10,Test index,
"""
PROGRAMME = """
name: Test programme
price_year: 2024/25
unit_cost: ed
posts:
  - {role: Link worker, band: Band 4, wte: 2, salary: 10000}
on_costs: 0.25
overheads: 0.2
non_staff:
  - {item: Training, cost: 1000}
social_value:
  - {item: Wellbeing, value: 50000, source: Illustrative}
"""


def _files(tmp_path: Path, *, draws=None, estimate=-0.5, ci=(-0.9, -0.1), people=100,
           programme=PROGRAMME, costs=COSTS) -> dict[str, Path]:
    paths = {name: tmp_path / name for name in ("costs.csv", "index.csv", "programme.yaml",
                                                "result.json")}
    paths["costs.csv"].write_text(costs)
    paths["index.csv"].write_text(INDEX)
    paths["programme.yaml"].write_text(programme)
    result = {"estimate": estimate, "ci_low": ci[0], "ci_high": ci[1], "n_treated": people,
              "roles": {"after": "ed_after"}}
    if draws is not None:
        result["bootstrap_draws"] = list(draws)
    paths["result.json"].write_text(json.dumps(result))
    return paths


def _value(paths: dict[str, Path], price_year: int = 2024) -> ec.Value:
    return ec.value_for_money(ec.load_effect(paths["result.json"]),
                              ec.load_programme(paths["programme.yaml"]),
                              ec.load_unit_costs(paths["costs.csv"]),
                              ec.load_inflation_index(paths["index.csv"]), price_year)


def test_uplift_multiplies_the_years_after_the_price_year():
    index = ec.InflationIndex({2023: 5.0, 2024: 10.0}, Path("index.csv"))
    assert index.factor(2022, 2024) == pytest.approx(1.05 * 1.10)
    assert index.factor(2023, 2024) == pytest.approx(1.10)
    assert index.factor(2024, 2022) == pytest.approx(1 / (1.05 * 1.10))
    assert index.factor(2024, 2024) == 1
    with pytest.raises(ec.EconomicsError, match=r"index.csv: no inflation figure for 2025/26"):
        index.factor(2024, 2025)


def test_savings_cost_and_return_per_pound_by_hand(tmp_path):
    value = _value(_files(tmp_path))
    unit = 300 * 1.05 * 1.10  # 2022/23 prices to 2024/25
    cost = 2 * 10000 * 1.25 * 1.2 + 1000  # programme costs are already in 2024/25 prices
    gross = 0.5 * 100 * unit
    assert value.unit_cost_uplifted == pytest.approx(unit)
    assert value.programme_cost == pytest.approx(cost) == pytest.approx(31000)
    assert value.gross_savings == pytest.approx(gross)
    assert value.net_savings == pytest.approx(gross - cost)
    assert value.return_per_pound == pytest.approx(gross / cost)
    assert value.net_return_per_pound == pytest.approx((gross - cost) / cost)


def test_programme_costs_are_uplifted_to_the_chosen_year(tmp_path):
    base, later = _value(_files(tmp_path), 2023), _value(_files(tmp_path), 2024)
    assert later.programme_cost == pytest.approx(31000)
    assert base.programme_cost == pytest.approx(31000 / 1.10)
    assert base.unit_cost_uplifted == pytest.approx(300 * 1.05)


def test_wider_social_value_is_never_added_to_cashable_savings(tmp_path):
    with_social = _value(_files(tmp_path))
    without = _value(_files(tmp_path, programme=PROGRAMME.split("social_value:")[0]))
    assert with_social.social_value_total == pytest.approx(50000)
    assert without.social_value_total == 0
    assert with_social.net_savings == without.net_savings
    assert with_social.return_per_pound == without.return_per_pound


def test_interval_from_the_bootstrap_draws_is_their_percentiles(tmp_path):
    draws = np.linspace(-1, 0, 1001)
    value = _value(_files(tmp_path, draws=draws))
    unit = 300 * 1.05 * 1.10
    assert value.interval_from == "bootstrap"
    low, high = value.gross_savings_ci
    assert low == pytest.approx(0.025 * 100 * unit)
    assert high == pytest.approx(0.975 * 100 * unit)
    assert value.net_savings_ci == pytest.approx((low - 31000, high - 31000))
    assert value.return_per_pound_ci == pytest.approx((low / 31000, high / 31000))


def test_interval_without_draws_is_the_normal_approximation_of_the_ci(tmp_path):
    value = _value(_files(tmp_path, estimate=-0.5, ci=(-0.9, -0.1)))
    unit = 300 * 1.05 * 1.10
    assert value.interval_from.startswith("normal approximation")
    low, high = value.gross_savings_ci
    # the effect's own CI, scaled: -(-0.1) and -(-0.9) x people x unit cost; 10,000 draws
    # put a percentile within about 0.006 (1 SD) of the normal's, so 0.02 is over 3 SD
    assert low / (100 * unit) == pytest.approx(0.1, abs=0.02)
    assert high / (100 * unit) == pytest.approx(0.9, abs=0.02)


def test_tornado_orders_inputs_by_swing_with_swings_by_hand(tmp_path):
    value = _value(_files(tmp_path))
    swings = [row.swing for row in value.sensitivity]
    assert swings == sorted(swings, reverse=True)
    rows = {row.input: row for row in value.sensitivity}
    unit = 300 * 1.05 * 1.10
    assert rows["effect"].swing == pytest.approx(0.8 * 100 * unit)  # CI -0.9 to -0.1
    assert rows["unit_cost"].swing == pytest.approx(0.5 * 100 * (400 - 200) * 1.05 * 1.10)
    assert rows["non_staff"].swing == pytest.approx(0.5 * 1000)
    assert rows["salaries"].swing == pytest.approx(0.2 * 20000 * 1.25 * 1.2)
    assert value.sensitivity[0].input == "effect"


def test_programme_ranges_override_the_defaults(tmp_path):
    programme = PROGRAMME + "ranges:\n  people: [10, 1000]\n"
    rows = {row.input: row for row in _value(_files(tmp_path, programme=programme)).sensitivity}
    assert (rows["people"].low_value, rows["people"].high_value) == (10, 1000)
    assert rows["people"].swing == pytest.approx(0.5 * 990 * 300 * 1.05 * 1.10)


def test_the_shipped_unit_costs_and_index_load_with_a_source_for_each():
    costs = ec.load_unit_costs()
    assert {"ed_type1", "non_elective_admission", "excess_bed_day", "outpatient_attendance",
            "gp_appointment"} <= set(costs)
    assert all(cost.source and cost.low <= cost.cost <= cost.high for cost in costs.values())
    index = ec.load_inflation_index()
    assert index.factor(2022, 2025) > 1


@pytest.mark.parametrize("costs, message", [
    (COSTS.replace("300,2022/23", "lots,2022/23"), r"costs.csv: line 2, column 'cost': 'lots'"),
    (COSTS.replace("40,2023/24", "40,2023/25"), r"costs.csv: line 3, column 'price_year'"),
    (COSTS.replace("Test manual", ""), r"costs.csv: line 3, column 'source'"),
    (COSTS.replace(",200,400,", ",350,400,"), r"costs.csv: line 2: low \(350\)"),
    (COSTS.replace("item,unit", "thing,unit"), r"costs.csv: line 1: missing column\(s\) item"),
])
def test_bad_unit_costs_name_file_line_and_column(tmp_path, costs, message):
    paths = _files(tmp_path, costs=costs)
    with pytest.raises(ec.EconomicsError, match=message):
        ec.load_unit_costs(paths["costs.csv"])


@pytest.mark.parametrize("change, message", [
    (("wte: 2", "wte: -2"), r"key 'posts.0.wte'"),
    (("unit_cost: ed", "unit_cost: ed\nbudget: 5"), r"key 'budget': Extra inputs"),
    (("price_year: 2024/25", "price_year: someday"), r"key 'price_year': 'someday'"),
])
def test_bad_programme_files_name_the_key(tmp_path, change, message):
    paths = _files(tmp_path, programme=PROGRAMME.replace(*change))
    with pytest.raises(ec.EconomicsError, match=message):
        ec.load_programme(paths["programme.yaml"])


def test_the_command_writes_value_report_and_tornado(tmp_path):
    paths = _files(tmp_path, draws=np.linspace(-1, 0, 1001))
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", "value", "--result", str(paths["result.json"]),
                                 "--costs", str(paths["costs.csv"]), "--inflation",
                                 str(paths["index.csv"]), "--programme",
                                 str(paths["programme.yaml"]), "--price-year", "2024",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "value.json").read_text())
    assert data["programme_cost"] == pytest.approx(31000)
    assert data["price_year"] == "2024/25" and data["interval_from"] == "bootstrap"
    assert math.isclose(data["return_per_pound"], data["gross_savings"] / 31000)
    report = (out / "report.md").read_text()
    assert "not cashable, not added" in report and "Effect per person" in report
    assert (out / "tornado.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "tornado.svg").read_text().startswith("<svg")


def test_the_command_refuses_bad_input_and_writes_nothing(tmp_path):
    paths = _files(tmp_path)
    paths["result.json"].write_text(json.dumps({"estimate": None, "ci_low": 0, "ci_high": 1,
                                                "n_treated": 5}))
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", "value", "--result", str(paths["result.json"]),
                                 "--programme", str(paths["programme.yaml"]),
                                 "--price-year", "2025", "--out", str(out)])
    assert result.exit_code == 2
    assert "result.json: key 'estimate' must be a number" in result.output
    assert not out.exists()


def test_an_impact_result_carries_its_bootstrap_draws_into_the_value(tmp_path):
    from upstream.synth.programme import simulate_programme

    table, _ = simulate_programme(3000, seed=3, supported_share=0.02)
    table.to_csv(tmp_path / "table.csv", index=False)
    impact = tmp_path / "impact"
    result = runner.invoke(app, [
        "evaluate", "table", str(tmp_path / "table.csv"), "--id", "person_id", "--treated",
        "supported", "--before", "ed_y1,ed_y2", "--after", "ed_after", "--covariates",
        "age,sex,ltc,imd_quintile", "--resamples", "400", "--out", str(impact)])
    assert result.exit_code == 0, result.output
    data = json.loads((impact / "result.json").read_text())
    draws = np.array(data["bootstrap_draws"])
    assert len(draws) == 400
    assert np.percentile(draws, [2.5, 97.5]) == pytest.approx([data["ci_low"],
                                                              data["ci_high"]])
    effect = ec.load_effect(impact / "result.json")
    assert effect.draws_from == "bootstrap" and effect.estimate == data["estimate"]


def _activity_result(path: Path) -> None:
    """The shape of an ``upstream evaluate activity`` result.json: shared figures, and per
    outcome its estimate, interval and draws."""
    path.write_text(json.dumps({
        "mode": "upstream activity data", "n_treated": 100, "n_treated_matched": 95,
        "outcomes": {
            "ed_attendances": {"estimate": -0.5, "ci_low": -0.9, "ci_high": -0.1,
                               "bootstrap_draws": list(np.linspace(-1, 0, 1001))},
            "gp_appointments": {"estimate": 0.2, "ci_low": -0.1, "ci_high": 0.5},
        }}))


def test_one_outcome_of_an_activity_result_is_valued(tmp_path):
    paths = _files(tmp_path)
    _activity_result(paths["result.json"])
    effect = ec.load_effect(paths["result.json"], outcome="ed_attendances")
    assert (effect.estimate, effect.n_treated, effect.measure) == (-0.5, 100, "ed_attendances")
    assert effect.draws_from == "bootstrap" and effect.draws.size == 1001
    assert ec.load_effect(paths["result.json"], outcome="gp_appointments").estimate == 0.2
    (tmp_path / "single").mkdir()
    by_hand = _value(_files(tmp_path / "single"))  # the same -0.5 as a one-measure result
    out = tmp_path / "out"
    result = runner.invoke(app, ["evaluate", "value", "--result", str(paths["result.json"]),
                                 "--outcome", "ed_attendances", "--costs",
                                 str(paths["costs.csv"]), "--inflation", str(paths["index.csv"]),
                                 "--programme", str(paths["programme.yaml"]), "--price-year",
                                 "2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "value.json").read_text())
    assert data["gross_savings"] == pytest.approx(by_hand.gross_savings)


@pytest.mark.parametrize("outcome, message", [
    (None, "choose one with --outcome (ed_attendances, gp_appointments)"),
    ("bed_days", "no outcome 'bed_days' in the result (ed_attendances, gp_appointments)"),
])
def test_an_activity_result_needs_a_known_outcome(tmp_path, outcome, message):
    paths = _files(tmp_path)
    _activity_result(paths["result.json"])
    with pytest.raises(ec.EconomicsError) as raised:
        ec.load_effect(paths["result.json"], outcome=outcome)
    assert message in str(raised.value) and str(paths["result.json"]) in str(raised.value)


def test_an_outcome_for_a_one_measure_result_is_refused(tmp_path):
    paths = _files(tmp_path)
    with pytest.raises(ec.EconomicsError, match="has one measure only"):
        ec.load_effect(paths["result.json"], outcome="ed_attendances")
