"""The discharge summary as a PDF (fpdf2), laid out from ``presenters.summary_view``.

For screen readers the document declares its language (``/Lang``) and title (shown as the
window title), and each heading is a tagged section (fpdf2 writes a structure tree, marks the
document ``/MarkInfo /Marked true`` and builds the outline, so headings can be navigated).
Every page carries the confidentiality marking at its top and bottom.
"""

from fpdf import FPDF, TextStyle
from fpdf.enums import XPos, YPos
from fpdf.prefs import ViewerPreferences

_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
LANGUAGE = "en-GB"


def _latin1(text: str) -> str:
    """The PDF core fonts cover Latin-1 only; replace typographic characters outside it."""
    replacements = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                    "\u2013": "-", "\u2014": "-", "\u2026": "..."}
    for char, plain in replacements.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


class _SummaryPDF(FPDF):
    """A4 pages with the confidentiality marking in the header and footer."""

    marking = ""

    def header(self):
        self.set_font("Helvetica", "B", 9)
        self.cell(0, 5, _latin1(self.marking), align="C", **_NEXT_LINE)
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "B", 9)
        self.cell(0, 5, _latin1(f"{self.marking}    Page {self.page_no()}"), align="C")


def discharge_summary_pdf(view: dict) -> bytes:
    """Render a summary (the dict from ``presenters.summary_view``) to PDF bytes."""
    pdf = _SummaryPDF(format="A4")
    pdf.marking = view["marking"]
    pdf.set_lang(LANGUAGE)
    pdf.set_title(_latin1(view["title"]))
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_subject(_latin1(f"{view['title']} ({view['marking']})"))
    pdf.set_author("Upstream")
    pdf.set_creator("Upstream")
    pdf.set_section_title_styles(
        TextStyle(font_family="Helvetica", font_style="B", font_size_pt=18, t_margin=2,
                  b_margin=2),
        TextStyle(font_family="Helvetica", font_style="B", font_size_pt=13, t_margin=4,
                  b_margin=1),
    )
    pdf.add_page()
    pdf.start_section(_latin1(view["title"]), level=0)
    pdf.set_font("Helvetica", "", 10)
    for line in view["team_contact"]:
        pdf.multi_cell(0, 5, _latin1(line), **_NEXT_LINE)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 6, _latin1(view["readiness"]), **_NEXT_LINE)
    for rows in (view["person"], view["episode"]):
        pdf.ln(2)
        for label, value in rows:
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(50, 7, _latin1(label))
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 7, _latin1(value), **_NEXT_LINE)
    for heading, lines in view["sections"]:
        pdf.start_section(_latin1(heading), level=1)
        pdf.set_font("Helvetica", "", 11)
        for line in lines or ["None recorded"]:
            pdf.multi_cell(0, 6, _latin1(line), **_NEXT_LINE)
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, _latin1(view["written"]), **_NEXT_LINE)
    return bytes(pdf.output())
