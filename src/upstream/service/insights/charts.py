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
