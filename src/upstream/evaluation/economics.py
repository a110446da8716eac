"""Value for money: cashable savings, return per £1 and a one-way sensitivity analysis.

Inputs, each an editable file:

- **Unit costs** (CSV, :data:`DEFAULT_UNIT_COSTS` ships the defaults): columns ``item``,
  ``unit``, ``cost`` (£ per unit), ``price_year`` (financial year, ``2022/23``), ``low`` and
  ``high`` (a plausible range, optional: empty means ±25%), ``source``, ``note``.
- **Inflation index** (CSV, :data:`DEFAULT_INFLATION_INDEX`): ``price_year`` and
  ``percent_change`` on the year before (the NHS cost inflation index, pay and prices),
  ``source``, ``note``. A cost of year *a* in the prices of year *b* is
  ``cost x prod(1 + change/100 for the years after a up to b)`` (deflated the same way when
  *b* is before *a*).
- **Programme** (YAML, :class:`Programme`): posts (WTE x annual salary at the band),
  on-costs and overheads as shares, non-staff costs, the price year they are in, which unit
  cost values the measure, how many people, and wider social value (kept apart).
- **Impact**: a ``result.json`` of ``upstream evaluate table`` (``estimate``, ``ci_low``,
  ``ci_high``, ``n_treated``; ``bootstrap_draws`` if present).

The arithmetic (all in the chosen price year):

- gross cashable savings = -effect per person x people x unit cost (the effect is the change
  in the measure per person over the evaluation's after-window, negative = less use);
- programme cost = sum(WTE x salary) x (1 + on-costs) x (1 + overheads) + non-staff;
- net cashable savings = gross savings - programme cost;
- return per £1 = gross savings / programme cost (the "£2.03 per £1" of programme reports);
  net return per £1 = net savings / programme cost.

**Interval.** Only the effect is uncertain in this model (costs are fixed inputs; their
uncertainty is what the sensitivity analysis shows). If the result holds its bootstrap
draws, savings and returns are computed for every draw and the 2.5th and 97.5th percentiles
taken; otherwise draws are simulated from a normal distribution with the estimate as mean
and (ci_high - ci_low) / (2 x 1.96) as standard deviation (:data:`SIMULATED_DRAWS`, seeded).

**Wider social value** (wellbeing, volunteering, ...) is listed and totalled on its own and
never added to cashable savings.

**Sensitivity.** One input at a time is set to the low and high end of its plausible range
(others at their base values) and net cashable savings recomputed; the tornado chart orders
inputs by the width of that swing, widest first.

No Django; numpy, pandas, pydantic, altair.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from upstream.evaluation.yaml_files import load_model

COSTS_FOLDER = Path(__file__).parent / "costs"
DEFAULT_UNIT_COSTS = COSTS_FOLDER / "unit_costs.csv"
DEFAULT_INFLATION_INDEX = COSTS_FOLDER / "inflation_index.csv"
DEFAULT_RANGE = 0.25
"""A unit cost with no ``low``/``high`` varies by this share either way in the sensitivity."""
SIMULATED_DRAWS = 10_000
Z95 = 1.959963984540054
_YEAR = re.compile(r"^(\d{4})(?:/(\d{2}))?$")


class EconomicsError(ValueError):
    """An input is wrong; the message names the file, the line and the column or key."""


def financial_year(text: object, where: str) -> int:
    """The starting calendar year of a financial year written ``2022/23`` or ``2022``."""
    match = _YEAR.match(str(text).strip())
    if not match:
        raise EconomicsError(f"{where}: '{text}' is not a price year (write 2022/23 or 2022)")
    start = int(match.group(1))
    if match.group(2) is not None and int(match.group(2)) != (start + 1) % 100:
        raise EconomicsError(f"{where}: '{text}' is not a financial year (2022/23 follows "
                             "2022 with 23)")
    return start


def year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class UnitCost:
    item: str
    unit: str
    cost: float
    price_year: int
    low: float
    high: float
    source: str
    note: str


def _read_csv(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of ``path`` with their line numbers; refuses missing columns."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in required if name not in (reader.fieldnames or [])]
            if missing:
                raise EconomicsError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
            return [(reader.line_num, row) for row in reader]
    except OSError as error:
        raise EconomicsError(f"{path}: cannot be read ({error.strerror})") from None


def _number(path: Path, line: int, column: str, text: str | None, *,
            optional: bool = False, minimum: float | None = 0.0) -> float | None:
    text = (text or "").strip().replace(",", "").lstrip("£")
    if not text:
        if optional:
            return None
        raise EconomicsError(f"{path}: line {line}, column '{column}': empty")
    try:
        value = float(text)
    except ValueError:
        raise EconomicsError(f"{path}: line {line}, column '{column}': '{text}' is not a "
                             "number") from None
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        raise EconomicsError(f"{path}: line {line}, column '{column}': {text} is out of range"
                             + (f" (at least {minimum:g})" if minimum is not None else ""))
    return value


def load_unit_costs(path: Path = DEFAULT_UNIT_COSTS) -> dict[str, UnitCost]:
    """The unit costs of ``path`` by item (see the module docstring for the columns)."""
    costs: dict[str, UnitCost] = {}
    for line, row in _read_csv(path, ("item", "unit", "cost", "price_year", "source")):
        item = (row.get("item") or "").strip()
        if not item:
            raise EconomicsError(f"{path}: line {line}, column 'item': empty")
        if item in costs:
            raise EconomicsError(f"{path}: line {line}, column 'item': '{item}' appears twice")
        cost = _number(path, line, "cost", row.get("cost"))
        low = _number(path, line, "low", row.get("low"), optional=True)
        high = _number(path, line, "high", row.get("high"), optional=True)
        low = cost * (1 - DEFAULT_RANGE) if low is None else low
        high = cost * (1 + DEFAULT_RANGE) if high is None else high
        if not low <= cost <= high:
            raise EconomicsError(f"{path}: line {line}: low ({low:g}) <= cost ({cost:g}) <= "
                                 f"high ({high:g}) does not hold")
        source = (row.get("source") or "").strip()
        if not source:
            raise EconomicsError(f"{path}: line {line}, column 'source': every unit cost "
                                 "needs its source")
        costs[item] = UnitCost(
            item=item, unit=(row.get("unit") or "").strip(), cost=cost,
            price_year=financial_year(row.get("price_year"),
                                      f"{path}: line {line}, column 'price_year'"),
            low=low, high=high, source=source, note=(row.get("note") or "").strip())
    if not costs:
        raise EconomicsError(f"{path}: no unit costs")
    return costs


@dataclass(frozen=True)
class InflationIndex:
    """Percentage change on the year before, by financial year (its starting year)."""

    changes: dict[int, float]
    source: Path

    def factor(self, from_year: int, to_year: int) -> float:
        """What £1 in ``from_year`` prices is in ``to_year`` prices."""
        low, high = sorted((from_year, to_year))
        missing = [year_label(y) for y in range(low + 1, high + 1) if y not in self.changes]
        if missing:
            raise EconomicsError(f"{self.source}: no inflation figure for {', '.join(missing)} "
                                 f"(needed to move {year_label(from_year)} prices to "
                                 f"{year_label(to_year)})")
        factor = math.prod(1 + self.changes[y] / 100 for y in range(low + 1, high + 1))
        return factor if to_year >= from_year else 1 / factor


def load_inflation_index(path: Path = DEFAULT_INFLATION_INDEX) -> InflationIndex:
    changes: dict[int, float] = {}
    for line, row in _read_csv(path, ("price_year", "percent_change", "source")):
        year = financial_year(row.get("price_year"), f"{path}: line {line}, column 'price_year'")
        if year in changes:
            raise EconomicsError(f"{path}: line {line}, column 'price_year': "
                                 f"{year_label(year)} appears twice")
        changes[year] = _number(path, line, "percent_change", row.get("percent_change"),
                                minimum=-50.0)
    return InflationIndex(changes, path)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Post(_Strict):
    role: str
    band: str = ""
    wte: float = Field(gt=0, le=100)
    salary: float = Field(gt=0, description="Annual salary of one WTE at the band (£).")


class NonStaffCost(_Strict):
    item: str
    cost: float = Field(ge=0)


class SocialValue(_Strict):
    item: str
    value: float = Field(ge=0)
    source: str


class Programme(_Strict):
    """A programme file (YAML). Money in ``price_year`` prices, over the same period as the
    impact result's after-window (usually a year)."""

    name: str
    price_year: str = Field(description="Price year of the costs below, e.g. 2025/26.")
    unit_cost: str = Field(description="The unit-cost item that values one unit of the "
                                       "measure, e.g. ed_type1.")
    people: int | None = Field(default=None, gt=0, description=(
        "People the effect applies to; default: n_treated of the result."))
    posts: list[Post] = Field(default_factory=list)
    on_costs: float = Field(default=0.0, ge=0, le=1, description=(
        "Employer's National Insurance and pension, as a share of salary."))
    overheads: float = Field(default=0.0, ge=0, le=2, description=(
        "Management, estates, IT, as a share of staff cost with on-costs."))
    non_staff: list[NonStaffCost] = Field(default_factory=list)
    social_value: list[SocialValue] = Field(default_factory=list)
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict, description=(
        "Plausible range of an input for the sensitivity analysis, overriding the default: "
        "people, unit_cost, salaries (a multiplier), on_costs, overheads, non_staff "
        "(a multiplier)."))

    @model_validator(mode="after")
    def _some_cost(self) -> Programme:
        if not self.posts and not self.non_staff:
            raise ValueError("a programme needs posts or non_staff costs")
        for key, (low, high) in self.ranges.items():
            if key not in SENSITIVITY_INPUTS:
                raise ValueError(f"ranges: unknown input '{key}' (inputs: "
                                 f"{', '.join(SENSITIVITY_INPUTS)})")
            if low > high:
                raise ValueError(f"ranges: {key}: low {low} is above high {high}")
        return self


