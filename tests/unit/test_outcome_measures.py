"""Outcome measures (upstream.standards.outcomes): scoring against the published tables and
band edges, refusals that name the instrument, item and value, and scores kept in range."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upstream.standards import outcomes
from upstream.standards.outcomes import (
    AnswerError,
    Direction,
    Judgement,
)

# Warwick Medical School's SWEMWBS conversion table, raw total -> metric score, typed in from
# the published table (not computed from the module's copy).
WARWICK_SWEMWBS = [
    (7, 7.00), (8, 9.51), (9, 11.25), (10, 12.40), (11, 13.33), (12, 14.08), (13, 14.75),
    (14, 15.32), (15, 15.84), (16, 16.36), (17, 16.88), (18, 17.43), (19, 17.98), (20, 18.59),
    (21, 19.25), (22, 19.98), (23, 20.73), (24, 21.54), (25, 22.35), (26, 23.21), (27, 24.11),
    (28, 25.03), (29, 26.02), (30, 27.03), (31, 28.13), (32, 29.31), (33, 30.70), (34, 32.55),
    (35, 35.00),
]


def _swemwbs_answers(raw: int) -> dict[str, int]:
    """Seven answers 1-5 adding up to ``raw``."""
    answers, left = {}, raw
    for n in range(1, 8):
        value = min(5, left - (7 - n))
        answers[f"swemwbs_{n}"] = value
        left -= value
    assert sum(answers.values()) == raw
    return answers


@pytest.mark.parametrize(("raw", "metric"), WARWICK_SWEMWBS)
def test_swemwbs_raw_total_converts_to_the_published_metric_score(raw, metric):
    scored = outcomes.SWEMWBS.score(_swemwbs_answers(raw))
    assert scored.scores == {"swemwbs": metric}


def test_the_swemwbs_table_covers_every_raw_total_and_rises():
    assert sorted(outcomes.SWEMWBS_METRIC.items()) == WARWICK_SWEMWBS
    metrics = [metric for _, metric in WARWICK_SWEMWBS]
    assert metrics == sorted(metrics) and len(set(metrics)) == 29


@pytest.mark.parametrize(("score", "band"), [
    (0, "Low"), (4, "Low"), (5, "Medium"), (6, "Medium"), (7, "High"), (8, "High"),
    (9, "Very high"), (10, "Very high")])
@pytest.mark.parametrize("item", ["life_satisfaction", "worthwhile", "happiness"])
def test_ons4_positive_items_band_at_the_ons_thresholds(item, score, band):
    answers = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 5, "anxiety": 5}
    answers[item] = score
    scored = outcomes.ONS4.score(answers)
    assert scored.scores[f"ons4_{item}"] == score
    assert scored.bands[f"ons4_{item}"] == band


@pytest.mark.parametrize(("score", "band"), [
    (0, "Very low"), (1, "Very low"), (2, "Low"), (3, "Low"), (4, "Medium"), (5, "Medium"),
    (6, "High"), (10, "High")])
def test_ons4_anxiety_is_banded_the_other_way_round(score, band):
    scored = outcomes.ONS4.score({"life_satisfaction": 8, "worthwhile": 8, "happiness": 8,
                                  "anxiety": score})
    assert scored.bands["ons4_anxiety"] == band
    assert outcomes.measure("ons4_anxiety").direction is Direction.LOWER_IS_BETTER
    assert outcomes.measure("ons4_happiness").direction is Direction.HIGHER_IS_BETTER


def test_ons4_items_are_four_scores_never_summed():
    scored = outcomes.ONS4.score({"life_satisfaction": 1, "worthwhile": 2, "happiness": 3,
                                  "anxiety": 4})
    assert scored.scores == {"ons4_life_satisfaction": 1, "ons4_worthwhile": 2,
                             "ons4_happiness": 3, "ons4_anxiety": 4}


def _total_answers(prefix: str, count: int, total: int, top: int = 3) -> dict[str, int]:
    answers, left = {}, total
    for n in range(1, count + 1):
        answers[f"{prefix}_{n}"] = min(top, left)
        left -= answers[f"{prefix}_{n}"]
    assert left == 0
    return answers


PHQ9_EDGES = [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"),
              (14, "Moderate"), (15, "Moderately severe"), (19, "Moderately severe"),
              (20, "Severe"), (27, "Severe")]


@pytest.mark.parametrize(("total", "band"), PHQ9_EDGES)
def test_phq9_severity_bands_at_every_edge(total, band):
    scored = outcomes.PHQ9.score(_total_answers("phq9", 9, total))
    assert scored.scores == {"phq9": total}
    assert scored.bands == {"phq9": band}


GAD7_EDGES = [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"),
              (14, "Moderate"), (15, "Severe"), (21, "Severe")]


@pytest.mark.parametrize(("total", "band"), GAD7_EDGES)
def test_gad7_severity_bands_at_every_edge(total, band):
    scored = outcomes.GAD7.score(_total_answers("gad7", 7, total))
    assert scored.scores == {"gad7": total}
    assert scored.bands == {"gad7": band}


def test_phq9_item_9_above_zero_raises_an_alert():
    quiet = _total_answers("phq9", 9, 8)
    assert quiet["phq9_9"] == 0
    assert outcomes.PHQ9.score(quiet).alerts == ()
    risky = {**quiet, "phq9_9": 1}
    (alert,) = outcomes.PHQ9.score(risky).alerts
    assert "item 9" in alert and "risk procedure" in alert


@pytest.mark.parametrize(("baseline", "follow_up", "judgement"), [
    (18, 12, Judgement.IMPROVED),             # a fall of 6: reliable improvement
    (18, 13, Judgement.NO_MEANINGFUL_CHANGE),  # 5 is not enough
    (12, 18, Judgement.DETERIORATED),
    (12, 17, Judgement.NO_MEANINGFUL_CHANGE)])
def test_phq9_reliable_change_is_six_points_downwards(baseline, follow_up, judgement):
    assert outcomes.measure("phq9").judge(baseline, follow_up) is judgement


@pytest.mark.parametrize(("baseline", "follow_up", "judgement"), [
    (12, 8, Judgement.IMPROVED), (12, 9, Judgement.NO_MEANINGFUL_CHANGE),
    (8, 12, Judgement.DETERIORATED)])
def test_gad7_reliable_change_is_four_points(baseline, follow_up, judgement):
    assert outcomes.measure("gad7").judge(baseline, follow_up) is judgement


def test_wellbeing_improves_upwards_with_the_published_threshold():
    wemwbs = outcomes.measure("wemwbs")
    assert wemwbs.judge(40, 43) is Judgement.IMPROVED
    assert wemwbs.judge(40, 42) is Judgement.NO_MEANINGFUL_CHANGE
    assert wemwbs.judge(43, 40) is Judgement.DETERIORATED
    # SWEMWBS metric scores are fractional: 17.98 -> 20.73 is 2.75, short of 3.
    swemwbs = outcomes.measure("swemwbs")
    assert swemwbs.judge(17.98, 20.73) is Judgement.NO_MEANINGFUL_CHANGE
    assert swemwbs.judge(17.98, 21.54) is Judgement.IMPROVED


def test_a_measure_without_a_published_threshold_needs_one_given():
    dna = outcomes.measure("dna_rate")
    with pytest.raises(ValueError, match="DNA rate has no published meaningful-change"):
        dna.judge(0.4, 0.1)
    assert dna.judge(0.4, 0.1, threshold=0.2) is Judgement.IMPROVED


def test_conventions_are_marked_as_not_published():
    assert outcomes.measure("phq9").meaningful_change.published
    assert not outcomes.measure("ons4_happiness").meaningful_change.published
    assert not outcomes.measure("ucla3").meaningful_change.published


@pytest.mark.parametrize(("total", "band"), [(3, "Not lonely"), (5, "Not lonely"),
                                             (6, "Lonely"), (9, "Lonely")])
def test_ucla3_total_and_bands(total, band):
    answers = _total_answers("ucla3", 3, total - 3, top=2)
    answers = {code: value + 1 for code, value in answers.items()}
    assert outcomes.UCLA3.score(answers).scores == {"ucla3": total}
    assert outcomes.UCLA3.score(answers).bands == {"ucla3": band}


def test_ons_loneliness_records_the_answer_category():
    scored = outcomes.ONS_LONELINESS.score({"how_often_lonely": 4})
    assert scored.bands == {"ons_loneliness": "Often or always"}
    assert outcomes.ONS_LONELINESS.score({"how_often_lonely": 0}).bands == {
        "ons_loneliness": "Never"}


def test_goal_attainment_t_score_follows_kiresuk_and_sherman():
    # Every goal as expected: 50. One goal at +1: 50 + 10 * 1 / sqrt(0.7 + 0.3) = 60.
    assert outcomes.gas_t_score([0, 0, 0]) == 50
    assert outcomes.gas_t_score([1]) == pytest.approx(60)
    # Three goals at -1: 50 + 10 * -3 / sqrt(0.7 * 3 + 0.3 * 9) = 50 - 30 / sqrt(4.8).
    scored = outcomes.GOAL_ATTAINMENT.score({"goal_1": -1, "goal_2": -1, "goal_3": -1})
    assert scored.scores["gas"] == pytest.approx(50 - 30 / math.sqrt(4.8))


def test_goal_progress_is_the_mean_over_the_goals_given():
    assert outcomes.GOAL_PROGRESS.score({"goal_1": 4, "goal_2": 7}).scores == {
        "goal_progress": 5.5}


@pytest.mark.parametrize(("value", "band"), [(41, "Normal range"),
                                             (42, "Non-diabetic hyperglycaemia"),
                                             (47, "Non-diabetic hyperglycaemia"),
                                             (48, "Diabetes range")])
def test_hba1c_bands_at_the_diagnostic_thresholds(value, band):
    assert outcomes.HBA1C.score({"hba1c": value}).bands == {"hba1c": band}


@pytest.mark.parametrize(("value", "band"), [(47.0, "Level 1"), (47.1, "Level 2"),
                                             (55.1, "Level 2"), (55.2, "Level 3"),
                                             (67.0, "Level 3"), (67.1, "Level 4")])
def test_pam_levels_at_their_published_edges(value, band):
    assert outcomes.PAM.score({"pam_score": value}).bands == {"pam": band}


def test_dna_rate_is_missed_over_booked_and_refuses_nonsense():
    assert outcomes.dna_rate(3, 12) == 0.25
    with pytest.raises(ValueError, match="no appointments were booked"):
        outcomes.dna_rate(0, 0)
    with pytest.raises(ValueError, match="4 missed is more than the 3 booked"):
        outcomes.dna_rate(4, 3)


def test_licensed_instruments_are_score_entry_with_a_licence_note_and_no_wording():
    for code in ("wemwbs", "eq5d", "pam", "outcomes_star", "fact_g"):
        instrument = outcomes.instrument(code)
        assert instrument.score_entry and instrument.licence, code
    # SWEMWBS answers come from the licensed form: items carry numbers, not statements.
    swemwbs = outcomes.SWEMWBS
    assert swemwbs.licence and not swemwbs.score_entry
    assert [item.label for item in swemwbs.items] == [f"Statement {n}" for n in range(1, 8)]
    assert all(not item.answers for item in swemwbs.items)


def test_eq5d_accepts_the_index_and_vas_in_their_ranges():
    scored = outcomes.EQ5D.score({"eq5d_index": -0.2, "eq5d_vas": 65})
    assert scored.scores == {"eq5d_index": -0.2, "eq5d_vas": 65}
    with pytest.raises(AnswerError, match=r"EQ-5D, EQ-5D index value \(eq5d_index\): 1.2 is out"):
        outcomes.EQ5D.score({"eq5d_index": 1.2, "eq5d_vas": 65})


# --- Refusals ----------------------------------------------------------------------------------

def test_an_out_of_range_answer_names_instrument_item_and_value():
    answers = {**_total_answers("phq9", 9, 5), "phq9_3": 4}
    with pytest.raises(AnswerError) as refused:
        outcomes.PHQ9.score(answers)
    assert str(refused.value) == ("PHQ-9, Sleep (phq9_3): 4 is out of range (a whole number "
                                  "from 0 to 3 is needed)")
    assert (refused.value.instrument, refused.value.value) == ("PHQ-9", 4)


def test_a_non_integer_answer_is_refused_where_whole_numbers_are_needed():
    with pytest.raises(AnswerError, match=r"ONS4 personal wellbeing, Anxiety yesterday "
                                          r"\(anxiety\): 2.5 is not a whole number"):
        outcomes.ONS4.score({"life_satisfaction": 7, "worthwhile": 7, "happiness": 7,
                             "anxiety": 2.5})
    # An integer-valued float (as pandas gives) is a whole number.
    assert outcomes.ONS4.score({"life_satisfaction": 7.0, "worthwhile": 7, "happiness": 7,
                                "anxiety": 2}).scores["ons4_life_satisfaction"] == 7


def test_an_incomplete_administration_is_refused_naming_the_missing_item():
    answers = _swemwbs_answers(20)
    del answers["swemwbs_5"]
    with pytest.raises(AnswerError, match=r"SWEMWBS, Statement 5 \(swemwbs_5\): no answer was "
                                          r"given \(a whole number from 1 to 5 is needed\)"):
        outcomes.SWEMWBS.score(answers)
    with pytest.raises(AnswerError, match=r"GAD-7, Feeling afraid \(gad7_7\): no answer"):
        outcomes.GAD7.score({**_total_answers("gad7", 7, 3), "gad7_7": float("nan")})


@pytest.mark.parametrize("bad", ["3", True, None, [1]])
def test_something_that_is_not_a_number_is_refused(bad):
    with pytest.raises(AnswerError, match=r"WEMWBS, WEMWBS total score \(wemwbs_total\)"):
        outcomes.WEMWBS.score({"wemwbs_total": bad})


def test_an_unknown_item_is_refused():
    with pytest.raises(AnswerError, match="HbA1c, hba1c_percent: there is no item"):
        outcomes.HBA1C.score({"hba1c": 50, "hba1c_percent": 6.7})


def test_goals_beyond_the_first_are_optional_but_the_first_is_not():
    assert outcomes.GOAL_ATTAINMENT.score({"goal_1": 0}).scores == {"gas": 50}
    with pytest.raises(AnswerError, match=r"Goal attainment scaling, Goal 1 \(goal_1\): no "):
        outcomes.GOAL_ATTAINMENT.score({"goal_2": 1})


def test_unknown_codes_list_the_known_ones():
    with pytest.raises(KeyError, match="No outcome instrument 'k10'; known: .*phq9"):
        outcomes.instrument("k10")
    with pytest.raises(KeyError, match="No outcome measure 'k10'"):
        outcomes.measure("k10")


# --- Properties --------------------------------------------------------------------------------

def _answers_for(instrument):
    """Valid answers for every item of ``instrument`` (optional items sometimes left out)."""
    fields = {}
    for item in instrument.items:
        if item.whole_numbers:
            value = st.integers(int(item.minimum), int(item.maximum))
        else:
            value = st.floats(item.minimum, item.maximum, allow_nan=False)
        fields[item.code] = value if item.required else st.none() | value
    return st.fixed_dictionaries(fields).map(
        lambda answers: {k: v for k, v in answers.items() if v is not None})


@st.composite
def instrument_and_answers(draw):
    instrument = draw(st.sampled_from(list(outcomes.INSTRUMENTS.values())))
    return instrument, draw(_answers_for(instrument))


@given(instrument_and_answers())
def test_valid_answers_always_score_within_every_measure_range_and_band(case):
    instrument, answers = case
    scored = instrument.score(answers)
    assert set(scored.scores) == {m.code for m in instrument.measures}
    for code, value in scored.scores.items():
        measure = instrument.measure(code)
        assert measure.minimum <= value <= measure.maximum
        assert (scored.bands[code] is None) == (not measure.bands)


@given(instrument_and_answers(), st.data())
def test_one_answer_pushed_out_of_range_is_always_refused_naming_it(case, data):
    instrument, answers = case
    item = data.draw(st.sampled_from([i for i in instrument.items if i.code in answers]))
    outside = data.draw(st.sampled_from([item.minimum - 1, item.maximum + 1]))
    with pytest.raises(AnswerError) as refused:
        instrument.score({**answers, item.code: outside})
    assert refused.value.item == f"{item.label} ({item.code})"
    assert refused.value.value == outside


@given(st.sampled_from(list(outcomes.MEASURES.values())), st.data())
def test_improvement_and_deterioration_are_mirror_images(measure, data):
    score = st.floats(measure.minimum, measure.maximum, allow_nan=False)
    a, b = data.draw(score), data.draw(score)
    threshold = data.draw(st.floats(0.01, 10))
    forward, backward = measure.judge(a, b, threshold), measure.judge(b, a, threshold)
    mirror = {Judgement.IMPROVED: Judgement.DETERIORATED,
              Judgement.DETERIORATED: Judgement.IMPROVED,
              Judgement.NO_MEANINGFUL_CHANGE: Judgement.NO_MEANINGFUL_CHANGE}
    assert backward is mirror[forward]
    assert (forward is Judgement.IMPROVED) == (
        (b - a) * measure.direction.sign >= threshold - 1e-9)
