"""Insights in the browser (axe on every page): a team lead filters the figures to one of
their teams and a period, then downloads the Excel file of every table, which holds that
team's figures only, protected as on the page; and the PDF report, whose first page is drawn
as an image for the docs."""

import io
import os
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from tests.factories.accounts import PathwayFactory, TeamFactory
from tests.factories.referrals import episode
from tests.pdf import read_pdf
from upstream.service.accounts.models import Role
from upstream.service.referrals.states import Status

pytestmark = pytest.mark.system


@pytest.fixture
def lead(transactional_db, make_user):
    pathway = PathwayFactory(name="Respiratory")
    north = TeamFactory(name="North breathing", pathway=pathway)
    south = TeamFactory(name="South breathing", pathway=pathway)
    for _ in range(12):
        episode(north, status=Status.REFERRED, needs=("money_debt",))
    for _ in range(3):
        episode(south, status=Status.REFERRED, needs=("housing",))
    return make_user("rachel.adeyemi", Role.TEAM_LEAD, [north, south])


def test_a_team_lead_filters_by_team_and_downloads_the_excel_file(visit, lead):
    visitor = visit("team lead")
    visitor.sign_in(lead.username)
    visitor.goto("/insights/")
    assert visitor.heading() == "Insights"
    page = visitor.page
    page.get_by_label("Team").select_option(label="North breathing")
    page.get_by_label("Period").select_option(label="The last 3 months")
    visitor.submit("Show figures")
    assert "Showing: The last 3 months, North breathing." in visitor.text()
    team_table = page.locator("table").filter(has_text="Referrals by team and source")
    assert "South breathing" not in team_table.inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel file (.xlsx)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    assert "Referrals by team and source" in cells and "Engagement funnel and exits (episodes)" \
        in cells
    assert "North breathing" in cells and "South breathing" not in cells
    assert "10" in cells and "12" not in cells  # 12 referrals, published rounded to 10


def test_the_pdf_report_downloads_tagged_and_its_first_page_renders(visit, lead, tmp_path):
    """The lead downloads the PDF report for one team; it is tagged PDF/UA-1 with a heading per
    table, and its first page draws (pdfium) with real ink on it. The image goes to a temporary
    folder unless ``UPSTREAM_SCREENSHOTS`` names one: ``UPSTREAM_SCREENSHOTS=docs/screenshots
    pytest tests/system/test_insights.py`` refreshes
    ``docs/screenshots/insights-report-pdf.png``."""
    visitor = visit("team lead")
    visitor.sign_in(lead.username)
    visitor.goto("/insights/")
    page = visitor.page
    page.get_by_label("Team").select_option(label="North breathing")
    visitor.submit("Show figures")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF report, with the charts").click()
    data = download.value.path().read_bytes()
    found = read_pdf(data)
    assert found.pdfua_part == "1" and found.title.startswith("Upstream insights:")
    assert "North breathing" in found.title
    assert "Referrals by team and source" in found.texts("H2")
    rows = found.texts("TH") + found.texts("TD")
    assert "North breathing" in rows and "South breathing" not in rows  # the filter held

    first = pdfium.PdfDocument(data)[0].render(scale=1.2).to_pil().convert("L")
    inked = sum(1 for value in first.getdata() if value < 128)
    assert inked > 0.01 * first.width * first.height, "the first page draws text and tables"
    folder = Path(os.environ.get("UPSTREAM_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    first.save(folder / "insights-report-pdf.png", optimize=True)
