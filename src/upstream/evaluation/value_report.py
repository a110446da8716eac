"""Write a value-for-money analysis: ``value.json``, ``report.md`` and the tornado chart.

``value.json`` is the analyst's exact record. ``report.md`` and the chart are for sharing;
the one count they print (people) passes through :mod:`upstream.standards.disclosure`, and no
figure is shown when fewer than 10 people are behind the effect. Files are written under
temporary names and renamed at the end, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from upstream.evaluation.economics import Value
from upstream.evaluation.outputs import write_all_or_none
from upstream.standards.disclosure import base_figure, enough_for_a_summary

FILES = ("value.json", "report.md", "tornado.png", "tornado.svg")
NHS_BLUE, NHS_GREY = "#005eb8", "#4c6272"
LABELS = {"effect": "Effect per person", "people": "People supported",
          "unit_cost": "Unit cost", "salaries": "Salaries", "on_costs": "On-costs",
          "overheads": "Overheads", "non_staff": "Non-staff costs"}


def _json_ready(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return value


def write_value(value: Value, out: Path, *, sources: dict[str, str]) -> list[Path]:
    """Write :data:`FILES` into ``out`` (created if needed); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    chart = tornado_chart(value).to_dict()
    contents = {
        "value.json": (json.dumps(_json_ready({"sources": sources, **value.to_dict()}),
                                  indent=2) + "\n").encode(),
        "report.md": report_markdown(value, sources=sources).encode(),
        "tornado.png": vl_convert.vegalite_to_png(chart, scale=2),
        "tornado.svg": vl_convert.vegalite_to_svg(chart).encode(),
    }
    return write_all_or_none(out, {name: contents[name] for name in FILES})


def tornado_frame(value: Value) -> pd.DataFrame:
    """One row per input and end of its range, in the tornado's order (widest swing first)."""
    rows = []
    for order, row in enumerate(value.sensitivity):
        for end, value_at_end, net in (("low", row.low_value, row.net_at_low),
                                       ("high", row.high_value, row.net_at_high)):
            rows.append({"order": order, "input": LABELS.get(row.input, row.input),
                         "end": f"{end} ({_plain(value_at_end)})", "range_end": end,
                         "net_savings": net, "base": value.net_savings})
    return pd.DataFrame(rows)


