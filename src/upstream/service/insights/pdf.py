"""The insights page as a PDF report, for the chosen team and period.

Built only from the page's own :class:`~upstream.service.insights.presenters.Dashboard`: every
table cell is the published string of the disclosure-controlled release, and every chart is
the page's own SVG (drawn by vl-convert from the Altair spec) turned into a PNG by vl-convert,
with the page's alt text. So the PDF can show nothing the page hides (docs/adr/0006).

Tagged PDF/UA-1 through the one PDF layer (``ui/pdf.py``): headings, tables with header cells
and each chart a figure with the page's alternative text.
"""

import base64

import vl_convert

from upstream.service.insights.export import _heading
from upstream.service.insights.presenters import Dashboard
from upstream.service.ui.pdf import render_pdf


class _Illustrated:
    """What the page shows beside a table: its chart, and notes when the page has them."""

    def __init__(self, uri: str, alt: str, method: str = "", caveats: str = "",
                 signals: list[str] | None = None):
        self.uri, self.alt, self.method, self.caveats = uri, alt, method, caveats
        self.signals = signals or []


def _beside(dashboard: Dashboard) -> dict[int, _Illustrated]:
    """The chart and notes the page shows with each table, keyed by ``id`` of the table."""
    found = {id(c.table): _Illustrated(c.uri, c.alt, c.method, c.caveats, c.signals)
             for c in (dashboard.funnel, *dashboard.trends) if c is not None}
    episodes = [t for t in dashboard.tables if t.caption == "Episodes by status"]
    if episodes and dashboard.chart_uri:
        found[id(episodes[0])] = _Illustrated(dashboard.chart_uri, dashboard.chart_alt)
    if dashboard.conversations and dashboard.conversations.chart_uri:
        found[id(dashboard.conversations.table)] = _Illustrated(
            dashboard.conversations.chart_uri, dashboard.conversations.chart_alt)
    return found


def chart_png(uri: str) -> bytes:
    """The page's chart (a ``data:image/svg+xml;base64`` URI) as PNG bytes, by vl-convert."""
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    return vl_convert.svg_to_png(svg, scale=2)


def insights_pdf(dashboard: Dashboard) -> bytes:
    """Every table of the page in page order, each with the chart the page draws for it (alt
    text from the page), its method note, caveats and run chart signals."""
    beside = _beside(dashboard)
    sections = []
    for table in dashboard.every_table():
        shown = beside.get(id(table))
        chart_uri = ""
        if shown and shown.uri:
            chart_uri = "data:image/png;base64," + base64.b64encode(
                chart_png(shown.uri)).decode()
        notes = [] if shown is None else [
            (label, text) for label, text in (
                ("Method", shown.method), ("Caveats", shown.caveats),
                ("Run chart signals", " ".join(shown.signals))) if text]
        sections.append({"table": table, "chart_uri": chart_uri,
                         "chart_alt": shown.alt if shown else "", "notes": notes})
    return render_pdf("insights/report_pdf.jinja", {
        "title": f"Upstream insights: {dashboard.scope}",
        "heading_lines": _heading(dashboard),
        "sections": sections,
    })
