"""Outcome measures: one declarative definition per instrument (docs/adr/0014).

Each :class:`Instrument` declares its items (what is answered or entered, with the valid range),
how the answers are scored, and the :class:`Measure` (one or more) that change is judged on:
its range, bands, direction of improvement and meaningful-change threshold with the source of
that threshold. :meth:`Instrument.score` refuses out-of-range, non-numeric, non-integer (where
whole numbers are required), unknown and missing answers with an :class:`AnswerError` naming the
instrument, the item and the value, so nothing is half-scored.

**Licensed wording is never shipped.** Items carry short neutral labels only. WEMWBS and
SWEMWBS (© NHS Health Scotland, University of Warwick and University of Edinburgh; free to use
after registration), EQ-5D (EuroQol), PAM (Insignia Health), the Outcomes Star (Triangle) and
FACT-G (FACIT.org) are administered on the licence holder's own form; Upstream records the
answers (SWEMWBS) or the score (the others) and says so in :attr:`Instrument.licence`.

Sources of thresholds are named on each measure; where no threshold has been published the
:class:`MeaningfulChange` says so (``published=False``) and states the convention used.

Pure Python, no Django: the service, the evaluation and notebooks score the same way.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType


class Direction(Enum):
    """Which way a measure improves."""

    HIGHER_IS_BETTER = "higher is better"
    LOWER_IS_BETTER = "lower is better"

    @property
    def sign(self) -> int:
        """+1 when a rise is an improvement, -1 when a fall is."""
        return 1 if self is Direction.HIGHER_IS_BETTER else -1


class Judgement(Enum):
    """An individual's change from baseline to follow-up against a measure's threshold."""

    IMPROVED = "meaningful improvement"
    DETERIORATED = "meaningful deterioration"
    NO_MEANINGFUL_CHANGE = "no meaningful change"


@dataclass(frozen=True)
class Band:
    """A named range of scores, both ends included. A measure's bands are in ascending order and
    a score belongs to the first band whose ``high`` is at or above it, so bands published to
    one decimal place (PAM: up to 47.0, 47.1 to 55.1) leave no gaps between them."""

    label: str
    low: float
    high: float


@dataclass(frozen=True)
class MeaningfulChange:
    """The smallest change (in the measure's units) counted as meaningful for one person.

    ``published`` is False when no threshold has been published for the measure and
    ``source`` states the convention Upstream uses instead.
    """

    points: float
    source: str
    published: bool = True


_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Measure:
    """One score that change is judged on (an instrument may yield several: ONS4 yields four)."""

    code: str
    label: str
    minimum: float
    maximum: float
    direction: Direction
    meaningful_change: MeaningfulChange | None = None
    bands: tuple[Band, ...] = ()
    unit: str = "points"
    whole_numbers: bool = True

    def band(self, score: float) -> str | None:
        """The label of the band ``score`` falls in, or None when the measure has no bands."""
        self.check(score)
        for band in self.bands:
            if score <= band.high:
                return band.label
        return None

    def check(self, score: float) -> None:
        """Raise ValueError unless ``score`` is a number within the measure's range."""
        if _not_a_number(score):
            raise ValueError(f"{self.label}: score {score!r} is not a number")
        if not self.minimum - _TOLERANCE <= score <= self.maximum + _TOLERANCE:
            raise ValueError(f"{self.label}: score {score!r} is outside the range "
                             f"{_fmt(self.minimum)} to {_fmt(self.maximum)}")

    def improvement(self, baseline: float, follow_up: float) -> float:
        """Change from ``baseline`` to ``follow_up`` signed so that positive means better."""
        self.check(baseline)
        self.check(follow_up)
        return (follow_up - baseline) * self.direction.sign

    def judge(self, baseline: float, follow_up: float,
              threshold: float | None = None) -> Judgement:
        """Whether the change is a meaningful improvement or deterioration: at least
        ``threshold`` (default: the measure's :attr:`meaningful_change`) in the better or worse
        direction. Raises ValueError when the measure has no threshold and none is given."""
        threshold = self.threshold(threshold)
        gain = self.improvement(baseline, follow_up)
        if gain >= threshold - _TOLERANCE:
            return Judgement.IMPROVED
        if gain <= -threshold + _TOLERANCE:
            return Judgement.DETERIORATED
        return Judgement.NO_MEANINGFUL_CHANGE

    def threshold(self, override: float | None = None) -> float:
        """``override`` if given, else the measure's meaningful-change points."""
        if override is not None:
            if _not_a_number(override) or override <= 0:
                raise ValueError(f"{self.label}: a meaningful-change threshold must be a number "
                                 f"above 0, not {override!r}")
            return float(override)
        if self.meaningful_change is None:
            raise ValueError(f"{self.label} has no published meaningful-change threshold: "
                             "give one for this evaluation")
        return self.meaningful_change.points


@dataclass(frozen=True)
class Item:
    """One answer or entered score. ``label`` is a short neutral label, never licensed wording;
    ``answers`` labels the allowed values where the wording is free to show (for radios)."""

    code: str
    label: str
    minimum: float
    maximum: float
    whole_numbers: bool = True
    required: bool = True
    answers: tuple[tuple[int, str], ...] = ()

    def allowed(self) -> str:
        kind = "a whole number" if self.whole_numbers else "a number"
        return f"{kind} from {_fmt(self.minimum)} to {_fmt(self.maximum)}"


class AnswerError(ValueError):
    """Answers that cannot be scored. ``instrument``, ``item`` and ``value`` say which;
    ``code`` is the item's code (None when the problem is not one item's)."""

    def __init__(self, instrument: str, item: str | None, value: object, problem: str,
                 code: str | None = None):
        self.instrument, self.item, self.value, self.problem = instrument, item, value, problem
        self.code = code
        where = f"{instrument}, {item}" if item else instrument
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Scored:
    """The result of scoring one administration."""

    instrument: str
    scores: Mapping[str, float]
    """Measure code to score."""
    bands: Mapping[str, str | None]
    """Measure code to band label (None for measures without bands)."""
    alerts: tuple[str, ...] = ()
    """Things a worker must act on now (e.g. PHQ-9 item 9 above 0)."""


Scorer = Callable[[Mapping[str, float]], dict[str, float]]


@dataclass(frozen=True)
class Instrument:
    """An instrument: its items, how they are scored and the measures change is judged on."""

    code: str
    name: str
    description: str
    items: tuple[Item, ...]
    measures: tuple[Measure, ...]
    scorer: Scorer = field(repr=False)
    licence: str | None = None
    """Set for licensed instruments: their wording is not shipped."""
    score_entry: bool = False
    """True when the worker enters the instrument's score(s) from the licensed form rather
    than item answers."""
    alerts: Callable[[Mapping[str, float]], tuple[str, ...]] = field(
        default=lambda answers: (), repr=False)

    def measure(self, code: str) -> Measure:
        for measure in self.measures:
            if measure.code == code:
                return measure
        raise KeyError(f"{self.name} has no measure {code!r}")

    def check(self, answers: Mapping[str, object]) -> dict[str, float]:
        """The answers as numbers, or AnswerError naming the first problem (item order)."""
        if not isinstance(answers, Mapping):
            raise AnswerError(self.name, None, answers, "answers must be given item by item")
        known = {item.code for item in self.items}
        unknown = [key for key in answers if key not in known]
        if unknown:
            raise AnswerError(self.name, str(unknown[0]), answers[unknown[0]],
                              f"there is no item {unknown[0]!r} in this instrument",
                              str(unknown[0]))
        checked: dict[str, float] = {}
        for item in self.items:
            value = answers.get(item.code)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                if item.required:
                    raise self._refuse(item, None, "no answer was given")
                continue
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise self._refuse(item, value, f"{value!r} is not a number")
            if not math.isfinite(value):
                raise self._refuse(item, value, f"{value!r} is not a finite number")
            if item.whole_numbers and value != int(value):
                raise self._refuse(item, value, f"{value!r} is not a whole number")
            if not item.minimum <= value <= item.maximum:
                raise self._refuse(item, value, f"{_fmt(value)} is out of range")
            checked[item.code] = int(value) if item.whole_numbers else float(value)
        return checked

    def _refuse(self, item: Item, value: object, problem: str) -> AnswerError:
        return AnswerError(self.name, _item_name(item), value,
                           f"{problem} ({item.allowed()} is needed)", item.code)

    def score(self, answers: Mapping[str, object]) -> Scored:
        """Score one administration: checks every answer first (see :meth:`check`)."""
        checked = self.check(answers)
        scores = self.scorer(checked)
        for code, value in scores.items():
            self.measure(code).check(value)
        bands = {code: self.measure(code).band(value) for code, value in scores.items()}
        return Scored(self.code, MappingProxyType(scores), MappingProxyType(bands),
                      self.alerts(checked))


def _item_name(item: Item) -> str:
    return f"{item.label} ({item.code})"


def _fmt(value: float) -> str:
    return f"{value:g}"


def _not_a_number(value: object) -> bool:
    return (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not math.isfinite(value))


def _items(prefix: str, count: int, low: int, high: int, labels: Sequence[str] | None = None,
           answers: tuple[tuple[int, str], ...] = (), required: int | None = None) -> tuple:
    labels = labels or [f"Item {n}" for n in range(1, count + 1)]
    required = count if required is None else required
    return tuple(Item(f"{prefix}_{n}", labels[n - 1], low, high, answers=answers,
                      required=n <= required) for n in range(1, count + 1))


def _total(measure_code: str) -> Scorer:
    return lambda answers: {measure_code: sum(answers.values())}


def _entered(mapping: Mapping[str, str]) -> Scorer:
    """Scores entered directly: item code -> measure code."""
    return lambda answers: {mapping[code]: value for code, value in answers.items()}


# --- ONS4 personal wellbeing -----------------------------------------------------------------

_ONS_POSITIVE_BANDS = (Band("Low", 0, 4), Band("Medium", 5, 6), Band("High", 7, 8),
                       Band("Very high", 9, 10))
_ONS_ANXIETY_BANDS = (Band("Very low", 0, 1), Band("Low", 2, 3), Band("Medium", 4, 5),
                      Band("High", 6, 10))
_ONS4_CHANGE = MeaningfulChange(
    1, "No minimal important change has been published for the ONS4 items; Upstream counts a "
       "change of 1 point or more on the 0-10 scale (a convention, shown as such).",
    published=False)


def _ons4_measure(code: str, label: str, direction: Direction, bands: tuple) -> Measure:
    return Measure(code, label, 0, 10, direction, _ONS4_CHANGE, bands)


ONS4 = Instrument(
    code="ons4",
    name="ONS4 personal wellbeing",
    description=(
        "The Office for National Statistics' four personal wellbeing questions (life "
        "satisfaction, worthwhile, happiness yesterday, anxiety yesterday), each answered 0 "
        "(not at all) to 10 (completely) and reported separately, never summed. Bands are the "
        "ONS thresholds (ONS, Personal well-being user guidance; the 'thresholds' used in "
        "'Personal well-being in the UK'): life satisfaction, worthwhile and happiness low 0-4, "
        "medium 5-6, high 7-8, very high 9-10; anxiety, where lower is better, very low 0-1, "
        "low 2-3, medium 4-5, high 6-10. Crown copyright, Open Government Licence."),
    items=(Item("life_satisfaction", "Life satisfaction", 0, 10),
           Item("worthwhile", "Things done in life are worthwhile", 0, 10),
           Item("happiness", "Happiness yesterday", 0, 10),
           Item("anxiety", "Anxiety yesterday", 0, 10)),
    measures=(
        _ons4_measure("ons4_life_satisfaction", "ONS4 life satisfaction",
                      Direction.HIGHER_IS_BETTER, _ONS_POSITIVE_BANDS),
        _ons4_measure("ons4_worthwhile", "ONS4 worthwhile", Direction.HIGHER_IS_BETTER,
                      _ONS_POSITIVE_BANDS),
        _ons4_measure("ons4_happiness", "ONS4 happiness", Direction.HIGHER_IS_BETTER,
                      _ONS_POSITIVE_BANDS),
        _ons4_measure("ons4_anxiety", "ONS4 anxiety", Direction.LOWER_IS_BETTER,
                      _ONS_ANXIETY_BANDS),
    ),
    scorer=lambda answers: {f"ons4_{code}": value for code, value in answers.items()},
)


# --- SWEMWBS and WEMWBS ------------------------------------------------------------------------

SWEMWBS_METRIC: Mapping[int, float] = MappingProxyType({
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
})
"""SWEMWBS raw total (7-35) to metric score: the Rasch-based conversion table published by
Warwick Medical School ('Guidance on scoring' for SWEMWBS, warwick.ac.uk/wemwbs), from
Stewart-Brown et al. (2009), Health Qual Life Outcomes 7:15."""

_LICENCE_WEMWBS = (
    "WEMWBS and SWEMWBS are © NHS Health Scotland, the University of Warwick and the University "
    "of Edinburgh. They are free to use but each organisation must register with Warwick "
    "Medical School and use the licensed form; Upstream does not reproduce the items.")

SWEMWBS = Instrument(
    code="swemwbs",
    name="SWEMWBS",
    description=(
        "The Short Warwick-Edinburgh Mental Wellbeing Scale: seven statements answered 1 to 5 "
        "on the licensed form; the raw total (7-35) is converted to the metric score with "
        "Warwick's conversion table (SWEMWBS_METRIC). Higher is better. Warwick publishes no "
        "cut-off bands. Meaningful change: Shah et al. (2018), Health Qual Life Outcomes "
        "16:239, found 1 to 3 points statistically important at individual level (1 SEM = "
        "1.03, 2.77 SEM = 2.87 points); Upstream uses the stricter, 3 points."),
    items=_items("swemwbs", 7, 1, 5, [f"Statement {n}" for n in range(1, 8)]),
    measures=(Measure("swemwbs", "SWEMWBS metric score", 7, 35, Direction.HIGHER_IS_BETTER,
                      MeaningfulChange(3, "Shah et al. (2018), Health Qual Life Outcomes "
                                          "16:239: 2.77 SEM = 2.87 points, rounded to 3"),
                      whole_numbers=False),),
    scorer=lambda answers: {"swemwbs": SWEMWBS_METRIC[sum(answers.values())]},
    licence=_LICENCE_WEMWBS,
)

WEMWBS = Instrument(
    code="wemwbs",
    name="WEMWBS",
    description=(
        "The 14-item Warwick-Edinburgh Mental Wellbeing Scale, completed on the licensed form; "
        "Upstream records the total (14-70). Higher is better; Warwick publishes no cut-off "
        "bands. Meaningful change: 3 points, Warwick's guidance, from Maheswaran et al. (2012), "
        "Health Qual Life Outcomes 10:156 (standard error of measurement 2.4 to 3.1 points)."),
    items=(Item("wemwbs_total", "WEMWBS total score", 14, 70),),
    measures=(Measure("wemwbs", "WEMWBS total score", 14, 70, Direction.HIGHER_IS_BETTER,
                      MeaningfulChange(3, "Warwick Medical School guidance; Maheswaran et al. "
                                          "(2012), Health Qual Life Outcomes 10:156")),),
    scorer=_entered({"wemwbs_total": "wemwbs"}),
    licence=_LICENCE_WEMWBS,
    score_entry=True,
)


# --- Loneliness --------------------------------------------------------------------------------

UCLA3 = Instrument(
    code="ucla3",
    name="UCLA 3-item loneliness scale",
    description=(
        "Hughes et al. (2004), Research on Aging 26:655, as recommended by the ONS for "
        "national loneliness measurement (2018): three questions answered hardly ever or never "
        "(1), some of the time (2), often (3); total 3-9, lower is better. Bands: 3-5 not "
        "lonely, 6-9 lonely (the cut-off of Hughes et al. and Steptoe et al. 2013, PNAS). No "
        "minimal important change has been published; Upstream counts 1 point or more (a "
        "convention)."),
    items=_items("ucla3", 3, 1, 3, ["Lack companionship", "Feel left out",
                                    "Feel isolated from others"],
                 answers=((1, "Hardly ever or never"), (2, "Some of the time"), (3, "Often"))),
    measures=(Measure("ucla3", "UCLA 3-item loneliness score", 3, 9, Direction.LOWER_IS_BETTER,
                      MeaningfulChange(1, "No published minimal important change; Upstream "
                                          "counts 1 point (a convention)", published=False),
                      (Band("Not lonely", 3, 5), Band("Lonely", 6, 9))),),
    scorer=_total("ucla3"),
)

_LONELINESS_ANSWERS = ((0, "Never"), (1, "Hardly ever"), (2, "Occasionally"),
                       (3, "Some of the time"), (4, "Often or always"))

ONS_LONELINESS = Instrument(
    code="ons_loneliness",
    name="ONS direct loneliness question",
    description=(
        "The ONS recommended direct measure of loneliness for adults ('Measuring loneliness: "
        "guidance for use of the national indicators on surveys', ONS 2018): how often the "
        "person feels lonely, answered never, hardly ever, occasionally, some of the time, or "
        "often/always (recorded 0 to 4; lower is better; 'often or always' is what the ONS "
        "calls chronic loneliness). No minimal important change has been published; Upstream "
        "counts a move of one answer category (a convention)."),
    items=(Item("how_often_lonely", "How often lonely", 0, 4, answers=_LONELINESS_ANSWERS),),
    measures=(Measure("ons_loneliness", "ONS loneliness (how often lonely)", 0, 4,
                      Direction.LOWER_IS_BETTER,
                      MeaningfulChange(1, "No published minimal important change; Upstream "
                                          "counts one answer category (a convention)",
                                       published=False),
                      tuple(Band(label, code, code) for code, label in _LONELINESS_ANSWERS),
                      unit="categories"),),
    scorer=_entered({"how_often_lonely": "ons_loneliness"}),
)


# --- PHQ-9 and GAD-7 ---------------------------------------------------------------------------

_FREQUENCY_ANSWERS = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"),
                      (3, "Nearly every day"))
