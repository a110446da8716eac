"""Outcome change for a cohort: paired change from baseline to follow-up, by pathway and
overall (docs/adr/0014).

**Input contract** (:func:`outcome_change`): a pandas DataFrame of scored administrations, one
row per person, measure and time point, with columns

- ``person_id``: any hashable identifier (never shown in results);
- ``pathway``: the pathway (or any group) the person was supported in; one per person;
- ``measure``: a measure code from :data:`upstream.standards.outcomes.MEASURES`;
- ``timepoint``: ``"baseline"`` or ``"follow_up"`` (the follow-up to analyse: choose it,
  e.g. the 12-week one, before calling);
- ``score``: the measure's score, within its range.

A person has at most one baseline and one follow-up per measure. Bad rows are refused with a
:class:`CohortDataError` naming the row (its index label) and column; nothing is dropped
silently: follow-ups without a baseline are counted (``follow_up_only``) though they cannot be
paired.

**What is computed** for each group (every pathway, then all pathways together):

- counts: with a baseline, followed up (paired), lost (baseline but no follow-up), follow-up
  only;
- the paired change (follow-up minus baseline, in the measure's units) with its mean and 95%
  confidence interval (t distribution), the paired t-test and the Wilcoxon signed-rank test
  p-values (two-sided; scipy.stats ``ttest_rel`` and ``wilcoxon`` with zero differences dropped,
  Wilcoxon's own method);
- the effect size **Cohen's d for paired data, d_z = mean change / standard deviation of the
  changes** (Cohen 1988; Lakens 2013), signed like the change: it is not comparable with a
  between-groups d, which divides by the spread of the scores themselves;
- how many improved and deteriorated meaningfully (change of at least the measure's
  meaningful-change threshold in its better / worse direction; see
  :meth:`~upstream.standards.outcomes.Measure.judge`);
- attrition: the mean baseline of those followed up and of those lost, the difference (lost
  minus followed up) with its 95% CI and p-value from Welch's t-test, so a reader sees whether
  those who stayed were different to begin with.

Statistics that need more values than there are come out as None (a t-test needs 2 pairs).
Counts are true counts: :func:`disclosure_table` is the only way to show them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from upstream.standards import disclosure
from upstream.standards.outcomes import Judgement, Measure
from upstream.standards.outcomes import measure as lookup_measure

COLUMNS = ("person_id", "pathway", "measure", "timepoint", "score")
BASELINE, FOLLOW_UP = "baseline", "follow_up"
ALL_PATHWAYS = "All pathways"
CONFIDENCE = 0.95


class CohortDataError(ValueError):
    """Administrations that break the input contract; the message names the row and column."""


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class Attrition:
    """How those lost to follow-up differed at baseline from those followed up."""

    mean_baseline_followed_up: float | None
    mean_baseline_lost: float | None
    difference: Interval | None
    """Lost minus followed up, with the Welch 95% CI."""
    p_value: float | None
    """Welch's two-sample t-test, two-sided."""


@dataclass(frozen=True)
class GroupChange:
    """Change on one measure for one group (a pathway or all pathways)."""

    group: str
    with_baseline: int
    followed_up: int
    lost: int
    follow_up_only: int
    improved: int | None
    """Meaningful improvement; None when no threshold applies."""
    deteriorated: int | None
    mean_baseline: float | None
    mean_follow_up: float | None
    mean_change: Interval | None
    sd_change: float | None
    t_p_value: float | None
    wilcoxon_p_value: float | None
    cohens_dz: float | None
    attrition: Attrition

    @property
    def no_meaningful_change(self) -> int | None:
        if self.improved is None:
            return None
        return self.followed_up - self.improved - self.deteriorated


@dataclass(frozen=True)
class OutcomeChange:
    """The result of :func:`outcome_change`: the measure, the threshold used and each group
    (pathways in name order, then :data:`ALL_PATHWAYS`)."""

    measure: Measure
    threshold: float | None
    threshold_source: str | None
    groups: tuple[GroupChange, ...]

    def group(self, name: str) -> GroupChange:
        for group in self.groups:
            if group.group == name:
                return group
        raise KeyError(f"No group {name!r} in this result")