def tornado_chart(value: Value) -> alt.Chart:
    """Net cashable savings with each input at its low and high end; the rule is the base."""
    frame = tornado_frame(value)
    shown = enough_for_a_summary(value.inputs.people)
    title = ("One-way sensitivity: net cashable savings (£)" if shown
             else "Fewer than 10 people: figures not shown")
    if not shown:
        frame["net_savings"] = None
    bars = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("input:N", sort=alt.SortField("order"), title=None),
        x=alt.X("net_savings:Q", title=f"Net cashable savings (£, {value.price_year} prices)"),
        x2=alt.X2("base:Q"),
        color=alt.Color("range_end:N", title="Input at its",
                        scale=alt.Scale(domain=["low", "high"], range=[NHS_GREY, NHS_BLUE]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=["input", "end", alt.Tooltip("net_savings:Q", format=",.0f")])
    base = alt.Chart(pd.DataFrame({"base": [value.net_savings if shown else None]})).mark_rule(
        color="black").encode(x="base:Q")
    return alt.layer(bars, base, title=title).properties(width=480, height=40 * len(
        value.sensitivity) + 20)


def _plain(number: float) -> str:
    if abs(number) >= 100:
        return f"{number:,.0f}"
    return f"{number:,.3g}"


def money(number: float, places: int = 0) -> str:
    """Pounds with the sign in front: -£1,234."""
    sign = "-" if number < 0 else ""
    return f"{sign}£{abs(number):,.{places}f}"


def report_markdown(value: Value, *, sources: dict[str, str]) -> str:
    """The human-readable report."""
    people = base_figure(value.inputs.people).display
    lines = [f"# Value for money: {value.programme}", "",
             f"Measure: `{value.measure}`. Prices: {value.price_year}. People: {people}.", ""]
    if not enough_for_a_summary(value.inputs.people):
        return "\n".join(lines + ["Fewer than 10 people: no figures are shown.", ""])
    unit = value.unit_cost
    i = value.inputs
    lines += [
        "## Cashable savings", "",
        "| figure | value | 95% interval |", "|---|---|---|",
        f"| effect per person on `{value.measure}` | {i.effect:,.3f} | from the impact "
        "result |",
        f"| gross cashable savings | {money(value.gross_savings)} | "
        f"{money(value.gross_savings_ci[0])} to {money(value.gross_savings_ci[1])} |",
        f"| programme cost | {money(value.programme_cost)} | (fixed input) |",
        f"| **net cashable savings** | **{money(value.net_savings)}** | "
        f"{money(value.net_savings_ci[0])} to {money(value.net_savings_ci[1])} |",
        f"| **return per £1** (gross savings / cost) | "
        f"**{money(value.return_per_pound, 2)}** | {money(value.return_per_pound_ci[0], 2)} "
        f"to {money(value.return_per_pound_ci[1], 2)} |",
        f"| net return per £1 ((savings - cost) / cost) | "
        f"{money(value.net_return_per_pound, 2)} | "
        f"{money(value.net_return_per_pound_ci[0], 2)} to "
        f"{money(value.net_return_per_pound_ci[1], 2)} |", "",
        (f"Gross savings = -effect x people x unit cost. Unit cost: {unit.unit} "
         f"(`{unit.item}`): £{unit.cost:,.2f} at its price year, "
         f"£{value.unit_cost_uplifted:,.2f} in {value.price_year} prices (x"
         f"{value.uplift_factor:.4f}). Source: {unit.source}."
         + (f" Note: {unit.note}" if unit.note else "")),
    ]
    lines += [
        "", f"Interval: 2.5th to 97.5th percentile over {value.draws:,} draws of the effect "
        f"({value.interval_from}); costs are held fixed, so the interval shows the uncertainty "
        "of the effect only. The sensitivity analysis below shows the rest.", "",
        "## Programme cost", "",
        "| part | value |", "|---|---|",
        f"| salaries (WTE x salary) | {money(i.salaries)} |",
        f"| on-costs ({i.on_costs:.0%} of salaries) | {money(i.salaries * i.on_costs)} |",
        f"| overheads ({i.overheads:.0%} of staff cost) | "
        f"{money(i.salaries * (1 + i.on_costs) * i.overheads)} |",
        f"| non-staff | {money(i.non_staff)} |",
        f"| **total** | **{money(value.programme_cost)}** |", "",
        "## Wider social value (not cashable, not added to the savings)", ""]
    if value.social_value:
        lines += ["| item | value | source |", "|---|---|---|"]
        lines += [f"| {s['item']} | {money(s['value'])} | {s['source']} |"
                  for s in value.social_value]
        lines += [f"| total | {money(value.social_value_total)} | |"]
    else:
        lines += ["None declared."]
    lines += ["", "## One-way sensitivity", "",
              "Each input at the low and high end of its plausible range, the others at their "
              "base values; widest swing first.", "",
              "| input | low | high | net savings at low | net savings at high | swing |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {LABELS.get(r.input, r.input)} | {_plain(r.low_value)} | "
              f"{_plain(r.high_value)} | {money(r.net_at_low)} | {money(r.net_at_high)} | "
              f"{money(r.swing)} |" for r in value.sensitivity]
    lines += ["", "![Tornado chart of net cashable savings](tornado.png)", "",
              "## Sources", ""]
    lines += [f"- {name}: `{path}`" for name, path in sources.items()]
    lines += ["", "Method decisions: docs/adr/0020-value-for-money-and-inequalities.md.", ""]
    return "\n".join(lines)
