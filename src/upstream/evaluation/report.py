"""Write a matched evaluation's outputs: ``result.json``, ``report.md`` and a chart.

``result.json`` is the analyst's exact record (every figure unrounded, counts exact), for
checking and re-use. ``report.md`` and the chart are for sharing: their counts pass through
the disclosure rule (:mod:`upstream.standards.disclosure`: 1 to 9 shown as ``<10``, others
rounded to 5) and means are shown only for groups of at least 10 people.

All files are written under temporary names and renamed at the end, so a failed run leaves
nothing half-written.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from upstream.evaluation.impact import Result
from upstream.evaluation.outputs import write_all_or_none
from upstream.evaluation.plan import PlanRecord
from upstream.standards.disclosure import Release, enough_for_a_summary

FILES = ("result.json", "report.md", "chart.png", "chart.svg")
NHS_BLUE, NHS_GREY = "#005eb8", "#4c6272"
GROUPS = ["Treated (matched)", "Matched comparison"]


def write_outputs(result: Result, out: Path, *, source: str, roles,
                  plan: PlanRecord | None = None) -> list[Path]:
    """Write :data:`FILES` into ``out`` (created if needed); return their paths. With a
    ``plan``, result.json and report.md state its fingerprint and status, and its register is
    written too (in the same all-or-none write when it lies in ``out``)."""
    out.mkdir(parents=True, exist_ok=True)
    chart = trajectory_chart(result)
    planned = {"plan": plan.to_dict()} if plan else {}
    report = report_markdown(result, source=source, roles=roles)
    if plan:
        report += "\n" + "\n".join(plan.markdown()) + "\n"
    contents: dict[str, bytes] = {
        "result.json": (json.dumps(_json_ready({"source": source, "roles": _roles(roles),
                                                **planned, **result.to_dict()}), indent=2)
                        + "\n").encode(),
        "report.md": report.encode(),
        "chart.png": vl_convert.vegalite_to_png(chart.to_dict(), scale=2),
        "chart.svg": vl_convert.vegalite_to_svg(chart.to_dict()).encode(),
    }
    ordered = {name: contents[name] for name in FILES}
    if plan and plan.register.parent.resolve() == out.resolve():
        ordered[plan.register.name] = plan.register_bytes()
        return write_all_or_none(out, ordered)
    paths = write_all_or_none(out, ordered)
    if plan:
        plan.register.parent.mkdir(parents=True, exist_ok=True)
        paths += write_all_or_none(plan.register.parent,
                                   {plan.register.name: plan.register_bytes()})
    return paths


def _roles(roles) -> dict:
    return {"id": roles.id, "treated": roles.treated, "before": list(roles.before),
            "after": roles.after, "covariates": list(roles.covariates),
            "categorical": list(roles.categorical), "exact": list(roles.exact)}


def _json_ready(value):
    """NaN and infinity become null (JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return value


def published_counts(result: Result) -> dict[str, str]:
    """The report's counts through the disclosure rule, published together."""
    release = Release()
    release.count("matched", result.n_treated_matched)
    release.count("unmatched", result.n_treated_unmatched)
    release.total("treated", ["matched", "unmatched"])
    release.count("controls_used", result.n_matched_controls)
    release.count("controls_unused", result.n_controls - result.n_matched_controls,
                  shown=False)
    release.total("controls", ["controls_used", "controls_unused"])
    return {key: figure.display for key, figure in release.protect().items()}


def trajectory_chart(result: Result) -> alt.Chart:
    """Mean of each before column and the after column: matched treated vs matched controls."""
    rows = []
    shown = enough_for_a_summary(result.n_treated_matched)
    for order, point in enumerate(result.trajectory):
        for group, key in zip(GROUPS, ("treated", "matched_controls"), strict=True):
            rows.append({"order": order, "column": f"{point['column']} ({point['period']})",
                         "group": group, "mean": point[key] if shown else None})
    title = ("Before and after: treated people and their matched comparison"
             if shown else "Fewer than 10 matched treated people: means not shown")
    return before_after_lines(pd.DataFrame(rows), "column", GROUPS).properties(
        width=480, height=280, title=title)


def before_after_lines(frame: pd.DataFrame, x: str, groups: list[str]) -> alt.Chart:
    """Lines of ``mean`` over the periods in column ``x`` (ordered by ``order``), one per
    ``group`` (``groups``: the treated or supported first, solid blue; the comparison dashed
    grey): the before-and-after chart of every evaluation mode."""
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:N", sort=alt.SortField("order"), title=None,
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("mean:Q", title="Mean per person"),
            color=alt.Color("group:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=groups, range=[NHS_BLUE, NHS_GREY])),
            strokeDash=alt.StrokeDash("group:N", title=None,
                                      scale=alt.Scale(domain=groups, range=[[1, 0], [6, 4]])),
        )
    )


