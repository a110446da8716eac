"""The insights PDF report: built from the page's published strings, with the charts and
their alt text, and never a raw small count (the small world of ``test_figures``)."""

import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse

from tests.integration.insights.test_figures import _recent, world  # noqa: F401 (fixture)
from upstream.service.engagement.pdf import _latin1
from upstream.service.insights.presenters import dashboard

pytestmark = pytest.mark.django_db


def _streams(data: bytes) -> list[bytes]:
    """Every stream of the PDF, inflated when it is compressed."""
    found = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            found.append(match.group(1))
    return found


def _shown_text(data: bytes) -> list[str]:
    """The text drawn on the pages: each ``(...) Tj`` string of the content streams."""
    strings = []
    for stream in _streams(data):
        for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", stream):
            strings.append(re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1"))
    return strings


def test_the_pdf_report_holds_titles_charts_and_published_figures_only(world):  # noqa: F811
    client = Client()
    client.force_login(world["lead"])
    query = f"?team={world['alpha'].pk}&period=3"
    response = client.get(reverse("insights:export_pdf") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="upstream-insights-' in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"%PDF")
    assert b"/Lang (en-GB)" in data and b"/Title (Upstream insights:" in data
    page = dashboard(world["lead"], [world["alpha"]], _recent(), "test")
    text = _shown_text(data)
    joined = " ".join(text)
    for table in page.every_table():
        assert _latin1(table.caption) in text
    assert page.funnel.uri and page.funnel.method[:60] in joined
    assert page.funnel.caveats[:60] in joined
    assert "<10" in text  # a published small figure
    # true small counts of this world (1, 2, 3, 4, 5, 8) never appear on their own
    assert not {"1", "2", "3", "4", "5", "8"} & set(text)
    images = re.findall(rb"/Subtype\s*/Image", data)
    drawn = [c for c in (page.funnel, *page.trends) if c.uri]
    assert len(images) >= len(drawn) >= 1
    alt = _latin1(page.funnel.alt)[:40].encode("latin-1")
    assert alt in data or any(alt in s for s in _streams(data))
