"""Insights in the browser (axe on every page): a team lead filters the figures to one of
their teams and a period, then downloads the Excel file of every table, which holds that
team's figures only, protected as on the page."""

import io

import openpyxl
import pytest

from tests.factories.accounts import PathwayFactory, TeamFactory
from tests.factories.referrals import episode
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