def _number(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def report_markdown(result: Result, *, source: str, roles) -> str:
    """The human-readable report (counts through the disclosure rule)."""
    counts = published_counts(result)
    shown = enough_for_a_summary(result.n_treated_matched)
    level = f"{result.method.confidence:.0%}"
    lines = [
        f"# Impact on {roles.after}: matched comparison", "",
        f"Source: `{source}`. Treated: `{roles.treated}` = 1. Change per person = "
        f"`{roles.after}` minus the mean of {', '.join(f'`{c}`' for c in roles.before)}.", "",
        "## People", "",
        "| group | people |", "|---|---|",
        f"| treated | {counts['treated']} |",
        f"| treated with a match | {counts['matched']} |",
        f"| treated with no control within the caliper (left out) | {counts['unmatched']} |",
        f"| possible controls | {counts['controls']} |",
        f"| controls used as matches | {counts['controls_used']} |", "",
        "Counts are rounded to the nearest 5 and 1 to 9 is shown as <10 (disclosure control); "
        "`result.json` holds the exact figures for the analyst.",
    ]
    if result.dropped_missing:
        lines += ["", f"People left out for missing values: {result.dropped_missing['people']:,}"
                  " (see `result.json` for the columns)."]
    lines += ["", "## Result", ""]
    if not shown:
        lines += ["Fewer than 10 treated people were matched: no figures are shown."]
    else:
        lines += [
            f"| figure | change per person | {level} interval |", "|---|---|---|",
            f"| **impact (difference-in-differences against the matched comparison)** | "
            f"**{_number(result.estimate)}** | {_number(result.ci_low)} to "
            f"{_number(result.ci_high)} |",
            f"| naive before/after change of the treated | {_number(result.naive_estimate)} | "
            f"{_number(result.naive_ci_low)} to {_number(result.naive_ci_high)} |",
            f"| change expected without the programme (the matched comparison's own change: "
            f"regression to the mean and trend) | "
            f"{_number(result.expected_change_without_programme)} | "
            f"{_number(result.expected_change_ci_low)} to "
            f"{_number(result.expected_change_ci_high)} |", "",
            "The naive figure is what a before/after comparison of the treated alone reports. "
            "People are often chosen *because* their recent figures were unusual, and unusual "
            "figures drift back towards the usual on their own (regression to the mean): the "
            "matched comparison people, chosen to look like the treated before, show how much. "
            "Naive change = expected change without the programme + impact.", "",
            "![Before and after, treated and matched comparison](chart.png)", "",
            "## Balance", "",
            "Standardised mean difference (SMD): difference in means over the pooled standard "
            "deviation before matching. Within ±0.1 is usually read as balanced.", "",
            "| variable | treated mean | control mean | SMD before | matched treated mean | "
            "matched control mean | SMD after |", "|---|---|---|---|---|---|---|",
        ]
        lines += [f"| {row.variable} | {_number(row.mean_treated)} | "
                  f"{_number(row.mean_control)} | {_smd(row.smd_before)} | "
                  f"{_number(row.mean_treated_matched)} | "
                  f"{_number(row.mean_control_matched)} | {_smd(row.smd_after)} |"
                  for row in result.balance]
        unbalanced = [row.variable for row in result.balance
                      if math.isfinite(row.smd_after) and abs(row.smd_after) > 0.1]
        lines += ["", ("Not balanced after matching (|SMD| > 0.1): " + ", ".join(unbalanced)
                       + ". Read the impact with care.") if unbalanced else
                  "Every variable is within ±0.1 after matching."]
    method = result.method
    lines += [
        "", "## Method", "",
        f"- Propensity score: logistic regression of `{roles.treated}` on "
        f"{', '.join(f'`{c}`' for c in [*roles.covariates, *roles.before])}"
        + (f" (categorical: {', '.join(roles.categorical)})" if roles.categorical else "")
        + ".",
        f"- Matching: {method.neighbours} nearest control(s) per treated person on the logit "
        f"of the score, with replacement, within a caliper of {method.caliper_sd} pooled SD "
        f"({_number(result.caliper)})"
        + (f", exactly within {', '.join(roles.exact)}" if roles.exact else "") + ". "
        f"The most any one control was used: {result.max_control_reuse} times.",
        "- Impact: mean over matched treated people of (own change - mean change of their "
        "matched controls): the average effect on the treated.",
        f"- Interval: {level} percentile bootstrap, {method.resamples:,} resamples of the "
        f"matched sets (seed {method.seed}); the score and the matches are held fixed, so the "
        "interval leaves out the uncertainty of the score itself.",
        "- Caveat: matching balances only what was measured. People who differ in ways the "
        "table does not record (motivation, support at home) may still differ.",
        "", "Method decisions: docs/adr/0015-matched-evaluation.md.", "",
    ]
    return "\n".join(lines)


def _smd(value: float) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:+.3f}"
