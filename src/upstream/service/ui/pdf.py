"""Every PDF the service gives out (discharge summary, letters, service leaflets, the insights
report) is a Jinja2 template extending ``ui/pdf.jinja``, rendered by WeasyPrint as tagged
PDF/UA-1 (docs/adr/0022).

What that gives a screen reader user: the document's language and title (shown as the window
title), and a structure tree in reading order with headings (H1, H2), paragraphs, lists,
tables with header cells and figures with their alternative text; running headers and footers
(a confidentiality marking, page numbers) are marked as artefacts, not read as content.

A PDF loads nothing from outside itself: the only resources a template may use are inline
``data:`` URIs (charts). Anything else, such as a link written into a letter by a user, is
refused by WeasyPrint's fetcher limited to the ``data`` scheme, so rendering cannot be used to
read files or reach the network.
"""

from django.template.loader import render_to_string
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "en-GB"
_INLINE_ONLY = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def laid_out(template_name: str, context: dict) -> Document:
    """``template_name`` rendered with ``context`` and laid out in pages (``len(.pages)``)."""
    html = render_to_string(template_name, {"language": LANGUAGE, **context})
    return HTML(string=html, url_fetcher=_INLINE_ONLY).render(pdf_variant=PDF_VARIANT)


def pdf_bytes(document: Document) -> bytes:
    """A laid-out document as tagged PDF/UA-1 bytes."""
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(template_name: str, context: dict) -> bytes:
    """``template_name`` rendered with ``context`` as tagged PDF/UA-1 bytes."""
    return pdf_bytes(laid_out(template_name, context))