def outcome_change(administrations: pd.DataFrame, measure: str, *,
                   threshold: float | None = None) -> OutcomeChange:
    """Paired change on ``measure`` by pathway and overall (see the module docstring).

    ``threshold`` overrides the measure's meaningful-change threshold; when the measure has
    none and none is given, the improved and deteriorated counts are None.
    """
    definition = lookup_measure(measure)
    rows = _checked(administrations, definition)
    if threshold is not None or definition.meaningful_change is not None:
        used = definition.threshold(threshold)
        source = ("given for this evaluation" if threshold is not None
                  else definition.meaningful_change.source)
    else:
        used, source = None, None
    wide = _pairs(rows)
    groups = [_group(str(name), part, definition, used)
              for name, part in sorted(wide.groupby("pathway"), key=lambda kv: str(kv[0]))]
    groups.append(_group(ALL_PATHWAYS, wide, definition, used))
    return OutcomeChange(definition, used, source, tuple(groups))


def _checked(frame: pd.DataFrame, definition: Measure) -> pd.DataFrame:
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise CohortDataError(f"Administrations lack the column(s) {', '.join(missing)}; "
                              f"expected {', '.join(COLUMNS)}")
    rows = frame.loc[frame["measure"] == definition.code, list(COLUMNS)]
    scores = pd.to_numeric(rows["score"], errors="coerce")
    checks = [
        ("person_id", rows["person_id"].isna(), lambda value: "no person"),
        ("pathway", rows["pathway"].isna() | (rows["pathway"].astype(str).str.strip() == ""),
         lambda value: "no pathway"),
        ("timepoint", ~rows["timepoint"].isin([BASELINE, FOLLOW_UP]),
         lambda value: f"{value!r} is not {BASELINE!r} or {FOLLOW_UP!r}"),
        ("score", scores.isna() | (scores < definition.minimum) | (scores > definition.maximum),
         lambda value: _score_problem(definition, value)),
    ]
    for column, bad, problem in checks:
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise CohortDataError(f"Row {_label(rows.index[position])}, column {column}: "
                                  f"{problem(_plain(rows[column].iloc[position]))}")
    duplicated = rows.duplicated(["person_id", "timepoint"], keep="first").to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        raise CohortDataError(
            f"Row {_label(rows.index[position])}: a second {rows.iloc[position]['timepoint']} "
            f"for one person on {definition.code}; choose one before analysing")
    pathways = rows.groupby("person_id")["pathway"].nunique()
    if (pathways > 1).any():
        person = pathways[pathways > 1].index[0]
        position = int(np.flatnonzero((rows["person_id"] == person).to_numpy())[-1])
        raise CohortDataError(
            f"Row {_label(rows.index[position])}, column pathway: one person is in more than "
            "one pathway; give each person one pathway")
    return rows.assign(score=scores.astype(float))


def _score_problem(definition: Measure, value: object) -> str:
    try:
        definition.check(value)
    except ValueError as error:
        return str(error)
    return f"{value!r} is not a score"


def _plain(value: object) -> object:
    """Numpy scalars as plain Python values, so messages read ``28``, not ``np.int64(28)``."""
    return value.item() if isinstance(value, np.generic) else value


def _label(label: Hashable) -> str:
    """A row's index label as a reader would write it."""
    return repr(_plain(label))


