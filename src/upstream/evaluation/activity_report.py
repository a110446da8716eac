"""Write the outputs of ``upstream evaluate activity``: ``result.json``, ``outcomes.csv``,
``report.md`` and a chart (PNG and SVG), all or none (:func:`write_all_or_none`).

``result.json`` and ``outcomes.csv`` are the analyst's exact record. ``report.md`` and the chart
are for sharing: counts through the disclosure rule (:func:`report.published_counts`) and no
mean shown for fewer than 10 matched supported people, as in ``upstream evaluate table``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from upstream.evaluation.activity import OUTCOMES, ActivityResult
from upstream.evaluation.outputs import write_all_or_none
from upstream.evaluation.report import (
    GROUPS,
    _json_ready,
    _number,
    _smd,
    before_after_lines,
    published_counts,
)
from upstream.standards.disclosure import enough_for_a_summary

FILES = ("result.json", "outcomes.csv", "report.md", "chart.png", "chart.svg")
CSV_COLUMNS = ("outcome", "label", "unit", "estimate", "ci_low", "ci_high", "naive_estimate",
               "naive_ci_low", "naive_ci_high", "expected_change_without_programme",
               "expected_change_ci_low", "expected_change_ci_high", "n_treated_matched")


def write_activity(result: ActivityResult, out: Path, *, source: str, supported: str
                   ) -> list[Path]:
    """Write :data:`FILES` into ``out`` (created if needed); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    chart = trajectory_chart(result)
    record = {"source": source, "supported": supported, **result.to_dict()}
    contents = {
        "result.json": (json.dumps(_json_ready(record), indent=2) + "\n").encode(),
        "outcomes.csv": _csv(result).encode(),
        "report.md": report_markdown(result, source=source, supported=supported).encode(),
        "chart.png": vl_convert.vegalite_to_png(chart.to_dict(), scale=2),
        "chart.svg": vl_convert.vegalite_to_svg(chart.to_dict()).encode(),
    }
    return write_all_or_none(out, contents)