_PHQ9_ITEM9 = "phq9_9"

PHQ9 = Instrument(
    code="phq9",
    name="PHQ-9",
    description=(
        "Patient Health Questionnaire (Kroenke, Spitzer & Williams 2001, J Gen Intern Med "
        "16:606): nine items over the last two weeks answered 0-3, total 0-27, lower is "
        "better. Bands: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 "
        "severe. Reliable change: 6 points, as in the NHS Talking Therapies manual. Any answer "
        "above 0 to item 9 raises an alert. Free to use (no permission required)."),
    items=_items("phq9", 9, 0, 3, [
        "Little interest or pleasure", "Feeling down or hopeless", "Sleep",
        "Tired or little energy", "Appetite", "Feeling bad about yourself", "Concentration",
        "Moving or speaking slowly, or restless", "Thoughts of being better off dead or of "
        "self-harm"], answers=_FREQUENCY_ANSWERS),
    measures=(Measure("phq9", "PHQ-9 total score", 0, 27, Direction.LOWER_IS_BETTER,
                      MeaningfulChange(6, "NHS Talking Therapies for anxiety and depression "
                                          "manual: reliable change on PHQ-9 is 6 points"),
                      (Band("Minimal", 0, 4), Band("Mild", 5, 9), Band("Moderate", 10, 14),
                       Band("Moderately severe", 15, 19), Band("Severe", 20, 27))),),
    scorer=_total("phq9"),
    alerts=lambda answers: (
        ("PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered above "
         "0: follow your team's risk procedure today",) if answers.get(_PHQ9_ITEM9, 0) > 0
        else ()),
)

