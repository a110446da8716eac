"""A service's one-page leaflet as a PDF (fpdf2), for someone to take away or a receptionist
to print: the service's name, what it is, the same rows as the web page, how to get in touch,
and where to find more help.

Accessible as the project's other PDFs are (``engagement/pdf.py``): the document declares its
language and title (shown as the window title), the name is a tagged heading in the outline,
and everything is real text in a plain font, large enough to read (14 pt body text, made
smaller step by step only if the service's own text would not fit on one A4 page).
"""

from fpdf import FPDF, TextStyle
from fpdf.enums import XPos, YPos
from fpdf.prefs import ViewerPreferences

from upstream.service.directory import public_text as words
from upstream.service.directory.public_presenters import LEAFLET_LENGTH, Card, shortened
from upstream.service.engagement.pdf import LANGUAGE, _latin1

_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
FONT_SIZES = (14, 13, 12, 11, 10)
"""Body text sizes tried in turn until the leaflet fits on one page."""
LABEL_WIDTH = 55


def _render(card: Card, find_url: str, size: int) -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_lang(LANGUAGE)
    pdf.set_title(_latin1(card.name))
    pdf.set_subject(_latin1(f"{words.LEAFLET_HEADING}: {card.name}"))
    pdf.set_author(_latin1(card.organization))
    pdf.set_creator("Upstream")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_section_title_styles(
        TextStyle(font_family="Helvetica", font_style="B", font_size_pt=size + 10, t_margin=0,
                  b_margin=2),
        TextStyle(font_family="Helvetica", font_style="B", font_size_pt=size + 2, t_margin=4,
                  b_margin=1))
    line = size * 0.5
    pdf.add_page()
    pdf.set_font("Helvetica", "", size)
    pdf.start_section(_latin1(card.name), level=0)
    if card.organization != card.name:
        pdf.multi_cell(0, line, _latin1(card.organization), **_NEXT_LINE)
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(0, line, _latin1(card.new_people.text), **_NEXT_LINE)
    if card.description:
        pdf.ln(2)
        pdf.set_font("Helvetica", "", size)
        pdf.multi_cell(0, line, _latin1(shortened(card.description, LEAFLET_LENGTH)),
                       **_NEXT_LINE)
    pdf.start_section(_latin1(words.LEAFLET_HEADING), level=1)
    rows = [*card.rows, *card.details] + [(c.label, c.text) for c in card.contacts]
    if not card.contacts:
        rows.append((words.GET_IN_TOUCH, words.CONTACT_NOT_KNOWN))
    for label, text in rows:
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(LABEL_WIDTH, line, _latin1(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_font("Helvetica", "", size)
        pdf.multi_cell(0, line, _latin1(text), **_NEXT_LINE)
        pdf.ln(1)
    pdf.ln(3)
    pdf.set_font("Helvetica", "", size - 2)
    pdf.multi_cell(0, line * 0.9, _latin1(words.LEAFLET_FOOT), **_NEXT_LINE)
    pdf.multi_cell(0, line * 0.9, _latin1(f"{words.CAN_SEE} {find_url}"), **_NEXT_LINE)
    return pdf


def leaflet_pdf(card: Card, find_url: str) -> bytes:
    """The leaflet for ``card`` as PDF bytes, on one A4 page where the text allows."""
    for size in FONT_SIZES:
        pdf = _render(card, find_url, size)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())
