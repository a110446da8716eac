"""Outcome change for a cohort (upstream.evaluation.outcomes): hand-computed small examples,
agreement with scipy and statsmodels, attrition, refusals and the disclosure-controlled table."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from upstream.evaluation.outcomes import (
    ALL_PATHWAYS,
    CohortDataError,
    disclosure_table,
    outcome_change,
)


def _rows(pathway, people):
    """``people``: {person: (baseline or None, follow-up or None)} -> long rows."""
    rows = []
    for person, (baseline, follow_up) in people.items():
        for timepoint, score in (("baseline", baseline), ("follow_up", follow_up)):
            if score is not None:
                rows.append({"person_id": person, "pathway": pathway, "measure": "phq9",
                             "timepoint": timepoint, "score": score})
    return rows


CARDIOLOGY = {"a": (15, 9), "b": (12, 10), "c": (10, 16), "d": (20, 13),
              "e": (18, None), "f": (14, None), "g": (None, 8)}


def test_a_hand_computed_pathway():
    result = outcome_change(pd.DataFrame(_rows("Cardiology", CARDIOLOGY)), "phq9")
    group = result.group("Cardiology")
    assert (group.with_baseline, group.followed_up, group.lost, group.follow_up_only) == (
        6, 4, 2, 1)
    # Changes -6, -2, +6, -7: mean -2.25; squared deviations add up to 104.75 over 3 d.f.
    sd = math.sqrt(104.75 / 3)
    assert group.mean_baseline == 14.25 and group.mean_follow_up == 12.0
    assert group.mean_change.estimate == -2.25
    assert group.sd_change == pytest.approx(sd)
    half_width = stats.t.ppf(0.975, 3) * sd / 2
    assert group.mean_change.low == pytest.approx(-2.25 - half_width)
    assert group.mean_change.high == pytest.approx(-2.25 + half_width)
    assert group.cohens_dz == pytest.approx(-2.25 / sd)
    # PHQ-9 improves downwards by 6 or more: a (-6) and d (-7) improved, c (+6) deteriorated.
    assert (group.improved, group.deteriorated, group.no_meaningful_change) == (2, 1, 1)
    assert result.threshold == 6 and "Talking Therapies" in result.threshold_source
    # Lost people started at 18 and 14 (mean 16) against 14.25 for those followed up.
    assert group.attrition.mean_baseline_lost == 16
    assert group.attrition.mean_baseline_followed_up == 14.25
    assert group.attrition.difference.estimate == pytest.approx(1.75)


def test_p_values_and_intervals_agree_with_scipy_and_statsmodels():
    rng = np.random.default_rng(7)
    baseline = rng.integers(5, 27, size=40)
    follow_up = np.clip(baseline - rng.integers(-4, 9, size=40), 0, 27)
    people = {f"p{i}": (int(b), int(f)) for i, (b, f) in enumerate(zip(baseline, follow_up))}
    people.update({f"lost{i}": (int(b), None) for i, b in enumerate(rng.integers(10, 27, 12))})
    group = outcome_change(pd.DataFrame(_rows("ED", people)), "phq9").group("ED")
    change = (follow_up - baseline).astype(float)
    assert group.t_p_value == pytest.approx(stats.ttest_rel(follow_up, baseline).pvalue)
    assert group.wilcoxon_p_value == pytest.approx(stats.wilcoxon(change).pvalue)
    low, high = DescrStatsW(change).tconfint_mean(alpha=0.05)
    assert (group.mean_change.low, group.mean_change.high) == (pytest.approx(low),
                                                               pytest.approx(high))
    lost = np.array([b for key, (b, f) in people.items() if key.startswith("lost")], float)
    welch = stats.ttest_ind(lost, baseline.astype(float), equal_var=False)
    assert group.attrition.p_value == pytest.approx(welch.pvalue)
    # Welch's interval by its own formula (Satterthwaite degrees of freedom).
    va, vb = lost.var(ddof=1) / len(lost), baseline.var(ddof=1) / len(baseline)
    dof = (va + vb) ** 2 / (va**2 / (len(lost) - 1) + vb**2 / (len(baseline) - 1))
    half = stats.t.ppf(0.975, dof) * math.sqrt(va + vb)
    diff = lost.mean() - baseline.mean()
    assert group.attrition.difference.low == pytest.approx(diff - half)
    assert group.attrition.difference.high == pytest.approx(diff + half)


def test_the_wilcoxon_statistic_by_hand():
    # Changes -6, -2, +6, -7: ranks of |change| 2.5, 1, 2.5, 4; positive ranks sum to 2.5.
    frame = pd.DataFrame(_rows("Cardiology", CARDIOLOGY))
    group = outcome_change(frame, "phq9").group("Cardiology")
    assert stats.wilcoxon([-6, -2, 6, -7]).statistic == 2.5
    assert group.wilcoxon_p_value == pytest.approx(stats.wilcoxon([-6, -2, 6, -7]).pvalue)


def test_pathways_and_overall_and_direction_of_a_higher_is_better_measure():
    rows = []
    for pathway, people in {"Diabetes": {"a": (40, 45), "b": (50, 48)},
                            "Cancer": {"c": (30, 33), "d": (44, 44), "e": (38, None)}}.items():
        for person, (baseline, follow_up) in people.items():
            rows.append(dict(person_id=person, pathway=pathway, measure="wemwbs",
                             timepoint="baseline", score=baseline))
            if follow_up is not None:
                rows.append(dict(person_id=person, pathway=pathway, measure="wemwbs",
                                 timepoint="follow_up", score=follow_up))
    result = outcome_change(pd.DataFrame(rows), "wemwbs")
    assert [g.group for g in result.groups] == ["Cancer", "Diabetes", ALL_PATHWAYS]
    overall = result.group(ALL_PATHWAYS)
    # WEMWBS rises by 3 or more to improve: a (+5) and c (+3); b fell by 2 (not meaningful).
    assert (overall.followed_up, overall.lost, overall.improved, overall.deteriorated) == (
        4, 1, 2, 0)
    assert overall.mean_change.estimate == pytest.approx((5 - 2 + 3 + 0) / 4)
    assert result.group("Cancer").attrition.difference is None  # one lost person: no test


def test_other_measures_in_the_frame_are_ignored():
    rows = _rows("Cardiology", CARDIOLOGY)
    rows.append({"person_id": "a", "pathway": "Cardiology", "measure": "gad7",
                 "timepoint": "baseline", "score": 99})
    assert outcome_change(pd.DataFrame(rows), "phq9").group(ALL_PATHWAYS).followed_up == 4


def test_a_measure_without_a_threshold_counts_no_improvement_unless_one_is_given():
    rows = [dict(person_id=p, pathway="Outpatients", measure="dna_rate", timepoint=t, score=s)
            for p, t, s in [("a", "baseline", 0.5), ("a", "follow_up", 0.1),
                            ("b", "baseline", 0.2), ("b", "follow_up", 0.25)]]
    result = outcome_change(pd.DataFrame(rows), "dna_rate")
    assert result.threshold is None and result.group(ALL_PATHWAYS).improved is None
    given = outcome_change(pd.DataFrame(rows), "dna_rate", threshold=0.2)
    assert (given.group(ALL_PATHWAYS).improved, given.threshold_source) == (
        1, "given for this evaluation")


def test_too_few_pairs_give_no_statistics_rather_than_nonsense():
    frame = pd.DataFrame(_rows("Cardiology", {"a": (15, 9), "b": (12, None)}))
    group = outcome_change(frame, "phq9").group("Cardiology")
    assert group.mean_change is None and group.t_p_value is None and group.cohens_dz is None
    assert group.mean_baseline == 15 and group.improved == 1


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f.drop(columns="pathway"), "lack the column\\(s\\) pathway"),
    (lambda f: f.assign(score=f["score"].where(f.index != 2, 28)),
     "Row 2, column score: PHQ-9 total score: score 28 is outside the range 0 to 27"),
    (lambda f: f.assign(score=f["score"].astype(object).where(f.index != 3, "high")),
     "Row 3, column score: PHQ-9 total score: score 'high' is not a number"),
    (lambda f: f.assign(pathway=f["pathway"].where(f.index != 4, None)),
     "Row 4, column pathway: no pathway"),
    (lambda f: f.assign(timepoint=f["timepoint"].where(f.index != 1, "week 12")),
     "Row 1, column timepoint: 'week 12' is not 'baseline' or 'follow_up'"),
    (lambda f: pd.concat([f, f.iloc[[0]].rename(index={0: 99})]),
     "Row 99: a second baseline for one person on phq9"),
    (lambda f: f.assign(pathway=f["pathway"].where(f.index != 1, "ED")),
     "Row 1, column pathway: one person is in more than one pathway"),
])
def test_bad_rows_are_refused_naming_row_and_column(change, message):
    frame = change(pd.DataFrame(_rows("Cardiology", CARDIOLOGY)))
    with pytest.raises(CohortDataError, match=message):
        outcome_change(frame, "phq9")


# --- The disclosure-controlled table ----------------------------------------------------------

def _cohort(sizes, lost, seed=3):
    rng = np.random.default_rng(seed)
    rows = []
    for pathway, n in sizes.items():
        people = {f"{pathway}{i}": (int(b), int(np.clip(b - rng.integers(-3, 9), 0, 27)))
                  for i, b in enumerate(rng.integers(8, 27, n))}
        people.update({f"{pathway}-lost{i}": (int(b), None)
                       for i, b in enumerate(rng.integers(8, 27, lost[pathway]))})
        rows += _rows(pathway, people)
    return pd.DataFrame(rows)


def test_small_groups_are_suppressed_and_their_summaries_not_shown():
    result = outcome_change(_cohort({"Cardiology": 43, "Respiratory": 4},
                                    {"Cardiology": 12, "Respiratory": 3}), "phq9")
    table = disclosure_table(result).set_index("Group")
    small, big = table.loc["Respiratory"], table.loc["Cardiology"]
    assert small["Followed up"] == "<10" and small["No follow-up"] == "<10"
    assert small["Mean change (95% CI)"] == "Not shown" and small["Wilcoxon p"] == "Not shown"
    assert big["Followed up"] == "45" and big["No follow-up"] == "10"
    group = result.group("Cardiology")
    assert big["Mean change (95% CI)"] == (f"{group.mean_change.estimate:+.2f} "
                                           f"({group.mean_change.low:+.2f} to "
                                           f"{group.mean_change.high:+.2f})")
    assert big["Effect size d_z"] == f"{group.cohens_dz:.2f}"
    # Every shown count is 0, suppressed or rounded to 5; none is 1 to 9.
    counts = table[["Had a baseline", "Followed up", "No follow-up"]].to_numpy().ravel()
    shares = table[["Meaningful improvement", "Meaningful deterioration"]].to_numpy().ravel()
    for shown in list(counts) + [s.split(" ")[0] for s in shares]:
        assert shown in ("0", "<10", "[c]") or int(shown.replace(",", "")) % 5 == 0


def _consistent(display, value):
    """Whether a true count ``value`` is consistent with how it was published (ADR 0006)."""
    if display == "0":
        return value == 0
    if display == "<10":
        return 1 <= value <= 9
    if display == "[c]":
        return value >= 10
    shown = int(display.replace(",", ""))
    return value >= 10 and abs(value - shown) <= 2


def test_the_overall_row_does_not_give_away_a_suppressed_pathway():
    # Without a threshold only followed up / lost / had a baseline are published, so four
    # counts stand behind the nine figures; try every combination an attacker could.
    rows = []
    for pathway, paired, lost in (("Cardiology", 43, 12), ("Respiratory", 4, 3)):
        for i in range(paired + lost):
            rows.append(dict(person_id=f"{pathway}{i}", pathway=pathway, measure="dna_rate",
                             timepoint="baseline", score=0.3))
            if i < paired:
                rows.append(dict(person_id=f"{pathway}{i}", pathway=pathway,
                                 measure="dna_rate", timepoint="follow_up", score=0.2))
    table = disclosure_table(outcome_change(pd.DataFrame(rows), "dna_rate")).set_index("Group")
    assert table.loc["Respiratory", "Followed up"] == "<10"
    shown = {(g, c): table.loc[g, c] for g in table.index
             for c in ("Had a baseline", "Followed up", "No follow-up")}
    possible = set()
    for c_paired in range(0, 80):
        for c_lost in range(0, 40):
            for r_paired in range(0, 20):
                for r_lost in range(0, 20):
                    truth = {"Cardiology": (c_paired, c_lost), "Respiratory": (r_paired, r_lost),
                             ALL_PATHWAYS: (c_paired + r_paired, c_lost + r_lost)}
                    if all(_consistent(shown[(g, "Followed up")], p)
                           and _consistent(shown[(g, "No follow-up")], lost)
                           and _consistent(shown[(g, "Had a baseline")], p + lost)
                           for g, (p, lost) in truth.items()):
                        possible.add((r_paired, r_lost))
    assert (4, 3) in possible  # the page states nothing false
    assert len({r for r, _ in possible}) > 1 and len({lost for _, lost in possible}) > 1


def test_percentages_come_from_the_published_counts():
    result = outcome_change(_cohort({"Cardiology": 60}, {"Cardiology": 0}, seed=11), "phq9")
    row = disclosure_table(result).set_index("Group").loc["Cardiology"]
    count, share = row["Meaningful improvement"].split(" ")
    assert count.isdigit() and int(count) >= 10
    assert share == f"({100 * int(count) / int(row['Followed up']):.0f}%)"
    assert row["Baseline: lost minus followed up (95% CI, p)"] == "No one lost to follow-up"
