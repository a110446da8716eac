"""The discharge summary as a PDF, laid out from ``presenters.summary_view`` by the one PDF
layer (``ui/pdf.py``: tagged PDF/UA-1). Every page carries the confidentiality marking at its
top and bottom."""

from upstream.service.ui.pdf import render_pdf


def discharge_summary_pdf(view: dict) -> bytes:
    """Render a summary (the dict from ``presenters.summary_view``) to PDF bytes."""
    return render_pdf("engagement/summary_pdf.jinja", view)