SENSITIVITY_INPUTS = ("effect", "people", "unit_cost", "salaries", "on_costs", "overheads",
                      "non_staff")


def load_programme(path: Path) -> Programme:
    programme = load_model(path, Programme, EconomicsError)
    financial_year(programme.price_year, f"{path}: key 'price_year'")
    return programme


@dataclass(frozen=True)
class Effect:
    """The impact on the measure per person, with what is known of its uncertainty."""

    estimate: float
    ci_low: float
    ci_high: float
    n_treated: int
    measure: str
    draws: np.ndarray
    draws_from: str
    """'bootstrap' (the result's own draws) or 'normal approximation from the 95% CI'."""


def load_effect(path: Path, *, seed: int = 1, outcome: str | None = None) -> Effect:
    """The effect of an impact ``result.json`` (see the module docstring for the interval):
    of ``upstream evaluate table``, or of one ``outcome`` (required there, e.g.
    ``ed_attendances``) of ``upstream evaluate activity``, whose outcomes share one matched
    comparison."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EconomicsError(f"{path}: cannot be read ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise EconomicsError(f"{path}: line {error.lineno}: not valid JSON") from None
    data = _one_outcome(path, data, outcome)
    values = {}
    for key in ("estimate", "ci_low", "ci_high", "n_treated"):
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
                value):
            raise EconomicsError(f"{path}: key '{key}' must be a number (the result may have "
                                 "been too small to estimate)")
        values[key] = value
    if not values["ci_low"] <= values["estimate"] <= values["ci_high"]:
        raise EconomicsError(f"{path}: ci_low <= estimate <= ci_high does not hold")
    measure = outcome or str((data.get("roles") or {}).get("after", "the measure"))
    draws = data.get("bootstrap_draws")
    if draws:
        array = np.asarray(draws, dtype=float)
        array = array[np.isfinite(array)]
        if array.size < 100:
            raise EconomicsError(f"{path}: key 'bootstrap_draws' has fewer than 100 numbers")
        how = "bootstrap"
    else:
        sd = (values["ci_high"] - values["ci_low"]) / (2 * Z95)
        array = np.random.default_rng(seed).normal(values["estimate"], sd, SIMULATED_DRAWS)
        how = "normal approximation from the 95% CI"
    return Effect(float(values["estimate"]), float(values["ci_low"]),
                  float(values["ci_high"]), int(values["n_treated"]), measure, array, how)


def _one_outcome(path: Path, data: object, outcome: str | None) -> object:
    """``data`` itself for a single-measure result; for an activity result (``outcomes``), the
    shared figures with the chosen outcome's estimate, interval and draws."""
    outcomes = data.get("outcomes") if isinstance(data, dict) else None
    if not isinstance(outcomes, dict):
        if outcome is not None:
            raise EconomicsError(f"{path}: --outcome {outcome} was given but the result has one "
                                 "measure only (it is not from 'upstream evaluate activity')")
        return data
    named = ", ".join(sorted(outcomes))
    if outcome is None:
        raise EconomicsError(f"{path}: the result has several outcomes: choose one with "
                             f"--outcome ({named})")
    if not isinstance(outcomes.get(outcome), dict):
        raise EconomicsError(f"{path}: no outcome '{outcome}' in the result ({named})")
    return {**{k: v for k, v in data.items() if k != "outcomes"}, **outcomes[outcome]}


