"""The insights page as a PDF report (fpdf2), for the chosen team and period.

Built only from the page's own :class:`~upstream.service.insights.presenters.Dashboard`: every
table cell is the published string of the disclosure-controlled release, and every chart is
the page's own SVG (drawn by vl-convert from the Altair spec) turned into a PNG by vl-convert,
with the page's alt text. So the PDF can show nothing the page hides (docs/adr/0006).

As for the discharge summary (``engagement/pdf.py``) the document declares its language and
title, and headings are tagged sections with an outline, so a screen reader can move by them.
"""

import base64
import struct

import vl_convert
from fpdf import FPDF, TextStyle
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from fpdf.prefs import ViewerPreferences

from upstream.service.engagement.pdf import LANGUAGE
from upstream.service.engagement.pdf import _latin1 as latin1
from upstream.service.insights.export import _heading
from upstream.service.insights.presenters import Dashboard, Table

_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
_CHART_WIDTH_MM = 150
_HEADING_MM = 14


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


def _height_mm(png: bytes) -> float:
    """Height of ``png`` drawn :data:`_CHART_WIDTH_MM` wide (size from the PNG header)."""
    width, height = struct.unpack(">II", png[16:24])
    return _CHART_WIDTH_MM * height / width


class _ReportPDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, f"Upstream insights. De-identified.    Page {self.page_no()}",
                  align="C")


def insights_pdf(dashboard: Dashboard) -> bytes:
    """Every table of the page in page order, each with the chart the page draws for it (alt
    text from the page), its method note, caveats and run chart signals."""
    title = f"Upstream insights: {dashboard.scope}"
    pdf = _ReportPDF(format="A4")
    pdf.set_lang(LANGUAGE)
    pdf.set_title(latin1(title))
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_author("Upstream")
    pdf.set_creator("Upstream")
    pdf.set_section_title_styles(
        TextStyle(font_family="Helvetica", font_style="B", font_size_pt=18, t_margin=2,
                  b_margin=2),
        TextStyle(font_family="Helvetica", font_style="B", font_size_pt=13, t_margin=5,
                  b_margin=2),
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.add_page()
    pdf.start_section(latin1(title), level=0)
    pdf.set_font("Helvetica", "", 10)
    for line in _heading(dashboard):
        pdf.multi_cell(0, 5, latin1(line), **_NEXT_LINE)
    beside = _beside(dashboard)
    for table in dashboard.every_table():
        shown = beside.get(id(table))
        png = chart_png(shown.uri) if shown and shown.uri else None
        if png and pdf.will_page_break(_HEADING_MM + _height_mm(png)):
            pdf.add_page()  # keep the heading with its chart
        pdf.start_section(latin1(table.caption), level=1)
        if png:
            pdf.image(png, w=_CHART_WIDTH_MM, alt_text=latin1(shown.alt))
            pdf.ln(2)
        _table(pdf, table)
        if shown:
            _notes(pdf, shown)
    return bytes(pdf.output())


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(text_align="LEFT", line_height=5,
                   headings_style=FontFace(emphasis="BOLD")) as grid:
        for cells in [table.headers, *table.rows]:
            row = grid.row()
            for cell in cells:
                row.cell(latin1(str(cell)))
    pdf.ln(2)


def _notes(pdf: FPDF, shown: _Illustrated) -> None:
    for label, text in (("Method", shown.method), ("Caveats", shown.caveats),
                        ("Run chart signals", " ".join(shown.signals))):
        if text:
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(0, 5, label, **_NEXT_LINE)
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(0, 5, latin1(text), **_NEXT_LINE)