GAD7 = Instrument(
    code="gad7",
    name="GAD-7",
    description=(
        "Generalised Anxiety Disorder scale (Spitzer et al. 2006, Arch Intern Med 166:1092): "
        "seven items over the last two weeks answered 0-3, total 0-21, lower is better. Bands: "
        "0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe. Reliable change: 4 points, as in "
        "the NHS Talking Therapies manual. Free to use (no permission required)."),
    items=_items("gad7", 7, 0, 3, [
        "Feeling nervous, anxious or on edge", "Not able to stop or control worrying",
        "Worrying too much", "Trouble relaxing", "Restless", "Easily annoyed or irritable",
        "Feeling afraid"], answers=_FREQUENCY_ANSWERS),
    measures=(Measure("gad7", "GAD-7 total score", 0, 21, Direction.LOWER_IS_BETTER,
                      MeaningfulChange(4, "NHS Talking Therapies for anxiety and depression "
                                          "manual: reliable change on GAD-7 is 4 points"),
                      (Band("Minimal", 0, 4), Band("Mild", 5, 9), Band("Moderate", 10, 14),
                       Band("Severe", 15, 21))),),
    scorer=_total("gad7"),
)


# --- Goals -------------------------------------------------------------------------------------

MAX_GOALS = 10
GAS_RHO = 0.3
"""The assumed inter-goal correlation in Kiresuk and Sherman's T-score formula."""