@dataclass(frozen=True)
class Inputs:
    """Every figure of the calculation, in the chosen price year."""

    effect: float
    people: int
    unit_cost: float
    salaries: float
    """Sum of WTE x salary."""
    on_costs: float
    overheads: float
    non_staff: float

    def programme_cost(self) -> float:
        return (self.salaries * (1 + self.on_costs) * (1 + self.overheads) + self.non_staff)

    def gross_savings(self, effect: float | np.ndarray | None = None):
        effect = self.effect if effect is None else effect
        return -effect * self.people * self.unit_cost

    def net_savings(self, effect=None):
        return self.gross_savings(effect) - self.programme_cost()


@dataclass(frozen=True)
class SensitivityRow:
    input: str
    low_value: float
    high_value: float
    net_at_low: float
    net_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.net_at_high - self.net_at_low)


def sensitivity(inputs: Inputs, ranges: dict[str, tuple[float, float]]) -> list[SensitivityRow]:
    """Net savings with each input at the ends of its range, widest swing first. ``salaries``
    and ``non_staff`` ranges are multipliers of the base; the others are values."""
    rows = []
    for name, (low, high) in ranges.items():
        ends = []
        for end in (low, high):
            value = getattr(inputs, name) * end if name in ("salaries", "non_staff") else end
            changed = Inputs(**{**asdict(inputs), name: value})
            ends.append((value, float(changed.net_savings())))
        rows.append(SensitivityRow(name, ends[0][0], ends[1][0], ends[0][1], ends[1][1]))
    return sorted(rows, key=lambda row: (-row.swing, SENSITIVITY_INPUTS.index(row.input)))


