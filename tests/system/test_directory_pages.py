"""The staff directory pages in a browser (axe on every page): a link worker finds a service in
the person's own words and opens it; a commissioner reads provision and gaps, by postcode
district and within a chosen distance of home, and downloads a table."""

import pytest

from tests.factories import directory as make_service
from tests.factories.accounts import PathwayFactory, TeamFactory
from tests.factories.referrals import episode
from upstream.service.accounts.models import Role
from upstream.service.referrals.states import Status
from upstream.standards import postcode_directory

pytestmark = pytest.mark.system


@pytest.fixture
def team(transactional_db, settings, tmp_path):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "postcodes.sqlite3"
    postcode_directory.write(settings.UPSTREAM_POSTCODE_DIRECTORY,
                             [("LE1 1AA", 52.636, -1.139)])  # about 50 miles from the services
    found = TeamFactory(name="Leicester link workers",
                        pathway=PathwayFactory(name="Leicester social prescribing"))
    make_service.service("Citizens Advice debt clinic", "money_debt",
                         description="Free advice on debt, rent arrears and bailiffs.",
                         byday="TU", accepting_referrals=True, waiting_time_days=10)
    make_service.service("Tuesday walking group", "loneliness",
                         description="A friendly walk in the park.", byday="TU")
    for _ in range(3):
        episode(found, status=Status.REFERRED, needs=("money_debt",), postcode="LE1 1AA")
    return found


def test_a_link_worker_finds_debt_advice_in_the_persons_own_words(visit, make_user, team):
    make_user("tom.baker", Role.LINK_WORKER, [team])
    visitor = visit("link worker")
    visitor.sign_in("tom.baker")
    visitor.goto("/directory/")
    assert visitor.heading() == "Find a service"
    page = visitor.page
    page.get_by_label("What the person wants help with, in their words").fill(
        "I can't pay my rent")
    visitor.submit("Search")
    results = visitor.text()
    assert "Citizens Advice debt clinic" in results
    assert "Tuesday walking group" not in results
    visitor.follow("Citizens Advice debt clinic")
    assert visitor.heading().endswith("Citizens Advice debt clinic")
    assert "Free advice on debt" in visitor.text()


def test_a_commissioner_reads_provision_and_gaps_and_downloads_a_table(visit, make_user, team):
    make_user("asha.commissioner", Role.COMMISSIONER)
    visitor = visit("commissioner")
    visitor.sign_in("asha.commissioner")
    visitor.goto("/directory/provision/")
    assert visitor.heading() == "Provision and gaps"
    text = visitor.text()
    assert "Money, benefits and debt" in text
    assert "<10" in text  # 3 people needing money advice: shown as fewer than 10, never 3
    assert "Demand and supply by need and postcode district" in text
    visitor.page.get_by_label("Distance from home").select_option("25")
    visitor.submit("Show")
    distance = visitor.page.get_by_role("table", name="Needs with no or little provision within "
                                                      "25 miles of home")
    row = distance.get_by_role("row").filter(has_text="LE1")
    assert row.get_by_role("cell").all_inner_texts() == ["LE1", "<10", "0", "<10"]
    download_link = visitor.page.get_by_role("link", name="CSV").first
    with visitor.page.expect_download() as download:
        download_link.click()
    body = download.value.path().read_text()
    assert "Money, benefits and debt" in body
