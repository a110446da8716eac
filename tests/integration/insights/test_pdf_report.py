"""The insights PDF report: built from the page's published strings, with the charts and
their alt text, and never a raw small count (the small world of ``test_figures``)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.integration.insights.test_figures import _recent, world  # noqa: F401 (fixture)
from tests.pdf import read_pdf
from upstream.service.insights.presenters import dashboard

pytestmark = pytest.mark.django_db


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
    found = read_pdf(data)
    assert found.lang == "en-GB" and found.title.startswith("Upstream insights:")
    assert found.pdfua_part == "1"
    page = dashboard(world["lead"], [world["alpha"]], _recent(), "test")
    words = found.text.split()
    assert found.texts("H2") == [table.caption for table in page.every_table()]
    flat = " ".join(words)
    assert " ".join(page.funnel.method[:60].split()) in flat
    assert " ".join(page.funnel.caveats[:60].split()) in flat
    cells = found.texts("TD")
    assert "<10" in cells  # a published small figure
    # true small counts of this world (1, 2, 3, 4, 5, 8) never appear as table cells
    assert not {"1", "2", "3", "4", "5", "8"} & set(cells)
    published = {cell for table in page.every_table() for row in table.rows for cell in row[1:]}
    assert set(cells) <= published
    drawn = [c for c in (page.funnel, *page.trends) if c.uri]
    assert len(found.figure_alts) >= len(drawn) >= 1
    assert page.funnel.alt in found.figure_alts