def default_ranges(inputs: Inputs, effect: Effect, unit: UnitCost, factor: float,
                   programme: Programme) -> dict[str, tuple[float, float]]:
    """The plausible range of each input: the effect's 95% CI, the unit cost's low-high
    (uplifted), people ±20%, salaries x0.9-1.1, on-costs ±0.05, overheads x0.5-1.5,
    non-staff x0.75-1.25; any of them replaced by the programme's ``ranges``."""
    ranges = {
        "effect": (effect.ci_low, effect.ci_high),
        "people": (round(inputs.people * 0.8), round(inputs.people * 1.2)),
        "unit_cost": (unit.low * factor, unit.high * factor),
        "salaries": (0.9, 1.1),
        "on_costs": (max(0.0, inputs.on_costs - 0.05), inputs.on_costs + 0.05),
        "overheads": (inputs.overheads * 0.5, inputs.overheads * 1.5),
        "non_staff": (0.75, 1.25),
    }
    ranges.update({key: tuple(value) for key, value in programme.ranges.items()})
    if not programme.posts:
        for key in ("salaries", "on_costs", "overheads"):
            ranges.pop(key)
    if not programme.non_staff:
        ranges.pop("non_staff")
    return ranges


@dataclass(frozen=True)
class Value:
    """What :func:`value_for_money` found; :meth:`to_dict` is ``value.json``."""

    programme: str
    measure: str
    price_year: str
    unit_cost: UnitCost
    unit_cost_uplifted: float
    uplift_factor: float
    inputs: Inputs
    programme_cost: float
    gross_savings: float
    gross_savings_ci: tuple[float, float]
    net_savings: float
    net_savings_ci: tuple[float, float]
    return_per_pound: float
    return_per_pound_ci: tuple[float, float]
    net_return_per_pound: float
    net_return_per_pound_ci: tuple[float, float]
    interval_from: str
    draws: int
    social_value: list[dict]
    social_value_total: float
    sensitivity: list[SensitivityRow]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["sensitivity"] = [{**asdict(row), "swing": row.swing} for row in self.sensitivity]
        data["unit_cost"]["price_year"] = year_label(self.unit_cost.price_year)
        data["social_value_note"] = ("Wider social value is not cashable and is never added "
                                     "to the savings above.")
        return data


