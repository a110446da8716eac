"""A service's one-page leaflet as a PDF, for someone to take away or a receptionist to print:
the service's name, what it is, the same rows as the web page, how to get in touch, and where
to find more help.

Tagged PDF/UA-1 through the one PDF layer (``ui/pdf.py``), all real text in a plain font large
enough to read: 14 pt body text, made smaller step by step only if the service's own text
would not fit on one A4 page.
"""

from upstream.service.directory import public_text as words
from upstream.service.directory.public_presenters import LEAFLET_LENGTH, Card, shortened
from upstream.service.ui.pdf import laid_out, pdf_bytes

FONT_SIZES = (14, 13, 12, 11, 10)
"""Body text sizes tried in turn until the leaflet fits on one page."""


def leaflet_pdf(card: Card, find_url: str) -> bytes:
    """The leaflet for ``card`` as PDF bytes, on one A4 page where the text allows."""
    rows = [*card.rows, *card.details] + [(c.label, c.text) for c in card.contacts]
    if not card.contacts:
        rows.append((words.GET_IN_TOUCH, words.CONTACT_NOT_KNOWN))
    context = {
        "title": card.name,
        "author": card.organization,
        "organization": card.organization,
        "new_people": card.new_people.text,
        "description": shortened(card.description, LEAFLET_LENGTH) if card.description else "",
        "details_heading": words.LEAFLET_HEADING,
        "rows": rows,
        "foot": words.LEAFLET_FOOT,
        "find_line": f"{words.CAN_SEE} {find_url}",
    }
    for size in FONT_SIZES:
        document = laid_out("directory/leaflet_pdf.jinja", {**context, "size": size})
        if len(document.pages) == 1:
            break
    return pdf_bytes(document)