def gas_t_score(levels: Sequence[int], weights: Sequence[float] | None = None) -> float:
    """The Goal Attainment Scaling T-score (Kiresuk & Sherman 1968, Community Ment Health J
    4:443): ``50 + 10 * sum(w*x) / sqrt((1 - rho) * sum(w^2) + rho * (sum(w))^2)`` with
    rho = 0.3; each goal's level ``x`` is -2 (much less than expected) to +2 (much more).
    50 means every goal met as expected."""
    if not levels:
        raise ValueError("Goal attainment: at least one goal is needed")
    weights = [1.0] * len(levels) if weights is None else list(weights)
    if len(weights) != len(levels) or any(w <= 0 for w in weights):
        raise ValueError("Goal attainment: one positive weight per goal is needed")
    weighted = sum(w * x for w, x in zip(weights, levels, strict=True))
    spread = (1 - GAS_RHO) * sum(w * w for w in weights) + GAS_RHO * sum(weights) ** 2
    return 50 + 10 * weighted / math.sqrt(spread)


_GAS_MIN = gas_t_score([-2] * MAX_GOALS)
_GAS_MAX = gas_t_score([2] * MAX_GOALS)

GOAL_ATTAINMENT = Instrument(
    code="gas",
    name="Goal attainment scaling",
    description=(
        "Goal Attainment Scaling on the plan's goals (Turner-Stokes 2009, Clin Rehabil "
        "23:362): each goal rated -2 to +2 (-1 is the usual starting level, 0 the expected "
        "outcome), 1 to 10 goals, unweighted; scored as the Kiresuk-Sherman T-score (50 = "
        "goals met as expected). Higher is better. No minimal important change has been "
        "published; Upstream counts 10 T-score points, the scale's standard deviation by "
        "construction (a convention)."),
    items=_items("goal", MAX_GOALS, -2, 2, [f"Goal {n}" for n in range(1, MAX_GOALS + 1)],
                 answers=((-2, "Much less than expected"), (-1, "Less than expected"),
                          (0, "As expected"), (1, "More than expected"),
                          (2, "Much more than expected")), required=1),
    measures=(Measure("gas", "Goal attainment T-score", _GAS_MIN, _GAS_MAX,
                      Direction.HIGHER_IS_BETTER,
                      MeaningfulChange(10, "No published minimal important change; Upstream "
                                           "counts 10 T-score points (a convention)",
                                       published=False),
                      whole_numbers=False),),
    scorer=lambda answers: {"gas": gas_t_score(list(answers.values()))},
)

