"""The discharge summary as a PDF (fpdf2), laid out from ``presenters.summary_view``."""

from fpdf import FPDF
from fpdf.enums import XPos, YPos

_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _latin1(text: str) -> str:
    """The PDF core fonts cover Latin-1 only; replace typographic characters outside it."""
    replacements = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                    "\u2013": "-", "\u2014": "-", "\u2026": "..."}
    for char, plain in replacements.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def discharge_summary_pdf(view: dict) -> bytes:
    """Render a summary (the dict from ``presenters.summary_view``) to PDF bytes."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(view["title"]))
    pdf.set_author("Upstream")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, _latin1(view["title"]), **_NEXT_LINE)
    for rows in (view["person"], view["episode"]):
        pdf.ln(2)
        for label, value in rows:
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(50, 7, _latin1(label))
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 7, _latin1(value), **_NEXT_LINE)
    for heading, lines in view["sections"]:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, _latin1(heading), **_NEXT_LINE)
        pdf.set_font("Helvetica", "", 11)
        for line in lines or ["None recorded"]:
            pdf.multi_cell(0, 6, _latin1(line), **_NEXT_LINE)
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, _latin1(view["written"]), **_NEXT_LINE)
    return bytes(pdf.output())