def _csv(result: ActivityResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for name, found in result.outcomes.items():
        outcome = OUTCOMES[name]
        writer.writerow([name, outcome.label, outcome.unit,
                         *(repr(getattr(found, c)) for c in CSV_COLUMNS[3:-1]),
                         found.n_treated_matched])
    return buffer.getvalue()


def trajectory_chart(result: ActivityResult) -> alt.Chart:
    """Per outcome, the mean of each period: matched supported people vs their comparison."""
    first = next(iter(result.outcomes.values()))
    shown = enough_for_a_summary(first.n_treated_matched)
    rows = []
    for name, found in result.outcomes.items():
        periods = [*range(result.windows.before_periods, 0, -1)]
        for order, point in enumerate(found.trajectory):
            period = (f"before {periods[order]}" if point["period"] == "before" else "after")
            for group, key in zip(GROUPS, ("treated", "matched_controls"), strict=True):
                rows.append({"outcome": OUTCOMES[name].label, "order": order, "period": period,
                             "group": group.replace("Treated", "Supported"),
                             "mean": point[key] if shown else None})
    groups = [g.replace("Treated", "Supported") for g in GROUPS]
    title = ("Before and after the index date: supported people and their matched comparison"
             if shown else "Fewer than 10 matched supported people: means not shown")
    return (
        before_after_lines(pd.DataFrame(rows), "period", groups)
        .properties(width=220, height=160)
        .facet(facet=alt.Facet("outcome:N", title=None, sort=[
            OUTCOMES[name].label for name in result.outcomes]), columns=3, title=title)
        .resolve_scale(y="independent")
    )


def report_markdown(result: ActivityResult, *, source: str, supported: str) -> str:
    """The human-readable report (counts through the disclosure rule)."""
    first = next(iter(result.outcomes.values()))
    counts = published_counts(first)
    shown = enough_for_a_summary(first.n_treated_matched)
    w = result.windows
    level = f"{result.method.confidence:.0%}"
    lines = [
        "# Impact on service use: supported people against a matched comparison", "",
        f"Activity data: `{source}` (from {result.data_from} to {result.as_of}). Supported "
        f"people: `{supported}`.", "",
        f"Periods around each person's index date: {w.before_periods} before period(s) of "
        f"{w.period_days} days (the index day is in the last one) and an after period of "
        f"{w.after_days} days. Change per person = after minus the mean of the before periods. "
        f"ED attendances count department types "
        f"{', '.join(map(str, result.department_types))}.", "",
        "## People", "",
        "| group | people |", "|---|---|",
        f"| supported | {counts['treated']} |",
        f"| supported with a match | {counts['matched']} |",
        f"| supported with no comparison person within the caliper (left out) | "
        f"{counts['unmatched']} |",
        f"| possible comparison people (never supported) | {counts['controls']} |",
        f"| comparison people used as matches | {counts['controls_used']} |", "",
        "Counts are rounded to the nearest 5 and 1 to 9 is shown as <10 (disclosure control); "
        "`result.json` holds the exact figures for the analyst. People in the supported list "
        "and in the exclusion list are never comparison people.", "",
        "## Results", "",
    ]
    if not shown:
        lines += ["Fewer than 10 supported people were matched: no figures are shown."]
    else:
        lines += [
            f"| outcome (per person) | **impact** ({level} interval) | naive before/after "
            f"change | change expected without the programme |", "|---|---|---|---|",
        ]
        for name, found in result.outcomes.items():
            lines.append(
                f"| {OUTCOMES[name].label} ({OUTCOMES[name].unit}) | "
                f"**{_number(found.estimate)}** ({_number(found.ci_low)} to "
                f"{_number(found.ci_high)}) | {_number(found.naive_estimate)} | "
                f"{_number(found.expected_change_without_programme)} |")
        lines += [
            "", "The naive figure is what a before/after comparison of the supported people "
            "alone reports. People are often supported *because* their recent use was high, and "
            "high use drifts back towards the usual on its own (regression to the mean): the "
            "matched comparison people, chosen to look like the supported people before, show "
            "how much. Naive change = expected change without the programme + impact.", "",
            "![Before and after, supported people and matched comparison](chart.png)", "",
        ]
    for name, why in result.not_measured.items():
        lines.append(f"- Not measured: {OUTCOMES[name].label} ({why}).")
    if shown:
        lines += ["", "## Balance", "",
                  "Standardised mean difference (SMD): difference in means over the pooled "
                  "standard deviation before matching. Within ±0.1 is usually read as "
                  "balanced.", "",
                  "| variable | SMD before | SMD after |", "|---|---|---|"]
        lines += [f"| {row.variable} | {_smd(row.smd_before)} | {_smd(row.smd_after)} |"
                  for row in first.balance]
    method = result.method
    lines += [
        "", "## Method", "",
        "- Comparison people: everyone in the activity data never supported (not in the "
        "supported list nor the exclusion list), aged within the supported people's range, "
        "alive on an index date drawn from the supported people's index dates.",
        f"- Matching: exactly on {', '.join(result.exact) or 'nothing'}; then {method.neighbours} "
        f"nearest comparison people per supported person on the logit of a propensity score "
        f"(age, sex, IMD quintile, long-term conditions at the index date and every outcome in "
        f"every before period), with replacement, within {method.caliper_sd} pooled SD. The "
        f"most any one comparison person was used: {first.max_control_reuse} times.",
        "- Impact: mean over matched supported people of (own change - mean change of their "
        "matched comparison people), the difference-in-differences (average effect on the "
        f"supported); {level} percentile bootstrap, {method.resamples:,} resamples "
        f"(seed {method.seed}), the same resamples for every outcome.",
        "- Caveat: matching balances only what the activity data record. Why a person was "
        "referred (a crisis, a clinician's worry, motivation) may still differ.", "",
        "Method decisions: docs/adr/0015-matched-evaluation.md.", "",
    ]
    return "\n".join(lines)
