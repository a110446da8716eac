"""Bar charts drawn on the server as SVG (Altair + vl-convert): no script reaches the page.

Charts show only cells that disclosure control lets through; the table beside each chart is
the accessible, complete view.
"""

import base64

import altair as alt
import pandas as pd
import vl_convert

NHS_BLUE = "#005eb8"


def bar_chart_data_uri(values: dict[str, int], *, title: str, axis_title: str) -> str:
    """A horizontal bar chart of ``{label: count}`` as a ``data:image/svg+xml`` URI."""
    frame = pd.DataFrame({"label": list(values), "count": list(values.values())})
    chart = (
        alt.Chart(frame, title=title)
        .mark_bar(color=NHS_BLUE)
        .encode(
            x=alt.X("count:Q", title=axis_title),
            y=alt.Y("label:N", sort=None, title=None),
        )
        .properties(width=420)
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def run_chart_data_uri(values: dict[str, float], *, median: float | None, title: str,
                       axis_title: str) -> str:
    """A run chart (points joined in time order, with a dashed median line when ``median`` is
    given) of ``{month label: value}`` as a ``data:image/svg+xml`` URI."""
    frame = pd.DataFrame({"label": list(values), "value": list(values.values())})
    x = alt.X("label:N", sort=None, title=None)
    chart = (alt.Chart(frame, title=title)
             .mark_line(color=NHS_BLUE, point=True)
             .encode(x=x, y=alt.Y("value:Q", title=axis_title))
             .properties(width=480))
    if median is not None:
        rule = alt.Chart(pd.DataFrame({"median": [median]})).mark_rule(
            color="#425563", strokeDash=[6, 4]).encode(y="median:Q")
        chart = chart + rule
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def grouped_bar_chart_data_uri(values: dict[tuple[str, str], int], *, title: str,
                               axis_title: str) -> str:
    """A horizontal bar chart of ``{(label, series): count}``, the series of each label side by
    side, as a ``data:image/svg+xml`` URI."""
    frame = pd.DataFrame({"label": [k[0] for k in values], "series": [k[1] for k in values],
                          "count": list(values.values())})
    chart = (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title=axis_title),
            y=alt.Y("label:N", sort=None, title=None),
            yOffset=alt.YOffset("series:N"),
            color=alt.Color("series:N", title=None,
                            scale=alt.Scale(range=[NHS_BLUE, "#ed8b00"]),
                            legend=alt.Legend(orient="bottom")),
        )
        .properties(width=420)
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
