"""The one PDF layer (ui/pdf.py): tagged PDF/UA-1, and nothing loaded from outside the PDF."""

import pytest

from tests.pdf import read_pdf
from upstream.service.ui import pdf


def test_a_pdf_fetches_inline_data_only():
    assert pdf._INLINE_ONLY.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for outside in ("file:///etc/hostname", "http://127.0.0.1:9/x.png", "https://example.org/a.css"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            pdf._INLINE_ONLY.fetch(outside)


def test_user_text_is_text_not_markup_and_the_pdf_is_tagged():
    """What a user typed (here into a summary line) is escaped by the template and drawn as
    text: an image tag pointing at a local file is shown, never fetched."""
    typed = "<img src='file:///etc/hostname'> & <b>bold</b>"
    data = pdf.render_pdf("engagement/summary_pdf.jinja", {
        "title": "Discharge summary", "marking": "OFFICIAL-SENSITIVE: personal",
        "team_contact": ["Team"], "readiness": "Ready", "person": [("Name", "A Person")],
        "episode": [], "sections": [("Goals", [typed])], "written": "Written"})
    found = read_pdf(data)
    assert typed in found.texts("P")
    assert b"/Subtype /Image" not in data
    assert (found.pdfua_part, found.marked, found.lang) == ("1", True, "en-GB")
    assert found.texts("H1") == ["Discharge summary"] and found.texts("H2") == ["Goals"]