def _pairs(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per person: pathway, baseline and follow_up (NaN when absent)."""
    wide = rows.pivot(index="person_id", columns="timepoint", values="score")
    wide = wide.reindex(columns=[BASELINE, FOLLOW_UP])
    pathway = rows.drop_duplicates("person_id").set_index("person_id")["pathway"]
    return wide.assign(pathway=pathway.reindex(wide.index).astype(str))


def _group(name: str, wide: pd.DataFrame, definition: Measure,
           threshold: float | None) -> GroupChange:
    has_baseline = wide[BASELINE].notna()
    has_follow_up = wide[FOLLOW_UP].notna()
    paired = wide[has_baseline & has_follow_up]
    lost = wide[has_baseline & ~has_follow_up]
    baseline = paired[BASELINE].to_numpy()
    follow_up = paired[FOLLOW_UP].to_numpy()
    change = follow_up - baseline
    improved = deteriorated = None
    if threshold is not None:
        judged = [definition.judge(b, f, threshold) for b, f in zip(baseline, follow_up,
                                                                      strict=True)]
        improved = judged.count(Judgement.IMPROVED)
        deteriorated = judged.count(Judgement.DETERIORATED)
    return GroupChange(
        group=name,
        with_baseline=int(has_baseline.sum()),
        followed_up=len(paired),
        lost=len(lost),
        follow_up_only=int((~has_baseline & has_follow_up).sum()),
        improved=improved,
        deteriorated=deteriorated,
        mean_baseline=_mean(baseline),
        mean_follow_up=_mean(follow_up),
        mean_change=_paired_interval(baseline, follow_up),
        sd_change=float(np.std(change, ddof=1)) if len(change) >= 2 else None,
        t_p_value=_finite(stats.ttest_rel(follow_up, baseline).pvalue)
        if len(change) >= 2 and np.ptp(change) > 0 else None,
        wilcoxon_p_value=_wilcoxon(change),
        cohens_dz=_dz(change),
        attrition=_attrition(baseline, lost[BASELINE].to_numpy()),
    )


def _mean(values: np.ndarray) -> float | None:
    return float(np.mean(values)) if len(values) else None


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _paired_interval(baseline: np.ndarray, follow_up: np.ndarray) -> Interval | None:
    if len(baseline) < 2:
        return None
    change = follow_up - baseline
    if np.all(change == change[0]):  # no spread: the interval is the single value
        return Interval(float(change[0]), float(change[0]), float(change[0]))
    ci = stats.ttest_rel(follow_up, baseline).confidence_interval(CONFIDENCE)
    return Interval(float(np.mean(change)), float(ci.low), float(ci.high))


def _wilcoxon(change: np.ndarray) -> float | None:
    if np.count_nonzero(change) == 0:
        return None
    return _finite(stats.wilcoxon(change, zero_method="wilcox").pvalue)


def _dz(change: np.ndarray) -> float | None:
    if len(change) < 2:
        return None
    sd = np.std(change, ddof=1)
    return float(np.mean(change) / sd) if sd > 0 else None


def _attrition(followed_up: np.ndarray, lost: np.ndarray) -> Attrition:
    difference = p_value = None
    if len(followed_up) >= 2 and len(lost) >= 2 and (np.ptp(followed_up) or np.ptp(lost)):
        test = stats.ttest_ind(lost, followed_up, equal_var=False)
        ci = test.confidence_interval(CONFIDENCE)
        difference = Interval(float(np.mean(lost) - np.mean(followed_up)), float(ci.low),
                              float(ci.high))
        p_value = _finite(test.pvalue)
    return Attrition(_mean(followed_up), _mean(lost), difference, p_value)


# --- Display -----------------------------------------------------------------------------------

DISPLAY_COLUMNS = (
    "Group", "Had a baseline", "Followed up", "No follow-up", "Mean at baseline",
    "Mean at follow-up", "Mean change (95% CI)", "Paired t-test p", "Wilcoxon p",
    "Effect size d_z", "Meaningful improvement", "Meaningful deterioration",
    "Baseline: lost minus followed up (95% CI, p)")


def disclosure_table(result: OutcomeChange) -> pd.DataFrame:
    """``result`` as strings ready to show, every count through
    :mod:`upstream.standards.disclosure` as one release.

    Counts: per pathway, the people followed up who improved, deteriorated and neither, and
    those lost, are the underlying counts; "had a baseline", "followed up", "no follow-up",
    and the all-pathways row are totals of them, so the disclosure check sees every relation
    a reader could use. Means, intervals, p-values and d_z are shown only over a group whose
    count is shown and is at least 10 (``enough_for_a_summary``); percentages come from the
    published (rounded) counts.
    """
    figures = _release(result).protect()
    rows = []
    for group in result.groups:
        key = group.group
        shown = {name: figures[(key, name)] for name in ("baseline", "paired", "lost")}
        summary_ok = _summary_ok(shown["paired"], group.followed_up)
        attrition_ok = summary_ok and _summary_ok(shown["lost"], group.lost)
        row = {
            "Group": key,
            "Had a baseline": shown["baseline"].display,
            "Followed up": shown["paired"].display,
            "No follow-up": shown["lost"].display,
            "Mean at baseline": _number(group.mean_baseline, summary_ok),
            "Mean at follow-up": _number(group.mean_follow_up, summary_ok),
            "Mean change (95% CI)": _interval(group.mean_change, summary_ok),
            "Paired t-test p": _p(group.t_p_value, summary_ok),
            "Wilcoxon p": _p(group.wilcoxon_p_value, summary_ok),
            "Effect size d_z": _number(group.cohens_dz, summary_ok),
            "Meaningful improvement": _share(figures, key, "improved", shown["paired"]),
            "Meaningful deterioration": _share(figures, key, "deteriorated", shown["paired"]),
            "Baseline: lost minus followed up (95% CI, p)": (
                "No one lost to follow-up" if group.lost == 0
                else _attrition_text(group.attrition, attrition_ok)),
        }
        rows.append(row)
    return pd.DataFrame(rows, columns=list(DISPLAY_COLUMNS))


def _release(result: OutcomeChange) -> disclosure.Release:
    release = disclosure.Release()
    pathways = [g for g in result.groups if g.group != ALL_PATHWAYS]
    judged = result.threshold is not None
    parts: dict[str, list[Hashable]] = {"paired": [], "lost": [], "improved": [],
                                        "deteriorated": []}
    for group in pathways:
        key = group.group
        if judged:
            release.count((key, "improved"), group.improved)
            release.count((key, "deteriorated"), group.deteriorated)
            release.count((key, "neither"), group.no_meaningful_change, shown=False)
            paired = [(key, "improved"), (key, "deteriorated"), (key, "neither")]
        else:
            release.count((key, "paired counts"), group.followed_up, shown=False)
            paired = [(key, "paired counts")]
        release.count((key, "lost"), group.lost)
        release.total((key, "paired"), paired)
        release.total((key, "baseline"), [*paired, (key, "lost")])
        parts["paired"] += paired
        parts["lost"].append((key, "lost"))
        if judged:
            parts["improved"].append((key, "improved"))
            parts["deteriorated"].append((key, "deteriorated"))
    release.total((ALL_PATHWAYS, "paired"), parts["paired"])
    release.total((ALL_PATHWAYS, "lost"), parts["lost"])
    release.total((ALL_PATHWAYS, "baseline"), parts["paired"] + parts["lost"])
    if judged:
        release.total((ALL_PATHWAYS, "improved"), parts["improved"])
        release.total((ALL_PATHWAYS, "deteriorated"), parts["deteriorated"])
    return release


def _summary_ok(figure: disclosure.Figure, n: int) -> bool:
    return not figure.suppressed and disclosure.enough_for_a_summary(n)


def _number(value: float | None, ok: bool) -> str:
    if not ok:
        return disclosure.NOT_SHOWN
    return "" if value is None else f"{value:.2f}"


def _interval(interval: Interval | None, ok: bool) -> str:
    if not ok:
        return disclosure.NOT_SHOWN
    if interval is None:
        return ""
    return f"{interval.estimate:+.2f} ({interval.low:+.2f} to {interval.high:+.2f})"


def _p(value: float | None, ok: bool) -> str:
    if not ok:
        return disclosure.NOT_SHOWN
    if value is None:
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _share(figures: dict, group: str, name: str, paired: disclosure.Figure) -> str:
    figure = figures.get((group, name))
    if figure is None:
        return "No threshold"
    share = disclosure.percent(figure, paired)
    return f"{figure.display} ({share})" if share else figure.display


def _attrition_text(attrition: Attrition, ok: bool) -> str:
    if not ok:
        return disclosure.NOT_SHOWN
    if attrition.difference is None:
        return ""
    d = attrition.difference
    return f"{d.estimate:+.2f} ({d.low:+.2f} to {d.high:+.2f}, p {_p(attrition.p_value, True)})"