GOAL_PROGRESS = Instrument(
    code="goal_progress",
    name="Plan goal progress",
    description=(
        "The plan's own goal reviews: each goal's progress 0 (none) to 10 (fully met), as "
        "recorded on goal reviews; the measure is the mean over the plan's goals (1 to 10). "
        "Higher is better. No threshold is published; an evaluation must state its own."),
    items=_items("goal", MAX_GOALS, 0, 10, [f"Goal {n}" for n in range(1, MAX_GOALS + 1)],
                 required=1),
    measures=(Measure("goal_progress", "Mean goal progress", 0, 10, Direction.HIGHER_IS_BETTER,
                      whole_numbers=False),),
    scorer=lambda answers: {"goal_progress": sum(answers.values()) / len(answers)},
)


# --- Clinical and service measures -------------------------------------------------------------

HBA1C = Instrument(
    code="hba1c",
    name="HbA1c",
    description=(
        "Glycated haemoglobin in mmol/mol (IFCC), as reported by UK laboratories (whole "
        "numbers); accepted range 20-200 mmol/mol. Lower is better for people with or at risk "
        "of diabetes. Bands are the diagnostic thresholds (WHO 2011; NICE PH38): under 42 "
        "normal range, 42-47 non-diabetic hyperglycaemia, 48 or more diabetes range. "
        "Meaningful change: 5 mmol/mol, Upstream's rounding of the 0.5 percentage-point "
        "(5.5 mmol/mol) difference commonly treated as clinically relevant in diabetes trials "
        "(a convention, not an individual reliable-change index)."),
    items=(Item("hba1c", "HbA1c (mmol/mol)", 20, 200),),
    measures=(Measure("hba1c", "HbA1c", 20, 200, Direction.LOWER_IS_BETTER,
                      MeaningfulChange(5, "0.5 percentage points (5.5 mmol/mol), commonly "
                                          "used as clinically relevant in diabetes trials; "
                                          "rounded to 5 mmol/mol (a convention)",
                                       published=False),
                      (Band("Normal range", 20, 41), Band("Non-diabetic hyperglycaemia", 42, 47),
                       Band("Diabetes range", 48, 200)), unit="mmol/mol"),),
    scorer=_entered({"hba1c": "hba1c"}),
)