def value_for_money(effect: Effect, programme: Programme, unit_costs: dict[str, UnitCost],
                    index: InflationIndex, price_year: int) -> Value:
    """Savings, returns and sensitivity in ``price_year`` prices (module docstring)."""
    if programme.unit_cost not in unit_costs:
        raise EconomicsError(f"programme '{programme.name}': key 'unit_cost': no unit cost "
                             f"'{programme.unit_cost}' (items: {', '.join(unit_costs)})")
    unit = unit_costs[programme.unit_cost]
    unit_factor = index.factor(unit.price_year, price_year)
    programme_factor = index.factor(financial_year(programme.price_year, "price_year"),
                                    price_year)
    inputs = Inputs(
        effect=effect.estimate,
        people=programme.people or effect.n_treated,
        unit_cost=unit.cost * unit_factor,
        salaries=sum(post.wte * post.salary for post in programme.posts) * programme_factor,
        on_costs=programme.on_costs, overheads=programme.overheads,
        non_staff=sum(item.cost for item in programme.non_staff) * programme_factor)
    cost = inputs.programme_cost()
    gross_draws = inputs.gross_savings(effect.draws)

    def interval(values: np.ndarray) -> tuple[float, float]:
        low, high = np.percentile(values, [2.5, 97.5])
        return float(low), float(high)

    social = [{"item": s.item, "value": s.value * programme_factor, "source": s.source}
              for s in programme.social_value]
    return Value(
        programme=programme.name, measure=effect.measure, price_year=year_label(price_year),
        unit_cost=unit, unit_cost_uplifted=inputs.unit_cost, uplift_factor=unit_factor,
        inputs=inputs, programme_cost=cost,
        gross_savings=float(inputs.gross_savings()), gross_savings_ci=interval(gross_draws),
        net_savings=float(inputs.net_savings()), net_savings_ci=interval(gross_draws - cost),
        return_per_pound=float(inputs.gross_savings()) / cost,
        return_per_pound_ci=interval(gross_draws / cost),
        net_return_per_pound=float(inputs.net_savings()) / cost,
        net_return_per_pound_ci=interval((gross_draws - cost) / cost),
        interval_from=effect.draws_from, draws=int(effect.draws.size),
        social_value=social, social_value_total=sum(s["value"] for s in social),
        sensitivity=sensitivity(inputs, default_ranges(inputs, effect, unit, unit_factor,
                                                       programme)))