def dna_rate(missed: int, booked: int) -> float:
    """A person's or a clinic's DNA rate: appointments not attended without notice as a
    proportion of appointments booked (0 to 1)."""
    for name, value in (("missed", missed), ("booked", booked)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise ValueError(f"DNA rate: {name} must be a whole number of 0 or more, "
                             f"not {value!r}")
    if booked == 0:
        raise ValueError("DNA rate: no appointments were booked, so there is no rate")
    if missed > booked:
        raise ValueError(f"DNA rate: {missed} missed is more than the {booked} booked")
    return missed / booked


DNA_RATE = Instrument(
    code="dna_rate",
    name="DNA rate",
    description=(
        "Outpatient appointments not attended without notice as a proportion of appointments "
        "booked over a window (0 to 1; see dna_rate). Lower is better. No threshold is "
        "published; an evaluation must state its own."),
    items=(Item("dna_rate", "DNA rate (proportion)", 0, 1, whole_numbers=False),),
    measures=(Measure("dna_rate", "DNA rate", 0, 1, Direction.LOWER_IS_BETTER,
                      unit="proportion", whole_numbers=False),),
    scorer=_entered({"dna_rate": "dna_rate"}),
)

CLINIC_CAPACITY = Instrument(
    code="clinic_capacity",
    name="Clinic capacity used",
    description=(
        "A clinic's appointment slots attended as a proportion of slots offered over a window "
        "(0 to 1): the capacity not lost to non-attendance. Higher is better. A service "
        "measure, not a person's; no threshold is published."),
    items=(Item("clinic_capacity", "Slots attended / slots offered", 0, 1,
                whole_numbers=False),),
    measures=(Measure("clinic_capacity", "Clinic capacity used", 0, 1,
                      Direction.HIGHER_IS_BETTER, unit="proportion", whole_numbers=False),),
    scorer=_entered({"clinic_capacity": "clinic_capacity"}),
)


# --- Licensed instruments: score entry only ----------------------------------------------------

EQ5D = Instrument(
    code="eq5d",
    name="EQ-5D",
    description=(
        "EQ-5D (EuroQol): the utility index from the licensed form and value set, -0.594 (the "
        "lowest value of the UK 3L value set, which NICE's mapping of the 5L uses) to 1, and "
        "the visual analogue scale 0-100. Higher is better for both. Minimal important "
        "difference for the index: 0.074 (Walters & Brazier 2005, Qual Life Res 14:1523); none "
        "is published for the VAS."),
    items=(Item("eq5d_index", "EQ-5D index value", -0.594, 1, whole_numbers=False),
           Item("eq5d_vas", "EQ VAS (0-100)", 0, 100)),
    measures=(Measure("eq5d_index", "EQ-5D index", -0.594, 1, Direction.HIGHER_IS_BETTER,
                      MeaningfulChange(0.074, "Walters & Brazier (2005), Qual Life Res "
                                              "14:1523"),
                      unit="utility", whole_numbers=False),
              Measure("eq5d_vas", "EQ VAS", 0, 100, Direction.HIGHER_IS_BETTER)),
    scorer=_entered({"eq5d_index": "eq5d_index", "eq5d_vas": "eq5d_vas"}),
    licence=("EQ-5D is © EuroQol Research Foundation; use requires registration and a "
             "licence. Complete the licensed form and enter the index and VAS here."),
    score_entry=True,
)

PAM = Instrument(
    code="pam",
    name="Patient Activation Measure",
    description=(
        "PAM-13 (Hibbard et al. 2005): the activation score 0-100 from the licensed scoring. "
        "Higher is better. Levels: 1 up to 47.0, 2 47.1-55.1, 3 55.2-67.0, 4 67.1 and over. "
        "Meaningful change: 3 points (the PAM performance measure, CBE/NQF #2483)."),
    items=(Item("pam_score", "PAM activation score", 0, 100, whole_numbers=False),),
    measures=(Measure("pam", "PAM activation score", 0, 100, Direction.HIGHER_IS_BETTER,
                      MeaningfulChange(3, "PAM performance measure, CBE/NQF #2483: a 3-point "
                                          "gain"),
                      (Band("Level 1", 0, 47.0), Band("Level 2", 47.1, 55.1),
                       Band("Level 3", 55.2, 67.0), Band("Level 4", 67.1, 100)),
                      whole_numbers=False),),
    scorer=_entered({"pam_score": "pam"}),
    licence=("PAM is © Insignia Health (Phreesia); use requires a licence. Administer and score "
             "it with the licensed tools and enter the activation score here."),
    score_entry=True,
)

OUTCOMES_STAR = Instrument(
    code="outcomes_star",
    name="Outcomes Star",
    description=(
        "The Outcomes Star (Triangle): the mean of the areas' readings, each 1-10 on the "
        "Journey of Change. Higher is better. The number and names of areas depend on the "
        "Star version; no minimal important change is published."),
    items=(Item("star_mean", "Mean Star reading", 1, 10, whole_numbers=False),),
    measures=(Measure("outcomes_star", "Outcomes Star mean reading", 1, 10,
                      Direction.HIGHER_IS_BETTER, whole_numbers=False),),
    scorer=_entered({"star_mean": "outcomes_star"}),
    licence=("The Outcomes Star is © Triangle Consulting Social Enterprise; use requires a "
             "licence and training. Complete the Star with the person and enter the mean "
             "reading here."),
    score_entry=True,
)

FACT_G = Instrument(
    code="fact_g",
    name="FACT-G",
    description=(
        "Functional Assessment of Cancer Therapy - General, version 4: total score 0-108 from "
        "the licensed scoring (prorated totals may be fractional). Higher is better. Minimal "
        "important difference 3-7 points (Cella, Hahn & Dineen 2002, Qual Life Res 11:207); "
        "Upstream uses 5, the middle of that range."),
    items=(Item("fact_g_total", "FACT-G total score", 0, 108, whole_numbers=False),),
    measures=(Measure("fact_g", "FACT-G total score", 0, 108, Direction.HIGHER_IS_BETTER,
                      MeaningfulChange(5, "Cella, Hahn & Dineen (2002), Qual Life Res 11:207: "
                                          "3-7 points; the middle, 5, is used"),
                      whole_numbers=False),),
    scorer=_entered({"fact_g_total": "fact_g"}),
    licence=("FACT-G is © FACIT.org; use requires a licence. Complete and score the licensed "
             "form and enter the total here."),
    score_entry=True,
)


INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType({
    instrument.code: instrument for instrument in (
        ONS4, SWEMWBS, WEMWBS, UCLA3, ONS_LONELINESS, PHQ9, GAD7, GOAL_ATTAINMENT,
        GOAL_PROGRESS, HBA1C, DNA_RATE, CLINIC_CAPACITY, EQ5D, PAM, OUTCOMES_STAR, FACT_G)
})
"""Every instrument, by code."""

MEASURES: Mapping[str, Measure] = MappingProxyType({
    measure.code: measure for instrument in INSTRUMENTS.values()
    for measure in instrument.measures
})
"""Every measure, by code (unique across instruments)."""


def instrument(code: str) -> Instrument:
    """The instrument ``code``, or KeyError listing the known codes."""
    try:
        return INSTRUMENTS[code]
    except KeyError:
        raise KeyError(f"No outcome instrument {code!r}; known: "
                       f"{', '.join(sorted(INSTRUMENTS))}") from None


def measure(code: str) -> Measure:
    """The measure ``code``, or KeyError listing the known codes."""
    try:
        return MEASURES[code]
    except KeyError:
        raise KeyError(f"No outcome measure {code!r}; known: "
                       f"{', '.join(sorted(MEASURES))}") from None
